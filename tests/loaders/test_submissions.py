"""Records from the API (在线录入): the records loader's graph shape, refusals that write nothing,
one audit entry per write, and catalog uploads loaded all or nothing."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from authreg.errors import RecordError
from loaders import preview as preview_module
from loaders import submissions
from loaders.preview import PreviewRefused
from loaders.submissions import (
    CaseSubmission,
    CatalogRejected,
    CatalogUploadMetadata,
    DecisionSubmission,
    DisputeSubmission,
    GraphChanged,
    TransferSubmission,
    check_catalog,
    decide_dispute,
    load_catalog_upload,
    parse_submission,
    preview_catalog_upload,
    raise_dispute,
    record_case,
    record_transfer,
)
from queries.dispute_candidates import dispute_candidates
from queries.dump import graph_dump
from queries.graph_generation import graph_generation
from queries.overdue_transfers import overdue_transfers
from schema.graph_rows import fingerprints
from tests.conftest import SAMPLE, Graph

CST = timezone(timedelta(hours=8))
CATALOGS = Path(__file__).resolve().parents[1] / "catalogs"
ADJUSTMENT = CATALOGS / "adjustment" / "licheng-adjustment-2025.csv"
ADJUSTMENT_META = CatalogUploadMetadata(
    series="licheng-adjustment-2025",
    title="关于动态调整街道综合执法赋权事项的通知",
    kind="动态调整通知",
    effective=date(2025, 3, 1),
    region="350502",
    streets="column",
    mode="赋权",
)
EDITOR = {"actor": "editor-1", "role": "editor"}

# LC-2024-0001 as the sample loads it, recorded again through the API under a new id.
CASE = {
    "id": "LC-2025-9001",
    "item_code": "LC-CG-001",
    "street_code": "350502001",
    "occurred_on": "2025-09-01",
    "filed_at": "2025-09-02T09:30:00+08:00",
    "handled_by": "350502001",
    "officers": ["35050220230101", "35050220230102"],
    "status": "结案",
    "summary": "开元街道某商户随意堆放生活垃圾",
}
# ES-T-0001's shape: a department hands an Eshan case to a street.
TRANSFER = {
    "id": "ES-T-9001",
    "case_id": "ES-2025-0007",
    "from": "es-zjj",
    "to": "530426002",
    "sent_at": "2025-06-16T10:00:00+08:00",
    "received_at": "2025-06-17T09:00:00+08:00",
    "reason": "属于赋权乡镇(街道)管辖的违法行为",
}
# LC-D-2025-01's shape: two Licheng streets over a case with no dispute yet.
DISPUTE = {
    "id": "LC-D-2025-90",
    "case_id": "LC-2025-0004",
    "claimants": ["350502003", "350502004"],
    "raised_at": "2025-07-22T10:00:00+08:00",
}
DECISION = {
    "dispute_id": "LC-D-2025-01",
    "decided_for": "350502004",
    "basis": "现场勘验:堆放点位于临江街道一侧",
    "decided_by": "鲤城区城市管理和综合执法局(商区司法局)",
    "decided_at": "2025-05-20T09:00:00+08:00",
}


def shape(graph: Graph, key: str) -> dict[str, Any]:
    """A node's property names and its links (direction, type, other end's label, properties),
    without the loader's provenance (source_file: the API's provenance is the audit entry)."""
    [row] = graph.run(
        "MATCH (n) WHERE n.id = $key "
        "RETURN [k IN keys(n) WHERE k <> 'source_file'] AS props, "
        "[(n)-[r]->(m) | ['out', type(r), labels(m)[0], keys(r)]] AS outgoing, "
        "[(n)<-[r]-(m) WHERE NOT m:AuditEntry | ['in', type(r), labels(m)[0], keys(r)]] AS incoming",
        key=key,
    )
    links = sorted(
        (d, t, label, tuple(sorted(keys)))
        for d, t, label, keys in row["outgoing"] + row["incoming"]
    )
    return {"props": sorted(row["props"]), "links": links}


def audit_entries(graph: Graph) -> list[dict[str, Any]]:
    return graph.run("MATCH (a:AuditEntry) RETURN a {.*} AS entry ORDER BY a.at")


def new_case(graph: Graph, **changes: Any) -> str:
    case = parse_submission(CaseSubmission, CASE | changes)
    return graph.write(record_case, case=case, source="graphql:recordCase", **EDITOR)


# -- the records loader's shape ------------------------------------------------------------


def test_a_recorded_case_has_the_shape_of_a_loaded_one(fresh_sample_graph: Graph) -> None:
    new_case(fresh_sample_graph)
    assert shape(fresh_sample_graph, "LC-2025-9001") == shape(fresh_sample_graph, "LC-2024-0001")
    [case] = fresh_sample_graph.run(
        "MATCH (c:Case {id: 'LC-2025-9001'})-[:CONCERNS]->(i), (c)-[:OCCURRED_IN]->(s), "
        "(c)-[h:HANDLED_BY]->(body) "
        "RETURN i.code AS item, s.code AS street, body.code AS body, c.status AS status, "
        "toString(h.filed_at) AS filed, toString(c.occurred_on) AS occurred"
    )
    assert case == {
        "item": "LC-CG-001",
        "street": "350502001",
        "body": "350502001",
        "status": "结案",
        "filed": "2025-09-02T09:30:00+08:00",
        "occurred": "2025-09-01",
    }


def test_a_recorded_transfer_has_the_shape_of_a_loaded_one_and_is_judged(
    fresh_sample_graph: Graph,
) -> None:
    transfer = parse_submission(TransferSubmission, TRANSFER)
    fresh_sample_graph.write(record_transfer, transfer=transfer, source="graphql:t", **EDITOR)
    assert shape(fresh_sample_graph, "ES-T-9001") == shape(fresh_sample_graph, "ES-T-0001")
    answer = fresh_sample_graph.read(
        overdue_transfers, region="530426", now=datetime(2025, 7, 1, tzinfo=CST)
    )
    [checked] = [t for t in answer.transfers if t.transfer_id == "ES-T-9001"]
    assert checked.verdict == "on_time"


def test_a_raised_dispute_has_the_shape_of_a_loaded_one_and_the_policy_resolver(
    fresh_sample_graph: Graph,
) -> None:
    dispute = parse_submission(DisputeSubmission, DISPUTE)
    raised = fresh_sample_graph.write(raise_dispute, dispute=dispute, source="graphql:r", **EDITOR)
    assert (raised.dispute_id, raised.resolved_by) == ("LC-D-2025-90", "lc-cgj")  # LC-P-DISPUTE
    assert shape(fresh_sample_graph, "LC-D-2025-90") == shape(fresh_sample_graph, "LC-D-2025-01")
    answer = fresh_sample_graph.read(dispute_candidates, case="LC-2025-0004")
    [record] = answer.disputes
    assert record.status == "待决" and record.resolved_by is not None
    assert record.resolved_by.name == "鲤城区城市管理和综合执法局"
    assert {c.body.key for c in record.claimants} == {"350502003", "350502004"}
    assert "不一致" not in answer.conclusion  # RESOLVED_BY agrees with the policy


def test_a_dispute_without_an_id_gets_one_and_keeps_its_note(fresh_sample_graph: Graph) -> None:
    fields = DISPUTE | {"id": None, "note": "交界处广告牌归属不清"}
    dispute = parse_submission(DisputeSubmission, fields)
    raised = fresh_sample_graph.write(raise_dispute, dispute=dispute, source="graphql:r", **EDITOR)
    assert raised.dispute_id.startswith("DSP-20250722-")
    [row] = fresh_sample_graph.run(
        "MATCH (d:Dispute {id: $id})-[:ABOUT]->(c:Case) RETURN d.note AS note, c.id AS case",
        id=raised.dispute_id,
    )
    assert row == {"note": "交界处广告牌归属不清", "case": "LC-2025-0004"}


def test_a_decision_through_the_api_is_the_cli_decision_with_who_recorded_it(
    fresh_sample_graph: Graph,
) -> None:
    decision = parse_submission(DecisionSubmission, DECISION)
    audit_id = fresh_sample_graph.write(
        decide_dispute, decision=decision, actor="reviewer-1", role="reviewer", source="graphql:d"
    )
    [row] = fresh_sample_graph.run(
        "MATCH (d:Dispute {id: 'LC-D-2025-01'})-[:DECIDED_FOR]->(s) "
        "RETURN d.status AS status, d.decided_by AS by, s.code AS winner"
    )
    assert row == {"status": "已决", "by": DECISION["decided_by"], "winner": "350502004"}
    [entry] = [e["entry"] for e in audit_entries(fresh_sample_graph)]
    assert entry["id"] == audit_id
    assert (entry["actor"], entry["role"], entry["source"], entry["target"]) == (
        "reviewer-1",
        "reviewer",
        "graphql:d",
        "LC-D-2025-01",
    )


# -- one audit entry per write ----------------------------------------------------------------


def test_every_write_leaves_exactly_one_audit_entry(fresh_sample_graph: Graph) -> None:
    graph = fresh_sample_graph
    assert audit_entries(graph) == []
    writes = [
        ("recordCase", "LC-2025-9001", lambda: new_case(graph)),
        (
            "recordTransfer",
            "ES-T-9001",
            lambda: graph.write(
                record_transfer,
                transfer=parse_submission(TransferSubmission, TRANSFER),
                source="graphql:recordTransfer",
                **EDITOR,
            ),
        ),
        (
            "raiseDispute",
            "LC-D-2025-90",
            lambda: (
                graph.write(
                    raise_dispute,
                    dispute=parse_submission(DisputeSubmission, DISPUTE),
                    source="graphql:raiseDispute",
                    **EDITOR,
                ).audit_id
            ),
        ),
    ]
    for count, (action, target, run) in enumerate(writes, start=1):
        audit_id = run()
        entries = [e["entry"] for e in audit_entries(graph)]
        assert len(entries) == count
        entry = entries[-1]
        assert entry["id"] == audit_id and entry["target"] == target
        assert (entry["actor"], entry["role"], entry["action"]) == ("editor-1", "editor", action)
        assert entry["source"] == f"graphql:{action}"
        assert target in entry["detail"]  # what was submitted, as JSON


# -- refusals write nothing ---------------------------------------------------------------


def _case(**changes: Any) -> tuple[Any, dict[str, Any]]:
    return record_case, {"case": parse_submission(CaseSubmission, CASE | changes)}


def _transfer(**changes: Any) -> tuple[Any, dict[str, Any]]:
    return record_transfer, {"transfer": parse_submission(TransferSubmission, TRANSFER | changes)}


def _dispute(**changes: Any) -> tuple[Any, dict[str, Any]]:
    return raise_dispute, {"dispute": parse_submission(DisputeSubmission, DISPUTE | changes)}


def _decision(**changes: Any) -> tuple[Any, dict[str, Any]]:
    return decide_dispute, {"decision": parse_submission(DecisionSubmission, DECISION | changes)}


REFUSED = {
    "unknown item": (_case(item_code="NO-SUCH"), "item_code: no loaded catalog lists item"),
    "unknown street": (_case(street_code="999999001"), "street_code: no street"),
    "unknown officer": (_case(officers=["000"]), "officers: no officer"),
    "unknown handler": (_case(handled_by="nobody"), "handled_by: 'nobody' is neither"),
    "case id taken": (_case(id="LC-2024-0001"), "id: Case LC-2024-0001 is already recorded"),
    "filed before it happened": (_case(occurred_on="2025-09-03"), "filed_at"),
    "transfer of unknown case": (_transfer(case_id="NO-SUCH"), "case_id: no case"),
    "transfer id taken": (_transfer(id="ES-T-0001"), "id: Transfer ES-T-0001 is already"),
    "unknown sender": (_transfer(**{"from": "nobody"}), "from: 'nobody'"),
    "sent to itself": (_transfer(to="es-zjj"), "to: a case is transferred to another"),
    "received before sent": (
        _transfer(received_at="2025-06-15T10:00:00+08:00"),
        "received_at",
    ),
    "one claimant": (_dispute(claimants=["350502003"]), "claimants: a dispute is between"),
    "claimant twice": (
        _dispute(claimants=["350502003", "350502003"]),
        "claimants: a dispute is between",
    ),
    "unknown claimant": (_dispute(claimants=["350502003", "nobody"]), "claimants: 'nobody'"),
    "dispute of unknown case": (_dispute(case_id="NO-SUCH"), "case_id: no case"),
    "dispute id taken": (_dispute(id="LC-D-2025-01"), "id: Dispute LC-D-2025-01 is already"),
    "second open dispute": (_dispute(case_id="LC-2025-0006"), "already has an open dispute"),
    "unknown resolver": (_dispute(resolved_by="nobody"), "resolved_by: no department"),
    "decision of unknown dispute": (_decision(dispute_id="NO-SUCH"), "no dispute 'NO-SUCH'"),
    "decision for a non-claimant": (_decision(decided_for="350502001"), "not a claimant"),
}


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    fresh_sample_graph: Graph,
) -> None:
    # One graph for every case (a sample load each would cost ~4 s); failures are named.
    before = fresh_sample_graph.counts()
    failures = []
    for name, ((work, params), message) in REFUSED.items():
        try:
            fresh_sample_graph.write(work, source="graphql:test", **EDITOR, **params)
            failures.append(f"{name}: accepted")
        except RecordError as exc:
            if not re.search(message, str(exc)):
                failures.append(f"{name}: {exc}")
        if fresh_sample_graph.counts() != before:
            failures.append(f"{name}: wrote something")
            break
    assert failures == []


def test_a_write_without_an_actor_is_refused(fresh_sample_graph: Graph) -> None:
    before = fresh_sample_graph.counts()
    case = parse_submission(CaseSubmission, CASE)
    with pytest.raises(RecordError, match="actor"):
        fresh_sample_graph.write(record_case, case=case, actor=" ", role=None, source=None)
    assert fresh_sample_graph.counts() == before


def test_a_badly_typed_field_is_a_record_error_naming_it() -> None:
    with pytest.raises(RecordError, match=r"occurred_on: .*'yesterday'"):
        parse_submission(CaseSubmission, CASE | {"occurred_on": "yesterday"})
    with pytest.raises(RecordError, match="claimants"):
        parse_submission(DisputeSubmission, DISPUTE | {"claimants": "350502003"})


def test_a_time_without_offset_is_beijing_time() -> None:
    case = parse_submission(CaseSubmission, CASE | {"filed_at": "2025-09-02T09:30:00"})
    assert case.filed_at == datetime(2025, 9, 2, 9, 30, tzinfo=CST)


# -- catalog uploads ------------------------------------------------------------------------


def upload(graph: Graph, tmp_path: Path, source: Path, filename: str, **kw: Any) -> Any:
    """As the API does: the upload saved under a temporary name, the original name given."""
    saved = tmp_path / "upload-3f9a.tmp"
    shutil.copyfile(source, saved)
    return load_catalog_upload(
        graph.driver,
        graph.settings,
        path=saved,
        filename=filename,
        actor="editor-1",
        role="editor",
        **({"metadata": ADJUSTMENT_META} | kw),
    )


def test_an_uploaded_catalog_loads_with_its_name_checksum_and_audit_entry(
    fresh_sample_graph: Graph, tmp_path: Path
) -> None:
    result = upload(fresh_sample_graph, tmp_path, ADJUSTMENT, "C:\\Users\\x\\" + ADJUSTMENT.name)
    sha = hashlib.sha256(ADJUSTMENT.read_bytes()).hexdigest()
    assert result.catalog_id == "licheng-adjustment-2025@2025-03-01"
    assert (result.file, result.sha256, result.rows) == (ADJUSTMENT.name, sha, 2)
    # 新增 LC-CG-090 in 开元 and 鲤中, 收回 LC-CG-002 from 海滨 (tests/catalogs/adjustment).
    assert (result.delegations_started, result.delegations_ended) == (2, 1)
    assert not result.unchanged
    [catalog] = fresh_sample_graph.run(
        "MATCH (c:Catalog {id: $id}) RETURN c.source_file AS file, c.checksum AS sha",
        id=result.catalog_id,
    )
    assert catalog == {"file": ADJUSTMENT.name, "sha": sha}
    [entry] = [e["entry"] for e in audit_entries(fresh_sample_graph)]
    assert entry["id"] == result.audit_id and entry["action"] == "loadCatalog"
    assert entry["source"] == f"upload:{ADJUSTMENT.name} sha256:{sha}"
    assert (entry["target"], entry["actor"], entry["role"]) == (
        result.catalog_id,
        "editor-1",
        "editor",
    )


def test_uploading_the_same_file_again_changes_nothing_but_is_audited(
    fresh_sample_graph: Graph, tmp_path: Path
) -> None:
    upload(fresh_sample_graph, tmp_path, ADJUSTMENT, ADJUSTMENT.name)
    before = fresh_sample_graph.counts()
    again = upload(fresh_sample_graph, tmp_path, ADJUSTMENT, ADJUSTMENT.name)
    assert again.unchanged and again.delegations_started == 0
    nodes, rels = fresh_sample_graph.counts()
    # only the second audit entry, and the marker its write transaction counts itself by
    assert (nodes, rels) == (before[0] + 2, before[1])
    assert fresh_sample_graph.run(
        "MATCH (a:AuditEntry) WITH count(a) AS audit MATCH (w:GraphWrite) "
        "RETURN audit, count(w) > 0 AS marked"
    ) == [{"audit": 2, "marked": True}]
    assert len(audit_entries(fresh_sample_graph)) == 2


BROKEN = {
    "value without header": (
        CATALOGS / "bad" / "value_without_header.csv",
        {"row": 3, "column": "D"},
    ),
    "duplicate columns": (CATALOGS / "bad" / "duplicate_columns.csv", {"column": "事项名称"}),
    "missing columns": (CATALOGS / "bad" / "missing_basis_column.csv", {}),
    "empty": (CATALOGS / "bad" / "empty.csv", {}),
}


@pytest.mark.parametrize(("broken", "where"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_upload_writes_nothing_and_returns_its_problems(
    fresh_sample_graph: Graph, tmp_path: Path, broken: Path, where: dict[str, Any]
) -> None:
    before = fresh_sample_graph.counts()
    meta = CatalogUploadMetadata(effective=date(2025, 9, 1), region="350502", streets="all")
    with pytest.raises(CatalogRejected) as refused:
        upload(fresh_sample_graph, tmp_path, broken, broken.name, metadata=meta)
    assert refused.value.problems and refused.value.file == broken.name
    first = refused.value.problems[0]
    assert first.file == broken.name and first.message
    assert {key: getattr(first, key) for key in where} == where
    assert fresh_sample_graph.counts() == before


def test_an_upload_the_graph_refuses_rolls_back_with_its_audit_entry(
    fresh_sample_graph: Graph, tmp_path: Path
) -> None:
    # Valid as a file; the writer finds the department unknown in region 350502.
    text = (SAMPLE / "licheng" / "licheng-2024.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(text.replace("鲤城区城市管理和综合执法局", "不存在的局"), encoding="utf-8")
    meta = CatalogUploadMetadata(
        series="upload-test", effective=date(2025, 9, 1), region="350502", streets="all"
    )
    before = fresh_sample_graph.counts()
    with pytest.raises(CatalogRejected, match="不存在的局") as refused:
        upload(fresh_sample_graph, tmp_path, renamed, "licheng-2025-09.csv", metadata=meta)
    assert refused.value.problems[0].file == "licheng-2025-09.csv"
    assert fresh_sample_graph.counts() == before


@pytest.mark.parametrize(
    ("filename", "metadata", "message"),
    [
        ("notes.yaml", ADJUSTMENT_META, r"\.csv"),
        ("../", ADJUSTMENT_META, r"\.csv"),
        (ADJUSTMENT.name, None, "effective date"),
    ],
)
def test_an_upload_needs_a_catalog_file_and_its_metadata(
    fresh_sample_graph: Graph, tmp_path: Path, filename: str, metadata: Any, message: str
) -> None:
    before = fresh_sample_graph.counts()
    with pytest.raises(CatalogRejected, match=message):
        upload(fresh_sample_graph, tmp_path, ADJUSTMENT, filename, metadata=metadata)
    assert fresh_sample_graph.counts() == before


# -- previews: what loading would change, with nothing written ----------------------------------

# A notice withdrawing LC-CG-001 from 海滨街道 from 2025-05-01: case LC-2025-0006 (案源, LC-CG-001,
# 海滨街道, 2025-05-12) is open, and 海滨街道 then lacks an item its 老城区 neighbours hold.
WITHDRAW_CG_001 = (
    "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注\n"
    "1,LC-CG-001,对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚,行政处罚,"
    "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项,"
    "鲤城区城市管理和综合执法局,城市管理,收回海滨街道行使\n"
)
WITHDRAWAL_META = CatalogUploadMetadata(
    title="关于收回海滨街道生活垃圾处罚事项的通知(测试)",
    kind="收回通知",
    effective=date(2025, 5, 1),
    region="350502",
    streets=["海滨街道"],
    mode="赋权",
)


def preview(graph: Graph, tmp_path: Path, text: str, name: str, meta: Any) -> Any:
    saved = tmp_path / "upload-preview.tmp"
    saved.write_text(text, encoding="utf-8")
    return preview_catalog_upload(
        graph.driver, graph.settings, path=saved, filename=name, metadata=meta
    )


def snapshot(graph: Graph) -> tuple:
    """Counts, the write counter and every property of every node and relationship."""
    rows = graph.read(graph_dump)
    nodes = {label: fingerprints(found) for label, found in rows.nodes.items()}
    rels = {group: fingerprints(found) for group, found in rows.rels.items()}
    return graph.counts(), graph.read(graph_generation), rows.node_count, nodes, rels


def test_a_preview_shows_the_withdrawal_the_gap_it_opens_and_the_open_case_it_touches(
    sample_graph: Graph, tmp_path: Path
) -> None:
    check, shown = preview(
        sample_graph, tmp_path, WITHDRAW_CG_001, "haibin-withdrawal.csv", WITHDRAWAL_META
    )
    assert check.problems == [] and check.rows == 1 and shown is not None
    [change] = shown.delegations
    assert (change.change, change.street_name, change.item_code) == (
        "ended",
        "海滨街道",
        "LC-CG-001",
    )
    assert (change.mode_before, change.department_before) == ("赋权", "鲤城区城市管理和综合执法局")
    assert change.on == date(2025, 5, 1) and change.mode_after is None
    opened = [g.gap for g in shown.gaps if g.change == "appeared"]
    assert any(
        ("街道", "350502003") in {(s.kind, s.key) for s in gap.subjects}
        and ("事项", "LC-CG-001") in {(s.kind, s.key) for s in gap.subjects}
        for gap in opened
    ), [(g.rule, g.subjects) for g in opened]
    [case] = shown.cases
    assert case.case.id == "LC-2025-0006" and case.case.status == "案源"
    assert case.subject_before == "海滨街道"
    assert case.subject_after == "鲤城区城市管理和综合执法局"


def test_a_preview_writes_nothing(fresh_sample_graph: Graph, tmp_path: Path) -> None:
    before = snapshot(fresh_sample_graph)
    _, shown = preview(
        fresh_sample_graph, tmp_path, WITHDRAW_CG_001, "haibin-withdrawal.csv", WITHDRAWAL_META
    )
    assert shown is not None and shown.delegations  # it did write, inside its transaction
    _, adjusted = preview(
        fresh_sample_graph,
        tmp_path,
        ADJUSTMENT.read_text("utf-8"),
        ADJUSTMENT.name,
        ADJUSTMENT_META,
    )
    assert adjusted is not None and adjusted.delegations
    assert snapshot(fresh_sample_graph) == before


def test_a_preview_lists_per_street_what_an_adjustment_starts_and_ends(
    sample_graph: Graph, tmp_path: Path
) -> None:
    _, shown = preview(
        sample_graph, tmp_path, ADJUSTMENT.read_text("utf-8"), ADJUSTMENT.name, ADJUSTMENT_META
    )
    changes = {(c.street_name, c.item_code, c.change) for c in shown.delegations}
    # tests/catalogs/adjustment: 新增 LC-CG-090 in 开元 and 鲤中, 收回 LC-CG-002 from 海滨.
    assert changes == {
        ("开元街道", "LC-CG-090", "started"),
        ("鲤中街道", "LC-CG-090", "started"),
        ("海滨街道", "LC-CG-002", "ended"),
    }
    assert [street for street, _ in shown.by_street()] == ["350502001", "350502002", "350502003"]


def test_a_new_version_that_changes_a_mode_shows_a_change_not_an_end_and_a_start(
    sample_graph: Graph, tmp_path: Path
) -> None:
    """licheng-2025 again from 2025-09-01, every row 委托 (entrust): each item in each street
    changes mode, from 赋权 to 委托, and none is withdrawn; only LC-CG-004 in 海滨街道, which the
    sample's notice withdrew on 2025-07-01, is delegated anew (started)."""
    text = (SAMPLE / "licheng" / "licheng-2025.csv").read_text("utf-8")
    meta = CatalogUploadMetadata(
        series="licheng-street-delegation",
        title="鲤城区街道综合执法委托事项目录(测试)",
        kind="县级赋权清单",
        effective=date(2025, 9, 1),
        region="350502",
        streets="all",
        mode="委托",
    )
    _, shown = preview(sample_graph, tmp_path, text, "licheng-2025.csv", meta)
    assert shown.delegations
    started = {(c.street_name, c.item_code) for c in shown.delegations if c.change == "started"}
    assert started == {("海滨街道", "LC-CG-004")}
    changed = [c for c in shown.delegations if c.change == "changed"]
    assert len(changed) == len(shown.delegations) - 1
    assert {(c.mode_before, c.mode_after) for c in changed} == {("赋权", "委托")}


