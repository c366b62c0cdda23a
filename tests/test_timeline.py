from datetime import date
from pathlib import Path

from newsfuse.clean import clean_articles
from newsfuse.readers import read_inputs
from newsfuse.timeline import extract, resolve

WED = date(2017, 4, 12)  # a Wednesday


def test_resolves_absolute_and_relative_dates() -> None:
    assert resolve("It happened on March 3, 2016 in the city.", WED) == "2016-03-03"
    assert resolve("The attack on April 4 killed dozens.", WED) == "2017-04-04"
    assert resolve("The talks on Wednesday were tense.", WED) == "2017-04-12"
    assert resolve("He spoke on Tuesday.", WED) == "2017-04-11"
    assert resolve("He spoke on Thursday.", WED) == "2017-04-06"
    assert resolve("It rained yesterday.", WED) == "2017-04-11"
    assert resolve("The strike last week changed everything.", WED) == "2017-W14"
    assert resolve("Two weeks ago the plan failed.", WED) == "2017-03-29"
    assert resolve("The plan from December 20 was dropped.", date(2017, 1, 5)) == "2016-12-20"


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve("The talks on Wednesday were tense.", None) is None
    assert resolve("The attack on April 4 killed dozens.", None, fallback=WED) == "2017-04-04"


def test_seed_timeline_is_ordered_and_resolved(seeds: Path) -> None:
    events = extract(clean_articles(read_inputs([seeds]).articles))
    dates = [e.date for e in events]
    assert "2017-04-12" in dates and "2017-04-04" in dates
    assert dates.index("2017-04-04") < dates.index("2017-04-12")
