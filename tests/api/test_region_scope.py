"""Region-limited keys (issue 17.7): the mutation × role × region matrix, over every mutation the
schema has — a mutation added tomorrow is asked here too, and fails until it names its region."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from authreg.settings import ApiKey, load_settings
from graphql_api.app import create_app
from graphql_api.schema import build_schema
from tests.api.conftest import api_settings
from tests.api.test_mutations import ADJUSTMENT_FILE, ADJUSTMENT_META, LOAD_CATALOG, WRITES
from tests.conftest import Graph

MUTATIONS = sorted(build_schema(load_settings())._schema.mutation_type.fields)  # type: ignore[union-attr]
# Where each mutation's sample input writes (its county); test_mutations.WRITES holds the inputs.
ESHAN = ("530426", "峨山彝族自治县")
HOME = {"recordTransfer": ESHAN, "recordMatter": ESHAN, "recordMatterReply": ESHAN}
LICHENG = ("350502", "鲤城区")
ELSEWHERE = "420106"  # 武昌区: none of the inputs writes there
LIMITED = {  # (role, limited to) → key
    (role, region): f"{role}-{region}-key-0123456789"
    for role in ("editor", "reviewer")
    for region in ("350502", "530426", "420106", "350500")
}


def home(mutation: str) -> tuple[str, str]:
    return HOME.get(mutation, LICHENG)


def allowed(mutation: str, role: str) -> bool:
    return role in WRITES[mutation][1]


@pytest.fixture
def limited_settings(request: pytest.FixtureRequest) -> Any:
    def settings_for(graph: Graph) -> Any:
        base = api_settings(graph.settings)
        extra = [
            ApiKey(name=f"{role}@{region}", role=role, key=SecretStr(key), regions=[region])
            for (role, region), key in LIMITED.items()
        ]
        return base.model_copy(update={"api_keys": [*base.api_keys, *extra]})

    return settings_for


@pytest.fixture
def client(sample_graph: Graph, limited_settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(limited_settings(sample_graph))) as client:
        yield client


def send(client: TestClient, mutation: str, key: str, ident: str) -> dict[str, Any]:
    headers = {"X-API-Key": key}
    if mutation == "loadCatalog":
        operations = {"query": LOAD_CATALOG, "variables": {"file": None, "meta": ADJUSTMENT_META}}
        files = {"0": (ADJUSTMENT_FILE.name, ADJUSTMENT_FILE.read_bytes(), "text/csv")}
        data = {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})}
        response = client.post("/graphql", data=data, files=files, headers=headers)
    else:
        payload = {"query": WRITES[mutation][0], "variables": {"id": ident}}
        response = client.post("/graphql", json=payload, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_mutation_of_the_schema_has_an_input_here() -> None:
    assert set(MUTATIONS) == set(WRITES), "a new mutation needs its input in test_mutations.WRITES"


@pytest.mark.parametrize("role", ["editor", "reviewer"])
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_key_limited_elsewhere_is_refused_with_the_region_named_and_writes_nothing(
    client: TestClient, sample_graph: Graph, mutation: str, role: str
) -> None:
    before = sample_graph.counts()
    ident = next(iter(WRITES[mutation][2].values()))
    body = send(client, mutation, LIMITED[(role, ELSEWHERE)], ident)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None
    if allowed(mutation, role):  # refused for the region, not the role: the sentence says where
        code, name = home(mutation)
        assert ELSEWHERE in error["message"]
        assert code in error["message"] or name in error["message"], error["message"]
    else:
        assert "needs the role" in error["message"]
    assert sample_graph.counts() == before


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_key_limited_to_the_right_region_but_the_wrong_role_is_still_refused(
    client: TestClient, sample_graph: Graph, mutation: str
) -> None:
    role = "reviewer" if allowed(mutation, "editor") else "editor"
    before = sample_graph.counts()
    ident = next(iter(WRITES[mutation][2].values()))
    [error] = send(client, mutation, LIMITED[(role, home(mutation)[0])], ident)["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN" and "needs the role" in error["message"]
    assert sample_graph.counts() == before


def test_every_mutation_writes_with_a_key_limited_to_its_region(
    fresh_sample_graph: Graph, limited_settings: Any
) -> None:
    """In-region cells of the matrix, every mutation once (a city key for one of them)."""
    with TestClient(create_app(limited_settings(fresh_sample_graph))) as client:
        for mutation in MUTATIONS:
            role = "editor" if allowed(mutation, "editor") else "reviewer"
            region = "350500" if mutation == "recordCase" else home(mutation)[0]  # 泉州市 ⊃ 鲤城区
            ident = next(iter(WRITES[mutation][2].values()))
            body = send(client, mutation, LIMITED[(role, region)], ident)
            assert not body.get("errors"), (mutation, body.get("errors"))
            [result] = body["data"].values()
            [entry] = fresh_sample_graph.run(
                "MATCH (a:AuditEntry {id: $id}) RETURN a.actor AS actor", id=result["auditId"]
            )
            assert entry["actor"] == f"{role}@{region}"


def test_reads_are_unchanged_for_a_limited_key(client: TestClient) -> None:
    query = '{ certificates(region: "420106", asOf: "2027-01-15") { expiring { officerName } } }'
    body = client.post(
        "/graphql", json={"query": query}, headers={"X-API-Key": LIMITED[("editor", "350502")]}
    ).json()
    assert not body.get("errors") and body["data"]["certificates"]["expiring"]


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_only_editor_and_reviewer_keys_take_regions(role: str) -> None:
    with pytest.raises(ValidationError, match="only an editor's or reviewer's key"):
        ApiKey(name="x", role=role, key=SecretStr("k" * 20), regions=["350502"])
    with pytest.raises(ValidationError):
        ApiKey(name="x", role="editor", key=SecretStr("k" * 20), regions=["鲤城区"])
