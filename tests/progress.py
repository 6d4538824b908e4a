"""Progress while the suite runs: a line when the tests' Neo4j starts and is ready, and a line
for any test still running after a while (minutes of silence looked like a hang).

It holds no assertions (PYTEST_DONT_REWRITE: conftest imports it before pytest registers it).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import pytest

STILL_RUNNING_AFTER_S = 30.0
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… under `pytest -n`; "" otherwise

_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


def say(line: str) -> None:
    """Print a line on the terminal now, even while pytest captures the test's output.

    It writes to the terminal's own file descriptor, kept by pytest's capture, and never
    suspends the capture: suspending it from the watcher thread would put pytest's stream back
    in sys.stdout under a test that had swapped it (typer's CliRunner), and break that test."""
    if _config is None:
        return
    if WORKER:  # a pytest-xdist worker: its stdout is the channel to the controller, not a screen
        line = f"[{WORKER}] {line}"
    os.write(_terminal_fd(_config), f"\n{line}\n".encode())


def _terminal_fd(config: pytest.Config) -> int:
    """The terminal: stdout as pytest found it; in an xdist worker, stderr, which the worker
    shares with the controller's terminal (its stdout goes nowhere)."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    capturing = getattr(capture, "_global_capturing", None)  # fd capture keeps the terminal's fd
    stream = "err" if WORKER else "out"
    saved = getattr(getattr(capturing, stream, None), "targetfd_save", None)
    if isinstance(saved, int):
        return saved
    return (sys.__stderr__ if WORKER else sys.__stdout__).fileno()


@contextmanager
def announced(what: str) -> Iterator[None]:
    """Say that `what` starts and how long it took."""
    say(f"… {what}")
    started = time.monotonic()
    yield
    say(f"… {what}: done in {time.monotonic() - started:.0f} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    started = time.monotonic()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(STILL_RUNNING_AFTER_S):
            say(f"… still running {item.nodeid} ({time.monotonic() - started:.0f} s)")

    watcher = threading.Thread(target=watch, name="test-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
