"""Story clustering: the local and the Dask runner agree, the index survives a save, quality
on pooled DUC clusters stays above a pinned floor, and the CLI commands behave."""

from __future__ import annotations

import io
import itertools
import json
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from newsfuse.cli import cli
from newsfuse.errors import StageError
from newsfuse.model import Article
from newsfuse.stories import Run, StoryIndex, assign_stories, core, loops
from newsfuse.stories import dask as dask_runner
from newsfuse.stories.core import Settings, entities, vectorize
from newsfuse.stories.metrics import bcubed
from tests.conftest import PROSE, article, load_clusters

# B-cubed F1 of the default settings on the sample below (284 documents; measured 0.877 with
# the numpy word hashing, 0.887 with CRC-32 words and 128 LSH bands, 0.881 with 64, 0.849
# before the threshold, centroid and candidate re-tune);
# raise the floor when the score rises. The sample lies inside the DUC 2002 + Multi-News part
# the settings were tuned on, so it guards against regressions, not overfitting.
BCUBED_FLOOR = 0.87


def _pooled(limit: int = 25) -> tuple[list[Article], list[str]]:
    """Every document of the first DUC 2002 and Multi-News clusters, each cluster a story."""
    arts: list[Article] = []
    gold: list[str] = []
    seen: set[str] = set()
    for name in ("duc2002", "multinews-dev"):
        for c in load_clusters(name, limit):
            for d in c["docs"]:
                if d["id"] not in seen:  # DUC 2002 lists a few documents in two clusters
                    seen.add(d["id"])
                    arts.append(_doc(d))
                    gold.append(f"{name}/{c['id']}")
    return arts, gold


def _doc(d: dict[str, Any]) -> Article:
    return Article(d["id"], d["text"], d.get("title") or None, published=d.get("date") or None)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_local_and_dask_assign_the_same_stories() -> None:
    arts, _ = _pooled(10)
    local = list(assign_stories(arts, Run(chunk_size=40)))
    settings = dask_runner.Settings(workers=2, processes=False)
    on_dask = Run(chunk_size=40, runner=partial(dask_runner.cluster, settings=settings))
    assert list(assign_stories(arts, on_dask)) == local
    assert len(set(local)) > 5


def test_same_input_same_ids_and_ids_count_up() -> None:
    arts, _ = _pooled(5)
    first = list(assign_stories(arts))
    assert list(assign_stories(arts)) == first
    seen: list[int] = []
    for s in first:
        if s not in seen:
            seen.append(s)
    assert seen == list(range(len(seen)))  # story ids in order of creation


def test_saved_index_continues_exactly() -> None:
    arts, _ = _pooled(8)
    vecs = vectorize(arts)
    whole = StoryIndex().assign_all(vecs)
    half = len(vecs) // 2
    index = StoryIndex()
    head = index.assign_all(vecs[:half])
    restored = StoryIndex.from_bytes(index.to_bytes())
    assert head + restored.assign_all(vecs[half:]) == whole


def test_an_index_saved_with_other_features_is_refused() -> None:
    arts, _ = _pooled(2)
    index = StoryIndex()
    index.assign_all(vectorize(arts))
    saved = dict(np.load(io.BytesIO(index.to_bytes()), allow_pickle=False))
    head = json.loads(saved["head"].tobytes().decode())
    head["vectors"] -= 1  # as saved by the CRC-32 word features
    saved["head"] = np.frombuffer(json.dumps(head).encode(), np.uint8)
    buf = io.BytesIO()
    np.savez(buf, allow_pickle=False, **saved)
    with pytest.raises(StageError, match="other settings or features"):
        StoryIndex.from_bytes(buf.getvalue())


def test_words_are_letter_runs_less_stop_words_with_plurals_folded() -> None:
    a, b = vectorize(
        [
            article("a", "The cats, a cat; the CAT’s café in Zürich, x Москва."),
            article("b", "cat cat cat café zürich"),
        ]
    )
    # a: cat x3 (cats, cat, CAT; the "s" after ’ is one letter), café, zürich; the, a: stop
    # words; x: one letter; Москва: not Latin-1
    assert np.array_equal(a.body.idx, b.body.idx)
    assert np.allclose(a.body.val, b.body.val)
    assert len(a.body) == 3


