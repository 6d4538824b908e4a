"""The door of /graphql (请求门槛): a request without a usable key, or with a body over the limit,
is refused before its body is read.

`RequestGate` is an ASGI middleware in front of everything that reads a request's body (the kept
responses, strawberry). For a POST to its path it checks, in this order and from the headers
alone: the key (`X-API-Key` or `Authorization: Bearer`; none or an unknown one is HTTP 401 with
UNAUTHENTICATED, unless anonymous reading is on), the declared `Content-Length` against the body
limit (HTTP 413 with PAYLOAD_TOO_LARGE); then it counts the bytes of a body streamed without a
length as they arrive, and refuses with 413 as soon as they pass the limit. A multipart request
(a catalog upload) may be larger by the upload limit. Each refusal is a GraphQL response with
one error saying why; so is an unexpected failure behind it (HTTP 500, masked and logged).
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphql_api.auth import KeyRing
from graphql_api.errors import INTERNAL, MASKED_MESSAGE, error_body
from graphql_api.request_log import LOGGER_NAME, current_request_id, log_event

log = logging.getLogger(LOGGER_NAME)


class BodyTooLarge(Exception):
    """Raised from `receive` once a streamed body passes the limit (caught by the gate)."""


class RequestGate:
    def __init__(
        self, app: ASGIApp, *, path: str, keys: KeyRing, max_body: int, max_upload: int
    ) -> None:
        self.app, self.path, self.keys = app, path, keys
        self.max_body, self.max_upload = max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        caller, problem = self.keys.caller(headers)
        if caller is None:
            await refuse(send, 401, "UNAUTHENTICATED", problem or "unknown key")
            return
        limit = self.limit(headers)
        declared = headers.get("content-length")
        if declared is not None and not declared.isdigit():
            await refuse(send, 400, "BAD_REQUEST", "the Content-Length header is not a number")
            return
        if declared is not None and int(declared) > limit:
            await refuse(send, 413, "PAYLOAD_TOO_LARGE", too_large(limit))
            return
        await self._counted(scope, receive, send, limit)

    def limit(self, headers: Headers) -> int:
        multipart = headers.get("content-type", "").startswith("multipart/form-data")
        return self.max_body + self.max_upload if multipart else self.max_body

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except BodyTooLarge:
            if started:
                raise
            await refuse(send, 413, "PAYLOAD_TOO_LARGE", too_large(limit))
        except Exception as exc:  # the edge of /graphql: a bug still answers in GraphQL's shape
            if started:
                raise
            log_event(log, "unexpected error serving a request", level=logging.ERROR, exc_info=exc)
            message = MASKED_MESSAGE.format(request_id=current_request_id() or "-")
            await refuse(send, 500, INTERNAL, message)


def too_large(limit: int) -> str:
    return (
        f"the request body is larger than the limit of {limit:,} bytes (请求过大); a catalog "
        "upload may be larger by AUTHREG_API_MAX_UPLOAD_BYTES"
    )


async def refuse(send: Send, status: int, code: str, message: str) -> None:
    """Answer with a GraphQL response holding one error (the body is never read)."""
    body = error_body(message, code, current_request_id() or "-")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="authreg"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
