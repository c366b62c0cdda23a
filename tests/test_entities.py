"""Entities: people, organisations and places with per-source counts, variants merged."""

from __future__ import annotations

import sys

import pytest

from newsfuse import entities
from newsfuse.clean import clean_articles
from newsfuse.errors import MissingModel
from newsfuse.model import Article, CleanArticle, Entity
from newsfuse.nlp import places
from newsfuse.nlp import spacy_pipeline as models
from newsfuse.readers import read_inputs

FAST = entities.Settings(use_model=False, limit=None)


def clean(ident: str, text: str) -> CleanArticle:
    return CleanArticle(Article(id=ident, text=text), text, 0, 0)


def by_name(found: tuple[Entity, ...]) -> dict[str, Entity]:
    return {e.name: e for e in found}


def test_surname_and_transliterated_first_name_merge_with_the_full_name() -> None:
    a = clean("a", "Foreign Minister Sergei Volkov met reporters in Oslo. Volkov smiled.")
    b = clean("b", "Sergey Volkov arrived in Oslo on Friday, and Volkov left at noon.")
    found = by_name(entities.extract([a, b], FAST))
    assert found["Sergei Volkov"].label == "PERSON"
    assert found["Sergei Volkov"].counts == (("a", 2), ("b", 2))
    assert found["Oslo"].label == "PLACE"


def test_acronym_merges_with_the_name_it_abbreviates() -> None:
    a = clean("a", "The United States said the talks in Geneva went well.")
    b = clean("b", "Officials from the U.S. arrived in Geneva. The US delegation was large.")
    found = by_name(entities.extract([a, b], FAST))
    assert found["United States"].counts == (("a", 1), ("b", 2))
    assert "US" not in found and "U.S." not in found


def test_sorted_by_sources_then_mentions_and_limited() -> None:
    a = clean("a", "Nora Quist spoke in Lyon. Quist spoke again. Quist left.")
    b = clean("b", "Lyon was quiet while Nora Quist spoke.")
    found = entities.extract([a, b], entities.Settings(use_model=False, limit=1))
    assert [e.name for e in found] == ["Nora Quist"]


def test_titles_openers_and_demonyms_are_not_entities() -> None:
    a = clean("a", "Furthermore, Kenyan officials met in Kenya. The Secretary of State came.")
    names = {e.name for e in entities.extract([a], FAST)}
    assert names == {"Kenya"}


def test_slugs_and_dates_are_not_entities() -> None:
    a = clean(
        "a",
        "FOR RELEASE FRIDAY NOV. 15 The council met Sara Lund in Bergen on Oct. 3.\n"
        "THE CITY DESK The council and Sara Lund agreed on Dec. 1 to rebuild the old pier.",
    )
    found = by_name(entities.extract([a], FAST))
    assert "Sara Lund" in found and "Bergen" in found
    assert not {"Oct", "Dec", "FOR RELEASE FRIDAY NOV", "THE CITY DESK"} & set(found)


def test_quantifiers_and_titles_are_not_part_of_a_name() -> None:
    a = clean(
        "a",
        "Many Twitter users mocked the plan. Principal Ryan Marsh praised the students.\n"
        "Sheriff Leon Hart said the school was safe, and Ryan Marsh agreed with Leon Hart.",
    )
    found = by_name(entities.extract([a], FAST))
    assert {"Ryan Marsh", "Leon Hart"} <= set(found)
    assert not {"Many Twitter", "Principal Ryan Marsh", "Sheriff Leon Hart"} & set(found)


def test_a_sentence_opener_is_not_part_of_the_name_after_it() -> None:
    a = clean(
        "a",
        "Although Ryan Marsh spoke first, the vote was delayed. Unlike Bergen, Oslo agreed.\n"
        "Despite Leon Hart's warning the council met. Per Lund, a Swede, chaired the vote.",
    )
    found = by_name(entities.extract([a], FAST))
    assert {"Ryan Marsh", "Bergen", "Leon Hart", "Per Lund"} <= set(found)
    assert not {"Although Ryan Marsh", "Unlike Bergen", "Despite Leon Hart"} & set(found)


def test_a_person_of_a_place_is_two_names_and_an_institution_stays_whole() -> None:
    a = clean(
        "a",
        "Senator Ann Rowe of Vermont voted on Monday. The Federal Bureau of Investigation and "
        "the Baseball Hall of Fame said nothing.\nGrete Lund of Oslo Metro spoke later, and "
        "Mr. John Smith of Acme Motor Company too.",
    )
    b = clean(
        "b",
        "Ann Rowe voted first. Grete Lund spoke for Oslo Metro. The Federal Bureau and the "
        "Baseball Hall said nothing. Smith spoke for Acme Motor Company. John Smith left.",
    )
    found = by_name(entities.extract([a, b], FAST))
    assert {"Ann Rowe", "Vermont", "Grete Lund", "Oslo Metro", "John Smith"} <= set(found)
    assert {"Federal Bureau of Investigation", "Baseball Hall of Fame"} <= set(found)
    assert not {"Ann Rowe of Vermont", "Grete Lund of Oslo Metro"} & set(found)
    assert found["Ann Rowe"].label == "PERSON" and found["Ann Rowe"].counts == (("a", 1), ("b", 1))
    assert found["John Smith"].label == "PERSON"  # not the label of "John Smith of Acme ..."


