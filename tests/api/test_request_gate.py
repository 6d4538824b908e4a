"""Refusals before a body is read (no usable key, a body over the limit), and pages that work
offline: nothing the app serves points at another host."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from graphql_api.app import create_app
from tests.api.conftest import KEYS, api_settings
from tests.conftest import Graph

QUERY = b'{"query": "{ legalBasis(item: \\"LC-CG-001\\") { found } }"}'
HUNDRED_MB = 100 * 1024 * 1024


def asgi_post(app: Any, headers: dict[str, str], chunks: Iterator[bytes]) -> dict[str, Any]:
    """POST /graphql straight through the ASGI app; what was sent back and how much of the
    body the app asked for (`received`, in bytes)."""
    sent: list[dict[str, Any]] = []
    received = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        received += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 8000),
    }
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": start["status"], "body": json.loads(body), "received": received}


def endless(chunk: int = 64 * 1024) -> Iterator[bytes]:
    """100 MB of JSON whitespace, a chunk at a time (as good as endless here)."""
    for _ in range(HUNDRED_MB // chunk):
        yield b" " * chunk


def code(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    return str(error["extensions"]["code"])


def test_a_100_mb_body_without_a_key_is_refused_unread(sample_graph: Graph) -> None:
    app = create_app(api_settings(sample_graph.settings))
    headers = {"content-type": "application/json", "content-length": str(HUNDRED_MB)}
    answer = asgi_post(app, headers, endless())
    assert answer["status"] == 401 and answer["received"] == 0
    assert code(answer["body"]) == "UNAUTHENTICATED" and answer["body"]["data"] is None


def test_a_declared_length_over_the_limit_is_refused_unread(sample_graph: Graph) -> None:
    app = create_app(api_settings(sample_graph.settings))
    headers = {
        "content-type": "application/json",
        "content-length": str(HUNDRED_MB),
        "x-api-key": KEYS["viewer"],
    }
    answer = asgi_post(app, headers, endless())
    assert answer["status"] == 413 and answer["received"] == 0
    assert code(answer["body"]) == "PAYLOAD_TOO_LARGE"
    assert "1,048,576 bytes" in answer["body"]["errors"][0]["message"]  # the default limit


def test_a_streamed_body_is_counted_and_refused_once_past_the_limit(sample_graph: Graph) -> None:
    settings = api_settings(sample_graph.settings, api_max_body_bytes=256 * 1024)
    app = create_app(settings)
    app.state.driver = sample_graph.driver  # as the lifespan sets it (not run here)
    headers = {"content-type": "application/json", "x-api-key": KEYS["viewer"]}  # no length
    answer = asgi_post(app, headers, endless())
    assert answer["status"] == 413 and code(answer["body"]) == "PAYLOAD_TOO_LARGE"
    assert answer["received"] <= 256 * 1024 + 64 * 1024  # stopped at the chunk passing it


def test_a_body_within_the_limit_is_answered(sample_graph: Graph) -> None:
    settings = api_settings(sample_graph.settings, api_max_body_bytes=1024)
    with TestClient(create_app(settings)) as client:
        small = client.post(
            "/graphql",
            content=QUERY,
            headers={"content-type": "application/json", "X-API-Key": KEYS["viewer"]},
        )
        large = client.post(
            "/graphql",
            content=QUERY[:-1] + b" " * 2048 + b"}",
            headers={"content-type": "application/json", "X-API-Key": KEYS["viewer"]},
        )
    assert small.status_code == 200 and small.json()["data"]["legalBasis"]["found"] is True
    assert large.status_code == 413 and code(large.json()) == "PAYLOAD_TOO_LARGE"
    assert large.json()["errors"][0]["extensions"]["requestId"] == large.headers["X-Request-ID"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_swagger_and_redoc_are_off(sample_graph: Graph, path: str) -> None:
    with TestClient(create_app(api_settings(sample_graph.settings))) as client:
        assert client.get(path).status_code == 404


EXTERNAL = re.compile(r"""(https?:)?//[A-Za-z0-9-]+\.[A-Za-z0-9.-]+""")


def test_no_page_the_app_serves_references_another_host(sample_graph: Graph) -> None:
    app = create_app(api_settings(sample_graph.settings))
    pages = {"/graphql", "/healthz", "/readyz"} | {
        route.path
        for route in app.routes
        if "GET" in getattr(route, "methods", ()) and "{" not in route.path
    }
    with TestClient(app) as client:
        for path in sorted(pages):
            response = client.get(path, headers={"Accept": "text/html"})
            if path == "/graphql" and response.status_code == 503:
                continue  # GraphiQL's files are not fetched here: the page says so, no CDN
            assert response.status_code == 200, path
            found = [m.group(0) for m in EXTERNAL.finditer(response.text)]
            assert not found, f"{path} refers to {found}"
