"""Who enforces an item in a street on a day (执法主体认定), with the evidence and the rule applied.

The rules are data (queries/authority_rules.yaml): a 赋权 delegation in force makes the street the
subject in its own name (行政处罚法 Art. 24); 委托 and 派驻 leave the department the subject
(Art. 20, 23; seed 004); without a delegation in force the original department enforces
(Art. 22, 23; seed 000). Two delegations in force, or nothing that names a competent body, is
reported as a conflict or an unknown with everything known — never resolved silently.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.discretion import DiscretionNote, discretion_note, discretion_sheet
from queries.handling import HandlingNote, handling_of
from schema.enums import DelegationMode, DisputeStatus

AUTHORITY = cypher("authority")
AUTHORITY_LOOKUP = cypher("authority_lookup")
RULES_FILE = Path(__file__).with_name("authority_rules.yaml")
RESOLVER_RULE = "dispute_resolver"  # the Policy.rule naming who settles disputes (seeds 000, 004)

Outcome = Literal["determined", "conflict", "unknown", "not_found"]


class Body(BaseModel):
    """An enforcement subject or party: a street (街道/乡镇) or a department (部门)."""

    kind: Literal["Street", "Department"]
    key: str
    name: str


class ItemRef(BaseModel):
    """An enforcement item the question named (执法事项): code, name, type, domain, regions."""

    code: str
    name: str
    type: str | None = None
    domain: str | None = None
    regions: list[str] = Field(
        default_factory=list
    )  # regions of the departments that hold it (HELD_BY)


class StreetRef(BaseModel):
    """A street or town the question named (街道/乡镇): code, name, kind, mode and county."""

    code: str
    name: str
    kind: str | None = None
    mode: str | None = None  # the town's own working mode (赋权 / 派驻) on the day, if recorded
    # Dated organisation facts (组织沿革): the mode's period and notice, when the mode is dated;
    # the streets merged into this one by the day (撤并), each with its day and notice.
    mode_period: str | None = None
    merged: list[str] = Field(default_factory=list)
    region: str | None = None
    region_name: str | None = None


class CatalogRef(BaseModel):
    """A catalog or notice as evidence (目录 / 通知): title, doc number, row."""

    id: str
    title: str
    doc_number: str | None = None
    kind: str | None = None
    effective: date
    source_file: str | None = None
    row: int | None = None

    def cite(self) -> str:
        number = f"({self.doc_number})" if self.doc_number else ""
        row = f"第{self.row}行" if self.row else ""
        return f"《{self.title}》{number}{row}"


class DelegationEvidence(BaseModel):
    """One delegation of the item to the street (赋权记录), in force on the day or not."""

    id: str
    mode: str
    valid_from: date
    valid_to: date | None = None  # the day the ending catalog or notice took effect
    status: str | None = None
    in_force: bool
    department: Body | None = None
    confirmation: str | None = None  # 赋权确认书 (seed 001)
    catalogs: list[CatalogRef]  # every catalog version that listed it, oldest first
    ended_by: CatalogRef | None = None


class BasisLink(BaseModel):
    """One citation of the item's legal basis (实施依据), with the article text where loaded."""

    raw: str | None = None
    provision_id: str | None = None
    document_id: str | None = None
    title: str | None = None
    rank: str | None = None
    status: str | None = None
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    text: str | None = None


class ArticleQuote(BaseModel):
    """An article a rule rests on (法条), quoted when that law's text is loaded."""

    provision_id: str
    title: str | None = None
    text: str | None = None  # None: that law's text is not loaded


class RuleApplied(BaseModel):
    """The rule behind the answer (适用规则), its articles quoted and its seed named."""

    key: str
    title: str
    seed: str
    articles: list[ArticleQuote]


class Precedent(BaseModel):
    """A recorded dispute decision for the same item and street (争议决定先例)."""

    dispute: str
    case: str
    decided_for: Body | None = None  # as on the day asked: a merged department's successor
    decided_for_named: Body | None = None  # the merged department the decision named (机构改革)
    decision: str | None = None
    basis: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None


class Resolver(BaseModel):
    """Who settles a jurisdiction dispute here, by local policy (争议协调机关)."""

    policy: str
    department: Body | None = None
    description: str | None = None
    source_document: str | None = None
    source_quote: str | None = None