def test_top_terms_are_ordered_as_by_weight_then_feature_with_ties() -> None:
    # the LSH signatures pick each article's heaviest terms with one int64 sort instead of a
    # three-key lexsort; equal weights are common (one article: same count, same IDF), and
    # the order must stay the lexsort's, or stories would land in other buckets
    rng = np.random.default_rng(0)
    group = np.repeat(np.arange(50, dtype=np.int64), 40)
    weight = rng.choice(np.array([0.25, 0.5, 1e-3, 3.0, 7e-8], np.float32), group.size)
    flat = rng.choice(3 * core.DIM, group.size, replace=False).astype(np.int32)
    order = core._heaviest_first(group, weight, flat)
    assert np.array_equal(order, np.lexsort((flat, -weight, group)))
    many = group * 100  # more groups than the packed key holds: still the lexsort's order
    assert np.array_equal(core._heaviest_first(many, weight, flat), order)


def test_compiled_loops_give_the_numpy_code_s_stories_bit_for_bit() -> None:
    # the compiled scoring and merge must reproduce the numpy float32 sums exactly, or a score
    # near the threshold would send an article elsewhere
    assert loops.COMPILED  # numba is a core dependency: this test must not pass vacuously
    arts, _ = _pooled(10)
    vecs = vectorize(arts)
    fast, slow = StoryIndex(compiled=True), StoryIndex(compiled=False)
    assert fast.assign_all(vecs) == slow.assign_all(vecs)
    for a, b in zip(fast._stories.values(), slow._stories.values(), strict=True):
        for x, y in ((a.centroid, b.centroid), (a.weights, b.weights)):
            assert np.array_equal(x.idx, y.idx) and np.array_equal(x.lens, y.lens)
            assert np.array_equal(x.val.view(np.int32), y.val.view(np.int32))


def test_segment_sums_are_the_sums_and_the_compiled_ones_the_same_bits() -> None:
    # numpy sums float32 pairwise (blocks of 8, halves past 128); the compiled sums must add in
    # the same order. Empty segments anywhere, the last ones included, take nothing from the
    # others (they once cut the segment before them short by one element).
    rng = np.random.default_rng(0)
    for lens in ([5, 0], [0, 3, 0, 0], [300, 7, 0], [129, 1, 64], [0], [16, 200, 1000]):
        lengths = np.array(lens, np.int64)
        val = (rng.random(lengths.sum()) ** 3 * 1e3).astype(np.float32)
        expected = core._segment_sums(val, lengths)
        bounds = np.cumsum([0, *lens])
        exact = [val[a:b].astype(np.float64).sum() for a, b in itertools.pairwise(bounds)]
        assert np.allclose(expected, exact, rtol=1e-5)
        assert np.array_equal(
            loops.segment_sums(val, lengths).view(np.int32), expected.view(np.int32)
        )
    ones = np.ones(5, np.float32)
    assert core._segment_sums(ones, np.array([5, 0]))[0] == 5.0
    assert loops.segment_sums(ones, np.array([5, 0]))[0] == 5.0


@pytest.mark.parametrize("compiled", [False, True])
def test_stories_own_their_arrays(compiled: bool) -> None:
    # vectors of a run of articles are views into shared arrays; a story that kept a view would
    # keep the whole run alive, and memory would grow with every chunk of a long stream
    arts, _ = _pooled(4)
    index = StoryIndex(compiled=compiled)  # the numpy code or the compiled loops
    index.assign_all(vectorize(arts))
    for story in index._stories.values():
        for arr in (story.centroid.idx, story.centroid.val, story.sig):
            owner = arr.base
            if isinstance(owner, np.ndarray) or owner is None:
                assert owner is None or owner.size == arr.size
            else:  # made by the compiled loops: numba's record of an allocation of its own
                assert owner.data == arr.ctypes.data


def test_store_runs_incrementally_as_articles_arrive(tmp_path: Path) -> None:
    from newsfuse.store import Store
    from newsfuse.stories import update_store

    arts, _ = _pooled(6)
    half = len(arts) // 2
    with Store(tmp_path / "news.db") as store:
        first = store.ingest(arts[:half]).added
        assert update_store(store, Run(chunk_size=25)) == first
        second = store.ingest(arts).added  # the first half again (skipped), then the rest
        assert update_store(store, Run(chunk_size=25)) == second
        assert update_store(store) == 0
        by_story = {s.story: s.size for s in store.stories()}
        stored = [s.article for s in store.articles()]
    expected = list(assign_stories(stored))  # one pass over the same articles
    assert by_story == {s: expected.count(s) for s in set(expected)}


