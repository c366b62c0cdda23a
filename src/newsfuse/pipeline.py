"""The stages in order: read -> clean -> assess (copies, spun, opinion) -> summarize ->
quotes, facts, entities, timeline -> ledger -> Briefing."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path

from newsfuse import align, claims, entities, facts, quality, quotes, timeline
from newsfuse import summarize as summarize_stage
from newsfuse.clean import clean_articles
from newsfuse.config import Settings
from newsfuse.errors import InputError
from newsfuse.model import (
    Article,
    Briefing,
    ClaimCheck,
    CleanArticle,
    Quote,
    Source,
    SummarySentence,
)
from newsfuse.readers import read_inputs
from newsfuse.summarize import concepts
from newsfuse.text import TokenCache


def brief(
    inputs: Sequence[str | Path | Article],
    words: int | None = None,
    *,
    focus: str | None = None,
    settings: Settings | None = None,
) -> Briefing:
    """A briefing of the articles (or files, directories, ``-``) in ``inputs``.

    Inputs that cannot be read are listed in ``Briefing.problems``; `InputError` is raised only
    when none can be used.
    """
    settings = (settings or Settings()).with_flags(words=words, focus=focus)
    articles, problems = _gather(inputs)
    return brief_articles(articles, settings, problems)


def check(
    claim: str, inputs: Sequence[str | Path | Article], *, settings: Settings | None = None
) -> ClaimCheck:
    """Which of the articles (or files, directories, URLs, ``-``) in ``inputs`` report
    ``claim`` (with the passage), which give different numbers for it, which are silent."""
    articles, problems = _gather(inputs)
    return check_claim(claim, articles, settings or Settings(), problems)


def _gather(inputs: Sequence[str | Path | Article]) -> tuple[list[Article], tuple[str, ...]]:
    """The articles given and those read from the other inputs, with the inputs' problems;
    `InputError` when there is no article at all."""
    paths = [x for x in inputs if not isinstance(x, Article)]
    given = [x for x in inputs if isinstance(x, Article)]
    read = read_inputs(paths) if paths else None
    articles = [*given, *(read.articles if read else ())]
    problems = tuple(str(p) for p in read.problems) if read else ()
    if not articles:
        detail = f": {problems[0]}" if problems else ""
        raise InputError("inputs", f"no input could be read{detail}")
    return articles, problems


def check_claim(
    claim: str, articles: Sequence[Article], settings: Settings, problems: tuple[str, ...] = ()
) -> ClaimCheck:
    """Which of ``articles`` report ``claim``, which give other numbers for it, which are
    silent (`newsfuse.claims`). Articles left empty by cleaning are listed as problems."""
    cleaned, noted = _clean(articles, settings)
    kept = [c for c in cleaned if c.text.strip()]
    problems += noted
    stage = claims.Settings(settings.summarize.support, settings.facts)
    found = claims.check(claim, kept, stage)
    return dataclasses.replace(found, problems=problems)


def brief_articles(
    articles: Sequence[Article], settings: Settings, problems: tuple[str, ...] = ()
) -> Briefing:
    cleaned, noted = _clean(articles, settings)
    problems += noted
    empty = {c.id for c in cleaned if not c.text.strip()}
    tokens = TokenCache()  # the sentences' words, stemmed once for every stage
    indexes = align.Indexes(tokens)  # their TF-IDF index, built once for quality and summarize
    assessed = {a.id: a for a in quality.assess(cleaned, settings.quality, indexes)}
    copies = frozenset(i for i, a in assessed.items() if a.is_copy)
    spun = frozenset(i for i, a in assessed.items() if "spun" in a.flags)
    inputs = summarize_stage.Inputs(
        noise={i: a.spun_score for i, a in assessed.items()},
        not_wording=copies | spun,
        not_support=copies,
        indexes=indexes,
    )
    summary = summarize_stage.summarize(cleaned, settings.summarize, inputs)
    mentions = entities.find_mentions(cleaned, settings.entities)  # one parse for both stages
    names = entities.resolve(cleaned, mentions)
    return Briefing(
        title=_title([c for c in cleaned if c.id not in copies | spun] or cleaned, summary),
        summary=summary,
        sources=tuple(_source(c, assessed[c.id], c.id in empty) for c in cleaned),
        quotes=_faithful(
            quotes.extract(
                cleaned,
                settings.quotes,
                noise=inputs.noise,
                not_support=copies,
                mentions=mentions,
                names=names.aliases,
            ),
            spun,
        ),
        facts=facts.extract(cleaned, settings.facts, not_support=copies, tokens=tokens),
        entities=entities.extract(cleaned, settings.entities, names=names),
        timeline=timeline.extract(
            cleaned, settings.timeline, not_wording=copies, garbled=spun, tokens=tokens
        ),
        problems=problems,
    )


def _clean(
    articles: Sequence[Article], settings: Settings
) -> tuple[tuple[CleanArticle, ...], tuple[str, ...]]:
    """The cleaned articles, and a problem line for each one cut at the length cap or left
    empty by cleaning."""
    cleaned = clean_articles(articles, settings.clean)
    cap = settings.clean.max_chars
    cut = [a for a in articles if len(a.text) > cap]
    empty = [c for c in cleaned if not c.text.strip()]
    return cleaned, (
        *(f"{a.path or a.id}: only its first {cap:,} characters are used" for a in cut),
        *(f"{_name(c)}: no article text left after cleaning" for c in empty),
    )


def _title(cleaned: Sequence[CleanArticle], summary: Sequence[SummarySentence]) -> str:
    """The source title that shares most concepts with the summary (the first on a tie)."""
    covered: set[str] = set().union(*(concepts(s.text) for s in summary))

    def score(title: str) -> float:
        own = concepts(title)
        return len(own & covered) / math.sqrt(1 + len(own))

    titles = [c.article.title for c in cleaned if c.article.title]
    best = max(titles, key=score, default=None)
    if best is not None and (score(best) > 0 or not summary):
        return best
    # No title says what the summary says (a photo credit or a section name taken for one):
    # the summary's first sentence is the title.
    return summary[0].text if summary else "Briefing"


def _faithful(found: tuple[Quote, ...], spun: frozenset[str]) -> tuple[Quote, ...]:
    """Quotes carried only by spun copies are garbled words put in someone's mouth: left out."""
    return tuple(q for q in found if not set(q.sources) <= spun)


def _name(c: CleanArticle) -> str:
    return c.article.path or c.id


def _source(c: CleanArticle, q: quality.Assessment, empty: bool) -> Source:
    a = c.article
    return Source(
        id=a.id,
        path=a.path,
        title=a.title,
        outlet=a.outlet,
        published=a.published,
        words_in=c.words_in,
        words_kept=c.words_kept,
        flags=(*q.flags, "empty") if empty else q.flags,
        duplicate_of=q.duplicate_of,
        spun_score=q.spun_score,
        url=a.url,
    )
