"""First-contact duty (首问负责制): each matter a body of the region received, judged.

Seed 003 二(五): a body receiving a complaint within its powers handles it and replies; one
without jurisdiction hands it on (移交) with written material to the competent body, and the body
that finally handles it (最终办结单位) replies to the complainant. The hand-on deadline is the
transfer deadline of 二(四) — 3 working days, 24 hours when urgent — as the region's Policy nodes
state it, counted from receipt on the working-day calendar (queries/working_days.py), exactly as
queries/overdue_transfers.py counts a transfer from the day it was sent. The competent body is the
authority answer (queries/authority.py) for the matter's item × street on the day received.

A matter is a case (案件, usually 案源) RECEIVED_BY a street or department, with `received_at`,
`channel` and `urgent`; its hand-ons are its transfers; the reply is `replied_at` and REPLIED_BY.
No complainant's name or phone is stored; the summary is marked personal (hidden from viewers).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from queries.answers import Answer, Sheet, record_natives
from queries.authority import AuthorityAnswer, Body, authority
from queries.cypher_files import cypher
from queries.overdue_transfers import (
    RULES,
    DeadlinePolicy,
    _calendar_remarks,
    _local_day,
    _not_one_region,
    _policy_for,
    _snake,
    _sources,
)
from queries.working_days import (
    CHINA_TZ,
    WORKING_DAYS_RULE,
    CalendarError,
    WorkingDayCalendar,
    deadline,
    default_calendar,
)

FIRST_CONTACT = cypher("first_contact")
RULE_SOURCE = "《峨山县乡镇(街道)综合行政执法协调联动机制》二(五) 严格落实首问责任制 (seed 003)"
RULE_QUOTE = (
    "涉及无管辖权需要移送的,应形成相关书面资料,移交有管辖权的部门处理,"
    "并由最终办结单位将处理结果及时答复举报投诉人。"
)
CHANNELS = ("来电", "来信", "来访", "12345", "网格", "当面", "其他")

Verdict = Literal[
    "competent",  # the receiver was competent: it handles the matter, no hand-on due
    "on_time",
    "overdue",
    "pending",
    "overdue_not_handed_on",
    "cannot_judge",  # no competent body could be named (conflict, unknown): nothing is assumed
    "no_rule",
    "no_calendar",
]
VERDICT_NAMES: dict[str, str] = {
    "competent": "接收单位有管辖权(自行办理)",
    "on_time": "按时移交",
    "overdue": "逾期移交",
    "pending": "未移交(未到期)",
    "overdue_not_handed_on": "逾期未移交",
    "cannot_judge": "无法认定管辖主体",
    "no_rule": "无适用期限规则",
    "no_calendar": "工作日历未覆盖",
}
OVERDUE: frozenset[str] = frozenset({"overdue", "overdue_not_handed_on"})
Reply = Literal["replied", "replied_by_other", "awaiting_reply"]
REPLY_NAMES: dict[str, str] = {
    "replied": "已由最终办结单位答复",
    "replied_by_other": "答复单位不是最终办结单位",
    "awaiting_reply": "未答复",
}


class HandOn(BaseModel):
    """One hand-on (移交) of the matter: a transfer from one body to another."""

    transfer_id: str
    sent_at: datetime
    received_at: datetime | None = None
    sender: Body
    receiver: Body


class MatterCheck(BaseModel):
    """One received matter: who received it, who was competent, the hand-on and the reply."""

    case_id: str
    status: str | None = None
    # 投诉摘要: free text that may describe people and places; editors, reviewers, admins only.
    summary: str | None = Field(None, json_schema_extra={"personal": True})
    item: str | None = None
    street: str | None = None
    street_name: str | None = None
    received_at: datetime
    channel: str | None = None
    urgent: bool = False
    receiver: Body
    competent: Body | None = None
    authority_outcome: str | None = None
    receiver_competent: bool | None = None
    verdict: Verdict
    deadline: datetime | None = None
    working_days_taken: int | None = None  # working days after the day received, to hand-on/now
    hours_taken: float | None = None
    policy: DeadlinePolicy | None = None
    calendar: list[str] = Field(default_factory=list)
    hand_ons: list[HandOn] = Field(default_factory=list)
    handed_on_at: datetime | None = None
    handed_on_to: Body | None = None
    final_handler: Body | None = None
    replied_at: datetime | None = None
    replied_by: Body | None = None
    reply: Reply
    explanation: str


class FirstContact(Answer):
    """Every matter received by a body of the region; `overdue` and `unreplied` are subsets."""

    query: str
    region_code: str | None = None
    region_name: str | None = None
    now: datetime
    rule: str = RULE_QUOTE
    rule_source: str = RULE_SOURCE
    policies: list[DeadlinePolicy] = Field(default_factory=list)
    matters: list[MatterCheck] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @computed_field  # in --json too
    @property
    def overdue(self) -> list[MatterCheck]:
        return [m for m in self.matters if m.verdict in OVERDUE]

    @computed_field
    @property
    def unreplied(self) -> list[MatterCheck]:
        return [m for m in self.matters if m.reply != "replied"]

    def sheets(self) -> list[Sheet]:
        sheets = [
            _matter_sheet(f"首问负责 {self.region_name or self.query}", self.matters),
            _matter_sheet("逾期移交", self.overdue),
            _matter_sheet("答复待办或存疑", self.unreplied),
            Sheet(
                title="规则",
                columns=["规则", "来源", "期限", "适用地区", "生效", "失效"],
                rows=[[self.rule, self.rule_source, None, None, None, None]]
                + [
                    [
                        p.source_quote,
                        p.source_document,
                        p.cite(),
                        p.scope_name or p.scope_code,
                        p.valid_from,
                        p.valid_to,
                    ]
                    for p in self.policies
                ],
            ),
        ]
        if self.notes:
            sheets.append(Sheet(title="说明", columns=["说明"], rows=[[n] for n in self.notes]))
        return sheets


@unit_of_work(metadata={"query": "first_contact"})
def first_contact(
    tx: ManagedTransaction,
    *,
    region: str,
    now: datetime,
    calendar: WorkingDayCalendar | None = None,
) -> FirstContact:
    """Judge every matter received by a body of `region` as of `now` (naive = +08:00)."""
    now = now if now.tzinfo else now.replace(tzinfo=CHINA_TZ)
    rows = [record_natives(r) for r in tx.run(FIRST_CONTACT, region=region, rules=RULES)]
    if len(rows) != 1:
        return FirstContact(query=region, now=now, notes=[_not_one_region(region, rows)])
    row = rows[0]
    policies = [DeadlinePolicy(**_snake(p)) for p in row["policies"]]
    cal = calendar or default_calendar()
    checks = []
    for matter in row["matters"]:
        answer = None
        if matter["item"] and matter["street"]:
            day = _local_day(matter["receivedAt"])
            answer = authority(tx, item=matter["item"], street=matter["street"], as_of=day)
        checks.append(judge(matter, answer, policies, now, cal))
    notes = [] if checks else [f"{row['regionName']} 没有首问登记的事项"]
    return FirstContact(
        query=region,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        now=now,
        policies=policies,
        matters=checks,
        notes=notes,
    )


def judge(
    matter: dict[str, Any],
    answer: AuthorityAnswer | None,
    policies: list[DeadlinePolicy],
    now: datetime,
    calendar: WorkingDayCalendar,
) -> MatterCheck:
    """The verdict on one matter: competence on the day received, the hand-on, the reply."""
    receiver = Body(**matter["receiver"])
    received: datetime = matter["receivedAt"]
    hand_ons = [_hand_on(h) for h in matter["handOns"]]
    first = next((h for h in hand_ons if _same(h.sender, receiver)), None)
    competent = answer.subject if answer and answer.outcome == "determined" else None
    facts: dict[str, Any] = {
        "case_id": matter["caseId"],
        "status": matter["status"],
        "summary": matter["summary"],
        "item": matter["item"],
        "street": matter["street"],
        "street_name": matter["streetName"],
        "received_at": received,
        "channel": matter["channel"],
        "urgent": matter["urgent"],
        "receiver": receiver,
        "competent": competent,
        "authority_outcome": answer.outcome if answer else None,
        "receiver_competent": None if competent is None else _same(receiver, competent),
        "hand_ons": hand_ons,
        "handed_on_at": first.sent_at if first else None,
        "handed_on_to": first.receiver if first else None,
        "replied_at": matter["repliedAt"],
        "replied_by": Body(**matter["replier"]) if matter["replier"] else None,
    }
    final = _final_handler(matter, receiver, competent, hand_ons)
    reply, reply_text = _reply(facts["replied_by"], facts["replied_at"], final)
    facts |= {"final_handler": final, "reply": reply}
    head = f"{received.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} {receiver.name}经{matter['channel'] or '未载明渠道'}接到"
    if competent is None:
        why = answer.explanation if answer else "事项未载明执法事项或发生地"
        text = f"{head},无法认定管辖主体({why}),不作移交期限判断"
        return MatterCheck(**facts, verdict="cannot_judge", explanation=f"{text};{reply_text}")
    if facts["receiver_competent"]:
        text = f"{head},{receiver.name}当日即为有管辖权的执法主体,应自行受理办理"
        return MatterCheck(**facts, verdict="competent", explanation=f"{text};{reply_text}")
    head += f",当日有管辖权的是{competent.name},应移交"
    if first and not _same(first.receiver, competent):
        head += f"(实际移交{first.receiver.name},非有管辖权单位)"
    policy, problem = _policy_for({"urgent": matter["urgent"], "sent_at": received}, policies)
    if policy is None:
        return MatterCheck(**facts, verdict="no_rule", explanation=f"{head};{problem};{reply_text}")
    try:
        timed = _timed(received, first, policy, now, calendar)
    except CalendarError as exc:
        return MatterCheck(
            **facts, verdict="no_calendar", policy=policy, explanation=f"{head};{exc};{reply_text}"
        )
    text = timed.pop("text")
    return MatterCheck(**facts, **timed, policy=policy, explanation=f"{head};{text};{reply_text}")


def _timed(
    received: datetime,
    first: HandOn | None,
    policy: DeadlinePolicy,
    now: datetime,
    calendar: WorkingDayCalendar,
) -> dict[str, Any]:
    due = deadline(received, policy, calendar)
    end = first.sent_at if first else now
    if first is not None:
        verdict: Verdict = "on_time" if first.sent_at <= due else "overdue"
    else:
        verdict = "pending" if now <= due else "overdue_not_handed_on"
    day0 = _local_day(received)
    by_days = policy.rule == WORKING_DAYS_RULE
    if by_days:
        rule = f"接到日 {day0} 为第0日,{policy.threshold:g} 个工作日,截至 {due.date()} 24时"
        rule += _calendar_remarks(day0, due.date(), calendar)
    else:
        rule = f"情况紧急,{policy.threshold:g} 小时内,截至 {due:%Y-%m-%d %H:%M}"
    when = f"{first.sent_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} 移交" if first else "尚未移交"
    text = f"{rule};{when},{VERDICT_NAMES[verdict]} (规则 {policy.id},{policy.source_document})"
    counted = by_days and verdict != "overdue_not_handed_on"
    return {
        "verdict": verdict,
        "deadline": due,
        "working_days_taken": calendar.working_days_after(day0, _local_day(end))
        if counted
        else None,
        "hours_taken": round((end - received).total_seconds() / 3600, 2),
        "calendar": _sources(day0, due.date(), calendar) if by_days else [],
        "text": text,
    }


def _final_handler(
    matter: dict[str, Any], receiver: Body, competent: Body | None, hand_ons: list[HandOn]
) -> Body | None:
    """Who finally handles it: the case's handler, else the last hand-on's receiver, else the
    receiver when it was competent; none when nobody can be named yet."""
    if matter["handler"]:
        return Body(**matter["handler"])
    if hand_ons:
        return hand_ons[-1].receiver
    if competent is not None and _same(receiver, competent):
        return receiver
    return None


def _reply(replier: Body | None, at: datetime | None, final: Body | None) -> tuple[Reply, str]:
    if replier is None or at is None:
        who = f",应由{final.name}答复" if final else ",最终办结单位尚未确定"
        return "awaiting_reply", f"尚未答复投诉举报人{who}"
    when = f"{at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"
    if final is not None and _same(replier, final):
        return "replied", f"{when} 由最终办结单位{replier.name}答复"
    other = f"最终办结单位是{final.name}" if final else "最终办结单位尚未确定"
    return (
        "replied_by_other",
        f"{when} 由{replier.name}答复,但{other}(首问责任制:由最终办结单位答复)",
    )


def _hand_on(row: dict[str, Any]) -> HandOn:
    return HandOn(
        transfer_id=row["transferId"],
        sent_at=row["sentAt"],
        received_at=row["receivedAt"],
        sender=Body(**row["from"]),
        receiver=Body(**row["to"]),
    )


def _same(a: Body, b: Body) -> bool:
    return (a.kind, a.key) == (b.kind, b.key)


def _matter_sheet(title: str, checks: list[MatterCheck]) -> Sheet:
    columns = ["事项编号", "执法事项", "发生地", "接到时间", "渠道", "紧急", "接收单位",
               "有管辖权单位", "接收单位有权", "移交期限", "移交时间", "移交至", "已用工作日",
               "已用小时", "结论", "最终办结单位", "答复时间", "答复单位", "答复", "规则",
               "说明"]  # fmt: skip
    rows = [
        [
            c.case_id,
            c.item,
            c.street_name or c.street,
            c.received_at,
            c.channel,
            c.urgent,
            c.receiver.name,
            c.competent.name if c.competent else None,
            c.receiver_competent,
            c.deadline,
            c.handed_on_at,
            c.handed_on_to.name if c.handed_on_to else None,
            c.working_days_taken,
            c.hours_taken,
            VERDICT_NAMES[c.verdict],
            c.final_handler.name if c.final_handler else None,
            c.replied_at,
            c.replied_by.name if c.replied_by else None,
            REPLY_NAMES[c.reply],
            c.policy.cite() if c.policy else None,
            c.explanation,
        ]
        for c in checks
    ]
    return Sheet(title=title, columns=columns, rows=rows)
