"""Search and pagination through the API: Chinese full text, cursors forwards and backwards."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.conftest import Graph

ITEMS = """query($text: String, $first: Int, $after: String, $last: Int, $before: String) {
  items(text: $text, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code name } }
  } }"""


def page(api: Api, **variables: object) -> dict:
    return api.data(ITEMS, variables)["items"]


def test_a_chinese_fragment_finds_the_items_whose_names_hold_it(
    api: Api, sample_graph: Graph
) -> None:
    found = page(api, text="生活垃圾", first=50)
    names = [edge["node"]["name"] for edge in found["edges"]]
    expected = sample_graph.run(
        "MATCH (i:EnforcementItem) WHERE i.name CONTAINS '生活垃圾' RETURN count(i) AS n"
    )[0]["n"]
    assert found["totalCount"] == expected == len(names) > 0
    assert all("生活垃圾" in name for name in names)


def test_pages_walk_forwards_and_backwards_over_the_same_list(api: Api) -> None:
    whole = [e["node"]["code"] for e in page(api, first=100)["edges"]]
    forwards, after = [], None
    while True:
        chunk = page(api, first=4, after=after)
        forwards += [e["node"]["code"] for e in chunk["edges"]]
        if not chunk["pageInfo"]["hasNextPage"]:
            break
        after = chunk["pageInfo"]["endCursor"]
    assert forwards == whole
    backwards, before = [], None
    while True:
        chunk = page(api, last=4, before=before)
        backwards = [e["node"]["code"] for e in chunk["edges"]] + backwards
        if not chunk["pageInfo"]["hasPreviousPage"]:
            break
        before = chunk["pageInfo"]["startCursor"]
    assert backwards == whole


def test_a_page_larger_than_the_maximum_is_refused(api: Api) -> None:
    body = api.query(ITEMS, {"first": 101})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    body = api.query(ITEMS, {"first": 5, "after": "not-a-cursor"})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


def test_streets_of_a_region_and_provisions_by_their_text(api: Api) -> None:
    data = api.data(
        '{ streets(region: "350502", first: 20) { totalCount nodes { code name } } '
        'provisions(text: "厨余垃圾") { nodes { id documentTitle } } }'
    )
    assert data["streets"]["totalCount"] == 8
    assert any(n["name"] == "海滨街道" for n in data["streets"]["nodes"])
    assert any(n["id"].endswith("#111") for n in data["provisions"]["nodes"])


def test_a_viewer_lists_officers_without_their_names(api: Api) -> None:
    query = '{ officers(unit: "lc-u-zd1") { totalCount nodes { name roles } } }'
    body = api.query(query, role="editor")
    assert not body.get("errors")
    if body["data"]["officers"]["totalCount"] == 0:
        raise AssertionError("the sample's 中队 lc-u-zd1 has officers")
    viewer = api.query(query, role="viewer")
    assert all(n["name"] is None for n in viewer["data"]["officers"]["nodes"])
    assert {e["extensions"]["code"] for e in viewer["errors"]} == {"FORBIDDEN"}


def test_a_blank_search_is_bad_user_input_not_an_internal_error(api: Api) -> None:
    body = api.query('{ documents(text: "   ") { totalCount } }')
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
