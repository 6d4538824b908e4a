"""The desk's plumbing (办事台): reading through queries/, rendering templates, the sign-in gate.

Every page is a route that parses its GET form, runs one `queries/` function in a read
transaction (the same functions the API and the CLI call) and renders the answer. Writes go
through the same writers as the API's mutations, with the graph's write counter bumped and the
app's answer cache cleared, as graphql_api.context does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import cn2an
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

from authreg.driver import read, write
from authreg.errors import DatabaseError, RegistryError
from authreg.settings import Settings
from desk.assets import charts_present
from desk.session import Sessions, Visit
from graphql_api.auth import Role
from loaders.write import bumping
from queries.working_days import CHINA_TZ, china_today

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parent / "templates"

# The persistent menu (菜单): path, label, the roles that see it (None: every reader).
MENU: list[tuple[str, str, tuple[Role, ...] | None]] = [
    ("/authority", "谁来执法", None),
    ("/basis", "法律依据与修法影响", None),
    ("/gaps", "覆盖缺口", None),
    ("/matrix", "事项矩阵", None),
    ("/diff", "目录变化", None),
    ("/chain", "责任链", None),
    ("/disputes", "争议处理", None),
    ("/cases", "案件检查与转办", None),
    ("/reports", "定期报告", None),
    ("/duties", "属地管理责任", None),
    ("/zone-lists", "片区联合执法清单", None),
    ("/upload", "目录上传", (Role.EDITOR,)),
    ("/notice", "公示", None),
]


CSRF_REFUSED = "表单已失效（缺少或不符的安全校验码），未作任何更改。请返回上一页，刷新后重新提交。"


class DeskError(Exception):
    """A question the desk cannot ask as given; the message is shown to the clerk as is."""


class Desk:
    """What every page shares: settings, sign-ins, templates and the database calls."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions = Sessions(settings)
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters["cn_date"] = cn_date
        self.templates.filters["cn_time"] = cn_time
        self.templates.filters["num"] = num
        self.templates.filters["cn_num"] = cn_num
        self.templates.filters["article"] = article_label
        self.templates.globals["url"] = page_url

    def read(self, request: Request, work: Callable[..., T], **params: Any) -> T:
        """One `queries/` function in a read transaction, under the API's time limit."""
        with _translated():
            return read(
                request.app.state.driver,
                self.settings,
                work,
                timeout=self.settings.api_query_timeout_s,
                **params,
            )

    def write(self, request: Request, work: Callable[..., T], **params: Any) -> T:
        """A loaders/ writer in one write transaction that bumps the graph's write counter."""
        try:
            with _translated():
                return write(
                    request.app.state.driver,
                    self.settings,
                    bumping(work),
                    timeout=self.settings.api_query_timeout_s,
                    **params,
                )
        finally:
            answers = getattr(request.app.state, "answers", None)
            if answers is not None:
                answers.graph_changed()  # the API's cached answers may now be stale

    def page(
        self,
        request: Request,
        visit: Visit,
        template: str,
        *,
        status_code: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        """A rendered page, with the menu, the caller and the CSRF token every form needs."""
        body = self.templates.get_template(template).render(
            request=request,
            visit=visit,
            menu=[(p, label) for p, label, roles in MENU if roles is None or visit.may(*roles)],
            here=request.url.path,
            role_name=role_label(visit),
            charts=charts_present(),
            asked_at=datetime.now(CHINA_TZ),
            **values,
        )
        response = HTMLResponse(body, status_code=status_code)
        self.sessions.keep(visit, request, response)
        return response

    def refused(self, request: Request, visit: Visit, message: str, status_code: int) -> Response:
        return self.page(request, visit, "refused.html", message=message, status_code=status_code)

    def gate(self, request: Request, *roles: Role) -> Visit | Response:
        """The visit when its caller may use this page; else the sign-in page or a refusal."""
        visit = self.sessions.visit(request)
        if visit.caller is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)
            self.sessions.keep(visit, request, response)
            return response
        if roles and not visit.may(*roles):
            wanted = "、".join(ROLE_LABELS[r] for r in roles)
            return self.refused(
                request, visit, f"此页面需要{wanted}权限；您的身份是{role_label(visit)}。", 403
            )
        if roles and visit.caller.regions and visit.caller.role is not Role.ADMIN:
            # Issue 17.7: a region-limited key writes only in its regions; the desk's forms do not
            # yet name the region they write, so they refuse such a key (the API checks each write).
            regions = "、".join(visit.caller.regions)
            return self.refused(
                request,
                visit,
                f"您的密钥只能写入地区 {regions}；服务台表单暂不按地区核对写入，请通过接口提交。",
                403,
            )
        return visit

    def gate_form(self, request: Request, csrf: str, *roles: Role) -> Visit | Response:
        """`gate` for a form's POST, and its CSRF token checked: the visit, or the response."""
        visit = self.gate(request, *roles)
        if not isinstance(visit, Response) and not self.sessions.csrf_ok(visit, csrf):
            return self.refused(request, visit, CSRF_REFUSED, 403)
        return visit


ROLE_LABELS = {
    Role.VIEWER: "查阅",
    Role.EDITOR: "编办录入",
    Role.REVIEWER: "争议审核",
    Role.ADMIN: "管理员",
}


def role_label(visit: Visit) -> str:
    if visit.caller is None:
        return "未登录"
    if visit.caller.anonymous:
        return "匿名查阅"
    return ROLE_LABELS[visit.caller.role]


def today() -> date:
    return china_today()


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def cn_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    value = value.astimezone(CHINA_TZ) if value.tzinfo else value
    return f"{cn_date(value)} {value:%H:%M}"


def num(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else str(value)


def cn_num(value: int | None) -> str:
    """An article, paragraph or item number as the law writes it: 111 → 一百一十一."""
    if value is None:
        return ""
    return str(cn2an.an2cn(value))


def article_label(provision_id: str | None) -> str:
    """第二十二条第一款 from a provision id (document#article.paragraph.item, 0: none)."""
    numbers = (provision_id or "").rpartition("#")[2].split(".")
    words = ""
    for number, unit in zip(numbers, ("条", "款", "项"), strict=False):
        if number.isdigit() and int(number):
            words += f"第{cn_num(int(number))}{unit}"
    return words


def page_url(path: str, **params: Any) -> str:
    """A shareable link: the path and its non-empty GET parameters."""
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


class _translated:
    """Input problems become DeskError (shown to the clerk); a timeout or an outage too."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None:
            return
        if isinstance(exc, RegistryError) and not isinstance(exc, DatabaseError):
            raise DeskError(str(exc)) from exc
        if isinstance(exc, ClientError) and "TransactionTimedOut" in (exc.code or ""):
            raise DeskError("数据库未在时限内答复，请缩小查询范围后重试。") from exc
        if isinstance(exc, (ServiceUnavailable, DatabaseError)) or (
            isinstance(exc, Neo4jError) and not isinstance(exc, ClientError)
        ):
            raise DeskError("数据库暂时无法连接，请稍后重试或联系管理员。") from exc
