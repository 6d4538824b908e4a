"""目录上传 (editors): a catalog file and what it is → the check report and a preview of what
loading it would change; then 确认载入 (load exactly the previewed file) or 放弃.

The check and the preview are the API's upload path (loaders.submissions.preview_catalog_upload:
the file read as `authreg load` plans it, rehearsed against the graph, then loaded in a
transaction that is rolled back while the registry's questions are asked). The previewed file
is kept server-side (desk.previews) under a token bound to the session; confirming loads it
through loaders.submissions.load_catalog_upload — all or nothing, audited — and only onto the
graph the preview was made on (its write counter), else nothing is loaded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from authreg.errors import RecordError
from desk.forms import text
from desk.masking import masked
from desk.previews import Kept, PreviewStore
from desk.session import Visit
from desk.web import Desk, DeskError
from graphql_api.auth import Role
from loaders.preview import PreviewRefused
from loaders.submissions import (
    CatalogRejected,
    CatalogUploadMetadata,
    GraphChanged,
    UploadResult,
    load_catalog_upload,
    parse_submission,
    preview_catalog_upload,
)
from schema.enums import CatalogKind, DelegationMode

CHUNK = 256 * 1024
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
FORM_FIELDS = ("effective", "title", "doc_number", "kind", "region", "streets", "mode")


def routes(desk: Desk, store: PreviewStore | None = None) -> APIRouter:
    router = APIRouter()
    kept = store or PreviewStore()

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
        effective: str = Form("", max_length=20),
        title: str = Form("", max_length=200),
        doc_number: str = Form("", max_length=100),
        kind: str = Form("", max_length=20),
        region: str = Form("", max_length=20),
        streets: str = Form("", max_length=2000),
        mode: str = Form("", max_length=10),
    ) -> Response:
        visit = desk.gate_form(request, csrf, Role.EDITOR)
        if isinstance(visit, Response):
            return visit
        values_in = (effective, title, doc_number, kind, region, streets, mode)
        form = dict(zip(FORM_FIELDS, values_in, strict=True))
        values: dict[str, Any] = {**_choices(), "form": form, "file_name": file.filename}
        with tempfile.TemporaryDirectory(prefix="authreg-desk-") as folder:
            try:
                metadata = _metadata(form)
                staged = await _save(file, Path(folder), desk.settings.api_max_upload_bytes)
                # The preview is sync graph work (a write-and-rollback transaction, up to
                # PREVIEW_TIMEOUT_S): off the event loop, so other pages and /healthz answer.
                values.update(
                    await run_in_threadpool(_preview, request, desk, visit, staged, metadata)
                )
                if values.get("preview") is not None:
                    values["token"] = kept.keep(
                        staged, visit=visit, form=form, generation=values["preview"].generation
                    )
            except PreviewRefused as exc:
                values["problem"] = f"无法预览：{exc}"
            except (DeskError, RecordError) as exc:
                values["problem"] = str(exc)
        return desk.page(request, visit, "upload.html", **values)

    @router.post("/upload/confirm")
    def confirm(
        request: Request,
        csrf: str = Form("", max_length=200),
        token: str = Form("", max_length=100),
        action: str = Form("", max_length=10),
    ) -> Response:
        visit = desk.gate_form(request, csrf, Role.EDITOR)
        if isinstance(visit, Response):
            return visit
        values: dict[str, Any] = {**_choices(), "form": {}}
        try:
            waiting = kept.take(token, visit)
            values |= {"form": waiting.form, "file_name": waiting.name}
            if action != "confirm":
                kept.discard(token)
                values["discarded"] = True
                return desk.page(request, visit, "upload.html", **values)
            values["loaded"] = _load(request, desk, visit, waiting)
            kept.discard(token)
        except GraphChanged:
            kept.discard(token)
            values["problem"] = (
                "登记库在预览之后已有变动（另有载入或录入），未载入任何内容："
                "请重新上传并预览，看清载入在现在的登记库上会改变什么。"
            )
        except CatalogRejected as exc:
            kept.discard(token)
            values["problems"] = exc.problems
        except (DeskError, RecordError) as exc:
            values["problem"] = str(exc)
        return desk.page(request, visit, "upload.html", **values)

    return router


def _preview(
    request: Request, desk: Desk, visit: Visit, staged: Path, metadata: CatalogUploadMetadata
) -> dict[str, Any]:
    """The check report and, when it is clean, the preview."""
    check, shown = preview_catalog_upload(
        request.app.state.driver,
        desk.settings,
        path=staged,
        filename=staged.name,
        metadata=metadata,
        personal=visit.sees_personal_data,
    )
    return {
        "checked": True,
        "rows": check.rows,
        "problems": check.problems,
        "warnings": check.warnings,
        "preview": shown and masked(shown, sees_personal_data=visit.sees_personal_data),
    }


def _load(request: Request, desk: Desk, visit: Visit, waiting: Kept) -> UploadResult:
    caller = visit.caller
    assert caller is not None  # the gate let an editor in
    try:
        return load_catalog_upload(
            request.app.state.driver,
            desk.settings,
            path=waiting.file,
            filename=waiting.name,
            metadata=_metadata(waiting.form),
            actor=caller.name,
            role=caller.role.value,
            expected_generation=waiting.generation,
        )
    finally:
        answers = getattr(request.app.state, "answers", None)
        if answers is not None:
            answers.graph_changed()


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
