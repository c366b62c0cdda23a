"""Quotations: attribution patterns, speaker resolution, merging across sources."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse import quotes
from newsfuse.clean import clean_articles
from newsfuse.errors import MissingModel
from newsfuse.model import Article, CleanArticle, Quote
from newsfuse.nlp import spacy_pipeline as models
from newsfuse.readers import read_inputs

FAST = quotes.Settings(use_model=False)


def clean(ident: str, text: str) -> CleanArticle:
    return CleanArticle(Article(id=ident, text=text), text, 0, 0)


def one(text: str, settings: quotes.Settings = FAST) -> dict[str, str | None]:
    return {q.text: q.speaker for q in quotes.extract([clean("a", text)], settings)}


def test_comma_then_name_said() -> None:
    text = 'Anna Berg runs the port.\n"The ships will come back next year," Berg said.'
    assert one(text) == {"The ships will come back next year": "Anna Berg"}


def test_said_then_name() -> None:
    text = '"We expect a record harvest this autumn," said farmer Olu Adeyemi.'
    assert one(text) == {"We expect a record harvest this autumn": "Olu Adeyemi"}


def test_name_said_colon() -> None:
    text = 'Mayor Ines Duarte was clear. Duarte said: "No new towers will be built here."'
    assert one(text) == {"No new towers will be built here.": "Ines Duarte"}


def test_according_to() -> None:
    text = 'Pia Holm studied the lake.\nAccording to Holm, "the water has never been this warm."'
    assert one(text) == {"the water has never been this warm.": "Pia Holm"}


def test_pronoun_resolves_to_the_subject_of_the_previous_sentence() -> None:
    text = (
        "In a speech before meeting Carl Nyberg, Rita Moss said prices would fall.\n"
        '"The worst of the inflation is behind us now," she told state radio.'
    )
    assert one(text) == {"The worst of the inflation is behind us now": "Rita Moss"}


def test_title_resolves_to_the_person_introduced_with_it() -> None:
    text = (
        "Health Minister Jon Alvik visited the hospital.\n"
        '"Every ward will get two more nurses," said the minister.'
    )
    assert one(text) == {"Every ward will get two more nurses": "Jon Alvik"}


def test_any_verb_after_a_closing_comma_and_continuation() -> None:
    text = '"We lost a great deal of time today," Vera Lind lamented. "Tomorrow we start over."'
    assert one(text) == {
        "We lost a great deal of time today": "Vera Lind",
        "Tomorrow we start over.": "Vera Lind",
    }


def test_scare_quotes_and_unattributed_quotes_are_left_out() -> None:
    text = 'Critics called the plan "a joke". A sign read "Leave our park alone today please".'
    assert one(text) == {}


def test_a_naming_verb_gives_its_subject_not_its_object() -> None:
    text = 'Mayor Ines Duarte spoke.\nDuarte called Tom Reed "a builder who never finished a road."'
    assert one(text) == {"a builder who never finished a road.": "Ines Duarte"}


def test_a_passive_verb_speaks_through_its_agent() -> None:
    text = (
        "Tom Reed came on stage.\nReed was asked by host Lina Sørensen, "
        '"Will the bridge be finished before the winter comes?"'
    )
    assert one(text) == {"Will the bridge be finished before the winter comes?": "Lina Sørensen"}


def test_a_title_before_an_unknown_name_does_not_fall_to_an_earlier_holder() -> None:
    text = (
        "Sen. Carl Ovesen of Ohio opened the hearing.\n"
        '"We will vote on the budget next week," said Sen. Mirja Tallqvist of Maine.'
    )
    assert one(text) == {"We will vote on the budget next week": "Mirja Tallqvist"}


def test_an_indefinite_role_names_no_one() -> None:
    text = (
        "Farm Minister Jon Alvik spoke first.\n"
        '"The plan is the worst idea of the whole decade," said one minister.'
    )
    assert one(text) == {"The plan is the worst idea of the whole decade": None}


def test_a_paragraph_of_bare_quotation_takes_its_signature_or_its_announcer() -> None:
    text = (
        "Ines Duarte said the towers were a mistake from the start.\n\n"
        '"No new towers will be built on the river front."\n\n'
        "The council met on Monday.\n\n"
        '"We have fixed every broken street light in the old town."\n\n'
        "- Tom Reed, council leader."
    )
    assert one(text) == {
        "No new towers will be built on the river front.": "Ines Duarte",
        "We have fixed every broken street light in the old town.": "Tom Reed",
    }


def test_a_dash_line_about_someone_does_not_sign_the_quotation_above_it() -> None:
    text = (
        "Lawmakers met on Tuesday to debate the new budget for the city.\n\n"
        '"We will not accept a budget that cuts the schools again this year."\n\n'
        "- Tom Reed voted against the bill last year and says he will do so again."
    )
    quote = "We will not accept a budget that cuts the schools again this year."
    assert one(text).get(quote) is None  # left out, or shown without a speaker


def test_a_name_right_before_a_colon_speaks() -> None:
    text = 'Pollsters disagree - Kari Nygaard: "The late deciders broke for the challenger."'
    assert one(text) == {"The late deciders broke for the challenger.": "Kari Nygaard"}


def test_quote_text_is_verbatim_from_its_source() -> None:
    text = 'Lea Park spoke.\n"This is, frankly, the best result we could hope for," Park said.'
    (q,) = quotes.extract([clean("a", text)], FAST)
    assert text[q.start : q.end] == q.text and q.source == "a"


def test_garbled_copy_merges_and_the_cleanest_copy_gives_the_text() -> None:
    clean_copy = clean("a", '"There is a low level of trust between the two teams," Ed Moor said.')
    spun = clean("b", '"There is a low turn of trust between a dual teams," Ed Moor pronounced.')
    (q,) = quotes.extract([spun, clean_copy], FAST, noise={"a": 0.1, "b": 0.9})
    assert q == Quote(
        "Ed Moor",
        "There is a low level of trust between the two teams",
        ("a", "b"),
        "a",
        1,
        52,
    )


def test_duplicates_do_not_support_unless_alone() -> None:
    a = clean("a", '"We will build the new school by the spring," Ada Roe said.')
    b = clean("b", a.text)
    (q,) = quotes.extract([a, b], FAST, not_support=frozenset({"b"}))
    assert q.sources == ("a",)
    (q,) = quotes.extract([b], FAST, not_support=frozenset({"b"}))
    assert q.sources == ("b",)


def test_different_speakers_are_not_merged() -> None:
    a = clean("a", '"The budget will be balanced next year," Ada Roe said.')
    b = clean("b", '"The budget will be balanced next year," Ben Ito said.')
    assert {q.speaker for q in quotes.extract([a, b], FAST)} == {"Ada Roe", "Ben Ito"}


def test_similarity_separates_a_garbled_copy_from_another_quote() -> None:
    base = "the world cannot go on with this kind of relationship".split()
    garbled = "the universe cannot go on with this sort of attribute".split()
    other = "we will announce the new budget on friday morning".split()
    assert quotes.similarity(base, garbled) >= FAST.same > quotes.similarity(base, other)


# --- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles(seeds: object) -> tuple[CleanArticle, ...]:
    return clean_articles(read_inputs([str(seeds)]).articles)


def _seed_quotes(articles: list[CleanArticle], use_model: bool) -> tuple[Quote, ...]:
    spun = next(a.id for a in articles if a.id.startswith("001"))
    noise = {a.id: 0.9 if a.id == spun else 0.1 for a in articles}
    return quotes.extract(articles, quotes.Settings(use_model=use_model), noise=noise)


@pytest.mark.parametrize("use_model", [False, True])
def test_seed_trust_quotes_merge_across_sources(
    seed_articles: list[CleanArticle], use_model: bool
) -> None:
    if use_model:
        try:
            models.load()
        except MissingModel:
            pytest.skip("spaCy pipeline not installed")
    found = _seed_quotes(seed_articles, use_model)
    by_id = {a.id: a for a in seed_articles}
    for q in found:
        assert by_id[q.source].text[q.start : q.end] == q.text
    level = next(q for q in found if q.text.startswith("It can be said that the level of trust"))
    # "…," he told state broadcaster …: the pronoun resolves to the president named before it.
    assert level.speaker == "Vladimir Putin"
    assert [s[:3] for s in level.sources] == ["003", "004"]
    low = next(q for q in found if "low level of trust" in q.text or "low turn" in q.text)
    assert (
        low.text == "There is a low level of trust between our two countries"
    )  # not the spun copy
    assert low.speaker == "Rex Tillerson"
    assert [s[:3] for s in low.sources] == ["004", "001"]  # the cleanest first
    assert all(len(q.text.split()) >= 4 for q in found)
    assert {"Sergei Lavrov", "Maria Zakharova"} <= {q.speaker for q in found}


def test_an_acronym_is_never_the_speaker() -> None:
    a = clean(
        "a",
        "Jane Ortiz said the rules would change. That would stop people buying CDS on debt.\n"
        "\u201cIt is not justified to buy insurance on a purely speculative basis,\u201d she said.",
    )
    b = clean("b", "Traders said Cross Default Swaps were sold on Friday in the capital to banks.")
    found = quotes.extract([a, b], FAST)
    assert [q.speaker for q in found] == ["Jane Ortiz"]


# --- weak evidence, runs of quotations, pronouns --------------------------------------------


def test_a_quotation_with_an_unnamed_source_has_no_speaker() -> None:
    text = (
        "Governor Tom Reed opened the session.\n"
        '"The budget will not pass this week," a senior aide said.'
    )
    assert one(text) == {"The budget will not pass this week": None}


def test_a_paragraph_of_quotation_continues_the_previous_speaker() -> None:
    text = (
        "Senator Ada Lowe spoke in Dayton on Monday.\n\n"
        '"We will fix the roads before the winter," Lowe said.\n\n'
        '"And the bridges will follow in the spring."'
    )
    assert one(text) == {
        "We will fix the roads before the winter": "Ada Lowe",
        "And the bridges will follow in the spring.": "Ada Lowe",
    }


def test_a_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = (
        "Mark Bell met voters on Friday. He said he would win.\n"
        "Ruth Vance, his rival, answered the next day. She was in Ohio with her staff.\n"
        "Mark Bell stayed home.\n"
        '"Nobody in this state wants his tax plan," she said.'
    )
    assert one(text) == {"Nobody in this state wants his tax plan": "Ruth Vance"}


def test_the_verb_bounds_the_subject_after_a_closing_comma() -> None:
    text = '"We have waited long enough," Senate majority leader Jo Park told reporters.'
    assert one(text) == {"We have waited long enough": "Jo Park"}


def test_markdown_and_json_show_an_unattributed_quote() -> None:
    from newsfuse.model import Briefing, Source
    from newsfuse.writers import render

    source = Source("a", None, None, None, None, 10, 10)
    briefing = Briefing("t", (), (source,), quotes=(Quote(None, "It will rain all week", ("a",)),))
    assert "*(unattributed)*: “It will rain all week”" in render(briefing, "markdown")
    assert '"speaker": null' in render(briefing, "json")


def test_a_description_resolves_to_the_person_introduced_with_it_not_the_owner() -> None:
    for intro in ("Acme spokeswoman Jane Doe", "Jane Doe, a spokeswoman for Acme,"):
        text = (
            f"Acme owner Victor Hale bought the plant in May. {intro} confirmed the sale.\n"
            '"We will keep every worker on the payroll," the spokeswoman said.'
        )
        assert one(text) == {"We will keep every worker on the payroll": "Jane Doe"}


def test_a_pundit_is_not_replaced_by_the_candidate_the_article_is_about() -> None:
    text = (
        "Senator Ann Cole is running again. Cole spoke in Ohio on Monday.\n"
        '"The senator has no plan for the roads at all," a local pundit said.'
    )
    assert one(text) == {"The senator has no plan for the roads at all": None}


def test_a_pronoun_with_no_subject_to_point_to_is_left_unattributed() -> None:
    text = (
        "The plan was debated by Tom Hale and Rita Moss in committee.\n"
        '"We will need another year for this," he said.'
    )
    assert one(text) == {"We will need another year for this": None}


def test_a_sentence_whose_subject_is_the_same_pronoun_passes_its_antecedent_on() -> None:
    text = (
        "Ted Marsh is touring Iowa this week. He said he and Lena Ford differ on taxes. "
        'He also warned that "the deficit will grow every single year."'
    )
    assert one(text) == {"the deficit will grow every single year.": "Ted Marsh"}


def test_a_name_modifying_another_is_not_the_antecedent() -> None:
    text = (
        "Governor Dan Lee spoke first. Lee adviser Mara Quint spoke next.\n"
        '"We expect the votes by the end of the week," she said.'
    )
    assert one(text) == {"We expect the votes by the end of the week": "Mara Quint"}


def test_a_day_between_the_speaker_and_the_verb_is_not_the_speaker() -> None:
    text = 'Mayor Rosa Dunn on Friday declared the park "a place for every family in town."'
    assert one(text) == {"a place for every family in town.": "Rosa Dunn"}


def test_a_speaker_named_after_the_verb_later_in_the_sentence() -> None:
    text = 'The plan is "a gift to the richest families in town" and will fail, said Omar Reyes.'
    assert one(text) == {"a gift to the richest families in town": "Omar Reyes"}


def test_quotations_cued_by_an_unresolved_pronoun_are_still_reported() -> None:
    text = (
        'The vote failed on Tuesday.\n"Why would anyone vote for this plan?" she asked.\n'
        '"We lost the vote," he said. "We will try again next year."'
    )
    assert one(text) == {
        "Why would anyone vote for this plan?": None,
        "We lost the vote": None,
        "We will try again next year.": None,
    }


@given(st.text(alphabet=", \t\na.", max_size=12))
def test_the_aside_precheck_never_skips_a_stretch_the_pattern_could_end(tail: str) -> None:
    # the aside pattern ends in ",[ \t]*$" ($ also before a final line break): the cheap check
    # that skips its search must say yes wherever that end matches
    if re.search(r",[ \t]*$", tail):
        assert quotes._ends_with_comma(tail, 0, len(tail))


def test_a_role_slot_that_begins_inside_a_word_is_no_role() -> None:
    # the speaker search can cut its window inside a word ("QQspokesman"); the determiner
    # check then finds no role noun and answers no, where it raised ValueError before
    assert not quotes._indefinite("QQspokesman", 2, 11, "spokesman")
    assert quotes._indefinite("one spokesman", 4, 13, "spokesman")


@given(
    st.lists(st.sampled_from("abcdef"), max_size=12),
    st.lists(st.sampled_from("abcdefg"), max_size=12),
    st.sampled_from([0.3, 0.5, 0.8]),
)
def test_the_merge_prefilter_bounds_as_the_counters_intersection_does(
    x: list[str], y: list[str], threshold: float
) -> None:
    from collections import Counter

    a, b = Counter(x), Counter(y)
    shared, shorter = (a & b).total(), min(len(x), len(y))
    ratio = 2 * shared / (len(x) + len(y)) if x or y else 0.0
    bound = max(ratio, shared / shorter if shorter >= 8 else 0.0)
    assert quotes._may_match(a, b, threshold) == (bound >= threshold)
