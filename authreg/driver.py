"""The Neo4j driver factory (数据库连接): one place that knows the URI, credentials and errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Session, unit_of_work
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from authreg.errors import DatabaseError
from authreg.local_db import LocalNeo4j
from authreg.settings import Settings

T = TypeVar("T")


def bolt_uri(settings: Settings) -> str:
    """NEO4J_URI when set; otherwise the local Neo4j's recorded (or configured) port."""
    if settings.neo4j_uri:
        return settings.neo4j_uri
    state = local_neo4j(settings).running()
    port = state.port if state else settings.local_port
    return f"bolt://127.0.0.1:{port}"


def local_neo4j(settings: Settings) -> LocalNeo4j:
    """The local Neo4j these settings describe (home folder, port, password, memory)."""
    return LocalNeo4j(
        home=settings.local_home,
        port=settings.local_port,
        password=settings.neo4j_password.get_secret_value(),
        heap=settings.local_heap,
        pagecache=settings.local_pagecache,
        start_timeout_s=settings.local_start_timeout_s,
        jit=settings.local_jit,
    )


def open_driver(settings: Settings, *, verify: bool = True) -> Driver:
    """A driver for the configured Neo4j; with verify, a failure becomes one clear sentence."""
    uri = bolt_uri(settings)
    try:
        driver = GraphDatabase.driver(
            uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            connection_timeout=settings.connection_timeout_s,
            user_agent="authreg/0.1",
            # An empty or partly loaded graph lacks some labels; that warning is noise here.
            notifications_disabled_classifications=["UNRECOGNIZED"],
        )
    except (ConfigurationError, ValueError) as exc:
        raise DatabaseError(f"NEO4J_URI {uri!r} is not a usable Neo4j URI: {exc}") from exc
    if verify:
        try:
            driver.verify_connectivity()
        except BaseException:
            driver.close()
            raise
    return driver


@contextmanager
def connected(settings: Settings, *, migrated: bool = False) -> Iterator[Driver]:
    """Open, verify and always close a driver, translating connection errors where they enter.

    With `migrated`, a graph whose schema is older than this code's is refused before any
    question or load runs: a query would otherwise meet a missing index as a stack trace.
    """
    uri = bolt_uri(settings)
    try:
        driver = open_driver(settings)
    except ServiceUnavailable as exc:
        advice = "run `authreg db start`" if settings.uses_local_neo4j else "check NEO4J_URI"
        raise DatabaseError(f"Neo4j is not reachable at {uri}; {advice}") from exc
    except AuthError as exc:
        raise DatabaseError(
            f"Neo4j at {uri} refused user {settings.neo4j_user!r}: wrong NEO4J_USER or "
            "NEO4J_PASSWORD (the local store keeps the password it was first started with)"
        ) from exc
    try:
        if migrated:
            require_migrated(driver, settings.neo4j_database, uri)
        yield driver
    finally:
        driver.close()


def require_migrated(driver: Driver, database: str, uri: str) -> None:
    """Refuse, in one sentence, a graph not migrated to the schema version this code expects."""
    from schema.migrate import applied_version, expected_version

    expected, _ = expected_version()
    applied = applied_version(driver, database)
    if applied is None:
        raise DatabaseError(
            f"the graph at {uri} has no schema yet (this code expects version {expected}); "
            "run `authreg migrate` first"
        )
    if applied[0] < expected:
        raise DatabaseError(
            f"the graph at {uri} is at schema version {applied[0]}, this code expects "
            f"{expected} (a newer release added constraints or indexes); run `authreg migrate`"
        )


def session(driver: Driver, database: str) -> Session:
    """A session that shares the driver's bookmarks (因果一致): on a cluster, a read that follows
    a write in this process waits until its server has that write, whichever server it is."""
    return driver.session(database=database, bookmark_manager=driver.execute_query_bookmark_manager)


def read(
    driver: Driver,
    settings: Settings,
    work: Callable[..., T],
    *,
    timeout: float | None = None,
    **params: Any,
) -> T:
    """Run a query function in a managed read transaction (retried on transient errors).

    `timeout` (seconds) makes the server abort the transaction when it runs longer. The
    transaction's BEGIN goes with its first query (`pipelined`), not in a round trip of its own.
    """
    with session(driver, settings.neo4j_database) as tx_session, pipelined(tx_session):
        return tx_session.execute_read(_timed(work, timeout), **params)


def pipelined(tx_session: Session) -> AbstractContextManager[Any]:
    """Within it, a transaction's BEGIN is sent with its first query instead of waiting for its
    own reply, as the driver's `execute_query` does (`Session._pipelined_begin`, driver 5.x–6.x):
    one round trip fewer a read, ~0.2 ms of this process's CPU of an authority answer's ~1.6
    (BENCHMARKS.md, 2026-12-07 evening). A BEGIN the server refuses fails the first query
    instead, within the same retried transaction function. A driver without it: a plain BEGIN."""
    found = getattr(tx_session, "_pipelined_begin", None)
    return nullcontext() if found is None else found


def write(
    driver: Driver,
    settings: Settings,
    work: Callable[..., T],
    *,
    timeout: float | None = None,
    **params: Any,
) -> T:
    """Run a writer function in a managed write transaction (retried on transient errors)."""
    with session(driver, settings.neo4j_database) as tx_session:
        return tx_session.execute_write(_timed(work, timeout), **params)


def _timed(work: Callable[..., T], timeout: float | None) -> Callable[..., T]:
    if timeout is None:
        return work
    metadata = getattr(work, "metadata", None)  # keep a query's own unit_of_work metadata
    return unit_of_work(metadata=metadata, timeout=timeout)(work)


__all__ = [
    "ManagedTransaction",
    "bolt_uri",
    "connected",
    "local_neo4j",
    "open_driver",
    "read",
    "session",
    "write",
]
