"""Checks of the reform's other local rules (改革目标与工作机制): domain share and inspection items
(seed 004), professional teams (seed 004), no re-delegation (seed 001), quarterly joint meetings
(seed 003) and zone-list approval (seed 000).

Each check is the evaluation of one Policy.rule; the threshold always comes from the Policy node
and each gap carries measured against it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from queries import gap_delegations
from queries.department_of_day import DaySheet
from queries.gap_answer import CoverageGap, Subject, num
from queries.gap_scope import Policy, Scope, applies
from queries.gap_sources import policy_source
from schema.enums import CatalogKind, DepartmentKind, ItemType, UnitKind


def domain_share(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """min_comprehensive_domain_share: domains with at least one item in comprehensive enforcement
    (held by a street, or by the 综合行政执法部门) over the domains of the county's items."""
    items = _region_items(scope)
    _unknown_domains(scope, policy, items)
    domains: dict[str, bool] = {}
    for item in (i for i in items if i["domain"]):
        domains[item["domain"]] = domains.get(item["domain"], False) or _comprehensive(item)
    if not domains:
        scope.unknowns.append(f"{policy.id}: 本区县未载入注明执法领域的事项, 无法计算领域覆盖比例")
        return []
    covered = sorted(d for d, yes in domains.items() if yes)
    outside = sorted(d for d, yes in domains.items() if not yes)
    share = len(covered) / len(domains)
    if share >= policy.threshold:
        return []
    needed = _needed(policy.threshold, len(domains)) - len(covered)
    return [
        _gap(
            policy,
            [_region(scope)] + [Subject(kind="执法领域", key=d, name=d) for d in outside],
            round(share, 4),
            f"综合行政执法事项覆盖 {len(covered)}/{len(domains)} 个执法领域 ({_percent(share)})"
            f"; 已覆盖: {'、'.join(covered) or '无'}; 未覆盖: {'、'.join(outside)}",
            f"将至少{needed}个未覆盖领域的事项纳入综合行政执法(赋权街镇或划转综合行政执法部门),"
            f"达到{_percent(policy.threshold)}以上",
        )
    ]


