"""Error codes reach the caller; in production unexpected errors are masked and logged."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

import pytest
import strawberry

from graphql_api.errors import ErrorMasking, Forbidden, NotFound
from graphql_api.request_log import LOGGER_NAME

QUERY = "{ leaky forbidden }"


@dataclass
class Context:
    request_id: str


@strawberry.type
class Query:
    @strawberry.field
    def leaky(self) -> str | None:
        raise RuntimeError("MATCH (n) secret")

    @strawberry.field
    def forbidden(self) -> str | None:
        raise Forbidden("this needs the role editor (无权限)")

    @strawberry.field
    def item(self, code: str) -> str:
        raise NotFound(f"no enforcement item {code}")

    @strawberry.field
    def on(self, day: date) -> str:
        return day.isoformat()


def schema(production: bool) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[ErrorMasking.per_request(production)])


def errors_by_field(query: str, production: bool, request_id: str = "req-1") -> dict:
    result = schema(production).execute_sync(query, context_value=Context(request_id))
    return {(e.path or ["-"])[0]: e.formatted for e in result.errors or []}


def test_production_masks_an_unexpected_error_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger=LOGGER_NAME):
        errors = errors_by_field(QUERY, production=True)
    masked = errors["leaky"]
    assert masked["message"] == "Internal server error (内部错误); request id req-1"
    assert masked["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-1"}
    assert "MATCH" not in str(masked)
    [record] = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert record.fields["request_id"] == "req-1" and record.fields["path"] == "leaky"
    assert "MATCH (n) secret" in caplog.text  # the traceback is in the log, not the answer


def test_an_api_error_keeps_its_message_and_code_in_production() -> None:
    errors = errors_by_field(QUERY, production=True)
    assert errors["forbidden"]["message"] == "this needs the role editor (无权限)"
    assert errors["forbidden"]["extensions"] == {"code": "FORBIDDEN", "requestId": "req-1"}
    item = errors_by_field('{ item(code: "X-9") }', production=True)["item"]
    assert item["extensions"] == {"code": "NOT_FOUND", "requestId": "req-1"}


def test_validation_and_input_errors_pass_through_with_the_request_id() -> None:
    unknown = errors_by_field("{ nosuchfield }", production=True)["-"]
    assert "nosuchfield" in unknown["message"]
    assert unknown["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": "req-1"}
    bad_date = errors_by_field('{ on(day: "31.12.2024") }', production=True)["-"]
    assert "31.12.2024" in bad_date["message"]
    assert bad_date["extensions"] == {"code": "BAD_USER_INPUT", "requestId": "req-1"}


def test_a_bad_variable_is_the_callers_error_though_a_scalar_parser_raised_it() -> None:
    result = schema(production=True).execute_sync(
        "query ($day: Date!) { on(day: $day) }", {"day": "nope"}, Context("req-2")
    )
    [error] = result.errors or []
    assert error.original_error is not None and error.path is None
    assert "nope" in error.message
    assert error.extensions == {"code": "BAD_USER_INPUT", "requestId": "req-2"}


def test_development_shows_the_message_with_the_request_id() -> None:
    errors = errors_by_field(QUERY, production=False, request_id="dev-7")
    assert errors["leaky"]["message"] == "MATCH (n) secret"
    assert errors["leaky"]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "dev-7"}
    assert errors["forbidden"]["extensions"] == {"code": "FORBIDDEN", "requestId": "dev-7"}


def test_the_async_path_masks_the_same_way() -> None:
    execution = schema(production=True).execute(QUERY, context_value=Context("async-2"))
    result = asyncio.run(execution)
    messages = sorted(e.message for e in result.errors or [])
    assert messages[0].startswith("Internal server error") and "MATCH" not in " ".join(messages)
