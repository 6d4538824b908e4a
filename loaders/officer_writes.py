"""Officers through the API (执法人员登记): add one, transfer one to another unit (调动), retire one —
without reloading a whole organisation file.

Each writer validates against the graph, then writes the change and its audit entry (审计记录) in
the caller's write transaction: both commit or neither. Nothing is deleted that a past day could
be asked about: postings end (valid_to) instead of disappearing. MEMBER_OF carries no dates in the
model, so a transfer or retirement replaces or removes it and the audit entry keeps the previous
unit. A retired officer's certificate ends on the retirement day (调离执法岗位的, 执法证件收回).
Bad input raises OfficerWriteError with a code (`reason`) and the field, and writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, model_validator

from authreg.errors import RecordError
from loaders import write
from schema.enums import OfficerRole, PostingMode
from schema.models import Officer

ADD_OFFICER = "addOfficer"
TRANSFER_OFFICER = "transferOfficer"
RETIRE_OFFICER = "retireOfficer"


class OfficerWriteError(RecordError):
    """An officer write refused: `reason` is a stable code (DUPLICATE_OFFICER, UNKNOWN_UNIT, …)."""

    def __init__(self, reason: str, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.reason, self.field = reason, field


class _Submission(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


Key = Field(min_length=1, max_length=200)


class PostingSubmission(_Submission):
    """A posting (派驻 / 挂钩 / 下沉) to a street (code) or a zone (id)."""

    to: str = Field(min_length=1, max_length=200, description="街道编码或片区编号")
    mode: PostingMode = Field(description="常驻 / 挂钩 / 下沉")
    department: str | None = Field(None, max_length=200, description="挂钩联系的部门 id")
    valid_from: date | None = Field(None, description="派驻起始日")
    valid_to: date | None = Field(None, description="派驻终止日; none: open")

    @model_validator(mode="after")
    def _ordered(self) -> PostingSubmission:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class OfficerSubmission(_Submission):
    """A new officer (新增执法人员) with their certificate (执法证) and postings."""

    id: str = Field(min_length=1, max_length=200, description="执法证号 (certificate number)")
    name: str = Field(min_length=1, max_length=100, description="姓名")
    unit: str = Field(min_length=1, max_length=200, description="所在单位 id")
    certificate_issuer: str | None = Field(None, max_length=200, description="发证机关")
    valid_from: date | None = Field(None, description="执法证有效期自")
    valid_to: date | None = Field(None, description="执法证有效期至")
    domains: list[str] = Field(default_factory=list, max_length=50, description="执法领域")
    roles: list[OfficerRole] = Field(default_factory=list, description="执法人员 / 法制审核人员 …")
    postings: list[PostingSubmission] = Field(
        default_factory=list, max_length=50, description="派驻 / 挂钩 (postings)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> OfficerSubmission:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to (执法证有效期至) is before valid_from")
        return self


class TransferOfficerSubmission(_Submission):
    """An officer moved to another unit (调动) on a day; their open postings end the day before."""

    officer_id: str = Field(min_length=1, max_length=200, description="执法证号")
    to_unit: str = Field(min_length=1, max_length=200, description="调入单位 id")
    on: date = Field(description="调动生效日")
    postings: list[PostingSubmission] = Field(
        default_factory=list, max_length=50, description="调入后的派驻 (from `on` unless given)"
    )
    reason: str | None = Field(None, max_length=500, description="调动事由")


class RetireOfficerSubmission(_Submission):
    """An officer leaving enforcement (退休 / 调离执法岗位) on a day."""

    officer_id: str = Field(min_length=1, max_length=200, description="执法证号")
    on: date = Field(description="离岗日 (last day in post)")
    reason: str | None = Field(None, max_length=500, description="事由")


def add_officer(
    tx: ManagedTransaction, officer: OfficerSubmission, *, actor: str, role: str, source: str
) -> str:
    """Add a new officer, their unit and postings; returns the audit id."""
    if write.existing_keys(tx, "Officer", [officer.id]):
        raise OfficerWriteError(
            "DUPLICATE_OFFICER",
            "id",
            f"an officer with certificate number {officer.id} is already registered "
            "(a transfer or retirement changes them; a record is never overwritten)",
        )
    _require_unit(tx, officer.unit, "unit")
    posts = _postings(tx, officer.postings, "postings", default_from=officer.valid_from)
    node = Officer(**officer.model_dump(include=set(Officer.model_fields) - {"source"}))
    tx.run("CREATE (o:Officer) SET o = $props", props=node.to_properties()).consume()
    tx.run(
        "MATCH (o:Officer {id: $id}), (u:Unit {id: $unit}) MERGE (o)-[:MEMBER_OF]->(u)",
        id=officer.id,
        unit=officer.unit,
    ).consume()
    _post(tx, officer.id, posts)
    return _audit(tx, actor, role, ADD_OFFICER, source, officer.id, officer.model_dump(mode="json"))


def transfer_officer(
    tx: ManagedTransaction,
    transfer: TransferOfficerSubmission,
    *,
    actor: str,
    role: str,
    source: str,
) -> str:
    """Move an officer to another unit on a day (调动); returns the audit id."""
    current = _officer(tx, transfer.officer_id)
    _require_unit(tx, transfer.to_unit, "to_unit")
    if transfer.to_unit in current["units"]:
        raise OfficerWriteError(
            "SAME_UNIT", "to_unit", f"the officer is already a member of {transfer.to_unit}"
        )
    _require_in_post(current, transfer.on)
    posts = _postings(tx, transfer.postings, "postings", default_from=transfer.on)
    ended = _end_postings(tx, transfer.officer_id, transfer.on - timedelta(days=1))
    tx.run(
        "MATCH (o:Officer {id: $id}) OPTIONAL MATCH (o)-[m:MEMBER_OF]->(:Unit) DELETE m "
        "WITH DISTINCT o MATCH (u:Unit {id: $unit}) MERGE (o)-[:MEMBER_OF]->(u)",
        id=transfer.officer_id,
        unit=transfer.to_unit,
    ).consume()
    _post(tx, transfer.officer_id, posts)
    detail = transfer.model_dump(mode="json") | {"from_units": current["units"], "ended": ended}
    return _audit(tx, actor, role, TRANSFER_OFFICER, source, transfer.officer_id, detail)


def retire_officer(
    tx: ManagedTransaction,
    retirement: RetireOfficerSubmission,
    *,
    actor: str,
    role: str,
    source: str,
) -> str:
    """End an officer's postings, membership and certificate on a day; returns the audit id."""
    current = _officer(tx, retirement.officer_id)
    _require_in_post(current, retirement.on)
    ended = _end_postings(tx, retirement.officer_id, retirement.on)
    tx.run(
        "MATCH (o:Officer {id: $id}) "
        "SET o.valid_to = CASE WHEN o.valid_to IS NULL OR o.valid_to > $on THEN $on "
        "ELSE o.valid_to END "
        "WITH o OPTIONAL MATCH (o)-[m:MEMBER_OF]->(:Unit) DELETE m",
        id=retirement.officer_id,
        on=retirement.on,
    ).consume()
    detail = retirement.model_dump(mode="json") | {
        "from_units": current["units"],
        "certificate_to_before": str(current["validTo"]) if current["validTo"] else None,
        "ended": ended,
    }
    return _audit(tx, actor, role, RETIRE_OFFICER, source, retirement.officer_id, detail)


