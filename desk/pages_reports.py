"""The recurring reports (定期报告) of the establishment office and the front line, one page.

赋权事项评估 (行政处罚法第二十四条 "定期组织评估"), 执法证到期与失效, 首问负责, 修法通知, 编制与实有人员,
省级指导目录承接: each is one
`queries/` question over a region, shown as its answer's sheets — the same tables the CLI prints
and `authreg report` exports — under its own sentences, printable. A report is a row of REPORTS:
its question, the form fields it reads, and how it reads them. Personal data is hidden from
viewers (desk.masking); the certificate sentences name officers only for those who may see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from desk.forms import day, text
from desk.masking import masked
from desk.pages_more import moment_of, regions
from desk.web import Desk, DeskError
from queries.answers import Answer
from queries.certificates import certificates
from queries.evaluation import evaluation
from queries.first_contact import first_contact
from queries.guide_uptake import guide_uptake
from queries.law_changes import law_changes
from queries.staffing import staffing

# The form's fields (name → label); a report says which it reads.
FIELDS = {"date": "截至日期", "start": "评估起始日期", "end": "评估截止日期", "now": "检查时间"}


@dataclass(frozen=True)
class Report:
    label: str
    source: str  # what the report applies, in the clerk's words
    fields: tuple[str, ...]
    ask: Callable[[Desk, Request, str, dict[str, str | None], bool], Answer]


def _evaluation(desk: Desk, request: Request, region: str, form: dict, _: bool) -> Answer:
    end = day(form.get("end"), FIELDS["end"])
    start = day(form["start"], FIELDS["start"]) if form.get("start") else _a_year_before(end)
    return desk.read(request, evaluation, region=region, from_date=start, to_date=end)


def _certificates(desk: Desk, request: Request, region: str, form: dict, personal: bool) -> Answer:
    as_of = day(form.get("date"), FIELDS["date"])
    return desk.read(request, certificates, region=region, as_of=as_of, personal=personal)


def _first_contact(desk: Desk, request: Request, region: str, form: dict, _: bool) -> Answer:
    return desk.read(request, first_contact, region=region, now=moment_of(form.get("now")))


def _law_changes(desk: Desk, request: Request, region: str, form: dict, _: bool) -> Answer:
    return desk.read(request, law_changes, region=region, as_of=day(form.get("date")))


def _staffing(desk: Desk, request: Request, region: str, form: dict, _: bool) -> Answer:
    return desk.read(request, staffing, region=region, as_of=day(form.get("date")))


def _guide_uptake(desk: Desk, request: Request, region: str, form: dict, _: bool) -> Answer:
    return desk.read(request, guide_uptake, province=region, as_of=day(form.get("date")))


def _a_year_before(end: date) -> date:
    return end - timedelta(days=365)


REPORTS: dict[str, Report] = {
    "evaluation": Report(
        "赋权事项评估",
        "行政处罚法第二十四条「定期组织评估」；零办件月数等规则取自本地区的政策",
        ("start", "end"),
        _evaluation,
    ),
    "certificates": Report(
        "执法证到期与失效",
        "即将到期、失效仍在岗、执法领域不符；提醒期限取自本地区的政策",
        ("date",),
        _certificates,
    ),
    "first-contact": Report(
        "首问负责",
        "首问负责制：非本单位管辖的事项按时移交，并答复投诉人",
        ("now",),
        _first_contact,
    ),
    "law-changes": Report(
        "修法通知",
        "法律依据因新版本或废止而变化的事项，及需通知的单位和未结案件",
        ("date",),
        _law_changes,
    ),
    "staffing": Report(
        "编制与实有人员",
        "核定编制、实有人数、持证执法人员（协管不计）；超编、编随事走、承接领域无持证人员",
        ("date",),
        _staffing,
    ),
    "guide-uptake": Report(
        "省级指导目录承接",
        "选择省份：各县未承接的指导事项、超出目录的事项、匹配方式（编码/名称/名称+条文）",
        ("date",),
        _guide_uptake,
    ),
}


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/reports")
    def reports_page(
        request: Request,
        what: str = "evaluation",
        region: str | None = None,
        date: str | None = None,
        start: str | None = None,
        end: str | None = None,
        now: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        form = {"what": what, "region": region, "date": date, "start": start, "end": end}
        form["now"] = now
        values: dict[str, Any] = {"form": form, "reports": REPORTS, "fields": FIELDS}
        try:
            values["regions"] = regions(desk, request)
            report = REPORTS.get(what)
            if report is None:
                raise DeskError(f"没有名为「{what[:40]}」的报告；可选：{'、'.join(REPORTS)}。")
            values["report"] = report
            place = text(region, "区（县）")
            if place:
                sees = visit.sees_personal_data
                answer = masked(
                    report.ask(desk, request, place, form, sees), sees_personal_data=sees
                )
                values.update(answer=answer, sheets=answer.sheets(), lines=_lines(answer))
        except DeskError as exc:
            values["problem"] = str(exc)
        return desk.page(request, visit, "reports.html", **values)

    return router


def _lines(answer: Answer) -> list[str]:
    """The answer's own sentences, in the order it gives them: what it found, then its notes."""
    found = [getattr(answer, "explanation", None)]
    found += list(getattr(answer, "notes", None) or [])
    found += list(getattr(answer, "unknowns", None) or [])
    return [line for line in found if line]
