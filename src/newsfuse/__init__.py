"""newsfuse: one faithful, cited briefing from many outlets' coverage of one news event."""

from typing import TYPE_CHECKING, Any

from newsfuse.errors import ConfigError, InputError, MissingModel, NewsfuseError, StageError
from newsfuse.model import Article, Briefing, ClaimCheck, Source, SummarySentence

if TYPE_CHECKING:
    from newsfuse.pipeline import brief, check
    from newsfuse.readers import read_inputs

__all__ = [
    "Article",
    "Briefing",
    "ClaimCheck",
    "ConfigError",
    "InputError",
    "MissingModel",
    "NewsfuseError",
    "Source",
    "StageError",
    "SummarySentence",
    "brief",
    "check",
    "read_inputs",
]


def __getattr__(name: str) -> Any:
    """``brief``, ``check`` and ``read_inputs`` load the pipeline (SciPy, the HTML extractor)
    on first use, so that ``import newsfuse`` and a CLI command that needs none starts fast."""
    if name in ("brief", "check"):
        from newsfuse import pipeline

        return getattr(pipeline, name)
    if name == "read_inputs":
        from newsfuse.readers import read_inputs

        return read_inputs
    raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
