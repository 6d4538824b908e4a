"""Dated organisation facts (组织沿革): a street's mode, names and merger, zone memberships and a
unit's place (机构调整: `part_of:` periods) with dates, as an organisation file gives them; checked,
then turned into graph rows.

In the file (every date optional; a fact with no dates holds always, as before):

    streets:
      - code: "330111104"
        name: 胥口镇                      # or names: [{name, from, to, basis}]
        kind: 镇
        modes:                            # or mode: 赋权 (undated: always)
          - {mode: 派驻, to: 2024-12-31}
          - {mode: 赋权, from: 2025-01-01, basis: FY-2024-FQ}
        merged_into: {street: 新登镇, from: 2026-01-01, basis: FY-2025-CB}   # 撤并

Periods of one kind are in date order, include both end days, and follow each other without
overlap or gap; `basis` names a document of the file's `documents:` (by id or title). A merged
street's delegations end on the merger day (queries read the merger: loading order does not
matter), and from that day its successor is the body answers name.

Where the file names a street (a unit's `part_of:` parent, an officer's posting, a zone member),
a former name (更名) finds its street when it was the street's name on some day of the period
the reference is given for (undated: any day), with a load warning naming the line, the field
and the rename; a former name the street never had during that period is refused.

A department's name and merger (机构改革) are dated the same way:

    departments:
      - id: qx-wjj
        names:                            # 更名 (`name:` may be left out: the newest is the name)
          - {name: 清溪县卫生和计划生育局, to: 2024-03-31}
          - {name: 清溪县卫生健康局, from: 2024-04-01, basis: QX-BB-2024-5}
      - id: qx-ajj
        name: 清溪县安全生产监督管理局
        merged_into: {department: qx-yjj, from: 2024-07-01, basis: QX-2024-3}   # 划入

From a merger day the successor answers for the merged department's items (its powers pass to
it by the notice); the merged department keeps its own name for the days before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from authreg.errors import InputError
from loaders.street_names import notice_words
from loaders.yaml_files import line_of
from schema.enums import DelegationMode


class _Dated(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    valid_from: date | None = Field(None, alias="from")
    valid_to: date | None = Field(None, alias="to")
    basis: str | None = None  # a document of the file's `documents:` (id or title)


class ModePeriodIn(_Dated):
    """A town's working mode for a period (赋权: the town is the subject; 派驻: the county's)."""

    mode: DelegationMode


class NamePeriodIn(_Dated):
    """A street's name for a period (更名: the old name is still found for its days)."""

    name: str


class MergerIn(BaseModel):
    """撤并: the street is merged into `street` from `from` (the first day it is the successor's)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    street: str  # code or exact name of a street of the same file
    valid_from: date = Field(alias="from")  # (not `on:`: YAML reads a bare `on` as true)
    basis: str | None = None


class DepartmentMergerIn(BaseModel):
    """机构改革: the department is merged into `department` from `from` (its powers 划入 the
    successor by the notice: the first day the successor answers for its items)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    department: str  # id or exact name of a department of the same file
    valid_from: date = Field(alias="from")
    basis: str | None = None


class ZoneMemberIn(BaseModel):
    """A street's membership of a zone for a period (片区调整), inside the zone's own period."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    street: str
    valid_from: date | None = Field(None, alias="from")
    valid_to: date | None = Field(None, alias="to")


class UnitPartIn(_Dated):
    """A unit's place for a period (机构调整): the department, unit or street it is part of."""

    parent: str  # a department id, a unit id or a street code / name


class _Street(Protocol):
    code: str
    name: str | None
    mode: DelegationMode | None
    modes: list[ModePeriodIn]
    names: list[NamePeriodIn]
    merged_into: MergerIn | None


