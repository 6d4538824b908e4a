"""The graph's write counter (图版本号): has anything been written since an answer was read?"""

from __future__ import annotations

from datetime import datetime

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, ConfigDict

from queries.answers import native
from queries.cypher_files import cypher
from schema.models import GRAPH_STATE_ID

GRAPH_GENERATION = cypher("generation")


class GraphGeneration(BaseModel):
    """The counter and the last write's time; equal values mean no write happened in between
    (the time tells a wiped and refilled graph from the one before, whose count it may repeat)."""

    model_config = ConfigDict(frozen=True)

    generation: int
    changed_at: datetime | None = None


@unit_of_work(metadata={"query": "graph_generation"})
def graph_generation(tx: ManagedTransaction) -> GraphGeneration:
    record = tx.run(GRAPH_GENERATION, id=GRAPH_STATE_ID).single(strict=True)
    return GraphGeneration(generation=record["generation"], changed_at=native(record["changedAt"]))