def test_a_file_loaded_before_previews_as_unchanged(sample_graph: Graph, tmp_path: Path) -> None:
    written = yaml.safe_load(
        (SAMPLE / "licheng" / "licheng-withdrawal-2025.meta.yaml").read_text("utf-8")
    )
    fields = CatalogUploadMetadata.model_fields
    meta = CatalogUploadMetadata.model_validate({k: v for k, v in written.items() if k in fields})
    text = (SAMPLE / "licheng" / "licheng-withdrawal-2025.csv").read_text("utf-8")
    _, shown = preview(sample_graph, tmp_path, text, "licheng-withdrawal-2025.csv", meta)
    assert shown.unchanged and shown.delegations == [] and shown.cases == []


def test_a_preview_above_its_row_limit_is_refused_with_a_sentence(
    sample_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_module, "PREVIEW_MAX_ROWS", 1)
    with pytest.raises(PreviewRefused, match=r"2 rows, more than the 1 a preview takes"):
        preview(
            sample_graph, tmp_path, ADJUSTMENT.read_text("utf-8"), ADJUSTMENT.name, ADJUSTMENT_META
        )


def test_a_preview_with_errors_gives_the_check_report_and_no_preview(
    sample_graph: Graph, tmp_path: Path
) -> None:
    unknown = WITHDRAW_CG_001.replace("鲤城区城市管理和综合执法局", "鲤城区不存在局")
    check, shown = preview(sample_graph, tmp_path, unknown, "x.csv", WITHDRAWAL_META)
    assert shown is None
    [problem] = check.problems
    assert (problem.row, problem.value) == (2, "鲤城区不存在局")


