"""End to end: `authreg serve` on a free port, asked over real HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from authreg.local_db import free_port
from tests.api.conftest import ACTORS, KEYS
from tests.conftest import Graph

AUTHREG = Path(sys.executable).with_name("authreg")


@pytest.fixture
def served(sample_graph: Graph, request: pytest.FixtureRequest) -> Iterator[str]:
    workers = getattr(request, "param", 1)
    port = free_port()
    keys = [{"name": ACTORS["viewer"], "role": "viewer", "key": KEYS["viewer"]}]
    env = {
        **os.environ,
        "NEO4J_URI": str(sample_graph.settings.neo4j_uri),
        "NEO4J_PASSWORD": sample_graph.settings.neo4j_password.get_secret_value(),
        "AUTHREG_API_KEYS": json.dumps(keys),
    }
    server = subprocess.Popen(
        [str(AUTHREG), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.mark.parametrize("served", [1, 2], indirect=True, ids=["1-worker", "2-workers"])
def test_served_api_answers_the_authority_question_over_http(served: str) -> None:
    query = '{ authority(item: "LC-CG-001", street: "海滨街道", asOf: "2025-07-01") { outcome subject { name } } }'
    response = httpx.post(
        f"{served}/graphql",
        json={"query": query},
        headers={"X-API-Key": KEYS["viewer"], "X-Request-ID": "e2e-test-1"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "e2e-test-1"
    assert response.json()["data"]["authority"] == {
        "outcome": "determined",
        "subject": {"name": "海滨街道"},
    }
    assert httpx.get(f"{served}/healthz", timeout=10).json() == {"status": "ok"}


def test_served_graphiql_page_uses_only_the_apps_own_files(served: str) -> None:
    response = httpx.get(f"{served}/graphql", headers={"Accept": "text/html"}, timeout=10)
    if response.status_code == 503:
        pytest.skip("GraphiQL's files are not fetched here (run `make graphiql`)")
    assert response.status_code == 200
    assert "https://" not in response.text and "http://" not in response.text
    assert httpx.get(f"{served}/graphiql-assets/graphiql.min.js", timeout=10).status_code == 200


def _wait_ready(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180  # workers import the API afresh: slow on a loaded machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"authreg serve exited: {server.stdout.read() if server.stdout else ''}"
            )
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("authreg serve did not become ready within 180 s")


def _children(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(child) for child in text]
    return children


def test_two_workers_are_ready_together_and_a_dead_workers_reason_is_logged(
    sample_graph: Graph,
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": str(sample_graph.settings.neo4j_uri),
        "NEO4J_PASSWORD": sample_graph.settings.neo4j_password.get_secret_value(),
        "AUTHREG_API_KEYS": "[]",
    }
    server = subprocess.Popen(
        [str(AUTHREG), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server)
        workers = [child for child in _children(server.pid) if _is_worker(child)]
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(3)  # the supervisor looks every half second
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    lines = output.splitlines()
    ready = [i for i, line in enumerate(lines) if "API ready: all 2 worker processes" in line]
    started = [i for i, line in enumerate(lines) if "Application startup complete" in line]
    assert ready, output
    assert len([i for i in started if i < ready[0]]) == 2, output  # both before "ready"
    assert f"API worker [{workers[0]}] died: killed by SIGKILL" in output, output


def _is_worker(pid: int) -> bool:
    """A uvicorn worker (spawned python), not multiprocessing's resource tracker."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    return b"spawn_main" in command and b"resource_tracker" not in command
