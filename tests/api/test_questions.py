"""Every question's root field gives exactly the answer its `queries/` function gives.

The selection set is built from the pydantic answer model itself (every field, nested to the
leaves), so a field the GraphQL type lost or renamed fails here; the API's JSON is compared with
the model's own JSON dump after the same call through the driver.
"""

from __future__ import annotations

import typing
from datetime import date, datetime
from typing import Any

import pytest
from pydantic import BaseModel
from strawberry.utils.str_converters import to_camel_case

from queries.authority import authority
from queries.case_checks import case_checks
from queries.catalog_diff import catalog_diff
from queries.coverage_gaps import coverage_gaps
from queries.coverage_matrix import coverage_matrix
from queries.dispute_candidates import dispute_candidates
from queries.impact import impact
from queries.legal_basis import legal_basis
from queries.overdue_transfers import overdue_transfers
from queries.responsibility_chain import responsibility_chain
from tests.api.conftest import Api
from tests.conftest import Graph

NOW = datetime.fromisoformat("2025-06-20T09:00+08:00")
JULY = date(2025, 7, 1)

# (root field, GraphQL arguments, the function, its keyword arguments)
QUESTIONS: list[tuple[str, str, Any, dict[str, Any]]] = [
    (
        "authority",
        'item: "LC-CG-004", street: "海滨街道", asOf: "2025-07-01"',
        authority,
        {"item": "LC-CG-004", "street": "海滨街道", "as_of": JULY},
    ),
    (
        "authority",
        'item: "LC-CG-001", street: "海滨街道", asOf: "2025-07-01"',
        authority,
        {"item": "LC-CG-001", "street": "海滨街道", "as_of": JULY},
    ),
    ("legalBasis", 'item: "LC-CG-006"', legal_basis, {"item": "LC-CG-006"}),
    (
        "impact",
        'document: "《中华人民共和国固体废物污染环境防治法》", article: 111, asOf: "2025-01-01"',
        impact,
        {
            "document": "《中华人民共和国固体废物污染环境防治法》",
            "article": 111,
            "as_of": date(2025, 1, 1),
        },
    ),
    (
        "catalogDiff",
        'street: "海滨街道", fromDate: "2025-06-30", toDate: "2025-07-01"',
        catalog_diff,
        {"street": "海滨街道", "from_date": date(2025, 6, 30), "to_date": JULY},
    ),
    (
        "coverageGaps",
        'zone: "江南新区片区", asOf: "2025-07-01"',
        coverage_gaps,
        {"zone": "江南新区片区", "as_of": JULY, "personal": True},
    ),
    (
        "coverageGaps",
        'region: "鲤城区", asOf: "2025-07-01"',
        coverage_gaps,
        {"region": "鲤城区", "as_of": JULY, "personal": True},
    ),
    (
        "coverageMatrix",
        'region: "鲤城区", asOf: "2025-07-01"',
        coverage_matrix,
        {"region": "鲤城区", "as_of": JULY},
    ),
    ("responsibilityChain", 'case: "LC-2024-0001"', responsibility_chain, {"case": "LC-2024-0001"}),
    (
        "overdueTransfers",
        'region: "530426", now: "2025-06-20T09:00:00+08:00"',
        overdue_transfers,
        {"region": "530426", "now": NOW},
    ),
    ("disputeCandidates", 'case: "LC-2025-0006"', dispute_candidates, {"case": "LC-2025-0006"}),
    ("caseChecks", 'case: "LC-2025-0004"', case_checks, {"case": "LC-2025-0004", "personal": True}),
]


def selection(model: type[BaseModel]) -> str:
    """Every field of the model, nested models expanded to their leaves."""
    parts = []
    fields = {name: info.annotation for name, info in model.model_fields.items()}
    fields |= {name: info.return_type for name, info in model.model_computed_fields.items()}
    for name, annotation in fields.items():
        nested = _nested_model(annotation)
        inner = f" {{ {selection(nested)} }}" if nested else ""
        parts.append(f"{to_camel_case(name)}{inner}")
    return " ".join(parts)


def camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel_case(k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if found := _nested_model(arg):
            return found
    return None


@pytest.mark.parametrize(
    ("field", "arguments", "question", "params"),
    QUESTIONS,
    ids=[f"{q[0]}-{i}" for i, q in enumerate(QUESTIONS)],
)
def test_root_field_gives_the_same_answer_as_the_query_function(
    api: Api, sample_graph: Graph, field: str, arguments: str, question: Any, params: dict
) -> None:
    expected = sample_graph.read(question, **params)
    query = f"{{ {field}({arguments}) {{ {selection(type(expected))} }} }}"
    data = api.data(query, role="admin")  # admin: officers' personal fields included
    assert data[field] == camel(expected.model_dump(mode="json"))


def test_a_question_costs_one_round_trip(api: Api) -> None:
    body = api.query('{ legalBasis(item: "LC-CG-001") { itemCode basisRaw } }')
    assert body["data"]["legalBasis"]["itemCode"] == "LC-CG-001"
    assert body["extensions"]["roundTrips"] == 1


def test_missing_item_is_an_answer_not_an_error(api: Api) -> None:
    data = api.data('{ authority(item: "NOPE", street: "开元街道") { outcome explanation } }')
    assert data["authority"]["outcome"] == "not_found"
    assert "NOPE" in data["authority"]["explanation"]


def test_bad_arguments_are_bad_user_input(api: Api) -> None:
    body = api.query("{ responsibilityChain { case } }")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    body = api.query('{ coverageGaps(region: "鲤城区", zone: "江南新区片区") { zoneId } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "exactly one scope" in error["message"]
