"""Selection of summary sentences: budgeted concept coverage, greedy and exact."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse import coverage


def value(problem: coverage.Problem, chosen: tuple[int, ...]) -> float:
    at = {item: k for k, item in enumerate(problem.items)}
    covered = {c for i in chosen for c in problem.concepts[at[i]]}
    return sum(problem.weights[c] for c in covered) + sum(problem.bonus[at[i]] for i in chosen)


def feasible(problem: coverage.Problem, chosen: tuple[int, ...]) -> bool:
    at = {item: k for k, item in enumerate(problem.items)}
    picked = {at[i] for i in chosen}
    return (
        sum(problem.lengths[k] for k in picked) <= problem.budget
        and not any(a in picked and b in picked for a, b in problem.conflicts)
        and all(t in picked for s, t in problem.requires if s in picked)
    )


def best(problem: coverage.Problem) -> float:
    """The optimum by trying every subset (small problems only)."""
    subsets = (
        tuple(problem.items[k] for k in combo)
        for r in range(len(problem.items) + 1)
        for combo in itertools.combinations(range(len(problem.items)), r)
    )
    return max(value(problem, c) for c in subsets if feasible(problem, c))


def test_a_long_valuable_sentence_beats_a_short_dense_one() -> None:
    # Plain best-value-per-word greedy takes the short item first and then cannot fit the long
    # one; starting from each item finds the better summary.
    problem = coverage.Problem(
        items=(10, 20),
        lengths=(2, 10),
        bonus=(0.0, 0.0),
        concepts=(("a",), ("b", "c")),
        weights={"a": 3.0, "b": 8.0, "c": 8.0},
        budget=10,
    )
    assert coverage.solve(problem) == (20,)
    assert coverage.solve_exact(problem) == (20,)


def test_shared_concepts_count_once() -> None:
    problem = coverage.Problem(
        items=(0, 1, 2),
        lengths=(5, 5, 5),
        bonus=(0.0, 0.0, 0.0),
        concepts=(("a", "b"), ("a", "b"), ("c",)),
        weights={"a": 2.0, "b": 2.0, "c": 1.0},
        budget=10,
    )
    assert coverage.solve(problem) in {(0, 2), (1, 2)}


def test_redundant_pairs_and_needed_antecedents_are_respected() -> None:
    problem = coverage.Problem(
        items=(0, 1, 2, 3),
        lengths=(4, 4, 4, 4),
        bonus=(0.0, 0.0, 0.0, 0.0),
        concepts=(("a",), ("b",), ("c",), ("d",)),
        weights={"a": 5.0, "b": 5.0, "c": 9.0, "d": 1.0},
        budget=8,
        conflicts=((0, 1),),
        requires=((2, 3),),  # item 2 ("He said ...") only with item 3 before it
    )
    chosen = coverage.solve(problem)
    assert feasible(problem, chosen)
    assert chosen == (2, 3)  # 9 + 1 beats 5 + 5, which the conflict forbids anyway


def test_nothing_to_choose() -> None:
    empty = coverage.Problem((), (), (), (), {}, 100)
    assert coverage.solve(empty) == () == coverage.solve_exact(empty)


@st.composite
def problems(draw: st.DrawFn) -> coverage.Problem:
    n = draw(st.integers(1, 7))
    names = "abcdefgh"
    concepts = tuple(
        tuple(sorted(draw(st.sets(st.sampled_from(names), max_size=4)))) for _ in range(n)
    )
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    conflicts = (
        tuple(draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))) if pairs else ()
    )
    requires = (
        tuple((a, b) for a, b in draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True)))
        if pairs
        else ()
    )
    return coverage.Problem(
        items=tuple(range(100, 100 + n)),
        lengths=tuple(draw(st.integers(1, 12)) for _ in range(n)),
        bonus=tuple(draw(st.floats(0, 1)) for _ in range(n)),
        concepts=concepts,
        weights={c: draw(st.floats(0.1, 10)) for c in names},
        budget=draw(st.integers(1, 30)),
        conflicts=conflicts,
        requires=tuple({b: (b, a) for a, b in requires}.values()),  # one antecedent each
    )


@settings(max_examples=100, deadline=None)
@given(problems())
def test_the_greedy_is_feasible_and_near_the_optimum(problem: coverage.Problem) -> None:
    chosen = coverage.solve(problem)
    assert feasible(problem, chosen)
    optimum = best(problem)
    # Greedy with partial enumeration keeps at least (1 - 1/e) of the optimum without the
    # sentence constraints (Khuller et al. 1999, with starts of three items; with one item, as
    # here, the bound is weaker); on these small problems it stays well above half.
    assert value(problem, chosen) >= 0.5 * optimum - 1e-9
    exact = coverage.solve_exact(problem)
    assert feasible(problem, exact)
    assert value(problem, exact) >= 0.99 * optimum - 1e-9