class AuthorityAnswer(Answer):
    """The enforcement subject of an item in a street on a day, or why none can be named."""

    outcome: Outcome
    as_of: date
    item: ItemRef | None = None
    street: StreetRef | None = None
    subject: Body | None = None
    candidates: list[Body] = Field(
        default_factory=list
    )  # a conflict's competing subjects; ambiguous names' matches
    delegation: DelegationEvidence | None = None  # the delegation applied, if any
    delegations: list[DelegationEvidence] = Field(
        default_factory=list
    )  # every delegation of this item to this street
    basis: list[BasisLink] = Field(default_factory=list)
    rule: RuleApplied | None = None
    explanation: str
    precedents: list[Precedent] = Field(default_factory=list)
    resolvers: list[Resolver] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    handling: HandlingNote | None = None  # 办理层级 of the delegation's catalog row (seed 002)
    # 裁量基准 and 首违不罚 lists in force for the item that day, with their source (issue 18.4)
    discretion: list[DiscretionNote] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        summary = Sheet(
            title="执法主体",
            columns=["事项", "街道", "日期", "结论", "执法主体", "适用规则", "说明"],
            rows=[
                [
                    _label(self.item),
                    _label(self.street),
                    self.as_of,
                    OUTCOME_LABELS[self.outcome],
                    self.subject.name if self.subject else None,
                    self.rule.title if self.rule else None,
                    self.explanation,
                ]
            ],
        )
        history = Sheet(
            title="赋权记录",
            columns=[
                "赋权编号",
                "方式",
                "起",
                "止",
                "当日有效",
                "原实施部门",
                "依据目录",
                "终止依据",
            ],
            rows=[
                [
                    d.id,
                    d.mode,
                    d.valid_from,
                    d.valid_to,
                    "是" if d.in_force else "否",
                    d.department.name if d.department else None,
                    "; ".join(c.cite() for c in d.catalogs),
                    d.ended_by.cite() if d.ended_by else None,
                ]
                for d in self.delegations
            ],
        )
        basis = Sheet(
            title="法律依据",
            columns=["引用原文", "文件", "条", "款", "项", "效力", "条文"],
            rows=[
                [b.raw, b.title, b.article, b.paragraph, b.item, b.status, b.text]
                for b in self.basis
            ],
        )
        return [
            summary,
            history,
            basis,
            *([discretion_sheet(self.discretion)] * bool(self.discretion)),
        ]


OUTCOME_LABELS = {
    "determined": "已认定",
    "conflict": "冲突",
    "unknown": "无法认定",
    "not_found": "未找到",
}


def authority_record(tx: ManagedTransaction, *, item: str, street: str, as_of: date) -> Any:
    """authority.cypher's one row (None when the words name no single item and street)."""
    return tx.run(
        AUTHORITY,
        itemCode=item,
        streetCode=street,
        asOf=as_of,
        ruleProvisionIds=rule_provision_ids(),
        resolverRule=RESOLVER_RULE,
        decided=DisputeStatus.DECIDED.value,
    ).single()


@unit_of_work(metadata={"query": "authority"})
def authority(tx: ManagedTransaction, *, item: str, street: str, as_of: date) -> AuthorityAnswer:
    """The enforcement subject of `item` in `street` on `as_of` (codes or exact names).

    One statement when the words name one item and one street (authority.cypher resolves them
    and reads the discretion lists and handling tiers too); otherwise a second read,
    authority_lookup.cypher, says which is missing or ambiguous.
    """
    record = authority_record(tx, item=item, street=street, as_of=as_of)
    if record is None:
        return _unresolved(tx, item, street, as_of)
    found = record_natives(record)
    answer = decide(ItemRef(**found["item"]), StreetRef(**_street(found["street"])), as_of, found)
    notes = [discretion_note(row) for row in found["discretion"]]  # 裁量基准 / 首违不罚 (18.4)
    return _with_handling(answer.model_copy(update={"discretion": notes}), found["handling"])


def _with_handling(answer: AuthorityAnswer, rows: list[dict[str, Any]]) -> AuthorityAnswer:
    """The 办理层级 its catalog row gives the delegated item, as a note (queries/handling.py)."""
    applied, item, street = answer.delegation, answer.item, answer.street
    listed = [c for c in applied.catalogs if c.effective <= answer.as_of] if applied else []
    if not listed or item is None or street is None:
        return answer
    note = handling_of(rows, listed[-1].id)
    if note is None:
        return answer
    said = note.note(answer.subject.name if answer.subject else street.name)
    notes = [*answer.notes, said] if said else answer.notes
    return answer.model_copy(update={"handling": note, "notes": notes})


