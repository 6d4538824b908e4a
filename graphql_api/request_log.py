"""Structured request logs (请求日志): one JSON line per HTTP request, tied to a request id.

`RequestLogMiddleware` gives every request an id (the caller's `X-Request-ID` if it is a sane
token, else a fresh uuid4), keeps it in `request.state.request_id` and in a context variable
that `log_event` and the JSON formatter read, returns it in the `X-Request-ID` response header,
and logs the request on logger `authreg.api` once it is answered.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "authreg.api"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_id: ContextVar[str | None] = ContextVar("authreg_request_id", default=None)
log = logging.getLogger(LOGGER_NAME)


class RequestLogMiddleware:
    """Pure ASGI middleware: request id in, request id out, one JSON log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        state = scope.setdefault("state", {})  # the dict behind request.state
        state["request_id"] = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # what the caller gets if the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_request(scope, state, status, started)
            _request_id.reset(token)


def accepted_request_id(incoming: str | None) -> str:
    """The caller's id if it is 1–64 of [A-Za-z0-9._-] (safe in logs), else a new uuid4 hex."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being served by this task or thread, if any."""
    return _request_id.get()


def log_event(
    logger: logging.Logger,
    message: str,
    *,
    level: int = logging.INFO,
    exc_info: BaseException | None = None,
    **fields: Any,
) -> None:
    """Log `message` with structured `fields`; the current request id is added unless given."""
    request_id = current_request_id()
    if request_id is not None:
        fields.setdefault("request_id", request_id)
    logger.log(level, message, exc_info=exc_info, extra={"fields": fields})


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Write logger `authreg.api` (and its children) as JSON lines to stream (stderr).

    Calling it again replaces the handler instead of adding a second one. Records still
    propagate, so a root handler (pytest's caplog, an operator's own set-up) sees them too.
    """
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level.upper())
    for handler in [h for h in logger.handlers if isinstance(h, _JsonHandler)]:
        logger.removeHandler(handler)
    handler = _JsonHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    return handler


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, message, request_id, then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (request_id := current_request_id()) is not None:
            line["request_id"] = request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _JsonHandler(logging.StreamHandler):
    """The handler configure_logging installs (a distinct class so it can be found again)."""


def _log_request(scope: Scope, state: dict[str, Any], status: int, started: float) -> None:
    client = scope.get("client")
    fields: dict[str, Any] = {
        "request_id": state["request_id"],
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "client": client[0] if client else None,
    }
    if "role" in state:  # set by the GraphQL context once it knows the caller
        fields["role"] = state["role"]
    if any(state.get("answer_cache", {}).values()):  # questions answered from the answer cache
        fields["answer_cache"] = state["answer_cache"]
    level = logging.ERROR if status >= 500 else logging.INFO
    log_event(log, "request", level=level, **fields)
