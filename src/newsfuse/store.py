"""SQLite corpus store: articles with content-hash identity, their story assignments and the
saved state of the online clustering.

* WAL journal, one transaction per batch: a crash or Ctrl-C loses at most the batch in flight,
  and running the same ingest again completes the rest (``INSERT OR IGNORE`` on the hash).
* ``synchronous=NORMAL``: in WAL mode a committed batch survives a killed process; only a power
  loss can drop the last batches (``FULL`` would fsync every commit, several times slower).
* Articles are stored raw; cleaning happens at brief time, over the articles of one story,
  where the cleaner can also see lines that the story's articles share.

* An article read from the web is stored once per URL (its canonical URL), then once per
  content hash; ``fetched`` keeps each fetched URL's ETag/Last-Modified for the next poll.

Tables: ``articles(seq, hash, id, title, text, path, url, outlet, published)``,
``assignments(seq, story)``, ``state(name, value, last_seq)``,
``fetched(url, etag, last_modified)``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from newsfuse.errors import ConfigError, InputError, StageError
from newsfuse.model import Article
from newsfuse.text import looks_like_headline

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL,
    title TEXT, text TEXT NOT NULL, path TEXT, url TEXT, outlet TEXT, published TEXT
);
CREATE TABLE IF NOT EXISTS assignments (
    seq INTEGER PRIMARY KEY REFERENCES articles(seq),
    story INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS assignments_story ON assignments(story);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value BLOB NOT NULL, last_seq INTEGER);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE TABLE IF NOT EXISTS fetched (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
"""
_COLUMNS = "id, text, title, path, url, outlet, published"  # Article's field order


@dataclass(frozen=True, slots=True)
class Settings:
    batch_size: int = 500  # articles per transaction

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(f"store batch_size must be >= 1, got {self.batch_size}")


@dataclass(frozen=True, slots=True)
class IngestReport:
    added: int
    skipped: int  # already in the store (same content hash)


@dataclass(frozen=True, slots=True)
class Stored:
    """An article as stored: ``seq`` is its position in ingest order, its identity in the
    store (article ids may repeat across inputs)."""

    seq: int
    article: Article


@dataclass(frozen=True, slots=True)
class StorySummary:
    story: int
    size: int
    first: str | None  # earliest publication day
    last: str | None
    title: str | None


