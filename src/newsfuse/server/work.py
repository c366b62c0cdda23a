"""What the server runs off its event loop: each function is a short composition of the
library's own (`pipeline.brief_articles`, `writers.render`, `store.Store`, `stories`).

Briefing runs in worker processes (CPU-bound, and the pipeline's model is loaded once per
process); the store runs in one thread, which serialises writes and story assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfuse.config import Settings
from newsfuse.fetch import Web
from newsfuse.model import Article
from newsfuse.nlp import spacy_pipeline
from newsfuse.pipeline import brief_articles, check_claim
from newsfuse.readers import ReadResult, read_inputs
from newsfuse.store import Store, StorySummary
from newsfuse.stories import top_entities, update_store
from newsfuse.writers import claims, render


@dataclass(frozen=True, slots=True)
class StoryRow:
    summary: StorySummary
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AddReport:
    added: int
    known: int


def brief(articles: Sequence[Article], settings: Settings, fmt: str) -> str:
    """The briefing of ``articles`` written as ``fmt`` (what ``newsfuse brief`` prints)."""
    return render(brief_articles(articles, settings), fmt)


def check(claim: str, articles: Sequence[Article], settings: Settings) -> str:
    """The claim check of ``articles`` as JSON (what ``newsfuse check --format json`` prints)."""
    return claims.render(check_claim(claim, articles, settings), "json")


def fetch(urls: Sequence[str], settings: Settings) -> ReadResult:
    """The articles of ``urls`` (pages, feeds, sitemaps), fetched as ``newsfuse brief URL``
    fetches them: public addresses only, unless the settings' ``[fetch] allow_hosts`` names
    the host."""
    return read_inputs(list(urls), web=Web(settings.fetch))


def warm(settings: Settings) -> bool:
    """Load the name model in this worker before the first request needs it."""
    if settings.entities.use_model and spacy_pipeline.available():
        spacy_pipeline.load()
        return True
    return False


def add(db: Path, articles: Sequence[Article]) -> AddReport:
    """Store ``articles`` (known ones are skipped) and assign the new ones to stories."""
    with Store(db) as store:
        report = store.ingest(articles)
        update_store(store)
    return AddReport(report.added, report.skipped)


def stories(db: Path, offset: int, limit: int) -> list[StoryRow]:
    """A page of the store's stories, largest first, with their most mentioned names."""
    with Store(db) as store:
        page = store.stories(offset + limit)[offset:]
        return [StoryRow(s, tuple(top_entities(store.story_articles(s.story)))) for s in page]


def story_articles(db: Path, story: int) -> list[Article]:
    with Store(db) as store:
        return store.story_articles(story)
