"""Who may read, and the limits every request runs under (depth, tokens, aliases, time)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import partial
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from neo4j import ManagedTransaction

from graphql_api.app import create_app
from graphql_api.context import Context
from graphql_api.errors import ApiError
from tests.api.conftest import KEYS, Api, api_settings
from tests.conftest import Graph

AUTHORITY = '{ authority(item: "LC-CG-001", street: "海滨街道", asOf: "2025-07-01") { outcome } }'


@pytest.fixture
def api_with(sample_graph: Graph) -> Iterator[Callable[..., Api]]:
    """Apps over the sample with some settings changed (closed after the test)."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> Api:
            app = create_app(api_settings(sample_graph.settings, **overrides))
            return Api(stack.enter_context(TestClient(app)))

        yield make


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_a_call_without_a_key_is_unauthenticated_and_answers_nothing(api: Api) -> None:
    response = api.post(AUTHORITY, role=None)
    assert response.status_code == 401
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None
    assert "X-API-Key" in body["errors"][0]["message"]
    assert "Bearer" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["X-Request-ID"]


def test_an_unknown_key_is_unauthenticated(api: Api) -> None:
    response = api.client.post(
        "/graphql", json={"query": AUTHORITY}, headers={"X-API-Key": "not-a-key-0123456789"}
    )
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]


def test_a_bearer_key_in_authorization_reads_as_its_holder(api: Api) -> None:
    response = api.client.post(
        "/graphql",
        json={"query": AUTHORITY},
        headers={"Authorization": f"Bearer {KEYS['viewer']}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["authority"]["outcome"] == "determined"
    editor = api.client.post(
        "/graphql",
        json={"query": "{ auditTrail(first: 1) { totalCount } }"},
        headers={"authorization": f"bearer  {KEYS['editor']} "},  # any case, spaces trimmed
    )
    assert codes(editor.json()) == ["FORBIDDEN"]  # known as the editor: not admin


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": f"Basic {KEYS['viewer']}"},
        {"Authorization": KEYS["viewer"]},
        {"Authorization": "Bearer"},
        {"Authorization": f"Bearer {KEYS['admin']}", "X-API-Key": KEYS["viewer"]},
    ],
    ids=["basic-scheme", "no-scheme", "no-key", "two-different-keys"],
)
def test_an_unusable_authorization_header_is_unauthenticated_and_says_why(
    api: Api, headers: dict[str, str]
) -> None:
    response = api.client.post("/graphql", json={"query": AUTHORITY}, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
    assert "Bearer" in body["errors"][0]["message"] or "different" in body["errors"][0]["message"]


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "admin"])
def test_every_role_reads(api: Api, role: str) -> None:
    assert api.data(AUTHORITY, role=role)["authority"]["outcome"] == "determined"


def test_anonymous_read_only_mode_reads_as_a_viewer(api_with: Callable[..., Api]) -> None:
    anonymous_api = api_with(api_anonymous_read=True)
    assert anonymous_api.data(AUTHORITY, role=None)["authority"]["outcome"] == "determined"


def test_anonymous_mode_is_off_by_default(sample_graph: Graph) -> None:
    assert sample_graph.settings.api_anonymous_read is False


def test_query_deeper_than_the_limit_is_refused_before_it_runs(
    api_with: Callable[..., Api],
) -> None:
    api = api_with(api_max_depth=2)
    body = api.query(
        '{ authority(item: "LC-CG-001", street: "海滨街道") { delegation { catalogs { id } } } }'
    )
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["roundTrips"] == 0


def test_too_many_tokens_are_refused(api_with: Callable[..., Api]) -> None:
    api = api_with(api_max_tokens=10)
    body = api.query(AUTHORITY)
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()
    assert codes(body) == ["QUERY_TOO_COMPLEX"]


def test_too_many_aliases_are_refused(api: Api) -> None:
    aliases = " ".join(
        f'a{i}: legalBasis(item: "LC-CG-001") {{ found }}' for i in range(16)
    )  # settings.api_max_aliases is 15
    body = api.query(f"{{ {aliases} }}")
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"]
    assert codes(body) == ["QUERY_TOO_COMPLEX"]


def slow_count(tx: ManagedTransaction) -> int:
    """Test-only Cypher that runs for many seconds (no product query is slow on the sample)."""
    cypher = "UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*) AS n"
    return tx.run(cypher).single()["n"]


def test_a_database_call_longer_than_the_timeout_is_stopped(sample_graph: Graph) -> None:
    settings = api_settings(sample_graph.settings, api_query_timeout_s=0.5)
    context = Context(
        driver=sample_graph.driver,
        settings=settings,
        caller=None,
        auth_problem=None,
        request_id="t",
    )
    started = time.perf_counter()
    with pytest.raises(ApiError) as stopped:
        anyio.run(partial(context.read, slow_count))
    assert stopped.value.code == "QUERY_TIMEOUT"
    # Neo4j checks timeouts every 2 s (db.transaction.monitor.check.interval)
    assert time.perf_counter() - started < 10


def test_production_errors_carry_a_request_id_and_no_internals(api: Api) -> None:
    response = api.post("{ responsibilityChain { case } }")
    [error] = response.json()["errors"]
    assert error["extensions"]["requestId"] == response.headers["X-Request-ID"]


def test_get_requests_never_run_a_query(api: Api) -> None:
    response = api.client.get(
        "/graphql", params={"query": AUTHORITY}, headers={"X-API-Key": KEYS["viewer"]}
    )
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"] and response.json()["data"] is None


def test_a_repeated_query_is_validated_once(api: Api) -> None:
    from graphql_api.schema import CHECKED

    query = '{ legalBasis(item: "LC-CG-002") { found itemName } }'
    api.data(query)
    before = (CHECKED.hits, CHECKED.misses)
    api.data(query)
    assert (CHECKED.hits, CHECKED.misses) == (before[0] + 1, before[1])  # the limit rules too
