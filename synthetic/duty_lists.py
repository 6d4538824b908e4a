"""A synthetic county's 属地管理事项责任清单 (seed 002 四、三) and the gaps it plants (权责一致).

Matters are drawn from the items of the list in force on CHECK_DAY: the town leads (主体责任) some
and assists (配合责任) others; the county department of the item takes the other role. A town that
leads a matter without the item delegated to it by 赋权 or 委托 on CHECK_DAY (a 派驻 town, a street
the withdrawal notice took the item from, a per-row list that leaves it out) is a planted
`duty_lead_without_delegation` gap, computed from the files as the loader reads them
(synthetic.delegations).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from synthetic.county_plan import ENTRUST, GRANT, CountyPlan, Row
from synthetic.delegations import in_force, rows_by_code
from synthetic.departments import BY_ABBR, department_name
from synthetic.planted import Planted
from synthetic.timeline import CHECK_DAY, LIST_2025
from synthetic.yaml_text import document

RULE = "duty_lead_without_delegation"
HEADERS = ["序号", "事项名称", "乡镇(街道)责任", "乡镇(街道)具体职责", "县级部门", "县级部门职责",
           "对应执法事项", "依据"]  # fmt: skip
LEAD, ASSIST = "主体责任", "配合责任"
MATTERS = 6  # at most, per county


def write_duty_list(folder: Path, plan: CountyPlan) -> tuple[Path | None, list[Planted]]:
    """The county's duty list (CSV + .meta.yaml) and the gaps it plants on CHECK_DAY."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:duties")
    rows = _matter_rows(plan, rng)
    if not rows:
        return None, []
    path = folder / f"{plan.place.code}-duties.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for number, (row, role) in enumerate(rows, start=1):
            writer.writerow(_cells(plan, number, row, role))
    meta = {
        "kind": "属地管理事项责任清单",
        "series": f"{plan.place.code}-duties",
        "title": f"{plan.place.name}乡镇(街道)属地管理事项责任清单",
        "issuer": f"{plan.place.name}委编办",
        "effective": LIST_2025,
        "region": plan.place.code,
        "streets": "all",
    }
    comment = (
        "Synthetic duty list written by `authreg synth` (seed 002 四、三); the list is invented."
    )
    path.with_name(path.stem + ".meta.yaml").write_text(document([comment], meta), encoding="utf-8")
    return path, _planted(plan, rows)


def _matter_rows(plan: CountyPlan, rng: random.Random) -> list[tuple[Row, str]]:
    """Items of the version in force on CHECK_DAY, the town leading the first half; the item the
    withdrawal notice takes from one street leads too, so every county with one plants a gap."""
    current = [v for v in plan.versions if v.effective <= CHECK_DAY]
    if not current:
        return []
    rows = list(current[-1].rows)
    rng.shuffle(rows)
    chosen = rows[:MATTERS]
    if plan.withdrawn is not None:
        withdrawn = rows_by_code(plan)[plan.withdrawn[0]]
        chosen = [withdrawn, *(r for r in chosen if r.code != withdrawn.code)][:MATTERS]
    half = (len(chosen) + 1) // 2
    return [(row, LEAD if n < half else ASSIST) for n, row in enumerate(chosen)]


def _cells(plan: CountyPlan, number: int, row: Row, role: str) -> list[str]:
    spec = BY_ABBR[row.department]
    department, _ = department_name(plan.place.name, plan.place.city_name, spec)
    town = "负责日常巡查, 发现违法行为及时制止" + (
        "并依法查处" if role == LEAD else "并报告县级部门"
    )
    county = "负责业务指导和执法监督" if role == LEAD else "负责立案查处和专业认定"
    name = row.template.name.removeprefix("对").removesuffix("的处罚").removesuffix("的检查")
    return [str(number), f"{name}的巡查与处置", role, town, department, county, row.code, row.cell]


def _planted(plan: CountyPlan, rows: list[tuple[Row, str]]) -> list[Planted]:
    acting = {pair for pair, mode in in_force(plan, CHECK_DAY).items() if mode in (GRANT, ENTRUST)}
    return [
        Planted(
            "duty_lead_without_delegation",
            plan.place.code,
            (("街道", street.code), ("事项", row.code)),
            f"{street.code} leads {row.code} by the duty list but does not hold it on {CHECK_DAY}",
            RULE,
        )
        for row, role in rows
        if role == LEAD
        for street in plan.streets
        if (row.code, street.code) not in acting
    ]
