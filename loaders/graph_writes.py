"""Where a loader's writes go (写入目标): a live transaction, or a graph built in memory for import.

The catalog, organisation, law and case loaders decide WHAT to write (and read back what they
need to decide it: a catalog's earlier versions, the delegations in force) through the
operations of `GraphWrites`. Two things carry them out:

- `CypherWrites`: each operation is the `loaders.write` function of that name, run in the
  caller's managed transaction — what `authreg load` and the API do;
- `loaders.bulk_graph.BulkGraph`: the same operations with the same MERGE semantics on a graph
  held in memory, written out as CSV for `neo4j-admin database import` — the first load of a
  whole nation into an empty database (`authreg db import`).

A test loads one dataset both ways and compares the two graphs property by property.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Protocol

from neo4j import ManagedTransaction

from loaders import write


class GraphWrites(Protocol):
    """The loaders' graph operations; each is documented at its namesake in `loaders.write`."""

    def lock_catalog(self, props: dict[str, Any]) -> dict[str, Any] | None: ...
    def later_versions(self, series: str, effective: Any, catalog_id: str) -> list: ...
    def link_previous_version(self, series: str, catalog_id: str) -> None: ...
    def known_organisation(self, region: str | None) -> dict[str, list[dict]]: ...
    def write_departments(self, rows: list[dict[str, Any]], region: str | None) -> int: ...
    def write_items(self, catalog_id: str, rows: list[dict[str, Any]]) -> int: ...
    def write_basis(
        self, documents: list[dict], provisions: list[dict], links: list[dict]
    ) -> int: ...
    def missing_articles(self, provision_ids: list[str]) -> list[dict[str, Any]]: ...
    def active_delegations_of_series(self, series: str) -> list[dict[str, Any]]: ...
    def active_delegations_of(self, pairs: list[dict[str, Any]], on: Any) -> list: ...
    def start_delegations(self, catalog_id: str, rows: list[dict[str, Any]]) -> int: ...
    def confirm_delegations(self, catalog_id: str, rows: list[dict]) -> int: ...
    def end_delegations(self, catalog_id: str, ids: list[str], on: Any) -> int: ...
    def write_law_text(self, document: dict[str, Any], provisions: list[dict]) -> int: ...
    def write_law_versions(
        self,
        document_id: str,
        version_id: str,
        versions: list[dict],
        links: list[dict],
        provisions: list[dict],
    ) -> int: ...
    def document_replacements(self, rows: list[dict[str, Any]]) -> int: ...
    def write_region(self, region: dict[str, Any], parent: dict | None) -> None: ...
    def write_org_nodes(self, label: str, key: str, rows: list[dict], region: str) -> int: ...
    def write_org_links(self, rows: list[dict[str, Any]]) -> int: ...
    def write_case_nodes(self, label: str, rows: list[dict[str, Any]]) -> int: ...
    def find_ids(self, label: str, keys: list[str]) -> dict[str, str]: ...


class CypherWrites:
    """`GraphWrites` on a live transaction: `w.write_items(...)` is `write.write_items(tx, ...)`."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx

    def __getattr__(self, name: str) -> Any:
        if name not in GraphWrites.__dict__:
            raise AttributeError(f"{name!r} is not one of the loaders' graph operations")
        return partial(getattr(write, name), self.tx)
