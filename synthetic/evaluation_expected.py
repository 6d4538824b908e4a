"""What `evaluation` (赋权事项评估, queries/evaluation.py) must answer for a synthetic county over
EVALUATION_FROM–CHECK_DAY, worked out from how the county was made.

Every item × street in force some day of the year gets one recommendation:
- 已收回或交回 (ended): not in force on CHECK_DAY (dropped by the 2025 list, or a notice);
- 建议评估收回 (return): in force on CHECK_DAY and no case of the street's for N months (the
  county's evaluation_unused_months), counted from its last case, or from the day it was first
  delegated. The synthetic counties file about one case per two streets, so besides the planted
  pair (casework: evaluation_return) every pair delegated before the year began and never used is
  here too, legitimately: that is the rule, and the test asserts it;
- 加强承接力量 (support): not idle, and fewer than two certified officers of its domain on a day
  in force. By construction every domain has at least two in every street (two or three linked
  per zone, one for the short zone, plus the street's own team, all certified the whole year)
  except the planted thin domain (synthetic.staffing: the team holds none, one linked officer)
  and 文化市场, which no officer covers (its only item, an inspection, is never used: returned).
  So support holds the thin domain's pairs of that street that are not idle: the planted used
  one (casework: evaluation_support), and any other a routine case used or the 2025 lists
  delegated less than N months before the end;
- 保留 (keep): the rest.

A case is the street's, as the evaluation counts it: it occurred in the street, concerns the item,
was filed (or, unfiled, occurred) on a day the pair was in force, and for 赋权/委托 was handled by
the street or by nobody recorded (派驻: by anyone).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from synthetic.county_plan import STATION, CountyPlan
from synthetic.delegations import Pairs, in_force, rows_by_code
from synthetic.departments import BY_ABBR, UNCOVERED_DOMAIN_DEPARTMENT
from synthetic.staffing import Staffing
from synthetic.timeline import CHECK_DAY, EVALUATION_FROM

Pair = tuple[str, str]  # (item code, street code)


def expected_evaluation(
    plan: CountyPlan, staffing: Staffing, cases: list[dict[str, Any]], unused_months: int
) -> dict[str, Any]:
    """{from, to, unused_months, thin, keep, support, return, ended}: sorted [item, street] lists;
    `thin` the planted [street, domain] short of officers (support holds only its pairs)."""
    states = _States(plan)
    first = states.first_days()
    at_end = states.on(CHECK_DAY)
    last_case = _last_cases(states, cases)
    thin = staffing.thin_domain
    uncovered = BY_ABBR[UNCOVERED_DOMAIN_DEPARTMENT].domain
    rows = rows_by_code(plan)
    found: dict[str, list[list[str]]] = {"keep": [], "support": [], "return": [], "ended": []}
    for pair, since in sorted(first.items()):
        item, street = pair
        if pair not in at_end:
            found["ended"].append([item, street])
            continue
        used = max(d for d in (since, last_case.get(pair)) if d is not None)
        domain = BY_ABBR[rows[item].department].domain
        short = domain == uncovered or (thin is not None and (street, domain) == thin[:2])
        if _months_between(used, CHECK_DAY) >= unused_months:
            found["return"].append([item, street])
        elif short:
            found["support"].append([item, street])
        else:
            found["keep"].append([item, street])
    return {
        "from": EVALUATION_FROM.isoformat(),
        "to": CHECK_DAY.isoformat(),
        "unused_months": unused_months,
        "thin": list(thin[:2]) if thin else None,  # (street, domain) short of officers
        **found,
    }


class _States:
    """The county's delegations in force, day by day: they change only on its catalog days."""

    def __init__(self, plan: CountyPlan) -> None:
        self.plan = plan
        self.days = sorted(
            {v.effective for v in plan.versions} | {n.effective for n in plan.notices()}
        )
        self._cache: dict[date, Pairs] = {}

    def on(self, day: date) -> Pairs:
        key = max((d for d in self.days if d <= day), default=date.min)
        if key not in self._cache:
            self._cache[key] = in_force(self.plan, day)
        return self._cache[key]

    def first_days(self) -> dict[Pair, date]:
        """Each pair in force some day of the year → the first day of its run of days in force
        (the first run that reaches into the year)."""
        runs: dict[Pair, date] = {}
        found: dict[Pair, date] = {}
        for day in sorted({d for d in self.days if d <= CHECK_DAY} | {EVALUATION_FROM}):
            runs = {pair: runs.get(pair, day) for pair in self.on(day)}
            if day >= EVALUATION_FROM:
                for pair, since in runs.items():
                    found.setdefault(pair, since)
        return found


def _last_cases(states: _States, cases: list[dict[str, Any]]) -> dict[Pair, date]:
    found: dict[Pair, date] = {}
    for case in cases:
        filed = case.get("filed_at")
        day = filed.date() if isinstance(filed, datetime) else case["occurred_on"]
        pair = (case["item"], case["occurred_in"])
        mode = states.on(day).get(pair)
        if day > CHECK_DAY or mode is None:
            continue
        handler = case.get("handled_by")
        if mode == STATION or handler is None or handler == pair[1]:
            found[pair] = max(found.get(pair, day), day)
    return found


def _months_between(since: date, end: date) -> int:
    """Whole months from `since` to `end`, as the evaluation counts them (2024-01-15 → 2024-03-14: 1)."""
    months = (end.year - since.year) * 12 + end.month - since.month
    return months - (1 if end.day < since.day else 0)
