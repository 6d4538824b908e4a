"""Abusive requests get a GraphQL error with a code and a request id, never a bare HTTP 500, a
plain-text refusal or a dropped connection."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import KEYS, Api

KEY = {"X-API-Key": KEYS["viewer"]}
JSON = {**KEY, "content-type": "application/json"}
ON_DAY = (
    'query ($day: Date) { authority(item: "LC-CG-001", street: "海滨街道", asOf: $day) '
    "{ outcome } }"
)
NESTED = "{" + "a {" * 40 + "b" + "}" * 40 + "}"  # 40 levels: the limit is 12

# name: (request as TestClient keyword arguments, HTTP status, code)
ABUSIVE: dict[str, tuple[dict[str, Any], int, str]] = {
    "malformed JSON": ({"content": b'{"query": ', "headers": JSON}, 400, "BAD_REQUEST"),
    "body not UTF-8": ({"content": b'{"query": "\xff"}', "headers": JSON}, 400, "BAD_REQUEST"),
    "JSON not an object": ({"content": b"5", "headers": JSON}, 400, "BAD_REQUEST"),
    "wrong content type": (
        {"content": b"{ __typename }", "headers": {**KEY, "content-type": "text/plain"}},
        400,
        "BAD_REQUEST",
    ),
    "no query": ({"json": {"variables": {}}, "headers": KEY}, 400, "BAD_REQUEST"),
    "query not a string": ({"json": {"query": 5}, "headers": KEY}, 400, "BAD_REQUEST"),
    "variables not an object": (
        {"json": {"query": ON_DAY, "variables": [1]}, "headers": KEY},
        400,
        "BAD_REQUEST",
    ),
    "invalid date in a variable": (
        {"json": {"query": ON_DAY, "variables": {"day": "2025-02-30"}}, "headers": KEY},
        200,
        "BAD_USER_INPUT",
    ),
    "invalid date inline": (
        {
            "json": {
                "query": '{ authority(item: "LC-CG-001", street: "海滨街道", asOf: "2025-02-30") '
                "{ outcome } }"
            },
            "headers": KEY,
        },
        200,
        "BAD_USER_INPUT",
    ),
    "variable of the wrong type": (
        {"json": {"query": ON_DAY, "variables": {"day": 20250201}}, "headers": KEY},
        200,
        "BAD_USER_INPUT",
    ),
    "huge integer": (
        {
            "json": {
                "query": '{ impact(item: "LC-CG-001", limit: 99999999999999999999) { __typename } }'
            },
            "headers": KEY,
        },
        200,
        "BAD_USER_INPUT",
    ),
    "unknown field": (
        {"json": {"query": "{ nosuch }"}, "headers": KEY},
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "syntax error": (
        {"json": {"query": "{ authority( }"}, "headers": KEY},
        200,
        "GRAPHQL_PARSE_FAILED",
    ),
    "null bytes": (
        {"json": {"query": "{ __type\u0000name }"}, "headers": KEY},
        200,
        "GRAPHQL_PARSE_FAILED",
    ),
    "batch array": (
        {"json": [{"query": "{ __typename }"}, {"query": "{ __typename }"}], "headers": KEY},
        400,
        "BAD_REQUEST",
    ),
    "GET with a query": (
        {"method": "GET", "params": {"query": "{ __typename }"}, "headers": KEY},
        400,
        "BAD_REQUEST",
    ),
    "deeply nested selection": (
        {"json": {"query": NESTED}, "headers": KEY},
        200,
        "QUERY_TOO_COMPLEX",
    ),
    "unknown operationName": (
        {"json": {"query": "query A { __typename }", "operationName": "B"}, "headers": KEY},
        400,
        "BAD_REQUEST",
    ),
    "subscription": (
        {"json": {"query": "subscription { x }"}, "headers": KEY},
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "mutation input missing its fields": (
        {
            "json": {"query": "mutation { recordDisputeDecision(decision: {}) { target } }"},
            "headers": KEY,
        },
        200,
        "BAD_USER_INPUT",
    ),
    "multipart without operations": (
        {"files": {"operations": (None, "not json")}, "headers": KEY},
        400,
        "BAD_REQUEST",
    ),
    "no key": ({"json": {"query": "{ __typename }"}}, 401, "UNAUTHENTICATED"),
}


@pytest.mark.parametrize(("request_kwargs", "status", "code"), ABUSIVE.values(), ids=ABUSIVE)
def test_an_abusive_request_gets_a_coded_graphql_error(
    api: Api, request_kwargs: dict[str, Any], status: int, code: str
) -> None:
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "POST")
    response = api.client.request(method, "/graphql", **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None and body["errors"], body
    for error in body["errors"]:
        assert error["message"]
        assert error["extensions"]["requestId"] == response.headers["X-Request-ID"]
    assert code in [error["extensions"]["code"] for error in body["errors"]], body
