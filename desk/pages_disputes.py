"""争议处理 (reviewers): open disputes, their candidates weighed under 行政处罚法 Art. 22/24/25,
and the decision form — recorded by the same writer as the API's recordDisputeDecision and the
CLI's `dispute decide`, so the decision becomes a precedent later authority answers cite."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from authreg.errors import RecordError
from desk.forms import MAX_LONG_TEXT, text
from desk.web import Desk, DeskError, page_url
from graphql_api.auth import Role
from loaders import submissions
from loaders.submissions import DecisionSubmission, parse_submission
from queries.dispute_candidates import dispute_candidates
from queries.dispute_list import dispute_list


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/disputes")
    def disputes_page(
        request: Request, case: str | None = None, decided: str | None = None
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        listing = desk.read(request, dispute_list)
        answer, problem = None, None
        try:
            case = text(case, "案件编号")
            if case:
                answer = desk.read(request, dispute_candidates, case=case)
                if not answer.found:
                    problem = f"没有编号为「{case}」的案件。"
        except DeskError as exc:
            problem = str(exc)
        return desk.page(
            request,
            visit,
            "disputes.html",
            listing=listing,
            answer=answer if answer and answer.found else None,
            case=case,
            problem=problem,
            decided=bool(decided),
            may_decide=visit.may(Role.REVIEWER),
        )

    @router.post("/disputes/decide")
    def decide(
        request: Request,
        csrf: str = Form("", max_length=200),
        case: str = Form("", max_length=100),
        dispute: str = Form("", max_length=100),
        decided_for: str = Form("", max_length=100),
        basis: str = Form("", max_length=MAX_LONG_TEXT),
        decided_by: str = Form("", max_length=100),
        decision: str = Form("", max_length=MAX_LONG_TEXT),
    ) -> Response:
        visit = desk.gate_form(request, csrf, Role.REVIEWER)
        if isinstance(visit, Response):
            return visit
        caller = visit.caller
        assert caller is not None  # the gate let a reviewer or admin through
        try:
            submission = parse_submission(
                DecisionSubmission,
                {
                    "dispute_id": text(dispute, "争议编号"),
                    "decided_for": text(decided_for, "决定由谁管辖"),
                    "basis": text(basis, "决定依据", MAX_LONG_TEXT),
                    "decided_by": text(decided_by, "决定机关"),
                    "decision": text(decision, "决定内容", MAX_LONG_TEXT)
                    or _default_decision(desk, request, case, decided_for),
                },
            )
            source = f"desk:decide request:{getattr(request.state, 'request_id', '-')}"
            desk.write(
                request,
                lambda tx: submissions.decide_dispute(
                    tx, submission, actor=caller.name, role=caller.role.value, source=source
                ),
            )
        except (DeskError, RecordError) as exc:
            return desk.refused(request, visit, f"未能记录决定：{exc}", 400)
        return RedirectResponse(page_url("/disputes", case=case, decided="1"), status_code=303)

    return router


def _default_decision(desk: Desk, request: Request, case: str, decided_for: str) -> str | None:
    """由<name>管辖, with the claimant's name (the form sends its code); None: the writer's own."""
    found = desk.read(request, dispute_candidates, case=case) if case else None
    names = {c.body.key: c.body.name for c in (found.candidates if found else [])}
    name = names.get(decided_for.strip())
    return f"由{name}管辖" if name else None