# -- validation against the graph -------------------------------------------------------------


def _officer(tx: ManagedTransaction, officer_id: str) -> dict[str, Any]:
    record = tx.run(
        "MATCH (o:Officer {id: $id}) "
        "RETURN o.valid_from AS validFrom, o.valid_to AS validTo, "
        "COLLECT { MATCH (o)-[:MEMBER_OF]->(u:Unit) RETURN u.id ORDER BY u.id } AS units",
        id=officer_id,
    ).single()
    if record is None:
        raise OfficerWriteError(
            "UNKNOWN_OFFICER", "officer_id", f"no officer holds certificate number {officer_id}"
        )
    return {
        "validFrom": record["validFrom"],
        "validTo": record["validTo"],
        "units": record["units"],
    }


def _require_in_post(current: dict[str, Any], on: date) -> None:
    """A retired officer (no unit left) cannot be moved or retired again."""
    if not current["units"]:
        raise OfficerWriteError(
            "OFFICER_RETIRED", "officer_id", "the officer belongs to no unit (already retired)"
        )
    if current["validFrom"] is not None and on < current["validFrom"].to_native():
        raise OfficerWriteError(
            "BEFORE_CERTIFICATE", "on", f"{on} is before the certificate's first day"
        )


def _require_unit(tx: ManagedTransaction, unit: str, field: str) -> None:
    if not tx.run("MATCH (u:Unit {id: $id}) RETURN u.id", id=unit).single():
        raise OfficerWriteError("UNKNOWN_UNIT", field, f"no unit has id {unit!r}")


