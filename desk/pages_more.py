"""The other pages (其他页面): 法律依据与修法影响, 事项矩阵, 目录变化, 责任链, 案件检查与转办, 公示.

Each asks one `queries/` question and shows its answer's sheets — the same tables the CLI prints
and exports — under a heading of its own, with a chart where one helps (the matrix coloured by
mode, the chain as a graph). Officers' personal data is hidden from viewers (desk.masking).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from desk.forms import day, text
from desk.masking import masked
from desk.web import Desk, DeskError
from queries.case_checks import case_checks
from queries.catalog_diff import catalog_diff
from queries.coverage_matrix import CoverageMatrix, coverage_matrix
from queries.impact import impact
from queries.legal_basis import legal_basis
from queries.overdue_transfers import overdue_transfers
from queries.responsibility_chain import ResponsibilityChain, responsibility_chain
from queries.search import search_organisations
from queries.working_days import CHINA_TZ
from queries.zone_division import zone_division
from queries.zone_officers import zone_officers

# The matrix's colours by outcome and mode (legend order); the same words the answer uses.
MATRIX_LEGEND = [
    ("赋权", "#1d7a3a"),
    ("委托", "#5b9bd5"),
    ("派驻", "#8e6bbf"),
    ("未赋权", "#c9d3dc"),
    ("冲突", "#b3261e"),
    ("无法认定", "#e0a100"),
]


TRANSFER_VERDICTS = {
    "on_time": "按时",
    "overdue": "超期",
    "pending": "在期限内待接收",
    "overdue_not_received": "超期未接收",
    "no_rule": "无期限规则",
    "no_calendar": "无工作日历",
}


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    def show(request: Request, template: str, ask: Any, **form: Any) -> Response:
        """The page: its form always; its answer when the form is filled; a problem in words."""
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        values: dict[str, Any] = {"form": form, "regions": regions(desk, request)}
        try:
            found = ask()
        except DeskError as exc:
            values["problem"] = str(exc)
        else:
            if found is not None:
                answer, extra = found
                shown = masked(answer, sees_personal_data=visit.sees_personal_data)
                chart_of = extra.pop("chart_of", None)
                values.update(extra, answer=shown, sheets=shown.sheets())
                values["chart"] = chart_of(shown) if chart_of else None
        return desk.page(request, visit, template, **values)

    @router.get("/basis")
    def basis_page(
        request: Request,
        item: str | None = None,
        document: str | None = None,
        article: str | None = None,
        date: str | None = None,
    ) -> Response:
        def ask() -> Any:
            code, law = text(item, "事项"), text(document, "法律法规")
            if code:
                return desk.read(request, legal_basis, item=code), {"kind": "basis"}
            if law:
                number = _article(article)
                found = desk.read(
                    request, impact, document=law, article=number, as_of=day(date), limit=100
                )
                return found, {"kind": "impact"}
            return None

        return show(
            request, "basis.html", ask, item=item, document=document, article=article, date=date
        )

    @router.get("/matrix")
    def matrix_page(
        request: Request, region: str | None = None, date: str | None = None
    ) -> Response:
        def ask() -> Any:
            place = text(region, "区（县）")
            if not place:
                return None
            found = desk.read(request, coverage_matrix, region=place, as_of=day(date))
            return found, {"chart_of": matrix_chart}

        return show(request, "matrix.html", ask, region=region, date=date)

    @router.get("/diff")
    def diff_page(
        request: Request,
        region: str | None = None,
        street: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> Response:
        def ask() -> Any:
            place, one = text(region, "区（县）"), text(street, "街道/乡镇")
            if not (place or one) or not start:
                return None
            found = desk.read(
                request,
                catalog_diff,
                region=None if one else place,
                street=one,
                from_date=day(start, "起始日期"),
                to_date=day(end, "截止日期"),
            )
            return found, {}

        return show(request, "diff.html", ask, region=region, street=street, start=start, end=end)

    @router.get("/chain")
    def chain_page(
        request: Request,
        case: str | None = None,
        item: str | None = None,
        street: str | None = None,
        date: str | None = None,
    ) -> Response:
        def ask() -> Any:
            one, code, place = text(case, "案件编号"), text(item, "事项"), text(street, "街道/乡镇")
            if not one and not (code and place):
                return None
            found = desk.read(
                request,
                responsibility_chain,
                case=one,
                item=None if one else code,
                street=None if one else place,
                as_of=day(date) if (date or not one) else None,
            )
            return found, {"chart_of": chain_chart}

        return show(request, "chain.html", ask, case=case, item=item, street=street, date=date)

    @router.get("/cases")
    def cases_page(
        request: Request, case: str | None = None, region: str | None = None, now: str | None = None
    ) -> Response:
        def ask() -> Any:
            one, place = text(case, "案件编号"), text(region, "区（县）")
            if one:
                return desk.read(request, case_checks, case=one), {"kind": "case"}
            if place:
                moment = moment_of(now)
                found = desk.read(request, overdue_transfers, region=place, now=moment)
                return found, {"kind": "transfers", "verdicts": TRANSFER_VERDICTS}
            return None

        return show(request, "cases.html", ask, case=case, region=region, now=now)

    @router.get("/notice")
    def notice_page(
        request: Request, region: str | None = None, date: str | None = None, what: str = "zones"
    ) -> Response:
        def ask() -> Any:
            place = text(region, "区（县）")
            if not place:
                return None
            work = zone_officers if what == "officers" else zone_division
            return desk.read(request, work, region=place, as_of=day(date)), {"what": what}

        return show(request, "notice.html", ask, region=region, date=date, what=what)

    return router


def matrix_chart(matrix: CoverageMatrix) -> dict[str, Any]:
    """The heatmap's data: items × streets, each cell coloured by its mode or outcome."""
    legend = [label for label, _ in MATRIX_LEGEND]
    items = [i.code for i in matrix.items]
    streets = [s.code for s in matrix.streets]
    cells, grid = [], {}
    for cell in matrix.cells:
        shown = _matrix_label(cell.outcome, cell.mode)
        who = cell.subject.name if cell.subject else "—"
        cells.append(
            [
                items.index(cell.item_code),
                streets.index(cell.street_code),
                legend.index(shown),
                shown,
                who,
            ]
        )
        grid[f"{cell.item_code}\t{cell.street_code}"] = shown
    return {
        "items": [i.name for i in matrix.items],
        "item_codes": items,
        "streets": [s.name for s in matrix.streets],
        "street_codes": streets,
        "cells": cells,
        "date": matrix.as_of.isoformat(),
        "grid": grid,
        "legend": [
            {"value": n, "label": label, "color": color}
            for n, (label, color) in enumerate(MATRIX_LEGEND)
        ],
    }


