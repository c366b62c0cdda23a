from pathlib import Path

from newsfuse.clean import clean_article, clean_articles
from newsfuse.readers import read_inputs
from tests.conftest import PROSE, article

# Lines of the sample articles that are not article text (navigation, captions, credits,
# prompts, notices, reader comments). The code knows none of them.
SEED_JUNK = [
    "This article is more than",
    "Photograph: Sergei Chirikov/EPA",
    "Read More (...)",
    "Click here to remain logged",
    "E-mail stories@",
    "Getty Image",
    "Skip to content",
    "Skip next section",
    "Image: picture-alliance",
    "es/rt (AP, Reuters)",
    "USA Russland Tillerson Bei Lawrow",
    "at left … Russian President Vladimir Putin right",
    "Trump needs to stand up for American interests",
    "thanks for your excellent comment",
    "Reblogged this on",
    "I hope to repay the kindness",
    "Most humbly, Thank You.",
    "is everybody’s guess",
    "×",
]
SEED_BODY = [
    "Tillerson went to the Kremlin in the early evening local time",
    "Lavrov lamented.",
    "Putin reportedly kept Tillerson waiting for several hours",
    "Russia has supported President Assad's claim",
    "ExxonMobil’s $50 billion deal",
    "Lavrov, echoing past denials of any Russian hacking",
    "All’s well that ends well though",
]


def cleaned_seeds(seeds: Path) -> dict[str, str]:
    return {c.id: c.text for c in clean_articles(read_inputs([seeds]).articles)}


def test_seed_junk_and_comments_are_removed(seeds: Path) -> None:
    text = "\n".join(cleaned_seeds(seeds).values())
    left = [junk for junk in SEED_JUNK if junk in text]
    assert left == []


def test_seed_body_is_kept(seeds: Path) -> None:
    text = "\n".join(cleaned_seeds(seeds).values())
    assert [line for line in SEED_BODY if line not in text] == []


def test_seed_ledger_from_text(seeds: Path) -> None:
    by_id = {c.id: c for c in clean_articles(read_inputs([seeds]).articles)}
    guardian = next(c for i, c in by_id.items() if i.startswith("000"))
    assert guardian.article.outlet == "The Guardian"
    assert guardian.article.published == "2017-04-12"
    assert guardian.article.title is not None and guardian.article.title.startswith("Putin meets")
    assert guardian.words_in > guardian.words_kept > 0.5 * guardian.words_in


def test_generic_chrome_is_removed_and_prose_kept() -> None:
    noisy = "\n".join(
        [
            "Home | World | Business | Sport",
            "Accept cookies to continue",
            PROSE[0],
            "Share on Facebook",
            "A protester holds a sign outside city hall on Tuesday Photo: Jane Roe/AP",
            PROSE[1],
            PROSE[1],
            "Sign up for our morning newsletter",
            PROSE[2],
            PROSE[3],
            "Related stories",
            "Follow us on Twitter: https://example.com/city",
        ]
    )
    c = clean_article(article(text=noisy))
    assert c.text.split("\n") == [PROSE[0], PROSE[1], PROSE[2], PROSE[3]]
    assert c.words_kept < c.words_in
    assert "Accept cookies to continue" in c.removed


def test_text_of_embedded_players_is_removed_even_when_it_reads_like_prose() -> None:
    widgets = [
        "Rating is available when the video has been rented.",
        "This feature is not available right now. Please try again later.",
        "The interactive transcript could not be loaded.",
        "Story continues below advertisement",
        "Click here to see the fifty most read reports of the year in one place.",
        "Sign up for the morning briefing and get the latest news, every day, in your inbox.",
        "EMBED More News Videos The mayor speaks to reporters outside the town hall.",
    ]
    noisy = "\n".join([PROSE[0], *widgets[:2], PROSE[1], *widgets[2:], PROSE[2]])
    c = clean_article(article(text=noisy))
    assert c.text.split("\n") == [PROSE[0], PROSE[1], PROSE[2]]
    assert set(widgets) <= set(c.removed)


def test_comment_section_after_body_is_cut() -> None:
    comments = [
        "I think this is a terrible decision and we should all vote them out next year.",
        "Mark, thanks for your comment! You make a great point.",
        "I agree with you. My taxes went up again and nobody asked me.",
    ]
    c = clean_article(article(text="\n".join([*PROSE, *comments])))
    assert c.text.split("\n") == list(PROSE)


