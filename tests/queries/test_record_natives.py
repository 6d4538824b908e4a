"""Records read in one pass (issue 16.4): `record_natives(record)` is `natives(record.data())`,
the same values of the same types, for every kind of value Neo4j returns and for every field of
every question's answer on the sample graph."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import queries.answers
from graphql_api.schema import build_schema
from queries.answers import natives, record_natives
from tests.api.test_every_field import QUESTIONS, every_query
from tests.api.test_lean_resolvers import answers
from tests.conftest import Graph

MADE = """
CREATE (a:Probe {name: '甲', on: date('2025-07-01'), at: datetime('2025-07-01T09:30:00+08:00'),
                 tags: ['x', 'y'], n: 3})
CREATE (b:Probe {name: '乙'})
CREATE (a)-[r:NEXT {since: date('2024-01-01')}]->(b)
WITH a, b, r
MATCH p = (a)-[:NEXT]->(b)
"""
EVERY_KIND = {  # column → expression: every kind of value a Bolt record can hold
    "node": "a",
    "relationship": "r",
    "path": "p",
    "nodes": "[a, b]",
    "holding": "{owner: a, link: r}",
    "text": "'text'",
    "integer": "7",
    "real": "2.5",
    "flag": "true",
    "nothing": "null",
    "day": "date('2025-07-01')",
    "zoned": "datetime('2025-07-01T09:30:00.123456789+08:00')",
    "named_zone": "datetime('2025-07-01T09:30:00[Asia/Shanghai]')",
    "local_moment": "localdatetime('2025-07-01T09:30:00')",
    "clock": "time('09:30:00+08:00')",
    "local_clock": "localtime('09:30:00')",
    "span": "duration('P1DT2H')",
    "spot": "point({x: 1.0, y: 2.0})",
    "place": "point({longitude: 118.6, latitude: 24.9})",
    "days": "[date('2025-01-01'), null, [date('2025-02-01'), 'x']]",
    "map": "{from: date('2025-01-01'), rows: [{to: null, at: localdatetime('2025-01-01T00:00')}]}",
    "empty_list": "[]",
    "empty_map": "{}",
    "mixed": "[1, 'a', 2.0, false]",
}


def test_every_kind_of_value_converts_as_record_data_then_natives(graph: Graph) -> None:
    for columns in [EVERY_KIND, *({key: value} for key, value in EVERY_KIND.items())]:
        returned = ", ".join(f"{expression} AS {key}" for key, expression in columns.items())
        [record], _, _ = graph.driver.execute_query(
            f"{MADE} RETURN {returned}", database_=graph.settings.neo4j_database
        )
        assert _typed(record_natives(record)) == _typed(natives(record.data())), list(columns)


def test_every_question_answers_as_with_record_data_then_natives(
    sample_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = "admin"  # every field, personal data included: the viewer reads the same records
    schema = build_schema(sample_graph.settings)._schema
    asked = list(every_query(schema, sample_graph, QUESTIONS))
    one_pass = answers(sample_graph, asked, role)
    for module in _readers():
        monkeypatch.setattr(module, "record_natives", _as_before)
    two_passes = answers(sample_graph, asked, role)
    for body in [*one_pass, *two_passes]:
        body.pop("extensions", None)  # round trips may batch differently; compared elsewhere
    assert one_pass == two_passes
    assert any(body.get("data") for body in one_pass)


def _as_before(record: Any) -> dict[str, Any]:
    return natives(record.data())


def _readers() -> list[Any]:
    """Every loaded module of queries/ that converts records with `record_natives`."""
    return [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith("queries.")
        and getattr(module, "record_natives", None) is queries.answers.record_natives
    ]


def _typed(value: Any) -> Any:
    """A value with the type of every part spelt out: 1 and 1.0 and True compare unequal."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__qualname__, repr(value))
