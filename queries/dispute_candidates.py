"""Every body that could claim or disclaim a case (管辖争议候选主体), weighed by 行政处罚法 Art. 22
(place of the violation), Art. 24 (delegation in force on the violation date) and Art. 25 (first
to file), with the resolver the region's policy names. The registry weighs; it does not decide."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, record_natives
from queries.authority import RESOLVER_RULE, AuthorityAnswer, Body, Resolver, authority, resolver_of
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet, body_ids, departments_of_day
from schema.enums import DisputeStatus

DISPUTE_CANDIDATES = cypher("dispute_candidates")


class Candidate(BaseModel):
    """One body that could claim the case, with the evidence under each article."""

    body: Body
    stance: str | None = None  # claims / disclaims, as recorded; None: not a party
    place: str  # Art. 22
    holds_authority: bool | None  # Art. 24: None when it cannot be told
    authority: str  # the authority answer's explanation for this body
    filed_at: datetime | None = None  # Art. 25
    assessment: str


class Claimant(BaseModel):
    """A party to a dispute (争议当事方) and whether it claims or disclaims the case."""

    body: Body
    stance: str | None = None  # claims / disclaims


class DisputeRecord(BaseModel):
    """A jurisdiction dispute recorded about the case (管辖争议记录), with its decision if any."""

    id: str
    status: str
    claimants: list[Claimant] = Field(default_factory=list)
    raised_at: datetime | None = None
    resolved_by: Body | None = None
    decided_for: Body | None = None
    decision: str | None = None
    basis: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None


class DisputeCandidates(Answer):
    """The candidates for one case, the disputes recorded about it and who settles them."""

    case: str
    found: bool
    item: str | None = None
    item_name: str | None = None
    item_listed: bool | None = Field(
        None, description="whether any catalog lists the item (false: 事项未列入任何目录)"
    )
    street: Body | None = None
    occurred_on: date | None = None
    candidates: list[Candidate] = Field(default_factory=list)
    disputes: list[DisputeRecord] = Field(default_factory=list)
    resolvers: list[Resolver] = Field(default_factory=list)
    first_to_file: Body | None = None
    conclusion: str

    def sheets(self) -> list[Sheet]:
        candidates = Sheet(
            title="候选主体",
            columns=[
                "主体",
                "主张",
                "发生地(第二十二条)",
                "赋权(第二十四条)",
                "立案(第二十五条)",
                "评估",
            ],
            rows=[
                [
                    c.body.name,
                    {"claims": "主张管辖", "disclaims": "否认管辖"}.get(c.stance or "", "非当事方"),
                    c.place,
                    {True: "有", False: "无", None: "不明"}[c.holds_authority],
                    c.filed_at,
                    c.assessment,
                ]
                for c in self.candidates
            ],
        )
        disputes = Sheet(
            title="争议记录",
            columns=["争议", "提出时间", "状态", "协调机关", "决定由", "决定", "依据", "决定人"],
            rows=[
                [
                    d.id,
                    d.raised_at,
                    d.status,
                    d.resolved_by.name if d.resolved_by else None,
                    d.decided_for.name if d.decided_for else None,
                    d.decision,
                    d.basis,
                    d.decided_by,
                ]
                for d in self.disputes
            ],
        )
        conclusion = Sheet(
            title="结论", columns=["案件", "结论"], rows=[[self.case, self.conclusion]]
        )
        return [conclusion, candidates, disputes]


@unit_of_work(metadata={"query": "dispute_candidates"})
def dispute_candidates(tx: ManagedTransaction, *, case: str) -> DisputeCandidates:
    """Weigh every body that could claim `case` (by its id)."""
    record = tx.run(DISPUTE_CANDIDATES, case=case, resolverRule=RESOLVER_RULE).single()
    if record is None:
        return DisputeCandidates(case=case, found=False, conclusion=f"没有编号为「{case}」的案件")
    facts = record_natives(record)
    day, street = facts["occurredOn"], facts["street"]
    notes: list[str] = []
    if day is not None:  # 机构改革: every department as on the case's day, in one read
        sheet = departments_of_day(tx, _department_ids(facts), day)
        facts, notes = _of_day(sheet, facts), sheet.notes()
    disputes = [_dispute(row) for row in facts["disputes"]]
    resolvers = [resolver_of(row) for row in facts["resolvers"]]
    base = {
        "case": case,
        "found": True,
        "item": facts["item"],
        "item_name": facts["itemName"],
        "item_listed": facts["itemListed"],
        "occurred_on": day,
        "disputes": disputes,
        "resolvers": resolvers,
    }
    if day is None or street is None or facts["item"] is None:
        return DisputeCandidates(
            **base, conclusion="案件未载明违法日期、发生地或执法事项,无法按第二十二、二十四条判断"
        )
    place = Body(kind="Street", key=street["code"], name=street["name"])
    handler = facts["handler"]
    bodies = _bodies(place, handler, disputes, facts["departments"])
    at_place = authority(tx, item=facts["item"], street=place.key, as_of=day)
    candidates = [
        _weigh(tx, body, stance, place, at_place, handler, facts["item"], day)
        for body, stance in bodies
    ]
    first = _first_to_file(candidates)
    conclusion = _conclusion(candidates, first, disputes, resolvers)
    if facts["itemListed"] is False:
        conclusion = _unlisted(facts["itemName"] or facts["item"]) + conclusion
    if notes:
        conclusion += f"组织沿革:{';'.join(notes)}。"
    return DisputeCandidates(
        **base, street=place, candidates=candidates, first_to_file=first, conclusion=conclusion
    )


def _department_ids(facts: dict[str, Any]) -> list[str]:
    """Every department the case's facts name: the item's, the resolvers', the parties'."""
    ids = [d["id"] for d in facts["departments"]]
    ids += [r["department"]["id"] for r in facts["resolvers"] if r.get("department")]
    for d in facts["disputes"]:
        ids += body_ids(d.get("claimants") or [], d.get("decidedFor"))
        ids += [d["resolvedBy"]["id"]] if d.get("resolvedBy") else []
    return ids + body_ids(facts["handler"])


def _of_day(sheet: DaySheet, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts with each department the one standing for it on the case's day (its successor
    from a merger day), by its name of that day; a department named twice so is kept once."""
    departments = list({d["id"]: d for d in sheet.apply(facts["departments"])}.values())
    disputes = [
        {
            **d,
            "claimants": sheet.apply(d.get("claimants") or [], "key"),
            "decidedFor": sheet.apply(d.get("decidedFor"), "key"),
            "resolvedBy": sheet.apply(d.get("resolvedBy")),
        }
        for d in facts["disputes"]
    ]
    return {
        **facts,
        "departments": departments,
        "resolvers": sheet.apply(facts["resolvers"]),
        "disputes": disputes,
        "handler": sheet.apply(facts["handler"], "key"),
    }


