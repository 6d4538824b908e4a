"""Plain fields resolved straight by graphql-core (issue 16.4): the same answers as through
strawberry's own resolver wrapping, for every field of every question and every role, and never
for a field that checks the caller (personal data)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import GraphQLObjectType

import graphql_api.schema
from graphql_api.app import create_app
from graphql_api.schema import DEFINITION_BACKREF, build_schema
from tests.api.conftest import Api, api_settings
from tests.api.test_every_field import QUESTIONS, every_query
from tests.conftest import Graph

WIDE = {  # every field at once: limits wide enough, no cache (each request executes)
    "api_max_tokens": 200_000,
    "api_max_fields": 200_000,
    "api_max_depth": 50,
    "api_max_aliases": 5000,
    "api_max_body_bytes": 10 * 1024 * 1024,
    "api_answer_cache_size": 0,
    "api_query_timeout_s": 120,
    "api_request_timeout_s": 300,
}


def answers(graph: Graph, queries: list[str], role: str) -> list[dict[str, Any]]:
    with TestClient(create_app(api_settings(graph.settings, **WIDE))) as client:
        api = Api(client)
        return [_without_request_ids(api.query(query, role=role)) for query in queries]


def _without_request_ids(body: dict[str, Any]) -> dict[str, Any]:
    for error in body.get("errors", []):
        error.get("extensions", {}).pop("requestId", None)
    return _without_clock(body)


_GENERATED_AT = re.compile(r"生成于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _without_clock(value: Any) -> Any:
    """An answer without when it was computed (lawChanges' computedAt and the sentence that
    says it): the two runs compared are seconds apart."""
    if isinstance(value, dict):
        return {k: _without_clock(v) for k, v in value.items() if k != "computedAt"}
    if isinstance(value, list):
        return [_without_clock(v) for v in value]
    if isinstance(value, str):
        return _GENERATED_AT.sub("生成于 …", value)
    return value


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_every_field_answers_as_through_strawberry_s_wrapping(
    sample_graph: Graph, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = build_schema(sample_graph.settings)._schema
    queries = list(every_query(schema, sample_graph, QUESTIONS))
    lean = answers(sample_graph, queries, role)
    monkeypatch.setattr(graphql_api.schema, "lean_resolvers", lambda schema: 0)
    wrapped = answers(sample_graph, queries, role)
    # The same data and errors. Not the round trips: how DataLoaders batch depends on when
    # resolvers yield to the event loop, and plain fields resolved straight yield less often
    # (a zone's tree: 18 or 20 transactions, either way, run to run).
    for body in [*lean, *wrapped]:
        body.pop("extensions", None)
    assert lean == wrapped
    assert any(body.get("data") for body in lean)
    if role == "viewer":  # personal data still refused field by field
        assert any(
            error["extensions"]["code"] == "FORBIDDEN"
            for body in lean
            for error in body.get("errors", [])
        )


def test_no_field_that_checks_the_caller_is_resolved_straight(sample_graph: Graph) -> None:
    schema = build_schema(sample_graph.settings)
    straight = checked = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            definition = (field.extensions or {}).get(DEFINITION_BACKREF)
            is_straight = getattr(field.resolve, "__name__", "") == "direct"
            straight += is_straight
            resolver = getattr(definition, "base_resolver", None)
            function = getattr(resolver, "wrapped_func", None)
            if definition is not None and (
                definition.permission_classes or getattr(function, "plain", None) is False
            ):
                checked += 1
                assert not is_straight, f"{graphql_type.name}.{field.ast_node or field}"
    assert straight > 100 and checked > 0