def chain_chart(chain: ResponsibilityChain) -> dict[str, Any]:
    """The chain as a left-to-right graph: each link a node, each next link an arrow."""
    nodes, links = [], []
    present = [link for link in chain.links if link.node is not None]
    for n, link in enumerate(present):
        assert link.node is not None
        nodes.append(
            {
                "name": f"{link.position}",
                "value": link.role,
                "label": {"formatter": f"{link.role}\n{link.node.name}"},
                "x": (n % 5) * 220,
                "y": (n // 5) * 140,
            }
        )
        if n:
            links.append({"source": f"{present[n - 1].position}", "target": f"{link.position}"})
    return {"nodes": nodes, "links": links}


def _matrix_label(outcome: str, mode: str | None) -> str:
    if outcome == "conflict":
        return "冲突"
    if outcome in ("unknown", "not_found"):
        return "无法认定"
    if mode and mode.split("、")[0] in ("赋权", "委托", "派驻"):
        return mode.split("、")[0]
    return "未赋权"


def _article(value: str | None) -> int | None:
    words = text(value, "条")
    if words is None:
        return None
    digits = words.removeprefix("第").removesuffix("条")
    if not digits.isdigit() or not 0 < int(digits) < 10000:
        raise DeskError(f"「条」请填阿拉伯数字，例如 111；收到的是「{words}」。")
    return int(digits)


def moment_of(value: str | None) -> datetime:
    """The 检查时间 box: a date or a date and time (China time when none given); now if blank."""
    words = text(value, "检查时间")
    if words is None:
        return datetime.now(CHINA_TZ)
    try:
        moment = datetime.fromisoformat(words)
    except ValueError:
        raise DeskError(
            f"「检查时间」应为 年-月-日 或 年-月-日T时:分；收到的是「{words}」。"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


def regions(desk: Desk, request: Request) -> list[Any]:
    """The regions a form's 区（县） choice lists."""
    return desk.read(request, search_organisations, text=None, kind="Region", limit=500).nodes
