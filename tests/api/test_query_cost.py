"""A query's cost is measured before validation expands it (fragment bombs), and no request may
hold the server longer than the request timeout; /healthz answers meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from graphql import get_introspection_query, parse
from neo4j import ManagedTransaction

import graphql_api.query_cost
import graphql_api.questions
from graphql_api.app import create_app
from graphql_api.query_cost import Limits, measure, refusal
from tests.api.conftest import KEYS, api_settings
from tests.api.test_serve import served  # noqa: F401  (the fixture: `authreg serve` on a port)
from tests.conftest import Graph

VIEWER = {"X-API-Key": KEYS["viewer"]}


def fragment_bomb(levels: int = 25, spreads: int = 4) -> str:
    """~1 KB: each fragment spreads the one before `spreads` times; 4**24 fields expanded."""
    fragments = ["fragment F0 on Query { __typename }"]
    for level in range(1, levels):
        spread = " ".join(f"...F{level - 1}" for _ in range(spreads))
        fragments.append(f"fragment F{level} on Query {{ {spread} }}")
    return f"{{ ...F{levels - 1} }}\n" + "\n".join(fragments)


def test_a_fragment_bomb_is_measured_walking_each_fragment_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Work counted, not timed: the 4**24 expanded fields are summed, never walked.
    walked: list[int] = []
    selections = graphql_api.query_cost._Measure.selections

    def counted(self: Any, selection_set: Any) -> Any:
        walked.append(1)
        return selections(self, selection_set)

    monkeypatch.setattr(graphql_api.query_cost._Measure, "selections", counted)
    cost = measure(parse(fragment_bomb(levels=25)))
    assert cost.fields == 4**24
    # the operation, each fragment once, and F0's one leaf field (no selections below it)
    assert len(walked) == 1 + 25 + 1


def test_a_fragment_is_counted_as_often_as_it_is_spread() -> None:
    document = parse(
        "query { a: authority(item: 1) { ...Who ...Who } }  "
        "fragment Who on AuthorityAnswer { outcome b: subject { name } }"
    )
    assert measure(document).fields == 1 + 2 * 3
    assert measure(document).depth == 3 and measure(document).aliases == 3


def test_graphiqls_schema_query_is_within_the_default_limits(sample_graph: Graph) -> None:
    settings = sample_graph.settings
    limits = Limits(settings.api_max_fields, settings.api_max_depth, settings.api_max_aliases)
    assert refusal(parse(get_introspection_query(descriptions=True)), limits) is None


def test_a_fragment_bomb_is_refused_before_validation(sample_graph: Graph) -> None:
    with TestClient(create_app(api_settings(sample_graph.settings))) as client:
        started = time.perf_counter()
        response = client.post("/graphql", json={"query": fragment_bomb()}, headers=VIEWER)
        took = time.perf_counter() - started
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "fields once its fragments are expanded" in error["message"]
    assert took < 5  # before: validation expanded it for minutes


def test_a_fragment_bomb_without_a_key_is_refused_unread(sample_graph: Graph) -> None:
    with TestClient(create_app(api_settings(sample_graph.settings))) as client:
        response = client.post("/graphql", json={"query": fragment_bomb()})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("served", [1], indirect=True, ids=["1-worker"])
def test_healthz_answers_while_a_fragment_bomb_is_sent(served: str) -> None:  # noqa: F811
    answers: list[Any] = []

    def bomb() -> None:
        answers.append(
            httpx.post(
                f"{served}/graphql",
                json={"query": fragment_bomb(levels=30)},
                headers=VIEWER,
                timeout=20,
            )
        )

    sender = threading.Thread(target=bomb)
    sender.start()
    for _ in range(5):
        assert httpx.get(f"{served}/healthz", timeout=5).json() == {"status": "ok"}
        time.sleep(0.1)
    sender.join(timeout=30)
    [response] = answers
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def slow_authority(tx: ManagedTransaction, **_: Any) -> Any:
    """Test-only Cypher that runs for many seconds, in place of the authority question."""
    cypher = "UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*) AS n"
    return tx.run(cypher).single()["n"]


@pytest.fixture
def slow_api(sample_graph: Graph, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app with `authority` replaced by a slow real query, a 30 s per-call timeout and a
    1.5 s per-request one."""
    monkeypatch.setattr(graphql_api.questions, "authority", slow_authority)
    settings = api_settings(
        sample_graph.settings,
        api_query_timeout_s=30,
        api_request_timeout_s=1.5,
        api_answer_cache_size=0,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_request_longer_than_the_request_timeout_is_answered_query_timeout(
    slow_api: TestClient,
) -> None:
    query = '{ authority(item: "LC-CG-001", street: "海滨街道") { outcome } }'
    outcome: list[Any] = []

    def ask() -> None:
        started = time.perf_counter()
        response = slow_api.post("/graphql", json={"query": query}, headers=VIEWER)
        outcome.append((response, time.perf_counter() - started))

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.3)
    health = []
    while asking.is_alive() and len(health) < 20:
        started = time.perf_counter()
        assert slow_api.get("/healthz").json() == {"status": "ok"}
        health.append(time.perf_counter() - started)
        time.sleep(0.05)
    asking.join(timeout=60)
    [(response, took)] = outcome
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TIMEOUT"]
    assert took < 10  # the per-call timeout (30 s) did not decide it
    assert health and max(health) < 1  # the event loop stayed free
