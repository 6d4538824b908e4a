"""Overdue transfers (移送超期): every transfer of a region judged against its deadline policies.

The thresholds are Policy nodes (seed 003: 3 working days, 24 hours when urgent); the working-day
calendar is queries/working_days.py. A region without such a policy gets no deadline at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.handling import item_tiers, tier_on, transfer_note
from queries.working_days import (
    CHINA_TZ,
    URGENT_HOURS_RULE,
    WORKING_DAYS_RULE,
    CalendarError,
    WorkingDayCalendar,
    deadline,
    default_calendar,
)

OVERDUE_TRANSFERS = cypher("overdue_transfers")
RULES = [WORKING_DAYS_RULE, URGENT_HOURS_RULE]

Verdict = Literal["on_time", "overdue", "pending", "overdue_not_received", "no_rule", "no_calendar"]
VERDICT_NAMES: dict[str, str] = {
    "on_time": "按时接收",
    "overdue": "逾期",
    "pending": "未接收(未到期)",
    "overdue_not_received": "逾期未接收",
    "no_rule": "无适用期限规则",
    "no_calendar": "工作日历未覆盖",
}
OVERDUE: frozenset[str] = frozenset({"overdue", "overdue_not_received"})


class Body(BaseModel):
    """A sender or receiver of a transfer: a street (街道/乡镇) or a department (部门)."""

    kind: Literal["street", "department"] | None = None
    id: str | None = None
    name: str | None = None


class DeadlinePolicy(BaseModel):
    """A transfer-deadline policy (移送期限规则) with its source, as recorded in the graph."""

    id: str
    rule: str
    threshold: float | None = None
    description: str | None = None
    source_document: str | None = None
    source_quote: str | None = None
    document_id: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    scope_code: str
    scope_name: str | None = None
    distance: int = 0  # 0: applies to the region itself; n: to a region n PART_OF steps up

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def cite(self) -> str:
        unit = "小时" if self.rule == URGENT_HOURS_RULE else "个工作日"
        threshold = "?" if self.threshold is None else f"{self.threshold:g}"
        return f"{self.id}: {threshold}{unit} (《{self.source_document}》: {self.source_quote})"


class TransferCheck(BaseModel):
    """One transfer (移送) with its deadline, the time it took and the verdict."""

    transfer_id: str
    case_id: str | None = None
    item_code: str | None = Field(None, description="事项编码 of the case's item")
    item_name: str | None = Field(None, description="事项名称 of the case's item")
    item_listed: bool | None = Field(
        None, description="whether any catalog lists the item (false: 事项未列入任何目录)"
    )
    reason: str | None = None
    sender: Body
    receiver: Body
    sent_at: datetime
    received_at: datetime | None = None
    urgent: bool = False
    verdict: Verdict
    deadline: datetime | None = None
    working_days_taken: int | None = None  # working days after the day sent, to receipt or now
    hours_taken: float | None = None  # hours from sent_at to receipt or now
    policy: DeadlinePolicy | None = None
    calendar: list[str] = Field(
        default_factory=list
    )  # where the working days come from (notice numbers, library)
    explanation: str
    handling: str | None = Field(
        None, description="办理层级 of a technical item on the day sent (seed 002 二、二), if any"
    )


class OverdueTransfers(Answer):
    """Every transfer of the region with its verdict; `overdue` is the late subset."""

    query: str
    region_code: str | None = None
    region_name: str | None = None
    now: datetime
    policies: list[DeadlinePolicy] = Field(default_factory=list)
    transfers: list[TransferCheck] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @computed_field  # in --json too
    @property
    def overdue(self) -> list[TransferCheck]:
        return [t for t in self.transfers if t.verdict in OVERDUE]

    def sheets(self) -> list[Sheet]:
        sheets = [
            _transfer_sheet(f"移送期限检查 {self.region_name or self.query}", self.transfers),
            _transfer_sheet("逾期移送", self.overdue),
            Sheet(
                title="移送期限规则",
                columns=[
                    "规则编号",
                    "规则",
                    "期限",
                    "适用地区",
                    "生效",
                    "失效",
                    "来源文件",
                    "原文",
                ],
                rows=[
                    [
                        p.id,
                        p.rule,
                        p.threshold,
                        p.scope_name or p.scope_code,
                        p.valid_from,
                        p.valid_to,
                        p.source_document,
                        p.source_quote,
                    ]
                    for p in self.policies
                ],
            ),
        ]
        if self.notes:
            sheets.append(Sheet(title="说明", columns=["说明"], rows=[[n] for n in self.notes]))
        return sheets


@unit_of_work(metadata={"query": "overdue_transfers"})
def overdue_transfers(
    tx: ManagedTransaction,
    *,
    region: str,
    now: datetime,
    calendar: WorkingDayCalendar | None = None,
) -> OverdueTransfers:
    """Judge every transfer of `region` (code or exact name) as of `now` (naive = +08:00)."""
    now = now if now.tzinfo else now.replace(tzinfo=CHINA_TZ)
    rows = [record_natives(r) for r in tx.run(OVERDUE_TRANSFERS, region=region, rules=RULES)]
    if len(rows) != 1:
        return OverdueTransfers(query=region, now=now, notes=[_not_one_region(region, rows)])
    row = rows[0]
    policies = [DeadlinePolicy(**_snake(p)) for p in row["policies"]]
    checks = [
        judge(_transfer(t), policies, now, calendar or default_calendar()) for t in row["transfers"]
    ]
    checks = _with_handling(tx, checks)
    return OverdueTransfers(
        query=region,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        now=now,
        policies=policies,
        transfers=checks,
        notes=_region_notes(row["regionName"], policies, checks),
    )


def _with_handling(tx: ManagedTransaction, checks: list[TransferCheck]) -> list[TransferCheck]:
    """Each transfer of a technical item says where the catalog sends it (queries/handling.py)."""
    tiers = item_tiers(tx, [c.item_code for c in checks if c.item_code])
    marked = []
    for check in checks:
        note = tier_on(tiers.get(check.item_code or "", []), _local_day(check.sent_at))
        said = transfer_note(note, check.receiver.kind) if note else None
        marked.append(check.model_copy(update={"handling": said}) if said else check)
    return marked


def judge(
    transfer: dict[str, Any],
    policies: list[DeadlinePolicy],
    now: datetime,
    calendar: WorkingDayCalendar,
) -> TransferCheck:
    """The verdict on one transfer: the policy in force on the day sent, then the calendar."""
    policy, problem = _policy_for(transfer, policies)
    if policy is None:
        return TransferCheck(**transfer, verdict="no_rule", explanation=problem)
    try:
        return _timed(transfer, policy, now, calendar)
    except CalendarError as exc:
        return TransferCheck(**transfer, verdict="no_calendar", policy=policy, explanation=str(exc))


def _timed(
    transfer: dict[str, Any], policy: DeadlinePolicy, now: datetime, calendar: WorkingDayCalendar
) -> TransferCheck:
    sent, received = transfer["sent_at"], transfer["received_at"]
    due = deadline(sent, policy, calendar)
    end = received or now
    day0 = _local_day(sent)
    by_days = policy.rule == WORKING_DAYS_RULE
    if received is not None:
        verdict: Verdict = "on_time" if received <= due else "overdue"
    else:
        verdict = "pending" if now <= due else "overdue_not_received"
    counted = by_days and verdict != "overdue_not_received"  # past the deadline: hours suffice
    return TransferCheck(
        **transfer,
        verdict=verdict,
        deadline=due,
        working_days_taken=calendar.working_days_after(day0, _local_day(end)) if counted else None,
        hours_taken=round((end - sent).total_seconds() / 3600, 2),
        policy=policy,
        calendar=_sources(day0, due.date(), calendar) if by_days else [],
        explanation=_explain(sent, due, verdict, policy, calendar),
    )


def _sources(day0: date, due: date, calendar: WorkingDayCalendar) -> list[str]:
    return [calendar.year_source(year) for year in range(day0.year, due.year + 1)]


def _policy_for(
    transfer: dict[str, Any], policies: list[DeadlinePolicy]
) -> tuple[DeadlinePolicy | None, str]:
    """The nearest policy of the transfer's rule in force on the day sent; none or a tie: why."""
    rule = URGENT_HOURS_RULE if transfer["urgent"] else WORKING_DAYS_RULE
    day = _local_day(transfer["sent_at"])
    candidates = [p for p in policies if p.rule == rule and p.in_force(day)]
    if not candidates:
        kind = "紧急移送" if transfer["urgent"] else "移送"
        return None, f"{kind}: 无 {rule} 规则在 {day} 有效,不设默认期限"
    nearest = [p for p in candidates if p.distance == min(c.distance for c in candidates)]
    if len(nearest) > 1:
        ids = "、".join(p.id for p in nearest)
        return None, f"{rule} 有多条规则同时有效 ({ids}),不自行选择"
    return nearest[0], ""


