"""The scope of a coverage question (检查范围): a county or one zone on a day, and its local rules.

The scope carries the transaction and reads each coverage_gaps_*.cypher file at most once, so
every check that needs the streets, zones or officers of the scope shares one read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import ManagedTransaction

from authreg.errors import RegistryError
from queries.answers import natives
from queries.cypher_files import cypher

SCOPE = cypher("coverage_gaps_scope")
READS = {
    name: cypher(f"coverage_gaps_{name}")
    for name in (
        "policies",
        "zones",
        "streets",
        "uncovered_items",
        "certificates",
        "catalogs",
        "legal_basis",
        "item_sets",
        "law_texts",
        "region_items",
        "departments",
        "redelegation",
        "zone_lists",
    )
}


class CoverageScopeError(RegistryError):
    """A coverage question asked of no scope, of two, or of a name no region or zone carries."""


@dataclass
class Policy:
    id: str
    rule: str
    threshold: float | None
    value: str | None
    description: str
    source_document: str
    source_quote: str | None
    targets: list[tuple[str, str, str | None]]  # (label, key, name)
    valid_from: date | None = None  # the first day the rule is in force


@dataclass
class Scope:
    tx: ManagedTransaction
    as_of: date
    region_code: str
    region_name: str | None
    zone_id: str | None
    zone_name: str | None
    zones: list[dict[str, Any]]
    streets: list[dict[str, Any]]
    personal: bool = False  # the reader may see officers' names (queries.officer_text)
    unknowns: list[str] = field(default_factory=list)
    _cache: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def street_codes(self) -> list[str]:
        return [s["code"] for s in self.streets]

    @property
    def zone_ids(self) -> list[str]:
        return [z["id"] for z in self.zones]

    def zone_of(self, street_code: str) -> str | None:
        return next((s["zoneId"] for s in self.streets if s["code"] == street_code), None)

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """One of the coverage_gaps_*.cypher reads, run once per question (same params each time)."""
        if name not in self._cache:
            rows = self.tx.run(READS[name], asOf=self.as_of, **params)
            self._cache[name] = [natives(record.data()) for record in rows]
        return self._cache[name]


def resolve_scope(
    tx: ManagedTransaction,
    region: str | None,
    zone: str | None,
    as_of: date,
    *,
    personal: bool = False,
) -> Scope:
    if (region is None) == (zone is None):
        raise CoverageScopeError("coverage gaps need exactly one scope: a region or a zone")
    rows = [natives(r.data()) for r in tx.run(SCOPE, region=region, zone=zone, asOf=as_of)]
    asked = region or zone
    if not rows:
        raise CoverageScopeError(
            f"no {'region' if region else 'zone'} has the code or name {asked!r}"
        )
    exact = [r for r in rows if asked in (r["regionCode"], r["zoneId"])]
    if len(rows) > 1 and len(exact) != 1:
        keys = ", ".join(r["zoneId"] or r["regionCode"] for r in rows)
        raise CoverageScopeError(f"the name {asked!r} is ambiguous ({keys}); give the code instead")
    row = exact[0] if len(rows) > 1 else rows[0]
    return Scope(
        tx=tx,
        as_of=as_of,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        zone_id=row["zoneId"],
        zone_name=row["zoneName"],
        zones=row["zones"],
        streets=row["streets"],
        personal=personal,
    )


def read_policies(scope: Scope) -> list[Policy]:
    rows = scope.read(
        "policies",
        regionCode=scope.region_code,
        zoneIds=scope.zone_ids,
        streetCodes=scope.street_codes,
    )
    policies: dict[str, Policy] = {}
    for row in rows:
        policy = policies.setdefault(
            row["id"],
            Policy(
                id=row["id"],
                rule=row["rule"],
                threshold=row["threshold"],
                value=row["value"],
                description=row["description"],
                source_document=row["sourceDocument"] or row["documentTitle"] or "",
                source_quote=row["sourceQuote"],
                targets=[],
                valid_from=row["validFrom"],
            ),
        )
        policy.targets.append((row["targetKind"], row["targetKey"], row["targetName"]))
    return list(policies.values())


def applies(
    scope: Scope, policy: Policy, *, zone: str | None = None, street: str | None = None
) -> bool:
    """Whether a policy's target (region, zone or street) covers this zone or street."""
    zone = zone or (scope.zone_of(street) if street else None)
    zone_streets = {s["code"] for s in scope.streets if zone and s["zoneId"] == zone}
    for kind, key, _ in policy.targets:
        if kind == "Region" or (kind == "Zone" and key == zone):
            return True
        if kind == "Street" and (key == street or (street is None and key in zone_streets)):
            return True
    return False
