"""Boilerplate and comment-section removal on already-extracted article text.

Extractors (trafilatura for HTML, or whoever produced a .txt) leave lines that are not the
article: navigation, share and "read more" prompts, photo captions and credits, age notices,
newsletter and contact prompts, and reader comments after the body. This stage decides line by
line, with a feature model rather than site rules:

1. Lines are paragraphs; a line broken inside a sentence is joined to its continuation.
2. Each line gets features: words, stop-word density, closing punctuation, links and e-mail
   addresses, list markers, web-chrome vocabulary, a photo-credit shape, repetition inside the
   article and across the other articles of the cluster, and its position relative to the
   first and last line of running prose.
3. A line is kept when it is prose, or a short heading inside the body; everything else is
   junk. Metadata lines at the head (a date, ``Source: Outlet``) fill the ledger instead.
4. A comment section is found as a change point: the suffix whose lines read as readers
   talking (first and second person outside quotation marks, thanks and replies, no reporting
   verbs) while the text before it reads as reporting. It is cut whole.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from newsfuse import segment
from newsfuse.model import Article, CleanArticle
from newsfuse.text import (
    STOP_WORDS,
    ends_like_sentence,
    find_date,
    looks_like_headline,
    opens_with_prompt,
    word_count,
    words,
)


@dataclass(frozen=True, slots=True)
class Settings:
    # Running prose: at least this many words, closing punctuation, normal stop-word density.
    prose_min_words: int = 8
    prose_min_stop_share: float = 0.2
    # A short sentence or a heading needs this stop-word share (a menu or a tag list has none).
    short_min_stop_share: float = 0.15
    # The stop words are English. Below this share over the whole text, the text is in another
    # language and stop-word density says nothing about a line: the tests that use it are off.
    # Over the 2,520 pages the extraction gold sets yield, mostly-ASCII pages (nearly all
    # English) score 0.29 or more at the 5th percentile, pages in other scripts or languages
    # 0.00-0.11 (only stray English words count); 29 pages fall under this value, nearly all
    # not English, a few bare menus.
    english_min_stop_share: float = 0.12
    # An unpunctuated line this long is a caption or stand-first, not a heading.
    heading_max_words: int = 10
    # A short line found in this many other articles of the cluster is shared boilerplate.
    shared_min_articles: int = 2
    # Comment section: per-line score threshold and required margin over the body.
    comment_line_threshold: float = 0.35
    comment_min_lines: int = 2
    comment_min_margin: float = 0.3
    # ...and this share of its lines must carry a cue of a reader thread (thanks, replies,
    # timestamps): about one line in three, a comment beside its "Reply" or time line. Without
    # it a first-person essay, review or guide reads like comments: on the extraction gold
    # sets (bench/extraction.py) 257 of 273 tails cut on voice alone were mostly article text.
    comment_min_thread_share: float = 0.3
    # An article's text is cut at this many characters (at a line end) before cleaning: the
    # longest of the 2,979 benchmark articles (../shared/data/summarization) has 49,746, and
    # the stages after cleaning compare sentences pairwise (4,000 copies of one sentence in
    # 100,000 characters: 16M pairs, 28 s), so a 50 MB "article" must not reach them whole.
    max_chars: int = 100_000


# Vocabulary of web chrome: share/subscribe/login prompts, navigation, cookie and age notices.
# These are properties of web pages in general (as in jusText's and trafilatura's lists).
_CHROME = re.compile(
    r"\b(read more|read next|click here|skip to|skip next|sign up|sign in|log ?in|logged|"
    r"subscribe|newsletter|cookies?|privacy policy|terms of (use|service)|all rights reserved|"
    r"share (this|on|via)|follow us|advertisement|sponsored|related (articles|stories)|"
    r"more stories|top stor(y|ies)|most (read|popular|viewed)|recommended|comments?\b|related:|"
    r"reply|whatsapp|facebook|twitter|pinterest|linkedin|instagram|e-?mail( us| this)?|"
    r"contact us|download (the|our) app|more than \w+ years? old|years? old\W*$|"
    r"timeout|javascript|browser|tap here|see also|watch:|video:|listen:|"
    r"copyright|©|\(c\) \d{4})",
    re.IGNORECASE,
)
# Text of embedded players and widgets (video, social posts, audio captions) and of page errors:
# written as whole sentences, so unlike the vocabulary above it is dropped even when a short
# line reads like prose ("This feature is not available right now. Please try again later.").
_EMBED = re.compile(
    r"\b(tweet with a location|add a location to your tweets|toggle caption|"
    r"story continues below|continue reading (the main story|below)|story continued below|"
    r"interactive transcript could not be loaded|rating is available when the video|"
    r"(is|are) not available right now|please try again later|page you requested|"
    r"video (is|has been) (unavailable|removed)|your browser does not support|"
    r"enable javascript|media playback is unsupported)",
    re.IGNORECASE,
)
# A photo credit: "Photo: ...", a line ending in an agency's name, or one starting with
# "Getty" or "Photo". Three anchored patterns: one unanchored alternation tried at every word
# of every line cost 20 us a line, more than all the other line tests together.
_CREDIT_LABEL = re.compile(
    r"\b(photograph|photo|image|picture|credit|illustration|video|source)s?\s*:\s*\S",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"\b(getty images?|afp|reuters|ap photo|epa|shutterstock|file photo)\s*$", re.IGNORECASE
)
_CREDIT_START = re.compile(r"\s*(getty|image|photo|picture)s?\b", re.IGNORECASE)
# A caption written as a sentence, its credit in brackets at the end: "Jane Roe speaks in
# Denver on May 2. (Photo: John Doe/AP)", "... in Franklin, Tenn. (AP Photo/Mark Roe) (AP)",
# "(Photo by John Doe for The Daily)", "(John Doe/Getty Images)". The bracket must read as a
# credit (a label with ":", "/", "by", "courtesy" or "via", or an agency after a slash): "(Credit
# card balances grew.)" and "(Credit Suisse)" are text.
_CAPTION_END = re.compile(
    r"\((?:"
    r"(?:ap |afp |reuters |getty |file )?(?:photo|photograph|image|picture|credit)s?"
    r"\s*(?::|/|\bby\b|\bcourtesy\b|\bvia\b)[^()]{0,80}"
    r"|ap photo"
    r"|[^()/]{1,80}/(?:[^()/]{1,40}/)?(?:getty images?|ap|afp|reuters|epa|[\w .]{0,30} photo)"
    r")\)(?:\s*\([^()]{0,40}\))?\s*$",
    re.IGNORECASE,
)
# Prompts inside a sentence-like line rather than at its start: a sentence that is a command
# ("... Follow her on Twitter @jroe.", "Daybreak Newsletter: Sign up to get ..."), a follow
# line with its handle, a newsletter sign-up, a syndication trailer. The commands are matched
# with their capitals at a sentence start, so that "people who follow her on Instagram" or
# "the study, originally published in 2015," stay text.
_PROMPT_INSIDE = re.compile(
    r"(?:^|[.!?:]\s+)(?:Follow (?:us|him|her|them|[A-Z][\w.]*(?: [A-Z][\w.]*)?) on "
    r"(?:Twitter|Facebook|Instagram)|Sign up (?:to|for) (?:get|receive|our)|Originally published "
    r"(?:on|at|in) )"
    r"|(?i:\bfollow (?:us|him|her|them|[\w.]+(?: [\w.]+)?) on (?:twitter|instagram|facebook)"
    r"\s*(?:at\s*)?@\w)"
    r"|(?i:\bsign up for our (?:\w+ ){0,2}newsletter)"
    r"|(?i:\b(?:this|the) (?:article|story|post) (?:was )?originally (?:published|appeared))"
)
# A caption's trailing credit after its last sentence: "... at a rally. AP Photo/Jane Roe"
_CREDIT_TAIL = re.compile(r"[.!?][\"”’)]?\s+(ap photo|afp|reuters|getty|epa)\b[^.!?]{0,40}$", re.I)
# Parts of an address are bounded (64 and 255 characters, the limits of RFC 5321): unbounded
# ``\S+@\S+`` backtracks over every start of a long unbroken word, cubic on "a@a@a@...".
_LINK = re.compile(
    r"https?://|www\.|[^\s@]{1,64}@[^\s@]{1,255}\.\w|\.(com|org|net)\b", re.IGNORECASE
)
_LIST_MARKER = re.compile(r"^\s*(\d{1,3}[.)]|[-*•·–>|])\s+")
_META_SOURCE = re.compile(
    r"^\s*(source|via|published by|from)\s*:+\s*(?P<outlet>[^:]{2,60}?)[\s:]*$", re.IGNORECASE
)

# Comment section cues.
# A quotation's inside holds no opening mark: a run of unclosed marks ("“““...") is then
# scanned once, not once per mark.
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|‘[^‘’]*’")
_FIRST_SECOND = frozenset(
    """i i'm i've i'd i'll me my mine we we're we've us our you you're your yours""".split()
)
# The cue patterns below are matched against lower-cased text: with re.IGNORECASE they took
# three times as long, and comment scoring reads every line of every page.
_REPORTING = re.compile(
    r"\b(said|says|told|according to|reported|announced|added|stated|confirmed|noted|warned|"
    r"spokes(man|woman|person))\b"
)
_SOCIAL = re.compile(
    r"\b(thanks?|thank you|reblogg?ed|repl(y|ied)|great (post|article|comment)|"
    r"comment|commented|posted|wrote:|says:|\d+ (minutes?|hours?|days?) ago|"
    r"\d{1,2}:\d\d ?(am|pm))\b|^\s*[a-z][\w'’-]{1,20},\s"
)
# Cues of a reader thread itself (not of a personal voice, which essays share).
_THREAD = re.compile(
    r"\b(thanks?|thank you|reblogg?ed|repl(y|ied|ies)|great (post|article|piece|comment)|"
    r"your (post|article|piece|blog)|comments?|commented|wrote:|says:|"
    r"\d+ (minutes?|hours?|days?|weeks?) ago|\d{1,2}:\d\d ?(am|pm))"
)
_OPINION = re.compile(r"\b(i think|i believe|in my (view|opinion)|imho|hopefully|lol)\b")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    key: str  # lower-cased words: what repeats of a line share
    credit: bool  # a photo credit
    words: int
    stop_share: float
    prose: bool


