"""Resolve an item, street or region given by code or exact name (按编码或全称查找)."""

from __future__ import annotations

from neo4j import ManagedTransaction, unit_of_work

from authreg.errors import RegistryError
from queries.cypher_files import cypher

LOOKUPS = cypher("lookups")


class QueryInputError(RegistryError, ValueError):
    """A question asked with arguments that cannot work (from after to, two scopes at once)."""


class AmbiguousName(QueryInputError):
    """An exact name that several nodes carry (同名): the user must give the code."""

    def __init__(self, kind: str, name: str, keys: list[str]) -> None:
        super().__init__(
            f"{kind} name {name!r} is ambiguous: it names {', '.join(keys)}; give the code instead"
        )
        self.kind, self.name, self.keys = kind, name, keys


@unit_of_work(metadata={"query": "lookups"})
def item_code(tx: ManagedTransaction, item: str) -> str | None:
    """The code of the enforcement item (事项) with this code or exact name; None if none."""
    return _resolve(tx, "item", item=item)


@unit_of_work(metadata={"query": "lookups"})
def street_code(tx: ManagedTransaction, street: str) -> str | None:
    """The code of the street or town (街道 / 乡镇) with this code or exact name; None if none."""
    return _resolve(tx, "street", street=street)


@unit_of_work(metadata={"query": "lookups"})
def region_code(tx: ManagedTransaction, region: str) -> str | None:
    """The code of the region (行政区划) with this code or exact name; None if none."""
    return _resolve(tx, "region", region=region)


def _resolve(tx: ManagedTransaction, kind: str, **asked: str) -> str | None:
    params = {"item": None, "street": None, "region": None, **asked}
    rows = [r for r in tx.run(LOOKUPS, **params) if r["kind"] == kind]
    by_code = [r["key"] for r in rows if r["byCode"]]
    if by_code:
        return by_code[0]
    if len(rows) > 1:
        raise AmbiguousName(kind, asked[kind], [r["key"] for r in rows])
    return rows[0]["key"] if rows else None