def test_quoted_first_person_is_not_a_comment() -> None:
    quotes = [
        '"We will fix every road in this city," the mayor said at the meeting on Tuesday.',
        '"I am proud of what we did," she told reporters after the vote was counted.',
    ]
    c = clean_article(article(text="\n".join([*PROSE, *quotes])))
    assert c.text.split("\n") == [*PROSE, *quotes]


def test_shared_chrome_across_the_cluster_is_removed() -> None:
    a = article("a", "\n".join([PROSE[0], "Breaking Coverage From Our Desk Today", PROSE[1]]))
    b = article("b", "\n".join([PROSE[2], "Breaking Coverage From Our Desk Today", PROSE[3]]))
    assert all("Breaking" not in c.text for c in clean_articles([a, b]))


def test_hard_wrapped_sentence_is_joined() -> None:
    c = clean_article(
        article(text=PROSE[0] + "\nThe council said it was of the\nutmost importance to act.")
    )
    assert "it was of the utmost importance to act." in c.text


def test_empty_and_all_junk() -> None:
    c = clean_article(article(text="Menu\nLogin\nSubscribe"))
    assert c.text == "" and c.words_kept == 0 and c.words_in == 3


def test_an_article_sent_as_one_paragraph_with_a_trailer_is_kept() -> None:
    body = " ".join(PROSE * 3) + " Picture, Page 14"
    c = clean_article(article(text=body))
    assert c.text == body


def test_a_gallery_caption_with_a_credit_is_not_running_text() -> None:
    caption = " ".join(PROSE[:3]) + " AP Photo/Jane Roe"
    c = clean_article(article(text="\n".join([*PROSE[2:], caption])))
    assert c.text.split("\n") == list(PROSE[2:])


def test_captions_and_prompts_go_even_when_they_read_as_prose_and_related_links_go() -> None:
    junk = [
        "The mayor waves to supporters as she leaves the rally on Saturday in Springfield, Ill. "
        "(AP Photo/Jane Roe) (Associated Press)",
        "A heron stands in the shallow water of the lake at dawn. (Photo: John Doe, Getty Images)",
        "Jane Roe is a staff writer. Follow her on Twitter @janeroe. Originally published on "
        "Example.com.",
        "Morning Briefing Newsletter: Sign up to get the latest news delivered to your inbox.",
        "Related: Five things to know about the new budget",
    ]
    kept = [
        "The two families are related: most of them are cousins who share the same name here.",
        "He said the photo was taken in 2010 (the photographer asked not to be named).",
        "The study, originally published in a journal in 2015, found the same effect again.",
        "More than 80 million people follow the president on Twitter, where he posts daily.",
        '"Follow us on this journey," the founder told the crowd at the opening on Monday.',
        "He paid for all of it in cash, he said. (Credit card balances grew fastest.)",
        "Shares of the lender rose two percent on the news (Credit Suisse).",
    ]
    text = "\n".join([PROSE[0], *junk[:3], PROSE[1], *kept, *junk[3:], PROSE[2]])
    c = clean_article(article(text=text))
    assert c.text.split("\n") == [PROSE[0], PROSE[1], *kept, PROSE[2]]
    assert set(junk) <= set(c.removed)


def test_a_long_paragraph_ending_in_an_image_credit_is_kept() -> None:
    body = " ".join(PROSE * 4) + " (Image courtesy of the city archive.)"
    c = clean_article(article(text=f"{PROSE[0]}\n{body}"))
    assert body in c.text.split("\n")


def test_character_references_are_decoded() -> None:
    text = f"{PROSE[0]} AT&amp;T said it wouldn&#8217;t comment on R&D; the end.\n{PROSE[1]}"
    c = clean_article(article(text=text))
    assert "AT&T said it wouldn’t comment on R&D; the end." in c.text


def test_the_kept_text_carries_its_lower_cased_words(seeds: Path) -> None:
    from newsfuse.text import words

    read = read_inputs([seeds]).articles
    for c in clean_articles(read):
        assert c.lowered == " ".join(words(c.text)).lower()
    # the title repeated as the body's first line is dropped, and its words with it
    titled = clean_article(
        article(text="Council Votes Today\n" + PROSE[0], title="Council Votes Today")
    )
    assert not titled.text.startswith("Council")
    assert titled.lowered == " ".join(words(titled.text)).lower()
