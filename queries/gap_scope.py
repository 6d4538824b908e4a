"""The scope of a coverage question (检查范围): a county or one zone on a day, and its local rules.

The scope carries the transaction and reads each coverage_gaps_*.cypher file at most once, so
every check that needs the streets, zones or officers of the scope shares one read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import ManagedTransaction, Record

from authreg.errors import RegistryError
from queries.answers import record_natives
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet, department_ids

SCOPE = cypher("coverage_gaps_scope")
COUNTIES = cypher("coverage_gaps_counties")
NATION = "全国"  # the region that asks for every county loaded
# Counties asked at once by a wider question: each read runs once per batch, its rows held in
# memory until the batch's answers are made (so a nation's rows are never all held at once).
BATCH_COUNTIES = 25
READS = {
    name: cypher(f"coverage_gaps_{name}")
    for name in (
        "policies",
        "zones",
        "streets",
        "delegations",
        "items",
        "certificates",
        "catalogs",
        "law_texts",
        "region_items",
        "departments",
        "zone_lists",
        "duty_leads",
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
    batch: Batch | None = None  # asked with other counties at once (a province, the nation)
    derived: dict[str, Any] = field(
        default_factory=dict
    )  # views of reads (queries.gap_delegations)
    _cache: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sheet: DaySheet | None = None  # its departments of the day (a batch's: Batch.sheet)
    department_ids: list[str] = field(default_factory=list)  # the county's own departments

    def departments(self) -> DaySheet:
        """The departments of the day the question's reads named so far (机构改革), shared by the
        counties of a batch."""
        if self.batch is not None:
            return self.batch.sheet
        if self.sheet is None:
            self.sheet = DaySheet(as_of=self.as_of, pending=set(self.department_ids))
        return self.sheet

    @property
    def street_codes(self) -> list[str]:
        return [s["code"] for s in self.streets]

    @property
    def zone_ids(self) -> list[str]:
        return [z["id"] for z in self.zones]

    def zone_of(self, street_code: str) -> str | None:
        return next((s["zoneId"] for s in self.streets if s["code"] == street_code), None)

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """One of the coverage_gaps_*.cypher reads, run once per question (same params each time);
        a county of a batch takes its share of the read the batch runs once for all its counties."""
        if name not in self._cache:
            if self.batch is not None:
                self._cache[name] = self.batch.read(name, self.region_code, params)
            else:
                asked = {
                    k: v.of(self) if isinstance(v, PerCounty) else v for k, v in params.items()
                }
                rows = self.tx.run(READS[name], asOf=self.as_of, **asked)
                self._cache[name] = of_day(name, _records(name, rows), self.departments(), self.tx)
        return self._cache[name]


# Reads whose values are only strings, numbers, booleans, lists and maps (no dates, no nodes):
# their records are taken as they come, not converted value by value (the shared delegations
# read sends ~1,700 delegations a county; converting them cost more than reading them).
_PLAIN = {"delegations", "items"}


def _records(name: str, result: Iterable[Record]) -> list[dict[str, Any]]:
    if name in _PLAIN:
        return [dict(record.items()) for record in result]
    return [record_natives(record) for record in result]


@dataclass(frozen=True)
class PerCounty:
    """A read's parameter that each county gives from what it has read (the items its streets
    hold): a batch asks the read once with every county's values."""

    of: Callable[[Scope], list[str]]


# The parameters that name a county's scope: a batch asks each read with the whole batch's.
_SCOPE_KEYS = ("streetCodes", "zoneIds", "regionCodes", "departmentRegions")


