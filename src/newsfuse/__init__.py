"""newsfuse: one faithful, cited briefing from many outlets' coverage of one news event."""

from newsfuse.errors import ConfigError, InputError, MissingModel, NewsfuseError, StageError
from newsfuse.model import Article, Briefing, Source, SummarySentence
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
