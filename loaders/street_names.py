"""Street names of a day (更名 / 撤并 in catalogs and notices): the names a list dated D may give
a street, and the streets merged away by D.

A list names a street by its name now, or by a name it had (a list of 2023 says 城关镇 for the
town renamed 城东街道 on 2023-07-01): a former name finds its street, and the load says so,
naming the rename notice. A street merged into another on or before D (撤并) no longer exists
that day: a list dated D cannot delegate to it, and its "every street" phrases leave it out.

The organisation data comes as `GraphWrites.known_organisation` gives it: each street's dict
may carry `names` (its dated names: {name, valid_from, valid_to, basis}) and `merged`
({into, into_name, valid_from, basis}); `basis` is the notice's words (文号《标题》).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from loaders.row_scope import StreetRef, named_street

Street = Mapping[str, Any]
SameName = Callable[[str, Mapping[str, str]], str | None]  # as loaders.catalogs._same_name


def _exact(name: str, spellings: Mapping[str, str]) -> str | None:
    return name if name in spellings else None


@dataclass(frozen=True)
class StreetsOfDay:
    """The streets of a region as a list dated `day` may name them."""

    day: date
    refs: list[StreetRef]  # each street by each of its names; the day's names win a clash
    every: list[str]  # codes of the streets that still exist on the day (not merged away)
    former: dict[str, str] = field(default_factory=dict)  # former name → what the load says of it
    merged: dict[str, str] = field(default_factory=dict)  # code merged by the day → refusal
    _current: dict[str, str] = field(default_factory=dict)  # the names now → code
    _spellings: dict[str, str] = field(default_factory=dict)  # every name and code → code

    def former_name_note(self, part: str, same_name: SameName = _exact) -> str | None:
        """What to warn when `part` finds its street by a former name only, else None."""
        if not self.former or named_street(part, self._current, same_name) is not None:
            return None
        spelling = named_street(part, {name: name for name in self.former}, same_name)
        if spelling is None:
            return None
        named = f"「{part}」 is" if part == spelling else f"「{part}」 names 「{spelling}」,"
        return f"{named} {self.former[spelling]}"

    def merger_refusal(self, part: str, same_name: SameName = _exact) -> str | None:
        """Why no delegation can go to the street `part` names, if it was merged by the day."""
        if not self.merged:  # most regions, most days: no merger to look for
            return None
        code = named_street(part, self._spellings, same_name)
        return None if code is None else self.merged.get(code)


def streets_of_day(known: list[Street], day: date) -> StreetsOfDay:
    """The region's streets (`known`) as a list taking effect on `day` names them."""
    current = {s["name"]: s["code"] for s in known if s.get("name")}
    earlier, of_day, former = [], [], {}
    for street in known:
        periods = list(street.get("names") or [])
        for n, period in enumerate(periods):
            if period["name"] == street["name"]:
                continue
            ref = StreetRef(street["code"], period["name"], street.get("kind"))
            held = _holds(period, day)
            (of_day if held else earlier).append(ref)
            renamed_by = periods[n + 1] if n + 1 < len(periods) else None
            former[period["name"]] = _former_note(street, period, renamed_by, held, day)
    now = [StreetRef(s["code"], s["name"], s.get("kind")) for s in known]
    merged = {
        s["code"]: _merger_note(s, day)
        for s in known
        if s.get("merged") and _day(s["merged"]["valid_from"]) <= day
    }
    every = [s["code"] for s in known if s["code"] not in merged]
    refs = earlier + now + of_day
    spellings = {ref.name: ref.code for ref in refs} | {ref.code: ref.code for ref in refs}
    return StreetsOfDay(day, refs, every, former, merged, current, spellings)


def known_street(row: Mapping[str, Any]) -> dict[str, Any]:
    """A street as the graph gives it ({code, name, kind, mode, names, merged}, each notice as
    {basis, doc_number, title}) in the known-organisation shape: dates as Python dates, names
    in date order, each notice by its words."""
    names = [
        {
            "name": period["name"],
            "valid_from": _day(period.get("valid_from")),
            "valid_to": _day(period.get("valid_to")),
            "basis": notice_words(period.get("doc_number"), period.get("title"), period["basis"]),
        }
        for period in row.get("names") or []
    ]
    names.sort(key=lambda p: p["valid_from"] or date.min)
    merged = row.get("merged")
    if merged:
        merged = {
            "into": merged["into"],
            "into_name": merged["into_name"],
            "valid_from": _day(merged["valid_from"]),
            "basis": notice_words(merged.get("doc_number"), merged.get("title"), merged["basis"]),
        }
    return {**row, "names": names, "merged": merged}


def known_department(row: Mapping[str, Any]) -> dict[str, Any]:
    """A department as the graph gives it ({id, name, aliases, names, merged}) in the
    known-organisation shape, as `known_street` (机构改革: its dated names and its merger)."""
    return known_street(row)