def decide(item: ItemRef, street: StreetRef, as_of: date, found: dict[str, Any]) -> AuthorityAnswer:
    """Apply the rules to what the graph holds for one item, street and day."""
    delegations = [delegation_evidence(row) for row in found["delegations"] if row]
    in_force = [town_mode(d, street) for d in delegations if d.in_force]
    context = {
        "item": item,
        "street": street,
        "as_of": as_of,
        "delegations": delegations,
        "basis": [BasisLink(**_snake(row)) for row in found["basis"] if row.get("raw")],
        "precedents": [_precedent(row) for row in found["precedents"]],
        "resolvers": [resolver_of(row) for row in found["resolvers"]],
        "rule_texts": {row["id"]: row for row in found["ruleTexts"]},
    }
    _, subject, key = subject_of_cell(in_force, found["departments"], street)
    if len(in_force) > 1:
        answer = _conflict(in_force, context)
    elif in_force:
        answer = _delegated(in_force[0], subject, key, context)
    else:
        answer = _not_delegated(found["departments"], subject, key, context)
    return _with_history(answer, street, _mergers_into(answer.subject, found))


def _mergers_into(subject: Body | None, found: dict[str, Any]) -> list[str]:
    """The departments merged into the subject by the day (机构改革: their powers 划入 it), each
    with its day and notice (文号《标题》), as authority.cypher's `mergers` give them."""
    if subject is None or subject.kind != "Department":
        return []
    rows = [d for d in found["departments"] if d]
    rows += [d["department"] for d in found["delegations"] if d and d.get("department")]
    said: dict[tuple[str, Any], str] = {}
    for row in rows:
        for m in row.get("mergers") or []:
            if row["id"] != subject.key or (m["id"], m["since"]) in said:
                continue
            doc = m.get("basis") or {}
            title = f"《{doc['title']}》" if doc.get("title") else ""
            basis = f",依据{doc.get('doc_number') or ''}{title}" if doc else ""
            said[(m["id"], m["since"])] = (
                f"{m['name']}({m['id']})自{m['since']}起并入{subject.name}(机构改革,职责划入)"
                + basis
            )
    return list(said.values())


def town_mode(delegation: DelegationEvidence, street: StreetRef) -> DelegationEvidence:
    """The delegation as it works on the day: in a town whose dated mode that day is 派驻, the
    county department stays the subject whatever the list says (seed 004); a town's undated
    派驻 is already in the delegation's own mode (the catalog loader writes it so)."""
    station = DelegationMode.STATION.value
    if street.mode_period is None or street.mode != station or delegation.mode == station:
        return delegation
    return delegation.model_copy(update={"mode": station})


def _with_history(
    answer: AuthorityAnswer, street: StreetRef, departments: list[str] | None = None
) -> AuthorityAnswer:
    """The organisation facts of the day the answer rests on, said in its explanation: the
    street's mode and mergers (撤并), the subject department's predecessors (机构改革)."""
    said = [f"{street.name}{street.mode_period}" if street.mode_period else ""]
    said += [f"{m}(撤并),由{street.name}承继" for m in street.merged]
    said += departments or []
    text = ";".join(x for x in said if x)
    if not text:
        return answer
    return answer.model_copy(update={"explanation": f"{answer.explanation} 组织沿革:{text}。"})


RULE_OF_MODE = {
    DelegationMode.GRANT.value: "grant",
    DelegationMode.ENTRUST.value: "entrust",
    DelegationMode.STATION.value: "station",
}


