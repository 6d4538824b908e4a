"""The desk through the ASGI app on the session's real Neo4j: one signed-in client per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graphql_api.app import create_app
from tests.api.conftest import KEYS, api_settings

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Clerk:
    """A browser-like client of the desk: signs in with a role's key, keeps the cookie."""

    client: TestClient

    def sign_in(self, role: str) -> httpx.Response:
        token = self.csrf("/sign-in")
        return self.client.post(
            "/sign-in", data={"key": KEYS[role], "csrf": token, "next": "/"}, follow_redirects=False
        )

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on a page (the session's)."""
        page = self.client.get(path)
        found = CSRF.search(page.text)
        assert found, f"no form with a CSRF token on {path}"
        return found.group(1)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None, follow_redirects=False)

    def page(self, path: str, **params: Any) -> str:
        """A page that must answer 200; its HTML."""
        response = self.get(path, **params)
        assert response.status_code == 200, (response.status_code, response.text[-2000:])
        return response.text


# Two cores shared by the whole test run: a report may take longer than the API's 10 s here.
SLOW_MACHINE = {"api_query_timeout_s": 120.0}


def desk_settings(settings: Any, **overrides: Any) -> Any:
    """The API tests' keys (one per role), with a time limit a loaded test machine can meet."""
    return api_settings(settings, **{**SLOW_MACHINE, **overrides})


def _clerk(settings: Any, role: str | None, **overrides: Any) -> Iterator[Clerk]:
    with TestClient(create_app(desk_settings(settings, **overrides))) as client:
        clerk = Clerk(client)
        if role:
            assert clerk.sign_in(role).status_code == 303
        yield clerk


@pytest.fixture
def viewer(sample_graph: Any) -> Iterator[Clerk]:
    yield from _clerk(sample_graph.settings, "viewer")


@pytest.fixture
def editor(sample_graph: Any) -> Iterator[Clerk]:
    yield from _clerk(sample_graph.settings, "editor")


@pytest.fixture
def admin(sample_graph: Any) -> Iterator[Clerk]:
    yield from _clerk(sample_graph.settings, "admin")


@pytest.fixture
def stranger(sample_graph: Any) -> Iterator[Clerk]:
    """Not signed in; the API's anonymous read-only mode is off."""
    yield from _clerk(sample_graph.settings, None)


@pytest.fixture
def reviewer_on_fresh(fresh_sample_graph: Any) -> Iterator[Clerk]:
    """A reviewer on a sample graph the test may change."""
    yield from _clerk(fresh_sample_graph.settings, "reviewer")
