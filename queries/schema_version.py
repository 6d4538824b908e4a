"""The schema version recorded in the graph (模式版本)."""

from __future__ import annotations

from datetime import datetime

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel

from queries.cypher_files import cypher

SCHEMA_VERSION = cypher("schema_version")


class SchemaVersion(BaseModel):
    version: int
    checksum: str
    applied_at: datetime


@unit_of_work(metadata={"query": "schema_version"})
def schema_version(tx: ManagedTransaction) -> SchemaVersion | None:
    record = tx.run(SCHEMA_VERSION).single()
    if record is None:
        return None
    return SchemaVersion(
        version=record["version"],
        checksum=record["checksum"],
        applied_at=record["appliedAt"].to_native(),
    )
