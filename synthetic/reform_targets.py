"""The reform targets of seed 004 (改革目标) in a synthetic county: its policies, a 权责清单 of the
items departments keep, and the findings `coverage_gaps` must show on CHECK_DAY.

Seed 004 (富阳区“大综合一体化”实施方案): 综合行政执法事项拓展到60% (2021) / 70% (2022) 以上的执法领域,
行政检查事项100%全覆盖, 部门专业执法队伍精简至8支以内. Planted, each kind in the first county and
by chance elsewhere, from a random stream of their own (the county's other files stay as they were):

- retained_domains: the 权责清单 lists a penalty of each department that keeps its own enforcement
  (synthetic.departments.RETAINED): four domains no street holds, so at most 9 of 13 (69 %) are in
  comprehensive enforcement;
- retained_inspection: it lists an inspection of a department whose other items are delegated
  (the domain stays covered, the inspection is not);
- too_many_professional_teams: nine departments are declared 专业执法部门 (the four that keep their
  items, the 消防救援大队 when the county has one, then sector departments).

The findings are worked out from the plan, as the files imply them, not only from what was
planted: an inspection the 2025 list dropped (its department keeps it) is outside comprehensive
enforcement too, and is recorded as such (inspection_dropped_from_list).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from schema.enums import CatalogKind, DepartmentKind, ItemType
from synthetic.basis_cells import basis_cell
from synthetic.catalogs import _write_meta
from synthetic.county_plan import CountyPlan, Row
from synthetic.delegations import in_force, rows_by_code
from synthetic.departments import BY_ABBR, DEPARTMENTS, RETAINED, department_name
from synthetic.item_pool import item_pool
from synthetic.planted import Planted
from synthetic.timeline import CHECK_DAY, LIST_2024

PLANT_CHANCES = {"domains": 0.2, "inspection": 0.2, "teams": 0.2}
MAX_TEAMS = 8  # 部门专业执法队伍精简至8支以内
DOMAIN_SHARE = 0.7  # the 2022 target, in force on CHECK_DAY
REFORM_PROMULGATED = date(2021, 6, 1)
HEADER = ["序号", "事项编码", "事项名称", "事项类型", "实施依据", "原实施部门", "执法领域", "备注"]


@dataclass
class Targets:
    """What a county plants against the reform targets."""

    kept: list[Row] = field(default_factory=list)  # 权责清单 rows: items departments keep
    professional: list[str] = field(default_factory=list)  # abbrs declared 专业执法部门
    planted_kinds: list[str] = field(default_factory=list)

    def departments(self, plan: CountyPlan) -> list[str]:
        """Abbrs of the organisation file's departments: the plan's and the ones planted here."""
        extra = {row.department for row in self.kept} | set(self.professional)
        known = plan.departments()
        return known + [d.abbr for d in DEPARTMENTS if d.abbr in extra and d.abbr not in known]

    def kind(self, abbr: str) -> DepartmentKind:
        return DepartmentKind.PROFESSIONAL if abbr in self.professional else BY_ABBR[abbr].kind


def plan_targets(plan: CountyPlan) -> Targets:
    """Which reform-target findings the county plants, and the 权责清单 rows they need."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:targets")
    wanted = [k for k, p in PLANT_CHANCES.items() if plan.forced or rng.random() < p]
    pool = item_pool(plan.place.province_name, plan.place.province_code)
    used = {row.template.key for row in plan.rows_ever()}
    targets = Targets()
    if "domains" in wanted:
        for abbr in RETAINED:
            penalties = [
                t for t in pool.retained if t.department == abbr and t.type == ItemType.PENALTY
            ]
            targets.kept.append(_kept_row(rng, plan, rng.choice(penalties), "部门保留"))
        targets.planted_kinds.append("retained_domains")
    if "inspection" in wanted and (template := _spare_inspection(rng, plan, pool.regular, used)):
        targets.kept.append(_kept_row(rng, plan, template, "未纳入综合行政执法"))
        targets.planted_kinds.append("retained_inspection")
    if "teams" in wanted:
        own = [a for a in plan.departments() if BY_ABBR[a].domain and a != "cgj"]
        own.sort(key=lambda a: BY_ABBR[a].kind != DepartmentKind.PROFESSIONAL)  # 消防 first
        if len(RETAINED) + len(own) > MAX_TEAMS:
            targets.professional = [*RETAINED, *own][: MAX_TEAMS + 1]
            targets.planted_kinds.append("too_many_professional_teams")
    return targets


def target_plants(plan: CountyPlan, targets: Targets) -> list[Planted]:
    """The reform-target gaps the county's files show on CHECK_DAY (one per rule at most)."""
    county = plan.place.code
    keys = (("区县", county),)
    items = _county_items(plan, targets)
    found = []
    domains: dict[str, bool] = {}
    for _, domain, _, covered in items:
        domains[domain] = domains.get(domain, False) or covered
    share = sum(domains.values()) / len(domains) if domains else 1.0
    if share < DOMAIN_SHARE:
        cause = "retained_domains" if "retained_domains" in targets.planted_kinds else "domains"
        outside = "、".join(sorted(d for d, yes in domains.items() if not yes))
        note = f"{sum(domains.values())}/{len(domains)} domains in comprehensive enforcement; outside: {outside}"
        found.append(Planted(cause, county, keys, note, "min_comprehensive_domain_share"))
    outside = [
        code for code, _, kind, covered in items if kind == ItemType.INSPECTION and not covered
    ]
    if outside:
        kept = {row.code for row in targets.kept}
        cause = "retained_inspection" if kept & set(outside) else "inspection_dropped_from_list"
        note = f"inspections outside comprehensive enforcement: {'、'.join(outside)}"
        found.append(Planted(cause, county, keys, note, "inspection_item_coverage"))
    if len(targets.professional) > MAX_TEAMS:
        note = f"{len(targets.professional)} 专业执法部门: {'、'.join(targets.professional)}"
        found.append(
            Planted("too_many_professional_teams", county, keys, note, "max_professional_teams")
        )
    return found


