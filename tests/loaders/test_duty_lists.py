"""Loading 属地管理事项责任清单 (seed 002 四、三) and the 办理层级 column (seed 002 二、二): what lands
in the graph, and every refusal naming file, row and column with nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authreg.cli import app
from authreg.errors import InputError
from loaders.handling import handling_tier
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from tests.conftest import SAMPLE, Graph
from tests.loaders.test_load_graph import cli_env

ESHAN = SAMPLE / "eshan"
HEADER = "序号,事项名称,乡镇(街道)责任,乡镇(街道)具体职责,县级部门,县级部门职责,对应执法事项,依据\n"
META = """kind: 属地管理事项责任清单
title: 测试县属地管理事项责任清单
effective: 2025-01-01
region: "530426"
streets: all
"""


def duty_list(folder: Path, rows: str, meta: str = META) -> Path:
    path = folder / "duties.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    (folder / "duties.meta.yaml").write_text(meta, encoding="utf-8")
    return path


def planned(*paths: Path) -> tuple[LoadReport, object]:
    report = LoadReport()
    return report, plan_load(list(paths), report, need_metadata=True)


def eshan_base(graph: Graph, tmp_path: Path) -> None:
    for name in ("organisation.yaml", "eshan-2024.csv", "eshan-2024.meta.yaml"):
        shutil.copy(ESHAN / name, tmp_path / name)
    report, plan = planned(tmp_path / "organisation.yaml", tmp_path / "eshan-2024.csv")
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


@pytest.mark.parametrize(
    ("cell", "tier"),
    [
        ("简易", "town"),
        ("乡镇(街道)", "town"),
        ("专业性技术性强", "county_team"),
        ("專業性技術性強", "county_team"),  # Traditional, as a mirror prints it
        ("县级专业执法队伍", "county_team"),
        ("其他", None),
    ],
)
def test_handling_cells_read_as_the_seeds_two_tiers(cell: str, tier: str | None) -> None:
    assert handling_tier(cell) == tier


def test_an_unknown_handling_word_names_file_row_and_column(tmp_path: Path) -> None:
    text = (ESHAN / "eshan-2024.csv").read_text(encoding="utf-8").replace(",,一般", ",,看情况")
    (tmp_path / "eshan-2024.csv").write_text(text, encoding="utf-8")
    shutil.copy(ESHAN / "eshan-2024.meta.yaml", tmp_path / "eshan-2024.meta.yaml")
    shutil.copy(ESHAN / "organisation.yaml", tmp_path / "organisation.yaml")
    report, plan = planned(tmp_path / "organisation.yaml", tmp_path / "eshan-2024.csv")
    [error] = report.errors
    assert (error.file, error.row, error.column, error.value) == (
        "eshan-2024.csv",
        6,  # ES-NY-001, 序号 5
        "办理层级",
        "看情况",
    )
    assert not plan.catalogs  # type: ignore[attr-defined]


def test_the_sample_lists_carry_their_tier_on_the_catalog_row(sample_graph: Graph) -> None:
    rows = sample_graph.run(
        "MATCH (c:Catalog {source_file: 'eshan-2024.csv'})-[l:LISTS]->(i:EnforcementItem) "
        "RETURN i.code AS code, l.handling AS handling, l.row AS row ORDER BY code"
    )
    assert {r["code"]: r["handling"] for r in rows} == {
        "ES-CG-001": "town",
        "ES-LC-001": "town",
        "ES-LC-002": "county_team",
        "ES-NY-001": "town",
        "ES-ZJ-001": "county_team",
        "ES-ZR-001": "town",
    }


def test_the_sample_duty_list_lands_whole_with_its_roles(sample_graph: Graph) -> None:
    [listed] = sample_graph.run(
        "MATCH (l:DutyList)-[:COVERS]->(:Region {code: '530426'}) "
        "RETURN l.id AS id, l.effective AS effective, l.source_file AS file, "
        "COUNT { (l)<-[:MATTER_IN]-() } AS matters"
    )
    assert listed["id"] == "eshan-duties@2025-01-01" and listed["matters"] == 6
    roles = sample_graph.run(
        "MATCH (m:DutyMatter)-[in:MATTER_IN]->(:DutyList {id: 'eshan-duties@2025-01-01'}) "
        "MATCH (m)-[d:DUTY_OF]->(b) "
        "RETURN in.row AS row, d.role AS role, labels(b)[0] AS kind, count(*) AS n "
        "ORDER BY row, kind"
    )
    by_row = {(r["row"], r["kind"]): (r["role"], r["n"]) for r in roles}
    assert by_row[(3, "Street")] == ("主体责任", 8)  # every town of 峨山
    assert by_row[(3, "Department")] == ("配合责任", 1)
    assert by_row[(4, "Department")] == ("主体责任", 1)  # 森林资源: the 林草局 leads
    assert by_row[(5, "Department")] == ("配合责任", 2)  # two departments named


def test_a_role_neither_lead_nor_assist_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    path = duty_list(tmp_path, "1,垃圾,负责,巡查,峨山县住房和城乡建设局,指导,,\n")
    report, plan = planned(path)
    [error] = report.errors
    assert (error.file, error.row, error.column) == ("duties.csv", 2, "乡镇(街道)责任")
    assert not plan.duty_lists  # type: ignore[attr-defined]


def test_a_list_without_its_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "duties.csv"
    path.write_text("序号,事项名称,依据\n1,垃圾,法\n", encoding="utf-8")
    (tmp_path / "duties.meta.yaml").write_text(META, encoding="utf-8")
    report, _ = planned(path)
    [error] = report.errors
    assert "乡镇(街道)责任" in error.message and "县级部门" in error.message


def test_an_unknown_department_or_item_refuses_the_list_and_writes_nothing(
    graph: Graph, tmp_path: Path
) -> None:
    eshan_base(graph, tmp_path)
    before = graph.run("MATCH (n:DutyMatter) RETURN count(n) AS n")
    for rows, column in [
        ("1,垃圾,主体责任,巡查,峨山县环卫局,指导,ES-CG-001,\n", "县级部门"),
        ("1,垃圾,主体责任,巡查,峨山县住房和城乡建设局,指导,ES-XX-999,\n", "对应执法事项"),
    ]:
        report, plan = planned(duty_list(tmp_path, rows))
        assert not report.errors
        with pytest.raises(InputError) as caught:
            write_plan(graph.driver, graph.settings.neo4j_database, plan)  # type: ignore[arg-type]
        assert (caught.value.file.name, caught.value.row, caught.value.column) == (
            "duties.csv",
            2,
            column,
        )
    assert graph.run("MATCH (n:DutyMatter) RETURN count(n) AS n") == before
    assert graph.run("MATCH (n:DutyList) RETURN count(n) AS n") == [{"n": 0}]


def test_reloading_a_list_replaces_its_roles_not_adds_to_them(graph: Graph, tmp_path: Path) -> None:
    eshan_base(graph, tmp_path)
    path = duty_list(tmp_path, "1,垃圾,主体责任,巡查,峨山县住房和城乡建设局,指导,ES-CG-001,\n")
    for _ in range(2):
        _, plan = planned(path)
        write_plan(graph.driver, graph.settings.neo4j_database, plan)  # type: ignore[arg-type]
    [count] = graph.run("MATCH (:DutyMatter)-[d:DUTY_OF]->() RETURN count(d) AS n")
    assert count["n"] == 8 + 1  # 8 towns, 1 department


def test_authreg_load_refuses_an_unknown_department_before_writing_any_file(
    graph: Graph, tmp_path: Path
) -> None:
    """The rehearsal resolves the list's names against the graph and the files before it, so
    the organisation and catalog given with it are not written either."""
    for name in ("organisation.yaml", "eshan-2024.csv", "eshan-2024.meta.yaml"):
        shutil.copy(ESHAN / name, tmp_path / name)
    duty_list(tmp_path, "1,垃圾,主体责任,巡查,峨山县环卫局,指导,ES-CG-001,\n")
    result = CliRunner().invoke(app, ["load", str(tmp_path)], env=cli_env(graph))
    assert result.exit_code != 0, result.output
    flat = " ".join(result.output.split())
    assert "duties.csv" in flat and "row 2" in flat and "县级部门" in flat, result.output
    assert graph.counts() == (0, 0)