def check_history(path: Path, streets: list[_Street], documents: set[str]) -> None:
    """Refuse what cannot be a street's history, naming file, line and field: a mode given both
    undated and dated, periods out of order, overlapping or with a gap, an unknown document,
    a merger into an unknown street or into itself, a period starting on or after the merger."""
    known = {s.code for s in streets} | {s.name for s in streets if s.name}
    for index, street in enumerate(streets):
        where = ["streets", index]
        if street.mode is not None and street.modes:
            _refuse(path, [*where, "modes"], "give `mode:` (always) or dated `modes:`, not both")
        for kind in ("modes", "names"):
            _check_periods(path, [*where, kind], getattr(street, kind), documents)
        merger = street.merged_into
        if merger is not None:
            periods = {"modes": street.modes, "names": street.names}
            own = {street.code, street.name}
            at = [*where, "merged_into"]
            _check_merger(path, at, merger.street, own, known, "street", street.code)
            _check_after_merger(path, where, merger.valid_from, merger.basis, periods, documents)


def check_departments(path: Path, departments: list[Any], documents: set[str]) -> None:
    """The same for a department's dated names and merger (机构改革): periods in order with no
    overlap or gap, known notices, a merger into another department of the file, and no name
    starting on or after the merger."""
    known = {d.id for d in departments} | {d.name for d in departments if d.name}
    for index, department in enumerate(departments):
        where = ["departments", index]
        _check_periods(path, [*where, "names"], department.names, documents)
        merger = department.merged_into
        if merger is not None:
            own = {department.id, department.name}
            at = [*where, "merged_into"]
            kind = "department"
            _check_merger(path, at, merger.department, own, known, kind, department.id)
            periods = {"names": department.names}
            _check_after_merger(path, where, merger.valid_from, merger.basis, periods, documents)


def _check_merger(
    path: Path, at: list, into: str, own: set, known: set, kind: str, key: str
) -> None:
    if into not in known:
        _refuse(path, [*at, kind], f"merged into unknown {kind} {into!r}")
    if into in own:
        _refuse(path, [*at, kind], f"{kind} {key} cannot be merged into itself")


def _check_after_merger(
    path: Path,
    where: list,
    day: date,
    basis: str | None,
    periods: dict[str, list[Any]],
    documents: set[str],
) -> None:
    _check_basis(path, [*where, "merged_into"], basis, documents)
    for kind, dated in periods.items():
        for n, period in enumerate(dated):
            if period.valid_from is not None and period.valid_from >= day:
                _refuse(
                    path,
                    [*where, kind, n, "from"],
                    f"starts on {period.valid_from}, on or after the merger ({day})",
                )


def check_units(path: Path, units: list[Any], documents: set[str]) -> None:
    """A unit's dated `part_of:` periods: in date order, no overlap and no gap (a unit is always
    part of something), each `basis` a document of the file, never the unit itself."""
    for index, unit in enumerate(units):
        if isinstance(unit.part_of, str):
            continue
        where = ["units", index, "part_of"]
        if not unit.part_of:
            _refuse(path, where, f"unit {unit.id} is part of nothing: give at least one period")
        _check_periods(path, where, unit.part_of, documents)
        for n, period in enumerate(unit.part_of):
            if period.parent == unit.id:
                _refuse(path, [*where, n, "parent"], f"unit {unit.id} cannot be part of itself")


def unit_parents(unit: Any) -> list[tuple[str, dict[str, Any]]]:
    """(parent words, link properties) per period of a unit's `part_of:`; undated: no dates."""
    if isinstance(unit.part_of, str):
        return [(unit.part_of, {})]
    return [
        (p.parent, {"valid_from": p.valid_from, "valid_to": p.valid_to, "basis": p.basis})
        for p in unit.part_of
    ]


def fact_rows(streets: Iterable[_Street], document_id: Any, file: str) -> list[dict[str, Any]]:
    """One StreetFact row per dated mode or name (with its street and document for the links)."""
    rows = []
    for street in streets:
        periods = [("mode", p.mode.value, p) for p in street.modes]
        periods += [("name", p.name, p) for p in street.names]
        for fact, value, period in periods:
            start = period.valid_from.isoformat() if period.valid_from else "-"
            rows.append(
                {
                    "street": street.code,
                    "basis": document_id(period.basis) if period.basis else None,
                    "props": {
                        "id": f"{street.code}|{fact}|{start}",
                        "fact": fact,
                        "value": value,
                        "valid_from": period.valid_from,
                        "valid_to": period.valid_to,
                        "basis": document_id(period.basis) if period.basis else None,
                        "source_file": file,
                    },
                }
            )
    return rows


