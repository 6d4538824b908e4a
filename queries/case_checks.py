"""Checks of a recorded case (案件核查): did its handler hold the authority when it filed the case
(立案日; the violation date for a case not yet filed) — 行政处罚法 Art. 38: a penalty by a body
without authority is void — and was every officer on it certified on the violation date (持证上岗).

A case filed before a catalog or notice took the item from its handler stays with the handler
(已立案未办结的案件由原实施主体继续办理; queries/case_changes.py, rule and sources in
queries/case_rules.yaml); one filed after it is flagged. A case about an item no catalog lists is
answered as such (事项未列入任何目录): no authority is inferred for it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, record_natives
from queries.authority import AuthorityAnswer, Body, authority
from queries.case_changes import CaseAcrossChange, filed_after_change, pending_across
from queries.cypher_files import cypher
from queries.working_days import CHINA_TZ

CASE_CHECKS = cypher("case_checks")

Verdict = Literal["ok", "void_risk", "contested", "no_handler", "cannot_check"]
VERDICT_LABELS = {
    "ok": "合法",
    "void_risk": "无效风险",
    "contested": "主体存在冲突",
    "no_handler": "尚无办案主体",
    "cannot_check": "无法核查",
}


class OfficerCheck(BaseModel):
    """One officer on the case and their certificate on the violation date (执法证)."""

    id: str = Field(json_schema_extra={"personal": True})  # 执法证号
    name: str = Field(json_schema_extra={"personal": True})
    unit: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    certified: bool
    domains: list[str] = Field(default_factory=list)
    covers_domain: bool | None = None  # None: the item has no domain recorded
    problem: str | None = None


class CaseChecks(Answer):
    """The verdicts on one case, each with the authority answer it rests on."""

    case: str
    found: bool
    status: str | None = None
    summary: str | None = Field(
        None, json_schema_extra={"personal": True}
    )  # 案情摘要 (Case.summary)
    occurred_on: date | None = None
    filed_at: datetime | None = None
    closed_on: date | None = Field(None, description="办结日期, if recorded")
    item: str | None = Field(None, description="事项编码 of the case's item")
    item_name: str | None = Field(None, description="事项名称 of the case's item")
    item_listed: bool | None = Field(
        None, description="whether any catalog or notice lists the item (false: 事项未列入任何目录)"
    )
    handler: Body | None = None
    checked_on: date | None = Field(
        None, description="the day the handler's authority was judged: 立案日, else 违法日"
    )
    verdict: Verdict
    explanation: str
    authority: AuthorityAnswer | None = None
    competent: Body | None = None
    across_change: CaseAcrossChange | None = Field(
        None,
        description="a change of the item's subject between filing and end (案件衔接): who "
        "keeps the case, by which rule and notice",
    )
    officers: list[OfficerCheck] = Field(default_factory=list)
    officers_ok: bool = True

    def sheets(self) -> list[Sheet]:
        summary = Sheet(
            title="案件核查",
            columns=[
                "案件",
                "违法日期",
                "办案主体",
                "应由",
                "结论",
                "人员持证",
                "说明",
                "事项目录",
            ],
            rows=[
                [
                    self.case,
                    self.occurred_on,
                    self.handler.name if self.handler else None,
                    self.competent.name if self.competent else None,
                    VERDICT_LABELS[self.verdict],
                    "是" if self.officers_ok else "否",
                    self.explanation,
                    {False: "事项未列入任何目录", True: "已列入目录"}.get(self.item_listed),  # type: ignore[arg-type]
                ]
            ],
        )
        officers = Sheet(
            title="办案人员",
            columns=["执法证号", "姓名", "单位", "证件起", "证件止", "当日持证", "问题"],
            rows=[
                [
                    o.id,
                    o.name,
                    o.unit,
                    o.valid_from,
                    o.valid_to,
                    "是" if o.certified else "否",
                    o.problem,
                ]
                for o in self.officers
            ],
        )
        return [summary, officers]


@unit_of_work(metadata={"query": "case_checks"})
def case_checks(tx: ManagedTransaction, *, case: str, personal: bool = False) -> CaseChecks:
    """Check one case by its id. `personal`: whether the reader may see officers' names and
    certificate numbers; the explanation names the uncertified officers only then (the officers
    list always holds them; queries.officer_text)."""
    record = tx.run(CASE_CHECKS, case=case).single()
    if record is None:
        return CaseChecks(
            case=case,
            found=False,
            verdict="cannot_check",
            explanation=f"没有编号为「{case}」的案件",
        )
    facts = record_natives(record)
    handler = Body(**_body(facts["handler"])) if facts["handler"] else None
    day: date | None = facts["occurredOn"]
    officers = [_officer(o, day, facts["itemDomain"]) for o in facts["officers"]] if day else []
    if facts["itemListed"] is False:
        return _answer(
            facts,
            handler,
            "cannot_check",
            _unlisted(facts, handler),
            None,
            officers,
            personal=personal,
        )
    if day is None or facts["item"] is None or facts["street"] is None:
        missing = "违法日期" if day is None else "执法事项" if facts["item"] is None else "发生地"
        text = f"案件未载明{missing},无法核查主体资格"
        return _answer(facts, handler, "cannot_check", text, None, [], personal=personal)
    filed_on = _filing_day(facts["filedAt"]) if handler else None
    checked = filed_on or day
    answer = authority(tx, item=facts["item"], street=facts["street"], as_of=checked)
    verdict, text = _verdict(handler, answer, checked, filed=filed_on is not None)
    across = _across_change(tx, facts, handler, answer, verdict, filed_on)
    if across is not None:  # the rule first when it keeps the case, after the verdict otherwise
        text = (
            f"{across.explanation} {text}"
            if across.filed_before
            else f"{text} {across.explanation}"
        )
    return _answer(
        facts,
        handler,
        verdict,
        text,
        answer,
        officers,
        personal=personal,
        across=across,
        checked=checked,
    )


def _across_change(
    tx: ManagedTransaction,
    facts: dict[str, Any],
    handler: Body | None,
    answer: AuthorityAnswer,
    verdict: Verdict,
    filed_on: date | None,
) -> CaseAcrossChange | None:
    """A change of the item's subject the case crossed (queries.case_changes): kept by the
    filer when it held the item on filing, or filed after the change that took it away."""
    if handler is None or filed_on is None or verdict not in ("ok", "void_risk"):
        return None
    where = {"item": facts["item"], "street": facts["street"], "handler": handler}
    if verdict == "ok":
        closed_on = facts["closedOn"]
        return pending_across(tx, **where, at_filing=answer, filed_on=filed_on, closed_on=closed_on)
    return filed_after_change(tx, **where, at_filing=answer, filed_on=filed_on)


def _filing_day(filed_at: datetime | None) -> date | None:
    """The 立案 day in Beijing time (a time without an offset is taken as Beijing time)."""
    if filed_at is None:
        return None
    return (filed_at.astimezone(CHINA_TZ) if filed_at.tzinfo else filed_at).date()


def _unlisted(facts: dict[str, Any], handler: Body | None) -> str:
    named = f"「{facts['itemName'] or facts['item']}」"
    if facts["itemName"] and facts["itemName"] != facts["item"]:
        named += f"({facts['item']})"
    who = f"办案主体{handler.name}的" if handler else "案件的"
    return (
        f"事项{named}未列入任何目录(事项未列入任何目录):登记簿无从认定其执法主体,也不据此推断;"
        f"{who}主体资格须依该事项的设定依据和法定实施部门另行核实。实施主体不具有行政主体资格的,"
        "行政处罚无效(《中华人民共和国行政处罚法》第三十八条)。"
    )


def _verdict(
    handler: Body | None, answer: AuthorityAnswer, day: date, *, filed: bool = False
) -> tuple[Verdict, str]:
    if answer.outcome == "conflict":
        names = "、".join(c.name for c in answer.candidates)
        return (
            "contested",
            f"{day}该事项在发生地存在多个执法主体({names}),须先依法确定:{answer.explanation}",
        )
    if answer.subject is None:
        return "cannot_check", f"无法认定{day}的执法主体:{answer.explanation}"
    if handler is None:
        return (
            "no_handler",
            f"尚无办案主体;{day}应由{answer.subject.name}管辖。{answer.explanation}",
        )
    when = f"{day}(立案日)" if filed else str(day)
    if _same(handler, answer.subject):
        return "ok", f"{handler.name}于{when}具有该事项的执法主体资格。{answer.explanation}"
    return (
        "void_risk",
        f"{handler.name}于{when}不具有该事项的执法主体资格,应由{answer.subject.name}管辖;"
        f"据此作出的行政处罚有无效风险(《中华人民共和国行政处罚法》第三十八条)。{answer.explanation}",
    )


def _officer(row: dict[str, Any], day: date, domain: str | None) -> OfficerCheck:
    start, end = row.get("valid_from"), row.get("valid_to")
    certified = (start is None or start <= day) and (end is None or day <= end)
    domains = row.get("domains") or []
    covers = None if not domain else domain in domains
    problems = []
    if not certified:
        problems.append(f"{day}执法证不在有效期内({start}至{end})")
    if covers is False:
        problems.append(f"执法领域({'、'.join(domains) or '无'})不含「{domain}」")
    return OfficerCheck(
        id=row["id"],
        name=row["name"],
        unit=row.get("unit"),
        valid_from=start,
        valid_to=end,
        certified=certified,
        domains=domains,
        covers_domain=covers,
        problem=";".join(problems) or None,
    )


def _answer(
    facts: dict[str, Any],
    handler: Body | None,
    verdict: Verdict,
    text: str,
    answer: AuthorityAnswer | None,
    officers: list[OfficerCheck],
    *,
    personal: bool,
    across: CaseAcrossChange | None = None,
    checked: date | None = None,
) -> CaseChecks:
    uncertified = [o for o in officers if not o.certified]
    if uncertified:
        named = "、".join(f"{o.name}({o.id})" for o in uncertified)
        who = named if personal else f"中有 {len(uncertified)} 名"  # queries.officer_text
        text += f" 办案人员{who}当日未持有效执法证(持证上岗)。"
    return CaseChecks(
        case=facts["id"],
        found=True,
        status=facts["status"],
        summary=facts["summary"],
        occurred_on=facts["occurredOn"],
        filed_at=facts["filedAt"],
        closed_on=facts["closedOn"],
        item=facts["item"],
        item_name=facts["itemName"],
        item_listed=facts["itemListed"],
        handler=handler,
        checked_on=checked,
        verdict=verdict,
        explanation=text,
        authority=answer,
        competent=_competent(answer, across),
        across_change=across,
        officers=officers,
        officers_ok=not uncertified,
    )


def _competent(answer: AuthorityAnswer | None, across: CaseAcrossChange | None) -> Body | None:
    """Who answers for the case: the filer a pending-cases rule keeps it with, else the subject
    on the day checked."""
    if across is not None and across.filed_before:
        return across.keeps
    return answer.subject if answer else None


def _same(a: Body, b: Body) -> bool:
    return (a.kind, a.key) == (b.kind, b.key)


def _body(row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": row["kind"], "key": row["key"], "name": row["name"]}
