"""A synthetic county's zone joint-enforcement item list (片区联合执法基础事项清单, seed 000 四(二)).

Three items the 2024 and 2025 lists both hold (the 2025 list, loaded after, defines them again
as they were), each with its 牵头部门; the 城管局 — the body the county's policy ZONE-LIST names —
approves them in the list's metadata. In the first county one item is proposed and never
approved: the planted `zone_item_list_approver` gap of the list on CHECK_DAY.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schema.enums import CatalogKind
from synthetic.catalogs import _write_csv, _write_meta
from synthetic.county_plan import CountyPlan, Row
from synthetic.departments import BY_ABBR, department_name
from synthetic.planted import Planted
from synthetic.timeline import LIST_2024, ZONE_LIST, ZONE_LIST_APPROVED, ZONE_LIST_PROPOSED

HEADER = [
    "序号",
    "事项编码",
    "事项名称",
    "事项类型",
    "实施依据",
    "原实施部门",
    "执法领域",
    "牵头部门",
]
ITEMS = 3


def write_zone_list(folder: Path, plan: CountyPlan) -> tuple[list[Path], list[Planted]]:
    """The list and its metadata (none when the lists share too few items); what it plants."""
    rows = _rows(plan)
    if len(rows) < 2:
        return [], []
    county = plan.place.code
    path = folder / f"{county}-zone-list-{ZONE_LIST.year}.csv"
    cells = [HEADER] + [_cells(plan, n, row) for n, row in enumerate(rows, start=1)]
    _write_csv(path, cells, "utf-8", None)
    unapproved = rows[-1] if plan.forced else None
    meta: dict[str, Any] = {
        "series": f"{county}-zone-list",
        "title": f"{plan.place.name}片区联合执法基础事项清单",
        "issuer": department_name(plan.place.name, plan.place.city_name, BY_ABBR["cgj"])[0],
        "kind": CatalogKind.ZONE_LIST.value,
        "effective": ZONE_LIST,
        "published": ZONE_LIST,
        "region": county,
        "zone_list": {
            "proposed": ZONE_LIST_PROPOSED,
            "approved_by": plan.department_id("cgj"),
            "approved": ZONE_LIST_APPROVED,
            "approved_items": [r.code for r in rows if r is not unapproved],
        },
    }
    _write_meta(path, meta)
    if unapproved is None:
        return [path], []
    catalog = f"{county}-zone-list@{ZONE_LIST.isoformat()}"
    note = f"{unapproved.code} proposed for the zone list, never approved by the 城管局"
    planted = Planted(
        "zone_item_not_approved",
        county,
        (("目录", catalog),),
        note,
        "zone_item_list_approver",
    )
    return [path], [planted]


def _rows(plan: CountyPlan) -> list[Row]:
    """Unplanted rows of the 2024 list the newest list keeps, one per department first."""
    newest = {row.code for row in plan.versions[-1].rows}
    of_2024 = next(v for v in plan.versions if v.effective == LIST_2024)
    kept = [r for r in of_2024.rows if r.code in newest and not r.planted]
    by_department: dict[str, Row] = {}
    for row in kept:
        by_department.setdefault(row.department, row)
    chosen = list(by_department.values())[:ITEMS]
    return chosen + [r for r in kept if r not in chosen][: ITEMS - len(chosen)]


def _cells(plan: CountyPlan, number: int, row: Row) -> list[str]:
    department = department_name(plan.place.name, plan.place.city_name, BY_ABBR[row.department])
    return [
        str(number),
        row.code,
        row.template.name,
        row.template.type.value,
        row.cell,
        department[0],
        BY_ABBR[row.department].domain or "",
        department[0],  # 主管部门牵头并对联合执法结果负责
    ]