def _explain(
    sent: datetime, due: datetime, verdict: Verdict, policy: DeadlinePolicy, cal: WorkingDayCalendar
) -> str:
    if policy.rule == URGENT_HOURS_RULE:
        rule = f"紧急移送 {policy.threshold:g} 小时内"
    else:
        day0 = _local_day(sent)
        rule = f"发出日 {day0} 为第0日,{policy.threshold:g} 个工作日,截至 {due.date()} 24时"
        rule += _calendar_remarks(day0, due.date(), cal)
    return f"{rule};{VERDICT_NAMES[verdict]} (规则 {policy.id},{policy.source_document})"


def _calendar_remarks(day0: date, due: date, cal: WorkingDayCalendar) -> str:
    """Holidays skipped and make-up working days counted within (day0, due]."""
    span = [day0 + timedelta(days=n) for n in range(1, (due - day0).days + 1)]
    off = [d for d in span if d.weekday() < 5 and not cal.is_working_day(d)]
    makeup = [d for d in span if d.weekday() >= 5 and cal.is_working_day(d)]
    remarks = [f"节假日 {', '.join(map(str, off))} 不计"] if off else []
    remarks += [f"调休上班日 {', '.join(map(str, makeup))} 计入"] if makeup else []
    return f"({';'.join(remarks)})" if remarks else ""


