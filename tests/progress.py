"""Progress while the suite runs: a line when the tests' Neo4j starts and is ready, and a line
for any test still running after a while (minutes of silence looked like a hang).

It holds no assertions (PYTEST_DONT_REWRITE: conftest imports it before pytest registers it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import pytest

STILL_RUNNING_AFTER_S = 30.0

_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


def say(line: str) -> None:
    """Print a line on the terminal now, even while pytest captures the test's output."""
    if _config is None:
        return
    reporter = _config.pluginmanager.get_plugin("terminalreporter")
    capture = _config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        reporter.write_line(line)


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
