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


def test_a_department_lists_its_former_names_and_who_stands_for_it_on_a_day(graph: Graph) -> None:
    """机构改革: 县卫生和计划生育局 is 县卫生健康局 from 2024-04-01 (清编委〔2024〕5号); 县安全生产监督管理局
    is merged into 县应急管理局 from 2024-07-01 (清委发〔2024〕3号). Not personal data: the least
    role (viewer) sees it."""
    report = LoadReport()
    plan = plan_load([DATA / "organisation.yaml"], report, need_metadata=True)
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    query = (
        '{ region(code: "330998") { departments { id name '
        "formerNames { name validTo renamedBy note } "
        'before: ofDay(asOf: "2024-03-31") { ownName id name } '
        'after: ofDay(asOf: "2024-07-01") { ownName id name '
        "mergers { id since basis { docNumber } } notes } } } }"
    )
    with TestClient(create_app(api_settings(graph.settings))) as client:
        data = Api(client).data(query, role="viewer")
    departments = {d["id"]: d for d in data["region"]["departments"]}
    health, safety = departments["qx-wjj"], departments["qx-ajj"]
    assert health["name"] == "清溪县卫生健康局"
    assert health["formerNames"] == [
        {
            "name": "清溪县卫生和计划生育局",
            "validTo": "2024-03-31",
            "renamedBy": "清编委〔2024〕5号",
            "note": "原名 清溪县卫生和计划生育局 (至 2024-03-31)",
        }
    ]
    assert health["before"] == {
        "ownName": "清溪县卫生和计划生育局",
        "id": "qx-wjj",
        "name": "清溪县卫生和计划生育局",
    }
    assert (health["after"]["id"], health["after"]["name"]) == ("qx-wjj", "清溪县卫生健康局")
    assert safety["formerNames"] == [] and safety["before"]["id"] == "qx-ajj"
    assert safety["after"]["ownName"] == "清溪县安全生产监督管理局"
    assert (safety["after"]["id"], safety["after"]["name"]) == ("qx-yjj", "清溪县应急管理局")
    assert safety["after"]["mergers"] == [
        {"id": "qx-ajj", "since": "2024-07-01", "basis": {"docNumber": "清委发〔2024〕3号"}}
    ]
    assert (
        "清溪县安全生产监督管理局(qx-ajj)自2024-07-01起并入清溪县应急管理局"
        in (safety["after"]["notes"][0])
    )
