"""Units and officer rosters of a synthetic county (执法队伍与人员), with the planted staffing gaps.

Every zone gets a legal reviewer from its 司法所 and two or three certified officers linked
(挂钩) per department; every street a team of three or four whose domains cover every item the
county delegates. Planted: a zone without a reviewer, a zone short of linked officers for one
department, a two-person team whose second certificate lapses on 2025-06-30, and a few other
lapsed certificates of officers still in post (持证上岗).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from schema.enums import ItemType, OfficerRole, PostingMode, UnitKind
from synthetic.county_plan import GRANT, STATION, CountyPlan, Street, Zone
from synthetic.delegations import in_force, rows_by_code
from synthetic.departments import BY_ABBR, UNCOVERED_DOMAIN_DEPARTMENT, department_name
from synthetic.names import person_name
from synthetic.planted import Planted
from synthetic.timeline import CERTIFICATES_LAPSE, CHECK_DAY, LIST_2024

PLANT_CHANCES = {"zone_without_reviewer": 0.35, "zone_short_of_linked": 0.35, "small_team": 0.25}
LAPSE_CHANCE = 0.04  # per member of a team of three or more


@dataclass
class Unit:
    id: str
    name: str
    kind: UnitKind
    part_of: str
    joint_meetings: list[date] = field(default_factory=list)  # 统筹指挥 meetings (seed 003)


@dataclass
class Officer:
    id: str
    name: str
    unit: str
    valid_from: date
    valid_to: date
    domains: list[str]
    roles: list[OfficerRole]
    postings: list[dict]

    @property
    def lapsed(self) -> bool:
        return self.valid_to == CERTIFICATES_LAPSE


@dataclass
class Staffing:
    units: list[Unit] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    teams: dict[str, list[Officer]] = field(default_factory=dict)  # street code → members
    planted: list[Planted] = field(default_factory=list)
    # (street, domain, department) whose team holds no certificate of the domain, in the zone
    # short of linked officers of that department: one certified officer of the domain there,
    # fewer than the two of 行政处罚法 第四十二条 (the evaluation's 加强承接力量, synthetic.casework)
    thin_domain: tuple[str, str, str] | None = None


def staff_county(plan: CountyPlan) -> Staffing:
    """Units and officers of the county; the planted gaps are recorded with their keys."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:staff")
    staffing = Staffing(units=_units(plan))
    roster = _Roster(plan, rng, staffing)
    delegating = _delegating_departments(plan)
    plants = [k for k, p in PLANT_CHANCES.items() if plan.forced or rng.random() < p]
    no_reviewer = rng.choice(plan.zones) if "zone_without_reviewer" in plants else None
    short = _short_pair(rng, plan, delegating) if "zone_short_of_linked" in plants else None
    small = rng.choice(plan.streets) if "small_team" in plants else None
    for zone in plan.zones:
        roster.zone_staff(zone, reviewer=zone is not no_reviewer, short=short)
    for street in plan.streets:
        roster.team(street, small=street is small)
    # Drawn after every other officer, from a stream of their own: the rest stays as it was.
    plants = random.Random(f"{plan.seed}:{plan.place.code}:staff-plants")
    large = _large_team(plants, plan, roster, small)
    staffing.thin_domain = _thin_domain(plants, plan, roster, short)
    if no_reviewer is not None:
        staffing.planted.append(_no_reviewer(plan, no_reviewer))
    if short is not None:
        staffing.planted.append(_short_linked(plan, *short))
    if small is not None:
        staffing.planted.append(_small_team(plan, small))
    if large is not None:
        staffing.planted.append(_large_team_plant(plan, large, len(staffing.teams[large.code])))
    staffing.planted += [_lapsed(plan, officer) for officer in staffing.officers if officer.lapsed]
    staffing.planted += _meetings(plan, staffing.units)
    return staffing


# Quarters a town team meets in (seed 003: 每季度召开1次): from the quarter after the plan took
# effect (LIST_2024) to the last complete quarter before CHECK_DAY, the one the check judges.
MEETING_QUARTERS = [(2024, 4), (2024, 7), (2024, 10), (2025, 1), (2025, 4)]
MISSED_MEETING_CHANCE = 0.3


