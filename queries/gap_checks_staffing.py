"""Staffing checks of local policies (人员配备): zones (seed 000), streets (001), town teams (004).

Each check is the evaluation of one Policy.rule; the threshold always comes from the Policy node.
"""

from __future__ import annotations

from typing import Any

from queries import gap_delegations
from queries.gap_answer import CoverageGap, Subject, num
from queries.gap_scope import Policy, Scope, applies
from queries.gap_sources import policy_source
from queries.officer_text import officers
from schema.enums import DelegationMode, ItemType, OfficerRole, PostingMode, UnitKind


def _zones(scope: Scope) -> list[dict[str, Any]]:
    """Each zone's officers, and the departments that delegate penalties (赋权) to its streets."""
    return [
        {**zone, "departments": _penalty_departments(scope, zone["zoneId"])}
        for zone in scope.read("zones", zoneIds=scope.zone_ids)
    ]


def _penalty_departments(scope: Scope, zone_id: str) -> list[dict[str, Any]]:
    """The departments granting (赋权) a penalty item to a street of the zone, each with those items."""
    items = gap_delegations.items(scope)
    granted: dict[str, tuple[str, set[str]]] = {}
    for held in gap_delegations.held(gap_delegations.zone_streets(scope, zone_id)):
        if held.delegation["mode"] != DelegationMode.GRANT:
            continue
        codes = [c for c in held.delegation["items"] if items[c]["itemType"] == ItemType.PENALTY]
        for dep in held.departments if codes else []:
            granted.setdefault(dep["key"], (dep["name"], set()))[1].update(codes)
    return [
        {"id": key, "name": name, "items": sorted(codes)}
        for key, (name, codes) in sorted(granted.items())
    ]


def zone_reviewers(scope: Scope, policy: Policy) -> list[CoverageGap]:
    gaps = []
    for zone in _zones(scope):
        if not applies(scope, policy, zone=zone["zoneId"]):
            continue
        reviewers = {
            o["id"]: o["name"]
            for o in zone["officers"]
            if o["certified"] and OfficerRole.LEGAL_REVIEWER in o["roles"]
        }
        others = sorted(
            (o["name"], "、".join(o["roles"]))
            for o in zone["officers"]
            if set(o["roles"]) - {OfficerRole.ENFORCER, OfficerRole.LEGAL_REVIEWER}
        )
        if len(reviewers) >= policy.threshold:
            continue
        gaps.append(
            _short(
                policy,
                [Subject(kind="片区", key=zone["zoneId"], name=zone["zoneName"])],
                len(reviewers),
                f"{zone['zoneName']}的法制审核人员 {len(reviewers)} 名"
                + (
                    f"; 挂钩的其他法制人员: {_others(others, scope)} (不是法制审核人员)"
                    if others
                    else ""
                ),
                f"为{zone['zoneName']}确定至少{num(policy.threshold - len(reviewers))}名法制审核人员",
            )
        )
    return gaps


def zone_linked(scope: Scope, policy: Policy) -> list[CoverageGap]:
    gaps = []
    for zone in _zones(scope):
        if not applies(scope, policy, zone=zone["zoneId"]):
            continue
        for department in zone["departments"]:
            linked = sorted(
                {
                    (o["id"], o["name"])
                    for o in zone["officers"]
                    if o["mode"] == PostingMode.LINKED
                    and o["departmentId"] == department["id"]
                    and o["certified"]
                }
            )
            if len(linked) >= policy.threshold:
                continue
            subjects = [
                Subject(kind="片区", key=zone["zoneId"], name=zone["zoneName"]),
                Subject(kind="部门", key=department["id"], name=department["name"]),
            ] + [Subject(kind="人员", key=key, name=name) for key, name in linked]
            gaps.append(
                _short(
                    policy,
                    subjects,
                    len(linked),
                    f"{department['name']}向{zone['zoneName']}街道赋权行政处罚事项"
                    f" ({'、'.join(department['items'])}), 持有效执法证的挂钩联系人员 {len(linked)} 名"
                    + _listed([name for _, name in linked], scope),
                    f"{department['name']}为{zone['zoneName']}增派至少"
                    f"{num(policy.threshold - len(linked))}名持有效执法证的挂钩联系人员",
                )
            )
    return gaps


# -- policy checks: streets (seed 001) and town teams (seed 004) --------------------------------


def _streets(scope: Scope) -> list[dict[str, Any]]:
    return scope.read("streets", streetCodes=scope.street_codes)


