"""The notice-period policy as a coverage check (执法证到期提醒): a region's
`certificate_expiry_notice_days` policy makes each certificate ending within N days a gap of the
coverage report too, from the same answer as `authreg query certificates` (queries.certificates).
"""

from __future__ import annotations

from queries.certificates import certificates
from queries.gap_answer import CoverageGap, Subject
from queries.gap_scope import Policy, Scope
from queries.gap_sources import policy_source


def notice_gaps(scope: Scope, policy: Policy) -> list[CoverageGap]:
    """Certificates of officers serving in the scope that end within the policy's N days."""
    assert policy.threshold is not None  # coverage_gaps checks thresholds before calling
    answer = certificates(
        scope.tx,
        region=scope.region_code,
        as_of=scope.as_of,
        within_days=int(policy.threshold),
        personal=scope.personal,
        departments=scope.departments(),  # the scope's departments of the day, read once
    )
    places = set(scope.street_codes) | set(scope.zone_ids)
    gaps = []
    for found in answer.expiring:
        if scope.zone_id and not places & set(found.posted_to):
            continue  # a zone's report lists the officers serving in it
        renew_by = found.certificate_to
        whom = found.officer_name if scope.personal else "该执法人员"
        gaps.append(
            CoverageGap(
                rule=policy.rule,
                description=policy.description,
                source=policy_source(policy),
                subjects=[Subject(kind="人员", key=found.officer_id, name=found.officer_name)],
                measured=found.days_left,
                threshold=policy.threshold,
                comparison="≥",
                detail=found.explanation,
                fix=f"在 {renew_by} 前为{whom}办理执法证换发; 到期未换发的不得安排执法",
            )
        )
    return gaps
