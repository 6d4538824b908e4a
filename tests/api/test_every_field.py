"""Every documented field answers without an internal error, before and after every kind of write.

The selection sets are generated from the schema itself (every field of every type, unions and
interfaces through each possible type, a few levels deep), so a field added tomorrow is asked
too; the arguments come from the sample (its questions' own examples, and the first keys of each
label for the lookups). A field whose value the JSON encoder cannot write (a Neo4j DateTime
typed `Any`) fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)

from graphql_api.app import create_app
from graphql_api.schema import build_schema
from tests.api.conftest import Api, api_settings
from tests.api.test_mutations import WRITES, send
from tests.conftest import Graph

LEVELS = 3  # object levels below each root field
QUESTIONS = {
    "authority": 'item: "LC-CG-001", street: "海滨街道", asOf: "2025-07-01"',
    "legalBasis": 'item: "LC-CG-006"',
    "impact": 'document: "《中华人民共和国固体废物污染环境防治法》", article: 111, '
    'asOf: "2025-01-01", limit: 5, offset: 0',
    "catalogDiff": 'street: "海滨街道", fromDate: "2025-06-30", toDate: "2025-07-01"',
    "coverageGaps": 'region: "鲤城区", asOf: "2025-07-01"',
    "coverageMatrix": 'region: "鲤城区", asOf: "2025-07-01"',
    "evaluation": 'region: "鲤城区", fromDate: "2025-01-01", toDate: "2025-12-31"',
    "lawChanges": 'region: "鲤城区", asOf: "2025-07-01"',
    "guideUptake": 'region: "福建省", asOf: "2025-08-01"',
    "responsibilityChain": 'case: "LC-2024-0001"',
    "overdueTransfers": 'region: "530426", now: "2025-06-20T09:00:00+08:00"',
    "firstContact": 'region: "530426", now: "2025-10-13T09:00:00+08:00"',
    "duties": 'street: "双江街道", matter: "违法建设", asOf: "2025-06-01"',
    "disputeCandidates": 'case: "LC-2025-0006"',
    "caseChecks": 'case: "LC-2025-0004"',
    "certificates": 'region: "420106", asOf: "2027-01-15"',
    "staffing": 'region: "330111", asOf: "2022-06-01"',
    "itemsByCode": 'codes: ["LC-CG-001", "LC-CG-002"]',
    "items": 'text: "垃圾", first: 3',
    "streets": 'region: "350502", first: 3',
    "officers": 'unit: "lc-u-zd1", first: 3',
    "documents": 'text: "法", first: 3',
    "provisions": 'text: "垃圾", first: 3',
    "organisations": 'text: "街道", first: 3',
    "auditTrail": "first: 10",
    "route": 'complaint: "有人在海滨街道路边占道摆摊卖水果", street: "海滨街道", asOf: "2025-08-01"',
}
# lookups by key: root field → the label whose keys are asked
LOOKUPS = {
    "region": "Region",
    "street": "Street",
    "zone": "Zone",
    "department": "Department",
    "unit": "Unit",
    "category": "Category",
    "item": "EnforcementItem",
    "document": "LegalDocument",
    "provision": "Provision",
    "catalog": "Catalog",
    "delegation": "Delegation",
    "officer": "Officer",
    "case": "Case",
    "transfer": "Transfer",
    "dispute": "Dispute",
    "policy": "Policy",
}
# a precedent exists for authority(LC-CG-001, 海滨街道) once LC-D-2025-01 is decided
AFTER_DECISION = {"authority": 'item: "LC-CG-001", street: "海滨街道"'}


def selection(schema: GraphQLSchema, of: Any, levels: int, alias: bool = False) -> str:
    """Every field of the type `of`, `levels` object levels down (then only __typename). A
    union's members alias their fields by type (`Street_kind: kind`): members may give one
    name two types."""
    named = get_named_type(of)
    if is_leaf_type(named):
        return ""
    if levels == 0:
        return "{ __typename }"
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        members = schema.get_possible_types(named)
        parts = [
            f"... on {member.name} {selection(schema, member, levels, alias=True)}"
            for member in members
        ]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, field in named.fields.items():
        if any(is_non_null_type(a.type) for a in field.args.values()):
            raise AssertionError(f"{named.name}.{name} needs an argument this test does not know")
        asked = f"{named.name}_{name}: {name}" if alias else name
        parts.append(f"{asked} {selection(schema, field.type, levels - 1)}")
    return "{ " + " ".join(parts) + " }"


def every_query(schema: GraphQLSchema, graph: Graph, questions: dict[str, str]) -> Iterator[str]:
    """One query per root field, asking everything below it."""
    fields = schema.query_type.fields  # type: ignore[union-attr]
    assert set(fields) == set(QUESTIONS) | set(LOOKUPS), "a root field this test does not ask"
    for root, field in fields.items():
        below = selection(schema, field.type, LEVELS)
        if root in LOOKUPS:
            argument = next(iter(field.args))
            keys = graph.run(
                f"MATCH (n:{LOOKUPS[root]}) RETURN n.{argument} AS key ORDER BY key LIMIT 2"
            )
            assert keys, f"the sample holds no {LOOKUPS[root]}"
            asked = [f'k{i}: {root}({argument}: "{k["key"]}") {below}' for i, k in enumerate(keys)]
            yield "{ " + " ".join(asked) + " }"
        else:
            yield f"{{ {root}({questions[root]}) {below} }}"


@pytest.fixture
def open_api(fresh_sample_graph: Graph) -> Iterator[Api]:
    """As admin (every field, personal data included), with limits wide enough for all of it."""
    settings = api_settings(
        fresh_sample_graph.settings,
        api_max_tokens=200_000,
        api_max_fields=200_000,
        api_max_depth=50,
        api_max_aliases=5000,
        api_max_body_bytes=10 * 1024 * 1024,
        api_answer_cache_size=0,
        api_query_timeout_s=120,  # a shared test machine: correctness here, speed in bench/
        api_request_timeout_s=300,
    )
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def ask_everything(api: Api, graph: Graph, questions: dict[str, str]) -> None:
    schema = build_schema(graph.settings)._schema
    for query in every_query(schema, graph, questions):
        response = api.post(query, role="admin")
        assert response.status_code == 200, (query[:200], response.text[:500])
        body = response.json()
        assert not body.get("errors"), (query[:200], body["errors"][:3])
        assert body["data"] and all(value is not None for value in body["data"].values()), query


def test_every_field_answers_before_and_after_every_kind_of_write(
    open_api: Api, fresh_sample_graph: Graph
) -> None:
    ask_everything(open_api, fresh_sample_graph, QUESTIONS)
    for mutation, (_, _, ids) in WRITES.items():
        body = send(open_api, mutation, "admin", ids.get("admin", ids[next(iter(ids))]))
        assert not body.get("errors"), (mutation, body["errors"])
    decided = open_api.data(
        '{ authority(item: "LC-CG-001", street: "海滨街道") { precedents { dispute decidedAt } } }',
        role="admin",
    )
    assert decided["authority"]["precedents"][0]["decidedAt"].startswith("2025-05-20T09:00:00")
    ask_everything(open_api, fresh_sample_graph, {**QUESTIONS, **AFTER_DECISION})