def write_power_list(folder: Path, plan: CountyPlan, targets: Targets) -> Path | None:
    """The county's 部门行政执法权责清单 of the items its departments keep (none: no file)."""
    if not targets.kept:
        return None
    county = plan.place
    path = folder / f"{county.code}-powers-{LIST_2024.year}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n, row in enumerate(targets.kept, start=1):
            spec = BY_ABBR[row.department]
            name, _ = department_name(county.name, county.city_name, spec)
            writer.writerow(
                [n, row.code, row.template.name, row.template.type.value, row.cell, name,
                 spec.domain or "", row.remark]
            )  # fmt: skip
    meta = {
        "series": f"{county.code}-powers",
        "title": f"{county.name}部门行政执法权责清单",
        "issuer": f"{county.name}人民政府",
        "kind": CatalogKind.POWER_LIST.value,
        "effective": LIST_2024,
        "region": county.code,
    }
    _write_meta(path, meta)
    return path


def reform_document(plan: CountyPlan) -> dict[str, Any]:
    place = plan.place
    return {
        "id": f"{place.code}-REFORM",
        "title": f"{place.name}“大综合一体化”行政执法改革实施方案",
        "rank": "规范性文件",
        "issuer": f"{place.name}人民政府办公室",
        "doc_number": f"{place.short}政办发〔{REFORM_PROMULGATED.year}〕9号",
        "promulgated": REFORM_PROMULGATED,
    }


def target_policies(plan: CountyPlan) -> list[dict[str, Any]]:
    """Seed 004's targets as the county's policies (quoted from the seed)."""
    code, source = plan.place.code, reform_document(plan)["id"]
    rules = (
        ("DOMAINS-2021", "min_comprehensive_domain_share", 0.6, date(2021, 12, 31), date(2022, 12, 30),
         "到2021年底, 综合行政执法事项拓展到60%以上的执法领域",
         "全区综合行政执法事项拓展到60%以上的执法领域"),
        ("DOMAINS-2022", "min_comprehensive_domain_share", DOMAIN_SHARE, date(2022, 12, 31), None,
         "到2022年底, 综合行政执法事项拓展到70%以上的执法领域",
         "综合行政执法事项拓展到70%以上的执法领域"),
        ("INSPECTION", "inspection_item_coverage", 1.0, date(2021, 12, 31), None,
         "行政检查事项100%全覆盖", "行政检查事项100%全覆盖"),
        ("PRO-TEAMS", "max_professional_teams", MAX_TEAMS, date(2021, 12, 31), None,
         "部门专业执法队伍精简至8支以内", "部门专业执法队伍精简至8支以内"),
    )  # fmt: skip
    policies = []
    for key, rule, threshold, valid_from, valid_to, description, quote in rules:
        policy: dict[str, Any] = {"id": f"{code}-P-{key}", "rule": rule, "threshold": threshold}
        policy |= {"description": description, "source": source, "quote": quote}
        policy["valid_from"] = valid_from
        if valid_to is not None:
            policy["valid_to"] = valid_to
        policies.append(policy)
    return policies


def _kept_row(rng: random.Random, plan: CountyPlan, template: Any, remark: str) -> Row:
    pool = item_pool(plan.place.province_name, plan.place.province_code)
    cell = basis_cell(rng, template.cites, pool.laws, plan.cell_style)
    return Row(plan.codes.next(template.department), template, cell, remark, None, None)


def _spare_inspection(
    rng: random.Random, plan: CountyPlan, templates: tuple, used: set[str]
) -> Any | None:
    """An inspection the county's lists never name, of a department with an item in force on
    CHECK_DAY other than the 城管局 (whose items are in comprehensive enforcement anyway)."""
    rows = rows_by_code(plan)
    holders = {rows[item].department for item, _ in in_force(plan, CHECK_DAY)} - {"cgj", "wlj"}
    spare = [
        t
        for t in templates
        if t.department in holders and t.type == ItemType.INSPECTION and t.key not in used
    ]
    return rng.choice(spare) if spare else None


def _county_items(plan: CountyPlan, targets: Targets) -> list[tuple[str, str, ItemType, bool]]:
    """(code, domain, type, in comprehensive enforcement on CHECK_DAY) of every county item: held
    by a street that day, or held by the 综合行政执法部门 (seed 004, queries/gap_checks_rules.py)."""
    held = {item for item, _ in in_force(plan, CHECK_DAY)}
    found = []
    for row in [*plan.rows_ever(), *targets.kept]:
        spec = BY_ABBR[row.department]
        comprehensive = targets.kind(row.department) == DepartmentKind.COMPREHENSIVE
        found.append(
            (row.code, spec.domain or "", row.template.type, row.code in held or comprehensive)
        )
    return found
