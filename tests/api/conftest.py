"""The API against the session's real Neo4j: one key per role, requests through the ASGI app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from authreg.settings import ApiKey, Settings
from graphql_api.app import create_app

KEYS = {
    "viewer": "viewer-key-0123456789",
    "editor": "editor-key-0123456789",
    "reviewer": "reviewer-key-0123456789",
    "admin": "admin-key-0123456789",
}
ACTORS = {role: f"测试{role}" for role in KEYS}  # the key holders' names in the audit trail


@dataclass
class Api:
    """A client of the app: `query` posts one GraphQL request as a role (None = no key)."""

    client: TestClient

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        role: str | None = "viewer",
        **kwargs: Any,
    ) -> Any:
        headers = {"X-API-Key": KEYS[role]} if role else {}
        return self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            **kwargs,
        )

    def query(
        self, query: str, variables: dict[str, Any] | None = None, role: str | None = "viewer"
    ) -> dict[str, Any]:
        """The response's JSON body (data, errors, extensions); HTTP must be 200, or 401 for a
        refusal that is UNAUTHENTICATED and nothing else."""
        response = self.post(query, variables, role)
        body = response.json()
        if response.status_code == 401:
            assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
            return body
        assert response.status_code == 200, response.text
        return body

    def data(
        self, query: str, variables: dict[str, Any] | None = None, role: str | None = "viewer"
    ) -> dict[str, Any]:
        """The data of a request that must succeed without errors."""
        body = self.query(query, variables, role)
        assert not body.get("errors"), body["errors"]
        return body["data"]


def api_settings(settings: Settings, **overrides: Any) -> Settings:
    keys = [ApiKey(name=ACTORS[role], role=role, key=SecretStr(key)) for role, key in KEYS.items()]
    # A shared, busy test machine (load 30 on 2 cores) makes a 1-s answer take 11 s: the tests
    # check answers here, time is measured in bench/. Tests of the timeouts set their own.
    patient = {"api_query_timeout_s": 120.0, "api_request_timeout_s": 300.0}
    update = {"api_keys": keys, "api_production": True, **patient, **overrides}
    return settings.model_copy(update=update)


@pytest.fixture
def api(sample_graph: Any) -> Iterator[Api]:
    """The app over the loaded sample (read only: use `api_fresh` to write)."""
    with TestClient(create_app(api_settings(sample_graph.settings))) as client:
        yield Api(client)


@pytest.fixture
def api_fresh(fresh_sample_graph: Any) -> Iterator[Api]:
    """The app over a sample graph the test may change."""
    with TestClient(create_app(api_settings(fresh_sample_graph.settings))) as client:
        yield Api(client)
