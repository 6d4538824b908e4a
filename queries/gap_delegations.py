"""The scope's delegations in force (在效赋权), read once and split per check: what each street holds,
the items it holds them of, and the catalogs of its region.

coverage_gaps_delegations walks each street's delegations once (its items, delegating bodies, and
the catalogs of those a check looks into); coverage_gaps_items reads each item held once (domain,
type, legal basis); and coverage_gaps_catalogs reads the region's catalogs. The checks of gap_checks_* take their share of
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
    """One delegation in force to a street, with the street: a row of the shared read, and the
    departments (key, name) and streets (key, name) it comes FROM."""

    street: dict[str, Any]
    delegation: dict[str, Any]
    departments: list[dict[str, Any]]
    from_streets: list[dict[str, Any]]


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
        yield from _held_of(row)


def _held_of(row: dict[str, Any]) -> list[Held]:
    """A street's delegations as Held, made once and kept on its row (the checks each go over
    them; a batch's counties share the rows)."""
    if "_held" not in row:
        names = {d["id"]: d["name"] for d in row["departments"]}
        row["_held"] = [
            Held(
                street=row,
                delegation=d,
                departments=[{"key": key, "name": names[key]} for key in d["departments"]],
                from_streets=[{"key": s["code"], "name": s["name"]} for s in d["fromStreets"]],
            )
            for d in row["delegations"]
        ]
    return row["_held"]


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
    """Per region of the scope's streets: its catalogs, in force or not."""
    return scope.read("catalogs", streetCodes=scope.street_codes, notices=NOTICES)


def _rows(scope: Scope) -> list[dict[str, Any]]:
    return scope.read("delegations", streetCodes=scope.street_codes, zoneIds=scope.zone_ids)


def _item_codes(scope: Scope) -> list[str]:
    codes = (code for h in held(_rows(scope)) for code in h.delegation["items"])
    return sorted(set(codes))
