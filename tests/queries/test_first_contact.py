"""First-contact duty (首问负责制, seed 003 二(五)) on the sample graph: verdicts, arithmetic, replies."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from authreg.query_commands import NOT_FOUND_EXIT
from loaders.submissions import (
    MatterSubmission,
    ReplySubmission,
    TransferSubmission,
    record_matter,
    record_reply,
    record_transfer,
)
from queries.first_contact import FirstContact, MatterCheck, first_contact
from queries.working_days import CHINA_TZ, END_OF_DAY
from tests.conftest import Graph
from tests.queries.test_cli_queries import run

AFTER_ALL = datetime(2025, 11, 10, 9, 0, tzinfo=CHINA_TZ)
BEFORE_02_DUE = datetime(2025, 10, 9, 12, 0, tzinfo=CHINA_TZ)


def end_of(day: str) -> datetime:
    return datetime.combine(datetime.fromisoformat(day).date(), END_OF_DAY, CHINA_TZ)


def eshan(graph: Graph, now: datetime) -> FirstContact:
    return graph.read(first_contact, region="530426", now=now)


def matter(answer: FirstContact, case_id: str) -> MatterCheck:
    [found] = [m for m in answer.matters if m.case_id == case_id]
    return found


def test_a_matter_handed_on_in_time_and_replied_by_the_final_handler(sample_graph: Graph) -> None:
    m = matter(eshan(sample_graph, AFTER_ALL), "ES-M-2025-01")
    assert (m.receiver.key, m.competent and m.competent.key) == ("es-zjj", "530426001")
    assert m.receiver_competent is False and m.authority_outcome == "determined"
    assert (m.verdict, m.deadline, m.working_days_taken) == ("on_time", end_of("2025-06-12"), 1)
    assert m.handed_on_to is not None and m.handed_on_to.key == "530426001"
    assert m.policy is not None and m.policy.id == "ES-P-TRANSFER-DAYS"
    assert (m.reply, m.final_handler and m.final_handler.key) == ("replied", "530426001")
    assert "按时移交" in m.explanation and "由最终办结单位双江街道答复" in m.explanation


def test_a_matter_never_handed_on_is_overdue_after_the_holiday_arithmetic(
    sample_graph: Graph,
) -> None:
    """Received Mon 2025-09-29: 9-30, then 国庆中秋 10-01..10-08 off, 10-09 and 10-10 count."""
    answer = eshan(sample_graph, AFTER_ALL)
    m = matter(answer, "ES-M-2025-02")
    assert (m.verdict, m.deadline, m.handed_on_at) == (
        "overdue_not_handed_on",
        end_of("2025-10-10"),
        None,
    )
    assert m.competent is not None and m.competent.key == "es-zrzyj"
    holidays = "2025-10-01, 2025-10-02, 2025-10-03, 2025-10-06, 2025-10-07, 2025-10-08"
    assert f"节假日 {holidays} 不计" in m.explanation
    assert m.calendar and m.calendar[0].startswith("国办发明电〔2024〕12号")
    assert m.reply == "awaiting_reply" and "最终办结单位尚未确定" in m.explanation
    assert [o.case_id for o in answer.overdue] == ["ES-M-2025-02"]


def test_before_its_deadline_the_same_matter_is_pending(sample_graph: Graph) -> None:
    m = matter(eshan(sample_graph, BEFORE_02_DUE), "ES-M-2025-02")
    assert (m.verdict, m.working_days_taken) == ("pending", 2)  # 9-30 and today, 10-09


def test_a_competent_receiver_handles_it_and_the_reply_is_owed(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, AFTER_ALL)
    m = matter(answer, "ES-M-2025-03")
    assert (m.verdict, m.receiver_competent, m.deadline) == ("competent", True, None)
    assert (m.reply, m.final_handler and m.final_handler.name) == ("awaiting_reply", "甸中镇")
    assert "应由甸中镇答复" in m.explanation
    assert [u.case_id for u in answer.unreplied] == ["ES-M-2025-02", "ES-M-2025-03"]


def test_only_matters_received_in_the_region_and_the_rule_quoted(sample_graph: Graph) -> None:
    answer = eshan(sample_graph, AFTER_ALL)
    assert [m.case_id for m in answer.matters] == ["ES-M-2025-01", "ES-M-2025-02", "ES-M-2025-03"]
    assert "最终办结单位将处理结果及时答复" in answer.rule and "二(五)" in answer.rule_source
    licheng = sample_graph.read(first_contact, region="350502", now=AFTER_ALL)
    assert licheng.matters == [] and licheng.notes == ["鲤城区 没有首问登记的事项"]
    nowhere = sample_graph.read(first_contact, region="不存在县", now=AFTER_ALL)
    assert nowhere.notes == ["没有代码或名称为「不存在县」的地区"]


def test_sheets_list_every_matter_then_the_overdue_and_the_unreplied(sample_graph: Graph) -> None:
    sheets = eshan(sample_graph, AFTER_ALL).sheets()
    assert [len(s.rows) for s in sheets] == [3, 1, 2, 3]  # 规则: 首问 + 2 policies
    assert sheets[1].rows[0][14] == "逾期未移交"
    assert sheets[3].rows[0][0].startswith("涉及无管辖权需要移送的")
    assert all("summary" not in c and "摘要" not in c for c in sheets[0].columns)


def _writes(graph: Graph, *works: tuple) -> None:
    def run(tx: object) -> None:
        for writer, submission in works:
            writer(tx, submission, actor="测试", role="editor", source="test")

    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        session.execute_write(run)


def test_a_late_hand_on_over_a_make_up_working_day_is_overdue_and_a_wrong_reply_flagged(
    fresh_sample_graph: Graph,
) -> None:
    """Received Fri 2025-09-26: Sun 9-28 is a make-up working day (调休), so 9-28, 9-29, 9-30
    count and the hand-on is due end of 9-30; handed on 10-09: overdue. The reply by the
    receiver, not by the body it was handed to, is flagged."""
    received = datetime(2025, 9, 26, 17, 0, tzinfo=CHINA_TZ)
    _writes(
        fresh_sample_graph,
        (
            record_matter,
            MatterSubmission(
                id="ES-M-9001",
                item_code="ES-ZR-001",
                street_code="530426202",
                received_by="530426202",
                received_at=received,
                channel="来电",
            ),
        ),
        (
            record_transfer,
            TransferSubmission(
                id="ES-M-T-9001",
                case_id="ES-M-9001",
                sender="530426202",
                receiver="es-zrzyj",
                sent_at=datetime(2025, 10, 9, 9, 0, tzinfo=CHINA_TZ),
            ),
        ),
        (
            record_reply,
            ReplySubmission(
                matter_id="ES-M-9001",
                replied_by="530426202",
                replied_at=datetime(2025, 10, 20, 9, 0, tzinfo=CHINA_TZ),
            ),
        ),
    )
    m = matter(eshan(fresh_sample_graph, AFTER_ALL), "ES-M-9001")
    assert (m.verdict, m.deadline) == ("overdue", end_of("2025-09-30"))
    assert "调休上班日 2025-09-28 计入" in m.explanation
    assert m.working_days_taken == 4  # 9-28, 9-29, 9-30, 10-09
    assert (m.reply, m.final_handler and m.final_handler.key) == ("replied_by_other", "es-zrzyj")
    assert "答复单位" not in m.explanation and "最终办结单位是峨山县自然资源局" in m.explanation


def test_an_urgent_matter_is_due_24_hours_after_receipt(fresh_sample_graph: Graph) -> None:
    received = datetime(2025, 10, 1, 20, 0, tzinfo=CHINA_TZ)  # a holiday: hours still run
    _writes(
        fresh_sample_graph,
        (
            record_matter,
            MatterSubmission(
                id="ES-M-9002",
                item_code="ES-ZR-001",
                street_code="530426202",
                received_by="530426202",
                received_at=received,
                channel="12345",
                urgent=True,
            ),
        ),
    )
    m = matter(eshan(fresh_sample_graph, AFTER_ALL), "ES-M-9002")
    assert (m.verdict, m.deadline) == ("overdue_not_handed_on", received + timedelta(hours=24))
    assert m.policy is not None and m.policy.id == "ES-P-TRANSFER-URGENT"
    assert "情况紧急,24 小时内" in m.explanation


def test_the_cli_prints_the_list_and_writes_it_as_xlsx(sample_graph: Graph, tmp_path: Path) -> None:
    now = ["--region", "峨山彝族自治县", "--now", "2025-11-10T09:00+08:00"]
    code, text = run(sample_graph, "query", "first-contact", *now, "--json")
    assert code == 0, text
    answer = json.loads(text)
    assert [m["verdict"] for m in answer["matters"]] == [
        "on_time",
        "overdue_not_handed_on",
        "competent",
    ]
    assert [m["case_id"] for m in answer["overdue"]] == ["ES-M-2025-02"]
    target = tmp_path / "首问.xlsx"
    code, text = run(
        sample_graph, "report", "first-contact", *now, "--format", "xlsx", "--out", str(target)
    )
    assert code == 0, text
    book = openpyxl.load_workbook(target)
    header, row = book.worksheets[1].iter_rows(min_row=2, values_only=True)  # below the title
    cell = dict(zip(header, row, strict=True))  # code columns are moved last for print
    assert cell["事项编号"] == "ES-M-2025-02" and "节假日" in cell["说明"]
    code, text = run(sample_graph, "query", "first-contact", "--region", "不存在县")
    assert code == NOT_FOUND_EXIT
