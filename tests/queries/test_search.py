"""Search and look-ups (检索) on the sample: full-text phrases over Chinese names, filters, pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.lookups import not_found
from queries.search import (
    full_text_query,
    lucene_phrase,
    node_model,
    officers_in_unit,
    search_documents,
    search_items,
    search_organisations,
    search_provisions,
    streets_in_region,
)
from schema.models import Catalog, Department, EnforcementItem
from tests.conftest import Graph

NASTY = [
    '"',
    "\\",
    "AND",
    "*",
    "(",
    "OR NOT",
    "a:b",
    "垃圾\\",
    '"垃圾',
    "[1 TO 2]",
    "/x/",
    "~",
    "\x00",
]
LICHENG, QUANZHOU, WUHAN = "350502", "350500", "420100"


def codes(page: Any) -> list[str]:
    return [item.code for item in page.nodes]


def named(graph: Graph, fragment: str) -> set[str]:
    """Test-only oracle: the items whose name holds the fragment, by a plain CONTAINS scan."""
    rows = graph.run(
        "MATCH (i:EnforcementItem) WHERE i.name CONTAINS $f RETURN i.code AS code", f=fragment
    )
    return {row["code"] for row in rows}


def whole_list(graph: Graph, work: Callable[..., Any], **params: Any) -> Any:
    return graph.read(work, skip=0, limit=500, **params)


# -- the Lucene query -------------------------------------------------------------------------


def unescape(phrase: str) -> str:
    """The text a quoted phrase stands for; fails on an unescaped quote inside it."""
    assert phrase.startswith('"') and phrase.endswith('"') and len(phrase) >= 2
    inner, text, escaped = phrase[1:-1], [], False
    for ch in inner:
        if escaped:
            text.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            assert ch != '"', f"unescaped quote in {phrase!r}"
            text.append(ch)
    assert not escaped, f"dangling backslash in {phrase!r}"
    return "".join(text)


@given(st.text())
def test_lucene_phrase_is_one_quoted_phrase_of_the_text(text: str) -> None:
    assert unescape(lucene_phrase(text)) == text


@given(st.text(alphabet=st.characters(categories=["Cs", "Lo", "Po"])))
def test_lucene_phrase_drops_lone_surrogates_bolt_cannot_send(text: str) -> None:
    lucene_phrase(text).encode("utf-8")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40) | st.characters().map(str) | st.sampled_from(NASTY))
def test_any_text_is_a_query_neo4j_accepts(sample_graph: Graph, text: str) -> None:
    for lucene in {lucene_phrase(text), full_text_query(text)} - {None}:
        sample_graph.run(
            "CALL db.index.fulltext.queryNodes('enforcement_item_name_fulltext', $q) "
            "YIELD node RETURN count(node) AS hits",
            q=lucene,
        )


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["item", "street", "region", "zone", "case"]),
    st.text(max_size=40) | st.sampled_from(NASTY),
)
def test_any_words_get_a_not_found_or_none_never_a_query_error(
    sample_graph: Graph, kind: str, words: str
) -> None:
    problem = sample_graph.read(not_found, kind=kind, words=words)
    assert problem is None or (problem.kind == kind and len(problem.suggestions) <= 3)


@pytest.mark.parametrize(
    ("kind", "words", "nearest"),
    [
        ("street", "开元街", "开元街道(350502001)"),
        ("street", "3505020001", "开元街道(350502001)"),
        ("region", "鲤城", "鲤城区(350502)"),
        ("item", "LC-CG-01", "(LC-CG-001)"),
        ("zone", "江南片区", "江南新区片区(LC-Z2)"),
        ("case", "LC-2024-001", "LC-2024-0001"),
    ],
)
def test_near_words_suggest_the_closest_names_first(
    sample_graph: Graph, kind: str, words: str, nearest: str
) -> None:
    problem = sample_graph.read(not_found, kind=kind, words=words)
    assert problem is not None and problem.suggestions[0].endswith(nearest), problem
    assert nearest in str(problem) and "did you mean" in str(problem)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("street", "开元街道"),
        ("street", "350502001"),
        ("region", "鲤城区"),
        ("zone", "LC-Z2"),
        ("zone", "江南新区片区"),
        ("item", "LC-CG-001"),
        ("case", "LC-2024-0001"),
    ],
)
def test_a_code_or_exact_name_is_found(sample_graph: Graph, kind: str, words: str) -> None:
    assert sample_graph.read(not_found, kind=kind, words=words) is None


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\n"])
def test_blank_text_is_no_query(blank: str) -> None:
    assert full_text_query(blank) is None


# -- items ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fragment", ["抛撒", "建筑垃圾", "营业执照", "焚烧秸秆", "安全生产教育"])
def test_a_fragment_from_the_middle_of_a_name_finds_every_item_containing_it(
    sample_graph: Graph, fragment: str
) -> None:
    page = whole_list(sample_graph, search_items, text=fragment)
    assert set(codes(page)) == named(sample_graph, fragment)
    assert page.total == len(page.nodes) > 0


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_any_run_of_han_characters_from_a_name_finds_exactly_the_names_holding_it(
    sample_graph: Graph, data: st.DataObject
) -> None:
    rows = sample_graph.run("MATCH (i:EnforcementItem) RETURN DISTINCT i.name AS name")
    name = data.draw(st.sampled_from(sorted(row["name"] for row in rows)))
    run = data.draw(st.sampled_from(re.findall(r"[\u4e00-\u9fff]+", name)))
    start = data.draw(st.integers(0, len(run) - 1))
    fragment = run[start : data.draw(st.integers(start + 1, min(len(run), start + 6)))]
    page = whole_list(sample_graph, search_items, text=fragment)
    assert set(codes(page)) == named(sample_graph, fragment)


def test_characters_present_but_not_adjacent_do_not_match(sample_graph: Graph) -> None:
    # 生活 and 处罚 both stand in 对随意倾倒…焚烧生活垃圾的处罚, never as 生活处罚
    assert named(sample_graph, "生活") & named(sample_graph, "处罚")
    assert sample_graph.read(search_items, text="生活处罚").total == 0
    assert sample_graph.read(search_items, text="垃圾生活").total == 0


@pytest.mark.parametrize("character", ["垃", "罚", "撒", "执"])
def test_one_character_finds_every_name_containing_it(sample_graph: Graph, character: str) -> None:
    # The cjk analyzer indexes 垃 only as part of bigrams (垃圾, 活垃): the plain phrase "垃"
    # finds nothing, so one character is searched as any bigram it starts or ends.
    direct = sample_graph.run(
        "CALL db.index.fulltext.queryNodes('enforcement_item_name_fulltext', $q) "
        "YIELD node RETURN count(node) AS hits",
        q=lucene_phrase(character),
    )
    assert direct == [{"hits": 0}]
    page = whole_list(sample_graph, search_items, text=f" {character} ")
    assert set(codes(page)) == named(sample_graph, character)


def test_filters_combine_with_the_text(sample_graph: Graph) -> None:
    before_2025 = sample_graph.read(
        search_items, text="垃圾", region=LICHENG, as_of=date(2024, 12, 1), limit=50
    )
    assert set(codes(before_2025)) == {"LC-CG-001", "LC-CG-002", "LC-CG-003", "LC-CG-005"}
    from_2025 = sample_graph.read(
        search_items, text="垃圾", region=LICHENG, as_of=date(2025, 3, 1), limit=50
    )
    assert set(codes(from_2025)) == {
        "LC-CG-001",
        "LC-CG-002",
        "LC-CG-003",
        "LC-CG-005",
        "LC-CG-007",
    }


def test_as_of_follows_catalog_versions(sample_graph: Graph) -> None:
    def market(on: date) -> set[str]:
        page = sample_graph.read(search_items, domain="市场监管", region=LICHENG, as_of=on)
        return set(codes(page))

    assert market(date(2025, 2, 28)) == {"LC-SC-001", "LC-SC-002", "LC-SC-003", "LC-SC-004"}
    # licheng-2025 drops LC-SC-002 and adds LC-SC-005 from 2025-03-01
    assert market(date(2025, 3, 1)) == {"LC-SC-001", "LC-SC-003", "LC-SC-004", "LC-SC-005"}


def test_region_includes_its_sub_regions_and_type_narrows(sample_graph: Graph) -> None:
    wuhan = sample_graph.read(search_items, region=WUHAN)
    assert codes(wuhan) == ["WC-CG-001", "WC-CG-002", "WC-SW-001", "WC-WJ-001", "WC-YJ-001"]
    inspections = sample_graph.read(search_items, item_type="行政检查", region=QUANZHOU)
    assert codes(inspections) == ["LC-YJ-002"]
    assert sample_graph.read(search_items, region="000000").total == 0


def test_items_come_back_as_models_with_their_catalog_provenance(sample_graph: Graph) -> None:
    [item] = sample_graph.read(search_items, text="无照经营", region=LICHENG).nodes
    assert isinstance(item, EnforcementItem)
    assert item.code == "LC-SC-004"
    assert item.source is not None and item.source.catalog is not None
    assert item.source.catalog.startswith("licheng-street-delegation@")


def test_order_is_score_then_code(sample_graph: Graph) -> None:
    page = whole_list(sample_graph, search_items, text="生活垃圾")
    assert page.nodes[0].name == "对将建筑垃圾混入生活垃圾的处罚"  # 生活垃圾 twice, in a short name
    # items sharing one name score alike: their codes break the tie
    for before, after in zip(page.nodes, page.nodes[1:], strict=False):
        if before.name == after.name:
            assert before.code < after.code
    same = [
        item.code
        for item in page.nodes
        if item.name == "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚"
    ]
    assert same == ["ES-CG-001", "FY-ZH-001", "LC-CG-001", "WC-CG-001"]


def test_without_text_items_are_in_code_order(sample_graph: Graph) -> None:
    page = whole_list(sample_graph, search_items)
    assert codes(page) == sorted(codes(page))
    assert page.total == len(named(sample_graph, ""))


@pytest.mark.parametrize(
    ("work", "params"),
    [
        (search_items, {"text": "处罚"}),
        (search_items, {"text": "垃"}),
        (officers_in_unit, {"unit": "fy-u-t-ws"}),
        (streets_in_region, {"region": QUANZHOU}),
        (search_organisations, {"text": "执法"}),
        (search_provisions, {"text": "罚款"}),
        (search_documents, {"text": "条例"}),
    ],
)
def test_pages_concatenate_to_the_whole_list(
    sample_graph: Graph, work: Callable[..., Any], params: dict[str, Any]
) -> None:
    whole = whole_list(sample_graph, work, **params)
    assert whole.total > 7, "a list long enough to span pages"
    pages, skip = [], 0
    while True:
        page = sample_graph.read(work, skip=skip, limit=3, **params)
        assert page.total == whole.total and page.skip == skip
        pages.extend(page.nodes)
        if not page.has_next:
            break
        skip += 3
    assert pages == whole.nodes
    assert len({row.model_dump_json() for row in pages}) == len(pages) == whole.total
    assert sample_graph.read(work, skip=whole.total, limit=3, **params).nodes == []


def test_blank_text_lists_by_filter_and_is_an_error_alone(sample_graph: Graph) -> None:
    assert sample_graph.read(search_items, text="  ", domain="水务").nodes[0].code == "WC-SW-001"
    for work in (search_items, search_documents, search_provisions, search_organisations):
        with pytest.raises(ValueError, match="words to search for"):
            sample_graph.read(work, text=" ")


@pytest.mark.parametrize(("skip", "limit"), [(-1, 10), (0, -1), (0, 501)])
def test_a_bad_window_is_refused(sample_graph: Graph, skip: int, limit: int) -> None:
    with pytest.raises(ValueError):
        sample_graph.read(search_items, text="垃圾", skip=skip, limit=limit)


@pytest.mark.parametrize("text", NASTY)
def test_query_syntax_in_the_text_is_searched_as_text(sample_graph: Graph, text: str) -> None:
    for work, extra in [
        (search_items, {}),
        (search_documents, {}),
        (search_provisions, {}),
        (search_organisations, {}),
        (streets_in_region, {"region": QUANZHOU}),
    ]:
        page = sample_graph.read(work, text=text, **extra)
        assert page.total >= len(page.nodes)
    found = set(codes(whole_list(sample_graph, search_items, text=text)))
    assert found == (named(sample_graph, "垃圾") if "垃圾" in text else set())


def test_syntax_around_words_does_not_change_what_they_find(sample_graph: Graph) -> None:
    plain = codes(whole_list(sample_graph, search_items, text="建筑垃圾"))
    assert codes(whole_list(sample_graph, search_items, text="(建筑垃圾)")) == plain
    assert codes(whole_list(sample_graph, search_items, text="建筑垃圾*")) == plain


# -- streets, officers, organisations ---------------------------------------------------------


def test_streets_of_a_city_are_those_of_its_counties(sample_graph: Graph) -> None:
    city = whole_list(sample_graph, streets_in_region, region=QUANZHOU)
    county = whole_list(sample_graph, streets_in_region, region=LICHENG)
    assert [s.code for s in city.nodes] == [s.code for s in county.nodes]
    assert city.total == 8 and city.nodes[0].name == "开元街道"
    assert city.nodes[0].source is not None and city.nodes[0].source.file == "organisation.yaml"


def test_streets_by_name_within_a_region(sample_graph: Graph) -> None:
    jiedao = sample_graph.read(streets_in_region, region="530400", text="街道")
    assert {s.name for s in jiedao.nodes} == {"双江街道", "小街街道"}
    assert sample_graph.read(streets_in_region, region=LICHENG, text="双江").total == 0
    assert sample_graph.read(streets_in_region, region="nowhere").total == 0


def test_officers_of_a_unit_and_their_certificates_on_a_day(sample_graph: Graph) -> None:
    # README, Fuyang: 俞海峰's certificate ended 2021-12-31 (场口镇综合行政执法队 2 → 1)
    def names(on: date | None) -> list[str]:
        page = sample_graph.read(officers_in_unit, unit="fy-u-t-ck", as_of=on)
        return [officer.name for officer in page.nodes]

    assert names(None) == ["俞海峰", "方明"]  # certificate number order
    assert names(date(2021, 12, 31)) == ["俞海峰", "方明"]
    assert names(date(2022, 1, 1)) == ["方明"]
    officers = sample_graph.read(officers_in_unit, unit="fy-u-t-ws")
    assert officers.total == 9 and len(officers.nodes) == 9
    assert officers.nodes[0].valid_to == date(2029, 5, 31)
    assert sample_graph.read(officers_in_unit, unit="no-such-unit").total == 0


def test_organisations_of_every_kind_by_name(sample_graph: Graph) -> None:
    hits = whole_list(sample_graph, search_organisations, text="司法").nodes
    assert {hit.kind for hit in hits} == {"Department", "Unit"}
    by_key = {hit.key: hit for hit in hits}
    assert by_key["lc-sfj"].name == "鲤城区司法局" and by_key["lc-sfj"].region == LICHENG
    assert by_key["wc-u-s001"].region == "420106"  # a unit's region through its street
    departments = whole_list(sample_graph, search_organisations, text="司法", kind="Department")
    assert {hit.key for hit in departments.nodes} == {"es-sfj", "lc-sfj", "wc-sfj", "fy-sfj"}


@pytest.mark.parametrize(
    ("alias", "department"),
    [("区城管局", "fy-zhzf"), ("鲤城区城管局", "lc-cgj"), ("县住建局", "es-zjj")],
)
def test_a_department_is_found_by_its_declared_alias(
    sample_graph: Graph, alias: str, department: str
) -> None:
    hits = whole_list(sample_graph, search_organisations, text=alias, kind="Department").nodes
    assert department in [hit.key for hit in hits], [hit.key for hit in hits]
    assert len({hit.key for hit in hits}) == len(hits)  # found by name and alias: listed once


def test_organisations_of_one_kind_without_text_in_key_order(sample_graph: Graph) -> None:
    regions = whole_list(sample_graph, search_organisations, text="", kind="Region").nodes
    assert [hit.key for hit in regions] == sorted(hit.key for hit in regions)
    parents = {hit.key: hit.region for hit in regions}
    # the organisation file's whole chain: 鲤城区 → 泉州市 → 福建省, the province at the top
    assert parents[LICHENG] == QUANZHOU and parents[QUANZHOU] == "350000"
    assert parents["350000"] is None
    [zone] = sample_graph.read(search_organisations, text="老城", kind="Zone").nodes
    assert zone.region == LICHENG


# -- laws -------------------------------------------------------------------------------------


def test_provisions_by_words_of_their_text(sample_graph: Graph) -> None:
    page = whole_list(sample_graph, search_provisions, text="厨余垃圾")
    assert {hit.id for hit in page.nodes} == {
        "固体废物污染环境防治法#111",
        "固体废物污染环境防治法#111.1.5",
        "固体废物污染环境防治法#111.1.6",
    }
    for hit in page.nodes:
        assert hit.document_title == "中华人民共和国固体废物污染环境防治法"
        assert hit.text is not None and "厨余垃圾" in hit.text
        assert hit.snippet is not None and "厨余垃圾" in hit.snippet and "\n" not in hit.snippet
    article = next(hit for hit in page.nodes if hit.id.endswith("#111"))
    assert article.snippet.startswith("…") and article.snippet.endswith("…")


def test_provisions_of_one_document(sample_graph: Graph) -> None:
    every = whole_list(sample_graph, search_provisions, text="责令改正")
    assert len({hit.document_id for hit in every.nodes}) > 1
    own = whole_list(sample_graph, search_provisions, text="责令改正", document_id="个体工商户条例")
    assert own.total > 0 and {hit.document_id for hit in own.nodes} == {"个体工商户条例"}
    listed = whole_list(sample_graph, search_provisions, text="", document_id="森林法")
    assert [hit.id for hit in listed.nodes][:2] == ["森林法#74", "森林法#74.1.0"]
    assert [hit.article for hit in listed.nodes] == sorted(hit.article for hit in listed.nodes)


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("森林法", "森林法"),
        ("中华人民共和国森林法", "森林法"),
        ("《中华人民共和国森林法》", "森林法"),
        ("个体工商户条例", "个体工商户条例"),
        ("中华人民共和国个体工商户条例", "个体工商户条例"),  # stored title has no 中华人民共和国
    ],
)
def test_documents_by_title_with_or_without_the_nation(
    sample_graph: Graph, text: str, document: str
) -> None:
    page = sample_graph.read(search_documents, text=text)
    assert page.nodes[0].id == document


def test_documents_by_rank_and_status(sample_graph: Graph) -> None:
    laws = whole_list(sample_graph, search_documents, text="中华人民共和国", rank="法律")
    assert laws.total > 5 and {doc.rank for doc in laws.nodes} == {"法律"}
    assert all(doc.title.startswith("中华人民共和国") for doc in laws.nodes)
    normative = whole_list(sample_graph, search_documents, text="", status="现行有效")
    assert normative.total > 0 and {doc.status for doc in normative.nodes} == {"现行有效"}
    unknown = whole_list(sample_graph, search_documents, text="法", status="未知", rank="法律")
    assert {doc.id for doc in unknown.nodes} >= {"森林法", "行政处罚法"}


# -- node properties as models ----------------------------------------------------------------


def test_node_model_keeps_declared_fields_and_gathers_provenance() -> None:
    department = node_model(
        Department,
        {"id": "lc-sfj", "name": "鲤城区司法局", "aliases": ["区司法局"], "source_file": "o.yaml"},
    )
    assert department.id == "lc-sfj" and department.source is not None
    assert department.source.file == "o.yaml"
    catalog = node_model(
        Catalog,
        {
            "id": "c@2024",
            "series": "c",
            "title": "目录",
            "kind": "县级赋权清单",
            "effective": date(2024, 9, 11),
            "source_file": "c.csv",  # Catalog's own field, not provenance
            "checksum": "0",
        },
    )
    assert catalog.source_file == "c.csv" and catalog.source is None