def inspection_coverage(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """inspection_item_coverage: the county's 行政检查 items in comprehensive enforcement."""
    inspections = [i for i in _region_items(scope) if i["itemType"] == ItemType.INSPECTION]
    if not inspections:
        scope.unknowns.append(
            f"{policy.id}: 本区县未载入行政检查事项, 无法计算行政检查事项覆盖比例"
        )
        return []
    outside = [i for i in inspections if not _comprehensive(i)]
    share = (len(inspections) - len(outside)) / len(inspections)
    if share >= policy.threshold:
        return []
    return [
        _gap(
            policy,
            [_region(scope)]
            + [Subject(kind="事项", key=i["itemCode"], name=i["itemName"]) for i in outside]
            + _departments(outside),
            round(share, 4),
            f"行政检查事项 {len(inspections)} 项, 纳入综合行政执法 {len(inspections) - len(outside)} 项"
            f" ({_percent(share)}); 未纳入: "
            + "、".join(f"{i['itemCode']}({i['departmentName']})" for i in outside),
            f"将{'、'.join(i['itemCode'] for i in outside)}纳入综合行政执法"
            f"(赋权街镇或由综合行政执法部门行使), 达到{_percent(policy.threshold)}",
        )
    ]


def professional_teams(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """max_professional_teams: the county's 专业执法部门 each keep one professional team."""
    rows = scope.read("departments", regionCodes=[scope.region_code])
    teams = [d for d in rows if d["kind"] == DepartmentKind.PROFESSIONAL]
    if len(teams) <= policy.threshold:
        return []
    return [
        _gap(
            policy,
            [_region(scope)] + [Subject(kind="部门", key=d["id"], name=d["name"]) for d in teams],
            len(teams),
            f"专业执法部门 {len(teams)} 个: {'、'.join(d['name'] for d in teams)}",
            f"将部门专业执法队伍精简至{num(policy.threshold)}支以内"
            f"(减少{num(len(teams) - policy.threshold)}支), 其余职责并入综合行政执法",
            comparison="≤",
        )
    ]


def no_redelegation(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """no_redelegation: no delegation in force comes from a street or a street's own list."""
    gaps = []
    for row in _redelegated(scope):
        if not applies(scope, policy, street=row["streetCode"]):
            continue
        by = row["fromStreetName"] or row["catalogIssuer"]
        where = f"《{row['catalogTitle']}》" if row["catalogTitle"] else row["delegationId"]
        gaps.append(
            _gap(
                policy,
                [
                    Subject(kind="街道", key=row["streetCode"], name=row["streetName"]),
                    Subject(kind="事项", key=row["itemCode"], name=row["itemName"]),
                ]
                + (
                    [Subject(kind="目录", key=row["catalogId"], name=row["catalogTitle"])]
                    if row["catalogId"]
                    else []
                ),
                1,
                f"{row['itemCode']}由{by}再行赋予{row['streetName']} (依据: {where}); 街道承接的权限不得再赋予",
                f"撤销{where}中{by}的转授权; 该事项由原县级部门依法赋权或自行行使",
                threshold=0,
                comparison="=",
            )
        )
    return gaps


def _redelegated(scope: Scope) -> list[dict[str, Any]]:
    """Delegations in force to the scope's streets that come from a street, or under a catalog a
    street of the region issued other than the street itself (by street, item, delegation)."""
    rows = []
    for h in gap_delegations.held(gap_delegations.streets(scope)):
        street = h.street
        for by_street in h.from_streets or [None]:
            for catalog in h.delegation["catalogs"] or [None]:
                if by_street is None and (catalog is None or not catalog["byStreet"]):
                    continue
                rows += [
                    {
                        "delegationId": h.delegation["id"],
                        "itemCode": code,
                        "streetCode": street["streetCode"],
                        "streetName": street["streetName"],
                        "fromStreetCode": by_street and by_street["key"],
                        "fromStreetName": by_street and by_street["name"],
                        "catalogId": catalog and catalog["id"],
                        "catalogTitle": catalog and catalog["title"],
                        "catalogIssuer": catalog and catalog["issuer"],
                    }
                    for code in h.delegation["items"]
                ]
    items = gap_delegations.items(scope) if rows else {}
    for row in rows:
        row["itemName"] = items[row["itemCode"]]["itemName"]
    return sorted(rows, key=lambda r: (r["streetCode"], r["itemCode"], r["delegationId"]))


def joint_meetings(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """min_joint_meetings_per_quarter: each town team convened the meeting in the last complete
    quarter before the date (the quarter in progress is not judged)."""
    start, end = _last_quarter(scope.as_of)
    label = f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if policy.valid_from is not None and start < policy.valid_from:
        scope.unknowns.append(
            f"{policy.id}: {label}始于规则生效日({policy.valid_from})之前, 未检查"
        )
        return []
    gaps = []
    for street in scope.read("streets", streetCodes=scope.street_codes):
        if not applies(scope, policy, street=street["streetCode"]):
            continue
        teams = [u for u in street["units"] if u["kind"] == UnitKind.STREET_TEAM]
        held = sorted({d for t in teams for d in t["jointMeetings"] if start <= d <= end})
        if len(held) >= policy.threshold:
            continue
        subject = Subject(kind="街道", key=street["streetCode"], name=street["streetName"])
        convener = teams[0]["name"] if teams else f"{street['streetName']}(未设综合执法队)"
        gaps.append(
            _gap(
                policy,
                [subject] + [Subject(kind="执法队", key=t["id"], name=t["name"]) for t in teams],
                len(held),
                f"{convener}{label}({start}至{end})召开执法统筹指挥机制工作会议 {len(held)} 次",
                f"由{convener}牵头, 每季度至少召开{num(policy.threshold)}次执法统筹指挥机制工作会议"
                "并登记会议日期",
            )
        )
    return gaps


def zone_list_approval(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """zone_item_list_approver: every item of a zone list in force was approved (审查同意), by
    that day, by the department the policy names (its id in `value`) — recorded from the list's
    metadata or through the API (loaders/zone_lists.py). One gap per list, measuring its items
    listed without that approval: proposed only, approved later, or approved by another body."""
    departments = scope.read("departments", regionCodes=[scope.region_code])
    # 机构改革: a department merged by the day is named by the rule; its successor approves.
    named = scope.departments().extend(scope.tx, [policy.value]).id(policy.value)
    approver = next((d for d in departments if d["id"] == named), None)
    if approver is None:
        scope.unknowns.append(
            f"{policy.id}: 规则指定的审查部门 {policy.value} 不在本区县的机构数据中"
        )
        return []
    lists = scope.read(
        "zone_lists", regionCodes=[scope.region_code], zoneList=CatalogKind.ZONE_LIST.value
    )
    gaps = []
    for row in lists:
        unapproved = [
            i
            for i in row["items"]
            if not _approved_by(i, approver["id"], scope.as_of, scope.departments())
        ]
        if not unapproved:
            continue
        gaps.append(
            _gap(
                policy,
                [
                    Subject(kind="目录", key=row["catalogId"], name=row["title"]),
                    Subject(kind="部门", key=approver["id"], name=approver["name"]),
                ],
                len(unapproved),
                f"《{row['title']}》({row['effective']}起, {len(row['items'])}项, "
                f"{row['issuer'] or '发布机关未注明'}) 中 {len(unapproved)} 项未经"
                f"{approver['name']}审查同意即纳入: "
                + "; ".join(_unapproved(i, scope.as_of) for i in unapproved),
                f"由牵头部门提请{approver['name']}审查同意 (登记审查同意: approveZoneListItems), "
                "未同意的事项不得按片区联合执法实施",
                threshold=0,
                comparison="=",
            )
        )
    return gaps


def _approved_by(item: dict[str, Any], approver: str, as_of: date, sheet: DaySheet) -> bool:
    """Approved by the rule's department by the day: by it, or by a department merged into it
    (机构改革: an approval the merged department gave stands for its successor)."""
    return sheet.id(item["approvedBy"]) == approver and item["approvedOn"] <= as_of


def _unapproved(item: dict[str, Any], as_of: date) -> str:
    """LC-ZL-004 对…的行政检查 (牵头: 区应急管理局): 仅提请, 未经审查同意."""
    lead = item["leadName"] or item["lead"] or "未注明"
    if item["approvedBy"] is None:
        state = f"{item['proposedByName'] or item['proposedBy'] or lead}提请, 未经审查同意"
    elif item["approvedOn"] > as_of:
        state = f"{item['approvedOn']}才审查同意"
    else:
        state = f"由{item['approvedByName'] or item['approvedBy']}而非规则指定的部门审查同意"
    return f"{item['code']} {item['name']} (牵头: {lead}): {state}"


# -- helpers -----------------------------------------------------------------------------------


def _region_items(scope: Scope) -> list[dict[str, Any]]:
    """The county's items and which of its streets hold them: these rules are county-level, so a
    zone question measures the whole county (never only the zone's streets)."""
    return scope.read("region_items", regionCodes=[scope.region_code])


def _comprehensive(item: dict[str, Any]) -> bool:
    return bool(item["streets"]) or item["departmentKind"] == DepartmentKind.COMPREHENSIVE


def _unknown_domains(scope: Scope, policy: Policy, items: list[dict[str, Any]]) -> None:
    missing = [i["itemCode"] for i in items if not i["domain"]]
    if missing:
        scope.unknowns.append(
            f"{policy.id}: {len(missing)} 项事项未注明执法领域, 未计入领域比例"
            f" ({'、'.join(missing[:5])}{'…' if len(missing) > 5 else ''})"
        )


def _needed(threshold: float, total: int) -> int:
    """The fewest domains whose share reaches the threshold."""
    count = 0
    while count < total and count / total < threshold:
        count += 1
    return count


def _departments(items: list[dict[str, Any]]) -> list[Subject]:
    seen = {i["departmentId"]: i["departmentName"] for i in items}
    return [Subject(kind="部门", key=k, name=v) for k, v in sorted(seen.items())]


def _region(scope: Scope) -> Subject:
    return Subject(kind="区县", key=scope.region_code, name=scope.region_name)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%" if float(share * 100).is_integer() else f"{share * 100:.1f}%"


def _last_quarter(day: date) -> tuple[date, date]:
    first_of_this = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _gap(
    policy: Policy,
    subjects: list[Subject],
    measured: float,
    detail: str,
    fix: str,
    *,
    threshold: float | None = None,
    comparison: str = "≥",
) -> CoverageGap:
    return CoverageGap(
        rule=policy.rule,
        description=policy.description,
        source=policy_source(policy),
        subjects=subjects,
        measured=measured,
        threshold=policy.threshold if threshold is None else threshold,
        comparison=comparison,
        detail=detail,
        fix=fix,
    )
