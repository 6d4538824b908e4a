"""disputeCandidates(case) and recordDecision: Art. 22/24/25 weighed, a decision stored and cited."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from authreg.errors import RecordError
from loaders.decisions import record_decision
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from queries.dispute_candidates import DisputeCandidates, dispute_candidates
from tests.conftest import SAMPLE, Graph

CST = timezone(timedelta(hours=8))


def candidates_of(graph: Graph, case: str) -> DisputeCandidates:
    return graph.read(dispute_candidates, case=case)


def test_the_border_dispute_weighs_both_streets_and_names_the_resolver(
    sample_graph: Graph,
) -> None:
    answer = candidates_of(sample_graph, "LC-2025-0006")
    by_name = {c.body.name: c for c in answer.candidates}
    assert set(by_name) == {"海滨街道", "临江街道", "鲤城区城市管理和综合执法局"}
    for street in ("海滨街道", "临江街道"):
        assert by_name[street].stance == "claims" and by_name[street].holds_authority
        assert by_name[street].filed_at is None
    # The department delegated LC-CG-001 away: on 2025-05-12 it is not the subject there.
    assert by_name["鲤城区城市管理和综合执法局"].holds_authority is False
    assert "案件登记的违法行为发生地" in by_name["海滨街道"].place
    assert "非登记发生地" in by_name["临江街道"].place
    assert answer.first_to_file is None and "第二十五条" in answer.conclusion
    [dispute] = answer.disputes
    assert dispute.status == "待决" and dispute.resolved_by is not None
    assert dispute.resolved_by.name == "鲤城区城市管理和综合执法局"
    assert [r.policy for r in answer.resolvers] == ["LC-P-DISPUTE"]
    assert "不一致" not in answer.conclusion  # RESOLVED_BY and the policy agree


def test_first_to_file_counts_only_among_bodies_with_jurisdiction(sample_graph: Graph) -> None:
    fine = candidates_of(sample_graph, "LC-2024-0001")
    assert fine.first_to_file is not None and fine.first_to_file.name == "开元街道"
    void = candidates_of(sample_graph, "LC-2025-0002")
    assert void.first_to_file is None
    assert "鲤中街道已立案但不持有该事项的执法权" in void.conclusion


def test_an_unknown_case(sample_graph: Graph) -> None:
    answer = candidates_of(sample_graph, "NO-SUCH-CASE")
    assert not answer.found and "NO-SUCH-CASE" in answer.conclusion


def load_licheng_with_cases(graph: Graph) -> None:
    report = LoadReport()
    paths = [SAMPLE / "licheng", SAMPLE / "cases.yaml", SAMPLE / "eshan"]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_a_recorded_decision_is_audited_and_cited_by_later_authority_answers(
    graph: Graph,
) -> None:
    load_licheng_with_cases(graph)
    at = datetime(2025, 5, 20, 9, 0, tzinfo=CST)
    audit_id = graph.write(
        record_decision,
        dispute="LC-D-2025-01",
        decided_for="临江街道",
        basis="现场勘验:堆放点位于临江街道一侧(泉鲤政办〔2024〕25号 四(三))",
        by="鲤城区城市管理和综合执法局(商区司法局)",
        at=at,
    )
    [audit] = graph.run(
        "MATCH (a:AuditEntry {id: $id}) RETURN a.actor AS actor, a.action AS action", id=audit_id
    )
    assert audit == {"actor": "鲤城区城市管理和综合执法局(商区司法局)", "action": "recordDecision"}

    answer = candidates_of(graph, "LC-2025-0006")
    [dispute] = answer.disputes
    assert dispute.status == "已决" and dispute.decided_for is not None
    assert dispute.decided_for.name == "临江街道" and "临江街道" in answer.conclusion

    later = graph.read(authority, item="LC-CG-001", street="海滨街道", as_of=date(2025, 6, 1))
    [precedent] = later.precedents
    assert precedent.dispute == "LC-D-2025-01" and precedent.decided_for.name == "临江街道"  # type: ignore[union-attr]
    assert "先例" in later.explanation + " ".join(later.notes)

    # Reloading the cases file does not reopen the decided dispute.
    load_licheng_with_cases(graph)
    assert candidates_of(graph, "LC-2025-0006").disputes[0].status == "已决"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dispute": "NO-SUCH"}, "no dispute"),
        ({"decided_for": "开元街道"}, "not a claimant"),
        ({"decided_for": "不存在的机关"}, "neither a street"),
        ({"basis": " "}, "basis"),
    ],
)
def test_a_bad_decision_is_refused_and_writes_nothing(
    graph: Graph, kwargs: dict, message: str
) -> None:
    load_licheng_with_cases(graph)
    before = graph.counts()
    decision = {
        "dispute": "LC-D-2025-01",
        "decided_for": "临江街道",
        "basis": "依据",
        "by": "审核人",
        "at": datetime(2025, 5, 20, tzinfo=CST),
    } | kwargs
    with pytest.raises(RecordError, match=message):
        graph.write(record_decision, **decision)
    assert graph.counts() == before


def test_a_decision_is_never_overwritten(graph: Graph) -> None:
    load_licheng_with_cases(graph)
    decision = {
        "dispute": "LC-D-2025-01",
        "basis": "依据",
        "by": "审核人",
        "at": datetime(2025, 5, 20, tzinfo=CST),
    }
    graph.write(record_decision, decided_for="海滨街道", **decision)
    with pytest.raises(RecordError, match="already decided"):
        graph.write(record_decision, decided_for="临江街道", **decision)
