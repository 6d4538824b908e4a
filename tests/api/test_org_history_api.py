"""GraphQL finds a town by a name it had (更名, issue 14.12) and says so: 原名 X (至 D). The
fixture is 清溪县 (tests/queries/data/orgdates): 城关镇 is 城东街道 from 2023-07-01."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from graphql_api.app import create_app
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from tests.api.conftest import Api, api_settings
from tests.conftest import Graph

DATA = Path(__file__).resolve().parents[1] / "queries" / "data" / "orgdates"


def test_search_finds_a_street_by_a_former_name_and_says_it(graph: Graph) -> None:
    report = LoadReport()
    plan = plan_load([DATA / "organisation.yaml"], report, need_metadata=True)
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    with TestClient(create_app(api_settings(graph.settings))) as client:
        data = Api(client).data(
            '{ streets(region: "330998", text: "城关") { totalCount nodes { code name '
            "formerNames { name validTo renamedBy note } } } "
            'organisations(text: "城关镇", kind: "Street") { nodes { key name note } } }'
        )
    [street] = data["streets"]["nodes"]
    assert (street["code"], street["name"]) == ("330998001", "城东街道")
    assert street["formerNames"] == [
        {
            "name": "城关镇",
            "validTo": "2023-06-30",
            "renamedBy": "清政发〔2023〕18号",
            "note": "原名 城关镇 (至 2023-06-30)",
        }
    ]
    [hit] = data["organisations"]["nodes"]
    assert hit == {"key": "330998001", "name": "城东街道", "note": "原名 城关镇 (至 2023-06-30)"}
