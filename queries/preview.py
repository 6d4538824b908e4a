"""The reads of a load's preview (载入预览): what a catalog started and ended, and open cases.

They run inside the preview's own transaction (loaders/preview.py), after the catalog's writes
and before the rollback: they see the graph as loading would leave it.
"""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel

from queries.answers import record_natives
from queries.cypher_files import cypher
from schema.enums import CaseStatus

PREVIEW_DELEGATIONS = cypher("preview_delegations")
PREVIEW_CASES = cypher("preview_cases")


class DelegationRow(BaseModel):
    """One delegation a catalog starts or ends, with its item, street and department."""

    change: str  # started | ended
    id: str
    mode: str
    valid_from: date
    item_code: str
    item_name: str | None = None
    street_code: str
    street_name: str | None = None
    region_code: str | None = None
    department_id: str | None = None
    department_name: str | None = None


class OpenCase(BaseModel):
    """A case not closed (未结案) about an item in a street."""

    id: str
    status: str | None = None
    occurred_on: date | None = None
    item_code: str
    item_name: str | None = None
    street_code: str
    street_name: str | None = None
    handler_name: str | None = None


@unit_of_work(metadata={"query": "preview_delegations"})
def delegation_changes(tx: ManagedTransaction, *, catalog_id: str) -> list[DelegationRow]:
    """The delegations catalog `catalog_id` started and ended, by street and item."""
    rows = tx.run(PREVIEW_DELEGATIONS, catalogId=catalog_id)
    return [DelegationRow.model_validate(_snake(record_natives(r))) for r in rows]


@unit_of_work(metadata={"query": "preview_cases"})
def open_cases(tx: ManagedTransaction, *, pairs: list[tuple[str, str]]) -> list[OpenCase]:
    """The cases not closed whose item and street (发生地) are one of `pairs`."""
    rows = tx.run(
        PREVIEW_CASES,
        pairs=[{"item": item, "street": street} for item, street in pairs],
        closed=CaseStatus.CLOSED.value,
    )
    return [OpenCase.model_validate(_snake(record_natives(r))) for r in rows]


def _snake(row: dict) -> dict:
    return {"".join(f"_{c.lower()}" if c.isupper() else c for c in k): v for k, v in row.items()}
