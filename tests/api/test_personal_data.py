"""Officers' names and certificate numbers (个人信息) only for editor, reviewer and admin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)

from graphql_api.app import create_app
from graphql_api.schema import build_schema
from tests.api.conftest import Api, api_settings
from tests.conftest import Graph

CHAIN = '{ responsibilityChain(case: "LC-2024-0001") { links { node { label key name } } } }'
CHECKS = '{ caseChecks(case: "LC-2025-0005") { officers { id name } } }'


def nodes(data: dict) -> list[dict]:
    return [link["node"] for link in data["responsibilityChain"]["links"] if link["node"]]


def test_a_viewer_sees_the_bodies_of_a_chain_but_not_its_officers(api: Api) -> None:
    body = api.query(CHAIN, role="viewer")
    officers = [n for n in nodes(body["data"]) if n["label"] == "Officer"]
    bodies = [n for n in nodes(body["data"]) if n["label"] != "Officer"]
    assert officers and bodies
    assert all(n["key"] is None and n["name"] is None for n in officers)
    assert all(n["key"] and n["name"] for n in bodies)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert len(body["errors"]) == 2 * len(officers)


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin"])
def test_editors_reviewers_and_admins_see_officers(api: Api, role: str) -> None:
    officers = [n for n in nodes(api.data(CHAIN, role=role)) if n["label"] == "Officer"]
    assert officers and all(n["key"] and n["name"] for n in officers)
    checked = api.data(CHECKS, role=role)["caseChecks"]["officers"]
    assert {o["id"] for o in checked} == {"35050220230201", "35050220200202"}


def test_a_viewer_gets_case_check_officers_masked(api: Api) -> None:
    body = api.query(CHECKS, role="viewer")
    assert body["data"]["caseChecks"]["officers"] == [
        {"id": None, "name": None},
        {"id": None, "name": None},
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


EXPLAINED = '{ caseChecks(case: "LC-2025-0005") { explanation officers { certified } } }'
GAPS = '{ coverageGaps(region: "鲤城区", asOf: "2025-07-01") { gaps { rule detail fix } } }'


def test_sentences_are_written_for_the_caller_and_cached_per_kind_of_reader(
    wide_api: Api,
) -> None:
    """The answer cache holds caseChecks: a viewer's answer is never an editor's, nor back."""
    api = wide_api  # the longer time limit: coverageGaps of a county on a busy machine
    for role, named in [("viewer", False), ("editor", True), ("viewer", False), ("admin", True)]:
        checked = api.data(EXPLAINED, role=role)["caseChecks"]
        assert ("林晓东(35050220200202)" in checked["explanation"]) is named, role
        assert ("办案人员中有 1 名" in checked["explanation"]) is not named, role
        assert sorted(o["certified"] for o in checked["officers"]) == [False, True]
        [expired] = [
            g
            for g in api.data(GAPS, role=role)["coverageGaps"]["gaps"]
            if g["rule"] == "certified_officers_only"
        ]
        assert ("林晓东" in expired["detail"] + expired["fix"]) is named, role


# The whole selection of a root field is larger, deeper and slower than a usual request.
WIDE = {
    "api_max_depth": 64,
    "api_max_tokens": 100_000,
    "api_max_aliases": 1000,
    "api_max_fields": 10_000,
    "api_query_timeout_s": 120.0,
}


@pytest.fixture
def wide_api(sample_graph: Graph) -> Iterator[Api]:
    with TestClient(create_app(api_settings(sample_graph.settings, **WIDE))) as client:
        yield Api(client)


@pytest.fixture
def anonymous_api(sample_graph: Graph) -> Iterator[Api]:
    """The app with the anonymous read-only mode on: a call without a key reads as a viewer."""
    settings = api_settings(sample_graph.settings, api_anonymous_read=True, **WIDE)
    with TestClient(create_app(settings)) as client:
        yield Api(client)


# -- every text of every answer, as a caller without the right to personal data ---------------

# Each root field, asked with every argument set these test-only reads give (all cases, every
# county and zone, every unit with officers, ...). A root field missing here fails the test: a
# new question must say how it is asked before it can be checked.
ITEM_STREET = (
    "MATCH (i:EnforcementItem)<-[:OF]-(:Delegation)-[:TO]->(s:Street)"
    " RETURN DISTINCT i.code AS item, s.code AS street ORDER BY item, street LIMIT 8"
)
COUNTIES = "MATCH (r:Region {level: 'county'}) RETURN r.code AS region"
CASES = "MATCH (c:Case) RETURN c.id AS case"
UNITS = "MATCH (u:Unit) WHERE (u)<-[:MEMBER_OF]-() RETURN u.id AS id"
ROOT_ARGUMENTS: dict[str, list[str]] = {
    "authority": [ITEM_STREET],
    "legalBasis": ["MATCH (i:EnforcementItem) RETURN i.code AS item ORDER BY item LIMIT 8"],
    "impact": [
        "MATCH (d:LegalDocument)<-[:IN]-(:Provision)<-[:BASED_ON]-(:EnforcementItem)"
        " RETURN DISTINCT d.title AS document ORDER BY document LIMIT 4"
    ],
    "catalogDiff": [
        "MATCH (r:Region {level: 'county'})"
        " RETURN r.code AS region, '2020-01-01' AS fromDate, '2026-12-31' AS toDate"
    ],
    "coverageGaps": [
        COUNTIES,
        "MATCH (z:Zone) RETURN z.id AS zone",
        "MATCH (r:Region {level: 'county'})"
        " UNWIND ['2024-10-01', '2025-07-01', '2026-12-31'] AS asOf"
        " RETURN r.code AS region, asOf",
    ],
    "coverageMatrix": [COUNTIES],
    "evaluation": [
        "MATCH (r:Region {level: 'county'})"
        " RETURN r.code AS region, '2025-01-01' AS fromDate, '2025-12-31' AS toDate"
    ],
    "lawChanges": [COUNTIES],
    "guideUptake": ["MATCH (r:Region {level: 'province'}) RETURN r.code AS region"],
    "responsibilityChain": [CASES, ITEM_STREET],
    "overdueTransfers": [COUNTIES],
    "firstContact": [COUNTIES],
    "duties": [
        "MATCH (s:Street) WHERE s.code STARTS WITH '530426' UNWIND ['违法建设', '林木'] AS matter"
        " RETURN s.code AS street, matter, '2025-06-01' AS asOf"
    ],
    "disputeCandidates": [CASES],
    "caseChecks": [CASES],
    "certificates": [
        "MATCH (r:Region) WHERE r.level IN ['county', 'city']"
        " UNWIND ['2025-07-10', '2027-01-15'] AS asOf RETURN r.code AS region, asOf"
    ],
    "staffing": [
        "MATCH (r:Region) WHERE r.level = 'county'"
        " UNWIND ['2022-06-01', '2025-08-01'] AS asOf RETURN r.code AS region, asOf"
    ],
    "region": ["MATCH (r:Region) RETURN r.code AS code"],
    "street": ["MATCH (s:Street) RETURN s.code AS code ORDER BY code LIMIT 6"],
    "zone": ["MATCH (z:Zone) RETURN z.id AS id"],
    "department": ["MATCH (d:Department) RETURN d.id AS id ORDER BY id LIMIT 6"],
    "unit": [UNITS],
    "category": ["MATCH (c:Category) RETURN c.id AS id"],
    "item": ["MATCH (i:EnforcementItem) RETURN i.code AS code ORDER BY code LIMIT 4"],
    "document": ["MATCH (d:LegalDocument) RETURN d.id AS id ORDER BY id LIMIT 4"],
    "provision": ["MATCH (p:Provision) RETURN p.id AS id ORDER BY id LIMIT 4"],
    "catalog": ["MATCH (c:Catalog) RETURN c.id AS id"],
    "delegation": ["MATCH (d:Delegation) RETURN d.id AS id ORDER BY id LIMIT 4"],
    "officer": ["MATCH (o:Officer) RETURN o.id AS id"],
    "case": ["MATCH (c:Case) RETURN c.id AS id"],
    "transfer": ["MATCH (t:Transfer) RETURN t.id AS id"],
    "dispute": ["MATCH (d:Dispute) RETURN d.id AS id"],
    "policy": ["MATCH (p:Policy) RETURN p.id AS id"],
    "itemsByCode": ["MATCH (i:EnforcementItem) RETURN collect(i.code)[..5] AS codes"],
    "items": [COUNTIES],
    "streets": [COUNTIES],
    "officers": ["MATCH (u:Unit) WHERE (u)<-[:MEMBER_OF]-() RETURN u.id AS unit"],
    "documents": ["RETURN '法' AS text"],
    "provisions": ["RETURN '执法' AS text"],
    "organisations": ["RETURN '街道' AS text", "RETURN '中队' AS text"],
    "auditTrail": ["RETURN 1 AS nothing"],
    "route": [
        "MATCH (s:Street) WITH s ORDER BY s.code LIMIT 6"
        " UNWIND ['有人在路边占道摆摊卖水果', '随意倾倒生活垃圾', '采石毁坏林木'] AS complaint"
        " RETURN complaint, s.code AS street, '2025-08-01' AS asOf"
    ],
}
ADMIN_ONLY = {"auditTrail"}  # refused to a viewer as a whole (FORBIDDEN, data null)
NESTING = 3  # object levels below a root field; every node type is also a root (its lookup)


def selection(of: GraphQLNamedType, depth: int, path: frozenset, alias: str = "") -> str:
    """Every field of `of` (its members' for a union) down to `depth` levels, from the schema;
    fields that need arguments below the root are left out (their answers are asked at the root).
    A union member's fields get aliases: two members' `kind` may differ in nullability."""
    if isinstance(of, GraphQLUnionType):
        parts = [f"... on {m.name} {{ {selection(m, depth, path, m.name)} }}" for m in of.types]
        return "__typename " + " ".join(parts)
    fields = ["__typename"]
    for name, field in of.fields.items():  # type: ignore[union-attr]
        if any(is_required_argument(arg) for arg in field.args.values()):
            continue
        named = get_named_type(field.type)
        key = f"{alias}_{name}: {name}" if alias else name
        if is_leaf_type(named):
            fields.append(key)
        elif depth > 0 and named.name not in path:
            fields.append(f"{key} {{ {selection(named, depth - 1, path | {of.name})} }}")
    return " ".join(fields)


def questions(api_schema: GraphQLSchema, graph: Graph) -> Iterator[tuple[str, str]]:
    """(root field, query) for every root field of the schema and every argument set of it."""
    query_type = api_schema.query_type
    assert query_type is not None
    assert set(query_type.fields) == set(ROOT_ARGUMENTS), "every root field must be asked"
    for root, field in query_type.fields.items():
        named = get_named_type(field.type)
        below = "" if is_leaf_type(named) else f"{{ {selection(named, NESTING, frozenset())} }}"
        for read in ROOT_ARGUMENTS[root]:
            for row in graph.run(read):
                given = {k: v for k, v in row.items() if k in field.args}
                args = ", ".join(
                    f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in given.items()
                )
                yield root, f"{{ {root}{f'({args})' if args else ''} {below} }}"


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def personal_data(graph: Graph) -> set[str]:
    """Every officer's name and certificate number, and every case's summary (案情摘要: free text
    about people and places), in the graph (test-only read)."""
    rows = graph.run("MATCH (o:Officer) RETURN o.id AS id, o.name AS name")
    assert rows, "the sample has officers"
    summaries = graph.run("MATCH (c:Case) WHERE c.summary IS NOT NULL RETURN c.summary AS text")
    assert summaries, "the sample has case summaries"
    return (
        {row["id"] for row in rows}
        | {row["name"] for row in rows}
        | {row["text"] for row in summaries}
    )


def leaks(api: Api, graph: Graph, role: str | None) -> dict[str, set[str]]:
    """Per root field, the officers' names and numbers found in any string of its responses."""
    secrets = personal_data(graph)
    found: dict[str, set[str]] = {}
    asked = set()
    for root, query in questions(build_schema(graph.settings)._schema, graph):
        body = api.query(query, role=role)
        unexpected = [e for e in body.get("errors", []) if e["extensions"]["code"] != "FORBIDDEN"]
        assert not unexpected, (query, unexpected)
        assert body["data"] is not None or root in ADMIN_ONLY, (query, body.get("errors"))
        asked.add(root)
        text = list(strings(body))
        hits = {secret for secret in secrets for s in text if secret in s}
        if hits:
            found.setdefault(root, set()).update(hits)
    assert asked == set(ROOT_ARGUMENTS), f"never asked: {set(ROOT_ARGUMENTS) - asked}"
    return found


def test_no_text_a_viewer_reads_holds_an_officers_name_or_certificate(
    wide_api: Api, sample_graph: Graph
) -> None:
    assert leaks(wide_api, sample_graph, "viewer") == {}


def test_no_text_an_anonymous_caller_reads_holds_an_officers_name_or_certificate(
    anonymous_api: Api, sample_graph: Graph
) -> None:
    assert leaks(anonymous_api, sample_graph, None) == {}


RECORD_CASE = """mutation($case: CaseInput!) { recordCase(case: $case) { target auditId } }"""
CASE_PLACES = (
    "MATCH (r:Region {level: 'county'})<-[:PART_OF]-(s:Street)<-[:TO]-(:Delegation)"
    "-[:OF]->(i:EnforcementItem) WITH r, s, i ORDER BY s.code, i.code"
    " RETURN r.code AS region, head(collect([s.code, i.code])) AS place ORDER BY region"
)


def test_nor_after_cases_handled_by_every_officer_are_recorded(
    fresh_sample_graph: Graph,
) -> None:
    """Every officer on a case in every county, on days their certificates are and are not
    valid: caseChecks explains many uncertified officers, the chains and lookups show more."""
    settings = api_settings(fresh_sample_graph.settings, **WIDE)
    certificates = [r["id"] for r in fresh_sample_graph.run("MATCH (o:Officer) RETURN o.id AS id")]
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        for n, row in enumerate(fresh_sample_graph.run(CASE_PLACES)):
            street, item = row["place"]
            for day in ("2019-01-01", "2025-07-01"):
                case = {
                    "id": f"PD-{n}-{day}",
                    "itemCode": item,
                    "streetCode": street,
                    "occurredOn": day,
                    "handledBy": street,
                    "officers": certificates,
                }
                api.data(RECORD_CASE, {"case": case}, role="editor")
        recorded = api.data('{ caseChecks(case: "PD-0-2019-01-01") { officersOk } }')
        assert recorded["caseChecks"]["officersOk"] is False
        assert leaks(api, fresh_sample_graph, "viewer") == {}
