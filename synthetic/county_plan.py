"""One synthetic county, planned before anything is written (县区规划): streets, zones, catalog rows, notices.

Everything is drawn from one random stream per county (seed + county code), so a county's files
do not depend on how many counties come before it, and the same seed gives the same county.
Staff, cases and the planted gaps are added by synthetic.staffing and synthetic.casework.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from schema.enums import CatalogKind, DelegationMode, ItemType
from synthetic.basis_cells import CellStyle, basis_cell, unparseable_cell
from synthetic.departments import BY_ABBR, DEPARTMENTS
from synthetic.item_pool import Pool, item_pool
from synthetic.laws import Cite, ItemTemplate
from synthetic.names import street_names
from synthetic.regions import CountyPlace
from synthetic.timeline import ADJUSTMENT, FIRST_LIST, LIST_2024, LIST_2025, WITHDRAWAL

GRANT, ENTRUST, STATION = (m.value for m in DelegationMode)
START, END = "start", "end"


@dataclass
class Street:
    code: str
    name: str
    kind: str  # 街道 / 镇 / 乡
    mode: str  # 赋权, or 派驻: the county department stays the enforcement subject
    zone: str = ""


@dataclass
class Zone:
    id: str
    name: str
    streets: list[str]  # codes


@dataclass(frozen=True)
class Row:
    """One catalog row: the item, its basis cell as printed, and which streets it goes to."""

    code: str
    template: ItemTemplate
    cell: str
    remark: str = ""
    streets: tuple[str, ...] | None = None  # a per-row street list (codes); None: every street
    planted: str | None = None  # the planted gap this row carries

    @property
    def department(self) -> str:
        return self.template.department


@dataclass
class ListVersion:
    """A version of the county's 赋权 list (县级赋权清单); versions share one series."""

    effective: date
    title: str
    doc_number: str | None
    rows: list[Row]


@dataclass
class Notice:
    """A 收回通知 or a 动态调整通知: rows that end (收回) or start (新增) items for streets."""

    kind: CatalogKind
    effective: date
    title: str
    doc_number: str | None
    rows: list[tuple[str, Row, tuple[str, ...] | None]]  # (start/end, row, street codes or all)


class ItemCodes:
    """Item codes per department: 990101-CGJ-001, numbered in the order items first appear."""

    def __init__(self, county: str) -> None:
        self.county, self.counts = county, dict.fromkeys(BY_ABBR, 0)

    def next(self, department: str) -> str:
        self.counts[department] += 1
        return f"{self.county}-{department.upper()}-{self.counts[department]:03d}"


@dataclass
class CountyPlan:
    place: CountyPlace
    seed: int
    mode: str  # the lists' mode: 赋权 (most) or 委托
    shape: str  # all: every row to every street; column: a per-row street column
    cell_style: CellStyle
    streets: list[Street]
    zones: list[Zone]
    versions: list[ListVersion]
    codes: ItemCodes
    spare: ItemTemplate | None = None  # drawn for the adjustment's new item
    adjustment: Notice | None = None
    withdrawal: Notice | None = None
    planted_rows: dict[str, Row] = field(default_factory=dict)  # planted kind → its row
    withdrawn: tuple[str, str] | None = None  # (item code, street code) of the withdrawal

    @property
    def forced(self) -> bool:
        """The first county plants every kind of gap (if it has room), so small runs show them."""
        return self.place.index == 0

    @property
    def series(self) -> str:
        return f"{self.place.code}-street-delegation"

    def street(self, code: str) -> Street:
        return next(s for s in self.streets if s.code == code)

    def zone(self, zone_id: str) -> Zone:
        return next(z for z in self.zones if z.id == zone_id)

    def department_id(self, abbr: str) -> str:
        return f"{self.place.code}-{abbr}"

    def notices(self) -> list[Notice]:
        return [n for n in (self.adjustment, self.withdrawal) if n is not None]

    def rows_ever(self) -> list[Row]:
        """Every distinct row (by item code) of every version and notice."""
        found: dict[str, Row] = {}
        for version in self.versions:
            for row in version.rows:
                found.setdefault(row.code, row)
        for notice in self.notices():
            for _, row, _ in notice.rows:
                found.setdefault(row.code, row)
        return list(found.values())

    def departments(self) -> list[str]:
        """Abbrs of the departments in the organisation file: the fixed ones and every holder."""
        holders = {row.department for row in self.rows_ever()}
        return [d.abbr for d in DEPARTMENTS if d.abbr in holders or (d.share == 0 and not d.domain)]