def _unlisted(name: str) -> str:
    return (
        f"事项「{name}」未列入任何目录(事项未列入任何目录):登记簿无从依第二十四条认定谁持有该事项,"
        "各候选主体的赋权一栏为「不明」,须依该事项的设定依据另行核实。"
    )


def _bodies(
    place: Body, handler: dict | None, disputes: list[DisputeRecord], departments: list[dict]
) -> list[tuple[Body, str | None]]:
    """The place's street, every claimant, the handler and the original departments, once each."""
    found: dict[tuple[str, str], str | None] = {(place.kind, place.key): None}
    named: dict[tuple[str, str], Body] = {(place.kind, place.key): place}
    for dispute in disputes:
        for claimant in dispute.claimants:
            key = (claimant.body.kind, claimant.body.key)
            named[key] = claimant.body
            found[key] = claimant.stance
    extra = [handler] if handler else []
    extra += [{"kind": "Department", "key": d["id"], "name": d["name"]} for d in departments]
    for body in extra:
        key = (body["kind"], body["key"])
        if key not in named:
            named[key] = Body(kind=body["kind"], key=body["key"], name=body["name"])
            found[key] = None
    return [(named[key], found[key]) for key in named]


def _weigh(
    tx: ManagedTransaction,
    body: Body,
    stance: str | None,
    place: Body,
    at_place: AuthorityAnswer,
    handler: dict | None,
    item: str,
    day: date,
) -> Candidate:
    filed = handler["filedAt"] if handler and handler["key"] == body.key else None
    if body.kind == "Street":
        answer = (
            at_place
            if body.key == place.key
            else authority(tx, item=item, street=body.key, as_of=day)
        )
        here = body.key == place.key
        where = (
            "案件登记的违法行为发生地"
            if here
            else f"非登记发生地(登记为{place.name});其主张须以违法行为发生地在其辖区为前提"
        )
        holds = None if answer.outcome != "determined" else _is(answer.subject, body)
    else:
        answer = at_place
        where = f"{place.name}所在区(县)的部门"
        holds = None if answer.outcome != "determined" else _is(answer.subject, body)
    assessment = _assessment(body, holds, here=body.key == place.key, filed=filed)
    return Candidate(
        body=body,
        stance=stance,
        place=where,
        holds_authority=holds,
        authority=answer.explanation,
        filed_at=filed,
        assessment=assessment,
    )


