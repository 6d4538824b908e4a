"""覆盖缺口 (编办): a county's or zone's gaps on a day, as a heatmap and a list, exported to XLSX.

The heatmap counts gaps per place (the street a gap names, else its zone, else the whole county)
and gap kind (rule). A cell is a link (and a click on the chart) that lists that cell's gaps;
the export is the CLI's report export (authreg.export_files) of the same answer.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from authreg.export_files import write_sheets
from desk.forms import day, text
from desk.masking import masked
from desk.web import Desk, DeskError
from queries.coverage_gaps import coverage_gaps
from queries.gap_answer import CoverageGap, CoverageGaps
from queries.search import search_organisations

WHOLE_SCOPE = "全区（县）"
PLACE_KINDS = ("街道", "片区")  # the most specific place a gap names, in that order


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/gaps")
    def gaps_page(
        request: Request,
        region: str | None = None,
        zone: str | None = None,
        date: str | None = None,
        place: str | None = None,
        rule: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        scopes = _scopes(desk, request)
        form = {"region": region or "", "zone": zone or "", "date": date}
        try:
            answer = _answer(desk, request, region, zone, date, visit.sees_personal_data)
        except DeskError as exc:
            return desk.page(
                request, visit, "gaps.html", form=form, scopes=scopes, problem=str(exc)
            )
        if answer is None:
            return desk.page(request, visit, "gaps.html", form=form, scopes=scopes, as_of=day(date))
        answer = masked(answer, sees_personal_data=visit.sees_personal_data)
        heat = heatmap(answer)
        chosen = [g for g in answer.gaps if _in_cell(g, place, rule)] if (place or rule) else []
        return desk.page(
            request,
            visit,
            "gaps.html",
            form=form,
            scopes=scopes,
            as_of=answer.as_of,
            answer=answer,
            heat=heat,
            place=place,
            rule=rule,
            chosen=chosen,
            place_of=place_of,
            rule_titles=heat["rule_titles"],
        )

    @router.get("/gaps.xlsx")
    def gaps_export(
        request: Request,
        region: str | None = None,
        zone: str | None = None,
        date: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        try:
            answer = _answer(desk, request, region, zone, date, visit.sees_personal_data)
        except DeskError as exc:
            return desk.refused(request, visit, str(exc), 400)
        if answer is None:
            return desk.refused(request, visit, "请先选择区（县）或片区。", 400)
        answer = masked(answer, sees_personal_data=visit.sees_personal_data)
        scope = answer.zone_name or answer.region_name or answer.region_code
        name = f"覆盖缺口-{scope}-{answer.as_of.isoformat()}.xlsx"
        with tempfile.TemporaryDirectory() as folder:
            [path] = write_sheets(answer.sheets(), Path(folder) / "gaps.xlsx", "xlsx")
            content = path.read_bytes()
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f"attachment; filename=\"gaps.xlsx\"; filename*=UTF-8''{quote(name)}"
            },
        )

    return router


def place_of(gap: CoverageGap) -> list[str]:
    """The places a gap counts for: the streets it names, else its zones, else the county."""
    for kind in PLACE_KINDS:
        names = [s.name or s.key for s in gap.subjects if s.kind == kind]
        if names:
            return names
    return [WHOLE_SCOPE]


def heatmap(answer: CoverageGaps) -> dict[str, Any]:
    """Places × gap kinds with counts: rows, columns and cells for the table and the chart."""
    counts: Counter[tuple[str, str]] = Counter()
    titles: dict[str, str] = {}
    for gap in answer.gaps:
        titles.setdefault(gap.rule, gap.description)
        for place in place_of(gap):
            counts[(place, gap.rule)] += 1
    streets = [s.name or s.key for s in answer.streets]
    named = {place for place, _ in counts}
    places = [p for p in streets] + sorted(named - set(streets) - {WHOLE_SCOPE})
    if WHOLE_SCOPE in named:
        places.append(WHOLE_SCOPE)
    rules = sorted(titles)
    return {
        "places": places,
        "rules": rules,
        "rule_titles": titles,
        "counts": {f"{p}\t{r}": n for (p, r), n in counts.items()},
        "cells": [[rules.index(r), places.index(p), n] for (p, r), n in counts.items()],
        "max": max(counts.values(), default=0),
    }


def _in_cell(gap: CoverageGap, place: str | None, rule: str | None) -> bool:
    return (rule is None or gap.rule == rule) and (place is None or place in place_of(gap))


def _answer(
    desk: Desk,
    request: Request,
    region: str | None,
    zone: str | None,
    date: str | None,
    personal: bool,
) -> CoverageGaps | None:
    region, zone = text(region, "区（县）"), text(zone, "片区")
    if region is None and zone is None:
        return None
    if zone is not None:  # a zone names its county: the narrower choice wins
        region = None
    # Sentences name officers only for a reader who may see them (queries.officer_text).
    return desk.read(
        request, coverage_gaps, region=region, zone=zone, as_of=day(date), personal=personal
    )


def _scopes(desk: Desk, request: Request) -> dict[str, list[Any]]:
    """Counties and zones for the pickers (every one in the graph, by code)."""
    regions = desk.read(request, search_organisations, text=None, kind="Region", limit=500)
    zones = desk.read(request, search_organisations, text=None, kind="Zone", limit=500)
    names = {r.key: r.name for r in regions.nodes}
    return {
        "regions": regions.nodes,
        "zones": [
            {"key": z.key, "name": z.name, "county": names.get(z.region or "", "")}
            for z in zones.nodes
        ],
    }
