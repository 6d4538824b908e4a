"""The batched graph reads (queries/graph.py): each relationship as the sample files say it, for
many keys in one read, with validity dates applied the way the questions apply them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from loaders.decisions import record_decision
from loaders.load import refresh_query_plans
from queries import graph as g
from queries.cypher_files import QUERIES_DIR, cypher
from queries.graph import BatchRead, Dated, NodeKey, Window
from queries.pages import Page
from schema import models
from schema.labels import Label
from tests.conftest import SAMPLE, Graph

LICHENG = yaml.safe_load((SAMPLE / "licheng" / "organisation.yaml").read_text(encoding="utf-8"))
CASES = yaml.safe_load((SAMPLE / "cases.yaml").read_text(encoding="utf-8"))
KAIYUAN, HAIBIN = "350502001", "350502003"  # 开元街道, 海滨街道
JIYUQIAO = "420106001"  # 积玉桥街道 (Wuchang), whose officers are posted to the street itself
CST = timezone(timedelta(hours=8))
LIST_READS = [read for read in vars(g).values() if isinstance(read, BatchRead)]


def keys(nodes: list[Any]) -> list[str]:
    return [node.key_value for node in nodes]


def licheng_officers(**match: str) -> list[dict[str, Any]]:
    return [o for o in LICHENG["officers"] if all(o.get(k) == v for k, v in match.items())]


def delegation_id(graph: Graph, item: str, street: str) -> str:
    [row] = graph.run(
        "MATCH (d:Delegation)-[:OF]->(:EnforcementItem {code: $item}), "
        "(d)-[:TO]->(:Street {code: $street}) RETURN d.id AS id",
        item=item,
        street=street,
    )
    return row["id"]


def test_every_graph_cypher_file_has_its_read() -> None:
    files = {path.stem for path in QUERIES_DIR.glob("graph_*.cypher")}
    assert files == {read.name for read in LIST_READS} | {"graph_nodes"}


def operators(plan: dict[str, Any]) -> list[str]:
    return [plan["operatorType"].split("@")[0]] + [
        name for child in plan.get("children", []) for name in operators(child)
    ]


@pytest.mark.parametrize(
    "read", [*LIST_READS, g.nodes], ids=lambda read: getattr(read, "name", "graph_nodes")
)
def test_every_read_seeks_its_anchors_by_key_and_scans_nothing(graph: Graph, read: Any) -> None:
    """The cost of a read grows with the keys asked, never with the graph (no label scans)."""
    name = getattr(read, "name", "graph_nodes")
    keys: Any = [{"at": 0, "key": "k", "as_of": date(2025, 5, 1), "skip": 0, "limit": 10}]
    if read is g.nodes:
        keys = {label.value: ["k"] for label in Label}
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)  # statistics of this graph
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        plan = session.run("EXPLAIN " + cypher(name), keys=keys).consume().plan
    found = operators(plan)
    assert "NodeUniqueIndexSeek" in found
    assert not [op for op in found if "Scan" in op], found


def test_nodes_are_found_by_label_and_key_many_labels_in_one_read(sample_graph: Graph) -> None:
    asked = [
        NodeKey(Label.STREET, KAIYUAN),
        NodeKey(Label.OFFICER, "35050220230101"),
        NodeKey(Label.ENFORCEMENT_ITEM, "LC-CG-001"),
        NodeKey(Label.REGION, KAIYUAN),  # a street's code is no region's
    ]
    found = sample_graph.read(g.nodes, keys=asked)
    street, officer, item, nothing = (found[key] for key in asked)
    assert isinstance(street, models.Street) and street.name == "开元街道"
    assert isinstance(officer, models.Officer) and officer.name == "王志强"
    assert officer.valid_to == date(2028, 2, 29) and officer.source is not None
    assert isinstance(item, models.EnforcementItem) and item.type == "行政处罚"
    assert nothing is None


def unknown_key(read: BatchRead[Any, Any]) -> Any:
    """A key naming no node, of the shape `read` takes."""
    day = date(2025, 5, 1)
    if read in (g.street_delegations,):
        return Window("no-such-key", day, 0, 10)
    if read in (
        g.street_cases,
        g.department_items,
        g.unit_officers,
        g.document_provisions,
        g.catalog_items,
    ):
        return Window("no-such-key", None, 0, 10)
    if read in (
        g.street_zones,
        g.street_postings,
        g.zone_streets,
        g.zone_postings,
        g.item_delegations,
    ):
        return Dated("no-such-key", day)
    return "no-such-key"


@pytest.mark.parametrize("read", LIST_READS, ids=lambda read: read.name)
def test_every_read_answers_each_key_an_unknown_one_with_nothing(
    sample_graph: Graph, read: BatchRead[Any, Any]
) -> None:
    key = unknown_key(read)
    answer = sample_graph.read(read, keys=[key])[key]
    if isinstance(answer, Page):
        assert (answer.total, answer.nodes) == (0, [])
    elif isinstance(answer, BaseModel):
        assert not any(answer.model_dump().values())
    else:
        assert answer in ([], None)


def test_region_parts_are_the_organisation_file_s(sample_graph: Graph) -> None:
    found = sample_graph.read(g.region_parts, keys=["350502", "350500"])
    licheng, quanzhou = found["350502"], found["350500"]
    assert licheng.parent is not None and licheng.parent.code == "350500"
    assert keys(licheng.streets) == [s["code"] for s in LICHENG["streets"]]
    assert keys(licheng.zones) == sorted(z["id"] for z in LICHENG["zones"])
    assert keys(licheng.departments) == sorted(d["id"] for d in LICHENG["departments"])
    assert keys(quanzhou.regions) == ["350502"] and quanzhou.streets == []


def test_street_parts_zones_on_a_day_and_postings(sample_graph: Graph) -> None:
    parts = sample_graph.read(g.street_parts, keys=[KAIYUAN])[KAIYUAN]
    assert parts.region is not None and parts.region.code == "350502"
    assert keys(parts.units) == ["lc-u-t001"]
    days = [Dated(KAIYUAN, date(2024, 9, 10)), Dated(KAIYUAN, date(2024, 9, 11))]
    zones = sample_graph.read(g.street_zones, keys=days)
    assert [keys(zones[day]) for day in days] == [[], ["LC-Z1"]]  # the zones start 2024-09-11
    posted = [Dated(JIYUQIAO, date(2022, 9, 12)), Dated(JIYUQIAO, date(2023, 1, 1))]
    postings = sample_graph.read(g.street_postings, keys=posted)
    assert postings[posted[0]] == []
    assert len(postings[posted[1]]) == 5 and {p.mode for p in postings[posted[1]]} == {"常驻"}
    assert all(p.target.code == JIYUQIAO for p in postings[posted[1]])


def test_street_delegations_follow_the_catalog_versions_and_the_withdrawal(
    sample_graph: Graph,
) -> None:
    asked = [
        Window(KAIYUAN, date(2024, 9, 10), 0, 100),  # before licheng-2024
        Window(KAIYUAN, date(2024, 10, 1), 0, 100),  # licheng-2024: 17 items
        Window(KAIYUAN, date(2025, 5, 1), 0, 100),  # licheng-2025: 18 items
        Window(HAIBIN, date(2025, 7, 1), 0, 100),  # LC-CG-004 withdrawn from 海滨街道 only
        Window(HAIBIN, date(2025, 7, 1), 5, 3),  # a page of the same list
    ]
    found = sample_graph.read(g.street_delegations, keys=asked)
    assert [found[key].total for key in asked] == [0, 17, 18, 17, 17]
    page = found[asked[4]]
    assert page.skip == 5 and keys(page.nodes) == keys(found[asked[3]].nodes)[5:8]
    withdrawn = delegation_id(sample_graph, "LC-CG-004", HAIBIN)
    assert withdrawn not in keys(found[asked[3]].nodes)


def test_street_cases_and_their_pages(sample_graph: Graph) -> None:
    in_haibin = sorted(c["id"] for c in CASES["cases"] if c["occurred_in"] == HAIBIN)
    whole, page = Window(HAIBIN, None, 0, 10), Window(HAIBIN, None, 1, 1)
    found = sample_graph.read(g.street_cases, keys=[whole, page])
    assert keys(found[whole].nodes) == in_haibin and found[whole].total == len(in_haibin)
    assert keys(found[page].nodes) == in_haibin[1:2]


def test_zone_links_streets_and_postings(sample_graph: Graph) -> None:
    links = sample_graph.read(g.zone_links, keys=["LC-Z1"])["LC-Z1"]
    assert links.region is not None and links.region.code == "350502"
    assert keys(links.coordinated_by) == ["lc-u-zd1"]
    [z1] = [z for z in LICHENG["zones"] if z["id"] == "LC-Z1"]
    days = [Dated("LC-Z1", date(2024, 9, 10)), Dated("LC-Z1", date(2025, 5, 1))]
    streets = sample_graph.read(g.zone_streets, keys=days)
    assert streets[days[0]] == [] and keys(streets[days[1]]) == z1["streets"]
    linked = sorted(
        o["id"] for o in LICHENG["officers"] if any(p["to"] == "LC-Z1" for p in o["postings"])
    )
    postings = sample_graph.read(g.zone_postings, keys=days)
    assert postings[days[0]] == []
    assert [p.officer.id for p in postings[days[1]]] == linked
    [he_jing] = [p for p in postings[days[1]] if p.officer.name == "何静"]
    assert he_jing.department is not None and he_jing.department.id == "lc-sfj"
    assert he_jing.mode == "挂钩" and he_jing.valid_from == date(2024, 9, 11)


def test_department_parts_and_its_items(sample_graph: Graph) -> None:
    parts = sample_graph.read(g.department_parts, keys=["lc-cgj"])["lc-cgj"]
    assert parts.region is not None and parts.region.code == "350502"
    assert keys(parts.units) == ["lc-u-dd"]
    [held] = sample_graph.run(
        "MATCH (:Department {id: 'lc-cgj'})<-[:HELD_BY]-(i) RETURN collect(i.code) AS codes"
    )
    whole, page = Window("lc-cgj", None, 0, 100), Window("lc-cgj", None, 2, 2)
    found = sample_graph.read(g.department_items, keys=[whole, page])
    assert keys(found[whole].nodes) == sorted(held["codes"]) and found[whole].total == 7
    assert keys(found[page].nodes) == sorted(held["codes"])[2:4]


def test_unit_parents_of_each_kind_sub_units_and_members(sample_graph: Graph) -> None:
    parts = sample_graph.read(g.unit_parts, keys=["lc-u-dd", "lc-u-zd1", "lc-u-t001"])
    assert isinstance(parts["lc-u-dd"].parent, models.Department)
    assert keys(parts["lc-u-dd"].units) == ["lc-u-zd1", "lc-u-zd2"]
    assert isinstance(parts["lc-u-zd1"].parent, models.Unit)
    assert isinstance(parts["lc-u-t001"].parent, models.Street)
    window = Window("lc-u-zd1", None, 0, 10)
    members = sample_graph.read(g.unit_officers, keys=[window])[window]
    assert keys(members.nodes) == sorted(o["id"] for o in licheng_officers(unit="lc-u-zd1"))


def test_category_and_item_links(sample_graph: Graph) -> None:
    led = sample_graph.read(g.category_links, keys=["LC-CAT-YJ"])["LC-CAT-YJ"]
    assert keys(led.led_by) == ["lc-yjj"]
    links = sample_graph.read(g.item_links, keys=["LC-XF-001", "LC-CG-001"])
    assert keys(links["LC-XF-001"].departments) == ["lc-xfdd"]
    assert keys(links["LC-CG-001"].departments) == ["lc-cgj"]
    # 城市管理 is neither 应急管理 nor 市场监管: the catalog's metadata puts it under 综合执法
    assert links["LC-CG-001"].category is not None
    assert links["LC-CG-001"].category.id == "LC-CAT-ZH"
    assert links["LC-XF-001"].category is not None
    assert links["LC-XF-001"].category.id == "LC-CAT-YJ"


def test_item_basis_provisions_their_documents_and_none(sample_graph: Graph) -> None:
    found = sample_graph.read(g.item_basis, keys=["LC-CG-004", "LC-CG-005", "LC-CG-006"])
    article, paragraph = found["LC-CG-004"]
    assert [article.provision.id, paragraph.provision.id] == [  # type: ignore[union-attr]
        "城市市容和环境卫生管理条例#11.2.0",
        "城市市容和环境卫生管理条例#36.1.1",
    ]
    assert (
        article.raw == "《城市市容和环境卫生管理条例》第十一条第二款" and article.role == "实施依据"
    )
    assert article.document is not None and article.document.id == "城市市容和环境卫生管理条例"
    [untexted] = found["LC-CG-005"]  # 城市建筑垃圾管理规定: cited, its text not in laws/
    assert untexted.provision is not None and untexted.provision.text is None
    assert untexted.document is not None and untexted.document.id == "城市建筑垃圾管理规定"
    assert found["LC-CG-006"] == []  # 详见相关法律法规: nothing parseable


def test_item_listings_and_delegations_on_a_day(sample_graph: Graph) -> None:
    listings = sample_graph.read(g.item_listings, keys=["LC-CG-004"])["LC-CG-004"]
    assert [(row.catalog.source_file, row.row) for row in listings] == [
        ("licheng-2024.csv", 5),
        ("licheng-2025.csv", 5),
        ("licheng-withdrawal-2025.csv", 2),
    ]
    assert all(row.item.code == "LC-CG-004" and row.raw for row in listings)
    days = [Dated("LC-CG-004", date(2025, 6, 30)), Dated("LC-CG-004", date(2025, 7, 1))]
    found = sample_graph.read(g.item_delegations, keys=days)
    assert [len(found[day]) for day in days] == [8, 7]


def test_document_provisions_in_text_order_and_the_provision_side(sample_graph: Graph) -> None:
    window = Window("行政处罚法", None, 0, 500)
    provisions = sample_graph.read(g.document_provisions, keys=[window])[window].nodes
    order = [(p.article, p.paragraph or 0, p.item or 0) for p in provisions]
    assert order == sorted(order) and provisions[0].paragraph is None
    assert "行政处罚法#24" in keys(provisions)
    document = sample_graph.read(g.provision_document, keys=["行政处罚法#24"])["行政处罚法#24"]
    assert document is not None and document.title == "中华人民共和国行政处罚法"
    cited = "固体废物污染环境防治法#111.1.1"
    items = sample_graph.read(g.provision_items, keys=[cited])[cited]
    [expected] = sample_graph.run(
        "MATCH (:Provision {id: $id})<-[:BASED_ON]-(i) RETURN collect(i.code) AS codes", id=cited
    )
    assert sorted(link.item.code for link in items) == sorted(expected["codes"])
    assert all(link.provision is not None and link.provision.id == cited for link in items)


def test_catalog_rows_and_versions(sample_graph: Graph) -> None:
    [v2024, v2025] = [
        row["id"]
        for row in sample_graph.run(
            "MATCH (c:Catalog {series: 'licheng-street-delegation'}) RETURN c.id AS id "
            "ORDER BY c.effective"
        )
    ]
    window = Window(v2025, None, 0, 3)
    page = sample_graph.read(g.catalog_items, keys=[window])[window]
    assert page.total == 18
    assert [row.row for row in page.nodes] == [2, 3, 4]
    assert page.nodes[0].item.code == "LC-CG-001"
    versions = sample_graph.read(g.catalog_versions, keys=[v2024, v2025])
    assert keys(versions[v2025].supersedes) == [v2024] and versions[v2025].superseded_by == []
    assert keys(versions[v2024].superseded_by) == [v2025]


def test_delegation_links_name_its_evidence_and_its_end(sample_graph: Graph) -> None:
    ended = delegation_id(sample_graph, "LC-CG-004", HAIBIN)
    links = sample_graph.read(g.delegation_links, keys=[ended])[ended]
    assert links.department is not None and links.department.id == "lc-cgj"
    assert links.street is not None and links.street.code == HAIBIN
    assert links.item is not None and links.item.code == "LC-CG-004"
    assert [(a.source.source_file, a.row) for a in links.authorized_by] == [  # type: ignore[union-attr]
        ("licheng-2024.csv", 5),
        ("licheng-2025.csv", 5),
    ]
    assert [c.source_file for c in links.ended_by] == ["licheng-withdrawal-2025.csv"]


def test_officer_units_and_every_posting(sample_graph: Graph) -> None:
    [hong] = licheng_officers(name="洪志明")
    links = sample_graph.read(g.officer_links, keys=[hong["id"]])[hong["id"]]
    assert keys(links.units) == [hong["unit"]]
    assert sorted(p.target.key_value for p in links.postings) == ["LC-Z1", "LC-Z2"]
    assert all(isinstance(p.target, models.Zone) for p in links.postings)


def test_case_links_as_the_cases_file_says(sample_graph: Graph) -> None:
    found = sample_graph.read(g.case_links, keys=["LC-2024-0001", "ES-2025-0002"])
    first, transferred = found["LC-2024-0001"], found["ES-2025-0002"]
    [case] = [c for c in CASES["cases"] if c["id"] == "LC-2024-0001"]
    assert first.item is not None and first.item.code == case["item"]
    assert first.street is not None and first.street.code == case["occurred_in"]
    assert isinstance(first.handled_by, models.Street) and first.handled_by.code == KAIYUAN
    assert keys(first.officers) == sorted(case["officers"]) and first.transfers == []
    assert isinstance(transferred.handled_by, models.Department)
    assert transferred.handled_by.id == "es-lcj" and keys(transferred.transfers) == ["ES-T-0002"]
    disputed = sample_graph.read(g.case_links, keys=["LC-2025-0006"])["LC-2025-0006"]
    assert keys(disputed.disputes) == ["LC-D-2025-01"] and disputed.handled_by is None


def test_transfer_sender_and_receiver(sample_graph: Graph) -> None:
    links = sample_graph.read(g.transfer_links, keys=["ES-T-0002"])["ES-T-0002"]
    assert links.case is not None and links.case.id == "ES-2025-0002"
    assert isinstance(links.sender, models.Street) and links.sender.code == "530426001"
    assert isinstance(links.receiver, models.Department) and links.receiver.id == "es-lcj"


def test_dispute_parties_and_policy_links(sample_graph: Graph) -> None:
    links = sample_graph.read(g.dispute_links, keys=["LC-D-2025-01"])["LC-D-2025-01"]
    assert links.case is not None and links.case.id == "LC-2025-0006"
    assert [(c.body.key_value, c.stance) for c in links.claimants] == [
        ("350502003", "claims"),
        ("350502004", "claims"),
    ]
    assert keys(links.resolved_by) == ["lc-cgj"] and links.decided_for is None
    policy = sample_graph.read(g.policy_links, keys=["LC-P-DISPUTE"])["LC-P-DISPUTE"]
    assert [type(scope) for scope in policy.applies_to] == [models.Region]
    assert policy.document is not None and policy.document.id == "LC-2024-25"


def test_decisions_repeals_categories_and_whole_document_citations_show_up(
    fresh_sample_graph: Graph,
) -> None:
    graph = fresh_sample_graph
    graph.write(
        record_decision,
        dispute="LC-D-2025-01",
        decided_for="临江街道",
        basis="堆放点位于临江街道一侧",
        by="鲤城区城市管理和综合执法局",
        at=datetime(2025, 5, 20, 9, 0, tzinfo=CST),
    )
    graph.run(  # as an organisation file's `documents: … repealed_by` and a category link would
        "MATCH (old:LegalDocument {id: '个体工商户条例'}), (i:EnforcementItem {code: 'LC-YJ-001'}), "
        "(c:Category {id: 'LC-CAT-YJ'}) "
        "CREATE (:LegalDocument {id: '促进个体工商户发展条例', title: '促进个体工商户发展条例', "
        "rank: '行政法规', status: '现行有效', effective_from: date('2022-11-01')})"
        "-[:REPEALS]->(old), (i)-[:IN_CATEGORY]->(c)"
    )
    graph.run(  # a citation naming a whole document (no article), as write_basis links it
        "MATCH (i:EnforcementItem {code: 'LC-YJ-001'}), (doc:LegalDocument {id: '安全生产法'}) "
        "CREATE (i)-[:BASED_ON {raw: '《中华人民共和国安全生产法》', role: '实施依据'}]->(doc)"
    )
    decided = graph.read(g.dispute_links, keys=["LC-D-2025-01"])["LC-D-2025-01"]
    assert isinstance(decided.decided_for, models.Street) and decided.decided_for.name == "临江街道"
    found = graph.read(g.document_links, keys=["个体工商户条例", "促进个体工商户发展条例"])
    [repeal] = found["个体工商户条例"].incoming
    assert (repeal.kind, repeal.document.id) == ("REPEALS", "促进个体工商户发展条例")
    assert repeal.effective == date(2022, 11, 1) and found["个体工商户条例"].outgoing == []
    [repeals] = found["促进个体工商户发展条例"].outgoing
    assert repeals.document.id == "个体工商户条例" and repeals.effective == date(2022, 11, 1)
    category = graph.read(g.item_links, keys=["LC-YJ-001"])["LC-YJ-001"].category
    assert category is not None and category.name == "应急管理"
    basis = graph.read(g.item_basis, keys=["LC-YJ-001"])["LC-YJ-001"]
    [whole] = [link for link in basis if link.raw == "《中华人民共和国安全生产法》"]
    assert whole.provision is None and whole.document is not None
    assert whole.document.id == "安全生产法"
