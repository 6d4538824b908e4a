"""The graph's types through GraphQL: look-ups by key, relationships as fields, unions, validity
dates, personal fields, and the round trips a page of items costs (DataLoader batching)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from graphql_api.app import create_app
from loaders.load import plan_load, write_plan
from loaders.numerals import chinese_numeral
from loaders.report import LoadReport
from tests.api.conftest import Api, api_settings
from tests.conftest import SAMPLE, Graph

COUNTY = Path(__file__).resolve().parents[1] / "catalogs" / "county"
LICHENG = yaml.safe_load((SAMPLE / "licheng" / "organisation.yaml").read_text(encoding="utf-8"))
ITEMS_WITH_BASIS = """
query ($codes: [String!]!) {
  itemsByCode(codes: $codes) {
    code
    departments { id name }
    basedOn { role raw provision { id article } document { title } }
  }
}
"""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# -- look-ups --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "argument", "key", "returned"),
    [
        ("region", "code", "350502", "name"),
        ("street", "code", "350502001", "name"),
        ("zone", "id", "LC-Z1", "name"),
        ("department", "id", "lc-cgj", "name"),
        ("unit", "id", "lc-u-dd", "name"),
        ("category", "id", "LC-CAT-YJ", "name"),
        ("item", "code", "LC-CG-001", "name"),
        ("document", "id", "行政处罚法", "title"),
        ("provision", "id", "行政处罚法#24", "text"),
        ("officer", "id", "35050220230101", "roles"),
        ("case", "id", "LC-2024-0001", "status"),
        ("transfer", "id", "ES-T-0001", "sentAt"),
        ("dispute", "id", "LC-D-2025-01", "status"),
        ("policy", "id", "LC-P-DISPUTE", "rule"),
    ],
)
def test_each_label_is_found_by_its_key_and_an_unknown_key_is_null(
    api: Api, field: str, argument: str, key: str, returned: str
) -> None:
    query = (
        f'{{ found: {field}({argument}: "{key}") {{ {returned} }} '
        f'missing: {field}({argument}: "no-such-key") {{ {returned} }} }}'
    )
    data = api.data(query)
    assert data["found"][returned] and data["missing"] is None


def test_catalog_and_delegation_are_found_by_id(api: Api, sample_graph: Graph) -> None:
    [row] = sample_graph.run(
        "MATCH (d:Delegation)-[:AUTHORIZED_BY]->(c:Catalog) RETURN d.id AS d, c.id AS c LIMIT 1"
    )
    query = "query ($c: String!, $d: String!) { catalog(id: $c) { id } delegation(id: $d) { id } }"
    data = api.data(query, row)
    assert data == {"catalog": {"id": row["c"]}, "delegation": {"id": row["d"]}}


def test_look_ups_of_several_labels_cost_one_read(api: Api) -> None:
    body = api.query(
        '{ street(code: "350502001") { name } region(code: "350502") { name } '
        'item(code: "LC-CG-001") { name } nothing: zone(id: "none") { name } }'
    )
    assert body["data"]["street"]["name"] == "开元街道" and body["data"]["nothing"] is None
    assert body["extensions"]["roundTrips"] == 1


def test_items_by_codes_keep_the_order_and_refuse_more_than_a_page(api: Api) -> None:
    data = api.data('{ itemsByCode(codes: ["LC-CG-002", "nope", "LC-CG-001"]) { code } }')
    assert data["itemsByCode"] == [{"code": "LC-CG-002"}, None, {"code": "LC-CG-001"}]
    body = api.query(ITEMS_WITH_BASIS, {"codes": [f"X-{k}" for k in range(101)]})
    assert codes(body) == ["BAD_USER_INPUT"]


# -- relationships ---------------------------------------------------------------------------------


def test_a_region_s_streets_zones_departments_and_parent(api: Api) -> None:
    data = api.data(
        '{ region(code: "350502") { parent { code } streets { code } zones { id } '
        "departments { id } } }"
    )["region"]
    assert data["parent"] == {"code": "350500"}
    assert [s["code"] for s in data["streets"]] == [s["code"] for s in LICHENG["streets"]]
    assert [z["id"] for z in data["zones"]] == ["LC-Z1", "LC-Z2"]
    assert {d["id"] for d in data["departments"]} == {d["id"] for d in LICHENG["departments"]}


def test_a_street_s_zones_and_delegations_depend_on_the_day(api: Api) -> None:
    query = """
    query ($day: Date) {
      street(code: "350502003") {
        region { code }
        units { id }
        zones(asOf: $day) { id }
        delegations(asOf: $day, first: 100) { totalCount nodes { item { code } } }
      }
    }
    """
    before = api.data(query, {"day": "2024-09-10"})["street"]
    assert before["zones"] == [] and before["delegations"]["totalCount"] == 0
    on = api.data(query, {"day": "2025-06-30"})["street"]
    after = api.data(query, {"day": "2025-07-01"})["street"]
    assert on["region"] == {"code": "350502"} and on["units"] == [{"id": "lc-u-t003"}]
    assert on["zones"] == [{"id": "LC-Z1"}]
    held = [n["item"]["code"] for n in on["delegations"]["nodes"]]
    assert held == sorted(held) and "LC-CG-004" in held and len(held) == 18
    kept = [n["item"]["code"] for n in after["delegations"]["nodes"]]
    assert kept == [code for code in held if code != "LC-CG-004"]  # withdrawn 2025-07-01


def test_relationship_connections_page_with_cursors(api: Api) -> None:
    query = """
    query ($after: String) {
      street(code: "350502001") {
        delegations(asOf: "2025-05-01", first: 5, after: $after) {
          totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id }
        }
      }
    }
    """
    first = api.data(query)["street"]["delegations"]
    second = api.data(query, {"after": first["pageInfo"]["endCursor"]})["street"]["delegations"]
    whole = api.data(query.replace("first: 5", "first: 100"))["street"]["delegations"]
    assert first["totalCount"] == second["totalCount"] == 18
    assert first["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    ids = [n["id"] for n in whole["nodes"]]
    assert [n["id"] for n in first["nodes"] + second["nodes"]] == ids[:10]
    last = api.data(query.replace("first: 5", "last: 2"))
    assert [n["id"] for n in last["street"]["delegations"]["nodes"]] == ids[-2:]


def test_a_zone_s_streets_squad_and_posted_officers(api: Api) -> None:
    data = api.data(
        '{ zone(id: "LC-Z2") { region { code } coordinatedBy { id } '
        'streets(asOf: "2025-05-01") { code } '
        'postedOfficers(asOf: "2025-05-01") { mode department { id } '
        "target { __typename ... on Zone { id } } officer { roles } } } }"
    )["zone"]
    [z2] = [z for z in LICHENG["zones"] if z["id"] == "LC-Z2"]
    assert data["region"] == {"code": "350502"} and data["coordinatedBy"] == [{"id": "lc-u-zd2"}]
    assert [s["code"] for s in data["streets"]] == z2["streets"]
    linked = [o for o in LICHENG["officers"] if any(p["to"] == "LC-Z2" for p in o["postings"])]
    assert len(data["postedOfficers"]) == len(linked)
    assert {p["target"]["__typename"] for p in data["postedOfficers"]} == {"Zone"}
    departments = {p["department"]["id"] for p in data["postedOfficers"]}
    assert departments == {p["department"] for o in linked for p in o["postings"]}


def test_a_street_s_own_postings_and_cases(api: Api) -> None:
    data = api.data(
        '{ jiyuqiao: street(code: "420106001") { postedOfficers(asOf: "2023-01-01") '
        "{ mode target { __typename ... on Street { code } } } } "
        'haibin: street(code: "350502003") { cases(first: 10) { totalCount nodes { id } } } }'
    )
    postings = data["jiyuqiao"]["postedOfficers"]
    assert len(postings) == 5 and {p["mode"] for p in postings} == {"常驻"}
    assert {p["target"]["code"] for p in postings} == {"420106001"}
    assert data["haibin"]["cases"]["nodes"] == [
        {"id": "LC-2025-0004"},
        {"id": "LC-2025-0006"},
        {"id": "LC-2025-0007"},  # filed by 海滨街道 before the withdrawal (sample)
    ]


def test_a_department_s_units_and_items(api: Api) -> None:
    data = api.data(
        '{ department(id: "lc-cgj") { region { code } units { id units { id } } '
        "items(first: 3) { totalCount nodes { code } } } }"
    )["department"]
    assert data["units"] == [{"id": "lc-u-dd", "units": [{"id": "lc-u-zd1"}, {"id": "lc-u-zd2"}]}]
    assert data["items"]["totalCount"] == 7
    assert [n["code"] for n in data["items"]["nodes"]] == ["LC-CG-001", "LC-CG-002", "LC-CG-003"]


def test_a_unit_s_parent_resolves_to_its_concrete_type(api: Api) -> None:
    query = (
        '{ squad: unit(id: "lc-u-zd1") { parent { ...Parent } officers { totalCount } } '
        'brigade: unit(id: "lc-u-dd") { parent { ...Parent } } '
        'team: unit(id: "lc-u-t001") { parent { ...Parent } } } '
        "fragment Parent on UnitParent { __typename ... on Unit { id } "
        "... on Department { id } ... on Street { code } }"
    )
    data = api.data(query)
    assert data["squad"]["parent"] == {"__typename": "Unit", "id": "lc-u-dd"}
    assert data["brigade"]["parent"] == {"__typename": "Department", "id": "lc-cgj"}
    assert data["team"]["parent"] == {"__typename": "Street", "code": "350502001"}
    members = [o for o in LICHENG["officers"] if o["unit"] == "lc-u-zd1"]
    assert data["squad"]["officers"]["totalCount"] == len(members)


def test_an_item_s_departments_basis_catalog_rows_and_delegations(api: Api) -> None:
    query = """
    query ($day: Date) {
      item(code: "LC-CG-004") {
        departments { id }
        basedOn { raw provision { id document { id } } document { title } }
        catalogs { row raw catalog { sourceFile } }
        delegations(asOf: $day) { street { code } }
        category { name }
      }
    }
    """
    on = api.data(query, {"day": "2025-06-30"})["item"]
    after = api.data(query, {"day": "2025-07-01"})["item"]
    assert on["departments"] == [{"id": "lc-cgj"}] and on["category"] == {"name": "综合执法"}
    assert [b["provision"]["id"] for b in on["basedOn"]] == [
        "城市市容和环境卫生管理条例#11.2.0",
        "城市市容和环境卫生管理条例#36.1.1",
    ]
    assert {b["document"]["title"] for b in on["basedOn"]} == {"城市市容和环境卫生管理条例"}
    assert [(c["catalog"]["sourceFile"], c["row"]) for c in on["catalogs"]] == [
        ("licheng-2024.csv", 5),
        ("licheng-2025.csv", 5),
        ("licheng-withdrawal-2025.csv", 2),
    ]
    assert len(on["delegations"]) == 8 and len(after["delegations"]) == 7
    assert {"code": "350502003"} not in [d["street"] for d in after["delegations"]]


def test_a_document_s_provisions_and_a_provision_s_items(api: Api) -> None:
    data = api.data(
        '{ document(id: "固体废物污染环境防治法") { provisions(first: 2) { totalCount '
        "nodes { id article } } repealedBy { document { id } } } "
        'provision(id: "固体废物污染环境防治法#111.1.1") { document { id } '
        "items { raw item { code } } } }"
    )
    provisions = data["document"]["provisions"]
    assert provisions["totalCount"] > 2 and len(provisions["nodes"]) == 2
    assert data["document"]["repealedBy"] == []
    assert data["provision"]["document"] == {"id": "固体废物污染环境防治法"}
    cited = {i["item"]["code"] for i in data["provision"]["items"]}
    assert {"LC-CG-001", "ES-CG-001"} <= cited


def test_a_catalog_s_rows_versions_and_a_delegation_s_evidence(
    api: Api, sample_graph: Graph
) -> None:
    [row] = sample_graph.run(
        "MATCH (d:Delegation)-[:OF]->(:EnforcementItem {code: 'LC-CG-004'}), "
        "(d)-[:TO]->(:Street {code: '350502003'}) "
        "MATCH (c:Catalog {source_file: 'licheng-2025.csv'}) RETURN d.id AS d, c.id AS c"
    )
    data = api.data(
        "query ($c: String!, $d: String!) { "
        "catalog(id: $c) { items(first: 2) { totalCount edges { node { row item { code } } } } "
        "supersedes { sourceFile } supersededBy { id } } "
        "delegation(id: $d) { department { id } street { code } item { code } "
        "authorizedBy { row source { __typename ... on Catalog { sourceFile } } } "
        "endedBy { sourceFile } } }",
        row,
    )
    catalog, delegation = data["catalog"], data["delegation"]
    assert catalog["items"]["totalCount"] == 18
    assert [e["node"]["row"] for e in catalog["items"]["edges"]] == [2, 3]
    assert catalog["supersedes"] == [{"sourceFile": "licheng-2024.csv"}]
    assert catalog["supersededBy"] == []
    assert (
        delegation["department"] == {"id": "lc-cgj"} and delegation["item"]["code"] == "LC-CG-004"
    )
    assert [(a["source"]["sourceFile"], a["row"]) for a in delegation["authorizedBy"]] == [
        ("licheng-2024.csv", 5),
        ("licheng-2025.csv", 5),
    ]
    assert {a["source"]["__typename"] for a in delegation["authorizedBy"]} == {"Catalog"}
    assert delegation["endedBy"] == [{"sourceFile": "licheng-withdrawal-2025.csv"}]


def test_cases_transfers_and_disputes_link_streets_and_departments(api: Api) -> None:
    body = """{ __typename ... on Street { code } ... on Department { id } }"""
    data = api.data(
        '{ fine: case(id: "LC-2024-0001") { item { code } street { code } '
        f"handledBy {body} transfers {{ id }} }} "
        f'moved: case(id: "ES-2025-0002") {{ handledBy {body} transfers {{ id }} }} '
        f'transfer(id: "ES-T-0002") {{ case {{ id }} from {body} to {body} }} '
        f'dispute(id: "LC-D-2025-01") {{ case {{ id disputes {{ id }} }} '
        f"claimants {{ stance body {body} }} resolvedBy {{ id }} decidedFor {body} }} }}"
    )
    assert data["fine"]["handledBy"] == {"__typename": "Street", "code": "350502001"}
    assert data["fine"]["item"] == {"code": "LC-CG-001"} and data["fine"]["transfers"] == []
    assert data["moved"]["handledBy"] == {"__typename": "Department", "id": "es-lcj"}
    assert data["moved"]["transfers"] == [{"id": "ES-T-0002"}]
    transfer = data["transfer"]
    assert transfer["from"] == {"__typename": "Street", "code": "530426001"}
    assert transfer["to"] == {"__typename": "Department", "id": "es-lcj"}
    dispute = data["dispute"]
    assert dispute["case"] == {"id": "LC-2025-0006", "disputes": [{"id": "LC-D-2025-01"}]}
    assert [c["body"]["code"] for c in dispute["claimants"]] == ["350502003", "350502004"]
    assert dispute["resolvedBy"] == [{"id": "lc-cgj"}] and dispute["decidedFor"] is None


def test_a_policy_s_scope_and_source(api: Api) -> None:
    data = api.data(
        '{ policy(id: "LC-P-DISPUTE") { value appliesTo { __typename ... on Region { code } } '
        "document { id title } } }"
    )["policy"]
    assert data["appliesTo"] == [{"__typename": "Region", "code": "350502"}]
    assert data["document"]["id"] == "LC-2024-25"


# -- personal data ---------------------------------------------------------------------------------


OFFICERS_OF_A_CASE = '{ case(id: "LC-2024-0001") { officers { id name roles validTo } } }'


def test_a_viewer_is_refused_officers_names_and_certificate_numbers(api: Api) -> None:
    body = api.query(OFFICERS_OF_A_CASE, role="viewer")
    assert set(codes(body)) == {"FORBIDDEN"}
    paths = {tuple(error["path"][-1:]) for error in body["errors"]}
    assert paths == {("id",), ("name",)}
    officers = body["data"]["case"]["officers"]
    assert [(o["id"], o["name"], o["roles"]) for o in officers] == [(None, None, ["执法人员"])] * 2


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin"])
def test_editors_reviewers_and_admins_see_officers_names(api: Api, role: str) -> None:
    officers = api.data(OFFICERS_OF_A_CASE, role=role)["case"]["officers"]
    assert [(o["id"], o["name"]) for o in officers] == [
        ("35050220230101", "王志强"),
        ("35050220230102", "陈丽娟"),
    ]


def test_an_officer_s_units_and_postings(api: Api) -> None:
    data = api.data(
        '{ officer(id: "35050220230501") { name units { id } postings { mode validFrom '
        "target { __typename ... on Zone { id } } } } }",
        role="editor",
    )["officer"]
    assert data["name"] == "洪志明" and data["units"] == [{"id": "lc-u-xf"}]
    assert [p["target"]["id"] for p in data["postings"]] == ["LC-Z1", "LC-Z2"]
    assert {(p["mode"], p["validFrom"]) for p in data["postings"]} == {("挂钩", "2024-09-11")}


# -- batching --------------------------------------------------------------------------------------


def write_county_catalog(folder: Path, count: int) -> Path:
    """A county 赋权 list of `count` items (the loaders' CSV format), its metadata beside it."""
    path = folder / "many-2024.csv"
    departments = ["测试县城市管理和综合执法局", "测试县市场监督管理局"]
    with path.open("w", encoding="utf-8", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(
            ["序号", "事项编码", "事项名称", "事项类型", "实施依据", "原实施部门", "执法领域"]
        )
        for k in range(1, count + 1):
            basis = (
                f"《中华人民共和国行政处罚法》第{chinese_numeral(k % 80 + 1)}条、"
                f"《个体工商户条例》第{chinese_numeral(k % 30 + 1)}条第一款"
            )
            name = f"对测试违法行为{k}的处罚"
            rows.writerow(
                [k, f"B-{k:03d}", name, "行政处罚", basis, departments[k % 2], "城市管理"]
            )
    meta = {
        "series": "many-items",
        "title": "测试县大批事项赋权目录",
        "doc_number": "测政办〔2024〕9号",
        "effective": date(2024, 9, 11),
        "region": "990101",
        "streets": "all",
        "mode": "赋权",
    }
    (folder / "many-2024.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    return path


@pytest.fixture
def county_api(graph: Graph, tmp_path: Path) -> Iterator[Api]:
    """The app over a county whose catalog lists 120 items (more than one page of 100)."""
    report = LoadReport()
    catalog = write_county_catalog(tmp_path, 120)
    plan = plan_load([COUNTY / "organisation.yaml", catalog], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    with TestClient(create_app(api_settings(graph.settings))) as client:
        yield Api(client)


def test_a_page_of_items_with_departments_and_basis_costs_the_same_few_round_trips(
    county_api: Api,
) -> None:
    trips = {}
    for count in (1, 10, 100):
        asked = [f"B-{k:03d}" for k in range(1, count + 1)]
        body = county_api.query(ITEMS_WITH_BASIS, {"codes": asked})
        assert not body.get("errors"), body["errors"]
        items = body["data"]["itemsByCode"]
        assert [item["code"] for item in items] == asked
        assert all(len(item["departments"]) == 1 and len(item["basedOn"]) == 2 for item in items)
        trips[count] = body["extensions"]["roundTrips"]
    # the items (1), their departments (1) and their legal bases with documents (1)
    assert trips == {1: 3, 10: 3, 100: 3}


def test_each_nesting_level_costs_one_read_per_relationship(county_api: Api) -> None:
    query = """
    { region(code: "990101") {
        streets {
          zones(asOf: "2025-01-01") { id }
          delegations(asOf: "2025-01-01", first: 100) { totalCount nodes { item { code } } }
        }
    } }
    """
    body = county_api.query(query)
    streets = body["data"]["region"]["streets"]
    assert len(streets) == 3 and all(s["delegations"]["totalCount"] == 120 for s in streets)
    # region (1), its streets (1), their zones (1) and delegation pages (1), the items (1)
    assert body["extensions"]["roundTrips"] == 5
