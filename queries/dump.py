"""The whole graph as rows (整图导出), to compare two graphs: the bulk import against the online
loader in the tests, and every writer of bench/load_benchmark.py against the loader."""

from __future__ import annotations

from neo4j import ManagedTransaction

from queries.cypher_files import cypher
from schema.graph_rows import BOOKKEEPING, KEYS, GraphRows
from schema.labels import Label, Rel

NODES = cypher("dump_nodes")
RELS = cypher("dump_rels")


def graph_dump(tx: ManagedTransaction) -> GraphRows:
    """Every node and relationship but bookkeeping, keyed as `schema.graph_rows` says."""
    rows = GraphRows()
    skip = sorted(BOOKKEEPING)
    for record in tx.run(NODES, skip=skip):
        labels = record["labels"]
        if len(labels) != 1:
            raise ValueError(f"a node has labels {labels}; the registry gives each node one")
        label = Label(labels[0])
        props = record["props"]
        rows.nodes.setdefault(label, []).append((props.get(KEYS[label]), props))
    for record in tx.run(RELS, keys=KEYS, skip=skip):
        group = (Rel(record["type"]), Label(record["start"]), Label(record["end"]))
        rows.rels.setdefault(group, []).append((record["a"], record["b"], record["props"]))
    return rows


def node_count(tx: ManagedTransaction, skip: frozenset[str] = BOOKKEEPING) -> int:
    """Nodes of the registry (those with a first label in `skip` left out: by default the
    bookkeeping, so two graphs' data compare; SCHEMA_STATE asks whether a store is empty)."""
    record = tx.run(cypher("dump_node_count"), skip=sorted(skip)).single(strict=True)
    return int(record["nodes"])
