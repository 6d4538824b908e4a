"""A county's organisation.yaml (组织机构数据) as loaders/organisation.py reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synthetic.county_plan import CountyPlan
from synthetic.departments import BY_ABBR, CATEGORIES, department_name
from synthetic.item_pool import item_pool
from synthetic.reform_targets import Targets, reform_document, target_policies
from synthetic.staffing import Officer, Staffing
from synthetic.timeline import LIST_2024
from synthetic.yaml_text import document

REPEALED_PLANT = "repealed_basis"
UNUSED_MONTHS = (
    12  # evaluation_unused_months: 零办件 this long → 建议评估收回 (queries/evaluation.py)
)


def write_organisation(
    folder: Path, plan: CountyPlan, staffing: Staffing, targets: Targets | None = None
) -> Path:
    path = folder / "organisation.yaml"
    comments = [
        f"{plan.place.name} ({plan.place.city_name}, {plan.place.province_name}) — SYNTHETIC data "
        "written by `authreg synth`: every name, code and person is invented.",
        "See the README.md at the top of the dataset for the gaps planted on purpose.",
    ]
    body = organisation(plan, staffing, targets or Targets())
    path.write_text(document(comments, body), encoding="utf-8")
    return path


def organisation(plan: CountyPlan, staffing: Staffing, targets: Targets) -> dict[str, Any]:
    place = plan.place
    return {
        "kind": "organisation",
        "region": {
            "code": place.code,
            "name": place.name,
            "level": "county",
            "parent": {
                "code": place.city_code,
                "name": place.city_name,
                "level": "city",
                "parent": {
                    "code": place.province_code,
                    "name": place.province_name,
                    "level": "province",
                },
            },
        },
        "documents": _documents(plan),
        "departments": _departments(plan, targets),
        "streets": [
            {"code": s.code, "name": s.name, "kind": s.kind, "mode": s.mode} for s in plan.streets
        ],
        "units": [
            {"id": u.id, "name": u.name, "kind": u.kind.value, "part_of": u.part_of}
            | ({"joint_meetings": u.joint_meetings} if u.joint_meetings else {})
            for u in staffing.units
        ],
        "zones": [
            {
                "id": z.id,
                "name": z.name,
                "streets": z.streets,
                "coordinated_by": f"{place.code}-u-zd{n:02d}",
                "valid_from": LIST_2024,
            }
            for n, z in enumerate(plan.zones, start=1)
        ],
        "categories": [
            {"id": f"{place.code}-CAT-{key}", "name": name, "led_by": plan.department_id(abbr)}
            for key, name, abbr in CATEGORIES
        ],
        "officers": [_officer(plan, o) for o in staffing.officers],
        "policies": _policies(plan) + target_policies(plan),
    }


def plan_document_id(plan: CountyPlan) -> str:
    return f"{plan.place.code}-PLAN"


def _documents(plan: CountyPlan) -> list[dict[str, Any]]:
    place = plan.place
    found: list[dict[str, Any]] = [
        {
            "id": plan_document_id(plan),
            "title": f"{place.name}乡镇（街道）片区联合执法工作方案",
            "rank": "规范性文件",
            "issuer": f"{place.name}人民政府办公室",
            "doc_number": f"{place.short}政办〔2024〕1号",
            "promulgated": LIST_2024,
        },
        reform_document(plan),  # seed 004's targets (synthetic.reform_targets)
    ]
    if REPEALED_PLANT in plan.planted_rows:  # the county records that its basis was repealed
        pool = item_pool(place.province_name, place.province_code)
        cited = pool.law(plan.planted_rows[REPEALED_PLANT].template.cites[0].law)
        replacement = pool.law(cited.repealed_by or "")
        found.append(
            {
                "title": cited.title,
                "rank": cited.rank.value,
                "status": "已废止",
                "effective_to": cited.repealed_on,
                "repealed_by": replacement.title,
            }
        )
    return found


def _departments(plan: CountyPlan, targets: Targets) -> list[dict[str, Any]]:
    found = []
    for abbr in targets.departments(plan):
        spec = BY_ABBR[abbr]
        name, aliases = department_name(plan.place.name, plan.place.city_name, spec)
        kind = targets.kind(abbr)
        entry: dict[str, Any] = {"id": plan.department_id(abbr), "name": name, "kind": kind}
        if aliases:
            entry["aliases"] = aliases
        found.append(entry)
    return found


def _officer(plan: CountyPlan, officer: Officer) -> dict[str, Any]:
    return {
        "id": officer.id,
        "name": officer.name,
        "unit": officer.unit,
        "certificate_issuer": f"{plan.place.name}人民政府",
        "valid_from": officer.valid_from,
        "valid_to": officer.valid_to,
        "domains": officer.domains,
        "roles": [role.value for role in officer.roles],
        "postings": [{**p, "mode": p["mode"].value} for p in officer.postings],
    }


def _policies(plan: CountyPlan) -> list[dict[str, Any]]:
    """The zone rules of seed 000, the team size of seed 004, the transfer deadlines and quarterly
    meetings of seed 003, no re-delegation of seed 001, the evaluation's 零办件 months (as the
    sample's LC-P-EVALUATION, a setting: no seed names a number)."""
    source = plan_document_id(plan)
    code = plan.place.code
    rules = (
        ("REVIEWER", "min_legal_reviewers_per_zone", 1, None,
         "每个联合执法片区至少确定一名法制审核工作人员", "为各联合执法片区确定至少一名法制审核工作人员"),
        ("LINKED", "min_certified_linked_officers_per_zone_per_department", 2, None,
         "已赋权乡镇（街道）的县直执法部门，挂钩联系的执法人员每片区不少于2人且须持有执法资格证",
         "挂钩联系人员每片区不少于2人且需持有执法资格证"),
        ("TEAM-MIN", "min_certified_staff_per_town_team", 2, None,
         "乡镇（街道）综合行政执法队持执法证人员不少于2名", "与乡镇街道2-8名持执法证人员共同组建"),
        ("TEAM-MAX", "max_certified_staff_per_town_team", 8, None,
         "乡镇（街道）综合行政执法队持执法证人员不超过8名", "与乡镇街道2-8名持执法证人员共同组建"),
        ("DISPUTE", "dispute_resolver", None, plan.department_id("cgj"),
         "对行政处罚主体资格存在争议的，由县城市管理和综合执法局商县司法局明确",
         "对行政处罚主体资格存在争议的，由县城市管理和综合执法局商县司法局明确行政处罚主体。"),
        ("TRANSFER-DAYS", "transfer_deadline_working_days", 3, None,
         "发现不属于本方管辖的违法行为，应当在3个工作日内移送有管辖权的一方",
         "应当在3个工作日内移送给有管辖权的一方处理"),
        ("TRANSFER-URGENT", "transfer_deadline_urgent_hours", 24, None,
         "情况紧急的，应当在24小时内移送有管辖权的一方", "情况紧急的，应当在24小时内移送有管辖权的一方处理"),
        ("MEETING", "min_joint_meetings_per_quarter", 1, None,
         "乡镇（街道）综合行政执法队牵头，每季度召开1次执法统筹指挥机制工作会议",
         "每季度召开1次执法统筹指挥机制工作会议"),
        ("NO-REDELEGATION", "no_redelegation", None, "true",
         "乡镇（街道）不得再将承接的权限赋予其他任何组织或者个人实施",
         "街道不得再将承接的权限赋予其他任何组织或者个人实施。"),
        ("ZONE-LIST", "zone_item_list_approver", None, plan.department_id("cgj"),
         "县直执法部门的事项须经县城市管理和综合执法局审查同意后方可纳入片区联合执法基础事项清单",
         "由主管部门提请区城市管理和综合执法局审查同意后方可纳入"),
        ("EVALUATION", "evaluation_unused_months", UNUSED_MONTHS, None,
         f"赋权事项连续{UNUSED_MONTHS}个月零办件的列入评估收回建议({UNUSED_MONTHS}个月为合成数据设定; "
         "行政处罚法第二十四条要求定期组织评估)",
         "县委编办负责工作方案的拟定、赋权事项分类等事项"),
    )  # fmt: skip
    policies = []
    for key, rule, threshold, value, description, quote in rules:
        policy: dict[str, Any] = {"id": f"{code}-P-{key}", "rule": rule}
        if threshold is not None:
            policy["threshold"] = threshold
        if value is not None:
            policy["value"] = value
        policy |= {
            "description": description,
            "source": source,
            "quote": quote,
            "valid_from": LIST_2024,
        }
        policies.append(policy)
    return policies
