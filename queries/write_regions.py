"""The regions a write touches (写入涉及的地区): what a region-limited key is checked against."""

from __future__ import annotations

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.cypher_files import cypher

WRITE_REGIONS = cypher("write_regions")
KINDS = ("streets", "zones", "departments", "units", "officers", "cases", "disputes")


class RegionRef(BaseModel):
    code: str
    name: str | None = None
    level: str | None = None


class WriteTarget(BaseModel):
    """A node a write names and every region it lies in, nearest first."""

    label: str
    key: str
    name: str | None = None
    regions: list[RegionRef] = Field(default_factory=list)


@unit_of_work(metadata={"query": "write_regions"})
def write_regions(tx: ManagedTransaction, **targets: list[str]) -> list[WriteTarget]:
    """Each named node that exists, with its regions; keys the graph does not hold are left out
    (the writer refuses them with its own error)."""
    unknown = set(targets) - set(KINDS)
    if unknown:
        raise TypeError(f"write_regions takes {', '.join(KINDS)}; not {', '.join(sorted(unknown))}")
    params = {kind: sorted(set(targets.get(kind) or [])) for kind in KINDS}
    return [WriteTarget.model_validate(r.data()) for r in tx.run(WRITE_REGIONS, **params)]
