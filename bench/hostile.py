"""Hostile inputs for the readers and the cleaner: generated, never copied from anywhere.

Shared by the fuzz benchmark (``python -m bench.fuzz``) and the tests (tests/test_hostile.py):
seed documents written here, byte mutations of them (flips, cuts, insertions, duplicated
runs, foreign encodings spliced in), random bytes, and named structural cases (wrong
encodings, control characters, one enormous word or line, many tiny lines, deep or unclosed
HTML, XML entity tricks, JSON Lines with wrong types, huge or non-finite numbers, deep
nesting, truncated lines, byte-order marks and CRLF).
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.clean import clean_articles
from newsfuse.errors import InputError
from newsfuse.fetch import feeds, pages, warc
from newsfuse.model import Article
from newsfuse.readers import READERS
from newsfuse.readers.decode import decode

PROSE = (
    "The harbour authority closed the northern pier on Monday after a storm damaged its deck.",
    "Engineers said repairs would take three weeks and cost about 2.4 million euros.",
    '"We will reopen as soon as it is safe," the authority\'s director, Mara Quell, said.',
    "Fishing crews moved to the southern basin, where 40 boats now share 25 berths.",
    "A second inspection is planned for Thursday, according to the port's spokesman.",
)
TITLE = "Storm closes northern pier for three weeks"


def text_seed() -> bytes:
    return (TITLE + "\n\n" + "\n".join(PROSE) + "\n").encode()


def html_seed() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    page = (
        f"<!DOCTYPE html><html><head><title>{TITLE}</title>"
        '<meta property="og:site_name" content="Harbour Gazette"></head>'
        f'<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>'
        f"<article><h1>{TITLE}</h1>{body}</article>"
        "<footer>Subscribe to our newsletter. &copy; 2026</footer></body></html>"
    )
    return page.encode()


def jsonl_seed() -> bytes:
    rows = [
        {"id": "pier-1", "title": TITLE, "text": "\n".join(PROSE), "published": "2026-03-02"},
        {"id": 7, "title": "Pier update", "html": html_seed().decode(), "outlet": "Gazette"},
    ]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def warc_seed() -> bytes:
    """A small crawl, uncompressed so that mutations reach the record headers: a request, two
    HTML responses and an image."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    page, other = html_seed(), html_seed().replace(b"northern", b"southern")
    for kind, url, ctype, body in (
        ("request", "https://harbour.example/pier", "", b""),
        ("response", "https://harbour.example/pier", "text/html; charset=utf-8", page),
        ("response", "https://harbour.example/pier-2", "text/html", other),
        ("response", "https://harbour.example/logo.png", "image/png", b"\x89PNG\r\n"),
    ):
        http = (
            StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            if kind == "response"
            else StatusAndHeaders("GET /pier HTTP/1.1", [("Host", "x")], is_http_request=True)
        )
        writer.write_record(
            writer.create_warc_record(
                url, kind, payload=io.BytesIO(body), length=len(body), http_headers=http
            )
        )
    return out.getvalue()


def feed_seed() -> bytes:
    """An RSS feed with a relative link, a tracking parameter, dates good and bad, an entity."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for title, link, date in (
            ("Pier closed &amp; repaired", "/pier?utm_source=rss", "Mon, 02 Mar 2026 10:00:00 GMT"),
            ("Berths", "https://harbour.example/berths", "Tue, 99 Mar 2026 10:00:00 GMT"),
        )
    )
    channel = f"<channel><title>Harbour Gazette</title>{items}</channel>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'.encode()


SEEDS: dict[str, Callable[[], bytes]] = {
    "text": text_seed,
    "html": html_seed,
    "jsonl": jsonl_seed,
    "warc": warc_seed,
    "feed": feed_seed,
}

# --- mutations ---------------------------------------------------------------------------

_INSERTS = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\r\n",
    b"\x1b[31m",
    "é".encode("latin-1"),
    "’".encode("cp1252"),
    "“".encode(),
    b"<div>",
    b"</p>",
    b"<!--",
    b"]]>",
    b"&amp;",
    b"&#x0;",
    b"&#99999999;",
    b'{"text": ',
    b"\\ud800",
    b"NaN",
    b"1e999",
    b"." * 40,
    b"@a" * 20,
)


def mutate(data: bytes, rng: random.Random, steps: int = 4) -> bytes:
    """``data`` with a few random edits: bytes flipped, cut, inserted or repeated."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, steps)):
        op = rng.randrange(6)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            del buf[pos : pos + rng.randint(1, 64)]
        elif op == 2:
            buf[pos:pos] = rng.choice(_INSERTS)
        elif op == 3:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 4 and buf:
            chunk = bytes(buf[pos : pos + rng.randint(1, 32)])
            buf[pos:pos] = chunk * rng.randint(2, 200)
        else:
            del buf[pos:]  # truncated mid-write
    return bytes(buf)


def reencode(data: bytes, rng: random.Random) -> bytes:
    """The text in a foreign encoding, with or without a byte-order mark."""
    text = data.decode("utf-8", "replace")
    enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "latin-1"])
    return text.encode(enc, "replace")


