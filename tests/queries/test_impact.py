"""impact(document[, article], asOf): what rests on a law, on the sample and on a recorded repeal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from queries.cypher_files import cypher
from queries.impact import Impact, impact
from tests.conftest import Graph
from tests.queries.test_legal_basis import load_h2

LICHENG = [
    "开元街道",
    "鲤中街道",
    "海滨街道",
    "临江街道",
    "江南街道",
    "浮桥街道",
    "金龙街道",
    "常泰街道",
]
GUFEI_111 = [
    "ES-CG-001",
    "FY-ZH-001",
    "FY-ZH-002",
    "LC-CG-001",
    "LC-CG-002",
    "LC-CG-003",
    "WC-CG-001",
]


def ask(graph: Graph, document: str, on: str, article: int | None = None) -> Impact:
    return graph.read(impact, document=document, article=article, as_of=date.fromisoformat(on))


def plan_operators(graph: Graph, name: str, **params: Any) -> set[str]:
    """The operators of the query's plan (EXPLAIN: nothing runs)."""
    _, summary, _ = graph.driver.execute_query(
        "EXPLAIN " + cypher(name), params, database_=graph.settings.neo4j_database
    )
    found: set[str] = set()
    stack = [summary.plan]
    while stack:
        step = stack.pop()
        found.add(step["operatorType"].split("@")[0])
        stack += step.get("children", [])
    return found


@pytest.mark.parametrize(
    "document",
    [
        "固体废物污染环境防治法",
        "中华人民共和国固体废物污染环境防治法",
        "《中华人民共和国固体废物污染环境防治法》",
        "《固体废物污染环境防治法》(2020年修订)",
    ],
)
def test_gufei_article_111_reaches_every_item_citing_it(sample_graph: Graph, document: str) -> None:
    answer = ask(sample_graph, document, "2025-05-01", article=111)
    assert answer.found and answer.document_id == "固体废物污染环境防治法"
    assert [item.code for item in answer.items] == GUFEI_111
    assert all(item.only_basis for item in answer.items)
    assert answer.left_without_basis == []  # not repealed
    assert answer.amended_after_delegation == []  # version 2020-04-29, delegations from 2021


def test_licheng_items_carry_catalog_rows_delegations_streets_and_open_cases(
    sample_graph: Graph,
) -> None:
    answer = ask(sample_graph, "固体废物污染环境防治法", "2025-05-01", article=111)
    items = {item.code: item for item in answer.items}
    lc001 = items["LC-CG-001"]
    assert [(c.id, c.row, c.superseded_on) for c in lc001.catalogs] == [
        ("licheng-street-delegation@2024-09-11", 2, date(2025, 3, 1)),
        ("licheng-street-delegation@2025-03-01", 2, None),
    ]
    assert lc001.catalogs[0].doc_number == "泉鲤政办〔2024〕25号"
    assert sorted(d.street_name for d in lc001.delegations) == sorted(LICHENG)
    for delegation in lc001.delegations:
        assert (delegation.mode, delegation.since) == ("赋权", date(2024, 9, 11))
        assert delegation.department_name == "鲤城区城市管理和综合执法局"
        assert delegation.evidence is not None
        assert (delegation.evidence.id, delegation.evidence.row) == (
            "licheng-street-delegation@2025-03-01",
            2,
        )
    # LC-2024-0001 (开元街道) is 结案: not open. LC-2025-0006 is a 案源, LC-2025-0005 立案.
    assert [k.id for k in lc001.open_cases] == ["LC-2025-0006"]
    assert [k.id for k in items["LC-CG-002"].open_cases] == ["LC-2025-0005"]
    assert items["LC-CG-003"].open_cases == []
    assert [k.id for k in items["ES-CG-001"].open_cases] == ["ES-2025-0001", "ES-2025-0007"]
    assert len(items["FY-ZH-001"].delegations) == 5  # 3 赋权 towns + 2 派驻 streets
    assert {d.mode for d in items["FY-ZH-001"].delegations} == {"赋权", "派驻"}
    assert [d.street_name for d in items["WC-CG-001"].delegations] == ["积玉桥街道"]
    licheng = {s.split(" ")[1] for s in answer.streets if s.startswith("350502")}
    assert licheng == set(LICHENG)
    assert len(answer.streets) == 8 + 5 + 1 + 8  # Licheng, Fuyang, Wuchang, Eshan
    titles = [sheet.title for sheet in answer.sheets()]
    assert titles == ["法律文件", "受影响事项", "目录行", "在行赋权", "涉及街道", "未结案件"]