@dataclass(frozen=True)
class DepartmentsOfDay:
    """What a list or case dated `day` is told when it names a department by a name it had
    (更名) or names one merged into another by that day (机构改革: 划入)."""

    day: date
    former: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (id, note)
    merged: dict[str, str] = field(default_factory=dict)  # id merged by the day → note

    def note(self, words: str, spelling: str, department: str | None) -> str | None:
        """The warning for the cell `words`, which found `department` (its id) as `spelling`
        (the same, or the name it folds to), else None."""
        said = []
        if spelling in self.former and self.former[spelling][0] == department:
            named = f"「{words}」 is" if words == spelling else f"「{words}」 names 「{spelling}」,"
            said.append(f"{named} {self.former[spelling][1]}")
        if department in self.merged:
            said.append(("" if said else f"「{words}」: ") + self.merged[department])
        return "; ".join(said) or None


def departments_of_day(known: list[Mapping[str, Any]], day: date) -> DepartmentsOfDay:
    """The region's departments (`known`) as a list or case of `day` names them: the names each
    had and has no longer (a current name of another department is not a former name)."""
    current = {d["name"] for d in known} | {a for d in known for a in d.get("aliases") or []}
    former = {}
    for department in known:
        periods = list(department.get("names") or [])
        for n, period in enumerate(periods):
            if period["name"] == department["name"] or period["name"] in current:
                continue
            renamed_by = periods[n + 1] if n + 1 < len(periods) else None
            note = _former_note(department, period, renamed_by, _holds(period, day), day, "id")
            former[period["name"]] = (department["id"], note)
    merged = {
        d["id"]: _department_merger_note(d)
        for d in known
        if d.get("merged") and _day(d["merged"]["valid_from"]) <= day
    }
    return DepartmentsOfDay(day, former, merged)


def name_history(names: list[Mapping[str, Any]], documents: Mapping[str, str]) -> list[dict]:
    """Dated names ({name, from/valid_from, to/valid_to, basis id}) in the known-organisation
    shape, each notice given by its words (`documents`: id → 文号《标题》)."""
    return [
        {
            "name": period["name"],
            "valid_from": period.get("valid_from"),
            "valid_to": period.get("valid_to"),
            "basis": documents.get(period.get("basis") or "", period.get("basis")),
        }
        for period in sorted(names, key=lambda p: _day(p.get("valid_from")) or date.min)
    ]


def notice_words(doc_number: str | None, title: str | None, fallback: str | None) -> str | None:
    """A notice as a message quotes it: 清政发〔2025〕9号《清溪县人民政府关于…的通知》."""
    if doc_number and title:
        return f"{doc_number}《{title}》"
    return doc_number or (f"《{title}》" if title else fallback)


# -- helpers ----------------------------------------------------------------------------------


def _holds(period: Mapping[str, Any], day: date) -> bool:
    start, end = _day(period.get("valid_from")), _day(period.get("valid_to"))
    return (start is None or start <= day) and (end is None or day <= end)


def _former_note(
    street: Street,
    period: Mapping[str, Any],
    renamed_by: Mapping[str, Any] | None,
    held: bool,
    day: date,
    key: str = "code",
) -> str:
    until = _day(period.get("valid_to"))
    basis = (renamed_by or {}).get("basis")
    what = "street" if key == "code" else "department"
    note = (
        f"a former name of {street['name']} ({street[key]})"
        + (f", its name until {until}" if until else "")
        + (f"; renamed by {basis}" if basis else "")
    )
    if held:
        return note + f" (更名); read as that {what}, by its name on {day}"
    return note + f" (更名); not its name on {day}, read as that {what} all the same"


def _department_merger_note(department: Mapping[str, Any]) -> str:
    merger = department["merged"]
    basis = f" by {merger['basis']}" if merger.get("basis") else ""
    return (
        f"{department['name']} ({department['id']}) was merged into {merger['into_name']} "
        f"({merger['into']}) from {_day(merger['valid_from'])}{basis} (机构改革, 划入): "
        f"from that day {merger['into_name']} answers for its items"
    )


def _merger_note(street: Street, day: date) -> str:
    merger = street["merged"]
    basis = f" by {merger['basis']}" if merger.get("basis") else ""
    return (
        f"{street['name']} ({street['code']}) was merged into {merger['into_name']} "
        f"({merger['into']}) from {_day(merger['valid_from'])}{basis} (撤并), on or before this "
        f"list takes effect ({day}): no delegation can go to it; name {merger['into_name']}"
    )


def _day(value: Any) -> date | None:
    """A date as the graph or a file gives it (neo4j's Date has to_native)."""
    return value.to_native() if hasattr(value, "to_native") else value
