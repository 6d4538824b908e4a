"""`authreg demo` (make demo): a taken API port is named before any work, and Ctrl-C stops the
local Neo4j the demo started, saying so."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from authreg.cli import DEMO_PORT, demo_port
from authreg.local_db import build_jars, free_port
from tests.test_local_db import AUTHREG, PASSWORD, cli, running


def listening(port: int) -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def test_a_taken_port_given_is_refused_before_anything_starts(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    with listening(free_port()) as taken:
        port = taken.getsockname()[1]
        done = cli(home, free_port(), "demo", "--port", str(port))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"port {port} on 127.0.0.1 is taken" in done.stderr and "--port" in done.stderr
    assert not home.exists()  # no Neo4j started, nothing loaded


def test_without_a_port_the_next_free_one_is_chosen_and_said() -> None:
    port = demo_port("127.0.0.1", None)
    assert DEMO_PORT <= port < DEMO_PORT + 20
    with listening(port):
        assert demo_port("127.0.0.1", None) > port
    with listening(free_port()) as taken, pytest.raises(Exception, match="--port"):
        demo_port("127.0.0.1", taken.getsockname()[1])


def test_ctrl_c_stops_the_neo4j_the_demo_started_and_says_so(tmp_path: Path) -> None:
    build_jars()
    home, api_port = tmp_path / "neo4j", free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AUTHREG_"))}
    env.update(
        AUTHREG_LOCAL_HOME=str(home),
        AUTHREG_LOCAL_PORT=str(free_port()),
        AUTHREG_LOCAL_HEAP="512m",
        AUTHREG_LOCAL_PAGECACHE="32m",
        NEO4J_PASSWORD=PASSWORD,
        COLUMNS="200",
    )
    demo = subprocess.Popen(
        [AUTHREG, "demo", "--port", str(api_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = _read_until(demo, "GraphQL API", deadline=time.monotonic() + 600)
        assert "GraphQL API" in seen, seen
        # The desk first, as a one-time sign-in link (issue 15), then the API.
        assert seen.index("办事台 (desk): http://127.0.0.1:") < seen.index("GraphQL API"), seen
        pid = json.loads((home / "run" / "authreg-neo4j.json").read_text())["pid"]
        assert _healthy(api_port), seen
        demo.send_signal(signal.SIGINT)
        rest, _ = demo.communicate(timeout=180)
    finally:
        if demo.poll() is None:
            demo.kill()
        if (home / "run" / "authreg-neo4j.json").exists():
            cli(home, 0, "db", "stop")
    assert "Stopped the local Neo4j this demo started" in rest, rest
    assert not running(pid)


def _read_until(process: subprocess.Popen, marker: str, deadline: float) -> str:
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            break
    return "".join(seen)


def _healthy(port: int) -> bool:
    for _ in range(60):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return True
        except httpx.TransportError:
            time.sleep(1)
    return False