@dataclass
class Batch:
    """Counties asked at once (a city, a province, the nation): each read runs once for all of
    them (its parameters the union of the counties' keys), and its rows are split per county by
    the county, street or zone each names (_COUNTY_OF)."""

    tx: ManagedTransaction
    as_of: date
    scopes: list[Scope]
    _rows: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    sheet: DaySheet = field(init=False)

    def __post_init__(self) -> None:
        counties = {d for scope in self.scopes for d in scope.department_ids}
        self.sheet = DaySheet(as_of=self.as_of, pending=counties)

    def read(self, name: str, county: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name not in self._rows:
            everyone = {
                "streetCodes": [c for s in self.scopes for c in s.street_codes],
                "zoneIds": [z for s in self.scopes for z in s.zone_ids],
                "regionCodes": [s.region_code for s in self.scopes],
                "departmentRegions": [s.region_code for s in self.scopes],
            }
            asked = {k: everyone[k] if k in _SCOPE_KEYS else v for k, v in params.items()}
            for key, value in params.items():
                if isinstance(value, PerCounty):
                    asked[key] = list(dict.fromkeys(x for s in self.scopes for x in value.of(s)))
            rows = _records(name, self.tx.run(READS[name], asOf=self.as_of, **asked))
            rows = of_day(name, rows, self.sheet, self.tx)
            self._rows[name] = self._split(name, rows)
        if name in _SHARED:
            return self._rows[name].get("", [])
        return self._rows[name].get(county, [])

    def release(self) -> None:
        """Forget the batch's rows once its counties are answered."""
        self._rows.clear()
        for scope in self.scopes:
            scope._cache.clear()
            scope.derived.clear()

    def _split(self, name: str, rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        county_of = {s.region_code: s.region_code for s in self.scopes}
        for scope in self.scopes:
            county_of |= {code: scope.region_code for code in scope.street_codes}
            county_of |= {zone: scope.region_code for zone in scope.zone_ids}
        shares: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            for county, share in _COUNTY_OF.get(name, _by_key)(row, county_of, name):
                shares.setdefault(county, []).append(share)
        return shares


# 机构改革 (issue 14.12): the reads whose rows name departments — (id key, name key, the row's
# field holding them; None: the row itself). Each department is made the one standing for it on
# the day (its successor from a merger day), named as that day, by department_of_day.cypher: one
# read for the ids a read brings that the question has not met yet (Scope.departments).
_DEPARTMENT_FIELDS: dict[str, tuple[str, str, str | None]] = {
    "catalogs": ("departmentId", "departmentName", "catalogs"),
    "delegations": ("id", "name", "departments"),
    "duty_leads": ("departmentId", "departmentName", None),
    "items": ("id", "name", "departments"),
    "region_items": ("departmentId", "departmentName", None),
    "zone_lists": ("lead", "leadName", "items"),
    "zones": ("departmentId", "departmentName", "officers"),
}


def of_day(
    name: str,
    rows: list[dict[str, Any]],
    sheet: DaySheet,
    tx: ManagedTransaction,
) -> list[dict[str, Any]]:
    """A read's rows with their departments as on the sheet's day (see _DEPARTMENT_FIELDS); the
    region's departments (`departments`) each named as that day, those merged by then left out
    (their units and powers are the successor's). The first read naming departments looks up
    the counties' own departments with its own (the sheet's `pending`: later reads rarely need
    another look-up)."""
    if name == "departments":
        sheet.extend(tx, [row["id"] for row in rows])
        kept = []
        for row in rows:
            day = sheet.found.get(row["id"])
            if day is None:
                kept.append(row)
            elif not day.merged:
                kept.append({**row, "name": day.name, "kind": day.kind or row["kind"]})
        return kept
    if name not in _DEPARTMENT_FIELDS:
        return rows
    id_key, name_key, where = _DEPARTMENT_FIELDS[name]
    parts = [row[where] if where else row for row in rows]
    sheet.extend(tx, department_ids(parts, id_key))
    if not sheet.found:
        return rows
    out = []
    for row in rows:
        if name == "region_items" and (day := sheet.found.get(row["departmentId"] or "")):
            row = {**row, "departmentKind": day.kind or row["departmentKind"]}
        if name == "delegations" and any(day.merged for day in sheet.found.values()):
            # each delegation's own list of department ids: their successors
            row = {
                **row,
                "delegations": [
                    {**d, "departments": list(dict.fromkeys(sheet.id(x) for x in d["departments"]))}
                    for d in row["delegations"]
                ],
                "departments": list(
                    {d["id"]: d for d in sheet.apply(row["departments"], id_key, name_key)}.values()
                ),
            }
        elif name == "delegations":
            row = {**row, "departments": sheet.apply(row["departments"], id_key, name_key)}
        elif where:
            row = {**row, where: sheet.apply(row[where], id_key, name_key)}
        else:
            row = sheet.apply(row, id_key, name_key)
        out.append(row)
    return out


def _by_key(row: dict[str, Any], county_of: dict[str, str], name: str) -> list[tuple[str, Any]]:
    """A row that names its county, or a street or zone of it."""
    if name in _SHARED:
        return [("", row)]
    key = row.get("regionCode") or row.get("streetCode") or row.get("zoneId")
    return [(county_of[key], row)]


def _by_list(field_name: str, key: str) -> Callable[..., list[tuple[str, Any]]]:
    """A row that lists streets or places of several counties: one copy per county, with its own."""

    def split(row: dict[str, Any], county_of: dict[str, str], _: str) -> list[tuple[str, Any]]:
        mine: dict[str, list[Any]] = {}
        for entry in row[field_name]:
            mine.setdefault(county_of[entry[key]], []).append(entry)
        return [(county, {**row, field_name: entries}) for county, entries in mine.items()]

    return split


def _by_street_or_zone(
    row: dict[str, Any], county_of: dict[str, str], _: str
) -> list[tuple[str, Any]]:
    """A street's row goes to its county, and to the county of each zone it is in (a street
    merged away is no county's street but still one of its zone's)."""
    counties = [county_of.get(row["streetCode"])] + [county_of.get(z["id"]) for z in row["zones"]]
    return [(county, row) for county in dict.fromkeys(counties) if county is not None]


_SHARED = {"law_texts", "items"}  # the same for every county (items: each looks up its own)
_COUNTY_OF = {
    "certificates": _by_list("places", "within"),
    "delegations": _by_street_or_zone,
}


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
    rows = [record_natives(r) for r in tx.run(SCOPE, region=region, zone=zone, asOf=as_of)]
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
        department_ids=row["departments"],
    )


def resolve_counties(
    tx: ManagedTransaction, region: str, as_of: date, *, personal: bool = False
) -> tuple[str, str | None, list[list[Scope]]] | None:
    """The counties of a city or province (code or exact name) or of the nation (NATION), in
    batches of BATCH_COUNTIES sharing their reads; None when the region holds no county."""
    rows = [record_natives(r) for r in tx.run(COUNTIES, region=region, nation=NATION, asOf=as_of)]
    tops = {(r["topCode"], r["topName"]) for r in rows}
    if len(tops) > 1:
        keys = ", ".join(sorted(code for code, _ in tops if code))
        raise CoverageScopeError(
            f"the name {region!r} is ambiguous ({keys}); give the code instead"
        )
    if not rows:
        return None
    scopes = [
        Scope(
            tx=tx,
            as_of=as_of,
            region_code=row["regionCode"],
            region_name=row["regionName"],
            zone_id=None,
            zone_name=None,
            zones=row["zones"],
            streets=row["streets"],
            personal=personal,
            department_ids=row["departments"],
        )
        for row in rows
    ]
    batches = []
    for start in range(0, len(scopes), BATCH_COUNTIES):
        batch = Batch(tx=tx, as_of=as_of, scopes=scopes[start : start + BATCH_COUNTIES])
        for scope in batch.scopes:
            scope.batch = batch
        batches.append(batch.scopes)
    code, name = tops.pop()
    return code or NATION, name, batches


def read_policies(scope: Scope) -> list[Policy]:
    rows = scope.read(
        "policies",
        regionCodes=[scope.region_code],
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
