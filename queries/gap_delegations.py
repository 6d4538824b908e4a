"""The scope's delegations in force (在效赋权), read once and split per check: what each street holds,
the items it holds them of, and the catalogs of its region.

coverage_gaps_delegations walks each street's delegations once (its items, delegating bodies and
catalogs); coverage_gaps_items reads each item held once (domain, type, legal basis); and
coverage_gaps_catalogs reads the region's catalogs. The checks of gap_checks_* take their share of
these in Python instead of walking the delegations again each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from queries.gap_scope import PerCounty, Scope
from schema.enums import CatalogKind, DocumentStatus

NOTICES = [CatalogKind.WITHDRAWAL.value, CatalogKind.ADJUSTMENT.value]


@dataclass(frozen=True)
class Held:
    """One delegation in force to a street, with the street: a row of the shared read."""

    street: dict[str, Any]
    delegation: dict[str, Any]

    @property
    def departments(self) -> list[dict[str, Any]]:
        return [f for f in self.delegation["from"] if f["kind"] == "Department"]

    @property
    def from_streets(self) -> list[dict[str, Any]]:
        return [f for f in self.delegation["from"] if f["kind"] == "Street"]


def streets(scope: Scope) -> list[dict[str, Any]]:
    """The scope's streets (by code) as the shared read gives them: name as stored, region, zones
    of the day, officers' domains and delegations in force."""
    codes = set(scope.street_codes)
    return [row for row in _rows(scope) if row["streetCode"] in codes]


def zone_streets(scope: Scope, zone_id: str) -> list[dict[str, Any]]:
    """The streets in a zone of the scope on the date (by code), merged-away streets included."""
    return [row for row in _rows(scope) if any(z["id"] == zone_id for z in row["zones"])]


def held(rows: list[dict[str, Any]]) -> Iterator[Held]:
    """Each delegation in force of these streets, street by street."""
    for row in rows:
        for delegation in row["delegations"]:
            yield Held(street=row, delegation=delegation)


def items(scope: Scope) -> dict[str, dict[str, Any]]:
    """The items the scope's streets (and its zones' streets) hold, by code: name, type, domain,
    departments, and whether it rests on no basis or only on repealed law."""
    if "items" not in scope.derived:
        rows = scope.read(
            "items", itemCodes=PerCounty(_item_codes), repealed=DocumentStatus.REPEALED.value
        )
        scope.derived["items"] = {row["itemCode"]: row for row in rows}
    return scope.derived["items"]


def region_catalogs(scope: Scope) -> list[dict[str, Any]]:
    """Per region of the scope's streets: its catalogs (in force or not) and its streets' names."""
    return scope.read("catalogs", streetCodes=scope.street_codes, notices=NOTICES)


def catalogs(scope: Scope) -> dict[str, dict[str, Any]]:
    """Every catalog of the scope's regions by id (what a delegation's AUTHORIZED_BY names)."""
    if "catalogs" not in scope.derived:
        scope.derived["catalogs"] = {
            c["id"]: c for region in region_catalogs(scope) for c in region["catalogs"]
        }
    return scope.derived["catalogs"]


def _rows(scope: Scope) -> list[dict[str, Any]]:
    return scope.read("delegations", streetCodes=scope.street_codes, zoneIds=scope.zone_ids)


def _item_codes(scope: Scope) -> list[str]:
    codes = (code for h in held(_rows(scope)) for code in h.delegation["items"])
    return sorted(set(codes))
