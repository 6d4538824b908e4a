"""Writes through the API: the whole mutation × role matrix, the audit trail, uploads and limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import ACTORS, KEYS, Api
from tests.conftest import Graph

ADJUSTMENT = Path(__file__).resolve().parents[1] / "catalogs" / "adjustment"
ADJUSTMENT_FILE = ADJUSTMENT / "licheng-adjustment-2025.csv"
BAD_CATALOGS = Path(__file__).resolve().parents[1] / "catalogs" / "bad"

RECORD_CASE = """mutation($id: String!) { recordCase(case: {
  id: $id, itemCode: "LC-CG-001", streetCode: "350502001", occurredOn: "2025-09-01",
  filedAt: "2025-09-02T09:30:00+08:00", handledBy: "350502001",
  officers: ["35050220230101"], status: "立案", summary: "开元街道某商户随意堆放生活垃圾"
}) { target auditId } }"""
RECORD_TRANSFER = """mutation($id: String!) { recordTransfer(transfer: {
  id: $id, caseId: "ES-2025-0007", sender: "es-zjj", receiver: "530426002",
  sentAt: "2025-06-16T10:00:00+08:00", reason: "属于赋权乡镇(街道)管辖的违法行为"
}) { target auditId } }"""
RAISE_DISPUTE = """mutation($id: String!) { raiseDispute(dispute: {
  id: $id, caseId: "LC-2025-0004", claimants: [{body: "350502003"}, {body: "350502004"}],
  raisedAt: "2025-07-22T10:00:00+08:00", note: "交界处广告牌归属不清"
}) { disputeId auditId resolvedBy } }"""
DECIDE = """mutation($id: String!) { recordDisputeDecision(decision: {
  disputeId: $id, decidedFor: "350502004", basis: "现场勘验:堆放点位于临江街道一侧",
  decidedBy: "鲤城区城市管理和综合执法局", decidedAt: "2025-05-20T09:00:00+08:00"
}) { target auditId } }"""
RECORD_MATTER = """mutation($id: String!) { recordMatter(matter: {
  id: $id, itemCode: "ES-ZR-001", streetCode: "530426202", receivedBy: "530426202",
  receivedAt: "2025-09-26T17:00:00+08:00", channel: "来电", summary: "基本农田保护区标志被移动"
}) { target auditId } }"""
RECORD_REPLY = """mutation($id: String!) { recordMatterReply(reply: {
  matterId: $id, repliedBy: "530426202", repliedAt: "2025-12-01T10:00:00+08:00"
}) { target auditId } }"""
APPROVE_ZONE_LIST = """mutation($id: String!) { approveZoneListItems(approval: {
  listId: $id, approvedBy: "lc-cgj", approvedOn: "2025-06-10", note: "同意纳入"
}) { target auditId } }"""
LOAD_CATALOG = """mutation($file: Upload!, $meta: CatalogMetadataInput) {
  loadCatalog(file: $file, metadata: $meta) {
    catalogId rows delegationsStarted delegationsEnded unchanged auditId sha256
  } }"""
ADJUSTMENT_META = {
    "series": "licheng-adjustment-2025",
    "title": "关于动态调整街道综合执法赋权事项的通知",
    "kind": "动态调整通知",
    "effective": "2025-03-01",
    "region": "350502",
    "streets": "column",
    "mode": "赋权",
}
ADD_OFFICER = """mutation($id: String!) { addOfficer(officer: {
  id: $id, name: "测试新员", unit: "lc-u-t001", certificateIssuer: "泉州市鲤城区人民政府",
  validFrom: "2025-01-01", validTo: "2030-12-31", domains: ["城市管理"], roles: ["执法人员"],
  postings: [{to: "350502001", mode: "常驻", validFrom: "2025-02-01"}]
}) { target auditId } }"""
TRANSFER_OFFICER = """mutation($id: String!) { transferOfficer(transfer: {
  officerId: $id, toUnit: "lc-u-t002", on: "2025-10-01",
  postings: [{to: "350502002", mode: "常驻"}], reason: "工作调动"
}) { target auditId } }"""
RETIRE_OFFICER = """mutation($id: String!) { retireOfficer(retirement: {
  officerId: $id, on: "2025-12-31", reason: "退休"
}) { target auditId } }"""

# mutation → (query, the roles allowed besides admin, a fresh id for each allowed role)
WRITES = {
    "recordCase": (RECORD_CASE, {"editor"}, {"editor": "LC-2025-9001", "admin": "LC-2025-9002"}),
    "recordTransfer": (
        RECORD_TRANSFER,
        {"editor"},
        {"editor": "ES-T-9001", "admin": "ES-T-9002"},
    ),
    "recordMatter": (RECORD_MATTER, {"editor"}, {"editor": "ES-M-9001", "admin": "ES-M-9002"}),
    "recordMatterReply": (
        RECORD_REPLY,
        {"editor"},
        {"editor": "ES-M-2025-02", "admin": "ES-M-2025-03"},
    ),
    "raiseDispute": (RAISE_DISPUTE, {"reviewer"}, {"reviewer": "LC-D-2025-90"}),
    "recordDisputeDecision": (DECIDE, {"reviewer"}, {"reviewer": "LC-D-2025-01"}),
    "loadCatalog": (LOAD_CATALOG, {"editor"}, {"editor": "-", "admin": "-"}),
    "approveZoneListItems": (
        APPROVE_ZONE_LIST,
        {"reviewer"},
        {"reviewer": "licheng-zone-list@2024-12-01"},
    ),
    "addOfficer": (
        ADD_OFFICER,
        {"editor"},
        {"editor": "35050220259001", "admin": "35050220259002"},
    ),
    "transferOfficer": (
        TRANSFER_OFFICER,
        {"editor"},
        {"editor": "35050220230101", "admin": "35050220230102"},
    ),
    "retireOfficer": (
        RETIRE_OFFICER,
        {"editor"},
        {"editor": "35050220230501", "admin": "35050220230502"},
    ),
}
CALLERS = [None, "viewer", "editor", "reviewer", "admin"]


def send(api: Api, mutation: str, role: str | None, ident: str = "X-1") -> dict[str, Any]:
    if mutation != "loadCatalog":
        return api.query(WRITES[mutation][0], {"id": ident}, role=role)
    return upload(api, ADJUSTMENT_FILE, ADJUSTMENT_META, role)


def upload(api: Api, path: Path, meta: dict | None, role: str | None = "editor") -> dict:
    operations = {"query": LOAD_CATALOG, "variables": {"file": None, "meta": meta}}
    files = {"0": (path.name, path.read_bytes(), "text/csv")}
    response = api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files=files,
        headers={"X-API-Key": KEYS[role]} if role else {},
    )
    body = response.json()
    if role is None:  # refused before the file is read
        assert response.status_code == 401, response.text
        return body
    assert response.status_code == 200, response.text
    return body


REFUSED = [
    (mutation, role)
    for mutation, (_, allowed, _) in WRITES.items()
    for role in CALLERS
    if role not in allowed | {"admin"}
]


@pytest.mark.parametrize(("mutation", "role"), REFUSED)
def test_a_caller_without_the_role_gets_an_error_and_writes_nothing(
    api: Api, sample_graph: Graph, mutation: str, role: str | None
) -> None:
    before = sample_graph.counts()
    body = send(api, mutation, role)
    [error] = body["errors"]
    assert error["extensions"]["code"] == ("UNAUTHENTICATED" if role is None else "FORBIDDEN")
    assert body["data"] is None
    assert sample_graph.counts() == before


@pytest.mark.parametrize("mutation", list(WRITES))
def test_the_allowed_roles_write_and_each_write_is_audited(
    api_fresh: Api, fresh_sample_graph: Graph, mutation: str
) -> None:
    for role, ident in WRITES[mutation][2].items():
        body = send(api_fresh, mutation, role, ident)
        assert not body.get("errors"), body["errors"]
        [result] = body["data"].values()
        [entry] = fresh_sample_graph.run(
            "MATCH (a:AuditEntry {id: $id}) RETURN a.actor AS actor, a.role AS role, "
            "a.action AS action, a.source AS source",
            id=result["auditId"],
        )
        assert entry["actor"] == ACTORS[role] and entry["role"] == role
        assert entry["action"] == mutation.replace("recordDisputeDecision", "recordDecision")
        if mutation == "loadCatalog":
            assert entry["source"].startswith("upload:licheng-adjustment-2025.csv sha256:")
        else:
            assert entry["source"].startswith(f"graphql:{mutation} request:")


def test_a_recorded_case_is_then_checked_by_the_questions(api_fresh: Api) -> None:
    api_fresh.data(RECORD_CASE, {"id": "LC-2025-9001"}, role="editor")
    checks = api_fresh.data('{ caseChecks(case: "LC-2025-9001") { found verdict } }')
    assert checks["caseChecks"] == {"found": True, "verdict": "ok"}


UNLISTED_CASE = """mutation($case: CaseInput!) { recordCase(case: $case) {
  target auditId warnings } }"""
UNLISTED = {
    "itemCode": "350502-XZCF-9901",
    "streetCode": "350502001",
    "occurredOn": "2025-09-01",
    "handledBy": "350502001",
    "status": "立案",
}


def test_a_case_about_an_item_no_catalog_lists_is_kept_with_a_warning(api_fresh: Api) -> None:
    """Issue 14.13 through the API, as the cases loader does it: the case is kept, the item
    recorded as unlisted, the writer warned; case checks and transfers work on it."""
    nameless = api_fresh.query(UNLISTED_CASE, {"case": UNLISTED | {"id": "LC-U-1"}}, role="editor")
    [error] = nameless["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "350502-XZCF-9901" in error["message"] and "item_name" in error["message"]

    named = UNLISTED | {"id": "LC-U-1", "itemName": "对在人行道违规设置地桩地锁的处罚"}
    recorded = api_fresh.data(UNLISTED_CASE, {"case": named}, role="editor")["recordCase"]
    [warning] = recorded["warnings"]
    assert "事项未列入任何目录" in warning and "LC-U-1" in warning

    # The next case about the same item needs no name; it is warned about all the same.
    again = api_fresh.data(UNLISTED_CASE, {"case": UNLISTED | {"id": "LC-U-2"}}, role="editor")
    assert again["recordCase"]["warnings"]
    checks = api_fresh.data('{ caseChecks(case: "LC-U-1") { found verdict explanation } }')
    assert checks["caseChecks"]["verdict"] == "cannot_check"
    assert "事项未列入任何目录" in checks["caseChecks"]["explanation"]
    transfer = """mutation { recordTransfer(transfer: { id: "LC-U-1-T", caseId: "LC-U-1",
      sender: "350502001", receiver: "lc-cgj", sentAt: "2025-09-02T10:00:00+08:00" }) {
      target } }"""
    assert api_fresh.data(transfer, role="editor")["recordTransfer"]["target"] == "LC-U-1-T"

    listed = api_fresh.data(RECORD_CASE, {"id": "LC-2025-9002"}, role="editor")
    assert listed["recordCase"]["target"] == "LC-2025-9002"


def test_bad_input_names_the_field_and_writes_nothing(api: Api, sample_graph: Graph) -> None:
    before = sample_graph.counts()
    body = api.query(
        RECORD_CASE.replace('itemCode: "LC-CG-001"', 'itemCode: "NO-SUCH-ITEM"'),
        {"id": "LC-2025-9009"},
        role="editor",
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "NO-SUCH-ITEM" in error["message"]
    assert sample_graph.counts() == before


def test_a_broken_catalog_upload_returns_its_problems_and_writes_nothing(
    api: Api, sample_graph: Graph
) -> None:
    broken = sorted(BAD_CATALOGS.glob("*.csv"))[0]
    before = sample_graph.counts()
    body = upload(api, broken, {"effective": "2025-03-01", "region": "350502"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["problems"], error
    assert all("message" in problem for problem in error["extensions"]["problems"])
    assert sample_graph.counts() == before


def test_an_upload_over_the_size_limit_is_refused(
    api_with_limit: Api, sample_graph: Graph, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(ADJUSTMENT_FILE.read_bytes() * 40)  # well over the 2 KB limit below
    before = sample_graph.counts()
    body = upload(api_with_limit, big, ADJUSTMENT_META)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "upload limit" in error["message"]
    assert sample_graph.counts() == before


def test_only_an_admin_reads_the_audit_trail(api_fresh: Api) -> None:
    api_fresh.data(RECORD_CASE, {"id": "LC-2025-9001"}, role="editor")
    query = '{ auditTrail(first: 5, action: "recordCase") { totalCount nodes { actor role action target } } }'
    for role in ("viewer", "editor", "reviewer"):
        [error] = api_fresh.query(query, role=role)["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
    trail = api_fresh.data(query, role="admin")["auditTrail"]
    assert trail["totalCount"] == 1
    assert trail["nodes"] == [
        {
            "actor": ACTORS["editor"],
            "role": "editor",
            "action": "recordCase",
            "target": "LC-2025-9001",
        }
    ]


@pytest.fixture
def api_with_limit(sample_graph: Graph) -> Any:
    from fastapi.testclient import TestClient

    from graphql_api.app import create_app
    from tests.api.conftest import api_settings

    settings = api_settings(sample_graph.settings, api_max_upload_bytes=2048)
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def test_upload_metadata_the_model_refuses_is_bad_user_input(api: Api, sample_graph: Graph) -> None:
    before = sample_graph.counts()
    body = upload(api, ADJUSTMENT_FILE, {**ADJUSTMENT_META, "mode": "承包"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "mode" in error["message"]
    assert sample_graph.counts() == before
