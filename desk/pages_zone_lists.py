"""片区联合执法基础事项清单 (seed 000 四(二)): a county's zone lists on a day — each item's lead
department (牵头部门), its proposal (提请) and approval (审查同意) or 待批准 — from the zone division
answer (queries/zone_division.py), and for reviewers the approval form, recorded by the same
writer as the API's `approveZoneListItems` (loaders.zone_lists.approve_zone_list), audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from authreg.errors import RecordError
from desk.forms import day, text
from desk.masking import masked
from desk.pages_more import regions
from desk.session import Visit
from desk.web import Desk, DeskError, page_url
from graphql_api.auth import Role
from loaders import zone_lists
from loaders.submissions import parse_submission
from loaders.zone_lists import MAX_ITEMS, ZoneListApproval, ZoneListError
from queries.search import search_organisations
from queries.zone_division import ZoneDivision, zone_division

# A refusal's code (ZoneListError.reason, the API's extensions.reason) → what the clerk reads first;
# the writer's own sentence follows (for WRONG_APPROVER it names the body and the policy's source).
REFUSALS = {
    "WRONG_APPROVER": "审查同意未记录：{approver}不是本地区政策指定的审查同意机关。",
    "ALREADY_APPROVED": "审查同意未记录：所选事项已经审查同意；审查同意只记录一次，不覆盖。",
    "NOTHING_TO_APPROVE": "审查同意未记录：该清单没有待批准的事项。",
    "BEFORE_PROPOSAL": "审查同意未记录：审查同意日期早于事项的提请日期。",
    "UNKNOWN_LIST": "审查同意未记录：没有找到该清单（可能已被新版本取代）。",
    "UNKNOWN_ITEM": "审查同意未记录：该清单不含所选事项。",
    "UNKNOWN_DEPARTMENT": "审查同意未记录：没有找到所选部门。",
    "NO_APPROVER_POLICY": "审查同意未记录：本地区没有载入规定谁审查同意片区清单的政策。",
}


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/zone-lists")
    def zone_lists_page(
        request: Request,
        region: str | None = None,
        date: str | None = None,
        approved: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        return _show(desk, request, visit, region, date, approved=approved)

    @router.post("/zone-lists/approve")
    def approve(
        request: Request,
        csrf: str = Form("", max_length=200),
        region: str = Form("", max_length=100),
        date: str = Form("", max_length=20),
        list_id: str = Form("", max_length=200),
        approved_by: str = Form("", max_length=200),
        approved_on: str = Form("", max_length=20),
        items: Annotated[list[str] | None, Form()] = None,
        note: str = Form("", max_length=500),
    ) -> Response:
        visit = desk.gate_form(request, csrf, Role.REVIEWER)
        if isinstance(visit, Response):
            return visit
        caller = visit.caller
        assert caller is not None  # the gate let a reviewer or admin through
        source = f"desk:{zone_lists.APPROVE_ZONE_LIST} request:{getattr(request.state, 'request_id', '-')}"
        try:
            approval = parse_submission(
                ZoneListApproval,
                {
                    "list_id": text(list_id, "清单编号", 200),
                    "approved_by": text(approved_by, "审查同意部门", 200),
                    "approved_on": day(approved_on, "审查同意日期"),
                    "items": [code.strip() for code in (items or [])[:MAX_ITEMS] if code.strip()],
                    "note": text(note, "审查意见", 500),
                },
            )
            audit_id = desk.write(
                request,
                lambda tx: zone_lists.approve_zone_list(
                    tx, approval, actor=caller.name, role=caller.role.value, source=source
                ),
            )
        except (DeskError, RecordError) as exc:
            refusal = _refusal(exc) | {"approver": approved_by.strip()}
            return _show(desk, request, visit, region, date, refusal=refusal, status_code=400)
        target = page_url("/zone-lists", region=region, date=date, approved=audit_id)
        return RedirectResponse(target, status_code=303)

    return router


def _show(
    desk: Desk,
    request: Request,
    visit: Visit,
    region: str | None,
    date: str | None,
    *,
    approved: str | None = None,
    refusal: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page: the county's lists on the day, the approval form for reviewers, an outcome."""
    form = {"region": region or "", "date": date or ""}
    # A region-limited key is refused by the form's gate (desk.web.Desk.gate): offer it no form.
    limited = bool(visit.caller and visit.caller.regions and visit.caller.role is not Role.ADMIN)
    may_approve = visit.may(Role.REVIEWER) and not limited
    values: dict[str, Any] = {
        "form": form,
        "refusal": refusal,
        "approved": (approved or "")[:200] or None,
        "may_approve": may_approve,
        "limited": limited,
    }
    try:
        values["regions"] = regions(desk, request)
        values["as_of"] = as_of = day(date)
        place = text(region, "区（县）")
        if place:
            answer = desk.read(request, zone_division, region=place, as_of=as_of)
            answer = masked(answer, sees_personal_data=visit.sees_personal_data)
            values["answer"] = answer
            if may_approve and answer.item_lists:
                values["departments"] = _departments(desk, request, answer)
    except DeskError as exc:
        values["problem"] = str(exc)
    if refusal:  # the approver by the name the clerk chose it by
        names = {d.key: d.name for d in values.get("departments", [])}
        approver = names.get(refusal["approver"], refusal["approver"] or "所选部门")
        refusal["sentence"] = refusal["sentence"].format(approver=approver)
    return desk.page(request, visit, "zone_lists.html", status_code=status_code, **values)


def _departments(desk: Desk, request: Request, answer: ZoneDivision) -> list[Any]:
    """The departments of the lists' county, for the approver's choice (the writer checks it)."""
    found = desk.read(request, search_organisations, text=None, kind="Department", limit=500)
    return [hit for hit in found.nodes if hit.region == answer.region]


def _refusal(exc: Exception) -> dict[str, str]:
    """A refused approval as the clerk reads it: the sentence, the writer's detail, the code."""
    cause = exc.__cause__ if isinstance(exc, DeskError) else exc
    if isinstance(cause, ZoneListError):
        detail = str(cause).removeprefix(f"{cause.field}: ")
        return {
            "sentence": REFUSALS.get(cause.reason, "审查同意未记录。"),
            "detail": detail,
            "code": cause.reason,
        }
    return {
        "sentence": "审查同意未记录：表单填写有误。",
        "detail": str(exc),
        "code": "INVALID_INPUT",
    }
