"""`authreg.driver.read`: a managed read transaction whose BEGIN goes with its first query (one
round trip fewer a read, issue 16.4), with the same answers, errors and timeouts as before."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import ManagedTransaction, Session
from neo4j._sync.work.transaction import TransactionBase
from neo4j.exceptions import ClientError

from authreg.driver import pipelined, read
from tests.conftest import Graph


def one_row(tx: ManagedTransaction, *, n: int) -> int:
    """Test-only Cypher: one row back."""
    return tx.run("RETURN $n + 1 AS m", n=n).single()["m"]


@pytest.fixture
def begins(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each transaction begun was pipelined (its BEGIN sent with the first query)."""
    seen: list[bool] = []
    begin = TransactionBase._begin

    def recorded(self: TransactionBase, *args: Any, pipelined: Any = False, **kwargs: Any) -> Any:
        seen.append(bool(pipelined))
        return begin(self, *args, pipelined=pipelined, **kwargs)

    monkeypatch.setattr(TransactionBase, "_begin", recorded)
    return seen


def test_a_read_sends_its_begin_with_its_first_query(graph: Graph, begins: list[bool]) -> None:
    assert read(graph.driver, graph.settings, one_row, n=41) == 42
    assert read(graph.driver, graph.settings, one_row, timeout=5.0, n=1) == 2
    assert begins == [True, True]
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        assert session.execute_read(one_row, n=1) == 2  # the driver's own default, for contrast
    assert begins == [True, True, False]


def test_a_begin_the_server_refuses_fails_the_read_as_before(graph: Graph) -> None:
    missing = graph.settings.model_copy(update={"neo4j_database": "nosuchdatabase"})
    with pytest.raises(ClientError) as pipelined_error:
        read(graph.driver, missing, one_row, n=1)
    session = graph.driver.session(database="nosuchdatabase")
    with session, pytest.raises(ClientError) as plain_error:
        session.execute_read(one_row, n=1)
    assert pipelined_error.value.code == plain_error.value.code
    assert pipelined_error.value.code == "Neo.ClientError.Database.DatabaseNotFound"


def test_a_driver_without_pipelined_begins_gets_a_plain_one(graph: Graph) -> None:
    class Plain:  # a session as a driver without `_pipelined_begin` would make it
        pass

    with pipelined(Plain()):  # type: ignore[arg-type]
        pass
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        assert isinstance(session, Session)
        with pipelined(session):
            assert session.execute_read(one_row, n=2) == 3
