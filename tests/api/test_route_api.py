"""The `route` root field (投诉分拨) over the sample: candidates, their authority, no officers."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.conftest import Graph

ROUTE = """query($complaint: String!, $street: String!, $asOf: Date, $limit: Int) {
  route(complaint: $complaint, street: $street, asOf: $asOf, limit: $limit) {
    outcome ambiguous explanation terms total
    street { code name mode }
    candidates {
      rank code name score why matchedInName
      provisions { id matched snippet }
      authority { outcome subject { kind name } rule { key } explanation }
    }
  } }"""


def test_a_viewer_routes_a_complaint_in_a_grant_street(api: Api) -> None:
    variables = {
        "complaint": "有人在海滨街道路边占道摆摊卖水果",
        "street": "海滨街道",
        "asOf": "2025-08-01",
    }
    found = api.data(ROUTE, variables, role="viewer")["route"]
    assert found["outcome"] == "routed" and found["ambiguous"] is False
    best = found["candidates"][0]
    assert best["code"] == "LC-CG-006" and "摆摊" in best["matchedInName"]
    assert best["authority"]["subject"] == {"kind": "Street", "name": "海滨街道"}
    assert best["authority"]["rule"]["key"] == "grant"


def test_a_station_street_routes_to_the_district_department(api: Api) -> None:
    variables = {
        "complaint": "江边有人随意倾倒生活垃圾",
        "street": "富春街道",
        "asOf": "2022-01-01",
    }
    best = api.data(ROUTE, variables)["route"]["candidates"][0]
    assert best["code"] == "FY-ZH-001"
    assert best["authority"]["subject"]["name"] == "杭州市富阳区综合行政执法局"
    assert best["authority"]["rule"]["key"] == "station"


def test_ambiguity_is_in_the_answer(api: Api) -> None:
    variables = {"complaint": "小区门口乱扔垃圾", "street": "开元街道", "asOf": "2025-08-01"}
    found = api.data(ROUTE, variables)["route"]
    assert found["outcome"] == "ambiguous" and found["ambiguous"] is True
    assert len(found["candidates"]) > 1 and "有歧义" in found["explanation"]


def test_no_officer_reaches_a_viewer(api: Api, sample_graph: Graph) -> None:
    variables = {
        "complaint": "有人在路边焚烧垃圾",
        "street": "江南街道",
        "asOf": "2025-08-05",
        "limit": 20,
    }
    body = api.query(ROUTE, variables, role="viewer")
    assert not body.get("errors")
    text = str(body)
    for officer in sample_graph.run("MATCH (o:Officer) RETURN o.name AS name, o.id AS id"):
        assert officer["name"] not in text and officer["id"] not in text


def test_a_complaint_too_long_is_refused_as_bad_input(api: Api) -> None:
    variables = {"complaint": "摆摊" * 150, "street": "海滨街道"}
    body = api.query(ROUTE, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "at most 200" in error["message"]