def subject_of_cell(
    in_force: list[DelegationEvidence], departments: list[dict[str, Any]], street: StreetRef
) -> tuple[Outcome, Body | None, str]:
    """The per-cell rule (outcome, subject, rule key) for one item in one street on one day.

    `in_force`: the item's delegations to the street in force that day; `departments`: the item's
    HELD_BY departments as authority.cypher returns them (id, name, sameRegion). Two delegations
    in force, or two departments of the street's region, are a conflict; a 赋权 names the street,
    委托 and 派驻 the delegating department, no delegation the region's holding department.
    """
    if len(in_force) > 1:
        return "conflict", None, "conflict"
    if in_force:
        delegation = in_force[0]
        key = RULE_OF_MODE.get(delegation.mode)
        if key is None or (key != "grant" and delegation.department is None):
            return "unknown", None, "unknown"
        return "determined", _subject_of(delegation, street), key
    local = [d for d in departments if d and d.get("sameRegion")]
    if not local:
        return "unknown", None, "unknown"
    if len(local) > 1:
        return "conflict", None, "conflict"
    department = Body(kind="Department", key=local[0]["id"], name=local[0]["name"])
    return "determined", department, "not_delegated"


# -- outcomes ---------------------------------------------------------------------------------


def _delegated(
    delegation: DelegationEvidence, subject: Body | None, key: str, ctx: dict[str, Any]
) -> AuthorityAnswer:
    department = delegation.department
    if subject is None and delegation.mode not in RULE_OF_MODE:
        return _unknown(f"赋权记录 {delegation.id} 的方式「{delegation.mode}」无法识别", ctx)
    if subject is None:
        return _unknown(f"{delegation.mode}记录 {delegation.id} 未载明原实施部门", ctx)
    catalog = delegation.catalogs[-1] if delegation.catalogs else None
    text = _explain(
        key,
        ctx,
        since=delegation.valid_from.isoformat(),
        catalog=_cite_delegation(delegation, ctx["as_of"]),
        department=department.name if department else "",
    )
    notes = []
    if catalog is None:
        notes.append(f"赋权记录 {delegation.id} 没有目录依据 (AUTHORIZED_BY)")
    return _answer(
        "determined", ctx, key, text, subject=subject, delegation=delegation, notes=notes
    )


def _not_delegated(
    departments: list[dict], subject: Body | None, key: str, ctx: dict[str, Any]
) -> AuthorityAnswer:
    street: StreetRef = ctx["street"]
    local = [d for d in departments if d and d.get("sameRegion")]
    elsewhere = [d for d in departments if d and not d.get("sameRegion")]
    if key == "unknown":
        where = "、".join(f"{d['name']}({d.get('regionName') or '辖区不明'})" for d in elsewhere)
        reason = (
            f"{ctx['as_of']}「{ctx['item'].name}」在{street.name}没有生效的赋权,"
            f"且{street.region_name or '该街道所在辖区'}没有目录列明其原实施部门"
            + (f"(仅见于{where})" if where else "")
        )
        return _unknown(reason, ctx)
    if key == "conflict":
        candidates = [Body(kind="Department", key=d["id"], name=d["name"]) for d in local]
        text = _explain(
            "conflict",
            ctx,
            count=len(candidates),
            candidates="、".join(c.name for c in candidates),
            resolver=_resolver_name(ctx),
        )
        return _answer("conflict", ctx, "conflict", text, candidates=candidates)
    assert subject is not None  # "not_delegated" always names the department
    text = _explain("not_delegated", ctx, department=subject.name, history=_history(ctx))
    return _answer("determined", ctx, "not_delegated", text, subject=subject)


def _conflict(in_force: list[DelegationEvidence], ctx: dict[str, Any]) -> AuthorityAnswer:
    candidates = []
    for delegation in in_force:
        body = _subject_of(delegation, ctx["street"])
        if body is not None and body not in candidates:
            candidates.append(body)
    described = "、".join(f"{d.id}({d.mode},{_cite_delegation(d, ctx['as_of'])})" for d in in_force)
    text = _explain(
        "conflict",
        ctx,
        count=len(in_force),
        candidates=described,
        resolver=_resolver_name(ctx),
    )
    return _answer("conflict", ctx, "conflict", text, candidates=candidates)


def _unknown(reason: str, ctx: dict[str, Any]) -> AuthorityAnswer:
    return _answer("unknown", ctx, "unknown", _explain("unknown", ctx, reason=reason))