def department_fact_rows(
    departments: Iterable[Any], document_id: Any, file: str
) -> list[dict[str, Any]]:
    """One DepartmentFact row per dated name of a department (更名, 机构改革), as fact_rows."""
    rows = []
    for department in departments:
        for period in department.names:
            start = period.valid_from.isoformat() if period.valid_from else "-"
            basis = document_id(period.basis) if period.basis else None
            rows.append(
                {
                    "department": department.id,
                    "basis": basis,
                    "props": {
                        "id": f"{department.id}|name|{start}",
                        "fact": "name",
                        "value": period.name,
                        "valid_from": period.valid_from,
                        "valid_to": period.valid_to,
                        "basis": basis,
                        "source_file": file,
                    },
                }
            )
    return rows


def check_zone_members(path: Path, zone_index: int, zone: Any) -> None:
    """A street listed twice in one zone, or a membership outside the zone's own period."""
    seen: set[str] = set()
    for n, member in enumerate(zone.streets):
        name = member if isinstance(member, str) else member.street
        at = ["zones", zone_index, "streets", n]
        if name in seen:
            _refuse(path, at, f"street {name!r} is listed twice in zone {zone.id}")
        seen.add(name)
        if isinstance(member, str):
            continue
        if member.valid_from and member.valid_to and member.valid_to < member.valid_from:
            _refuse(path, [*at, "to"], f"ends ({member.valid_to}) before it starts")
        if zone.valid_from and member.valid_from and member.valid_from < zone.valid_from:
            _refuse(path, [*at, "from"], f"starts before the zone does ({zone.valid_from})")
        if zone.valid_to and member.valid_to and member.valid_to > zone.valid_to:
            _refuse(path, [*at, "to"], f"ends after the zone does ({zone.valid_to})")


def member_period(zone: Any, member: Any) -> tuple[str, dict[str, date | None]]:
    """(street words, {valid_from, valid_to}) of one zone member: its own dates, else the zone's."""
    if isinstance(member, str):
        return member, {"valid_from": zone.valid_from, "valid_to": zone.valid_to}
    return member.street, {
        "valid_from": member.valid_from or zone.valid_from,
        "valid_to": member.valid_to or zone.valid_to,
    }


@dataclass(frozen=True)
class FormerNameWarning:
    """A street named by a former name (更名) in the organisation file: where, and what was read."""

    row: int | None
    column: str
    message: str


def resolve_former_names(path: Path, org: Any) -> list[FormerNameWarning]:
    """Rewrite each street reference given by a former name to the street's code, and say so.

    A reference is a unit's `part_of:` parent, an officer's posting `to:` or a zone member; the
    name must have been the street's on some day of the reference's period (a period without
    dates: any day). Names now, codes, departments, units and zones are left as they are."""
    former = _former_names(org.streets)
    if not former:
        return []
    taken = {s.code for s in org.streets} | {s.name for s in org.streets if s.name}
    taken |= {d.id for d in org.departments} | {u.id for u in org.units} | {z.id for z in org.zones}
    warnings: list[FormerNameWarning] = []

    def resolve(words: str, where: list, start: date | None, end: date | None) -> str:
        if words in taken or words not in former:
            return words
        street, period, renamed_by = former[words]
        notice = (
            _notice(renamed_by.basis, org.documents) if renamed_by and renamed_by.basis else None
        )
        if not _overlaps(period, start, end):
            _refuse(path, where, _not_then(words, street, period, notice, start, end))
        column = ".".join(str(part) for part in where)
        note = _former(words, street, period, notice)
        warnings.append(FormerNameWarning(line_of(path, where), column, note))
        return street.code

    for u, unit in enumerate(org.units):
        for n, part in enumerate([] if isinstance(unit.part_of, str) else unit.part_of):
            at = ["units", u, "part_of", n, "parent"]
            part.parent = resolve(part.parent, at, part.valid_from, part.valid_to)
        if isinstance(unit.part_of, str):
            unit.part_of = resolve(unit.part_of, ["units", u, "part_of"], None, None)
    for o, officer in enumerate(org.officers):
        for n, post in enumerate(officer.postings):
            at = ["officers", o, "postings", n, "to"]
            post.to = resolve(post.to, at, post.valid_from, post.valid_to)
    for z, zone in enumerate(org.zones):
        for n, member in enumerate(zone.streets):
            words, period = member_period(zone, member)
            at = ["zones", z, "streets", n] + ([] if isinstance(member, str) else ["street"])
            code = resolve(words, at, period["valid_from"], period["valid_to"])
            if isinstance(member, str):
                zone.streets[n] = code
            else:
                member.street = code
    return warnings


