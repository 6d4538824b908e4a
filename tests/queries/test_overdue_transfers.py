"""Overdue transfers (移送超期): the README's Eshan transfer table, and regions without a rule."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.overdue_transfers import DeadlinePolicy, OverdueTransfers, judge, overdue_transfers
from queries.working_days import WORKING_DAYS_RULE, WorkingDayCalendar
from tests.conftest import SAMPLE, Graph

CST = timezone(timedelta(hours=8))
BEFORE_0008_DUE = datetime(2025, 6, 19, 12, 0, tzinfo=CST)
AFTER_0008_DUE = datetime(2025, 6, 20, 9, 0, tzinfo=CST)


def end_of(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T23:59:59+08:00")


# data/sample/README.md, "Transfers (Eshan, seed 003)", as of 2025-06-19 12:00
README_TABLE = {
    "ES-M-T-01": (end_of("2025-06-13"), "on_time"),  # the hand-on of matter ES-M-2025-01 (首问)
    "ES-T-0001": (end_of("2025-03-13"), "on_time"),
    "ES-T-0002": (end_of("2025-03-18"), "overdue"),
    "ES-T-0003": (end_of("2025-05-08"), "overdue"),
    "ES-T-0004": (end_of("2025-02-08"), "on_time"),
    "ES-T-0005": (end_of("2025-02-08"), "overdue"),
    "ES-T-0006": (datetime(2025, 3, 21, 9, 0, tzinfo=CST), "overdue"),
    "ES-T-0007": (datetime(2025, 3, 25, 18, 0, tzinfo=CST), "on_time"),
    "ES-T-0008": (end_of("2025-06-19"), "pending"),
    "ES-T-0009": (end_of("2025-10-11"), "on_time"),
}
LATE_RECEIVED = ["ES-T-0002", "ES-T-0003", "ES-T-0005", "ES-T-0006"]


def eshan(graph: Graph, now: datetime, **params: object) -> OverdueTransfers:
    return graph.read(overdue_transfers, region="530426", now=now, **params)


def test_every_eshan_transfer_gets_the_readme_deadline_and_verdict(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, BEFORE_0008_DUE)
    assert answer.region_name == "峨山彝族自治县"
    assert {t.transfer_id: (t.deadline, t.verdict) for t in answer.transfers} == README_TABLE
    assert [t.transfer_id for t in answer.transfers] == sorted(README_TABLE)


def test_overdue_is_0002_0003_0005_0006_before_0008_falls_due(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, BEFORE_0008_DUE)
    assert [t.transfer_id for t in answer.overdue] == LATE_RECEIVED


def test_unreceived_0008_is_overdue_not_received_from_2025_06_20(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, AFTER_0008_DUE)
    [t0008] = [t for t in answer.transfers if t.transfer_id == "ES-T-0008"]
    assert (t0008.verdict, t0008.received_at) == ("overdue_not_received", None)
    assert [t.transfer_id for t in answer.overdue] == [*LATE_RECEIVED, "ES-T-0008"]


def test_time_taken_counts_working_days_or_hours_as_the_rule_does(sample_graph: Graph) -> None:
    checks = eshan(sample_graph, BEFORE_0008_DUE).transfers
    taken = {t.transfer_id: (t.working_days_taken, t.hours_taken) for t in checks}
    assert taken["ES-T-0001"] == (2, 47.5)
    assert taken["ES-T-0004"][0] == 3  # received on the make-up Saturday, day 3
    assert taken["ES-T-0005"][0] == 4  # Thu, Fri, Sat 02-08 (调休), Mon
    assert taken["ES-T-0009"][0] == 2  # 10-09, 10-10 after the 国庆 break
    assert taken["ES-T-0006"] == (None, 30.0)
    assert taken["ES-T-0007"] == (None, 16.0)


def test_each_verdict_cites_the_policy_and_seed_003(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, BEFORE_0008_DUE)
    assert {p.id: p.threshold for p in answer.policies} == {
        "ES-P-TRANSFER-DAYS": 3,
        "ES-P-TRANSFER-URGENT": 24,
    }
    for check in answer.transfers:
        expected = "ES-P-TRANSFER-URGENT" if check.urgent else "ES-P-TRANSFER-DAYS"
        assert check.policy is not None and check.policy.id == expected
        assert check.policy.source_document == "峨山县乡镇(街道)综合行政执法协调联动机制"
        assert "3个工作日内" in (check.policy.source_quote or "")
    [t0005] = [t for t in answer.transfers if t.transfer_id == "ES-T-0005"]
    assert [source.split(" ")[0] for source in t0005.calendar] == ["国办发明电〔2024〕12号"]
    assert "调休上班日 2025-02-08" in t0005.explanation


def test_region_by_exact_name_gives_the_same_answer_as_by_code(sample_graph: Graph) -> None:
    by_name = sample_graph.read(overdue_transfers, region="峨山彝族自治县", now=BEFORE_0008_DUE)
    assert by_name.model_dump(exclude={"query"}) == eshan(sample_graph, BEFORE_0008_DUE).model_dump(
        exclude={"query"}
    )


def test_a_calendar_without_the_make_up_saturday_puts_0005_on_time(
    sample_graph: Graph, tmp_path: Path
) -> None:
    # README: ES-T-0005 is late only because Sat 02-08 was a working day.
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text("years:\n  2025:\n    notice: 假设\n    days_off: [2025-02-08]\n")
    answer = eshan(sample_graph, BEFORE_0008_DUE, calendar=WorkingDayCalendar.from_file(holidays))
    [t0005] = [t for t in answer.transfers if t.transfer_id == "ES-T-0005"]
    assert (t0005.deadline, t0005.verdict) == (end_of("2025-02-10"), "on_time")


def test_region_without_transfer_policy_says_so_and_has_no_transfers(sample_graph: Graph) -> None:
    answer = sample_graph.read(overdue_transfers, region="350502", now=AFTER_0008_DUE)
    assert (answer.region_name, answer.policies, answer.transfers) == ("鲤城区", [], [])
    assert any("没有移送期限规则" in note for note in answer.notes)


def test_unknown_region_is_named_in_the_answer(sample_graph: Graph) -> None:
    answer = sample_graph.read(overdue_transfers, region="不存在县", now=AFTER_0008_DUE)
    assert answer.region_code is None and answer.transfers == []
    assert answer.notes == ["没有代码或名称为「不存在县」的地区"]


def test_sheets_list_every_transfer_and_the_overdue_subset(sample_graph: Graph) -> None:
    sheets = eshan(sample_graph, AFTER_0008_DUE).sheets()
    assert [len(s.rows) for s in sheets] == [10, 5, 2]
    assert sheets[0].columns[:3] == ["移送编号", "案件", "移送方"]
    assert sheets[1].rows[-1][10] == "逾期未接收"


def load_eshan(graph: Graph, tmp_path: Path, keep_policies: set[str]) -> None:
    """Eshan's organisation, catalog and cases, with only the named policies."""
    org = yaml.safe_load((SAMPLE / "eshan" / "organisation.yaml").read_text(encoding="utf-8"))
    org["policies"] = [p for p in org["policies"] if p["id"] in keep_policies]
    cases = yaml.safe_load((SAMPLE / "cases.yaml").read_text(encoding="utf-8"))
    cases["cases"] = [c for c in cases["cases"] if c["id"].startswith("ES-")]
    cases["disputes"] = []
    for name, content in [("organisation.yaml", org), ("cases.yaml", cases)]:
        (tmp_path / name).write_text(yaml.safe_dump(content, allow_unicode=True), "utf-8")
    for name in ["eshan-2024.csv", "eshan-2024.meta.yaml"]:
        shutil.copy(SAMPLE / "eshan" / name, tmp_path / name)
    report = LoadReport()
    plan = plan_load([tmp_path], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_without_any_deadline_policy_no_default_deadline_is_invented(
    graph: Graph, tmp_path: Path
) -> None:
    load_eshan(graph, tmp_path, keep_policies=set())
    answer = eshan(graph, AFTER_0008_DUE)
    assert len(answer.transfers) == 10 and answer.overdue == []
    assert {(t.verdict, t.deadline) for t in answer.transfers} == {("no_rule", None)}
    assert any("没有移送期限规则" in note for note in answer.notes)


def test_urgent_transfers_without_an_urgent_policy_are_not_judged(
    graph: Graph, tmp_path: Path
) -> None:
    load_eshan(graph, tmp_path, keep_policies={"ES-P-TRANSFER-DAYS"})
    answer = eshan(graph, AFTER_0008_DUE)
    verdicts = {t.transfer_id: t.verdict for t in answer.transfers}
    assert verdicts["ES-T-0006"] == verdicts["ES-T-0007"] == "no_rule"
    assert verdicts["ES-T-0002"] == "overdue"


def test_a_transfer_in_a_year_no_calendar_covers_is_reported_not_guessed() -> None:
    sent = datetime(2100, 3, 1, 10, 0, tzinfo=CST)
    transfer = dict(
        transfer_id="T",
        case_id=None,
        reason=None,
        sender={},
        receiver={},
        sent_at=sent,
        received_at=None,
        urgent=False,
    )
    policy = DeadlinePolicy(id="P", rule=WORKING_DAYS_RULE, threshold=3, scope_code="530426")
    check = judge(transfer, [policy], sent, WorkingDayCalendar({}))
    assert check.verdict == "no_calendar" and "2100" in check.explanation