def test_retired_stories_bound_memory() -> None:
    arts, _ = _pooled(8)
    index = StoryIndex(Settings(max_active=5))
    index.assign_all(vectorize(arts))
    assert index.active == 5


@pytest.mark.slow
def test_bcubed_on_pooled_clusters_stays_above_floor() -> None:
    arts, gold = _pooled(25)
    score = bcubed(list(assign_stories(arts)), gold)
    assert score.f1 >= BCUBED_FLOOR, score


def test_bcubed_reference_values() -> None:
    assert bcubed([1, 1, 2], ["a", "a", "b"]).f1 == 1.0
    s = bcubed([1, 1, 1, 1], ["a", "a", "b", "b"])
    assert (s.precision, s.recall) == (0.5, 1.0)


def test_entity_proxy_skips_sentence_starts_and_weekdays() -> None:
    text = "The White House said on Monday. Officials met Angela Merkel in Berlin. Then left."
    assert entities(text) == ["white house", "angela merkel", "berlin"]


def test_a_lead_dated_in_a_year_the_story_never_named_splits_look_alike_events() -> None:
    body = "\n".join(PROSE)
    arts = [
        article("a", f"LONDON, May 3, 2008. {body}"),
        article("b", f"LONDON, 1 June 2013. {body}"),  # same words, dated another year
        article("c", f"Posted 05/03/2008. Compare the 2013 case. {body}"),  # dated as the first
        article("d", f"As in 1999, {body}"),  # names a year, but no date: no conflict
        article("e", body),  # no year at all
    ]
    strict = Settings(year_conflict=1.0)
    assert list(assign_stories(arts, Run(settings=strict))) == [0, 1, 0, 0, 0]
    off = Settings(year_conflict=0.0)
    assert list(assign_stories(arts, Run(settings=off))) == [0, 0, 0, 0, 0]
    vec = vectorize(arts[2:3])[0]
    assert (vec.years.tolist(), vec.dated.tolist()) == ([2008, 2013], [2008])


def _jsonl(path: Path, arts: list[Article]) -> Path:
    lines = [json.dumps({"id": a.id, "title": a.title, "text": a.text}) for a in arts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_stories_of_a_file(tmp_path: Path) -> None:
    arts, _ = _pooled(4)
    src = _jsonl(tmp_path / "in.jsonl", arts)
    result = run("stories", str(src), "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [a.id for a in arts]
    assert [r["story"] for r in rows] == list(assign_stories(arts))


def test_cli_ingest_stories_list_brief(tmp_path: Path) -> None:
    arts, _ = _pooled(4)
    src, db = _jsonl(tmp_path / "in.jsonl", arts), str(tmp_path / "news.db")
    assert run("ingest", str(src), "--db", db).exit_code == 0
    assert run("stories", "--db", db).exit_code == 0
    listed = run("stories", "--db", db, "--list", "--format", "jsonl")
    stories = [json.loads(line) for line in listed.output.splitlines()]
    assert sum(s["size"] for s in stories) == len(arts)
    assert stories[0]["entities"] and stories[0]["title"]
    brief = run("brief", "--db", db, "--story", str(stories[0]["story"]), "--words", "50")
    assert brief.exit_code == 0 and brief.output.startswith("# ")
    # incremental: nothing new to assign, stories unchanged
    again = run("stories", "--db", db, "--list", "--format", "jsonl")
    assert run("stories", "--db", db).exit_code == 0 and again.output == listed.output


def test_cli_errors_and_help(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert run("stories", str(empty)).exit_code == 1
    assert run("ingest", str(empty), "--db", str(tmp_path / "n.db")).exit_code == 1
    assert run("stories").exit_code == 2  # neither INPUTS nor --db
    assert run("stories", "--db", str(tmp_path / "missing.db")).exit_code == 1
    assert run("brief", "--db", str(tmp_path / "n.db")).exit_code == 2  # --story missing
    for command in ("ingest", "stories", "brief"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
