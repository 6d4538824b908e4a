"""The audit trail (审计记录): who wrote what, when, in which role and from where, newest first."""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j import ManagedTransaction, unit_of_work

from queries.answers import natives
from queries.cypher_files import cypher
from queries.pages import Page, check_window
from queries.working_days import CHINA_TZ
from schema.models import AuditEntry

AUDIT_TRAIL = cypher("audit_trail")
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)  # a day after year 1 begins: still valid once moved to UTC


@unit_of_work(metadata={"query": "audit_trail"})
def audit_trail(
    tx: ManagedTransaction,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    skip: int = 0,
    limit: int = 20,
) -> Page[AuditEntry]:
    """Entries of one action and/or actor, at or after `since` (no offset: Beijing time)."""
    check_window(skip, limit)
    # Entries are stored at UTC offset 0; Neo4j orders equal instants by zone, so `since` goes
    # in at the same offset (a named zone such as pytz's UTC would sort after it). No `since`
    # is the earliest instant, never null: a range on `at` lets the page walk its index in order.
    since = EARLIEST if since is None else since
    since = (since if since.tzinfo else since.replace(tzinfo=CHINA_TZ)).astimezone(UTC)
    record = tx.run(
        AUDIT_TRAIL, action=action, actor=actor, since=since, skip=skip, limit=limit
    ).single(strict=True)
    entries = [AuditEntry.model_validate(natives(entry)) for entry in record["entries"]]
    return Page[AuditEntry](total=record["total"], skip=skip, nodes=entries)
