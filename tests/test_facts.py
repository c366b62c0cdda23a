from pathlib import Path

from newsfuse.clean import clean_articles
from newsfuse.facts import Settings, extract, mentions_in
from newsfuse.model import Article
from newsfuse.readers import read_inputs


def facts_of(*texts: str):  # type: ignore[no-untyped-def]
    arts = [Article(id=f"s{i}", text=t) for i, t in enumerate(texts)]
    return extract(clean_articles(arts))


def test_mentions_carry_measure_and_interval() -> None:
    (m,) = mentions_in("The attack killed more than 80 people in the town.", "a", Settings())
    assert (m.measure, m.text, m.high) == ("people killed", "more than 80", float("inf"))
    assert m.low > 80
    (d,) = mentions_in("The meeting lasted almost two hours on Monday.", "a", Settings())
    assert d.measure == "length of the meeting" and d.text == "almost two hours"
    assert 1.5 < d.low < d.high < 2
    (money,) = mentions_in("They signed a $50 billion deal for oil rights.", "a", Settings())
    assert money.measure == "money (USD)" and money.low == 50e9


def test_years_days_and_times_are_not_quantities() -> None:
    text = "In 2013, on April 4 at 10:30, the 3rd meeting began in Room 12."
    assert mentions_in(text, "a", Settings()) == []


def test_conflict_and_consistent_bounds() -> None:
    facts = facts_of(
        "Officials said the blast killed 86 people on Tuesday in the market.",
        "The blast left more than 80 dead, the ministry said on Tuesday night.",
        "Hospital staff said the blast killed 89 people and injured many more.",
    )
    (killed,) = [f for f in facts if f.about == "people killed"]
    assert killed.conflict
    assert {v.value: v.sources for v in killed.values} == {
        "86": ("s0",),
        "more than 80": ("s1",),
        "89": ("s2",),
    }


def test_agreement_needs_two_sources_and_is_not_a_conflict() -> None:
    facts = facts_of(
        "The storm killed 12 people along the coast, officials said on Friday.",
        "At least 10 people were killed by the storm along the coast this week.",
    )
    (killed,) = facts
    assert not killed.conflict and len(killed.values) == 2


def test_seed_conflicts(seeds: Path) -> None:
    facts = extract(clean_articles(read_inputs([seeds]).articles))
    killed = next(f for f in facts if f.about == "people killed")
    values = {v.value for v in killed.values}
    assert killed.conflict and {"86", "89"} <= values
    meeting = next(f for f in facts if f.about.startswith("length of the meeting"))
    assert meeting.conflict


def test_points_in_time_and_percentages_are_not_counts_or_lengths() -> None:
    assert mentions_in("Ten years ago the talks failed in the capital.", "a", Settings()) == []
    assert mentions_in("Two hours later the meeting resumed.", "a", Settings()) == []
    assert mentions_in("A 16-year-old was killed in the crash.", "a", Settings()) == []
    (share,) = mentions_in("The firm holds a 10% stake in the new field.", "a", Settings())
    assert (share.measure, share.text) == ("percentage", "10%")
    (attacks,) = mentions_in(
        "It faced as many as two million cyber attacks a day.", "a", Settings()
    )
    assert attacks.measure == "number of cyber attacks"


def test_lengths_of_very_different_size_are_different_events() -> None:
    facts = facts_of(
        "The negotiators met for two hours on Monday in the capital.",
        "The negotiators have met for ten years without a deal in the capital.",
    )
    assert not any(f.conflict for f in facts)


def test_one_value_written_two_ways_is_one_value() -> None:
    facts = facts_of(
        "The talks lasted 10 hours before the two sides signed the deal.",
        "After ten hours of talks the two sides signed the deal.",
    )
    (length,) = facts
    assert not length.conflict and len(length.values) == 1
    assert length.values[0].sources == ("s0", "s1")


def test_two_shares_in_one_story_are_not_a_conflict() -> None:
    facts = facts_of("Home prices rose by about 50% while incomes climbed only 29% since 2020.")
    assert facts == ()
    facts = facts_of(
        "Turnout reached 64% in the city, officials said after the vote.",
        "Officials said turnout reached 61% in the city after the vote.",
    )
    (turnout,) = facts
    assert turnout.about == "percentage" and turnout.conflict
