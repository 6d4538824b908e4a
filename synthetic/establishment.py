"""The staffing establishment of a synthetic county (核定编制): the 编办's approvals, with planted
findings for `authreg query staffing` (queries/staffing.py).

Every street team is approved 2 posts a year before the first list; on each day its street takes
over 赋权 items, an approval raises them by one (编随事走), and each delegating department is
reduced by one. Planted: one street whose posts never move (a finding for each day its items
moved that the check judges on CHECK_DAY), one department never reduced (likewise), and one team
with one person in post more than its posts (超编). Delegated domains without a certified officer
are planted by the catalogs (synthetic.expected, uncovered_domain).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from queries.staffing import staffing_rules
from synthetic.county_plan import GRANT, CountyPlan
from synthetic.delegations import in_force, rows_by_code
from synthetic.planted import Planted
from synthetic.staffing import Staffing
from synthetic.timeline import CHECK_DAY, FIRST_LIST
from synthetic.yaml_text import document

FIRST_APPROVAL = date(FIRST_LIST.year - 1, FIRST_LIST.month, FIRST_LIST.day)
OVER_DAY = CHECK_DAY - timedelta(days=31)  # the planted 超编: a head count reported then
TEAM_POSTS, DEPARTMENT_POSTS = 2, 40
PLANT_CHANCE = 0.4  # per kind, in counties other than the first (which plants every kind)


@dataclass
class _Approvals:
    """Rows per approval day: unit or department id → (posts, in post)."""

    rows: dict[date, dict[str, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))

    def set(self, day: date, body: str, posts: int, actual: int) -> None:
        self.rows[day][body] = (posts, actual)


def write_establishment(
    folder: Path, plan: CountyPlan, staffing: Staffing
) -> tuple[Path | None, list[Planted]]:
    """establishment.yaml for the county, and the findings it plants (none without 赋权 items)."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:establishment")
    street_days, department_days = item_moves(plan)
    if not street_days:
        return None, []
    teams = {u.part_of: u.id for u in staffing.units if u.part_of in street_days}
    planted_kinds = [
        k for k in ("street", "department", "over") if plan.forced or rng.random() < PLANT_CHANCE
    ]
    frozen_street = rng.choice(sorted(street_days)) if "street" in planted_kinds else None
    frozen_department = (
        rng.choice(sorted(department_days)) if "department" in planted_kinds else None
    )
    over_team = teams[rng.choice(sorted(teams))] if "over" in planted_kinds else None
    approvals = _Approvals()
    for street, days in sorted(street_days.items()):
        posts = TEAM_POSTS
        approvals.set(FIRST_APPROVAL, teams[street], posts, posts - 1)
        for day in days if street != frozen_street else []:
            posts += 1
            approvals.set(day, teams[street], posts, posts - 1)
        if teams[street] == over_team:
            approvals.set(OVER_DAY, teams[street], posts, posts + 1)
    for department, days in sorted(department_days.items()):
        posts = DEPARTMENT_POSTS
        approvals.set(FIRST_APPROVAL, department, posts, posts)
        for day in days if department != frozen_department else []:
            posts -= 1
            approvals.set(day, department, posts, posts)
    path = folder / "establishment.yaml"
    path.write_text(_text(plan, approvals), encoding="utf-8")
    planted = _street_plants(plan, frozen_street, street_days)
    planted += _department_plants(plan, frozen_department, department_days)
    if over_team is not None:
        note = f"{over_team}: one person in post more than its approved posts"
        planted.append(
            Planted("over_establishment", plan.place.code, (("执法队", over_team),), note)
        )
    return path, planted


def item_moves(plan: CountyPlan) -> tuple[dict[str, list[date]], dict[str, list[date]]]:
    """The days each street (and each delegating department) had 赋权 items move, as
    queries/staffing_item_moves.cypher sees them: a pair in force that was not the day before."""
    rows = rows_by_code(plan)
    days = sorted({v.effective for v in plan.versions} | {n.effective for n in plan.notices()})
    streets: dict[str, set[date]] = defaultdict(set)
    departments: dict[str, set[date]] = defaultdict(set)
    for day in (d for d in days if d <= CHECK_DAY):
        before = in_force(plan, day - timedelta(days=1))
        for (item, street), mode in in_force(plan, day).items():
            if mode == GRANT and (item, street) not in before:
                streets[street].add(day)
                departments[plan.department_id(rows[item].department)].add(day)
    return (
        {k: sorted(v) for k, v in streets.items()},
        {k: sorted(v) for k, v in departments.items()},
    )


def judged(day: date) -> bool:
    """Whether the 编随事走 window after `day` has closed by CHECK_DAY (staffing_rules.yaml)."""
    return day + timedelta(days=staffing_rules()["posts_follow_items"]["follow_days"]) <= CHECK_DAY


def _street_plants(
    plan: CountyPlan, street: str | None, street_days: dict[str, list[date]]
) -> list[Planted]:
    if street is None:
        return []
    return [
        Planted(
            "posts_not_moved_to_street",
            plan.place.code,
            (("街道", street), ("日", day.isoformat())),
            f"{street}'s team keeps {TEAM_POSTS} posts after its items of {day}",
        )
        for day in street_days[street]
        if judged(day)
    ]


def _department_plants(
    plan: CountyPlan, department: str | None, department_days: dict[str, list[date]]
) -> list[Planted]:
    if department is None:
        return []
    return [
        Planted(
            "department_posts_not_reduced",
            plan.place.code,
            (("部门", department), ("日", day.isoformat())),
            f"{department} keeps {DEPARTMENT_POSTS} posts after delegating items on {day}",
        )
        for day in department_days[department]
        if judged(day)
    ]


def _text(plan: CountyPlan, approvals: _Approvals) -> str:
    county = plan.place
    body = {
        "kind": "staffing",
        "region": county.code,
        "approvals": [
            {
                "文件": f"关于{county.name}综合行政执法机构编制事项的批复",
                "文号": f"{county.short}编〔{day.year}〕{n}号",
                "发文机关": f"{county.name}委机构编制委员会办公室",
                "日期": day,
                "核定": [
                    {"单位": body, "事业编制": posts, "实有人数": actual, "协管人员": 2}
                    for body, (posts, actual) in sorted(rows.items())
                ],
            }
            for n, (day, rows) in enumerate(sorted(approvals.rows.items()), start=1)
        ],
    }
    comments = [
        f"{county.name} 核定编制 — SYNTHETIC data written by `authreg synth`; every number is invented.",
        "Planted staffing findings are listed in the README.md at the top of the dataset.",
    ]
    return document(comments, body)
