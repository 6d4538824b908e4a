"""目录上传 (editors): a catalog file and what it is → the check report; then, if clean, the load.

Checking reads the file exactly as `authreg load` plans it (loaders.load.plan_load, with the
form's metadata as the .meta.yaml it stands for) and lists every problem where a spreadsheet
user finds it. Loading is the API's loadCatalog path (loaders.submissions.load_catalog_upload):
all or nothing, audited. A preview of what loading would change is not built yet.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from authreg.errors import RecordError
from desk.forms import text
from desk.web import CSRF_REFUSED, Desk, DeskError
from graphql_api.auth import Role
from loaders.load import plan_load
from loaders.report import LoadReport
from loaders.submissions import (
    CatalogRejected,
    CatalogUploadMetadata,
    load_catalog_upload,
    parse_submission,
    upload_problem,
)
from schema.enums import CatalogKind, DelegationMode

CHUNK = 256 * 1024
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


def routes(desk: Desk) -> APIRouter:
    router = APIRouter()

    @router.get("/upload")
    def upload_page(request: Request) -> Response:
        visit = desk.gate(request, Role.EDITOR)
        if isinstance(visit, Response):
            return visit
        return desk.page(request, visit, "upload.html", **_choices(), form={})

    @router.post("/upload")
    async def upload(
        request: Request,
        file: Annotated[UploadFile, File(description="目录文件")],
        csrf: str = Form("", max_length=200),
        action: str = Form("check", max_length=10),
        effective: str = Form("", max_length=20),
        title: str = Form("", max_length=200),
        doc_number: str = Form("", max_length=100),
        kind: str = Form("", max_length=20),
        region: str = Form("", max_length=20),
        streets: str = Form("", max_length=2000),
        mode: str = Form("", max_length=10),
    ) -> Response:
        visit = desk.gate(request, Role.EDITOR)
        if isinstance(visit, Response):
            return visit
        if not desk.sessions.csrf_ok(visit, csrf):
            return desk.refused(request, visit, CSRF_REFUSED, 403)
        form = {
            "effective": effective,
            "title": title,
            "doc_number": doc_number,
            "kind": kind,
            "region": region,
            "streets": streets,
            "mode": mode,
        }
        values: dict[str, Any] = {**_choices(), "form": form, "file_name": file.filename}
        with tempfile.TemporaryDirectory(prefix="authreg-desk-") as folder:
            try:
                metadata = _metadata(form)
                staged = await _save(file, Path(folder), desk.settings.api_max_upload_bytes)
                if action == "load":
                    caller = visit.caller
                    assert caller is not None
                    values["loaded"] = load_catalog_upload(
                        request.app.state.driver,
                        desk.settings,
                        path=staged,
                        filename=staged.name,
                        metadata=metadata,
                        actor=caller.name,
                        role=caller.role.value,
                    )
                    answers = getattr(request.app.state, "answers", None)
                    if answers is not None:
                        answers.graph_changed()
                else:
                    values.update(check(staged, metadata))
            except CatalogRejected as exc:
                values["problems"] = exc.problems
            except (DeskError, RecordError) as exc:
                values["problem"] = str(exc)
        return desk.page(request, visit, "upload.html", **values)

    return router


def check(staged: Path, metadata: CatalogUploadMetadata) -> dict[str, Any]:
    """The check report: every error and warning `authreg load` would give, and the rows read."""
    report = LoadReport()
    plan = plan_load(
        [staged], report, need_metadata=True, overrides=metadata.model_dump(exclude_none=True)
    )
    rows = sum(len(catalog.rows) for catalog in plan.catalogs)
    return {
        "checked": True,
        "rows": rows,
        "problems": [upload_problem(p) for p in report.errors],
        "warnings": [upload_problem(p) for p in report.warnings],
    }


def _metadata(form: dict[str, str]) -> CatalogUploadMetadata:
    fields: dict[str, Any] = {
        "effective": text(form["effective"], "生效日期"),
        "title": text(form["title"], "标题", 200),
        "doc_number": text(form["doc_number"], "文号"),
        "kind": text(form["kind"], "类型"),
        "region": text(form["region"], "区划编码", 20),
        "mode": text(form["mode"], "方式"),
    }
    streets = text(form["streets"], "街道", 2000)
    if streets:
        fields["streets"] = (
            streets if streets in ("all", "column") else [s.strip() for s in streets.split("、")]
        )
    if fields["effective"] is None:
        raise DeskError("请填写生效日期（年-月-日）：上传的目录必须注明何时生效。")
    return parse_submission(CatalogUploadMetadata, {k: v for k, v in fields.items() if v})


async def _save(upload: UploadFile, folder: Path, limit: int) -> Path:
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name.startswith(".") or not name.lower().endswith(SUFFIXES):
        raise DeskError("目录文件须为 .csv、.tsv、.txt 或 .xlsx 文件。")
    path, size = folder / name, 0
    with path.open("wb") as target:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise DeskError(f"文件超过上传上限（{limit // (1024 * 1024)} MB），未作处理。")
            target.write(chunk)
    return path


def _choices() -> dict[str, Any]:
    return {
        "kinds": [k.value for k in CatalogKind],
        "modes": [m.value for m in DelegationMode],
    }
