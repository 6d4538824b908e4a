"""Questions and loads refuse a graph older than this code's schema, saying what to run.

A graph migrated by an older release lacks the newer indexes: without this check a question
met the missing full-text index as a Neo4j stack trace (ProcedureCallFailed: no such fulltext
schema index), and a load wrote into a graph its questions could not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authreg.cli import app
from authreg.errors import DatabaseError
from schema.migrate import expected_version
from tests.conftest import Graph
from tests.queries.test_cli_queries import env_of

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SET_BACK = 1000  # recorded versions are moved this far down, then restored


@pytest.fixture
def old_graph(graph: Graph) -> Iterator[Graph]:
    """The test graph as an older release left it: its recorded schema version is lower."""
    shift = "MATCH (m:SchemaMigration) SET m.version = m.version + $by"
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        session.run(shift, by=-SET_BACK).consume()
    try:
        yield graph
    finally:
        with graph.driver.session(database=graph.settings.neo4j_database) as session:
            session.run(shift, by=SET_BACK).consume()


@pytest.mark.parametrize(
    "args",
    [
        ["query", "route", "有人在路边摆摊卖水果", "--street", "海滨街道"],
        ["query", "authority", "--item", "LC-CG-004", "--street", "海滨街道"],
        ["load", str(SAMPLE / "licheng")],
    ],
    ids=["route", "authority", "load"],
)
def test_an_unmigrated_graph_is_refused_with_the_command_that_fixes_it(
    old_graph: Graph, args: list[str]
) -> None:
    result = runner.invoke(app, args, env=env_of(old_graph))
    assert isinstance(result.exception, DatabaseError), result.output
    expected, _ = expected_version()
    message = str(result.exception)
    assert f"this code expects {expected}" in message and "authreg migrate" in message
    assert "Traceback" not in result.output
    assert old_graph.counts()[0] == 0  # the load wrote nothing


def test_a_migrated_graph_is_asked_as_before(graph: Graph) -> None:
    result = runner.invoke(
        app,
        ["query", "authority", "--item", "LC-CG-004", "--street", "海滨街道"],
        env=env_of(graph),
    )
    assert not isinstance(result.exception, DatabaseError), result.exception
