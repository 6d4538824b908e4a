"""The jurisdiction disputes (管辖争议清单), open first: what a reviewer has to decide."""

from __future__ import annotations

from datetime import datetime

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import natives
from queries.cypher_files import cypher
from queries.pages import check_window
from schema.enums import DisputeStatus

DISPUTE_LIST = cypher("dispute_list")


class Named(BaseModel):
    code: str
    name: str


class DisputeRow(BaseModel):
    """One dispute: its status, case, item and the street where the case arose."""

    id: str
    status: str
    raised_at: datetime | None = None
    decided_at: datetime | None = None
    case: str | None = None
    item: Named | None = None
    item_listed: bool | None = Field(
        None, description="whether any catalog lists the item (false: 事项未列入任何目录)"
    )
    street: Named | None = None


class DisputeList(BaseModel):
    total: int
    disputes: list[DisputeRow] = Field(default_factory=list)


@unit_of_work(metadata={"query": "dispute_list"})
def dispute_list(tx: ManagedTransaction, *, skip: int = 0, limit: int = 100) -> DisputeList:
    """Disputes, open ones first (then by when raised), a page at a time."""
    check_window(skip, limit)
    record = tx.run(DISPUTE_LIST, open=DisputeStatus.OPEN.value, skip=skip, limit=limit).single()
    if record is None:  # no dispute at all: UNWIND of an empty page yields no row
        return DisputeList(total=0)
    rows = [natives(row) for row in record["disputes"]]
    return DisputeList(
        total=record["total"],
        disputes=[
            DisputeRow(
                id=r["id"],
                status=r["status"],
                raised_at=r.get("raisedAt"),
                decided_at=r.get("decidedAt"),
                case=r.get("case"),
                item=r.get("item"),
                item_listed=r.get("itemListed"),
                street=r.get("street"),
            )
            for r in rows
        ],
    )
