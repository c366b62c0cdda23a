from datetime import date
from pathlib import Path

from newsfuse.clean import clean_articles
from newsfuse.config import Settings
from newsfuse.model import Article, CleanArticle
from newsfuse.pipeline import brief
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


def test_letters_that_fold_to_ascii_are_not_dates() -> None:
    # case-insensitive patterns take "İ" and "ſ" for "i" and "s"; the look-ups after them must
    # not fail: such words are no dates (before: KeyError and AttributeError, no briefing)
    assert resolve("The plan failed fİve days ago.", WED) is None
    assert resolve("The strike laſt week changed nothing.", WED) is None
    assert resolve("It was signed on ſept 3, 2016 in the city.", WED) is None
    assert resolve("It was signed on Sept 3, 2016 in the city.", WED) == "2016-09-03"


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve("The talks on Wednesday were tense.", None) is None
    assert resolve("The attack on April 4 killed dozens.", None, fallback=WED) == "2017-04-04"


def test_seed_timeline_is_ordered_and_resolved(seeds: Path) -> None:
    events = extract(clean_articles(read_inputs([seeds]).articles))
    dates = [e.date for e in events]
    assert "2017-04-12" in dates and "2017-04-04" in dates
    assert dates.index("2017-04-04") < dates.index("2017-04-12")


def _clean(*texts: str) -> list[CleanArticle]:
    arts = [Article(f"s{i}", t, published="2020-05-06") for i, t in enumerate(texts)]
    return list(clean_articles(arts))


def test_copies_fill_gaps_but_garbled_sources_never_speak() -> None:
    plain = "The council voted on March 3, 2020 to close the old bridge for repairs."
    copy = "Engineers first inspected the bridge on February 10, 2020 after a flood."
    spun = "A assembly polled on January 2, 2020 to shut a aged overpass for mending."
    articles = _clean(plain, copy, spun)
    events = extract(articles, not_wording=frozenset({"s1"}), garbled=frozenset({"s2"}))
    assert {e.source for e in events} == {"s0", "s1"}  # the copy gives a date no one else has
    assert "2020-01-02" not in {e.date for e in events}


def test_no_timeline_event_comes_from_a_spun_source(seeds: Path) -> None:
    briefing = brief([seeds], settings=Settings().with_flags(models=False))
    spun = {s.id for s in briefing.sources if "spun" in s.flags}
    assert spun, "the seeds hold a spun copy"
    assert briefing.timeline and not {e.source for e in briefing.timeline} & spun
