"""What loading a catalog would change (载入预览), found by loading it and taking it back.

The catalog is written by the very writer `authreg load` and an upload use
(loaders.catalogs.write_catalog), in one explicit transaction; the registry's own questions are
asked inside it — coverage gaps before and after the writes, the delegations the catalog starts
and ends, the open cases of the item × street pairs it touches, their authority and checks —
and then the transaction is rolled back: a preview never commits anything. The open cases'
answers without the load are read after the rollback; the graph's write counter (图版本号) must
read the same then as it did inside the transaction, else the preview is refused (someone wrote
in between; previewing again answers on the graph as it now is).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Literal

from neo4j import Driver, ManagedTransaction, Session, Transaction
from pydantic import BaseModel, Field

from authreg.driver import session as open_session
from authreg.errors import RecordError
from authreg.settings import Settings
from loaders.catalogs import CatalogPlan, write_catalog
from queries.authority import OUTCOME_LABELS, AuthorityAnswer, authority
from queries.case_checks import VERDICT_LABELS, CaseChecks, case_checks
from queries.coverage_gaps import CoverageGap, coverage_gaps
from queries.graph_generation import GraphGeneration, graph_generation
from queries.preview import DelegationRow, OpenCase, delegation_changes, open_cases

# A preview writes the whole catalog before taking it back, holding the locks of its writes
# meanwhile: bounded, so a preview stays a matter of seconds. The largest real catalog in
# data/real-catalogs has some 700 rows; a larger list is loaded (and checked) with `authreg load`.
PREVIEW_MAX_ROWS = 2_000
PREVIEW_TIMEOUT_S = 300.0  # generous: two shared cores under load; a quiet preview takes seconds


class PreviewRefused(RecordError):
    """A preview that cannot be made (too large, or the graph changed while it was made)."""


class DelegationChange(BaseModel):
    """One item's change in one street: 新增授权 (started), 收回 (ended) or 变更 (changed:
    ended and started again with another mode or department)."""

    change: Literal["started", "ended", "changed"]
    street_code: str
    street_name: str | None
    item_code: str
    item_name: str | None
    on: date = Field(description="the day the change takes effect (the catalog's date)")
    mode_before: str | None = None
    mode_after: str | None = None
    department_before: str | None = None
    department_after: str | None = None


class GapChange(BaseModel):
    """A coverage gap loading would open (新增缺口) or close (消除缺口)."""

    change: Literal["appeared", "disappeared"]
    region_code: str
    gap: CoverageGap


class CaseChange(BaseModel):
    """An open case whose item × street authority loading changes (its basis changes)."""

    case: OpenCase
    as_of: date = Field(description="the day asked: the catalog's date")
    subject_before: str
    subject_after: str
    verdict_before: str = Field(description="案件核查 without the load (on the violation's day)")
    verdict_after: str
    explanation_after: str


class CatalogPreview(BaseModel):
    """What loading one catalog would change, on the graph as it stood (generation)."""

    catalog_id: str
    effective: date
    rows: int
    generation: GraphGeneration
    unchanged: bool = Field(description="this very file is loaded already: nothing would change")
    regions: list[str]
    delegations: list[DelegationChange]
    gaps: list[GapChange]
    cases: list[CaseChange]

    def by_street(self) -> list[tuple[str, list[DelegationChange]]]:
        """The delegation changes grouped per street, streets in code order."""
        streets: dict[str, list[DelegationChange]] = defaultdict(list)
        for change in self.delegations:
            streets[change.street_code].append(change)
        return sorted(streets.items())


def preview_catalog(
    driver: Driver,
    settings: Settings,
    plan: CatalogPlan,
    *,
    allow_mass_withdrawal: bool = False,
    personal: bool = False,
) -> CatalogPreview:
    """Load `plan` in a transaction that is rolled back, and say what it changed. The plan must
    have passed the rehearsal (loaders.rehearsal): a refusal of the writer propagates.
    `personal`: whether the gaps may name officers (queries.officer_text)."""
    if len(plan.rows) > PREVIEW_MAX_ROWS:
        raise PreviewRefused(
            f"{plan.file.name}: {len(plan.rows):,} rows, more than the {PREVIEW_MAX_ROWS:,} a "
            "preview takes (it writes the whole list before taking it back); check and load a "
            "list this long with `authreg load --check` and `authreg load`"
        )
    on = plan.catalog.effective
    regions = [plan.meta.region] if plan.meta.region else []
    with open_session(driver, settings.neo4j_database) as session:
        tx = session.begin_transaction(
            metadata={"query": "preview_catalog"}, timeout=PREVIEW_TIMEOUT_S
        )
        try:
            generation = graph_generation(tx)
            before = {r: coverage_gaps(tx, region=r, as_of=on, personal=personal) for r in regions}
            outcome = write_catalog(tx, plan, allow_mass_withdrawal)
            rows = (
                [] if outcome.unchanged else delegation_changes(tx, catalog_id=outcome.catalog_id)
            )
            after = {r: coverage_gaps(tx, region=r, as_of=on, personal=personal) for r in regions}
            pairs = sorted({(row.item_code, row.street_code) for row in rows})
            cases = open_cases(tx, pairs=pairs) if pairs else []
            loaded = {c.id: _answers(tx, c, on, personal) for c in cases}
        finally:
            if not tx.closed():  # nothing a preview writes is ever committed
                tx.rollback()
        gaps = [g for r in regions for g in _gap_changes(r, before[r].gaps, after[r].gaps)]
        changed = _case_changes(session, generation, cases, loaded, on, personal)
    return CatalogPreview(
        catalog_id=outcome.catalog_id,
        effective=on,
        rows=len(plan.rows),
        generation=generation,
        unchanged=outcome.unchanged,
        regions=regions,
        delegations=_delegation_changes(rows, on),
        gaps=gaps,
        cases=changed,
    )


def _delegation_changes(rows: list[DelegationRow], on: date) -> list[DelegationChange]:
    """Per street and item: started only → started; ended only → ended; both → changed."""
    pairs: dict[tuple[str, str], dict[str, list[DelegationRow]]] = defaultdict(
        lambda: {"started": [], "ended": []}
    )
    for row in rows:
        pairs[(row.street_code, row.item_code)][row.change].append(row)
    changes = []
    for (street, item), found in sorted(pairs.items()):
        started, ended = found["started"], found["ended"]
        first = (started or ended)[0]
        kind = "changed" if started and ended else "started" if started else "ended"
        changes.append(
            DelegationChange(
                change=kind,
                street_code=street,
                street_name=first.street_name,
                item_code=item,
                item_name=first.item_name,
                on=on,
                mode_before=_joined(d.mode for d in ended),
                mode_after=_joined(d.mode for d in started),
                department_before=_joined(d.department_name for d in ended),
                department_after=_joined(d.department_name for d in started),
            )
        )
    return changes


def _joined(values: object) -> str | None:
    found = sorted({v for v in values if v})  # type: ignore[attr-defined]
    return "、".join(found) if found else None


def _gap_key(gap: CoverageGap) -> tuple:
    return (gap.rule, gap.description, tuple((s.kind, s.key) for s in gap.subjects))


def _gap_changes(region: str, before: list[CoverageGap], after: list[CoverageGap]) -> list:
    had = {_gap_key(g) for g in before}
    has = {_gap_key(g) for g in after}
    return [
        GapChange(change="appeared", region_code=region, gap=g)
        for g in after
        if _gap_key(g) not in had
    ] + [
        GapChange(change="disappeared", region_code=region, gap=g)
        for g in before
        if _gap_key(g) not in has
    ]


def _answers(
    tx: Transaction | ManagedTransaction, case: OpenCase, on: date, personal: bool
) -> tuple[AuthorityAnswer, CaseChecks]:
    answer = authority(tx, item=case.item_code, street=case.street_code, as_of=on)
    return answer, case_checks(tx, case=case.id, personal=personal)


def _case_changes(
    session: Session,
    generation: GraphGeneration,
    cases: list[OpenCase],
    loaded: dict[str, tuple[AuthorityAnswer, CaseChecks]],
    on: date,
    personal: bool,
) -> list[CaseChange]:
    """The open cases whose authority on the catalog's day differs with the load and without."""
    if not cases:
        return []

    def without_the_load(tx: ManagedTransaction) -> tuple[GraphGeneration, dict]:
        now = graph_generation(tx)
        return now, {c.id: _answers(tx, c, on, personal) for c in cases}

    now, standing = session.execute_read(without_the_load)
    if now != generation:
        raise PreviewRefused(
            "the registry changed while the preview was made (another load or record was "
            "written); preview again to see the changes on the graph as it now is"
        )
    changes = []
    for case in cases:
        (was, was_checked), (will, checked) = standing[case.id], loaded[case.id]
        if _basis(was) == _basis(will) and was_checked.verdict == checked.verdict:
            continue
        changes.append(
            CaseChange(
                case=case,
                as_of=on,
                subject_before=_who(was),
                subject_after=_who(will),
                verdict_before=VERDICT_LABELS[was_checked.verdict],
                verdict_after=VERDICT_LABELS[checked.verdict],
                explanation_after=will.explanation,
            )
        )
    return changes


def _basis(answer: AuthorityAnswer) -> tuple:
    subject = answer.subject.key if answer.subject else None
    delegation = answer.delegation.id if answer.delegation else None
    return answer.outcome, subject, delegation, tuple(c.key for c in answer.candidates)


def _who(answer: AuthorityAnswer) -> str:
    if answer.subject is not None:
        return answer.subject.name
    candidates = "、".join(c.name for c in answer.candidates)
    label = OUTCOME_LABELS[answer.outcome]
    return f"{label}（{candidates}）" if candidates else label