def test_places_of_the_table_are_places_without_a_cue() -> None:
    a = clean(
        "a",
        "The rules that Beijing announced on Monday were strict. Talks with Kenya went on.\n"
        "The deal was fair, Jordan said. Tomsk Ventures declined to comment.",
    )
    found = by_name(entities.extract([a], FAST))
    assert found["Beijing"].label == found["Kenya"].label == "PLACE"
    assert found["Jordan"].label == "PERSON"  # every mention cues a person
    assert found["Tomsk Ventures"].label != "PLACE"  # the name, not a word of it, is looked up


def test_a_surname_that_is_also_a_place_stays_with_its_person() -> None:
    a = clean("a", "The letter that Dan Lima wrote was read out on Monday.")
    b = clean("b", "The critics who met Lima left early.")
    found = by_name(entities.extract([a, b], FAST))
    assert "Lima" not in found
    assert found["Dan Lima"].label == "PERSON" and found["Dan Lima"].total == 2


def test_without_the_table_of_places_names_are_labelled_from_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "countryinfo", None)  # not installed
    places.names.cache_clear()  # the table is read once per process: read it again
    try:
        a = clean("a", "The rules that Beijing announced were strict. Officials in Kenya agreed.")
        found = by_name(entities.extract([a], FAST))
        assert found["Kenya"].label == "PLACE" and found["Beijing"].label == "ORG"
    finally:
        places.names.cache_clear()


def test_a_word_that_opens_a_persons_name_is_a_person() -> None:
    a = clean("a", "The letter that Amy Lund wrote was read out. Later that day Amy smiled.")
    b = clean("b", "Investors sold Vantor stock on Monday. Analysts expect Vantor to recover.")
    found = by_name(entities.extract([a, b], FAST))
    assert found["Amy"].label == "PERSON"
    assert found["Vantor"].label == "ORG"


def test_names_that_look_like_contractions_are_names() -> None:
    a = clean(
        "a",
        "Party spokesman Don Alvesson said the vote was fair. Council member Rhys O’Donnell "
        "agreed with Don Alvesson, and O’Donnell said so twice. They don’t expect a recount.",
    )
    found = by_name(entities.extract([a], FAST))
    assert {"Don Alvesson", "Rhys O’Donnell"} <= set(found)
    assert "Alvesson" not in found


def test_missing_model_falls_back_to_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(name: str = models.ENGLISH) -> object:
        raise MissingModel("not installed")

    monkeypatch.setattr(models, "load", absent)
    a = clean("a", "Ada Lund spoke in Riga. Lund left.")
    assert by_name(entities.extract([a]))["Ada Lund"].counts == (("a", 2),)


def test_models_load_raises_missing_model_with_a_hint() -> None:
    with pytest.raises(MissingModel, match="pip install"):
        models.load("newsfuse_no_such_pipeline")


# --- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles(seeds: object) -> list[CleanArticle]:
    return clean_articles(read_inputs([str(seeds)]).articles)


@pytest.mark.parametrize("use_model", [False, True])
def test_seed_entities(seed_articles: list[CleanArticle], use_model: bool) -> None:
    if use_model:
        try:
            models.load()
        except MissingModel:
            pytest.skip("spaCy pipeline not installed")
    found = entities.extract(seed_articles, entities.Settings(use_model=use_model, limit=12))
    top = by_name(found)
    people = {"Rex Tillerson", "Vladimir Putin", "Sergei Lavrov", "Bashar al-Assad"}
    assert people <= {e.name for e in found if e.label == "PERSON"}
    assert {"Russia", "Moscow", "Syria", "United States"} <= {
        e.name for e in found if e.label == "PLACE"
    }
    assert top["Rex Tillerson"].counts[0][0] == seed_articles[0].id
    assert len(top["Rex Tillerson"].counts) == 5  # every seed names him
    assert "Sergey Lavrov" not in top and "Lavrov" not in top  # variants merged
    ranks = [(-len(e.counts), -e.total, e.name) for e in found]
    assert ranks == sorted(ranks)


def test_the_model_reads_the_lead_only_and_the_rest_keeps_its_labels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    try:
        models.load()
    except MissingModel:
        pytest.skip("spaCy pipeline not installed")
    read: list[str] = []
    parse_texts = models.parse_texts

    def spy(texts: list[str], name: str = models.ENGLISH) -> tuple[object, ...]:
        read.extend(texts)
        return parse_texts(texts, name)

    monkeypatch.setattr(models, "parse_texts", spy)
    lead = "Maria Okafor, the chief executive of Northwind Bank, arrived in Lagos on Monday."
    middle = "The bank had lost money for three years in a row before the merger talks began."
    quote = '"We will grow again," Okafor said at a meeting of the board.'
    late = "Later that week Okafor flew from Lagos to Nairobi for more talks with Northwind Bank."
    text = "\n".join([lead, middle, middle.replace("three", "four"), quote, late])
    settings = entities.Settings(limit=None, model_lead=1)
    mentions = entities.find_mentions([clean("a", text)], settings)[0]
    assert read == [lead]  # the lead only
    late_start = text.index(late)
    labels = {m.text: m.label for m in mentions if m.start >= late_start}
    assert labels["Okafor"] == "PERSON" and labels["Lagos"] == "PLACE"
    assert labels["Northwind Bank"] == "ORG"
