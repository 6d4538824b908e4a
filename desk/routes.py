"""The desk mounted on the API's app (办事台): `mount_desk(app, settings)` adds every page at `/`.

Pages: desk.pages_authority (谁来执法), desk.pages_gaps (覆盖缺口), desk.pages_disputes (争议处理),
desk.pages_more (法律依据, 事项矩阵, 目录变化, 责任链, 案件检查, 公示), desk.pages_reports (定期报告:
评估, 执法证, 首问负责, 修法通知, 编制, 指导目录), desk.pages_duties (属地管理事项责任清单),
desk.pages_zone_lists (片区联合执法基础事项清单, 审查同意), desk.pages_upload (目录上传). Signing in and out is
here; the style sheet, the desk's own script and the vendored ECharts are served from
desk/static/ under /desk-static.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from authreg.settings import Settings
from desk import (
    pages_authority,
    pages_disputes,
    pages_duties,
    pages_gaps,
    pages_more,
    pages_reports,
    pages_upload,
    pages_zone_lists,
)
from desk.assets import STATIC_DIR
from desk.session import ONCE_PATH
from desk.web import CSRF_REFUSED, Desk

STATIC_PATH = "/desk-static"


def mount_desk(app: FastAPI, settings: Settings) -> Desk:
    """Add the desk's pages and static files to the app (the one call create_app makes)."""
    desk = Desk(settings)
    app.include_router(_sign_in_routes(desk))
    pages = (
        pages_authority,
        pages_gaps,
        pages_disputes,
        pages_more,
        pages_reports,
        pages_duties,
        pages_zone_lists,
        pages_upload,
    )
    for module in pages:
        app.include_router(module.routes(desk))
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR, check_dir=False), name="desk-static")
    app.state.desk = desk
    return desk


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no //host, no scheme): the sign-in never sends anyone away."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]


def _sign_in_routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/")
    def home(request: Request) -> Response:
        visit = desk.gate(request)
        if isinstance(visit, Response):
            return visit
        return desk.page(request, visit, "home.html", descriptions=DESCRIPTIONS)

    @router.get("/sign-in")
    def sign_in_page(request: Request, next: str | None = None) -> Response:
        visit = desk.sessions.visit(request)
        return desk.page(request, visit, "sign_in.html", next=_safe_next(next), problem=None)

    @router.post("/sign-in")
    def sign_in(
        request: Request,
        key: str = Form("", max_length=500),
        csrf: str = Form("", max_length=200),
        next: str = Form("/", max_length=500),
    ) -> Response:
        visit = desk.sessions.visit(request)
        if not desk.sessions.csrf_ok(visit, csrf):
            return desk.refused(request, visit, CSRF_REFUSED, 403)
        problem = desk.sessions.sign_in(visit, key)
        if problem:
            return desk.page(
                request,
                visit,
                "sign_in.html",
                next=_safe_next(next),
                problem=problem,
                status_code=401,
            )
        response = RedirectResponse(_safe_next(next), status_code=303)
        desk.sessions.keep(visit, request, response)
        return response

    @router.get(ONCE_PATH)
    def sign_in_once(request: Request, token: str = "") -> Response:
        visit = desk.sessions.visit(request)
        problem = desk.sessions.sign_in_once(visit, token[:1000])
        if problem:
            return desk.refused(request, visit, problem, 401)
        response = RedirectResponse("/", status_code=303)
        desk.sessions.keep(visit, request, response)
        return response

    @router.post("/sign-out")
    def sign_out(request: Request, csrf: str = Form("", max_length=200)) -> Response:
        visit = desk.sessions.visit(request)
        if not desk.sessions.csrf_ok(visit, csrf):
            return desk.refused(request, visit, CSRF_REFUSED, 403)
        desk.sessions.sign_out(visit)
        response = RedirectResponse("/sign-in", status_code=303)
        desk.sessions.keep(visit, request, response)
        return response

    return router


DESCRIPTIONS = {
    "/authority": "某事项在某街道某日由谁执法，附赋权、依据和适用规则",
    "/basis": "事项的法律依据条文；某部法律修改影响哪些事项",
    "/gaps": "片区、街道的人员与目录缺口，热力图，可导出 Excel",
    "/matrix": "全区（县）事项 × 街道的赋权方式一览",
    "/diff": "两个日期之间各街道承接事项的增减",
    "/chain": "执法主体、队伍、片区、中队、大队、法制审核",
    "/disputes": "待决管辖争议、候选主体与决定记录",
    "/cases": "案件主体是否适格，移送是否超期",
    "/duties": "某事项在某乡镇（街道）由谁承担主体责任、谁配合（属地管理事项责任清单）",
    "/zone-lists": "片区联合执法基础事项清单：牵头部门、提请与审查同意，可记录审查同意",
    "/upload": "上传目录文件，查看检查报告",
    "/notice": "片区划分与片区执法人员，可打印公示",
}
