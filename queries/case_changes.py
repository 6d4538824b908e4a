"""Cases across a change of who holds their item (案件衔接): a case filed before a catalog or notice
moved the item stays with the body that filed it (已立案未办结的案件由原实施主体继续办理); one filed
after it by the body that lost the item is not covered. The rule and its sources are data in
queries/case_rules.yaml; the changes are the delegations' start and end days as `authority` reads
them (a delegation's valid_to is the day its ending catalog or notice took effect)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from neo4j import ManagedTransaction
from pydantic import BaseModel, Field

from queries.authority import AuthorityAnswer, Body, CatalogRef, DelegationEvidence, authority

RULES_FILE = Path(__file__).with_name("case_rules.yaml")


class RuleSource(BaseModel):
    """A notice that states the pending-cases rule (衔接条款出处), quoted."""

    document: str = Field(description="the notice's title (文件名称)")
    doc_number: str | None = Field(None, description="文号")
    quote: str = Field(description="the clause as the notice words it (原文)")
    read_at: str | None = Field(None, description="where the notice was read (出处)")

    def cite(self) -> str:
        number = f"({self.doc_number})" if self.doc_number else ""
        return f"《{self.document}》{number}:“{self.quote}”"


class CaseAcrossChange(BaseModel):
    """A case and a change of its item's enforcement subject (调整/收回) between its filing and its
    end: who keeps the case, by which rule and notice."""

    filed_before: bool = Field(
        description="立案在调整生效之前: true — the filer keeps the case (已立案未办结的案件由原"
        "实施主体继续办理); false — filed after the change, by the body that lost the item"
    )
    filed_on: date = Field(description="立案日期 (+08:00)")
    changed_on: date = Field(description="调整生效日: the first day the item's subject changed")
    notice: CatalogRef | None = Field(None, description="the catalog or notice that changed it")
    handler: Body = Field(description="the body that filed the case (立案主体)")
    keeps: Body | None = Field(
        None, description="who finishes the case (继续办理的主体): the filer when filed before"
    )
    successor: Body | None = Field(None, description="who holds the item from the change on")
    closed_on: date | None = Field(None, description="办结日期, if recorded")
    rule: str = Field(description="the rule applied (衔接规则)")
    sources: list[RuleSource] = Field(
        default_factory=list, description="the notices that state the rule, quoted"
    )
    explanation: str = Field(description="说明")


Direction = Literal["withdrawal", "grant"]


def pending_across(
    tx: ManagedTransaction,
    *,
    item: str,
    street: str,
    handler: Body,
    at_filing: AuthorityAnswer,
    filed_on: date,
    closed_on: date | None,
) -> CaseAcrossChange | None:
    """The first change after `filed_on` (and not after `closed_on`) that takes the item from
    `handler`, who held it when filing: the case stays with the handler. None: no such change."""
    for changed in _changes(at_filing.delegations):
        if changed <= filed_on:
            continue
        if closed_on is not None and closed_on < changed:
            return None
        later = authority(tx, item=item, street=street, as_of=changed)
        if later.outcome == "determined" and _same(later.subject, handler):
            continue
        notice, direction = _notice_of(at_filing.delegations, changed)
        until = f"至{closed_on}结案" if closed_on else "至结案(尚未办结)"
        return _across(
            True, filed_on, changed, notice, direction, handler, later.subject, closed_on, until
        )
    return None


def filed_after_change(
    tx: ManagedTransaction,
    *,
    item: str,
    street: str,
    handler: Body,
    at_filing: AuthorityAnswer,
    filed_on: date,
) -> CaseAcrossChange | None:
    """When the handler, without the item on `filed_on`, held it until a change on or before
    that day: the case was filed after the change and the rule does not keep it."""
    earlier = [day for day in _changes(at_filing.delegations) if day <= filed_on]
    if not earlier:
        return None
    changed = earlier[-1]
    before = authority(tx, item=item, street=street, as_of=changed - timedelta(days=1))
    if before.outcome != "determined" or not _same(before.subject, handler):
        return None
    notice, direction = _notice_of(at_filing.delegations, changed)
    return _across(
        False, filed_on, changed, notice, direction, handler, at_filing.subject, None, ""
    )


@cache
def case_rules() -> dict[str, Any]:
    """queries/case_rules.yaml, read once."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


# -- pieces -----------------------------------------------------------------------------------


def _changes(delegations: list[DelegationEvidence]) -> list[date]:
    """Every day a delegation of the item to the street began or ended, in order."""
    days = {d.valid_from for d in delegations}
    days |= {d.valid_to for d in delegations if d.valid_to is not None}
    return sorted(days)


def _notice_of(
    delegations: list[DelegationEvidence], changed: date
) -> tuple[CatalogRef | None, Direction]:
    """The catalog or notice that made the change of `changed`: the one ending a delegation that
    day (a withdrawal), else the one starting one (a grant)."""
    for d in delegations:
        if d.valid_to == changed:
            return d.ended_by, "withdrawal"
    for d in delegations:
        if d.valid_from == changed:
            started = [c for c in d.catalogs if c.effective == changed] or d.catalogs[:1]
            return (started[0] if started else None), "grant"
    return None, "withdrawal"


def _across(
    filed_before: bool,
    filed_on: date,
    changed: date,
    notice: CatalogRef | None,
    direction: Direction,
    handler: Body,
    successor: Body | None,
    closed_on: date | None,
    until: str,
) -> CaseAcrossChange:
    rule = case_rules()["pending_cases"]
    sources = [RuleSource(**_source(s)) for s in rule["sources"]]
    fitting = [
        RuleSource(**_source(s)) for s in rule["sources"] if s.get("direction") == direction
    ] or sources
    template = rule["explanation"] if filed_before else rule["filed_after"]
    text = template.format(
        filed=filed_on.isoformat(),
        handler=handler.name,
        changed=changed.isoformat(),
        successor=successor.name if successor else "(无法认定的主体)",
        notice=notice.cite() if notice else "(调整依据未载明)",
        title=rule["title"],
        source=fitting[0].cite(),
        until=until,
    )
    return CaseAcrossChange(
        filed_before=filed_before,
        filed_on=filed_on,
        changed_on=changed,
        notice=notice,
        handler=handler,
        keeps=handler if filed_before else successor,
        successor=successor,
        closed_on=closed_on,
        rule=rule["title"],
        sources=sources,
        explanation=text,
    )


def _source(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("document", "doc_number", "quote", "read_at")}


def _same(a: Body | None, b: Body) -> bool:
    return a is not None and (a.kind, a.key) == (b.kind, b.key)
