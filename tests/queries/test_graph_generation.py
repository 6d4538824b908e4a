"""The graph's write counter (图版本号): every write transaction bumps it once, and only if it commits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from neo4j import ManagedTransaction

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.write import bump_generation, bumping
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
    assert graph.run("MATCH (g:GraphState) RETURN count(g) AS n") == [{"n": 1}]


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
    """Cypher locks the node before reading a property its SET depends on (no lost update)."""

    def bump_five(_: Any) -> None:
        for _ in range(5):
            graph.write(bump_generation)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump_five, range(8)))
    assert graph.read(graph_generation).generation == 40
    assert graph.run("MATCH (g:GraphState) RETURN count(g) AS n") == [{"n": 1}]


def test_a_wiped_and_refilled_graph_differs_from_the_one_before(graph: Graph) -> None:
    graph.write(bump_generation)
    before = graph.read(graph_generation)
    graph.wipe()
    graph.write(bump_generation)
    assert graph.read(graph_generation) != before