def clean_articles(
    articles: Sequence[Article], settings: Settings | None = None
) -> tuple[CleanArticle, ...]:
    """Clean every article, using the others in the cluster to spot shared boilerplate."""
    settings = settings or Settings()
    articles = [truncate(a, settings.max_chars) for a in articles]
    per_article = [_tokenised(_lines(a.text)) for a in articles]
    seen_in = Counter(key for lines in per_article for key in {x.key for x in lines})
    return tuple(
        _clean(a, settings, seen_in, lines) for a, lines in zip(articles, per_article, strict=True)
    )


def clean_article(
    article: Article,
    settings: Settings | None = None,
    cluster_counts: Mapping[str, int] | None = None,
    lines: list[str] | None = None,
) -> CleanArticle:
    """One article's kept text, with the ledger fields filled from its head when missing.

    ``cluster_counts`` maps a normalised line to the number of cluster articles containing it
    (this article included)."""
    if lines is None:
        article = truncate(article, (settings or Settings()).max_chars)
    raw = lines if lines is not None else _lines(article.text)
    return _clean(article, settings or Settings(), cluster_counts or {}, _tokenised(raw))


def _clean(
    article: Article, settings: Settings, counts: Mapping[str, int], lines: list[_Tokenised]
) -> CleanArticle:
    raw = [x.text for x in lines]
    settings = _for_language(settings, lines)
    feats = [_features(x, settings) for x in lines]
    keep = _keep_mask(feats, settings, counts)
    article = _metadata(article, raw, keep)
    voice: dict[int, float] = {}  # line -> comment_score: each line is scored once
    cut = _comment_start(feats, keep, settings, voice)
    if cut is not None:
        keep[cut:] = [False] * (len(keep) - cut)
    at = [i for i, k in enumerate(keep) if k]
    kept = [raw[i] for i in at]
    if article.title is None:
        article = replace(article, title=_find_title(raw, keep, kept))
    if kept and article.title and _key(kept[0]) == _key(article.title):
        kept.pop(0)  # the title repeated as the first line of the body
        at.pop(0)
    text = "\n".join(kept)
    removed = tuple(x for x, k in zip(raw, keep, strict=True) if not k)
    words = (word_count(article.text), word_count(text))
    sentences = segment.split(text, article.id)
    # the text's words are its lines' words (none spans a line break): lower-cased already
    lowered = " ".join(lines[i].key for i in at if lines[i].key)
    return CleanArticle(
        article,
        text,
        *words,
        removed,
        sentences,
        voice=_mean_voice(feats, at, voice),
        lowered=lowered,
    )


