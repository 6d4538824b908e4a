"""Cases, transfers and disputes of a synthetic county (案件、移送与管辖争议).

Cases are handled by whoever holds the item that day (a 赋权 street, or the department for a
派驻 town or an item the street does not hold); many arrive by transfer (移送), on time or
overdue against the 3-working-day / 24-hour rule of seed 003. Planted: a case a street handles
after its item was withdrawn (void risk, 行政处罚法 Art. 38), a case worked by an officer whose
certificate lapsed, and a border dispute between two streets of one zone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from schema.enums import CaseStatus, ItemType
from synthetic.county_plan import GRANT, STATION, CountyPlan, Row
from synthetic.delegations import Pairs, in_force, rows_by_code
from synthetic.departments import BY_ABBR
from synthetic.planted import Planted
from synthetic.staffing import Officer, Staffing
from synthetic.timeline import (
    CERTIFICATES_LAPSE,
    CHECK_DAY,
    EVALUATION_FROM,
    LIST_2025,
    WITHDRAWAL,
)

CHINA = timezone(timedelta(hours=8))
FIRST_CASE_DAY = LIST_2025 + timedelta(days=9)
LAST_CASE_DAY = date(2025, 8, 25)
KINDS = (("handled", 4), ("to_street", 3), ("to_department", 2), ("station", 1))


@dataclass
class Casework:
    cases: list[dict] = field(default_factory=list)
    disputes: list[dict] = field(default_factory=list)
    transfers: list[dict] = field(default_factory=list)  # id, case, expected verdict
    planted: list[Planted] = field(default_factory=list)


def county_cases(plan: CountyPlan, staffing: Staffing) -> Casework:
    """About one case for every two streets, plus the planted ones."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:cases")
    work = _Desk(plan, staffing, rng)
    for n in range(max(3, len(plan.streets) // 2)):
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        # The first county opens with a late transfer, so small runs plant one too.
        work.case("to_street" if plan.forced and n == 0 else kind, _day(rng))
    if plan.withdrawn:
        work.void_risk_case()
    work.uncertified_officer_case()
    if plan.forced or rng.random() < 0.1:
        work.dispute()
    work.evaluation_uses()
    return work.result


def _day(rng: random.Random) -> date:
    return FIRST_CASE_DAY + timedelta(days=rng.randrange((LAST_CASE_DAY - FIRST_CASE_DAY).days))


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)


class _Desk:
    """Writes cases into a Casework, numbering cases and transfers."""

    def __init__(self, plan: CountyPlan, staffing: Staffing, rng: random.Random) -> None:
        self.plan, self.staffing, self.rng = plan, staffing, rng
        self.rows = rows_by_code(plan)
        self.result = Casework()
        self._events = [v.effective for v in plan.versions] + [n.effective for n in plan.notices()]
        self._states: dict[tuple[bool, ...], Pairs] = {}

    def delegations(self, day: date) -> Pairs:
        """In force on `day`; days between two catalog events share one computation."""
        state = tuple(d <= day for d in self._events)
        if state not in self._states:
            self._states[state] = in_force(self.plan, day)
        return self._states[state]

    def penalties(self, pairs: Pairs) -> Pairs:
        """Cases concern penalties (行政处罚), not inspections or coercive measures."""
        return {p: m for p, m in pairs.items() if self.rows[p[0]].template.type == ItemType.PENALTY}

    def case(self, kind: str, day: date) -> None:
        pairs = self.penalties(self.delegations(day))
        grants = sorted(p for p, mode in pairs.items() if mode == GRANT)
        stations = sorted(p for p, mode in pairs.items() if mode == STATION)
        if kind == "station" and stations:
            item, street = self.rng.choice(stations)
            self._record(item, street, day, self.plan.department_id(self.rows[item].department))
        elif kind == "to_department" and (pair := self._not_held(pairs)):
            self._transferred(*pair, day, to_department=True)
        elif grants and kind == "to_street":
            self._transferred(*self.rng.choice(grants), day, to_department=False)
        elif grants:
            item, street = self.rng.choice(grants)
            self._record(item, street, day, street, officers=self._certified(street, day))

    def void_risk_case(self) -> None:
        assert self.plan.withdrawn is not None
        item, street = self.plan.withdrawn
        day = WITHDRAWAL + timedelta(days=19)
        case = self._record(item, street, day, street, officers=self._certified(street, day))
        self.result.planted.append(
            Planted(
                "void_risk_case",
                self.plan.place.code,
                (("案件", case["id"]),),
                f"{street} handles {item} on {day}, after the withdrawal of {WITHDRAWAL} "
                "(行政处罚法 Art. 38)",
            )
        )

    def uncertified_officer_case(self) -> None:
        day = CERTIFICATES_LAPSE + timedelta(days=36)
        grants = self.penalties(self.delegations(day))
        for street, members in self.staffing.teams.items():
            lapsed = [m for m in members if m.lapsed]
            items = sorted(i for (i, s), mode in grants.items() if s == street and mode == GRANT)
            if not lapsed or not items:
                continue
            officers = [lapsed[0].id, *self._certified(street, day)[:1]]
            case = self._record(self.rng.choice(items), street, day, street, officers=officers)
            self.result.planted.append(
                Planted(
                    "uncertified_officer_case",
                    self.plan.place.code,
                    (("案件", case["id"]), ("人员", lapsed[0].id)),
                    f"{lapsed[0].name} works case {case['id']} on {day}; certificate ended "
                    f"{lapsed[0].valid_to}",
                )
            )
            return

    def dispute(self) -> None:
        """Two 赋权 streets of one zone both claim a case on their border (Art. 25)."""
        day = date(2025, 5, 12)
        grants = self.penalties(self.delegations(day))
        for zone in self.plan.zones:
            holders: dict[str, list[str]] = {}
            for (item, street), mode in sorted(grants.items()):
                if mode == GRANT and street in zone.streets:
                    holders.setdefault(item, []).append(street)
            shared = [(i, s) for i, s in holders.items() if len(s) >= 2]
            if shared:
                item, streets = shared[0]
                self._border_dispute(item, streets[0], streets[1], day)
                return

    def evaluation_uses(self) -> None:
        """The evaluation's planted pairs (赋权事项评估 over EVALUATION_FROM–CHECK_DAY): a used item
        of the street whose team lacks its domain (加强承接力量), a used item elsewhere (保留), and an
        item × street no case ever concerns (建议评估收回). Cases are filed near the year's end, from a
        stream of their own, after every other case."""
        rng = random.Random(f"{self.plan.seed}:{self.plan.place.code}:evaluation")
        start = self.delegations(EVALUATION_FROM)
        through = sorted(
            pair
            for pair, mode in self.penalties(self.delegations(CHECK_DAY)).items()
            if pair in start and mode != STATION
        )
        thin = self.staffing.thin_domain
        short = [p for p in through if thin and p[1] == thin[0] and self._domain(p[0]) == thin[1]]
        if short:
            self._used(rng.choice(short), "evaluation_support", "its team holds no certificate of "
                       f"{thin[1] if thin else ''}: one linked officer of the domain")  # fmt: skip
        capable = [p for p in through if p not in short]
        if capable:
            self._used(rng.choice(capable), "evaluation_keep", "used, two or more officers")
        cased = {(c["item"], c["occurred_in"]) for c in self.result.cases}
        idle = [p for p in through if p not in cased]
        if idle:
            item, street = rng.choice(idle)
            self.result.planted.append(
                Planted(
                    "evaluation_return",
                    self.plan.place.code,
                    (("事项", item), ("街道", street)),
                    f"no case of {item} in {street} since it was delegated",
                )
            )

    def _used(self, pair: tuple[str, str], kind: str, note: str) -> None:
        item, street = pair
        day = LAST_CASE_DAY - timedelta(days=len(self.result.cases) % 20)
        case = self._record(item, street, day, street, officers=self._certified(street, day))
        self.result.planted.append(
            Planted(
                kind,
                self.plan.place.code,
                (("事项", item), ("街道", street)),
                f"case {case['id']} filed {day + timedelta(days=1)}; {note}",
            )
        )

    def _domain(self, item: str) -> str:
        return BY_ABBR[self.rows[item].department].domain or ""

    # -- building blocks --------------------------------------------------------------------

    def _record(
        self,
        item: str,
        street: str,
        day: date,
        handler: str | None,
        *,
        officers: list[str] | None = None,
        transfers: list[dict] | None = None,
        status: CaseStatus | None = None,
    ) -> dict:
        row = self.rows[item]
        number = len(self.result.cases) + 1
        case = {
            "id": f"{self.plan.place.code}-{day.year}-{number:04d}",
            "item": item,
            "occurred_in": street,
            "occurred_on": day,
        }
        if handler:
            case["filed_at"] = _at(day + timedelta(days=1), 9)
            case["handled_by"] = handler
        if officers:
            case["officers"] = officers
        case["status"] = (status or self.rng.choice((CaseStatus.FILED, CaseStatus.CLOSED))).value
        case["summary"] = f"{self.plan.street(street).name}辖区发现{_violation(row)}"
        if transfers:
            case["transfers"] = transfers
        self.result.cases.append(case)
        return case

    def _transferred(self, item: str, street: str, day: date, *, to_department: bool) -> None:
        department = self.plan.department_id(self.rows[item].department)
        sender, receiver = (street, department) if to_department else (department, street)
        urgent = self.rng.random() < 0.2
        late = self.rng.random() < 0.3 or (self.plan.forced and not self.result.transfers)
        sent = _at(day, 10)
        if urgent:
            received = sent + timedelta(hours=30 if late else 6)
        else:
            received = sent + (timedelta(days=20) if late else timedelta(hours=5))
        transfer_id = f"{self.plan.place.code}-T-{len(self.result.transfers) + 1:04d}"
        transfer = {"id": transfer_id, "from": sender, "to": receiver, "sent_at": sent}
        transfer["received_at"] = received
        if urgent:
            transfer["urgent"] = True
        transfer["reason"] = (
            "不属于赋权事项" if to_department else "属于赋权乡镇(街道)管辖的违法行为"
        )
        handler = receiver
        officers = None if to_department else self._certified(street, received.date())
        case = self._record(item, street, day, handler, officers=officers, transfers=[transfer])
        self.result.transfers.append(
            {"id": transfer_id, "case": case["id"], "verdict": "overdue" if late else "on_time"}
        )
        if late:
            self.result.planted.append(
                Planted(
                    "overdue_transfer",
                    self.plan.place.code,
                    (("移送", transfer_id),),
                    f"received {'30 hours' if urgent else '20 days'} after it was sent",
                )
            )

    def _not_held(self, pairs: Pairs) -> tuple[str, str] | None:
        """An item of the county that a 赋权 street does not hold that day (dropped, withdrawn)."""
        streets = [s.code for s in self.plan.streets if s.mode != STATION]
        missing = [
            (row.code, street)
            for row in self.rows.values()
            if row.template.type == ItemType.PENALTY
            for street in streets
            if (row.code, street) not in pairs
        ]
        return self.rng.choice(sorted(missing)) if missing else None

    def _certified(self, street: str, day: date) -> list[str]:
        members: list[Officer] = self.staffing.teams.get(street, [])
        return [m.id for m in members if m.valid_from <= day <= m.valid_to][:2]

    def _border_dispute(self, item: str, first: str, second: str, day: date) -> None:
        case = self._record(item, first, day, None, status=CaseStatus.LEAD)
        dispute_id = f"{self.plan.place.code}-D-01"
        self.result.disputes.append(
            {
                "id": dispute_id,
                "case": case["id"],
                "raised_at": _at(day + timedelta(days=2), 10),
                "claimants": [
                    {"body": first, "stance": "claims"},
                    {"body": second, "stance": "claims"},
                ],
                "resolved_by": self.plan.department_id("cgj"),
            }
        )
        self.result.planted.append(
            Planted(
                "border_dispute",
                self.plan.place.code,
                (("争议", dispute_id), ("案件", case["id"])),
                f"{first} and {second} both hold {item} on {day} and both claim the case",
            )
        )


def _violation(row: Row) -> str:
    name = row.template.name.removeprefix("对")
    for ending in ("的处罚", "的行政检查", "的查封、扣押"):
        name = name.removesuffix(ending)
    return name