def _assessment(body: Body, holds: bool | None, *, here: bool, filed: datetime | None) -> str:
    parts = []
    if holds is None:
        parts.append("执法主体无法认定(冲突或未知)")
    elif holds:
        parts.append(
            "违法日在该地持有该事项的执法权"
            if body.kind == "Street"
            else "违法日该事项在发生地未赋权,由本部门管辖"
        )
    else:
        parts.append("违法日不持有该事项在发生地的执法权")
    if body.kind == "Street" and not here and holds:
        parts.append("如违法行为确在其辖区内,依第二十二条可管辖")
    parts.append(f"已于{filed}立案" if filed else "尚未立案")
    return ";".join(parts)


def _conclusion(
    candidates: list[Candidate],
    first: Body | None,
    disputes: list[DisputeRecord],
    resolvers: list[Resolver],
) -> str:
    competent = [c.body.name for c in candidates if c.holds_authority]
    text = f"依第二十二、二十四条可能有管辖权的:{'、'.join(competent) or '无'}。"
    if first is not None:
        text += f"依第二十五条,最先立案的{first.name}管辖。"
    else:
        text += "尚无有管辖权的主体立案,第二十五条(最先立案)不能确定管辖。"
    for c in candidates:
        if c.filed_at is not None and not c.holds_authority:
            text += f"{c.body.name}已立案但不持有该事项的执法权,其立案不产生第二十五条的管辖。"
    decided = [d for d in disputes if d.decided_for is not None]
    for d in decided:
        text += f"争议{d.id}已于{d.decided_at}决定由{d.decided_for.name}管辖(依据:{d.basis or '未载明'})。"  # type: ignore[union-attr]
    if disputes and not decided:
        text += _resolver_text(disputes, resolvers)
    return text


def _resolver_text(disputes: list[DisputeRecord], resolvers: list[Resolver]) -> str:
    by_policy = {r.department.key: r for r in resolvers if r.department}
    recorded = {d.resolved_by.key: d.resolved_by for d in disputes if d.resolved_by}
    if not by_policy and not recorded:
        return "当地政策未规定争议协调机关,由共同的上一级机关协调(第二十五条)。"
    names = sorted(
        {b.name for b in recorded.values()} | {r.department.name for r in by_policy.values()}
    )  # type: ignore[union-attr]
    agree = not recorded or not by_policy or set(recorded) == set(by_policy)
    policies = "、".join(f"{r.policy}({r.source_document})" for r in by_policy.values())
    text = f"争议待决,协调机关:{'、'.join(names)}"
    text += f"(依{policies})" if policies else ""
    text += "。" if agree else ";注意:争议记录的协调机关与当地政策规定不一致。"
    return text


def _first_to_file(candidates: list[Candidate]) -> Body | None:
    """Art. 25 chooses only among bodies that have jurisdiction: the earliest of them to file."""
    filed = [c for c in candidates if c.holds_authority and c.filed_at is not None]
    return min(filed, key=lambda c: c.filed_at).body if filed else None  # type: ignore[arg-type,return-value]


def _is(subject: Body | None, body: Body) -> bool:
    return subject is not None and (subject.kind, subject.key) == (body.kind, body.key)


def _dispute(row: dict[str, Any]) -> DisputeRecord:
    claimants = [
        Claimant(body=Body(kind=c["kind"], key=c["key"], name=c["name"]), stance=c.get("stance"))
        for c in row.get("claimants") or []
    ]
    resolver, winner = row.get("resolvedBy"), row.get("decidedFor")
    return DisputeRecord(
        id=row["id"],
        status=row.get("status") or DisputeStatus.OPEN.value,
        claimants=claimants,
        raised_at=row.get("raised_at"),
        resolved_by=Body(kind="Department", key=resolver["id"], name=resolver["name"])
        if resolver
        else None,
        decided_for=Body(**winner) if winner else None,
        decision=row.get("decision"),
        basis=row.get("basis"),
        decided_at=row.get("decided_at"),
        decided_by=row.get("decided_by"),
    )
