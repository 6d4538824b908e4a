"""catalogDiff(street or region, from, to): the README's "Catalog diff" answers, and subject changes."""

from __future__ import annotations

from datetime import date

import pytest

from queries.catalog_diff import CatalogDiff, catalog_diff
from queries.lookups import AmbiguousName, QueryInputError, item_code, region_code, street_code
from tests.conftest import Graph
from tests.queries.test_impact import LICHENG, scans
from tests.queries.test_legal_basis import load_h2

ADJUSTMENT = "licheng-street-delegation@2025-03-01"
WITHDRAWAL = "licheng-withdrawal-2025-haibin@2025-07-01"


def diff(graph: Graph, start: str, end: str, **scope: str) -> CatalogDiff:
    return graph.read(
        catalog_diff, from_date=date.fromisoformat(start), to_date=date.fromisoformat(end), **scope
    )


def test_licheng_2025_adjustment_in_every_street(sample_graph: Graph) -> None:
    answer = diff(sample_graph, "2025-02-28", "2025-03-01", region="鲤城区")
    assert answer.found
    assert sorted(s.street_name for s in answer.streets) == sorted(LICHENG)
    for street in answer.streets:
        assert street.codes("gained") == ["LC-CG-007", "LC-SC-005"]
        assert street.codes("withdrawn") == ["LC-SC-002"]
        assert street.codes("subject_changed") == []
        rows = {c.item_code: c for c in street.changes}
        assert [(d.started_by.id, d.started_by.row) for d in rows["LC-CG-007"].after] == [
            (ADJUSTMENT, 8)
        ]
        assert [(d.started_by.id, d.started_by.row) for d in rows["LC-SC-005"].after] == [
            (ADJUSTMENT, 14)
        ]
        [ended] = rows["LC-SC-002"].before
        assert ended.ended_by is not None and ended.ended_by.id == ADJUSTMENT
        assert ended.ended_by.row is None  # licheng-2025 no longer lists it
        assert "no longer listed" in rows["LC-SC-002"].evidence


def test_haibin_withdrawal_and_no_change_elsewhere(sample_graph: Graph) -> None:
    haibin = diff(sample_graph, "2025-06-30", "2025-07-01", street="海滨街道")
    [street] = haibin.streets
    assert [(c.change, c.item_code) for c in street.changes] == [("withdrawn", "LC-CG-004")]
    [ended] = street.changes[0].before
    assert ended.ended_by is not None
    assert (ended.ended_by.id, ended.ended_by.kind, ended.ended_by.row) == (
        WITHDRAWAL,
        "收回通知",
        2,
    )
    region = diff(sample_graph, "2025-06-30", "2025-07-01", region="350502")
    changed = {s.street_name: s.changes for s in region.streets}
    assert [c.item_code for c in changed.pop("海滨街道")] == ["LC-CG-004"]
    assert len(changed) == 7 and all(changes == [] for changes in changed.values())
    rows = region.sheets()[0].rows
    assert sum(row[2] == "无变化" for row in rows) == 7


def test_region_by_city_code_and_street_by_code(sample_graph: Graph) -> None:
    city = diff(sample_graph, "2025-02-28", "2025-03-01", region="泉州市")
    assert len(city.streets) == 8
    by_code = diff(sample_graph, "2025-02-28", "2025-03-01", street="350502001")
    assert [s.street_name for s in by_code.streets] == ["开元街道"]


def test_same_day_and_quiet_period_have_no_changes(sample_graph: Graph) -> None:
    for start, end in [("2025-03-01", "2025-03-01"), ("2024-10-01", "2025-02-28")]:
        answer = diff(sample_graph, start, end, region="鲤城区")
        assert all(street.changes == [] for street in answer.streets)


def test_unknown_scope_is_not_found(sample_graph: Graph) -> None:
    answer = diff(sample_graph, "2025-02-28", "2025-03-01", street="不存在街道")
    assert not answer.found and answer.streets == []


def test_bad_arguments_raise_a_query_input_error(sample_graph: Graph) -> None:
    with pytest.raises(QueryInputError, match="after"):
        diff(sample_graph, "2025-03-01", "2025-02-28", region="鲤城区")
    with pytest.raises(QueryInputError, match="exactly one"):
        diff(sample_graph, "2025-02-28", "2025-03-01", region="鲤城区", street="开元街道")
    with pytest.raises(QueryInputError, match="exactly one"):
        diff(sample_graph, "2025-02-28", "2025-03-01")


def test_catalog_diff_uses_no_label_scan(planned_sample_graph: Graph) -> None:
    for scope in (
        {"streetCode": "350502001", "regionCode": None},
        {"streetCode": None, "regionCode": "350500"},
    ):
        read = scans(
            planned_sample_graph,
            "catalog_diff",
            fromDate=date(2025, 2, 28),
            toDate=date(2025, 3, 1),
            **scope,
        )
        assert read == []


def test_mode_and_department_changes_are_subject_changes(graph: Graph) -> None:
    load_h2(graph)
    answer = diff(graph, "2018-12-31", "2019-01-01", region="示例区")
    assert [s.street_name for s in answer.streets] == ["一街道", "二街道"]
    for street in answer.streets:
        changes = {c.item_code: c for c in street.changes}
        assert street.codes("subject_changed") == ["H-DS-001", "H-GT-001", "H-GT-002"]
        assert street.codes("withdrawn") == ["H-GT-003"]
        gt001 = changes["H-GT-001"]  # 委托 → 赋权, same department
        assert [d.mode for d in gt001.before] == ["委托"] and [d.mode for d in gt001.after] == [
            "赋权"
        ]
        gt002 = changes["H-GT-002"]  # and to another department
        assert [d.department_id for d in gt002.before] == ["H-SJJ"]
        assert [d.department_id for d in gt002.after] == ["H-CGJ"]
        [new] = gt002.after
        [old] = gt002.before
        assert new.started_by is not None and (new.started_by.doc_number, new.started_by.row) == (
            "示政〔2019〕2号",
            3,
        )
        assert old.ended_by is not None and old.ended_by.doc_number == "示政〔2019〕2号"
        assert "示政〔2019〕2号" in gt002.evidence


def test_lookups_resolve_codes_and_exact_names(sample_graph: Graph) -> None:
    assert sample_graph.read(region_code, region="鲤城区") == "350502"
    assert sample_graph.read(region_code, region="350500") == "350500"
    assert sample_graph.read(street_code, street="积玉桥街道") == "420106001"
    assert sample_graph.read(street_code, street="积玉桥") is None  # exact names only
    assert sample_graph.read(item_code, item="LC-SC-005") == "LC-SC-005"
    with pytest.raises(AmbiguousName):
        sample_graph.read(
            item_code, item="对在人口集中地区露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚"
        )
