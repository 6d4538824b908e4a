"""Which delegations a county's files put in force on a day (赋权状态), computed as the loader does.

The newest list version in force lists (item, street) pairs; a 派驻 street takes them in 派驻
mode whatever the list says; then notices in date order: 收回 ends pairs, 新增 starts pairs not
already in force. Tests compare these counts with the loaded graph.
"""

from __future__ import annotations

from datetime import date

from synthetic.county_plan import END, STATION, CountyPlan, Row

Pairs = dict[tuple[str, str], str]  # (item code, street code) → mode


def in_force(plan: CountyPlan, day: date) -> Pairs:
    """Every delegation of the county in force on `day`, with its mode."""
    pairs: Pairs = {}
    modes = {s.code: mode_of(plan, s.code) for s in plan.streets}
    versions = [v for v in plan.versions if v.effective <= day]
    if versions:
        for row in versions[-1].rows:
            for street in targets(plan, row.streets):
                pairs[(row.code, street)] = modes[street]
    for notice in sorted(plan.notices(), key=lambda n: n.effective):
        if notice.effective > day:
            continue
        for action, row, streets in notice.rows:
            for street in targets(plan, streets):
                if action == END:
                    pairs.pop((row.code, street), None)
                else:
                    pairs.setdefault((row.code, street), modes[street])
    return pairs


def targets(plan: CountyPlan, streets: tuple[str, ...] | None) -> list[str]:
    return list(streets) if streets is not None else [s.code for s in plan.streets]


def mode_of(plan: CountyPlan, street: str) -> str:
    return STATION if plan.street(street).mode == STATION else plan.mode


def rows_by_code(plan: CountyPlan) -> dict[str, Row]:
    return {row.code: row for row in plan.rows_ever()}
