"""Approving items proposed for a zone joint-enforcement list through the API (审查同意, seed 000
四(二)): by the body the region's policy names, once, audited; any other body is refused with a
code and a sentence citing the policy and the seed, and nothing is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from queries.coverage_gaps import coverage_gaps
from tests.api.conftest import ACTORS, Api
from tests.conftest import Graph

LIST_ID = "licheng-zone-list@2024-12-01"
APPROVE = """mutation($approval: ZoneListApprovalInput!) {
  approveZoneListItems(approval: $approval) { target auditId } }"""
ITEM_LISTS = """query($day: Date) { region(code: "350502") { zones {
  id itemLists(asOf: $day) { catalogId items { code leadName approvedByName approvedOn inForce } }
} } }"""


def approve(api: Api, role: str = "reviewer", **given: Any) -> dict[str, Any]:
    approval = {"listId": LIST_ID, "approvedBy": "lc-cgj", "approvedOn": "2025-06-10"} | given
    return api.query(APPROVE, {"approval": approval}, role=role)


def refusal(body: dict[str, Any]) -> tuple[str, str, str]:
    [error] = body["errors"]
    assert body["data"] is None
    extensions = error["extensions"]
    return extensions["code"], extensions.get("reason", ""), error["message"]


def zone_list_gaps(graph: Graph, as_of: date) -> list[float]:
    answer = graph.read(coverage_gaps, region="350502", as_of=as_of)
    return [g.measured for g in answer.gaps if g.rule == "zone_item_list_approver"]


def test_the_named_body_s_approval_is_recorded_audited_and_ends_the_gap(
    api_fresh: Api, fresh_sample_graph: Graph
) -> None:
    assert zone_list_gaps(fresh_sample_graph, date(2025, 7, 1)) == [1]
    recorded = api_fresh.data(
        APPROVE,
        {
            "approval": {
                "listId": LIST_ID,
                "approvedBy": "lc-cgj",
                "approvedOn": "2025-06-10",
                "items": ["LC-YJ-002"],
                "note": "同意纳入",
            }
        },
        role="reviewer",
    )["approveZoneListItems"]
    [row] = fresh_sample_graph.run(
        "MATCH (:Catalog {id: $id})-[l:LISTS]->(:EnforcementItem {code: 'LC-YJ-002'}) "
        "RETURN l.approved_by AS by, l.approved_on AS on, l.approval AS audit",
        id=LIST_ID,
    )
    assert (row["by"], str(row["on"]), row["audit"]) == (
        "lc-cgj",
        "2025-06-10",
        recorded["auditId"],
    )
    [entry] = fresh_sample_graph.run(
        "MATCH (a:AuditEntry {id: $id}) RETURN a.actor AS actor, a.action AS action, "
        "a.target AS target, a.detail AS detail",
        id=recorded["auditId"],
    )
    assert (entry["actor"], entry["action"], entry["target"]) == (
        ACTORS["reviewer"],
        "approveZoneListItems",
        LIST_ID,
    )
    assert "LC-YJ-002" in entry["detail"]
    assert zone_list_gaps(fresh_sample_graph, date(2025, 7, 1)) == []
    assert zone_list_gaps(fresh_sample_graph, date(2025, 6, 9)) == [1]  # approved on 06-10
    zones = api_fresh.data(ITEM_LISTS, {"day": "2025-07-01"})["region"]["zones"]
    items = {i["code"]: i for z in zones for lst in z["itemLists"] for i in lst["items"]}
    assert items["LC-YJ-002"] == {
        "code": "LC-YJ-002",
        "leadName": "鲤城区应急管理局",
        "approvedByName": "鲤城区城市管理和综合执法局",
        "approvedOn": "2025-06-10",
        "inForce": True,
    }


def test_approval_by_another_body_is_refused_citing_the_policy_and_the_seed(
    api: Api, sample_graph: Graph
) -> None:
    before = sample_graph.counts()
    code, reason, message = refusal(approve(api, approvedBy="lc-yjj"))
    assert (code, reason) == ("BAD_USER_INPUT", "WRONG_APPROVER")
    assert "LC-P-ZONE-LIST" in message and "seed 000" in message
    assert "鲤城区城市管理和综合执法局审查同意" in message
    assert sample_graph.counts() == before


def test_an_approved_item_an_unknown_list_and_an_early_day_are_refused_with_codes(
    api: Api, sample_graph: Graph
) -> None:
    before = sample_graph.counts()
    assert refusal(approve(api, items=["LC-YJ-001"]))[:2] == ("BAD_USER_INPUT", "ALREADY_APPROVED")
    assert refusal(approve(api, items=["LC-CG-001"]))[:2] == ("NOT_FOUND", "UNKNOWN_ITEM")
    assert refusal(approve(api, listId="licheng-zone-list@2030-01-01"))[:2] == (
        "NOT_FOUND",
        "UNKNOWN_LIST",
    )
    _, reason, message = refusal(approve(api, approvedOn="2024-11-01"))
    assert reason == "BEFORE_PROPOSAL" and "2024-11-15" in message
    assert refusal(approve(api, role="editor"))[0] == "FORBIDDEN"
    assert sample_graph.counts() == before


def test_the_zone_answer_lists_the_list_in_force_with_each_lead_department(api: Api) -> None:
    zones = api.data(ITEM_LISTS, {"day": "2025-06-01"})["region"]["zones"]
    assert [z["id"] for z in zones] == ["LC-Z1", "LC-Z2"]
    for zone in zones:  # the county's list serves each of its zones
        [zone_list] = zone["itemLists"]
        assert zone_list["catalogId"] == LIST_ID
        assert [(i["code"], i["leadName"], i["inForce"]) for i in zone_list["items"]] == [
            ("LC-CG-002", "鲤城区城市管理和综合执法局", True),
            ("LC-SC-004", "鲤城区市场监督管理局", True),
            ("LC-YJ-001", "鲤城区应急管理局", True),
            ("LC-YJ-002", "鲤城区应急管理局", False),
        ]
    before = api.data(ITEM_LISTS, {"day": "2024-11-30"})["region"]["zones"]
    assert all(z["itemLists"] == [] for z in before)