def _mean_voice(feats: list[_Line], at: list[int], scores: dict[int, float]) -> float | None:
    """Mean `comment_score` of the lines kept (the quality stage's opinion test reads it), or
    None when no line is kept."""
    if not at:
        return None
    return sum(scores[i] if i in scores else comment_score(feats[i].text) for i in at) / len(at)


def truncate(article: Article, max_chars: int) -> Article:
    """The article with its text cut to ``max_chars``, at the last line end before it."""
    if len(article.text) <= max_chars:
        return article
    end = article.text.rfind("\n", 0, max_chars)
    return replace(article, text=article.text[: end if end > 0 else max_chars])


def _for_language(settings: Settings, lines: list[_Tokenised]) -> Settings:
    """The settings for this text: stop-word tests are off when it is not English."""
    n = sum(x.words for x in lines)
    share = sum(x.stop for x in lines) / n if n else 0.0
    if share >= settings.english_min_stop_share:
        return settings
    return replace(settings, prose_min_stop_share=0.0, short_min_stop_share=0.0)


@dataclass(frozen=True, slots=True)
class _Tokenised:
    """A line with its words counted once for every test that reads them."""

    text: str
    key: str  # lower-cased words: what repeats of a line share
    words: int
    stop: int  # how many of the words are stop words


