"""auditTrail (审计记录): newest first, paged, filtered by action, actor and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from loaders.load import refresh_query_plans
from loaders.write import audit_entry, create_audit_entry
from queries.audit_trail import EARLIEST, audit_trail
from queries.cypher_files import cypher
from tests.conftest import Graph

WRITES = [  # oldest first
    ("editor-1", "editor", "recordCase", "LC-2025-9001"),
    ("editor-1", "editor", "recordTransfer", "ES-T-9001"),
    ("reviewer-1", "reviewer", "recordDecision", "LC-D-2025-01"),
    ("editor-2", "editor", "recordCase", "LC-2025-9002"),
    ("editor-1", "editor", "loadCatalog", "licheng-adjustment-2025@2025-03-01"),
]


def write_trail(graph: Graph) -> list[str]:
    """The entries of WRITES, one transaction each as the writers do; their ids, oldest first."""
    ids = []
    for actor, role, action, target in WRITES:
        entry = audit_entry(actor, role, action, f"graphql:{action}", target, {"id": target})
        ids.append(graph.write(create_audit_entry, entry=entry))
    return ids


def test_the_trail_pages_newest_first(graph: Graph) -> None:
    ids = write_trail(graph)
    first = graph.read(audit_trail, limit=2)
    second = graph.read(audit_trail, skip=2, limit=2)
    last = graph.read(audit_trail, skip=4, limit=2)
    assert [e.id for e in first.nodes + second.nodes + last.nodes] == ids[::-1]
    assert (first.total, first.has_next, last.has_next) == (5, True, False)
    newest = first.nodes[0]
    assert (newest.actor, newest.role, newest.action, newest.target) == (
        "editor-1",
        "editor",
        "loadCatalog",
        "licheng-adjustment-2025@2025-03-01",
    )
    assert newest.source == "graphql:loadCatalog" and newest.at.tzinfo is not None
    assert newest.detail == '{"id": "licheng-adjustment-2025@2025-03-01"}'


def test_the_trail_filters_by_action_and_actor(graph: Graph) -> None:
    write_trail(graph)
    cases = graph.read(audit_trail, action="recordCase")
    assert [e.target for e in cases.nodes] == ["LC-2025-9002", "LC-2025-9001"]
    assert cases.total == 2
    mine = graph.read(audit_trail, actor="editor-1", action="recordCase")
    assert [e.target for e in mine.nodes] == ["LC-2025-9001"]
    assert graph.read(audit_trail, action="noSuchAction").total == 0


def test_the_trail_filters_by_time(graph: Graph) -> None:
    write_trail(graph)
    third = graph.read(audit_trail, skip=2, limit=1).nodes[0]
    since = graph.read(audit_trail, since=third.at)
    assert [e.target for e in since.nodes][-1] == third.target and since.total == 3
    # A time without an offset is Beijing time: an hour ago there is every entry, none in an hour.
    now_in_beijing = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=8)
    assert graph.read(audit_trail, since=now_in_beijing - timedelta(hours=1)).total == 5
    assert graph.read(audit_trail, since=now_in_beijing + timedelta(hours=1)).total == 0


def test_entries_from_before_roles_and_sources_still_read(graph: Graph) -> None:
    graph.run(
        "CREATE (:AuditEntry {id: 'AUD-old', at: datetime('2025-05-20T09:00:00+08:00'), "
        "actor: '审核人', action: 'recordDecision', detail: '{}'})"
    )
    [old] = graph.read(audit_trail).nodes
    assert (old.id, old.role, old.source, old.target) == ("AUD-old", None, None, None)


def test_a_page_is_at_most_500_entries(graph: Graph) -> None:
    with pytest.raises(ValueError, match="at most 500"):
        graph.read(audit_trail, limit=501)


def test_a_page_walks_the_time_index_instead_of_sorting_every_entry(graph: Graph) -> None:
    graph.run(
        "UNWIND range(1, 400) AS n CREATE (:AuditEntry {id: 'bulk-' + n, actor: 'editor-' + (n % 7),"
        " action: ['recordCase', 'loadCatalog'][n % 2], at: datetime('2025-01-01T00:00Z') +"
        " duration({minutes: n})})"
    )
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    for action, actor in ((None, None), ("recordCase", None), (None, "editor-3")):
        steps = plan_steps(graph, action=action, actor=actor, since=EARLIEST, skip=0, limit=20)
        operators = {operator for operator, _ in steps}
        assert not operators & {"Sort", "Top"}, (
            steps
        )  # a PartialSort/PartialTop of equal instants is fine
        assert not operators & {"NodeByLabelScan", "AllNodesScan"}, steps
        seeks = [details for operator, details in steps if operator.startswith("NodeIndexSeek")]
        assert any("audit_entry_at" in details or ".at" in details for details in seeks), steps


def plan_steps(graph: Graph, **params: object) -> list[tuple[str, str]]:
    _, summary, _ = graph.driver.execute_query(
        "EXPLAIN " + cypher("audit_trail"), params, database_=graph.settings.neo4j_database
    )
    found, stack = [], [summary.plan]
    while stack:
        step = stack.pop()
        found.append((step["operatorType"].split("@")[0], step.get("args", {}).get("Details", "")))
        stack += step.get("children", [])
    return found