def _street_staff(street: dict[str, Any], role: OfficerRole) -> dict[str, str]:
    """Certified officers with a role posted to the street or members of one of its units."""
    people = [o for o in street["posted"]] + [m for u in street["units"] for m in u["members"]]
    return {o["id"]: o["name"] for o in people if o["certified"] and role in o["roles"]}


def street_role(scope: Scope, policy: Policy, *, role: OfficerRole, fix: str) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not applies(scope, policy, street=street["streetCode"]):
            continue
        staff = _street_staff(street, role)
        if len(staff) >= policy.threshold:
            continue
        name = street["streetName"]
        gaps.append(
            _short(
                policy,
                [Subject(kind="街道", key=street["streetCode"], name=name)]
                + [Subject(kind="人员", key=k, name=v) for k, v in sorted(staff.items())],
                len(staff),
                f"{name}持证{role}{len(staff)}名"
                + _listed([staff[k] for k in sorted(staff)], scope),
                fix.format(street=name, count=num(policy.threshold - len(staff))),
            )
        )
    return gaps


def center_reviewers(scope: Scope, policy: Policy) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not applies(scope, policy, street=street["streetCode"]):
            continue
        centers = [u for u in street["units"] if u["kind"] == UnitKind.STREET_CENTER]
        street_subject = Subject(kind="街道", key=street["streetCode"], name=street["streetName"])
        if not centers:
            gaps.append(
                _short(
                    policy,
                    [street_subject],
                    0,
                    f"{street['streetName']}未设街道综合执法中心",
                    f"为{street['streetName']}设立综合执法中心并固定专职法制审核人员",
                )
            )
        for center in centers:
            reviewers = [
                m
                for m in center["members"]
                if m["certified"] and OfficerRole.LEGAL_REVIEWER in m["roles"]
            ]
            if len(reviewers) < policy.threshold:
                gaps.append(
                    _short(
                        policy,
                        [
                            street_subject,
                            Subject(kind="执法队", key=center["id"], name=center["name"]),
                        ],
                        len(reviewers),
                        f"{center['name']}持证法制审核人员 {len(reviewers)} 名",
                        f"为{center['name']}固定至少{num(policy.threshold - len(reviewers))}名专职法制审核人员",
                    )
                )
    return gaps


def team_size(scope: Scope, policy: Policy, *, at_least: bool) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not applies(scope, policy, street=street["streetCode"]):
            continue
        for team in (u for u in street["units"] if u["kind"] == UnitKind.STREET_TEAM):
            certified = [m for m in team["members"] if m["certified"]]
            lapsed = [m for m in team["members"] if not m["certified"]]
            count = len(certified)
            if (count >= policy.threshold) if at_least else (count <= policy.threshold):
                continue
            lapsed_names = _names(
                [f"{m['name']}(有效期至{m['certificateTo']})" for m in lapsed], scope
            )
            detail = f"{team['name']}持有效执法证人员 {count} 名" + (
                f"; 执法证无效: {lapsed_names}" if lapsed else ""
            )
            fix = (
                f"为{team['name']}补充至少{num(policy.threshold - count)}名持有效执法证人员"
                if at_least
                else f"将{team['name']}持证人员调整至{num(policy.threshold)}名以内(减少{num(count - policy.threshold)}名)"
            )
            subjects = [
                Subject(kind="街道", key=street["streetCode"], name=street["streetName"]),
                Subject(kind="执法队", key=team["id"], name=team["name"]),
            ]
            gaps.append(
                _short(policy, subjects, count, detail, fix, comparison="≥" if at_least else "≤")
            )
    return gaps


def _names(named: list[str], scope: Scope) -> str:
    """Officers as the scope's reader may read them: named, or counted (queries.officer_text)."""
    return officers(named, personal=scope.personal)


def _listed(named: list[str], scope: Scope) -> str:
    """ ": 张三、李四" after a count, for a reader who may see names; nothing for one who may not."""
    return f": {_names(named, scope)}" if named and scope.personal else ""


def _others(others: list[tuple[str, str]], scope: Scope) -> str:
    """Officers with other roles: 张三(法制工作人员), or 1 名 (法制工作人员) without the names."""
    if scope.personal:
        return "、".join(f"{name}({roles})" for name, roles in others)
    return f"{len(others)} 名 ({'、'.join(sorted({roles for _, roles in others}))})"


def _short(
    policy: Policy,
    subjects: list[Subject],
    measured: float,
    detail: str,
    fix: str,
    comparison: str = "≥",
) -> CoverageGap:
    return CoverageGap(
        rule=policy.rule,
        description=policy.description,
        source=policy_source(policy),
        subjects=subjects,
        measured=measured,
        threshold=policy.threshold,
        comparison=comparison,
        detail=detail,
        fix=fix,
    )
