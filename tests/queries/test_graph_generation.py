"""The graph's write counter (图版本号): every write transaction bumps it once, and only if it commits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
from neo4j import ManagedTransaction

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.write import bump_generation, bumping, fold_graph_writes
from queries.graph_generation import graph_generation
from tests.conftest import SAMPLE, Graph


def test_a_graph_never_written_is_at_generation_zero(graph: Graph) -> None:
    found = graph.read(graph_generation)
    assert found.generation == 0 and found.changed_at is None


def test_each_file_of_a_load_is_one_write(graph: Graph) -> None:
    report = LoadReport()
    plan = plan_load([SAMPLE], report, need_metadata=True)
    outcomes = write_plan(graph.driver, graph.settings.neo4j_database, plan)
    found = graph.read(graph_generation)
    assert found.generation == len(outcomes) > 1 and found.changed_at is not None
    assert graph.run("MATCH (w:GraphWrite) RETURN count(w) AS n") == [{"n": len(outcomes)}]
    assert graph.run("MATCH (g:GraphState) RETURN count(g) AS n") == [{"n": 0}]  # none shared


def test_the_bump_is_part_of_the_write_and_rolls_back_with_it(graph: Graph) -> None:
    def fails(tx: ManagedTransaction) -> None:
        tx.run("CREATE (:Region {code: 'x', name: 'x'})").consume()
        raise ValueError("the write's own check fails")

    graph.write(bumping(lambda tx: None))
    with pytest.raises(ValueError):
        graph.write(bumping(fails))
    assert graph.read(graph_generation).generation == 1
    assert graph.run("MATCH (r:Region) RETURN count(r) AS n") == [{"n": 0}]


def test_concurrent_writers_lose_no_bump(graph: Graph) -> None:
    """Each writer makes a marker of its own: nothing to lose, nothing shared to wait on."""

    def bump_five(_: Any) -> None:
        for _ in range(5):
            graph.write(bump_generation)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump_five, range(8)))
    assert graph.read(graph_generation).generation == 40
    assert graph.run("MATCH (g:GraphState) RETURN count(g) AS n") == [{"n": 0}]


def test_a_wiped_and_refilled_graph_differs_from_the_one_before(graph: Graph) -> None:
    graph.write(bump_generation)
    before = graph.read(graph_generation)
    graph.wipe()
    graph.write(bump_generation)
    assert graph.read(graph_generation) != before


def test_two_writers_in_flight_at_once_both_commit_and_each_changes_the_generation(
    graph: Graph,
) -> None:
    """No write waits on another's counter: both transactions have made their marker before
    either commits (with one counter node every writer SET, the second waited for the first's
    commit, which waited for the second: the barrier broke). The readings between the commits
    see each commit on its own."""
    both_bumped, first_committed = threading.Barrier(2, timeout=30), threading.Event()

    def writer(first: bool, tx: ManagedTransaction) -> None:
        bump_generation(tx)
        both_bumped.wait()  # both markers made, neither committed
        if not first:
            assert first_committed.wait(30)

    before = graph.read(graph_generation)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(graph.write, partial(writer, True))
        second = pool.submit(graph.write, partial(writer, False))
        first.result(timeout=60)
        between = graph.read(graph_generation)
        first_committed.set()
        second.result(timeout=60)
    after = graph.read(graph_generation)
    assert (before.generation, between.generation, after.generation) == (0, 1, 2)
    assert before != between != after


def test_folding_old_markers_keeps_the_generation_and_its_time(graph: Graph) -> None:
    for _ in range(5):
        graph.write(bump_generation)
    before = graph.read(graph_generation)
    assert graph.write(fold_graph_writes, older_than_s=0) == 4  # the newest marker stays
    assert graph.read(graph_generation) == before
    assert graph.run("MATCH (w:GraphWrite) RETURN count(w) AS n") == [{"n": 1}]
    assert graph.write(fold_graph_writes, older_than_s=0) == 0
    graph.write(bump_generation)
    after = graph.read(graph_generation)
    assert after.generation == 6 and after != before


def test_recent_markers_are_not_folded(graph: Graph) -> None:
    for _ in range(3):
        graph.write(bump_generation)
    assert graph.write(fold_graph_writes) == 0  # none older than FOLD_OLDER_THAN_S
    assert graph.read(graph_generation).generation == 3


def test_concurrent_writers_that_fold_lose_and_double_no_write(graph: Graph) -> None:
    """Writers folding at the same time take GraphState's lock first, one after the other, and
    the later one reads only the markers the earlier left: each write is counted once."""
    bump = partial(bump_generation, fold_at=2, fold_older_than_s=0)

    def bump_five(_: Any) -> None:
        for _ in range(5):
            graph.write(bump)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump_five, range(8)))
    assert graph.read(graph_generation).generation == 40
    [row] = graph.run(
        "MATCH (g:GraphState) RETURN g.generation AS folded, COUNT { (:GraphWrite) } AS left"
    )
    assert row["folded"] + row["left"] == 40 and row["left"] <= 10