def test_check_catalog_reads_the_file_as_authreg_load_plans_it(tmp_path: Path) -> None:
    saved = tmp_path / "two.csv"
    shutil.copyfile(CATALOGS / "bad" / "two_item_name_columns.csv", saved)
    check = check_catalog(saved, WITHDRAWAL_META)
    assert check.file == "two.csv" and check.problems
    assert all(p.file == "two.csv" for p in check.problems)


def test_a_confirmation_after_the_graph_changed_loads_nothing(
    fresh_sample_graph: Graph, tmp_path: Path
) -> None:
    _, shown = preview(
        fresh_sample_graph, tmp_path, WITHDRAW_CG_001, "haibin-withdrawal.csv", WITHDRAWAL_META
    )
    upload(fresh_sample_graph, tmp_path, ADJUSTMENT, ADJUSTMENT.name)  # someone else loads
    before = snapshot(fresh_sample_graph)
    saved = tmp_path / "haibin.csv"
    saved.write_text(WITHDRAW_CG_001, encoding="utf-8")
    with pytest.raises(GraphChanged, match="changed after the preview"):
        load_catalog_upload(
            fresh_sample_graph.driver,
            fresh_sample_graph.settings,
            path=saved,
            filename="haibin-withdrawal.csv",
            metadata=WITHDRAWAL_META,
            actor="editor-1",
            role="editor",
            expected_generation=shown.generation,
        )
    assert snapshot(fresh_sample_graph) == before
    result = load_catalog_upload(
        fresh_sample_graph.driver,
        fresh_sample_graph.settings,
        path=saved,
        filename="haibin-withdrawal.csv",
        metadata=WITHDRAWAL_META,
        actor="editor-1",
        role="editor",
        expected_generation=fresh_sample_graph.read(graph_generation),
    )
    assert result.delegations_ended == 1


