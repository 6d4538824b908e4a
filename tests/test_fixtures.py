"""The session's fixtures: the shared sample is the graph the loaders write, however it was put
back, and a wipe by anyone ends it."""

from __future__ import annotations

from typing import Any

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from tests import conftest
from tests.conftest import SAMPLE, Graph, GraphCopy


def contents(graph: Graph) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its labels, type and properties, ids left out."""
    copy = GraphCopy.of(graph)
    node = {n["key"]: (sorted(n["labels"]), sorted(n["props"].items())) for n in copy.nodes}
    return (
        sorted(map(repr, node.values())),
        sorted(
            repr((node[r["start"]], r["type"], sorted(r["props"].items()), node[r["end"]]))
            for r in copy.relationships
        ),
    )


def test_the_sample_put_back_from_its_copy_is_the_graph_the_loaders_write(graph: Graph) -> None:
    report = LoadReport()
    write_plan(
        graph.driver, graph.settings.neo4j_database, plan_load([SAMPLE], report, need_metadata=True)
    )
    assert not report.errors
    loaded = contents(graph)
    copy = GraphCopy.of(graph)
    graph.wipe()
    assert graph.counts() == (0, 0)
    copy.write_into(graph)
    assert contents(graph) == loaded
    assert graph.counts() == (len(copy.nodes), len(copy.relationships))
    assert len(copy.nodes) > 100 and len(copy.relationships) > 100


def test_a_wipe_by_a_modules_own_fixture_ends_the_shared_sample(sample_graph: Graph) -> None:
    before = contents(sample_graph)
    sample_graph.wipe()  # as test_query_plans' `skewed` does, without the fixtures knowing
    assert not conftest._holds_sample
    conftest._load_sample(sample_graph)
    assert contents(sample_graph) == before
