"""Every request gets an id, echoed in X-Request-ID and in one JSON log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from graphql_api.request_log import (
    LOGGER_NAME,
    RequestLogMiddleware,
    configure_logging,
    log_event,
)

FIELDS = {"ts", "level", "request_id", "method", "path", "status", "duration_ms", "client"}


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What configure_logging writes, as text; the handler is removed afterwards."""
    stream = io.StringIO()
    handler = configure_logging("INFO", stream)
    yield stream
    logging.getLogger(LOGGER_NAME).removeHandler(handler)


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    app.add_middleware(RequestLogMiddleware)

    @app.get("/whoami")
    def whoami(request: Request) -> dict[str, str]:
        request.state.role = "editor"  # as the GraphQL context does once it knows the caller
        log_event(logging.getLogger(f"{LOGGER_NAME}.test"), "inside", item_code="C-001")
        return {"request_id": request.state.request_id}

    with TestClient(app) as test_client:
        yield test_client


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_sane_incoming_request_id_is_kept_and_logged(
    client: TestClient, log_lines: io.StringIO
) -> None:
    response = client.get("/whoami", headers={"X-Request-ID": "abc.DEF-123_x"})
    assert response.headers["X-Request-ID"] == "abc.DEF-123_x"
    assert response.json() == {"request_id": "abc.DEF-123_x"}
    inside, request = lines(log_lines)
    assert inside["request_id"] == "abc.DEF-123_x" and inside["item_code"] == "C-001"
    assert FIELDS | {"role"} <= request.keys()
    assert request["method"] == "GET" and request["path"] == "/whoami"
    assert request["status"] == 200 and request["role"] == "editor"
    assert request["level"] == "INFO" and request["ts"].endswith("+00:00")


@pytest.mark.parametrize("incoming", [None, "", "x" * 65, "bad id", "a\nb", "ключ".encode()])
def test_an_absent_or_odd_request_id_is_replaced_by_a_fresh_one(
    client: TestClient, log_lines: io.StringIO, incoming: str | bytes | None
) -> None:
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = client.get("/absent", headers=headers)
    generated = response.headers["X-Request-ID"]
    assert generated != incoming and len(generated) == 32 and int(generated, 16) >= 0
    [request] = lines(log_lines)
    assert request["request_id"] == generated and request["status"] == 404
    assert "role" not in request