def generated(fmt: str, n: int, seed: int = 0) -> Iterator[bytes]:
    """``n`` inputs for reader ``fmt``: mostly mutated seeds, some random bytes and some
    re-encoded seeds."""
    rng = random.Random(seed)
    base = SEEDS[fmt]()
    for i in range(n):
        kind = i % 10
        if kind == 0:
            yield bytes(rng.randrange(256) for _ in range(rng.randint(0, 2048)))
        elif kind == 1:
            yield reencode(mutate(base, rng, 2), rng)
        else:
            yield mutate(base, rng)


# --- named structural cases --------------------------------------------------------------


def _laughs() -> bytes:
    ents = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE p [{"".join(ents)}]>'
        f"<html><body><p>&l9;</p><p>{PROSE[0]}</p></body></html>"
    ).encode()


def _external_entity() -> bytes:
    return (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<html><body><p>&x;</p><p>{' '.join(PROSE)}</p></body></html>"
    ).encode()


def cases(scale: int = 1) -> dict[str, tuple[str, bytes]]:
    """Named hostile inputs: name -> (format, bytes). ``scale`` multiplies the sizes (1 keeps
    every case under about 1 MB)."""
    prose = " ".join(PROSE)
    body = "\n".join(PROSE)
    n = 100_000 * scale
    deep = 20_000 * scale
    return {
        "utf16-bom": ("text", body.encode("utf-16")),
        "utf16le-no-bom": ("text", body.encode("utf-16-le")),
        "utf16be-no-bom": ("text", body.encode("utf-16-be")),
        "utf32-bom": ("text", body.encode("utf-32")),
        "utf32le-no-bom": ("text", body.encode("utf-32-le")),
        "latin1": ("text", ("Café, naïve, Zürich. " + body).encode("latin-1")),
        "cp1252": ("text", ("“Quoted” – dash. " + body).encode("cp1252")),
        "mixed-encodings": ("text", body.encode() + "\nÉté à Zürich.\n".encode("cp1252")),
        "nul-bytes": ("text", body.encode().replace(b" ", b"\x00", 3)),
        "control-chars": ("text", ("\x1b\x07\x08" + body + "\x7f\x85").encode()),
        "late-nul": ("text", (body + "\n").encode() * 800 + b"\x00\x01\x02" + body.encode()),
        "enormous-word": ("text", b"a" * n),
        "enormous-line": ("text", (prose + " ").encode() * (n // len(prose))),
        "tiny-lines": ("text", b"a\n" * (n * 2)),
        "tiny-sentences": ("text", b"Word.\n" * n),
        "dot-run": ("text", (b"." * 60 + b"x ") * (n // 62)),
        "at-signs": ("text", b"a@" * (n // 2)),
        "open-quotes": ("text", "“".encode() * (n // 3) + prose.encode()),
        "quote-marks": ("text", b'"' * n + prose.encode()),
        "many-quotes": ("text", b'"We will reopen," the director said. ' * (n // 37)),
        "numbers": ("text", b"1 " * (n // 2) + b"people were hurt."),
        "initials": ("text", b"A. " * (n // 3)),
        "entities": ("text", b"&amp;" * (n // 5) + prose.encode()),
        "colon-speakers": ("text", b'Mara Quell: "a b c d" ' * (n // 22)),
        "deep-html": ("html", b"<div>" * deep + f"<p>{prose}</p>".encode() + b"</div>" * deep),
        "unclosed-html": ("html", b"<html><body>" + b"<div><p><b>" * deep + prose.encode()),
        "billion-laughs": ("html", _laughs()),
        "external-entity": ("html", _external_entity()),
        "script-only": ("html", b"<html><script>" + b"x" * n + b"</script></html>"),
        "jsonl-wrong-types": ("jsonl", _jsonl_types()),
        "jsonl-numbers": ("jsonl", _jsonl_numbers()),
        "jsonl-deep": ("jsonl", b"[" * deep + b"]" * deep + b"\n" + b'{"a":' * deep),
        "jsonl-truncated": ("jsonl", jsonl_seed()[:-40]),
        "jsonl-bom-crlf": ("jsonl", b"\xef\xbb\xbf" + jsonl_seed().replace(b"\n", b"\r\n")),
        "jsonl-surrogates": ("jsonl", b'{"text": ' + _quoted(prose + " \ud800") + b', "id": 1}\n'),
        "jsonl-many-bad-lines": ("jsonl", b"{\n" * n),
    }


def _jsonl_types() -> bytes:
    prose = " ".join(PROSE)
    rows: list[object] = [
        {"text": 5},
        {"text": ["a", "b"]},
        {"text": None, "html": {"p": 1}},
        {"text": True},
        {"title": {"a": 1}, "text": prose, "id": [1]},
        {"text": prose, "published": ["2026"]},
        "just a string",
        [1, 2, 3],
    ]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _quoted(text: str) -> bytes:
    """A JSON string literal; lone surrogates are written as escapes."""
    return json.dumps(text).encode()


def _jsonl_numbers() -> bytes:
    prose = _quoted(" ".join(PROSE))
    return (
        b'{"text": ' + prose + b', "published": 1e308, "id": 1e999}\n'
        b'{"text": NaN, "id": Infinity}\n'
        b'{"text": ' + prose + b', "id": -Infinity}\n'
        b'{"text": 1' + b"0" * 5000 + b"}\n"
        b'{"text": ' + prose + b', "id": ' + b"9" * 4000 + b"}\n"
    )


# --- whole clusters for the briefing ------------------------------------------------------

# Tokens that have broken stages before or might: case-folding letters ("İ", "ſ", the Kelvin
# sign), invisible and direction marks, other scripts' digits, ligatures, quotation marks of
# every kind, abbreviations, number and date shapes, pronoun openers, blanks and line breaks.
_ODD = (
    *(
        "İ ſ \u212a \u200b \u202e \u0301 e\u0301 ﬁ Ⅻ ٣ １２ ½ ² \x0b \x1c \u2028 \u2029 \ufeff 𝟘 𝐀 "
        "'' `` “ ” ‘ ’ « » „ — – ... … $ € % @ # ( ) [ ] { } < > &amp; \\ / | * _ ~ ^ : ; ! ? ' \" "
        "- -- , . Mr. Dr. U.S. No. St. 1.5 1,000 -3 10-12 3/4 2024-01-03 12:30 p.m. Jan. Sept. "
        "fİve ſept laſt He She It But They"
    ).split(" "),
    *("\t", "  ", "\n", "\n\n"),
)
_NEWS = (
    "the council said police minister Smith told reporters on Tuesday that 86 people died in "
    "the fire at Paris after a storm hit Jan. 3, 2024 and U.S. officials according to Reuters "
    "reported last week two days ago"
).split()


def _odd_sentence(rng: random.Random) -> str:
    words = [rng.choice(_ODD) if rng.random() < 0.3 else rng.choice(_NEWS) for _ in range(40)]
    text = " ".join(words[: rng.randint(1, 40)])
    if rng.random() < 0.3:
        text = f'"{text}," ' + rng.choice(["Smith said.", "said Jones.", "he said.", ""])
    return text[:1].upper() + text[1:] + rng.choice([".", "", "?", "!", " ."])


def _odd_article(rng: random.Random, ident: str) -> Article:
    paragraphs = [
        " ".join(_odd_sentence(rng) for _ in range(rng.randint(1, 5)))
        for _ in range(rng.randint(0, 8))
    ]
    return Article(
        id=ident,
        text=rng.choice(["\n\n", "\n", " ", "\r\n"]).join(paragraphs),
        title=_odd_sentence(rng) if rng.random() < 0.5 else None,
        outlet=rng.choice([None, "Gazette", "Courier"]),
        published=rng.choice([None, "2024-01-03", "2023-12-31"]),
    )


def odd_cluster(rng: random.Random) -> list[Article]:
    """1-6 news-like articles full of odd tokens, and 0-2 copies of them, some with odd tokens
    swapped in (a syndicated or spun copy)."""
    articles = [_odd_article(rng, f"a{i}") for i in range(rng.randint(1, 6))]
    for i in range(rng.randint(0, 2)):
        source = rng.choice(articles)
        words = source.text.split(" ")
        if rng.random() < 0.5:
            words = [rng.choice(_ODD) if rng.random() < 0.1 else w for w in words]
        articles.append(replace(source, id=f"c{i}", text=" ".join(words)))
    return articles


# --- running a reader on one input ---------------------------------------------------------


def _warc(data: bytes) -> list[Article | InputError]:
    """A WARC archive is read from a file, as a user's would be."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/crawl.warc.gz"
        with open(path, "wb") as fh:
            fh.write(data)
        return warc.read(path, pages.article, 8 * 2**20)


@dataclass(frozen=True, slots=True)
class Outcome:
    articles: int
    problems: int
    seconds: float


def run_reader(fmt: str, data: bytes, name: str = "input", clean: bool = True) -> Outcome:
    """Decode ``data``, read it as ``fmt`` and clean what it yields. Only `InputError` is an
    expected failure; anything else propagates (a bug)."""
    start = time.perf_counter()
    try:
        if fmt == "feed":  # a feed yields links, not articles: counted as "read"
            links = feeds.feed_links("https://harbour.example/rss", data, 100)
            return Outcome(len(links), 0, time.perf_counter() - start)
        items = _warc(data) if fmt == "warc" else READERS[fmt](name, "input", decode(name, data))
    except InputError as err:
        assert "\n" not in str(err), f"a problem must be one line: {err!r}"
        return Outcome(0, 1, time.perf_counter() - start)
    arts = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, InputError)]
    for p in problems:
        assert "\n" not in str(p), f"a problem must be one line: {p!r}"
    if clean and arts:
        clean_articles(arts)
    return Outcome(len(arts), len(problems), time.perf_counter() - start)
