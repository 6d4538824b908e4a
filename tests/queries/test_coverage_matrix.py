"""coverageMatrix(region, asOf) on the sample graph: every cell by authority()'s rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from queries.coverage_matrix import CoverageMatrix, coverage_matrix
from tests.conftest import SAMPLE, Graph

AUTHORITY_DATA = Path(__file__).resolve().parent / "data" / "authority"
LICHENG_STREETS = 8
LICHENG_ITEMS = 19  # 17 of licheng-2024 + LC-CG-007, LC-SC-005 of licheng-2025 (all HELD_BY)
HAIBIN, LINJIANG, KAIYUAN = "350502003", "350502004", "350502001"
CHENGGUAN = "鲤城区城市管理和综合执法局"
SHICHANG = "鲤城区市场监督管理局"


def matrix(graph: Graph, region: str, on: str) -> CoverageMatrix:
    return graph.read(coverage_matrix, region=region, as_of=date.fromisoformat(on))


def test_licheng_after_the_withdrawal_every_cell_is_granted_but_two_rows(
    sample_graph: Graph,
) -> None:
    answer = matrix(sample_graph, "350502", "2025-07-01")
    assert answer.found and answer.region_name == "鲤城区"
    assert len(answer.streets) == LICHENG_STREETS and len(answer.items) == LICHENG_ITEMS
    assert len(answer.cells) == LICHENG_STREETS * LICHENG_ITEMS
    withdrawn = answer.cell("LC-CG-004", HAIBIN)
    assert (withdrawn.rule, withdrawn.subject.name) == ("not_delegated", CHENGGUAN)  # type: ignore[union-attr]
    assert withdrawn.delegation_ids == [] and withdrawn.short == "部门(未赋权)"
    # LC-SC-002 is no longer listed since licheng-2025: its department everywhere.
    for street in answer.streets:
        ended = answer.cell("LC-SC-002", street.code)
        assert ended.subject is not None and ended.subject.name == SHICHANG
    others = [
        c
        for c in answer.cells
        if c.item_code != "LC-SC-002" and (c.item_code, c.street_code) != ("LC-CG-004", HAIBIN)
    ]
    assert len(others) == 143  # README: 143 delegations in force from 2025-07-01
    streets = {s.code: s.name for s in answer.streets}
    for cell in others:
        assert cell.rule == "grant" and cell.mode == "赋权" and len(cell.delegation_ids) == 1
        assert cell.subject is not None and cell.subject.name == streets[cell.street_code]
    [evidence] = answer.cell("LC-CG-004", LINJIANG).evidence
    assert (evidence.source_file, evidence.row) == ("licheng-2025.csv", 5)


def test_counts_per_street(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "鲤城区", "2025-07-01")  # by exact name
    counts = {n.street_code: n for n in answer.counts}
    assert (counts[HAIBIN].grant, counts[HAIBIN].not_delegated) == (17, 2)
    assert (counts[KAIYUAN].grant, counts[KAIYUAN].not_delegated) == (18, 1)
    assert all(n.station == n.entrust == n.conflict == n.unknown == 0 for n in answer.counts)


def test_the_matrix_and_long_sheets(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "350502", "2025-07-01")
    grid, long, counts = answer.sheets()
    assert grid.columns[:3] == ["编码", "名称", "原实施部门"]
    assert grid.columns[3:] == [s.name for s in answer.streets]
    row = next(r for r in grid.rows if r[0] == "LC-CG-004")
    assert row[2] == CHENGGUAN
    assert row[3 + 2] == "部门(未赋权)" and row[3 + 3] == "街道(赋权)"  # 海滨, 临江
    assert len(long.rows) == len(answer.cells)
    assert all(len(r) == len(long.columns) for r in long.rows)
    linjiang = next(r for r in long.rows if r[0] == "LC-CG-004" and r[2] == LINJIANG)
    assert linjiang[long.columns.index("行")] == 5
    assert [r[1] for r in counts.rows][:1] == ["开元街道"]


def test_fuyang_station_streets_keep_the_department(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "330111", "2022-01-01")
    station = answer.cell("FY-ZH-001", "330111001")  # 富春街道
    assert station.rule == "station" and station.mode == "派驻"
    assert station.subject is not None and station.subject.name == "杭州市富阳区综合行政执法局"
    assert station.short == "部门(派驻)"
    grant = answer.cell("FY-ZH-001", "330111101")  # 新登镇
    assert grant.rule == "grant" and grant.subject.name == "新登镇"  # type: ignore[union-attr]
    counts = {n.street_name: n for n in answer.counts}
    assert counts["富春街道"].station == counts["银湖街道"].station == len(answer.items)
    assert counts["新登镇"].grant == len(answer.items)


def test_wuchang_only_jiyuqiao_holds_the_items(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "武昌区", "2023-01-01")
    assert len(answer.items) == 5
    for cell in answer.cells:
        held = cell.street_code == "420106001"  # 积玉桥街道
        assert cell.rule == ("grant" if held else "not_delegated"), cell
    cell = answer.cell("WC-CG-001", "420106002")  # 中华路街道
    assert cell.subject is not None and cell.subject.name == "武昌区城市管理执法委员会"


@pytest.mark.parametrize("on", ["2025-07-01", "2024-09-10"])
def test_every_licheng_cell_agrees_with_authority(sample_graph: Graph, on: str) -> None:
    answer = matrix(sample_graph, "350502", on)
    assert len(answer.cells) == LICHENG_STREETS * LICHENG_ITEMS
    for cell in answer.cells:
        single = sample_graph.read(
            authority, item=cell.item_code, street=cell.street_code, as_of=answer.as_of
        )
        where = f"{cell.item_code} × {cell.street_code} on {on}"
        assert (cell.outcome, cell.subject) == (single.outcome, single.subject), where
        assert cell.rule == (single.rule.key if single.rule else None), where
        applied = [single.delegation.id] if single.delegation else []
        assert cell.delegation_ids == applied, where


def test_before_the_first_list_every_cell_is_the_department(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "350502", "2024-09-10")
    assert {c.rule for c in answer.cells} == {"not_delegated"}
    assert answer.cell("LC-CG-001", KAIYUAN).subject.name == CHENGGUAN  # type: ignore[union-attr]


def test_an_unknown_region_is_not_found(sample_graph: Graph) -> None:
    answer = matrix(sample_graph, "不存在区", "2025-07-01")
    assert not answer.found and answer.cells == [] and answer.region_code is None
    assert [len(s.rows) for s in answer.sheets()] == [0, 0, 0]


def test_two_delegations_in_force_are_a_conflict_cell(graph: Graph) -> None:
    licheng = SAMPLE / "licheng"
    report = LoadReport()
    paths = [licheng / "organisation.yaml", licheng / "licheng-2024.csv", AUTHORITY_DATA]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)

    answer = matrix(graph, "350502", "2024-10-02")
    cell = answer.cell("LC-CG-001", KAIYUAN)
    assert cell.outcome == "conflict" and cell.subject is None and cell.short == "冲突"
    assert len(cell.delegation_ids) == 2 and sorted(cell.mode.split("、")) == ["委托", "赋权"]  # type: ignore[union-attr]
    assert {e.source_file for e in cell.evidence} == {
        "licheng-2024.csv",
        "kaiyuan-entrusted.csv",
    }
    assert {n.street_code: n.conflict for n in answer.counts}[KAIYUAN] == 1
    single = graph.read(authority, item="LC-CG-001", street=KAIYUAN, as_of=answer.as_of)
    assert single.outcome == "conflict"
