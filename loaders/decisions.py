"""Recording a jurisdiction dispute's decision (管辖争议决定): validated, audited, never overwritten.

Later authority answers for the same item and street cite the decision as a precedent.
"""

from __future__ import annotations

from datetime import datetime

from neo4j import ManagedTransaction

from authreg.errors import RecordError
from loaders import write
from schema.enums import DisputeStatus

ACTION = "recordDecision"


def record_decision(
    tx: ManagedTransaction,
    *,
    dispute: str,
    decided_for: str,
    basis: str,
    by: str,
    at: datetime,
    decision: str | None = None,
    actor: str | None = None,
    role: str | None = None,
    source: str | None = None,
) -> str:
    """Decide `dispute` for a street or department (code, id or exact name); returns the audit id.

    `by` is who decided (决定机关); `actor` who recorded it (default: `by`), in `role`, from
    `source` ("cli", "graphql:recordDecision"). The audit entry's time is the time of writing;
    `at` is the decision's own date.
    """
    if not basis.strip() or not by.strip():
        raise RecordError("a decision needs its basis (依据) and who decided it (by)")
    parties = write.dispute_parties(tx, dispute)
    if parties is None:
        raise RecordError(f"no dispute {dispute!r} is recorded")
    if parties["status"] == DisputeStatus.DECIDED.value:
        raise RecordError(
            f"dispute {dispute} was already decided by {parties['decidedBy']}; "
            "a decision is never overwritten (record a new dispute to reopen it)"
        )
    body = _body_key(tx, decided_for)
    if parties["claimants"] and body not in parties["claimants"]:
        raise RecordError(
            f"{decided_for!r} is not a claimant of dispute {dispute} "
            f"(claimants: {', '.join(parties['claimants'])})"
        )
    detail = {
        "dispute": dispute,
        "decided_for": body,
        "basis": basis,
        "decision": decision,
        "by": by,
        "at": at.isoformat(),
    }
    audit = write.audit_entry(actor or by, role, ACTION, source, dispute, detail)
    written = write.record_dispute_decision(
        tx,
        {
            "dispute": dispute,
            "body": body,
            "status": DisputeStatus.DECIDED.value,
            "decision": decision or f"由{decided_for}管辖",
            "basis": basis,
            "at": at,
            "by": by,
            "audit": audit,
        },
    )
    if not written:
        raise RecordError(f"dispute {dispute} could not be decided for {decided_for!r}")
    return str(audit["id"])


def _body_key(tx: ManagedTransaction, words: str) -> str:
    streets = write.find_ids(tx, "Street", [words])
    departments = write.find_ids(tx, "Department", [words])
    found = {**streets, **departments}
    if words not in found:
        raise RecordError(
            f"{words!r} is neither a street (code or name) nor a department (id or name)"
        )
    return found[words]