def _meetings(plan: CountyPlan, units: list[Unit]) -> list[Planted]:
    """Every town team meets once a quarter; a planted one skipped the quarter CHECK_DAY judges.
    Drawn from a stream of its own, so the other plants of a county stay as they were."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:meetings")
    teams = [u for u in units if u.kind == UnitKind.STREET_TEAM]
    for team in teams:
        team.joint_meetings = [date(y, m + 1, rng.randint(5, 25)) for y, m in MEETING_QUARTERS]
    if not teams or not (plan.forced or rng.random() < MISSED_MEETING_CHANCE):
        return []
    missed = rng.choice(teams)
    missed.joint_meetings = missed.joint_meetings[:-1]
    year, month = MEETING_QUARTERS[-1]
    return [
        Planted(
            "missed_joint_meeting",
            plan.place.code,
            (("街道", missed.part_of),),
            f"{missed.name} held no 统筹指挥 meeting in the quarter from {year}-{month:02d}-01",
            "min_joint_meetings_per_quarter",
        )
    ]


# -- units ----------------------------------------------------------------------------------


def _units(plan: CountyPlan) -> list[Unit]:
    county, code = plan.place.name, plan.place.code
    units = [Unit(f"{code}-u-dd", f"{county}城市管理综合执法大队", UnitKind.BRIGADE, f"{code}-cgj")]
    for n, zone in enumerate(plan.zones, start=1):
        units.append(
            Unit(
                f"{code}-u-zd{n:02d}",
                f"{county}城市管理综合执法大队{zone.name}中队",
                UnitKind.SQUAD,
                f"{code}-u-dd",
            )
        )
        units.append(
            Unit(f"{code}-u-sfs{n:02d}", f"{zone.name[:2]}司法所", UnitKind.STATION, f"{code}-sfj")
        )
    for abbr in plan.departments():
        if BY_ABBR[abbr].domain and abbr != "cgj":
            name, _ = department_name(county, plan.place.city_name, BY_ABBR[abbr])
            units.append(
                Unit(
                    f"{code}-u-{abbr}",
                    f"{name}执法大队",
                    UnitKind.BRIGADE,
                    plan.department_id(abbr),
                )
            )
    for street in plan.streets:
        team = "联合巡查执法队" if street.mode == STATION else "综合行政执法队"
        units.append(
            Unit(_team_id(plan, street), f"{street.name}{team}", UnitKind.STREET_TEAM, street.code)
        )
    return units


def _team_id(plan: CountyPlan, street: Street) -> str:
    return f"{plan.place.code}-u-t{street.code[-3:]}"


def _squad_id(plan: CountyPlan, zone: Zone) -> str:
    return f"{plan.place.code}-u-zd{plan.zones.index(zone) + 1:02d}"


# -- officers -------------------------------------------------------------------------------


class _Roster:
    """Hands out certificate numbers and writes officers into the staffing."""

    def __init__(self, plan: CountyPlan, rng: random.Random, staffing: Staffing) -> None:
        self.plan, self.rng, self.staffing = plan, rng, staffing
        self.departments = [
            a for a in plan.departments() if BY_ABBR[a].domain and a != UNCOVERED_DOMAIN_DEPARTMENT
        ]
        self.domains = sorted({BY_ABBR[a].domain or "" for a in self.departments})

    def zone_staff(self, zone: Zone, *, reviewer: bool, short: tuple[Zone, str] | None) -> None:
        n = self.plan.zones.index(zone) + 1
        justice = f"{self.plan.place.code}-u-sfs{n:02d}"
        link = {"to": zone.id, "mode": PostingMode.LINKED, "valid_from": LIST_2024}
        sfj = self.plan.department_id("sfj")
        if reviewer:
            self.add(justice, [], [OfficerRole.LEGAL_REVIEWER], [{**link, "department": sfj}])
        elif self.rng.random() < 0.5:  # a supervisor is no legal reviewer (the Licheng case)
            self.add(justice, [], [OfficerRole.SUPERVISOR], [{**link, "department": sfj}])
        for abbr in self.departments:
            count = 1 if short == (zone, abbr) else self.rng.choice((2, 2, 3))
            unit = (
                _squad_id(self.plan, zone) if abbr == "cgj" else f"{self.plan.place.code}-u-{abbr}"
            )
            posting = {**link, "department": self.plan.department_id(abbr)}
            for _ in range(count):
                self.add(unit, [BY_ABBR[abbr].domain or ""], [OfficerRole.ENFORCER], [posting])

    def team(self, street: Street, *, small: bool) -> None:
        """Three or four residents covering every domain; a planted small team has two."""
        size = 2 if small else self.rng.choice((3, 3, 4))
        lapses = {1} if small else {n for n in range(size) if self.rng.random() < LAPSE_CHANCE}
        posting = {"to": street.code, "mode": PostingMode.RESIDENT, "valid_from": LIST_2024}
        members = [
            self.add(
                _team_id(self.plan, street),
                list(self.domains),
                [OfficerRole.ENFORCER],
                [posting],
                lapses=n == min(lapses, default=-1),  # at most one lapse a team
            )
            for n in range(size)
        ]
        self.staffing.teams[street.code] = members

    def add(
        self,
        unit: str,
        domains: list[str],
        roles: list[OfficerRole],
        postings: list[dict],
        *,
        lapses: bool = False,
    ) -> Officer:
        start = date(self.rng.randint(2019, 2023), self.rng.randint(1, 12), 1)
        end = CERTIFICATES_LAPSE if lapses else date(start.year + 8, start.month, 1)
        officer = Officer(
            id=f"{self.plan.place.code}{start.year}{len(self.staffing.officers) + 1:04d}",
            name=person_name(self.rng),
            unit=unit,
            valid_from=start,
            valid_to=end,
            domains=domains,
            roles=roles,
            postings=postings,
        )
        self.staffing.officers.append(officer)
        return officer


# -- planted gaps ---------------------------------------------------------------------------

LARGE_TEAM_CHANCE = 0.2
MAX_TEAM = 8  # seed 004: 与乡镇街道2-8名持执法证人员共同组建


def _large_team(
    rng: random.Random, plan: CountyPlan, roster: _Roster, small: Street | None
) -> Street | None:
    """A town team topped up to nine officers certified on CHECK_DAY (one above seed 004's 8)."""
    if not (plan.forced or rng.random() < LARGE_TEAM_CHANCE):
        return None
    streets = [s for s in plan.streets if s is not small]
    if not streets:
        return None
    street = rng.choice(streets)
    members = roster.staffing.teams[street.code]
    certified = sum(1 for m in members if m.valid_from <= CHECK_DAY <= m.valid_to)
    posting = {"to": street.code, "mode": PostingMode.RESIDENT, "valid_from": LIST_2024}
    for _ in range(MAX_TEAM + 1 - certified):
        members.append(
            roster.add(
                _team_id(plan, street), list(roster.domains), [OfficerRole.ENFORCER], [posting]
            )
        )
    return street


def _thin_domain(
    rng: random.Random,
    plan: CountyPlan,
    roster: _Roster,
    short: tuple[Zone, str] | None,
) -> tuple[str, str, str] | None:
    """A street of the zone short of linked officers whose team loses that department's domain,
    when no other department of the county shares the domain (one linked officer is then all
    the street has of it)."""
    if short is None:
        return None
    zone, abbr = short
    domain = BY_ABBR[abbr].domain or ""
    if sum(1 for a in roster.departments if BY_ABBR[a].domain == domain) != 1:
        return None
    rows = rows_by_code(plan)
    held = {
        street
        for (item, street), mode in in_force(plan, CHECK_DAY).items()
        if mode == GRANT and rows[item].department == abbr
        and rows[item].template.type == ItemType.PENALTY
    }  # fmt: skip
    streets = [s for s in plan.streets if s.code in zone.streets and s.code in held]
    if not streets:
        return None
    street = rng.choice(streets)
    for member in roster.staffing.teams[street.code]:
        member.domains = [d for d in member.domains if d != domain]
    return street.code, domain, abbr


def _large_team_plant(plan: CountyPlan, street: Street, size: int) -> Planted:
    return Planted(
        "team_above_maximum",
        plan.place.code,
        (("街道", street.code), ("执法队", _team_id(plan, street))),
        f"{street.name}'s team has {size} officers, {MAX_TEAM + 1} certified on {CHECK_DAY}",
        "max_certified_staff_per_town_team",
    )


def _delegating_departments(plan: CountyPlan) -> dict[str, set[str]]:
    """Per zone, the departments with a 行政处罚 item delegated (赋权) to one of its streets."""
    rows = rows_by_code(plan)
    zone_of = {s.code: s.zone for s in plan.streets}
    found: dict[str, set[str]] = {z.id: set() for z in plan.zones}
    for (item, street), mode in in_force(plan, CHECK_DAY).items():
        row = rows[item]
        if mode == GRANT and row.template.type == ItemType.PENALTY:
            found[zone_of[street]].add(row.department)
    return found


def _short_pair(
    rng: random.Random, plan: CountyPlan, delegating: dict[str, set[str]]
) -> tuple[Zone, str] | None:
    pairs = [(z, a) for z in plan.zones for a in sorted(delegating[z.id]) if a != "wlj"]
    return rng.choice(pairs) if pairs else None


def _no_reviewer(plan: CountyPlan, zone: Zone) -> Planted:
    return Planted(
        "zone_without_reviewer",
        plan.place.code,
        (("片区", zone.id),),
        f"{zone.name} has no 法制审核人员",
        "min_legal_reviewers_per_zone",
    )


def _short_linked(plan: CountyPlan, zone: Zone, abbr: str) -> Planted:
    department = plan.department_id(abbr)
    return Planted(
        "zone_short_of_linked_officers",
        plan.place.code,
        (("片区", zone.id), ("部门", department)),
        f"{zone.name}: 1 certified officer linked for {department} (policy: 2)",
        "min_certified_linked_officers_per_zone_per_department",
    )


def _small_team(plan: CountyPlan, street: Street) -> Planted:
    return Planted(
        "team_below_minimum",
        plan.place.code,
        (("街道", street.code), ("执法队", _team_id(plan, street))),
        f"{street.name}'s team has 2 officers, one certificate ends {CERTIFICATES_LAPSE}",
        "min_certified_staff_per_town_team",
    )


def _lapsed(plan: CountyPlan, officer: Officer) -> Planted:
    return Planted(
        "lapsed_certificate_in_post",
        plan.place.code,
        (("人员", officer.id),),
        f"{officer.name}'s certificate ended {officer.valid_to}; still posted",
        "certificate_invalid_in_post",
    )
