"""Coverage gaps (覆盖缺口): where a county or zone falls short of its staffing rules and catalogs on a date.

The question runs the checks of the local policies in force (queries.gap_checks_staffing) and
the built-in ones (gap_checks_certificates, gap_checks_catalogs) over one scope (gap_scope).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from neo4j import ManagedTransaction, unit_of_work

from queries.certificates_gaps import notice_gaps
from queries.duties_gaps import duty_lead_gaps
from queries.gap_answer import CoverageGap, CoverageGaps, PolicyCheck, Subject
from queries.gap_checks_catalogs import basis_gaps, catalog_gaps, item_set_gaps
from queries.gap_checks_certificates import certificate_gaps, uncovered_items
from queries.gap_checks_rules import (
    domain_share,
    inspection_coverage,
    joint_meetings,
    no_redelegation,
    professional_teams,
    zone_list_approval,
)
from queries.gap_checks_staffing import (
    center_reviewers,
    street_role,
    team_size,
    zone_linked,
    zone_reviewers,
)
from queries.gap_scope import (
    NATION,
    CoverageScopeError,
    Policy,
    Scope,
    read_policies,
    resolve_counties,
    resolve_scope,
)
from schema.enums import OfficerRole

__all__ = ["NATION", "CoverageGap", "CoverageGaps", "CoverageScopeError", "coverage_gaps"]


@unit_of_work(metadata={"query": "coverage_gaps"})
def coverage_gaps(
    tx: ManagedTransaction,
    *,
    region: str | None = None,
    zone: str | None = None,
    as_of: date,
    personal: bool = False,
) -> CoverageGaps:
    """Every gap of a county (region code or exact name) or one zone (id or exact name) on as_of;
    of a city or province (every county in it), or of the nation (region NATION: every county).

    `personal`: whether the reader may see officers' names and certificate numbers; the details
    and fixes are written with or without them (queries.officer_text), the subjects always hold
    the officers."""
    try:
        scope = resolve_scope(tx, region, zone, as_of, personal=personal)
    except CoverageScopeError:
        if region is None:
            raise
        wider = resolve_counties(tx, region, as_of, personal=personal)
        if wider is None:
            raise
        return _wider_answer(*wider, as_of=as_of)
    return _answer(scope)


def _answer(scope: Scope) -> CoverageGaps:
    policies = read_policies(scope)
    checks: list[PolicyCheck] = []
    gaps: list[CoverageGap] = []
    for policy in policies:
        found, check = _evaluate(scope, policy)
        gaps += found
        checks.append(check)
    if not any(p.rule == "certified_officers_only" for p in policies):
        gaps += certificate_gaps(scope, None)
    for builtin in BUILTIN_CHECKS:
        gaps += builtin(scope)
    return CoverageGaps(
        region_code=scope.region_code,
        region_name=scope.region_name,
        zone_id=scope.zone_id,
        zone_name=scope.zone_name,
        as_of=scope.as_of,
        streets=[Subject(kind="街道", key=s["code"], name=s["name"]) for s in scope.streets],
        gaps=sorted(gaps, key=_gap_order),
        policies=checks,
        unknowns=sorted(set(scope.unknowns)),
    )


def _wider_answer(
    code: str, name: str | None, batches: list[list[Scope]], *, as_of: date
) -> CoverageGaps:
    """A city's, province's or the nation's gaps: each county's, asked a batch of counties at a
    time (each read once per batch), every gap naming its county; a policy in force in several
    counties is one line, its gaps counted over them."""
    streets: list[Subject] = []
    gaps: list[CoverageGap] = []
    checks: dict[str, PolicyCheck] = {}
    unknowns: set[str] = set()
    for batch in batches:
        for scope in batch:
            answer = _answer(scope)
            county = Subject(kind="区县", key=scope.region_code, name=scope.region_name)
            streets += answer.streets
            gaps += [
                gap
                if county in gap.subjects
                else gap.model_copy(update={"subjects": [county, *gap.subjects]})
                for gap in answer.gaps
            ]
            unknowns |= set(answer.unknowns)
            for check in answer.policies:
                if check.id in checks:
                    seen = checks[check.id]
                    seen.gaps += check.gaps
                    seen.applies_to += [a for a in check.applies_to if a not in seen.applies_to]
                else:
                    checks[check.id] = check.model_copy(deep=True)
        if batch and batch[0].batch is not None:
            batch[0].batch.release()
    return CoverageGaps(
        region_code=code,
        region_name=name,
        zone_id=None,
        zone_name=None,
        as_of=as_of,
        streets=streets,
        gaps=sorted(gaps, key=_gap_order),
        policies=list(checks.values()),
        unknowns=sorted(unknowns),
    )


def _evaluate(scope: Scope, policy: Policy) -> tuple[list[CoverageGap], PolicyCheck]:
    check = POLICY_CHECKS.get(policy.rule)
    needs_threshold = policy.rule in THRESHOLD_RULES
    if check is None and policy.rule in APPLIED_BY:
        found, evaluated, note = [], False, f"由{APPLIED_BY[policy.rule]}适用, 非覆盖规则"
    elif check is None:
        found, evaluated, note = (
            [],
            False,
            "未知规则类型,本查询不检查 (unknown rule kind / not evaluated)",
        )
        scope.unknowns.append(f"{policy.id}: 规则类型 {policy.rule} 未知, 未检查")
    elif needs_threshold and policy.threshold is None:
        found, evaluated, note = [], False, "规则缺少阈值,无法检查"
        scope.unknowns.append(f"{policy.id}: 规则 {policy.rule} 未给出阈值 (threshold), 未检查")
    else:
        found, evaluated, note = check(scope, policy), True, "已检查"
    return found, PolicyCheck(
        id=policy.id,
        rule=policy.rule,
        description=policy.description,
        source_document=policy.source_document,
        source_quote=policy.source_quote,
        threshold=policy.threshold,
        value=policy.value,
        applies_to=[name or key for _, key, name in policy.targets],
        evaluated=evaluated,
        note=note,
        gaps=len(found),
    )


PolicyRuleCheck = Callable[[Scope, Policy], list[CoverageGap]]

# Policy.rule → the check that evaluates it; thresholds always come from the Policy node.
POLICY_CHECKS: dict[str, PolicyRuleCheck] = {
    "min_legal_reviewers_per_zone": zone_reviewers,
    "min_certified_linked_officers_per_zone_per_department": zone_linked,
    "min_full_time_legal_staff_per_street": partial(
        street_role, role=OfficerRole.LEGAL_STAFF, fix="为{street}增配至少{count}名专职法制人员"
    ),
    "min_legal_reviewers_per_street_center": center_reviewers,
    "min_supervisors_per_street": partial(
        street_role,
        role=OfficerRole.SUPERVISOR,
        fix="由司法所为{street}明确至少{count}名专职执法监督员",
    ),
    "min_certified_staff_per_town_team": partial(team_size, at_least=True),
    "max_certified_staff_per_town_team": partial(team_size, at_least=False),
    "certified_officers_only": certificate_gaps,
    "min_comprehensive_domain_share": domain_share,
    "inspection_item_coverage": inspection_coverage,
    "max_professional_teams": professional_teams,
    "no_redelegation": no_redelegation,
    "min_joint_meetings_per_quarter": joint_meetings,
    "zone_item_list_approver": zone_list_approval,
    "certificate_expiry_notice_days": notice_gaps,  # queries.certificates (issue 18.3)
}
THRESHOLD_RULES = set(POLICY_CHECKS) - {
    "certified_officers_only",
    "no_redelegation",
    "zone_item_list_approver",
}
# Rules a coverage question does not measure because another question applies them each time it
# answers: the rule kind → that question (its name as in queries/ and the API).
APPLIED_BY: dict[str, str] = {
    "dispute_resolver": "执法主体争议查询 (disputes, authority)",
    "enforcement_subject": "执法主体查询的规则 (authority, queries/authority_rules.yaml)",
    "transfer_deadline_working_days": "移送超期查询 (overdue_transfers)",
    "transfer_deadline_urgent_hours": "移送超期查询 (overdue_transfers)",
    "transfer_sender_is_body": "案件数据载入 (移送方须为已载入的街道或部门, loaders/records.py)",
    "evaluation_unused_months": "赋权事项评估 (evaluation)",
}
BUILTIN_CHECKS: tuple[Callable[[Scope], list[CoverageGap]], ...] = (
    uncovered_items,
    catalog_gaps,
    basis_gaps,
    item_set_gaps,
    duty_lead_gaps,  # the 属地管理事项责任清单 against the delegations (queries/duties_gaps.py)
)


def _gap_order(gap: CoverageGap) -> tuple:
    return (gap.rule, [(s.kind, s.key) for s in gap.subjects], gap.detail)
