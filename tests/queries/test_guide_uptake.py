"""Guide uptake (省级指导目录承接情况, issue 17.6) on the sample: 鲤城区 against the 福建省 guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from authreg.cli import app
from queries.guide_uptake import GuideUptake, guide_uptake
from tests.conftest import Graph
from tests.queries.test_cli_queries import env_of

runner = CliRunner()

ON = date(2025, 8, 1)


def _licheng(answer: GuideUptake):
    [county] = [c for c in answer.counties if c.code == "350502"]
    return county


def test_licheng_takes_up_the_guide_rows_its_list_names_and_says_how(sample_graph: Graph) -> None:
    answer = sample_graph.read(guide_uptake, province="福建省", as_of=ON)
    county = _licheng(answer)
    matched = {(m.county_item.code, m.guide_item.row, m.match) for m in county.matched}
    assert matched == {
        ("LC-CG-001", 2, "name+article"),  # 对…行为的行政处罚 vs 对…的处罚, 固废法 第一百一十一条
        ("LC-CG-002", 3, "name+article"),
        ("LC-CG-003", 4, "name+article"),
        ("LC-CG-006", 5, "name"),  # Licheng's basis is unparseable: the name alone
        ("LC-ST-001", 8, "name+article"),
    }
    assert all(m.guide_item.source_file == "fujian-guide-2024.csv" for m in county.matched)


def test_a_county_item_fitting_two_guide_rows_is_shown_not_guessed(sample_graph: Graph) -> None:
    county = _licheng(sample_graph.read(guide_uptake, province="350000", as_of=ON))
    [ambiguous] = county.ambiguous
    assert ambiguous.county_item.code == "LC-ZJ-001"
    assert sorted(g.row for g in ambiguous.candidates) == [9, 10]
    assert not {9, 10} & {g.row for g in county.not_taken_up}


def test_guide_rows_not_taken_up_and_items_added_beyond_the_guide(sample_graph: Graph) -> None:
    county = _licheng(sample_graph.read(guide_uptake, province="福建省", as_of=ON))
    assert [g.row for g in county.not_taken_up] == [6, 7]  # 堆放物料, 餐饮油烟
    assert {i.code for i in county.added} == {
        "LC-CG-004",
        "LC-CG-005",
        "LC-CG-007",
        "LC-SC-001",
        "LC-SC-003",
        "LC-SC-004",
        "LC-SC-005",
        "LC-YJ-001",
        "LC-YJ-002",
        "LC-XF-001",
        "LC-XF-002",
        "LC-XF-003",
    }
    [added] = [i for i in county.added if i.code == "LC-CG-007"]
    assert (added.source_file, added.row) == ("licheng-2025.csv", 8)


def test_the_table_has_a_row_per_guide_item_and_a_column_per_county(sample_graph: Graph) -> None:
    answer = sample_graph.read(guide_uptake, province="福建省", as_of=ON)
    assert [r.guide_item.row for r in answer.table] == list(range(2, 11))
    cells = {r.guide_item.row: r.cells[0] for r in answer.table}
    assert [c.county_code for c in answer.table[0].cells] == [c.code for c in answer.counties]
    assert (cells[2].status, cells[2].county_items) == ("名称+条文", ["LC-CG-001"])
    assert (cells[6].status, cells[9].status) == ("未承接", "待确认")
    sheet = answer.sheets()[0]
    assert sheet.columns[-1] == "鲤城区" and len(sheet.rows) == 9


def test_before_the_guide_takes_effect_there_is_nothing_to_compare(sample_graph: Graph) -> None:
    answer = sample_graph.read(guide_uptake, province="福建省", as_of=date(2024, 5, 31))
    assert answer.guides == [] and answer.table == []
    assert any("没有生效的省级指导目录" in note for note in answer.notes)
    county = _licheng(answer)
    assert county.not_taken_up == [] and county.matched == []


def test_a_guide_delegates_nothing(sample_graph: Graph) -> None:
    [row] = sample_graph.run(
        "MATCH (c:Catalog {kind: '省级指导目录'}) "
        "RETURN count { (c)<-[:AUTHORIZED_BY|ENDED_BY]-() } AS delegations, "
        "count { (c)-[:LISTS]->() } AS listed, count { (c)-[:GUIDES]->() } AS guided"
    )
    assert row == {"delegations": 0, "listed": 0, "guided": 9}


def test_the_report_is_a_workbook_whose_first_sheet_is_the_table(
    sample_graph: Graph, tmp_path: Path
) -> None:
    target = tmp_path / "承接情况.xlsx"
    args = ["report", "guide-uptake", "--province", "福建省", "--as-of", "2025-08-01"]
    result = runner.invoke(
        app, [*args, "--format", "xlsx", "--out", str(target)], env=env_of(sample_graph)
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[2]]  # row 1 is the sheet's title and date
    licheng = header.index("鲤城区")
    cells = [row[licheng] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(cells) == 9 and {"未承接", "名称 (LC-CG-006)", "待确认 (LC-ZJ-001)"} <= set(cells)


def test_a_county_is_not_asked_as_a_province(sample_graph: Graph) -> None:
    args = ["query", "guide-uptake", "--province", "鲤城区", "--as-of", "2025-08-01"]
    result = runner.invoke(app, args, env=env_of(sample_graph))
    assert result.exit_code != 0 and "not a province" in str(result.exception or result.output)
