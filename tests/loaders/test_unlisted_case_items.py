"""Cases about items no catalog lists (issue 14.13) load: a warning names the file, the line, the
case and the item, and the item is recorded as unlisted (no catalog LISTS it) — never refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from authreg.cli import app
from loaders.bulk_graph import BulkGraph
from loaders.load import FileOutcome, plan_load, write_plan
from loaders.organisation import read_data_file
from loaders.records import build_cases, build_organisation
from loaders.report import LoadReport
from tests.conftest import Graph

TESTS = Path(__file__).resolve().parents[1]
COUNTY = TESTS / "catalogs" / "county"
UNLISTED = TESTS / "catalogs" / "cases" / "unlisted-cases.yaml"


def load(graph: Graph, *paths: Path) -> dict[str, FileOutcome]:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    return dict(write_plan(graph.driver, graph.settings.neo4j_database, plan))


def items(graph: Graph) -> list[dict]:
    return graph.run(
        "MATCH (i:EnforcementItem) OPTIONAL MATCH (c:Case)-[:CONCERNS]->(i) "
        "RETURN i.code AS code, i.name AS name, i.type AS type, i.recorded_from AS recorded, "
        "EXISTS { (:Catalog)-[:LISTS]->(i) } AS listed, collect(c.id) AS cases ORDER BY code"
    )


def test_a_case_about_an_unlisted_item_loads_with_a_warning_naming_file_line_and_item(
    graph: Graph,
) -> None:
    outcomes = load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", UNLISTED)
    warnings = outcomes[UNLISTED.name].warnings
    assert len(warnings) == 2, warnings
    first, second = warnings
    # The CLI prints each as "warning: unlisted-cases.yaml: line 7, column cases.item: …".
    assert first.startswith("line 7, column cases.item: case UL-2025-001")
    assert "330100-XZCF-0417 对擅自在街道两侧和公共场地堆放物料的处罚" in first
    assert second.startswith("line 17, column cases.item: case UL-2025-002")
    assert "line 17" in second and "对在居民楼道内违规停放电动自行车的处罚" in second
    assert all("事项未列入任何目录" in w for w in warnings)
    unlisted = [row for row in items(graph) if not row["listed"]]
    assert unlisted == [
        {
            "code": "330100-XZCF-0417",
            "name": "对擅自在街道两侧和公共场地堆放物料的处罚",
            "type": "行政处罚",  # a case is a penalty procedure unless the file says otherwise
            "recorded": "case",
            "listed": False,
            "cases": ["UL-2025-001"],
        },
        {
            "code": "对在居民楼道内违规停放电动自行车的处罚",  # named only: the name is its key
            "name": "对在居民楼道内违规停放电动自行车的处罚",
            "type": "行政处罚",
            "recorded": "case",
            "listed": False,
            "cases": ["UL-2025-002"],
        },
    ]
    assert graph.run("MATCH (:Case)-[:HAS_TRANSFER]->(t) RETURN t.id AS id") == [{"id": "UL-T-001"}]
    assert graph.run("MATCH (d:Dispute)-[:ABOUT]->(c) RETURN c.id AS c") == [{"c": "UL-2025-001"}]


def test_reloading_warns_again_and_writes_nothing_new(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", UNLISTED)
    before = content(graph)
    again = load(graph, UNLISTED)[UNLISTED.name]
    assert len(again.warnings) == 2  # still unlisted: still said
    assert content(graph) == before


def content(graph: Graph) -> tuple[int, int]:
    """Nodes and relationships but the markers each write transaction counts itself by."""
    [row] = graph.run(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:GraphWrite WITH count(n) AS nodes "
        "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
    )
    return row["nodes"], row["rels"]


def test_a_catalog_listing_the_item_later_makes_it_listed_and_keeps_its_wording(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", UNLISTED)
    listing = tmp_path / "county-2025b.csv"
    listing.write_text(
        "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域\n"
        "1,330100-XZCF-0417,对在街道两侧和公共场地堆放物料的处罚,行政处罚,"
        "《城市市容和环境卫生管理条例》第三十六条第(六)项,测试县城市管理和综合执法局,城市管理\n",
        encoding="utf-8",
    )
    meta = (COUNTY / "county-2025.meta.yaml").read_text(encoding="utf-8")
    (tmp_path / "county-2025b.meta.yaml").write_text(
        meta.replace("series: county-delegation", "series: county-extra"), encoding="utf-8"
    )
    load(graph, listing)
    [row] = [r for r in items(graph) if r["code"] == "330100-XZCF-0417"]
    assert row["listed"] and row["name"] == "对在街道两侧和公共场地堆放物料的处罚"
    cases = tmp_path / "cases.yaml"
    shutil.copy(UNLISTED, cases)
    assert len(load(graph, cases)[cases.name].warnings) == 1  # only the name-only item is left
    [row] = [r for r in items(graph) if r["code"] == "330100-XZCF-0417"]
    assert row["name"] == "对在街道两侧和公共场地堆放物料的处罚"  # the catalog's wording stays


def test_the_bulk_import_records_unlisted_items_the_same_way() -> None:
    graph = BulkGraph()
    organisation = read_data_file(COUNTY / "organisation.yaml")
    build_organisation(graph, organisation, "organisation.yaml")  # type: ignore[arg-type]
    outcome = build_cases(graph, read_data_file(UNLISTED), UNLISTED.name)  # type: ignore[arg-type]
    assert len(outcome.warnings) == 2
    recorded = graph.nodes["EnforcementItem"]
    assert sorted(recorded) == ["330100-XZCF-0417", "对在居民楼道内违规停放电动自行车的处罚"]
    assert recorded["330100-XZCF-0417"]["recorded_from"] == "case"
    concerns = graph.rels[("CONCERNS", "Case", "EnforcementItem")]
    assert ("UL-2025-001", "330100-XZCF-0417") in concerns


def test_the_cli_prints_the_warning_with_the_file_and_exits_0(graph: Graph) -> None:
    env = {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
    }
    paths = [COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", UNLISTED]
    result = CliRunner().invoke(app, ["load", *map(str, paths)], env=env)
    assert result.exit_code == 0, result.output
    assert "warning: unlisted-cases.yaml: line 7, column" in result.output
    assert "warning: unlisted-cases.yaml: line 17, column" in result.output


def test_load_check_gives_the_same_warnings_once_and_writes_nothing(graph: Graph) -> None:
    """`--check` rehearses the cases against the graph: it warns as the load will (it used to
    be silent about them), and the load itself still says each warning once."""
    env = {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
    }
    paths = [str(p) for p in (COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", UNLISTED)]
    before = graph.counts()
    check = CliRunner().invoke(app, ["load", "--check", *paths], env=env)
    assert check.exit_code == 0, check.output
    assert graph.counts() == before
    loaded = CliRunner().invoke(app, ["load", *paths], env=env)
    for output in (check.output, loaded.output):
        for line in (7, 17):
            said = f"warning: unlisted-cases.yaml: line {line}, column cases.item"
            assert output.count(said) == 1, output