def test_a_write_committed_while_a_confirmation_writes_makes_it_load_nothing(
    fresh_sample_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The preview's generation is checked before writing and again before the commit: another
    # session committing while this one writes (a second 确认载入, a CLI load) is seen.
    import loaders.submissions
    from loaders import write

    _, shown = preview(
        fresh_sample_graph, tmp_path, WITHDRAW_CG_001, "haibin-withdrawal.csv", WITHDRAWAL_META
    )
    real = loaders.submissions.write_catalog

    def write_then_someone_else_commits(tx: Any, *args: Any) -> Any:
        outcome = real(tx, *args)
        with fresh_sample_graph.driver.session(
            database=fresh_sample_graph.settings.neo4j_database
        ) as other:
            other.execute_write(write.bump_generation)  # a write elsewhere, committed now
        return outcome

    monkeypatch.setattr(loaders.submissions, "write_catalog", write_then_someone_else_commits)
    saved = tmp_path / "haibin.csv"
    saved.write_text(WITHDRAW_CG_001, encoding="utf-8")
    before = snapshot(fresh_sample_graph)[3:]  # every property (the counter will move)
    with pytest.raises(GraphChanged, match="changed after the preview"):
        load_catalog_upload(
            fresh_sample_graph.driver,
            fresh_sample_graph.settings,
            path=saved,
            filename="haibin-withdrawal.csv",
            metadata=WITHDRAWAL_META,
            actor="editor-1",
            role="editor",
            expected_generation=shown.generation,
        )
    assert snapshot(fresh_sample_graph)[3:] == before  # the withdrawal was rolled back


def test_a_later_version_loaded_between_rehearsal_and_preview_is_a_problem_not_a_failure(
    fresh_sample_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review item 4: another editor loads a later version of the series after the rehearsal
    passed and before the preview writes; the writer's refusal joins the report (no preview),
    as load_catalog_upload's does, instead of escaping as an unexplained error."""
    rehearse = submissions._rehearse_upload
    later = tmp_path / "later"
    later.mkdir()
    (later / "haibin-withdrawal.csv").write_text(WITHDRAW_CG_001, encoding="utf-8")

    def rehearse_then_someone_loads(*args: Any) -> None:
        rehearse(*args)
        monkeypatch.setattr(submissions, "_rehearse_upload", rehearse)
        upload(
            fresh_sample_graph,
            later,
            later / "haibin-withdrawal.csv",
            "haibin-withdrawal.csv",
            metadata=WITHDRAWAL_META.model_copy(update={"effective": date(2025, 6, 1)}),
        )

    monkeypatch.setattr(submissions, "_rehearse_upload", rehearse_then_someone_loads)
    check, shown = preview(
        fresh_sample_graph, tmp_path, WITHDRAW_CG_001, "haibin-withdrawal.csv", WITHDRAWAL_META
    )
    assert shown is None
    [problem] = check.problems
    assert problem.file == "haibin-withdrawal.csv" and "later version" in problem.message