def _tokenised(lines: list[str]) -> list[_Tokenised]:
    out = []
    for line in lines:
        # Lower-casing the joined words lower-cases each word (no word holds a space), in one
        # call instead of one per word.
        key = " ".join(words(line)).lower()
        toks = key.split(" ") if key else []
        out.append(_Tokenised(line, key, len(toks), sum(map(STOP_WORDS.__contains__, toks))))
    return out


def _lines(text: str) -> list[str]:
    """Paragraph lines, whitespace folded, with a sentence broken across lines joined. Text
    copied out of web pages keeps character references ("AT&amp;T", "&#8217;"): decoded."""
    out: list[str] = []
    for raw in text.split("\n"):
        if "&" in raw:
            raw = html.unescape(raw)
        line = " ".join(raw.split())
        if not line:
            continue
        if out and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str) -> bool:
    # A hard-wrapped paragraph: an unfinished line of running text (at least this many words,
    # so that a one-word menu item is never glued to what follows) and a lower-case start.
    if not line[0].islower():
        return False
    if prev.endswith((",", ";")):
        return True
    return not ends_like_sentence(prev) and not prev.endswith(":") and len(words(prev)) >= 6


def _key(line: str) -> str:
    return " ".join(w.lower() for w in words(line))


def _features(line: _Tokenised, settings: Settings) -> _Line:
    n = line.words
    stop = line.stop / n if n else 0.0
    text = line.text
    prose = (
        n >= settings.prose_min_words
        and (ends_like_sentence(text) or text.endswith(":") or _runs_on(text, n))
        and stop >= settings.prose_min_stop_share
    )
    return _Line(text, line.key, _is_credit(text), n, stop, prose)


# A sentence end inside a line: the next sentence starts right after it.
_INNER_END = re.compile(r"[.!?][\"'”’)]?\s+[\"“‘(]?[A-Z]")


