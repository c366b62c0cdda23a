"""newsfuse: one faithful, cited briefing from many outlets' coverage of one news event."""

from typing import TYPE_CHECKING, Any

from newsfuse.errors import ConfigError, InputError, MissingModel, NewsfuseError, StageError
from newsfuse.model import Article, Briefing, Source, SummarySentence

if TYPE_CHECKING:
    from newsfuse.pipeline import brief
    from newsfuse.readers import read_inputs

__all__ = [
    "Article",
    "Briefing",
    "ConfigError",
    "InputError",
    "MissingModel",
    "NewsfuseError",
    "Source",
    "StageError",
    "SummarySentence",
    "brief",
    "read_inputs",
]


def __getattr__(name: str) -> Any:
    """``brief`` and ``read_inputs`` load the pipeline (SciPy, the HTML extractor) on first
    use, so that ``import newsfuse`` and a CLI command that needs neither start fast."""
    if name == "brief":
        from newsfuse.pipeline import brief

        return brief
    if name == "read_inputs":
        from newsfuse.readers import read_inputs

        return read_inputs
    raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