def _region_notes(
    name: str, policies: list[DeadlinePolicy], checks: list[TransferCheck]
) -> list[str]:
    notes = []
    if not policies:
        notes.append(
            f"{name} 没有移送期限规则 ({WORKING_DAYS_RULE} / {URGENT_HOURS_RULE}):"
            "不套用默认期限,各移送不作超期判断"
        )
    if not checks:
        notes.append(f"{name} 没有移送记录")
    notes += [f"{c.transfer_id}: {c.explanation}" for c in checks if c.verdict == "no_calendar"]
    return notes


def _not_one_region(region: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"没有代码或名称为「{region}」的地区"
    codes = "、".join(f"{r['regionCode']} {r['regionName']}" for r in rows)
    return f"「{region}」对应多个地区 ({codes}),请用地区代码"


def _transfer(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "transfer_id": row["transferId"],
        "case_id": row["caseId"],
        "item_code": row["itemCode"],
        "item_name": row["itemName"],
        "item_listed": row["itemListed"],
        "reason": row["reason"],
        "sender": Body(kind=row["fromKind"], id=row["fromId"], name=row["fromName"]),
        "receiver": Body(kind=row["toKind"], id=row["toId"], name=row["toName"]),
        "sent_at": row["sentAt"],
        "received_at": row["receivedAt"],
        "urgent": row["urgent"],
    }


def _snake(policy: dict[str, Any]) -> dict[str, Any]:
    return {"".join(f"_{c.lower()}" if c.isupper() else c for c in k): v for k, v in policy.items()}


def _local_day(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def _transfer_sheet(title: str, checks: list[TransferCheck]) -> Sheet:
    columns = ["移送编号", "案件", "移送方", "接收方", "发出时间", "接收时间", "紧急", "期限",
               "已用工作日", "已用小时", "结论", "规则", "说明", "事项", "办理层级"]  # fmt: skip
    rows = [
        [
            c.transfer_id,
            c.case_id,
            c.sender.name,
            c.receiver.name,
            c.sent_at,
            c.received_at,
            c.urgent,
            c.deadline,
            c.working_days_taken,
            c.hours_taken,
            VERDICT_NAMES[c.verdict],
            c.policy.cite() if c.policy else None,
            c.explanation,
            _item_label(c),
            c.handling,
        ]
        for c in checks
    ]
    return Sheet(title=title, columns=columns, rows=rows)


def _item_label(check: TransferCheck) -> str | None:
    """The case's item as a clerk reads it, saying when no catalog lists it."""
    if check.item_code is None:
        return None
    name = check.item_name or check.item_code
    return f"{name}(事项未列入任何目录)" if check.item_listed is False else name