def _postings(
    tx: ManagedTransaction, posts: list[PostingSubmission], field: str, *, default_from: date | None
) -> list[dict[str, Any]]:
    """Each posting's target (a street by code or a zone by id) and department, checked."""
    rows = []
    for index, post in enumerate(posts):
        found = tx.run(
            "OPTIONAL MATCH (s:Street {code: $to}) OPTIONAL MATCH (z:Zone {id: $to}) "
            "RETURN CASE WHEN s IS NOT NULL THEN 'Street' WHEN z IS NOT NULL THEN 'Zone' END AS kind",
            to=post.to,
        ).single()
        if found is None or found["kind"] is None:
            raise OfficerWriteError(
                "UNKNOWN_POSTING_TARGET", f"{field}.{index}.to", f"no street or zone {post.to!r}"
            )
        if post.department and not write.existing_keys(tx, "Department", [post.department]):
            raise OfficerWriteError(
                "UNKNOWN_DEPARTMENT",
                f"{field}.{index}.department",
                f"no department has id {post.department!r}",
            )
        props = post.model_dump(exclude={"to"})
        props["valid_from"] = post.valid_from or default_from
        rows.append({"kind": found["kind"], "to": post.to, "props": props})
    return rows


# -- writing ----------------------------------------------------------------------------------


def _post(tx: ManagedTransaction, officer_id: str, rows: list[dict[str, Any]]) -> None:
    statements = {
        "Street": "MATCH (o:Officer {id: $id}), (t:Street {code: $to}) "
        "CREATE (o)-[p:POSTED_TO]->(t) SET p = $props",
        "Zone": "MATCH (o:Officer {id: $id}), (t:Zone {id: $to}) "
        "CREATE (o)-[p:POSTED_TO]->(t) SET p = $props",
    }
    for row in rows:
        tx.run(statements[row["kind"]], id=officer_id, to=row["to"], props=row["props"]).consume()


def _end_postings(tx: ManagedTransaction, officer_id: str, last_day: date) -> list[str]:
    """End every posting still open after `last_day` (valid_to = last_day); the ones ended,
    named. A posting that would only start after `last_day` never began: it is removed."""
    return [
        r["ended"]
        for r in tx.run(
            "MATCH (o:Officer {id: $id})-[p:POSTED_TO]->(t) "
            "WHERE p.valid_to IS NULL OR p.valid_to > $last "
            "WITH p, p.valid_from > $last AS future, "
            "coalesce(t.code, t.id) + ' ' + coalesce(toString(p.valid_from), '') AS ended "
            "FOREACH (_ IN CASE WHEN future THEN [1] ELSE [] END | DELETE p) "
            "FOREACH (_ IN CASE WHEN future THEN [] ELSE [1] END | SET p.valid_to = $last) "
            "RETURN ended",
            id=officer_id,
            last=last_day,
        )
    ]


def _audit(
    tx: ManagedTransaction,
    actor: str,
    role: str,
    action: str,
    source: str,
    target: str,
    detail: dict[str, Any],
) -> str:
    if not actor or not actor.strip():
        raise OfficerWriteError("NO_ACTOR", "actor", "every write names who makes it")
    return write.create_audit_entry(
        tx, write.audit_entry(actor, role, action, source, target, detail)
    )