def _answer(
    outcome: Outcome, ctx: dict[str, Any], key: str, text: str, **fields: Any
) -> AuthorityAnswer:
    precedents: list[Precedent] = ctx["precedents"]
    notes = list(fields.pop("notes", []))
    for p in precedents:
        winner = p.decided_for.name if p.decided_for else "(未载明)"
        if p.decided_for_named is not None:
            winner += f"(决定时为{p.decided_for_named.name},其职责已划入)"
        notes.append(
            f"先例:争议 {p.dispute}(案件 {p.case})已决定由{winner}管辖——{p.decision or ''}"
        )
    if precedents:
        text += f" 同一事项、同一街道已有{len(precedents)}项争议决定可资参照(见先例)。"
    return AuthorityAnswer(
        outcome=outcome,
        as_of=ctx["as_of"],
        item=ctx["item"],
        street=ctx["street"],
        delegations=ctx["delegations"],
        basis=ctx["basis"],
        rule=_rule(key, ctx["rule_texts"]),
        explanation=text,
        precedents=precedents,
        resolvers=ctx["resolvers"],
        notes=notes,
        **fields,
    )


# -- lookups ----------------------------------------------------------------------------------


def _lookup_problem(
    item: str, street: str, items: list[ItemRef], streets: list[StreetRef], as_of: date
) -> AuthorityAnswer | None:
    problems = []
    if not items:
        problems.append(f"没有编码或名称为「{item}」的执法事项(尚未加载列有它的目录?)")
    if not streets:
        problems.append(f"没有编码或名称为「{street}」的街道/乡镇")
    if len(streets) > 1:
        where = "、".join(f"{s.name}({s.code},{s.region_name or '?'})" for s in streets)
        problems.append(f"「{street}」对应多个街道/乡镇:{where};请用编码")
    if not problems:
        return None
    candidates = (
        [Body(kind="Street", key=s.code, name=s.name) for s in streets] if len(streets) > 1 else []
    )
    return AuthorityAnswer(
        outcome="not_found" if not items or not streets else "unknown",
        as_of=as_of,
        item=items[0] if len(items) == 1 else None,
        street=streets[0] if len(streets) == 1 else None,
        candidates=candidates,
        explanation=";".join(problems),
        rule=None,
    )


def _unresolved(tx: ManagedTransaction, item: str, street: str, as_of: date) -> AuthorityAnswer:
    """Why the words name no one item and street: nothing matches, or several do."""
    found = tx.run(AUTHORITY_LOOKUP, item=item, street=street).single()
    items = [ItemRef(**row) for row in found["items"]] if found else []
    streets = [StreetRef(**_street(row)) for row in found["streets"]] if found else []
    missing = _lookup_problem(item, street, items, streets, as_of)
    if missing is not None:
        return missing
    # One street and several items, none (or more than one) held in the street's region.
    return _ambiguous_item(item, items, streets[0], as_of)


def _ambiguous_item(
    words: str, items: list[ItemRef], street: StreetRef, as_of: date
) -> AuthorityAnswer:
    listed = "、".join(i.code for i in items)
    return AuthorityAnswer(
        outcome="unknown",
        as_of=as_of,
        street=street,
        explanation=f"「{words}」对应多个执法事项({listed}),无法确定所指;请用事项编码",
        notes=[f"候选事项:{i.code} {i.name}" for i in items],
    )


# -- pieces -----------------------------------------------------------------------------------