def plan_county(place: CountyPlace, *, streets: int, items: int, seed: int) -> CountyPlan:
    """Streets, zones, list versions and notices of one county; planted rows recorded."""
    rng = random.Random(f"{seed}:{place.code}")
    pool = item_pool(place.province_name, place.province_code)
    forced = place.index == 0
    street_list = _streets(rng, place, streets, forced)
    zones = _zones(rng, place, street_list)
    mode = ENTRUST if not forced and rng.random() < 0.06 else GRANT
    column = len(zones) > 1 and (place.index == 1 or (not forced and rng.random() < 0.2))
    plan = CountyPlan(
        place=place,
        seed=seed,
        mode=mode,
        shape="column" if column else "all",
        cell_style=CellStyle.draw(rng),
        streets=street_list,
        zones=zones,
        versions=[],
        codes=ItemCodes(place.code),
    )
    _catalog_rows(rng, plan, pool, items)
    if items >= 4 and (forced or rng.random() < 0.3):
        _plan_adjustment(rng, plan, pool)
    if forced or rng.random() < 0.4:
        _plan_withdrawal(rng, plan)
    return plan


# -- streets and zones ------------------------------------------------------------------------


def _streets(rng: random.Random, place: CountyPlace, count: int, forced: bool) -> list[Street]:
    stems = street_names(rng, count)
    found = []
    for n, stem in enumerate(stems, start=1):
        kind = "街道" if n <= max(1, count * 2 // 5) else ("乡" if n % 5 == 0 else "镇")
        found.append(Street(f"{place.code}{n:03d}", stem + kind, kind, GRANT))
    stations = 0
    if count >= 2 and (forced or rng.random() < 0.2):
        stations = 1 if forced else rng.randint(1, max(1, count // 6))
    for street in rng.sample(found[1:], min(stations, count - 1)):
        street.mode = STATION
    return found


def _zones(rng: random.Random, place: CountyPlace, streets: list[Street]) -> list[Zone]:
    """Consecutive streets in zones of 2 to 6 (one zone of 1 only when the county has 1 street).

    The first two counties take the smallest zones they can, so even a 5-street test county
    has two zones (a withdrawal needs a neighbour; a per-row street list needs a second zone).
    """
    zones: list[Zone] = []
    start = 0
    while start < len(streets):
        left = len(streets) - start
        sizes = [k for k in range(2, min(6, left) + 1) if left - k == 0 or left - k >= 2]
        size = (min(sizes) if place.index < 2 else rng.choice(sizes)) if sizes else left
        members = streets[start : start + size]
        zone = Zone(f"{place.code}-Z{len(zones) + 1:02d}", f"{members[0].name[:2]}片区", [])
        for street in members:
            street.zone = zone.id
            zone.streets.append(street.code)
        zones.append(zone)
        start += size
    return zones


# -- list versions --------------------------------------------------------------------------


def _catalog_rows(rng: random.Random, plan: CountyPlan, pool: Pool, items: int) -> None:
    """The 2024 list, the 2025 list (a few items dropped, as many added), sometimes a 2023 one."""
    changes = max(1, items // 25) if items >= 4 else 0
    drawn = _draw(rng, pool.regular, items + changes + 1)
    if len(drawn) < items + changes + 1:
        raise ValueError(f"at most {len(pool.regular) - 1 - changes} items per county")
    plan.spare = drawn[-1]
    rows = [_row(rng, plan, pool, t, plan.codes) for t in _grouped(drawn[:items])]
    rows = _plant_rows(rng, plan, pool, rows)
    added = [
        _row(rng, plan, pool, t, plan.codes, remark="2025年新增")
        for t in _grouped(drawn[items : items + changes])
    ]
    dropped = _some_codes(rng, rows, changes)
    if plan.forced or rng.random() < 0.3:
        older = _some_codes(rng, rows, changes)
        plan.versions.append(
            _version(rng, plan, FIRST_LIST, "", [r for r in rows if r.code not in older])
        )
    plan.versions.append(_version(rng, plan, LIST_2024, "（2024年版）", rows))
    kept = [r for r in rows if r.code not in dropped]
    plan.versions.append(
        _version(rng, plan, LIST_2025, "（2025年调整）", _grouped_rows(kept + added))
    )


def _some_codes(rng: random.Random, rows: list[Row], count: int) -> set[str]:
    """Codes of `count` rows that carry no planted gap (dropped from, or not yet in, a version)."""
    unplanted = [r.code for r in rows if not r.planted]
    return set(rng.sample(unplanted, min(count, len(unplanted))))


def _version(
    rng: random.Random, plan: CountyPlan, effective: date, suffix: str, rows: list[Row]
) -> ListVersion:
    county = plan.place
    number = f"{county.short}政办〔{effective.year}〕{rng.randint(2, 40)}号"
    if effective == LIST_2025 and rng.random() < 0.3:
        number = None  # a re-issue without a document number, as the sample's licheng-2025
    return ListVersion(
        effective, f"{county.name}乡镇（街道）综合行政执法赋权事项目录{suffix}", number, rows
    )


def _draw(rng: random.Random, templates: tuple[ItemTemplate, ...], count: int) -> list:
    """`count` templates without replacement, departments weighted by their share."""
    keyed = [
        (rng.random() ** (1 / BY_ABBR[t.department].share), t)
        for t in templates
        if BY_ABBR[t.department].share
    ]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [t for _, t in keyed[:count]]


_ORDER = {d.abbr: n for n, d in enumerate(DEPARTMENTS)}


def _grouped(templates: list[ItemTemplate]) -> list[ItemTemplate]:
    """Catalogs list items department by department."""
    return sorted(templates, key=lambda t: (_ORDER[t.department], t.key))


def _grouped_rows(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (_ORDER[r.department], r.code))


def _row(
    rng: random.Random,
    plan: CountyPlan,
    pool: Pool,
    template: ItemTemplate,
    codes: ItemCodes,
    *,
    remark: str = "",
    cites: tuple[Cite, ...] | None = None,
    planted: str | None = None,
    code: str | None = None,
) -> Row:
    cell = basis_cell(rng, cites or template.cites, pool.laws, plan.cell_style)
    if not remark and template.department == "xfdd":
        remark = "消防安全"
    return Row(
        code or codes.next(template.department),
        template,
        cell,
        remark,
        _row_streets(rng, plan),
        planted,
    )


def _row_streets(rng: random.Random, plan: CountyPlan) -> tuple[str, ...] | None:
    """A per-row street list: most rows go everywhere; some to whole zones (towns, not streets)."""
    if plan.shape != "column" or rng.random() < 0.7:
        return None
    zones = rng.sample(plan.zones, rng.randint(1, len(plan.zones) - 1))
    chosen = {code for zone in zones for code in zone.streets}
    return tuple(s.code for s in plan.streets if s.code in chosen)


# -- planted rows ---------------------------------------------------------------------------

PLANT_CHANCES = {
    "unparseable_basis": 0.3,  # 详见相关法律法规: item_without_legal_basis
    "article_missing": 0.2,  # cites an article the loaded text lacks
    "repealed_basis": 0.15,  # cites only a repealed regulation: item_on_repealed_law
    "uncovered_domain": 0.2,  # an inspection in a domain no officer covers
}


def _plant_rows(rng: random.Random, plan: CountyPlan, pool: Pool, rows: list[Row]) -> list[Row]:
    """Swap a few rows for planted ones (same position and code count)."""
    wanted = [k for k, p in PLANT_CHANCES.items() if plan.forced or rng.random() < p]
    if plan.mode != GRANT or all(s.mode == STATION for s in plan.streets):
        wanted = [k for k in wanted if k != "uncovered_domain"]
    free = [n for n, r in enumerate(rows) if r.template.type == ItemType.PENALTY]
    if len(rows) < 4 * len(wanted):
        wanted = wanted[: len(rows) // 4]
    for kind, index in zip(wanted, rng.sample(free, min(len(wanted), len(free))), strict=False):
        rows[index] = _planted_row(rng, plan, pool, rows[index], kind)
        plan.planted_rows[kind] = rows[index]
    return _grouped_rows(rows)


def _planted_row(rng: random.Random, plan: CountyPlan, pool: Pool, row: Row, kind: str) -> Row:
    codes = plan.codes
    if kind == "unparseable_basis":
        return Row(row.code, row.template, unparseable_cell(rng), "依据待核", row.streets, kind)
    if kind == "article_missing":
        first = row.template.cites[0]
        law = pool.law(first.law)
        if not law.has_text:
            return row
        missing = Cite(first.law, law.last + rng.randint(5, 30))
        return _row(
            rng, plan, pool, row.template, codes, cites=(missing,), planted=kind, code=row.code
        )
    template = rng.choice(pool.repealed if kind == "repealed_basis" else pool.uncovered)
    planted = _row(rng, plan, pool, template, codes, planted=kind)
    return Row(planted.code, template, planted.cell, planted.remark, None, kind)


# -- notices --------------------------------------------------------------------------------


def _plan_adjustment(rng: random.Random, plan: CountyPlan, pool: Pool) -> None:
    """新增 one new item for every street; 收回 one listed item from one whole zone."""
    latest = plan.versions[-1]
    assert plan.spare is not None  # drawn with the lists
    new = _row(rng, plan, pool, plan.spare, plan.codes, remark="新增")
    new = Row(new.code, new.template, new.cell, new.remark, None)
    zone = rng.choice(plan.zones)
    candidates = [r for r in latest.rows if not r.planted and _covers(r, zone)]
    rows: list[tuple[str, Row, tuple[str, ...] | None]] = [(START, new, None)]
    if candidates:
        rows.append((END, rng.choice(candidates), tuple(zone.streets)))
    county = plan.place
    plan.adjustment = Notice(
        CatalogKind.ADJUSTMENT,
        ADJUSTMENT,
        f"关于动态调整{county.name}乡镇（街道）综合行政执法赋权事项的通知",
        f"{county.short}政办发〔2025〕{rng.randint(41, 80)}号",
        rows,
    )


def _plan_withdrawal(rng: random.Random, plan: CountyPlan) -> None:
    """收回 one penalty item from one street of a zone whose other streets keep it (a gap)."""
    latest = plan.versions[-1]
    adjusted = {row.code for _, row, _ in plan.adjustment.rows} if plan.adjustment else set()
    zones = [z for z in plan.zones if len(z.streets) >= 2]
    if not zones:
        return
    zone = rng.choice(zones)
    candidates = [
        r
        for r in latest.rows
        if not r.planted
        and r.code not in adjusted
        and r.template.type == ItemType.PENALTY
        and _covers(r, zone)
    ]
    if not candidates:
        return
    row = rng.choice(candidates)
    granted = [code for code in zone.streets if plan.street(code).mode != STATION]
    street = plan.street(rng.choice(granted or zone.streets))
    plan.withdrawn = (row.code, street.code)
    plan.withdrawal = Notice(
        CatalogKind.WITHDRAWAL,
        WITHDRAWAL,
        f"关于收回{street.name}部分行政处罚事项的通知",
        None,
        [(END, row, (street.code,))],
    )


def _covers(row: Row, zone: Zone) -> bool:
    return row.streets is None or set(zone.streets) <= set(row.streets)
