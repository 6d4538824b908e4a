"""Planted gaps (预设缺口): what a synthetic dataset holds on purpose, and how a gap is recognised.

Each planted gap names the coverage_gaps rule it must show as on CHECK_DAY and the subjects that
identify it (zone, department, street, item, officer). `gap_key` reduces a gap that
queries.coverage_gaps returns to the same form, so a test compares the two sets directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

# rule → the subject kinds (as CoverageGap.subjects names them) that identify one gap
GAP_KEYS: dict[str, tuple[str, ...]] = {
    "min_legal_reviewers_per_zone": ("片区",),
    "min_certified_linked_officers_per_zone_per_department": ("片区", "部门"),
    "min_certified_staff_per_town_team": ("街道", "执法队"),
    "max_certified_staff_per_town_team": ("街道", "执法队"),
    "certificate_invalid_in_post": ("人员",),
    "certified_officers_only": ("人员",),
    "item_without_legal_basis": ("事项",),
    "item_on_repealed_law": ("事项",),
    "catalog_item_not_delegated": ("街道", "事项"),
    "zone_item_sets_differ": ("片区", "部门", "街道"),
    "delegated_item_without_certified_officer": ("事项",),
    "street_holds_no_catalog_item": ("街道", "目录"),
    "min_joint_meetings_per_quarter": ("街道",),
    "zone_item_list_approver": ("目录",),
    "duty_lead_without_delegation": ("街道", "事项"),  # synthetic.duty_lists
    # seed 004's reform targets (synthetic.reform_targets): one gap a county, its first subject
    "min_comprehensive_domain_share": ("区县",),
    "inspection_item_coverage": ("区县",),
    "max_professional_teams": ("区县",),
}
GapKey = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Planted:
    """One deliberate gap or oddity in the generated files."""

    kind: str  # what was planted: zone_without_reviewer, lapsed_certificate, …
    county: str
    keys: tuple[tuple[str, str], ...]  # (subject kind, key): ("片区", "990101-Z01")
    note: str
    rule: str | None = None  # the coverage_gaps rule it shows as; None: seen elsewhere

    def gap_key(self) -> GapKey | None:
        return (self.rule, self.keys) if self.rule else None

    def as_json(self) -> dict:
        found = asdict(self)
        found["keys"] = [list(pair) for pair in self.keys]
        return found


def gap_key(rule: str, subjects: Iterable[tuple[str, str]]) -> GapKey:
    """The identifying subjects of a gap, in GAP_KEYS order (first subject of each kind)."""
    subjects = list(subjects)
    kinds = GAP_KEYS.get(rule, ())
    keys = []
    for kind in kinds:
        key = next((k for s_kind, k in subjects if s_kind == kind), None)
        if key is not None:
            keys.append((kind, key))
    return rule, tuple(keys)
