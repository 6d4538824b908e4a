"""A first load built in memory (首次批量加载): the same plan, the same decisions, no database.

`build_graph` runs a validated `LoadPlan` through `BulkGraph` in the order `write_plan` writes
it (law texts, organisation, catalogs by effective date, cases), so every catalog version,
withdrawal and adjustment is decided exactly as the online load decides it. The result is the
graph as rows, for `loaders.admin_import` to hand to neo4j-admin.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from loaders.bulk_graph import BulkGraph
from loaders.catalogs import build_catalog
from loaders.discretion import build_discretion
from loaders.duty_lists import build_duty_list
from loaders.load import FileOutcome, LoadPlan
from loaders.records import build_cases, build_law, build_organisation
from loaders.staffing import build_staffing
from schema.graph_rows import GraphRows


def build_graph(
    plan: LoadPlan, progress: Callable[[str, FileOutcome], None] | None = None
) -> GraphRows:
    """Every file of the plan into one in-memory graph; an error stops it (nothing is written
    anywhere until the import). It consumes the plan's catalogs: each one's rows are let go
    once built, so a nation's rows and its graph are never all in memory at once."""
    graph = BulkGraph()
    gc.disable()  # millions of new dicts and no cycles: the collector only walks them (2x time)
    try:
        _build(graph, plan, progress)
        return graph.rows()
    finally:
        gc.enable()


def _build(
    graph: BulkGraph, plan: LoadPlan, progress: Callable[[str, FileOutcome], None] | None
) -> None:
    def done(name: str, outcome: FileOutcome) -> None:
        if progress:
            progress(name, outcome)

    for law in plan.laws:
        count = build_law(graph, law)
        done(law.path.name, FileOutcome(f"{len(law.articles)} articles, {count} rows"))
    for path, org in plan.organisations:
        count = build_organisation(graph, org, path.name)
        done(path.name, FileOutcome(f"organisation of {org.region.name}, {count} rows"))
    for path, staffing in plan.staffing:  # 核定编制: after the units it names, as `load` writes it
        count = build_staffing(graph, staffing, path.name)
        done(path.name, FileOutcome(f"establishment of {staffing.region}, {count} rows"))
    while plan.catalogs:
        catalog = plan.catalogs.pop(0)
        result = build_catalog(graph, catalog)
        done(catalog.file.name, FileOutcome(result.describe(), tuple(result.warnings)))
    for path, cases in plan.cases:
        written = build_cases(graph, cases, path.name)
        text = f"{len(cases.cases)} cases, {written.written} rows"
        done(path.name, FileOutcome(text, written.warnings))
    for duty in plan.duty_lists:
        count = build_duty_list(graph, duty)
        done(duty.file.name, FileOutcome(f"duty list of {duty.region}, {count} matters"))
    for listed in plan.discretion:  # 裁量基准 / 不予处罚清单, linked to the items built above
        result = build_discretion(graph, listed)
        done(listed.file.name, FileOutcome(result.describe(), tuple(result.warnings)))
