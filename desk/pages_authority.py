"""谁来执法 (who enforces): a matter in plain words, a street, a day → the subject and its evidence.

The matter is found through the items' full-text index (queries.search), best matches first,
among the items of the street's county; a street by code, exact name or name words. When the
words name several, the clerk chooses (each choice is a link, so the answer is a shareable URL).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from desk.forms import day, text
from desk.web import Desk, DeskError, today
from queries.authority import OUTCOME_LABELS, authority
from queries.graph_generation import graph_generation
from queries.lookups import item_code, street_code
from queries.search import search_items, search_organisations

WORDS_FILE = Path(__file__).with_name("matter_words.yaml")
CHOICES = 12  # matches listed when the words name several
SUGGESTIONS = 10  # typed-ahead rows


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/authority")
    def authority_page(
        request: Request,
        matter: str | None = None,
        item: str | None = None,
        street: str | None = None,
        date: str | None = None,
        print: str | None = None,
    ) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        form: dict[str, Any] = {"matter": matter or "", "street": street or "", "date": date}
        try:
            found = _ask(desk, request, matter, item, street, date)
        except DeskError as exc:
            return desk.page(
                request,
                visit,
                "authority.html",
                form=form,
                problem=str(exc),
                as_of=_day_or_today(date),
            )
        if print and found.get("answer"):
            state = desk.read(request, graph_generation)
            return desk.page(request, visit, "authority_print.html", graph_state=state, **found)
        answer = found.get("answer")
        if answer is not None and answer.street is not None:  # the names a clerk reads
            form["street"] = answer.street.name
            form["matter"] = form["matter"] or (answer.item.name if answer.item else "")
        return desk.page(request, visit, "authority.html", form=form, **found)

    @router.get("/suggest/streets")
    def suggest_streets(request: Request, q: str = "") -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        words = (q or "").strip()[:40]
        if not words:
            return JSONResponse([])
        hits = desk.read(
            request, search_organisations, text=words, kind="Street", limit=SUGGESTIONS
        )
        regions = _region_names(desk, request)
        return JSONResponse(
            [
                {"value": h.name, "code": h.key, "county": regions.get(h.region or "", "")}
                | ({"note": h.note} if h.note else {})  # found by a former name: 原名 X (至 D)
                for h in hits.nodes
            ]
        )

    @router.get("/suggest/items")
    def suggest_items(request: Request, q: str = "") -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        words = (q or "").strip()[:60]
        if not words:
            return JSONResponse([])
        hits = desk.read(request, search_items, text=words, limit=SUGGESTIONS)
        return JSONResponse([{"value": h.name, "code": h.code} for h in hits.nodes])

    return router


def _ask(
    desk: Desk,
    request: Request,
    matter: str | None,
    item: str | None,
    street: str | None,
    date: str | None,
) -> dict[str, Any]:
    """What the page shows: the answer, or the choices to make first, or nothing yet."""
    as_of = day(date)
    words = text(matter, "事项")
    item = text(item, "事项编码")
    place = text(street, "街道/乡镇")
    if not (words or item) or not place:
        return {"as_of": as_of}
    streets = _streets(desk, request, place)
    if len(streets) != 1:
        return {"as_of": as_of, "street_choices": streets}
    [chosen_street] = streets
    items = [{"code": item, "name": item}] if item else _items(desk, request, words, chosen_street)
    if len(items) != 1:
        choices = [i for i in items if i["code"]]
        return {
            "as_of": as_of,
            "street": chosen_street,
            "item_choices": choices,
            "everyday": len(choices) != len(items),
        }
    answer = desk.read(
        request, authority, item=items[0]["code"], street=chosen_street["code"], as_of=as_of
    )
    return {
        "as_of": as_of,
        "street": chosen_street,
        "answer": answer,
        "outcome_label": OUTCOME_LABELS[answer.outcome],
        "item_code": items[0]["code"],
    }


def _day_or_today(value: str | None) -> Any:
    try:
        return day(value)
    except DeskError:
        return today()


def _streets(desk: Desk, request: Request, words: str) -> list[dict[str, str]]:
    """Streets the words name: the one with that code or exact name, else the best matches."""
    try:
        code = desk.read(request, street_code, street=words)
    except DeskError:  # the same name in two counties (AmbiguousName): list them all
        code = None
    regions = _region_names(desk, request)
    hits = desk.read(request, search_organisations, text=words, kind="Street", limit=CHOICES)
    found = [
        {
            "code": h.key,
            "name": h.name,
            "region": h.region or "",
            "county": regions.get(h.region or "", ""),
            "note": h.note or "",  # found by a former name (更名): 原名 X (至 D)
        }
        for h in hits.nodes
    ]
    if code:
        exact = [s for s in found if s["code"] == code]
        return exact or [{"code": code, "name": words, "region": "", "county": "", "note": ""}]
    if not found:
        raise DeskError(f"没有名称含「{words}」的街道或乡镇，请换个说法或输入街道编码。")
    return found


def _items(
    desk: Desk, request: Request, words: str | None, street: dict[str, str]
) -> list[dict[str, str]]:
    """Items the words name, best matches first (the street's county's catalogs first)."""
    if words is None:
        return []
    try:
        code = desk.read(request, item_code, item=words)
    except DeskError:  # one name in two counties' catalogs: the street's county decides below
        code = None
    if code:
        return [{"code": code, "name": words}]
    region = street["region"] or None
    hits = desk.read(request, search_items, text=words, region=region, limit=CHOICES)
    if not hits.nodes and region:
        hits = desk.read(request, search_items, text=words, limit=CHOICES)
    if not hits.nodes:  # the everyday word for it (占道经营): the catalogs' words, to choose from
        found = {}
        for other in everyday_words().get(words, {}).get("words", []):
            more = desk.read(request, search_items, text=other, region=region, limit=CHOICES)
            found.update({h.code: h for h in more.nodes})
        hits = hits.model_copy(update={"nodes": list(found.values()), "total": len(found)})
        if hits.nodes:
            return [_choice(h) for h in hits.nodes] + [_NEED_CHOICE]
    if not hits.nodes:
        raise DeskError(
            f"没有找到与「{words}」相符的执法事项。可换用事项名称中的词语（如“生活垃圾”“户外广告”），"
            "或直接输入事项编码。"
        )
    return [_choice(h) for h in hits.nodes]


# Found through everyday words: the clerk chooses even when only one item is found.
_NEED_CHOICE = {"code": "", "name": ""}


@cache
def everyday_words() -> dict[str, dict[str, Any]]:
    """desk/matter_words.yaml: everyday words → the catalogs' words, with their source."""
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")) or {}


def _choice(hit: Any) -> dict[str, str]:
    return {"code": hit.code, "name": hit.name, "domain": hit.domain or "", "type": str(hit.type)}


def _region_names(desk: Desk, request: Request) -> dict[str, str]:
    regions = desk.read(request, search_organisations, text=None, kind="Region", limit=500)
    return {h.key: h.name for h in regions.nodes}
