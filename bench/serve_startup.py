"""How long `authreg serve --workers N` takes to be ready (服务启动), and what a worker's start costs.

    NEO4J_URI=bolt://… NEO4J_PASSWORD=… .venv/bin/python bench/serve_startup.py [--workers 2]
        [--runs 3]

Needs a running, migrated Neo4j (it only reads the schema version). Each run starts the server
and records, from the moment it is launched: when /readyz first answers 200, when each worker
logged "Application startup complete", and when the supervisor printed that all are ready. It
also measures, in fresh interpreters, the CPU seconds of importing the app and of create_app()
(what every spawned worker pays before it can answer). Figures only; not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from authreg.local_db import free_port

AUTHREG = Path(sys.executable).with_name("authreg")
IMPORT_COST = """
import resource, time
def cpu(): r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
import graphql_api.app as app
imported = cpu()
from authreg.settings import load_settings
app.create_app(load_settings())
print(f"{imported:.2f} {cpu() - imported:.2f}")
"""


def one_run(workers: int) -> dict[str, object]:
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [str(AUTHREG), "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    events: list[tuple[float, str]] = []

    def read() -> None:
        for line in server.stdout or ():
            events.append((time.monotonic() - started, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ready_at = None
    while ready_at is None and time.monotonic() - started < 300:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                ready_at = time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.terminate()
    server.wait(timeout=60)
    reader.join(timeout=5)
    return {
        "readyz_200_s": ready_at,
        "workers_started_s": [t for t, line in events if "Application startup complete" in line],
        "announced_s": [t for t, line in events if "API ready" in line],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    for _ in range(args.runs):
        cost = subprocess.run(
            [sys.executable, "-c", IMPORT_COST], capture_output=True, text=True, check=True
        ).stdout.split()
        print(f"one worker's start: import {cost[0]} s CPU, create_app {cost[1]} s CPU")
    for run in range(args.runs):
        result = one_run(args.workers)
        print(f"run {run + 1}: {result}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU of all children: {children.ru_utime + children.ru_stime:.1f} s")


if __name__ == "__main__":
    main()