@cache
def authority_rules() -> dict[str, dict[str, Any]]:
    """queries/authority_rules.yaml, read once."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def rule_provision_ids() -> list[str]:
    ids = {
        f"{doc}#{article}"
        for rule in authority_rules().values()
        for doc, article in rule["articles"]
    }
    return sorted(ids)


def _rule(key: str, texts: dict[str, dict]) -> RuleApplied:
    rule = authority_rules()[key]
    quotes = []
    for doc, article in rule["articles"]:
        provision_id = f"{doc}#{article}"
        found = texts.get(provision_id, {})
        quotes.append(
            ArticleQuote(
                provision_id=provision_id, title=found.get("title"), text=found.get("text")
            )
        )
    return RuleApplied(key=key, title=rule["title"], seed=rule["seed"], articles=quotes)


def _explain(key: str, ctx: dict[str, Any], **values: Any) -> str:
    template = authority_rules()[key]["explanation"]
    return template.format(
        item=ctx["item"].name,
        street=ctx["street"].name,
        as_of=ctx["as_of"].isoformat(),
        **values,
    )


def _history(ctx: dict[str, Any]) -> str:
    """Why no delegation is in force: the ones that ended, or the ones not yet begun."""
    parts = []
    for d in ctx["delegations"]:
        if d.valid_from > ctx["as_of"]:
            parts.append(f"自{d.valid_from}起方赋权({_cite_delegation(d)})")
        elif d.valid_to is not None:
            ended = d.ended_by.cite() if d.ended_by else "(终止依据未载明)"
            parts.append(f"{d.valid_from}至{d.valid_to}曾赋权,由{ended}终止")
    return "(" + ";".join(parts) + ")" if parts else ""


def _cite_delegation(delegation: DelegationEvidence, as_of: date | None = None) -> str:
    """The catalog in force on the day (the first one, for a delegation not yet begun)."""
    listed = [c for c in delegation.catalogs if as_of is None or c.effective <= as_of]
    if not listed:
        listed = delegation.catalogs[:1]
    if not listed:
        return "(目录依据未载明)"
    cited = listed[-1].cite()
    if len(listed) > 1:
        cited += f"(自{listed[0].cite()}起历次目录均列入)"
    if delegation.confirmation:
        cited += f"及{delegation.confirmation}"
    return cited


def _resolver_name(ctx: dict[str, Any]) -> str:
    named = [r.department.name for r in ctx["resolvers"] if r.department]
    return "、".join(named) if named else "共同的上一级机关(当地未规定协调机关)"


def _subject_of(delegation: DelegationEvidence, street: StreetRef) -> Body | None:
    if delegation.mode == DelegationMode.GRANT.value:
        return Body(kind="Street", key=street.code, name=street.name)
    return delegation.department


def delegation_evidence(row: dict[str, Any]) -> DelegationEvidence:
    """A delegation row of authority.cypher (or coverage_matrix.cypher) as evidence."""
    department = row.get("department")
    return DelegationEvidence(
        id=row["id"],
        mode=row["mode"],
        valid_from=row["valid_from"],
        valid_to=row.get("valid_to"),
        status=row.get("status"),
        in_force=bool(row.get("inForce")),
        department=Body(kind="Department", key=department["id"], name=department["name"])
        if department
        else None,
        confirmation=row.get("confirmation"),
        catalogs=[CatalogRef(**c) for c in row.get("catalogs") or [] if c],
        ended_by=CatalogRef(**row["endedBy"]) if row.get("endedBy") else None,
    )


def _precedent(row: dict[str, Any]) -> Precedent:
    winner = dict(row.get("decidedFor") or {})
    named = winner.pop("original", None)
    return Precedent(
        dispute=row["id"],
        case=row["case"],
        decided_for=Body(**winner) if winner else None,
        decided_for_named=Body(kind="Department", **named) if named else None,
        decision=row.get("decision"),
        basis=row.get("basis"),
        decided_at=row.get("decided_at"),
        decided_by=row.get("decided_by"),
    )


def resolver_of(row: dict[str, Any]) -> Resolver:
    """A dispute_resolver policy row (id, department, description, source) as a Resolver."""
    department = row.get("department")
    return Resolver(
        policy=row["id"],
        department=Body(kind="Department", key=department["id"], name=department["name"])
        if department
        else None,
        description=row.get("description"),
        source_document=row.get("source_document"),
        source_quote=row.get("source_quote"),
    )


def _street(row: dict[str, Any]) -> dict[str, Any]:
    fact = row.pop("modeFact", None)
    mergers = row.pop("mergers", None) or []
    period = None
    if fact:
        since = f"自{fact['valid_from']}" if fact.get("valid_from") else ""
        until = f"至{fact['valid_to']}" if fact.get("valid_to") else "起"
        basis = f",依据{fact['basis']}" if fact.get("basis") else ""
        period = f"{since}{until}实行{fact['value']}方式{basis}"
    merged = [
        f"{m['name']}({m['code']})自{m['since']}起并入{m['into']}"
        + (f",依据{m['basis']}" if m.get("basis") else "")
        for m in mergers
    ]
    return {**row, "region_name": row.pop("regionName", None), "mode_period": period,
            "merged": merged}  # fmt: skip


def _snake(row: dict[str, Any]) -> dict[str, Any]:
    names = {"provisionId": "provision_id", "documentId": "document_id", "textLoaded": None}
    return {names.get(k, k): v for k, v in row.items() if names.get(k, k)}


def _label(ref: ItemRef | StreetRef | None) -> str | None:
    return None if ref is None else f"{ref.name}({ref.code})"
