"""Settings for a whole run: defaults, then an optional TOML file, then command-line flags.

The TOML file has one table per stage, named like the stage modules::

    [summarize]
    words = 150
    redundancy = 0.45

    [clean]
    prose_min_words = 7

    [fetch]
    host_delay = 2.0
    allow_hosts = ["intranet.example", "10.0.0.0/8"]
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfuse import clean, entities, facts, quality, quotes, summarize, timeline
from newsfuse.errors import ConfigError
from newsfuse.fetch import settings as fetch


@dataclass(frozen=True, slots=True)
class Settings:
    clean: clean.Settings = field(default_factory=clean.Settings)
    summarize: summarize.Settings = field(default_factory=summarize.Settings)
    quality: quality.Settings = field(default_factory=quality.Settings)
    facts: facts.Settings = field(default_factory=facts.Settings)
    timeline: timeline.Settings = field(default_factory=timeline.Settings)
    entities: entities.Settings = field(default_factory=entities.Settings)
    quotes: quotes.Settings = field(default_factory=quotes.Settings)
    fetch: fetch.Settings = field(default_factory=fetch.Settings)

    def with_flags(
        self, *, words: int | None = None, focus: str | None = None, models: bool | None = None
    ) -> Settings:
        """These settings with the command-line flags that were given applied on top."""
        base = self
        if models is not None:
            base = dataclasses.replace(
                self,
                entities=dataclasses.replace(self.entities, use_model=models),
                quotes=dataclasses.replace(self.quotes, use_model=models),
            )
        changes: dict[str, Any] = {}
        if words is not None:
            if words <= 0:
                raise ConfigError(f"--words must be a positive number of words, not {words}")
            changes["words"] = words
        if focus is not None:
            changes["focus"] = focus.strip() or None
        return dataclasses.replace(base, summarize=dataclasses.replace(base.summarize, **changes))


_STAGES = ("quality", "facts", "timeline", "entities", "quotes", "fetch")


def load(path: str | Path | None) -> Settings:
    """Defaults, overridden by the TOML file at ``path`` when one is given."""
    settings = Settings()
    if path is None:
        return settings
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the settings file ({err})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err
    tables = {"clean", "summarize", "align", "support", *_STAGES}
    unknown = set(data) - tables
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}; use {sorted(tables)}")
    summ = _merge(settings.summarize, data.get("summarize", {}), f"{path} [summarize]")
    summ = dataclasses.replace(
        summ,
        align=_merge(summ.align, data.get("align", {}), f"{path} [align]"),
        support=_merge(summ.support, data.get("support", {}), f"{path} [support]"),
    )
    return Settings(
        clean=_merge(settings.clean, data.get("clean", {}), f"{path} [clean]"),
        summarize=summ,
        **{
            name: _merge(getattr(settings, name), data.get(name, {}), f"{path} [{name}]")
            for name in _STAGES
        },
    )


def _merge(base: Any, values: dict[str, Any], where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(base)}
    merged: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields or dataclasses.is_dataclass(getattr(base, key)):
            raise ConfigError(f"{where}: unknown setting {key!r}; known: {sorted(fields)}")
        current = getattr(base, key)
        if isinstance(current, tuple) and isinstance(value, list):  # TOML has lists only
            value = tuple(value)
        expected = type(current) if current is not None else str
        if expected is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != isinstance(current, bool):
            raise ConfigError(f"{where}: {key} must be {expected.__name__}, not {value!r}")
        merged[key] = value
    return dataclasses.replace(base, **merged)


__all__ = ["Settings", "load"]
