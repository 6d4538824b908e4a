"""legalBasis(item): the README's "Legal basis" answers on the sample, and a recorded repeal."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.legal_basis import LegalBasis, legal_basis
from queries.lookups import AmbiguousName
from tests.conftest import SAMPLE, Graph

H2 = Path(__file__).resolve().parent / "data" / "h2"
H2_LAWS = [SAMPLE / "laws" / "getigongshanghu-tiaoli.md", SAMPLE / "laws" / "dianzi-shangwu-fa.md"]


def load_h2(graph: Graph) -> None:
    """The small 示例区 county (tests/queries/data/h2) and the two laws it cites."""
    report = LoadReport()
    plan = plan_load([*H2_LAWS, H2], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def ask(graph: Graph, item: str) -> LegalBasis:
    return graph.read(legal_basis, item=item)


@pytest.mark.parametrize(
    ("item", "provisions"),
    [
        ("LC-CG-001", ["固体废物污染环境防治法#111.1.1"]),
        ("LC-CG-003", ["固体废物污染环境防治法#111.3.0"]),
        ("LC-CG-007", ["大气污染防治法#119.2.0"]),
        ("LC-ST-001", ["大气污染防治法#119.1.0"]),
        ("LC-ZJ-001", ["村庄和集镇规划建设管理条例#37.1.0"]),
        ("LC-SC-001", ["个体工商户条例#22"]),
        ("LC-SC-002", ["个体工商户条例#23.1.0"]),
        ("LC-XF-002", ["消防法#60.1.5", "消防法#60.2.0"]),
        ("ES-ZR-001", ["基本农田保护条例#32"]),
    ],
)
def test_cited_articles_in_laws_come_with_their_text(
    sample_graph: Graph, item: str, provisions: list[str]
) -> None:
    answer = ask(sample_graph, item)
    assert [link.provision_id for link in answer.links] == provisions
    assert all(link.text and link.text_state == "loaded" for link in answer.links)
    assert answer.flags == []


def test_item_by_code_shows_cell_document_rank_and_version(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-002")
    assert answer.found and answer.item_code == "LC-CG-002"
    assert (
        answer.basis_raw == "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(四)项"
    )
    [link] = answer.links
    assert link.raw == answer.basis_raw
    assert (link.article, link.paragraph, link.item) == (111, 1, 4)
    assert link.title == "中华人民共和国固体废物污染环境防治法"
    assert link.rank == "法律" and link.version_date is not None
    assert link.status == "未知"  # the sample records no status for law texts: never guessed
    assert link.text is not None and link.text.startswith("工程施工单位擅自倾倒")


def test_no_parseable_basis_is_flagged_with_the_cell_as_published(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-006")
    assert answer.found and answer.links == []
    assert answer.basis_raw == "详见相关法律法规"
    assert answer.no_parseable_basis
    assert "详见相关法律法规" in answer.flags[0]


@pytest.mark.parametrize(
    ("item", "missing"),
    [
        ("LC-CG-004", "城市市容和环境卫生管理条例#36.1.1"),
        ("WC-CG-002", "城市市容和环境卫生管理条例#36.1.1"),
        ("FY-ZH-003", "城市市容和环境卫生管理条例#36.1.1"),
        ("LC-SC-003", "电子商务法#76.1.1"),
        ("ES-NY-001", "土地管理法#78.1.0"),
    ],
)
def test_cited_article_missing_from_a_loaded_text_is_flagged(
    sample_graph: Graph, item: str, missing: str
) -> None:
    answer = ask(sample_graph, item)
    states = {link.provision_id: link.text_state for link in answer.links}
    assert states.pop(missing) == "article_missing"
    assert set(states.values()) == {"loaded"}  # 第十一条 / 第十五条 / 第六十二条 are in laws/
    assert len(answer.missing_from_text) == 1
    assert not answer.no_parseable_basis and not answer.only_repealed_basis


@pytest.mark.parametrize(
    ("item", "document"),
    [
        ("LC-CG-005", "城市建筑垃圾管理规定"),
        ("LC-SC-004", "无证无照经营查处办法"),
        ("LC-SC-005", "市场主体登记管理条例"),
        ("LC-YJ-001", "安全生产法"),
        ("LC-YJ-002", "安全生产法"),
        ("WC-YJ-001", "安全生产法"),
        ("WC-SW-001", "城镇排水与污水处理条例"),
        ("WC-WJ-001", "公共场所卫生管理条例"),
    ],
)
def test_documents_absent_from_laws_say_text_not_loaded(
    sample_graph: Graph, item: str, document: str
) -> None:
    answer = ask(sample_graph, item)
    [link] = answer.links
    assert link.document_id == document
    assert link.text is None and link.text_state == "not_loaded"
    assert answer.flags == []  # a text not loaded is unknown, not a defect of the basis
    assert answer.sheets()[1].rows[0][5].startswith("text not loaded")


def test_repeal_not_recorded_in_the_sample_is_not_flagged(sample_graph: Graph) -> None:
    for item in ("LC-SC-001", "LC-SC-002"):
        answer = ask(sample_graph, item)
        assert [link.document_id for link in answer.links] == ["个体工商户条例"]
        assert not answer.only_repealed_basis  # README: flagged only if the registry records it
        assert answer.links[0].repealed_by == []


def test_unknown_item_is_an_answer_not_an_exception(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-999")
    assert not answer.found and answer.links == []
    assert "LC-CG-999" in answer.flags[0]
    assert answer.sheets()[0].rows[0][5] == answer.flags[0]


def test_item_by_exact_name_and_ambiguous_names(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "对擅自占用城市道路、广场等公共场所摆摊设点的处罚")
    assert answer.item_code == "LC-CG-006"
    with pytest.raises(AmbiguousName, match="LC-CG-001"):
        ask(sample_graph, "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚")  # 4 counties' items


def test_recorded_repeal_flags_an_item_resting_only_on_the_repealed_law(graph: Graph) -> None:
    load_h2(graph)
    only = ask(graph, "H-GT-001")
    [link] = only.links
    assert link.status == "已废止" and link.repealed
    assert [(r.id, r.title) for r in link.repealed_by] == [
        ("促进个体工商户发展条例", "促进个体工商户发展条例")
    ]
    assert only.only_repealed_basis
    assert any("均已废止" in flag for flag in only.flags)
    also_in_force = ask(graph, "H-GT-002")  # also rests on 电子商务法 第十五条
    assert [link.repealed for link in also_in_force.links] == [True, False]
    assert not also_in_force.only_repealed_basis
    missing = ask(graph, "H-GT-003")  # 第九十九条: not in the loaded text
    assert missing.only_repealed_basis
    assert missing.links[0].text_state == "article_missing"
    assert missing.missing_from_text == ["《个体工商户条例》第九十九条"]