def test_as_of_before_a_catalog_took_effect_has_no_delegation_from_it(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "固体废物污染环境防治法", "2024-09-10", article=111)
    items = {item.code: item for item in answer.items}
    assert items["LC-CG-001"].delegations == [] and items["LC-CG-001"].catalogs == []
    assert len(items["ES-CG-001"].delegations) == 8  # eshan-2024 from 2024-07-01
    early = ask(sample_graph, "固体废物污染环境防治法", "2021-01-14", article=111)
    assert all(item.delegations == [] for item in early.items)  # wuchang-2021 from 01-15
    assert early.streets == []


def test_article_filter_and_whole_document(sample_graph: Graph) -> None:
    article_36 = ask(sample_graph, "城市市容和环境卫生管理条例", "2025-07-01", article=36)
    assert [item.code for item in article_36.items] == ["FY-ZH-003", "LC-CG-004", "WC-CG-002"]
    assert all(item.only_basis for item in article_36.items)  # 第十一条 is the same document
    lc004 = next(item for item in article_36.items if item.code == "LC-CG-004")
    # 2025-07-01: the withdrawal notice ended LC-CG-004 in 海滨街道 only.
    assert sorted(d.street_name for d in lc004.delegations) == sorted(
        s for s in LICHENG if s != "海滨街道"
    )
    assert [k.id for k in lc004.open_cases] == ["LC-2025-0004"]
    whole = ask(sample_graph, "大气污染防治法", "2025-05-01")
    assert [item.code for item in whole.items] == ["FY-ZH-004", "LC-CG-007", "LC-ST-001"]
    paragraph_level = ask(sample_graph, "消防法", "2025-05-01", article=60)
    assert [item.code for item in paragraph_level.items] == ["LC-XF-001", "LC-XF-002", "LC-XF-003"]
    uncited = ask(sample_graph, "消防法", "2025-05-01", article=1)
    assert uncited.found and uncited.items == []


def test_unknown_document_is_not_found(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "中华人民共和国不存在法", "2025-05-01")
    assert not answer.found and answer.items == []
    assert "未找到" in answer.sheets()[0].rows[0][-1]


def test_document_by_its_id(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-2024-25", "2025-05-01")
    assert answer.found and answer.title == "鲤城区街道片区联合执法工作方案"
    assert answer.items == []  # a work plan: no item cites it


def test_impact_is_one_index_seek_then_expansion(sample_graph: Graph) -> None:
    operators = plan_operators(
        sample_graph,
        "impact",
        document="消防法",
        documentKey="消防法",
        article=None,
        asOf=date(2025, 1, 1),
    )
    assert "NodeUniqueIndexSeek" in operators
    assert not operators & {"NodeByLabelScan", "AllNodesScan", "NodeIndexScan"}


def test_repealed_sole_basis_and_amended_after_delegation(graph: Graph) -> None:
    load_h2(graph)
    repealed = ask(graph, "个体工商户条例", "2019-06-01")
    assert repealed.repealed and repealed.status == "已废止"
    assert [c.kind for c in repealed.changes] == ["REPEALS", "version"]
    assert [item.code for item in repealed.items] == ["H-GT-001", "H-GT-002", "H-GT-003"]
    # H-GT-002 also rests on 电子商务法; H-GT-003 is no longer listed (no delegation on the day).
    assert repealed.left_without_basis == ["H-GT-001", "H-GT-003"]
    gt001 = repealed.items[0]
    assert [k.id for k in gt001.open_cases] == ["H-2020-0001"]  # H-2020-0002 is 结案
    assert {(d.mode, d.since) for d in gt001.delegations} == {("赋权", date(2019, 1, 1))}
    # The repeal (2022) came after the 2019 delegations began.
    assert all([c.kind for c in d.amended_after_start] == ["REPEALS"] for d in gt001.delegations)

    before = ask(graph, "电子商务法", "2018-06-01", article=15)
    assert [item.code for item in before.items] == ["H-DS-001", "H-GT-002"]
    assert not before.repealed and before.left_without_basis == []
    # The 委托 list of 2016 predates the 2018-08-31 version of 电子商务法 loaded in the graph.
    assert len(before.amended_after_delegation) == 4
    change = before.items[0].delegations[0].amended_after_start
    assert [(c.kind, c.on) for c in change] == [("version", date(2018, 8, 31))]
    after = ask(graph, "电子商务法", "2019-06-01", article=15)
    assert after.amended_after_delegation == []  # the 2019 赋权 list started after that version
