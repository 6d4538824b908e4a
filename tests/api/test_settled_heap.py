"""The started API's long-lived objects are kept out of the garbage collector's passes while it
serves, and given back when it stops (graphql_api.app.settled_heap, issue 16.4)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from authreg.settings import load_settings
from graphql_api.app import create_app


def test_the_started_app_is_frozen_while_serving_and_released_when_stopped() -> None:
    # On by default for a served API; the test session turns it off (tests/conftest.py).
    app = create_app(load_settings(neo4j_uri="bolt://127.0.0.1:9", api_settled_heap=True))
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert gc.get_freeze_count() > 10_000  # modules, schema, app: what was there at start
    assert gc.get_freeze_count() == 0


def test_an_app_started_with_it_off_freezes_nothing() -> None:
    app = create_app(load_settings(neo4j_uri="bolt://127.0.0.1:9", api_settled_heap=False))
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert gc.get_freeze_count() == 0
