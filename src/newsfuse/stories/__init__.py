"""Stories: which articles report the same news story.

``core.py`` is the algorithm (pure vectorize, sequential assign); ``local.py`` and ``dask.py``
run it in this process or on a Dask cluster and give the same answer. This module streams
articles through a runner in chunks, from an iterable or from a `Store`.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newsfuse.model import Article
from newsfuse.store import Store, Stored
from newsfuse.stories import local
from newsfuse.stories.core import Settings, StoryIndex, entities

Runner = Callable[[Iterable[Sequence[Article]], StoryIndex], Iterator[list[int]]]
Progress = Callable[[int], None]

STATE = "stories"  # name of the saved index in the store
CHECKPOINT = 100_000  # articles between saves of the index during a long store run


@dataclass(frozen=True, slots=True)
class Run:
    """How to run the clustering: algorithm settings, runner, chunk size."""

    settings: Settings = field(default_factory=Settings)
    runner: Runner = local.cluster
    chunk_size: int = 2000


def assign_stories(
    articles: Iterable[Article], run: Run | None = None, on_progress: Progress | None = None
) -> Iterator[int]:
    """The story id of each article, in order (ids count from 0 in order of creation)."""
    run = run or Run()
    index = StoryIndex(run.settings)
    for stories in run.runner(_chunks(articles, run.chunk_size), index):
        if on_progress:
            on_progress(len(stories))
        yield from stories


def update_store(store: Store, run: Run | None = None, on_progress: Progress | None = None) -> int:
    """Assign every article of ``store`` that has no story yet, continuing the saved index.
    Returns how many were assigned. Stopped at any point, the next run resumes consistently."""
    run = run or Run()
    state, last = store.load_state(STATE)
    index = StoryIndex.from_bytes(state, run.settings) if state else StoryIndex(run.settings)
    seqs: deque[list[int]] = deque()
    done = since_save = 0
    for stories in run.runner(_stored_chunks(store, last, run.chunk_size, seqs), index):
        chunk = seqs.popleft()
        store.assign(list(zip(chunk, stories, strict=True)))
        done, since_save = done + len(stories), since_save + len(stories)
        if since_save >= CHECKPOINT:
            store.save_state(STATE, index.to_bytes(), chunk[-1])
            since_save = 0
        if on_progress:
            on_progress(len(stories))
        last = chunk[-1]
    if done:
        store.save_state(STATE, index.to_bytes(), last)
    return done


def top_entities(articles: Iterable[Article], n: int = 3) -> list[str]:
    """The most mentioned entity-proxy spans of ``articles`` (the first seen on a tie)."""
    counts = Counter(e for a in articles for e in entities(f"{a.title or ''}.\n{a.text}"))
    return [name for name, _ in counts.most_common(n)]


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _stored_chunks(
    store: Store, after: int, size: int, seqs: deque[list[int]]
) -> Iterator[list[Article]]:
    """Chunks of unassigned articles; each chunk's seqs are queued for the consumer."""
    stored: Iterator[Stored] = store.articles(after=after)
    while chunk := list(itertools.islice(stored, size)):
        seqs.append([s.seq for s in chunk])
        yield [s.article for s in chunk]


__all__ = ["Run", "Settings", "StoryIndex", "assign_stories", "top_entities", "update_store"]
