from pathlib import Path

import pytest

from newsfuse import config
from newsfuse.errors import ConfigError


def test_defaults_then_toml_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "nf.toml"
    path.write_text(
        "[summarize]\nwords = 90\nredundancy = 0.4\n[support]\nthreshold = 0.5\n"
        "[clean]\nprose_min_words = 7\n"
    )
    settings = config.load(path)
    assert (settings.summarize.words, settings.summarize.redundancy) == (90, 0.4)
    assert settings.summarize.support.threshold == 0.5 and settings.clean.prose_min_words == 7
    flagged = settings.with_flags(words=50, focus="  who won?  ")
    assert (flagged.summarize.words, flagged.summarize.focus) == (50, "who won?")
    assert flagged.summarize.redundancy == 0.4


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[summarize]\nwordz = 3\n", "unknown setting 'wordz'"),
        ("[summarize]\nwords = 'many'\n", "words must be int"),
        ("[other]\n", "unknown table"),
        ("not = [valid", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_file(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message) as err:
        config.load(path)
    assert "bad.toml" in str(err.value)
