"""A whole graph as rows (整图行集), for comparing two graphs and for neo4j-admin import.

Every node is a `(key, props)` pair under its label (the business key from the uniqueness
constraints); every relationship an `(a, b, props)` triple under (type, start label, end label),
a and b the keys of its ends (tuples, not dicts: a nation's graph is tens of millions of rows). Two graphs are the same when every group holds the same rows, property by property.
Bookkeeping nodes (the schema version) are not part of the registry's graph.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from schema.labels import Label, Rel
from schema.migrate import CONSTRAINTS_DIR

KEYS: dict[str, str] = dict(  # business key of each label, from the uniqueness constraints
    re.findall(
        r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE",
        # Every migration file: a label added later (LawVersion, 007) has its key there.
        "\n".join(p.read_text(encoding="utf-8") for p in sorted(CONSTRAINTS_DIR.glob("*.cypher"))),
    )
)
# Not the registry's data: how the graph was written, not what it holds (the same graph written
# by `authreg load` and by `authreg db import` has different audit entries, by design).
BOOKKEEPING = frozenset({"SchemaMigration", "GraphState", "GraphWrite", "AuditEntry"})
# What an empty database holds once migrated (a store with only an audit trail is not empty).
SCHEMA_STATE = frozenset({"SchemaMigration", "GraphState", "GraphWrite"})

RelGroup = tuple[Rel, Label, Label]


@dataclass
class GraphRows:
    """Nodes by label, relationships by (type, start label, end label)."""

    nodes: dict[Label, list[tuple[Any, dict[str, Any]]]] = field(default_factory=dict)
    rels: dict[RelGroup, list[tuple[Any, Any, dict[str, Any]]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(rows) for rows in self.rels.values())

    def sizes(self) -> dict[str, Any]:
        return {
            "nodes": self.node_count,
            "relationships": self.rel_count,
            "labels": {label.value: len(rows) for label, rows in self.nodes.items()},
            "types": {f"({s})-[{t}]->({e})": len(rows) for (t, s, e), rows in self.rels.items()},
        }


def compare(mine: GraphRows, theirs: GraphRows) -> dict[str, Any]:
    """Per label and relationship group: both counts and how many rows differ (in key, ends or
    any property); `same` when none does."""
    groups: dict[str, Any] = {}
    for name, ours, others in paired_groups(mine, theirs):
        ours_fp, others_fp = fingerprints(ours), fingerprints(others)
        groups[name] = {
            "mine": len(ours),
            "theirs": len(others),
            "differing_rows": sum((ours_fp - others_fp).values())
            + sum((others_fp - ours_fp).values()),
        }
    return {"same": all(g["differing_rows"] == 0 for g in groups.values()), "groups": groups}


def differences(comparison: dict[str, Any]) -> list[str]:
    """The groups that differ, one line each, for a failure message."""
    return [
        f"{name}: {g['mine']} vs {g['theirs']} rows, {g['differing_rows']} differ"
        for name, g in comparison["groups"].items()
        if g["differing_rows"]
    ]


def paired_groups(
    mine: GraphRows, theirs: GraphRows
) -> Iterator[tuple[str, list[tuple], list[tuple]]]:
    for label in sorted(set(mine.nodes) | set(theirs.nodes)):
        yield label.value, mine.nodes.get(label, []), theirs.nodes.get(label, [])
    for group in sorted(set(mine.rels) | set(theirs.rels)):
        rel, start, end = group
        yield f"({start})-[{rel}]->({end})", mine.rels.get(group, []), theirs.rels.get(group, [])


def fingerprints(rows: list[tuple]) -> Counter[str]:
    """Each row as text: its keys, then its properties sorted by name (props come last)."""
    return Counter(
        repr(tuple(canonical(v) for v in row[:-1]))
        + repr(sorted((k, canonical(v)) for k, v in row[-1].items()))
        for row in rows
    )


def canonical(value: Any) -> Any:
    """One spelling for a value whether it came from Python or from Neo4j (neo4j.time types)."""
    if isinstance(value, list | tuple):
        return tuple(canonical(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "to_native"):  # neo4j.time.Date / DateTime
        value = value.to_native()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