def _runs_on(line: str, n: int) -> bool:
    """A long line of several sentences is running text even when its end is cut or carries a
    trailer ("... for the affected areas. Picture, Page 14"): a whole article sent as one
    paragraph was otherwise dropped, 7 of the 567 DUC 2002 documents."""
    return n >= 40 and len(_INNER_END.findall(line)) >= 2 and not _CREDIT_TAIL.search(line)


def _is_credit(line: str) -> bool:
    return bool(
        _CREDIT_START.match(line)
        or (":" in line and _CREDIT_LABEL.search(line))
        or _CREDIT_END.search(line, max(0, len(line) - 40))
    )


def _keep_mask(feats: list[_Line], settings: Settings, counts: Mapping[str, int]) -> list[bool]:
    prose_at = [i for i, f in enumerate(feats) if f.prose]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (0, -1)
    seen: set[str] = set()
    keep = []
    for i, f in enumerate(feats):
        key = f.key
        inside = first <= i <= last
        ok = key not in seen and first <= i <= last + 1 and _is_content(f, settings, inside)
        if ok and not f.prose and counts.get(key, 0) >= settings.shared_min_articles:
            ok = False  # a short line several outlets share is their common chrome
        if ok and not f.prose and _beside_credit(feats, i):
            ok = False  # a caption: it sits next to its photo credit
        if ok and not f.prose and i > last:
            ok = False  # nothing but prose after the last paragraph of prose
        seen.add(key)
        keep.append(ok)
    return keep


def _beside_credit(feats: list[_Line], i: int) -> bool:
    near = feats[max(0, i - 1) : i + 2]
    return any(f.credit for f in near if f is not feats[i])


def _is_content(f: _Line, settings: Settings, inside: bool) -> bool:
    """Whether a line is article text; ``inside`` says it lies between the first and last
    lines of prose."""
    text = f.text
    if f.words == 0 or (_is_chrome(f) and not f.prose):
        return False
    if (f.words <= 20 and _EMBED.search(text)) or (f.words <= 40 and _prompts(f)):
        return False
    if f.words <= 80 and text.rstrip().endswith(")") and _CAPTION_END.search(text):
        return False  # (a longer line is a paragraph that a caption's credit was glued to)
    if _LIST_MARKER.match(text):
        return inside  # a list between paragraphs is part of the body; menus sit outside it
    if f.prose:
        return True
    if ends_like_sentence(text) and f.words >= 4 and f.stop_share >= settings.short_min_stop_share:
        return True  # a short sentence
    if inside and f.words <= settings.heading_max_words:
        return True  # between paragraphs: a subheading, a name or a date line of the body
    if inside and f.stop_share >= settings.prose_min_stop_share and _name_share(text) <= 0.3:
        return True  # running text that lost its full stop: a stand-first or a sentence heading
    # Unpunctuated: a heading when short and headline-shaped, otherwise a caption or menu.
    return (
        f.words <= settings.heading_max_words
        and looks_like_headline(text)
        and (f.stop_share >= settings.short_min_stop_share or ":" in text)
    )


def _prompts(f: _Line) -> bool:
    """A prompt at the line's start, or inside it (searched only in lines holding a word the
    search needs: it has no fixed first character to skip ahead to)."""
    if opens_with_prompt(f.text):
        return True
    return _has_any(f.key, _PROMPT_WORDS) and _PROMPT_INSIDE.search(f.text) is not None


_PROMPT_WORDS = ("follow", "sign up", "originally")


def _name_share(text: str) -> float:
    """Share of capitalised words after the first. Captions are lists of titled names
    ("Foreign Minister A B and Secretary of State C D met"); running text has few (under 0.3
    in news prose: names are a minority of its words)."""
    toks = words(text)[1:]
    return sum(t[:1].isupper() for t in toks) / len(toks) if toks else 0.0


def _is_chrome(f: _Line) -> bool:
    """A caption credit, a short line with a link or an address, or a short web prompt."""
    text = f.text
    if f.credit:
        return True
    if f.words < 30 and _LINK.search(text):
        return True
    return f.words <= 20 and _CHROME.search(text) is not None