# -- helpers ----------------------------------------------------------------------------------


def _former_names(streets: list[Any]) -> dict[str, tuple[Any, NamePeriodIn, NamePeriodIn | None]]:
    """Each name a street had and has no longer → (street, its period, the next name's period)."""
    former = {}
    for street in streets:
        for n, period in enumerate(street.names):
            if period.name != street.name:
                after = street.names[n + 1] if n + 1 < len(street.names) else None
                former[period.name] = (street, period, after)
    return former


def _overlaps(period: _Dated, start: date | None, end: date | None) -> bool:
    return (period.valid_from is None or end is None or period.valid_from <= end) and (
        period.valid_to is None or start is None or start <= period.valid_to
    )


def _former(words: str, street: Any, period: _Dated, notice: str | None) -> str:
    return (
        f"「{words}」 is a former name of {street.name} ({street.code})"
        + (f", its name until {period.valid_to}" if period.valid_to else "")
        + (f"; renamed by {notice}" if notice else "")
        + " (更名): read as that street"
    )


def _not_then(
    words: str,
    street: Any,
    period: _Dated,
    notice: str | None,
    start: date | None,
    end: date | None,
) -> str:
    held = f"{period.valid_from or '…'} to {period.valid_to or '…'}"
    asked = f"{start or '…'} to {end or '…'}"
    renamed = f", renamed by {notice}" if notice else ""
    return (
        f"「{words}」 was not a street's name from {asked}: it was the name of {street.name} "
        f"({street.code}) from {held}{renamed} (更名); name the street as it was named then"
    )


def _notice(basis: str, documents: list[Any]) -> str:
    """A document of the file as a message quotes it: 文号《标题》."""
    for doc in documents:
        if basis in {doc.id, doc.title}:
            return notice_words(doc.doc_number, doc.title, basis) or basis
    return basis


def _check_periods(path: Path, where: list, periods: list[_Dated], documents: set[str]) -> None:
    for n, period in enumerate(periods):
        at = [*where, n]
        if period.valid_from and period.valid_to and period.valid_to < period.valid_from:
            _refuse(path, [*at, "to"], f"ends ({period.valid_to}) before it starts")
        _check_basis(path, at, period.basis, documents)
        if n == 0:
            continue
        before = periods[n - 1]
        if before.valid_to is None:
            _refuse(path, [*where, n - 1, "to"], "has no end, but another period follows it")
        if period.valid_from is None:
            _refuse(path, [*at, "from"], "has no start, but follows another period")
        assert before.valid_to is not None and period.valid_from is not None
        if period.valid_from <= before.valid_to:
            _refuse(
                path,
                [*at, "from"],
                f"{period.valid_from} overlaps the period before (to {before.valid_to})",
            )
        if period.valid_from != before.valid_to + timedelta(days=1):
            _refuse(
                path,
                [*at, "from"],
                f"leaves a gap after {before.valid_to}: the next period starts the day after",
            )


def _check_basis(path: Path, where: list, basis: str | None, documents: set[str]) -> None:
    if basis is not None and basis not in documents:
        _refuse(path, [*where, "basis"], f"unknown document {basis!r}: list it in `documents:`")


def _refuse(path: Path, where: list, problem: str) -> None:
    column = ".".join(str(part) for part in where)
    raise InputError(path, problem, row=line_of(path, where) or 1, column=column)
