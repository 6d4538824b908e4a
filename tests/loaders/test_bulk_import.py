"""The bulk first load (`authreg db import`) gives exactly the graph of the online loader.

The online loader writes through Cypher in transactions; the bulk path decides the same writes
on a graph in memory and imports it with neo4j-admin. Both are dumped from a real Neo4j and
compared label by label and relationship group by group, property by property.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authreg.cli import app
from authreg.driver import connected
from authreg.errors import RegistryError
from authreg.local_db import LocalNeo4j, free_port
from authreg.settings import load_settings
from loaders.admin_import import write_import_files
from loaders.bulk_load import build_graph
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.workers import fork_pool
from queries.dump import graph_dump, node_count
from schema.graph_rows import GraphRows, compare, differences
from schema.labels import Label, Rel
from synthetic.generate import generate
from tests.conftest import SAMPLE, Graph

PASSWORD = "bulk-import-test"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two counties with catalog versions, withdrawal and adjustment notices, cases, disputes."""
    out = tmp_path_factory.mktemp("synth") / "data"
    generate(out, counties=2, streets_per_county=5, items=20, seed=7)
    return out


def online(graph: Graph, folder: Path) -> GraphRows:
    """Load through `authreg load`'s own path, then dump the graph it wrote."""
    graph.wipe()
    report = LoadReport()
    plan = plan_load([folder], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return graph.read(graph_dump)


def in_memory(folder: Path) -> GraphRows:
    report = LoadReport()
    plan = plan_load([folder], report, need_metadata=True)
    assert not report.errors
    return build_graph(plan)


def assert_same(mine: GraphRows, theirs: GraphRows) -> None:
    comparison = compare(mine, theirs)
    assert comparison["same"], differences(comparison)


@pytest.mark.parametrize("source", ["sample", "synthetic"])
def test_the_graph_built_in_memory_is_the_graph_the_online_loader_writes(
    graph: Graph, dataset: Path, source: str
) -> None:
    folder = SAMPLE if source == "sample" else dataset
    written = online(graph, folder)
    assert_same(in_memory(folder), written)
    # The comparison covers what versioning decides, not only plain rows.
    for group in (
        (Rel.SUPERSEDES, Label.CATALOG, Label.CATALOG),
        (Rel.ENDED_BY, Label.DELEGATION, Label.CATALOG),
    ):
        assert written.rels.get(group), f"the {source} data has no {group}: nothing compared"


def test_a_changed_row_is_a_difference(graph: Graph, dataset: Path) -> None:
    """The comparison is not blind: one property changed in memory is reported."""
    written = online(graph, dataset)
    built = in_memory(dataset)
    key, props = built.nodes[Label.DELEGATION][0]
    built.nodes[Label.DELEGATION][0] = (key, {**props, "status": "changed"})
    comparison = compare(built, written)
    assert not comparison["same"]
    assert differences(comparison) == [
        "Delegation: {n} vs {n} rows, 2 differ".format(n=len(built.nodes[Label.DELEGATION]))
    ]


@pytest.fixture
def local_home(tmp_path: Path) -> Iterator[dict[str, str | None]]:
    """Environment for a local Neo4j of this test's own (and its stop afterwards)."""
    port = free_port()
    env = {
        "AUTHREG_LOCAL_HOME": str(tmp_path / "home"),
        "AUTHREG_LOCAL_PORT": str(port),
        "AUTHREG_LOCAL_HEAP": "512m",
        "AUTHREG_LOCAL_PAGECACHE": "128m",
        "AUTHREG_NEO4J_PASSWORD": PASSWORD,
        "NEO4J_URI": None,  # the local Neo4j, not the suite's
        "NEO4J_PASSWORD": None,
    }
    yield env
    LocalNeo4j(home=tmp_path / "home", port=port, password=PASSWORD).stop()


def test_db_import_gives_the_online_graph_and_refuses_to_replace_data(
    graph: Graph, dataset: Path, local_home: dict
) -> None:
    runner = CliRunner()
    first = runner.invoke(
        app, ["db", "import", str(dataset), "--import-heap", "512m"], env=local_home
    )
    assert first.exit_code == 0, first.output
    assert "imported" in first.output
    settings = load_settings(
        neo4j_uri=f"bolt://127.0.0.1:{local_home['AUTHREG_LOCAL_PORT']}", neo4j_password=PASSWORD
    )
    with connected(settings) as driver, driver.session(database="neo4j") as session:
        imported = session.execute_read(graph_dump)
        indexes = session.run("SHOW INDEXES YIELD name RETURN count(*) AS n").single()["n"]
        [audit] = session.run(
            "MATCH (a:AuditEntry) RETURN a.action AS action, a.source AS source, a.detail AS detail"
        ).data()
    report = LoadReport()
    files = plan_load([dataset], report, need_metadata=True).files()
    assert audit["action"] == "importGraph" and audit["source"] == "cli:db import"
    detail = json.loads(audit["detail"])
    assert detail["files"] == len(files) > 3
    assert (detail["nodes"], detail["relationships"]) == (imported.node_count, imported.rel_count)
    assert_same(imported, online(graph, dataset))
    assert indexes > 10  # the schema was applied after the import

    again = runner.invoke(app, ["db", "import", str(dataset)], env=local_home)
    assert isinstance(again.exception, RegistryError)  # `authreg` prints it and exits 2
    assert "--replace" in str(again.exception)
    with connected(settings) as driver, driver.session(database="neo4j") as session:
        assert session.execute_read(node_count) == imported.node_count  # untouched


def test_bad_input_imports_nothing(tmp_path: Path, local_home: dict) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("事项编码,事项名称,实施依据\nX1,,《消防法》第六十条\n", encoding="utf-8")
    (tmp_path / "bad.meta.yaml").write_text("effective: 2024-01-01\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["db", "import", str(bad)], env=local_home)
    assert result.exit_code == 2, result.output
    assert "nothing imported" in result.output
    assert not (Path(local_home["AUTHREG_LOCAL_HOME"]) / "data").exists()


def test_text_with_line_breaks_is_set_after_the_import(tmp_path: Path) -> None:
    """neo4j-admin's multi-line parser failed on a 1,000-county graph ("found CR outside a text
    cell"): the CSV carries such text on one line, the exact value is set afterwards."""
    graph = GraphRows(
        nodes={Label.ENFORCEMENT_ITEM: [("X1", {"code": "X1", "basis_raw": "第一条\r\n第二条"})]}
    )
    files = write_import_files(graph, tmp_path)
    text = (tmp_path / "nodes-EnforcementItem.csv").read_text(encoding="utf-8")
    assert text.count("\n") == 2 and "\r" not in text  # the header and one row
    nodes, _ = files.after_import
    assert nodes["EnforcementItem"] == [{"key": "X1", "props": {"basis_raw": "第一条\r\n第二条"}}]


def test_csv_written_by_two_processes_is_byte_for_byte_what_one_writes(
    dataset: Path, tmp_path: Path
) -> None:
    graph = in_memory(dataset)
    pool = fork_pool(2, len(graph.nodes) + len(graph.rels))
    assert pool is not None, "the two-process path would not be taken here: nothing compared"
    pool.shutdown()
    alone = write_import_files(graph, tmp_path / "one")
    shared = write_import_files(graph, tmp_path / "two", workers=2)
    assert [a.replace("/one/", "/") for a in alone.args] == [
        a.replace("/two/", "/") for a in shared.args
    ]
    names = sorted(path.name for path in (tmp_path / "one").iterdir())
    assert len(names) > 20 and names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (alone.nodes, alone.relationships) == (shared.nodes, shared.relationships)