def content_hash(article: Article) -> str:
    """Identity of an article: SHA-256 of its title and text, whitespace collapsed."""
    norm = " ".join((article.title or "").split()) + "\0" + " ".join(article.text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


P = ParamSpec("P")
R = TypeVar("R")


def _translated(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """SQLite errors of a store method become `StageError` naming the store."""

    def wrapper(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(store, *args, **kwargs)
        except sqlite3.Error as err:
            raise store_error(store.path, err) from err

    wrapper.__doc__ = method.__doc__
    return wrapper


class Store:
    """One SQLite database; use as a context manager."""

    def __init__(self, path: str | Path, *, create: bool = True, busy: float = 60.0) -> None:
        """``busy``: seconds to wait for another process's write to finish (two ingests into
        one store take turns batch by batch) before giving up with `StageError`."""
        self.path = Path(path)
        if not create and not self.path.exists():
            raise InputError(str(path), "no such store; create it with: newsfuse ingest ... --db")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=busy)
        except sqlite3.Error as err:
            raise store_error(self.path, err) from err
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as err:
            self._db.close()
            raise store_error(self.path, err) from err

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @_translated
    def journal_mode(self) -> str:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0])

    # -- articles

    def ingest(
        self,
        articles: Iterable[Article],
        settings: Settings | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add ``articles`` in transactional batches; articles already stored are skipped."""
        size = (settings or Settings()).batch_size
        added = seen = 0
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= size:
                added, seen = added + self._insert(batch), seen + len(batch)
                if on_batch:
                    on_batch(len(batch))
                batch = []
        if batch:
            added, seen = added + self._insert(batch), seen + len(batch)
            if on_batch:
                on_batch(len(batch))
        return IngestReport(added, seen - added)

    @_translated
    def _insert(self, batch: Sequence[Article]) -> int:
        rows = [
            (content_hash(a), a.id, a.text, a.title, a.path, a.url, a.outlet, a.published)
            for a in batch
            if not (a.url and self._has_url(a.url))
        ]
        with self._transaction():
            before = self._db.total_changes
            self._db.executemany(
                f"INSERT OR IGNORE INTO articles (hash, {_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", rows
            )
            return self._db.total_changes - before

    def _has_url(self, url: str) -> bool:
        return (
            self._db.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone() is not None
        )

    @_translated
    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self, after: int = 0, batch: int = 2000) -> Iterator[Stored]:
        """Stored articles with ``seq > after``, in ingest order, read in pages."""
        while True:
            try:
                rows = self._db.execute(
                    f"SELECT seq, {_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after, batch),
                ).fetchall()
            except sqlite3.Error as err:
                raise store_error(self.path, err) from err
            if not rows:
                return
            for row in rows:
                yield Stored(row[0], Article(*row[1:]))
            after = rows[-1][0]

    # -- what the fetcher saw (newsfuse.fetch.Memory)

    @_translated
    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` the server gave for ``url`` last time, if it gave any."""
        row = self._db.execute("SELECT etag, last_modified FROM fetched WHERE url = ?", (url,))
        found = row.fetchone()
        return (found[0], found[1]) if found else None

    @_translated
    def remember(self, fetched: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Keep ``(url, etag, last_modified)`` of fetched URLs, once their articles are stored."""
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO fetched VALUES (?, ?, ?)", fetched)

    # -- stories

    @_translated
    def assign(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Record ``(seq, story)`` pairs in one transaction."""
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO assignments VALUES (?, ?)", pairs)

    @_translated
    def save_state(self, name: str, value: bytes, last_seq: int) -> None:
        """Save a clustering state that covers every article up to ``last_seq``."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (name, value, last_seq)
            )

    @_translated
    def load_state(self, name: str) -> tuple[bytes | None, int]:
        """The saved state and the last article it covers. Assignments made after it (a run
        stopped before saving) are dropped, so that the next run redoes them consistently."""
        row = self._db.execute("SELECT value, last_seq FROM state WHERE name = ?", (name,))
        found = row.fetchone()
        value, last = (bytes(found[0]), int(found[1])) if found else (None, 0)
        with self._transaction():
            self._db.execute("DELETE FROM assignments WHERE seq > ?", (last,))
        return value, last

    @_translated
    def reset_stories(self, name: str) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM assignments")
            self._db.execute("DELETE FROM state WHERE name = ?", (name,))

    @_translated
    def stories(self, limit: int | None = None) -> list[StorySummary]:
        """Stories, largest first (then oldest id)."""
        rows = self._db.execute(
            "SELECT s.story, count(*), min(a.published), max(a.published)"
            " FROM assignments s JOIN articles a USING (seq)"
            " GROUP BY s.story ORDER BY count(*) DESC, s.story LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [StorySummary(r[0], r[1], r[2], r[3], self._first_title(r[0])) for r in rows]

    @_translated
    def _first_title(self, story: int) -> str | None:
        """The story's first headline-shaped title among its first articles (wire slugs such
        as "$Adv26" or "BC-Storm" are titles too), else its first title."""
        rows = self._db.execute(
            "SELECT a.title FROM assignments s JOIN articles a USING (seq)"
            " WHERE s.story = ? AND a.title IS NOT NULL AND a.title != ''"
            " ORDER BY s.seq LIMIT 20",
            (story,),
        ).fetchall()
        titles = [str(r[0]) for r in rows]
        return next((t for t in titles if looks_like_headline(t)), titles[0] if titles else None)

    @_translated
    def story_articles(self, story: int) -> list[Article]:
        rows = self._db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM assignments s JOIN articles a USING (seq) WHERE s.story = ? ORDER BY s.seq",
            (story,),
        ).fetchall()
        return [Article(*r) for r in rows]

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)


def store_error(path: Path, err: sqlite3.Error) -> StageError:
    """One line saying what went wrong with the store at ``path`` and what to do."""
    text = str(err).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        what = "the file is not a newsfuse store or is damaged; restore it or use a new --db"
    elif "full" in text:
        what = "the disk is full; free space and run again (committed batches are kept)"
    elif "readonly" in text or "read-only" in text:
        what = "the store is read-only; check the file's and its folder's permissions"
    elif "locked" in text or "busy" in text:
        what = "another process holds the store locked; run again when it has finished"
    elif "unable to open" in text:
        what = "cannot open the file; check that its folder exists and is writable"
    else:
        what = "the store failed"
    return StageError(f"{path}: {what} ({err})")


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (Ctrl-C included); SQLite
    errors become `StageError` naming the store."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise store_error(self._path, err) from err

    def __exit__(self, kind: object, value: object, *exc: object) -> None:
        try:
            self._db.execute("ROLLBACK" if kind is not None else "COMMIT")
        except sqlite3.Error as err:
            if kind is None:
                raise store_error(self._path, err) from err
        if isinstance(value, sqlite3.Error):
            raise store_error(self._path, value) from value


__all__ = [
    "IngestReport",
    "Settings",
    "Store",
    "Stored",
    "StorySummary",
    "content_hash",
    "store_error",
]
