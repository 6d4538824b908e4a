"""属地管理事项责任清单 (seed 002 四、三): who leads (主体责任) and who assists (配合责任) for a
matter in a town on a day — the same question as `authreg query duties` and GraphQL `duties`
(queries/duties.py), asked with a street, the matter's words and a day, printable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from desk.forms import day, text
from desk.masking import masked
from desk.web import Desk, DeskError
from queries.duties import duties

# What each outcome tells the clerk in the box above the answer (the answer's own sentence follows).
OUTCOMES = {
    "found": "已找到",
    "ambiguous": "有相近事项，请核对",
    "no_match": "清单中没有相符的事项",
    "no_list": "没有责任清单",
    "street_not_found": "街道/乡镇不明",
}


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/duties")
    def duties_page(
        request: Request,
        street: str | None = None,
        matter: str | None = None,
        date: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        form = {"street": street or "", "matter": matter or "", "date": date or ""}
        values: dict[str, Any] = {"form": form, "outcomes": OUTCOMES}
        try:
            place, words = text(street, "街道 / 乡镇"), text(matter, "事项")
            as_of = day(date)
            values["as_of"] = as_of
            if place and words:
                answer = desk.read(request, duties, street=place, matter=words, as_of=as_of)
                answer = masked(answer, sees_personal_data=visit.sees_personal_data)
                values.update(answer=answer, matters=_matters(answer))
            elif place or words:
                raise DeskError("请同时填写街道（乡镇）和事项。")
        except DeskError as exc:
            values["problem"] = str(exc)
        return desk.page(request, visit, "duties.html", **values)

    return router


def _matters(answer: Any) -> list[Any]:
    """The best matter first, then the close ones the answer lists beside it."""
    return [m for m in [answer.matter, *answer.similar] if m is not None]
