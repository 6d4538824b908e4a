"""After a load, the planner's index statistics describe the graph as loaded (索引统计)."""

from __future__ import annotations

from pathlib import Path

from loaders.load import refresh_query_plans
from schema.labels import Label
from tests.conftest import Graph
from tests.loaders.test_load_graph import load

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"

# Test-only reads: the server's own statistics, and the nodes they should count.
INDEX_STATISTICS = (
    "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data "
    "UNWIND data.indexes AS index "
    "WITH index WHERE size(index.labels) = 1 AND size(index.properties) = 1 "
    "AND index.indexType = 'RANGE' "
    "RETURN index.labels[0] AS label, index.properties[0] AS property, "
    "index.totalSize AS sampled, index.updatesSinceEstimation AS updates"
)
HAVING_PROPERTY = (
    "MATCH (n) WHERE $label IN labels(n) AND n[$property] IS NOT NULL RETURN count(n) AS n"
)


def test_a_load_ends_with_every_index_sampled_as_loaded(graph: Graph) -> None:
    # Statistics of the empty graph first: what a plan made right after the load would see if
    # the background sampling had not yet caught up.
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    load(graph, SAMPLE)
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    indexes = graph.run(INDEX_STATISTICS)
    checked = {row["label"] for row in indexes}
    assert {Label.ENFORCEMENT_ITEM.value, Label.DELEGATION.value, Label.STREET.value} <= checked
    for row in indexes:
        [count] = graph.run(HAVING_PROPERTY, label=row["label"], property=row["property"])
        assert (row["sampled"], row["updates"]) == (count["n"], 0), row


def test_a_refused_resampling_is_reported_not_raised(graph: Graph) -> None:
    """Everything is loaded when the resampling runs: if the server refuses it (no admin rights
    on a server, a timeout; here a database that does not exist), the load says so and goes on."""
    problem = refresh_query_plans(graph.driver, "no-such-database")
    assert problem is not None and problem.startswith("index statistics were not resampled")
    assert "Neo.ClientError" in problem
