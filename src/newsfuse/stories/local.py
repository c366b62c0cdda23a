"""The in-process runner: vectorize and assign each chunk in this process."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from newsfuse.model import Article
from newsfuse.stories.core import StoryIndex, vectorize


def cluster(chunks: Iterable[Sequence[Article]], index: StoryIndex) -> Iterator[list[int]]:
    """The story of every article, one list per input chunk, in order."""
    for chunk in chunks:
        yield index.assign_all(vectorize(chunk))


__all__ = ["cluster"]
