"""Zone joint-enforcement item lists (片区联合执法基础事项清单, issue 17.2): seed 000 四(二) — 由主管部门提请
区城市管理和综合执法局审查同意后方可纳入, 相应联合执法工作由主管部门牵头并对联合执法结果负责. Each row's
lead department and proposer load from the list file; an item is in force once approved by the
body the region's policy names; the approval check and the zone answers read the same record."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from authreg.errors import InputError
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.zone_lists import ZoneListApproval, ZoneListError, approve_zone_list
from queries.coverage_gaps import coverage_gaps
from queries.zone_division import zone_division
from tests.conftest import Graph

RULES = Path(__file__).parent / "data" / "rules"
LISTS = Path(__file__).parent / "data" / "zone_lists"
ON = date(2025, 5, 1)


def load(graph: Graph, *paths: Path) -> None:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def county(graph: Graph) -> None:
    """The rules county without its zone list: organisation, county list and powers."""
    load(
        graph,
        RULES / "organisation.yaml",
        RULES / "rules-county-2024.csv",
        RULES / "rules-powers-2024.csv",
    )


def listed(graph: Graph, series: str) -> dict[str, dict]:
    rows = graph.run(
        "MATCH (c:Catalog {series: $series})-[l:LISTS]->(i) RETURN i.code AS code, "
        "l.lead_department AS lead, l.proposed_by AS proposer, l.proposed_on AS proposed, "
        "l.approved_by AS approver, l.approved_on AS approved, l.approval AS approval",
        series=series,
    )
    return {row.pop("code"): row for row in rows}


def approval_gaps(graph: Graph, as_of: date, region: str = "990202") -> list[tuple]:
    answer = graph.read(coverage_gaps, region=region, as_of=as_of)
    return [
        ([(s.kind, s.key) for s in gap.subjects], gap.measured, gap.detail)
        for gap in answer.gaps
        if gap.rule == "zone_item_list_approver"
    ]


def test_each_row_names_its_lead_department_and_proposer_and_the_metadata_its_approval(
    graph: Graph,
) -> None:
    county(graph)
    load(graph, LISTS / "rules-zone-2024b.csv")
    rows = listed(graph, "rules-zone-list")
    # 牵头部门 by alias (县城管局) or a name without its county (县市场监督管理局); 提请部门 blank:
    # the lead department proposed it (由主管部门提请).
    assert {code: (r["lead"], r["proposer"]) for code, r in rows.items()} == {
        "R-CG-001": ("r-cgj", "r-cgj"),
        "R-SC-001": ("r-scj", "r-scj"),
    }
    assert rows["R-CG-001"]["approver"] == "r-cgj" and rows["R-CG-001"]["approval"] == "metadata"
    assert str(rows["R-CG-001"]["approved"]) == "2024-05-20"
    assert rows["R-SC-001"]["approver"] is None  # proposed only
    assert str(rows["R-SC-001"]["proposed"]) == "2024-05-10"


def test_the_approval_check_counts_the_items_listed_without_approval(graph: Graph) -> None:
    county(graph)
    load(graph, LISTS / "rules-zone-2024b.csv")
    [(subjects, measured, detail)] = approval_gaps(graph, ON)
    assert subjects == [("目录", "rules-zone-list@2024-06-01"), ("部门", "r-cgj")]
    assert measured == 1
    assert "R-SC-001" in detail and "R-CG-001" not in detail
    assert "规则县市场监督管理局提请, 未经审查同意" in detail
    assert approval_gaps(graph, date(2024, 5, 31)) == []  # the list takes effect 2024-06-01


def test_an_approval_by_another_body_is_a_gap(graph: Graph, tmp_path: Path) -> None:
    county(graph)
    shutil.copy(LISTS / "rules-zone-2024b.csv", tmp_path / "zone.csv")
    meta = (LISTS / "rules-zone-2024b.meta.yaml").read_text(encoding="utf-8")
    (tmp_path / "zone.meta.yaml").write_text(
        meta.replace("approved_by: 县城管局", "approved_by: 规则县应急管理局").replace(
            "approved_items: [R-CG-001]", ""
        ),
        encoding="utf-8",
    )
    load(graph, tmp_path / "zone.csv")
    [(_, measured, detail)] = approval_gaps(graph, ON)
    assert measured == 2
    assert detail.count("由规则县应急管理局而非规则指定的部门审查同意") == 2


def test_a_row_naming_no_lead_department_is_refused_with_its_row_and_column(
    graph: Graph, tmp_path: Path
) -> None:
    county(graph)
    text = (LISTS / "rules-zone-2024b.csv").read_text(encoding="utf-8")
    (tmp_path / "zone.csv").write_text(text.replace(",县城管局,,", ",,,"), encoding="utf-8")
    shutil.copy(LISTS / "rules-zone-2024b.meta.yaml", tmp_path / "zone.meta.yaml")
    report = LoadReport()
    plan = plan_load([tmp_path / "zone.csv"], report, need_metadata=True)
    with pytest.raises(InputError) as refused:
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert (refused.value.row, refused.value.column) == (3, "牵头部门")
    assert "主管部门牵头" in refused.value.problem
    assert listed(graph, "rules-zone-list") == {}  # nothing of the list was written


def test_a_lead_department_the_region_lacks_is_refused(graph: Graph, tmp_path: Path) -> None:
    county(graph)
    text = (LISTS / "rules-zone-2024b.csv").read_text(encoding="utf-8")
    (tmp_path / "zone.csv").write_text(text.replace(",县城管局,,", ",县园林局,,"), encoding="utf-8")
    shutil.copy(LISTS / "rules-zone-2024b.meta.yaml", tmp_path / "zone.meta.yaml")
    plan = plan_load([tmp_path / "zone.csv"], LoadReport(), need_metadata=True)
    with pytest.raises(InputError, match="县园林局") as refused:
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert refused.value.row == 3


def test_an_approval_naming_an_item_the_list_lacks_is_refused(graph: Graph, tmp_path: Path) -> None:
    county(graph)
    shutil.copy(LISTS / "rules-zone-2024b.csv", tmp_path / "zone.csv")
    meta = (LISTS / "rules-zone-2024b.meta.yaml").read_text(encoding="utf-8")
    (tmp_path / "zone.meta.yaml").write_text(
        meta.replace("[R-CG-001]", "[R-CG-001, R-XX-009]"), encoding="utf-8"
    )
    plan = plan_load([tmp_path / "zone.csv"], LoadReport(), need_metadata=True)
    with pytest.raises(InputError, match="R-XX-009"):
        write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_an_approval_before_the_proposal_is_refused_in_the_metadata(tmp_path: Path) -> None:
    shutil.copy(LISTS / "rules-zone-2024b.csv", tmp_path / "zone.csv")
    meta = (LISTS / "rules-zone-2024b.meta.yaml").read_text(encoding="utf-8")
    (tmp_path / "zone.meta.yaml").write_text(
        meta.replace("approved: 2024-05-20", "approved: 2024-05-01"), encoding="utf-8"
    )
    report = LoadReport()
    plan_load([tmp_path / "zone.csv"], report, need_metadata=True)
    [problem] = report.errors
    assert "before proposed" in problem.line()


def test_the_sample_zone_list_has_one_item_proposed_but_not_approved(sample_graph: Graph) -> None:
    [(subjects, measured, detail)] = approval_gaps(sample_graph, date(2025, 6, 1), "350502")
    assert subjects == [("目录", "licheng-zone-list@2024-12-01"), ("部门", "lc-cgj")]
    assert measured == 1 and "LC-YJ-002" in detail and "牵头: 鲤城区应急管理局" in detail
    assert approval_gaps(sample_graph, date(2024, 11, 30), "350502") == []


def test_the_zone_division_lists_the_zone_list_in_force_with_each_lead_department(
    sample_graph: Graph,
) -> None:
    answer = sample_graph.read(zone_division, region="350502", as_of=date(2025, 6, 1))
    [zone_list] = answer.item_lists
    assert zone_list.catalog_id == "licheng-zone-list@2024-12-01"
    assert [(i.code, i.lead_name, i.in_force) for i in zone_list.items] == [
        ("LC-CG-002", "鲤城区城市管理和综合执法局", True),
        ("LC-SC-004", "鲤城区市场监督管理局", True),
        ("LC-YJ-001", "鲤城区应急管理局", True),
        ("LC-YJ-002", "鲤城区应急管理局", False),
    ]
    sheet = next(s for s in answer.sheets() if s.title == "片区联合执法基础事项清单")
    assert [row[-1] for row in sheet.rows] == ["在用"] * 3 + ["已提请, 未经审查同意"]
    earlier = sample_graph.read(zone_division, region="350502", as_of=date(2024, 11, 30))
    assert earlier.item_lists == []  # published 2024-11-28, in force from 2024-12-01


def approve(graph: Graph, **given: object) -> str:
    approval = ZoneListApproval.model_validate(
        {"list_id": "rules-zone-list@2024-06-01", "approved_by": "r-cgj"}
        | {"approved_on": date(2024, 5, 25)}
        | given
    )
    return graph.write(
        lambda tx: approve_zone_list(tx, approval, actor="测试", role="reviewer", source="test")
    )


def test_without_a_policy_naming_the_approver_an_approval_is_refused(graph: Graph) -> None:
    county(graph)
    load(graph, LISTS / "rules-zone-2024b.csv")
    graph.run("MATCH (p:Policy {id: 'R-P-ZONE-LIST'}) DETACH DELETE p")
    before = graph.counts()
    with pytest.raises(ZoneListError) as refused:
        approve(graph)
    assert refused.value.reason == "NO_APPROVER_POLICY" and "seed 000" in str(refused.value)
    assert graph.counts() == before


def test_an_approval_of_every_pending_item_then_leaves_nothing_to_approve(graph: Graph) -> None:
    county(graph)
    load(graph, LISTS / "rules-zone-2024b.csv")
    audit = approve(graph)  # no items named: every item still awaiting approval (R-SC-001)
    rows = listed(graph, "rules-zone-list")
    assert (rows["R-SC-001"]["approver"], rows["R-SC-001"]["approval"]) == ("r-cgj", audit)
    assert rows["R-CG-001"]["approval"] == "metadata"  # approved before: left as it was
    assert approval_gaps(graph, ON) == []
    with pytest.raises(ZoneListError) as refused:
        approve(graph)
    assert refused.value.reason == "NOTHING_TO_APPROVE"
