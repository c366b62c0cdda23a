"""The systems compared by the summarization benchmark, all called the same way:
``system(cluster, words) -> list of sentences``.

Baselines read the raw documents, split into sentences by ``newsfuse.segment`` (sumy's own
tokenizers need NLTK's punkt data, which is not available offline). They return sentences in
rank order until the word limit is reached; the scorer cuts the text at the limit (ROUGE -l),
as DUC did for its baselines. newsfuse runs its full pipeline (clean, summarize) and never
exceeds the limit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.summarization_data import Cluster, Doc
from newsfuse import concept_blend, segment
from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.summarize import Settings, summarize
from newsfuse.text import content_stems

System = Callable[[Cluster, int], list[str]]


def newsfuse_generic(cluster: Cluster, words: int) -> list[str]:
    return _newsfuse(cluster, words, None)


def newsfuse_focus(cluster: Cluster, words: int) -> list[str]:
    return _newsfuse(cluster, words, cluster.query)


def newsfuse_blend(cluster: Cluster, words: int) -> list[str]:
    """newsfuse with the shipped blend of learned and count weights (`bench.concept_cv`),
    trained on every cluster of every set: in-sample here. The out-of-fold outputs are
    ``newsfuse-oof``."""
    return _newsfuse(cluster, words, None, blend=concept_blend.load())


def newsfuse_blend_focus(cluster: Cluster, words: int) -> list[str]:
    return _newsfuse(cluster, words, cluster.query, blend=concept_blend.load())


def written_by_concept_cv(cluster: Cluster, words: int) -> list[str]:
    raise SystemExit(
        "newsfuse-oof outputs are written by `python -m bench.concept_cv --write`; "
        "score them with --score-only"
    )


def _newsfuse(
    cluster: Cluster,
    words: int,
    focus: str | None,
    blend: concept_blend.Blend | None = None,
) -> list[str]:
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.date[:10] or None)
        for d in cluster.docs
    ]
    cleaned = clean_articles(articles)
    settings = Settings(words=words, focus=focus, blend=blend)
    return [s.text for s in summarize(cleaned, settings)]


def _sentences(doc: Doc) -> list[str]:
    return [s.text for s in segment.split(doc.text, doc.id) if len(s.text.split()) >= 1]


def _fill(ranked: list[str], words: int) -> list[str]:
    """Sentences in rank order until the limit is reached (the last one is cut by ROUGE -l)."""
    out, used = [], 0
    for s in ranked:
        if used >= words:
            break
        out.append(s)
        used += len(s.split())
    return out


def lead(cluster: Cluster, words: int) -> list[str]:
    """The first sentences of the most recent document (DUC's baseline)."""
    latest = max(enumerate(cluster.docs), key=lambda p: (p[1].date, -p[0]))[1]
    return _fill(_sentences(latest), words)


_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


class _WordTokenizer:
    """Stands in for sumy's NLTK tokenizer: a regex over words."""

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)


def _sumy(kind: str) -> System:
    def run(cluster: Cluster, words: int) -> list[str]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        tok = _WordTokenizer()
        paragraphs = [Paragraph([Sentence(s, tok) for s in _sentences(d)]) for d in cluster.docs]
        document = ObjectDocumentModel([p for p in paragraphs if p.sentences])
        cls: Any = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        ranked: list[str] = []

        def take(infos: list[Any]) -> list[Any]:
            ranked.extend(str(i.sentence) for i in infos)
            return list(infos)

        summarizer(document, take)
        return _fill(ranked, words)

    return run


def centroid_mmr(cluster: Cluster, words: int) -> list[str]:
    """TF-IDF centroid relevance with maximal marginal relevance (Carbonell & Goldstein 1998),
    lambda 0.7, sentences of 8+ words."""
    sents = [s for d in cluster.docs for s in _sentences(d) if len(s.split()) >= 8]
    if not sents:
        return []
    bags = [Counter(content_stems(s)) for s in sents]
    df = Counter(t for b in bags for t in b)
    n = len(sents)
    vecs = [_unit({t: c * math.log(n / df[t]) for t, c in b.items()}) for b in bags]
    centroid: Counter[str] = Counter()
    for v in vecs:
        centroid.update(v)
    cen = _unit(dict(centroid))
    rel = [_dot(v, cen) for v in vecs]
    chosen: list[int] = []
    used = 0
    remaining = set(range(n))
    while remaining and used < words:

        def mmr(i: int) -> float:
            red = max((_dot(vecs[i], vecs[j]) for j in chosen), default=0.0)
            return 0.7 * rel[i] - 0.3 * red

        best = max(sorted(remaining), key=mmr)
        remaining.discard(best)
        chosen.append(best)
        used += len(sents[best].split())
    return [sents[i] for i in chosen]


def _unit(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


SYSTEMS: dict[str, System] = {
    "newsfuse": newsfuse_generic,
    "newsfuse-focus": newsfuse_focus,
    "newsfuse-blend": newsfuse_blend,
    "newsfuse-blend-focus": newsfuse_blend_focus,
    "newsfuse-oof": written_by_concept_cv,
    "newsfuse-oof-focus": written_by_concept_cv,
    "lead": lead,
    "lexrank": _sumy("lexrank"),
    "textrank": _sumy("textrank"),
    "centroid-mmr": centroid_mmr,
}
# Systems that need the query of a query-focused set.
NEEDS_QUERY = frozenset({"newsfuse-focus", "newsfuse-blend-focus", "newsfuse-oof-focus"})

__all__ = ["NEEDS_QUERY", "SYSTEMS", "System"]
