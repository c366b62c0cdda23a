import newsfuse


def test_public_api_is_small_and_frozen() -> None:
    assert sorted(newsfuse.__all__) == [
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


def test_errors_form_one_tree() -> None:
    for name in ("InputError", "ConfigError", "StageError", "MissingModel"):
        assert issubclass(getattr(newsfuse, name), newsfuse.NewsfuseError)