def _metadata(article: Article, raw: list[str], keep: list[bool]) -> Article:
    """Outlet and date from lines at the head that are not kept as text."""
    outlet, published = article.outlet, article.published
    for line, kept in zip(raw[:12], keep[:12], strict=False):
        if kept:
            continue
        m = _META_SOURCE.match(line)
        if m and outlet is None:
            outlet = m["outlet"].strip()
        if published is None and word_count(line) <= 8:
            published = find_date(line)
    return replace(article, outlet=outlet, published=published)


def _find_title(raw: list[str], keep: list[bool], kept: list[str]) -> str | None:
    """The first headline-shaped line of the head that is not chrome, or a kept first line
    that is a heading above the body."""
    for line, k in zip(raw, keep, strict=True):
        if k:
            break
        if looks_like_headline(line) and not _is_furniture(line):
            return line
    if len(kept) > 1 and looks_like_headline(kept[0]) and not _is_furniture(kept[0]):
        return kept[0]
    return None


def _is_furniture(line: str) -> bool:
    """Page furniture that can look like a headline: chrome, credits, widgets, prompts."""
    return bool(
        _CHROME.search(line) or _is_credit(line) or _EMBED.search(line) or opens_with_prompt(line)
    )


# What the cue patterns need in a line (they read lower-cased text): most lines hold none of
# these, and looking for them is several times cheaper than the searches.
# (":" for "wrote:", "says:" and "10:30 pm"; " ago" for "5 minutes ago")
_SOCIAL_WORDS = ("thank", "reblog", "repl", "great ", "comment", "posted", " ago", ":")
_OPINION_WORDS = ("i think", "i believe", "in my ", "imho", "hopefully", "lol")


def _has_any(text: str, needed: tuple[str, ...]) -> bool:
    return any(w in text for w in needed)


def comment_score(text: str) -> float:
    lowered = text.lower()
    # Every quotation opens with one of these marks: without them there is nothing to remove.
    quoted = '"' in text or "“" in text or "‘" in text
    outside = _QUOTED.sub(" ", lowered) if quoted else lowered
    toks = words(outside)
    if not toks:
        return 0.0
    personal = sum(map(_FIRST_SECOND.__contains__, toks)) / len(toks)
    score = min(1.0, personal * 8)
    social = _SOCIAL.search if _has_any(lowered, _SOCIAL_WORDS) else _SOCIAL.match
    if social(lowered):  # (without those words only the pattern's line-start branch can match)
        score += 0.5
    if _has_any(outside, _OPINION_WORDS) and _OPINION.search(outside):
        score += 0.3
    if score > 0.0 and _REPORTING.search(outside):
        score -= 0.4  # (a score of 0 stays 0: the search is skipped)
    return max(0.0, min(1.0, score))


def _comment_start(
    feats: list[_Line], keep: list[bool], settings: Settings, voice: dict[int, float]
) -> int | None:
    """Index of the first line of a trailing comment section among kept lines, or None; the
    kept lines' scores are left in ``voice``."""
    idx = [i for i, k in enumerate(keep) if k]
    if len(idx) < 4:
        return None
    scores = [comment_score(feats[i].text) for i in idx]
    voice.update(zip(idx, scores, strict=True))
    best, best_gain, gain = None, 0.0, 0.0
    for j in range(len(idx) - 1, len(idx) // 3, -1):
        gain += scores[j] - settings.comment_line_threshold
        if gain > best_gain and scores[j] >= 0.5:
            best, best_gain = j, gain
    if best is None or len(idx) - best < settings.comment_min_lines:
        return None
    tail = sum(scores[best:]) / (len(idx) - best)
    head = sum(scores[:best]) / best
    if tail - head < settings.comment_min_margin:
        return None
    # Thread cues are counted over every line of the tail, the dropped ones too ("Reply").
    thread = sum(bool(_THREAD.search(f.text.lower())) for f in feats[idx[best] :])
    if thread < settings.comment_min_thread_share * (len(feats) - idx[best]):
        return None
    return idx[best]
