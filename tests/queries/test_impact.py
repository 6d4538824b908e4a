"""impact(document[, article], asOf): what rests on a law, on the sample and on a recorded repeal.

The answer is a summary (totals, counts per county and per mode) plus one page of the items; an
item's delegations are listed when that item is asked for. Totals are checked against counts
made here with test-only Cypher from the other end (each delegation and its street's region).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from queries.cypher_files import cypher
from queries.impact import Impact, impact
from queries.lookups import QueryInputError
from queries.pages import MAX_PAGE_SIZE
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
GUFEI = "固体废物污染环境防治法"

ITEMS = """
MATCH (doc:LegalDocument {id: $document})
MATCH (i:EnforcementItem)-[:BASED_ON]->(t)
WHERE (t = doc AND $article IS NULL)
   OR (EXISTS { (t)-[:IN]->(doc) } AND ($article IS NULL OR t.article = $article))
WITH DISTINCT i
"""
# Every delegation in force of the items, from the delegation's side, with its street's region.
DELEGATION_ROWS = (
    ITEMS
    + """
MATCH (i)<-[:OF]-(d:Delegation)-[:TO]->(s:Street)
WHERE d.valid_from <= $day AND (d.valid_to IS NULL OR d.valid_to > $day)
OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
RETURN i.code AS item, d.id AS id, d.mode AS mode, s.code AS street, r.code AS region
"""
)
ITEM_COUNTS = (
    ITEMS
    + """
WITH collect(i) AS items
OPTIONAL MATCH (c:Catalog)-[l:LISTS]->(x) WHERE x IN items AND c.effective <= $day
WITH items, count(l) AS listings
OPTIONAL MATCH (k:Case)-[:CONCERNS]->(y) WHERE y IN items AND (k.status IS NULL OR k.status <> '结案')
RETURN size(items) AS items, listings, count(DISTINCT k) AS cases
"""
)


def ask(graph: Graph, document: str, on: str, article: int | None = None, **page: Any) -> Impact:
    return graph.read(
        impact, document=document, article=article, as_of=date.fromisoformat(on), **page
    )


def plan_steps(graph: Graph, name: str, **params: Any) -> list[tuple[str, str]]:
    """Each operator of the query's plan with its details (EXPLAIN: nothing runs)."""
    _, summary, _ = graph.driver.execute_query(
        "EXPLAIN " + cypher(name), params, database_=graph.settings.neo4j_database
    )
    found: list[tuple[str, str]] = []
    stack = [summary.plan]
    while stack:
        step = stack.pop()
        found.append((step["operatorType"].split("@")[0], step.get("args", {}).get("Details", "")))
        stack += step.get("children", [])
    return found


def plan_operators(graph: Graph, name: str, **params: Any) -> set[str]:
    return {operator for operator, _ in plan_steps(graph, name, **params)}


def scans(graph: Graph, name: str, **params: Any) -> list[tuple[str, str]]:
    """The steps of the plan that read a whole label or index (what a point read must not do)."""
    return [step for step in plan_steps(graph, name, **params) if step[0] in SCANS]


SCANS = frozenset({"NodeByLabelScan", "AllNodesScan", "NodeIndexScan"})


def counted_here(graph: Graph, document: str, article: int | None, on: str) -> dict[str, Any]:
    """Totals and breakdowns counted in Python from test-only Cypher rows."""
    params = {"document": document, "article": article, "day": date.fromisoformat(on)}
    rows = graph.run(DELEGATION_ROWS, **params)
    [items] = graph.run(ITEM_COUNTS, **params)
    regions: dict[str | None, list[dict]] = {}
    for row in rows:
        regions.setdefault(row["region"], []).append(row)
    return {
        "items": items["items"],
        "catalog_listings": items["listings"],
        "open_cases": items["cases"],
        "delegations": len(rows),
        "streets": len({r["street"] for r in rows}),
        "regions": len({r["region"] for r in rows if r["region"]}),
        "by_mode": sorted(Counter(r["mode"] for r in rows).items()),
        "by_region": {
            code: (len({r["item"] for r in held}), len(held), len({r["street"] for r in held}))
            for code, held in regions.items()
        },
    }


def every_delegation(graph: Graph, document: str, on: str, article: int | None = None) -> dict:
    """item code → its delegations in force, as the item's drill-down lists them."""
    answer = ask(graph, document, on, article, limit=MAX_PAGE_SIZE)
    return {
        item.code: ask(graph, document, on, article, item=item.code, limit=MAX_PAGE_SIZE)
        .items[0]
        .delegations
        for item in answer.items
    }


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
    assert answer.found and answer.document_id == GUFEI
    assert [item.code for item in answer.items] == GUFEI_111
    assert all(item.only_basis for item in answer.items)
    assert answer.left_without_basis == 0  # not repealed
    assert answer.totals is not None
    assert answer.totals.amended_after_delegation == 0  # version 2020-04-29, delegations from 2021


@pytest.mark.parametrize(
    ("document", "article", "on"),
    [
        (GUFEI, 111, "2025-05-01"),
        (GUFEI, 111, "2024-09-10"),
        ("城市市容和环境卫生管理条例", 36, "2025-07-01"),
        ("消防法", 60, "2025-05-01"),
        ("大气污染防治法", None, "2025-05-01"),
    ],
)
def test_totals_and_breakdowns_match_a_count_from_the_delegations_side(
    sample_graph: Graph, document: str, article: int | None, on: str
) -> None:
    answer = ask(sample_graph, document, on, article)
    expected = counted_here(sample_graph, document, article, on)
    totals = answer.totals
    assert totals is not None
    for name in ("items", "catalog_listings", "open_cases", "delegations", "streets", "regions"):
        assert getattr(totals, name) == expected[name], name
    assert [(m.mode, m.delegations) for m in answer.by_mode] == expected["by_mode"]
    by_region = {r.code: (r.items, r.delegations, r.streets) for r in answer.by_region}
    assert by_region == expected["by_region"]
    assert [r.code for r in answer.by_region] == sorted(by_region, key=lambda c: (c is None, c))
    # The page holds every item here: its per-item counts add up to the totals.
    assert sum(i.delegation_count for i in answer.items) == totals.delegations
    assert sum(len(i.catalogs) for i in answer.items) == totals.catalog_listings
    assert sum(i.only_basis for i in answer.items) == totals.only_basis_items


def test_gufei_111_totals_on_the_sample(sample_graph: Graph) -> None:
    answer = ask(sample_graph, GUFEI, "2025-05-01", article=111)
    assert answer.totals is not None
    assert answer.totals.model_dump() == {
        "items": 7,
        "only_basis_items": 7,
        "catalog_listings": 11,  # with LC-CG-002 in the Licheng zone list (片区联合执法清单)
        "delegations": 43,  # Licheng 3 × 8, Fuyang 5 + 5, Wuchang 1, Eshan 8
        "amended_after_delegation": 0,
        "streets": 8 + 5 + 1 + 8,  # Licheng, Fuyang, Wuchang, Eshan
        "regions": 4,
        "open_cases": 5,  # with the first-contact matter ES-M-2025-01 (ES-CG-001, 立案)
    }
    licheng = next(r for r in answer.by_region if r.code == "350502")
    assert (licheng.name, licheng.items, licheng.delegations, licheng.streets) == (
        "鲤城区",
        3,
        24,
        8,
    )
    assert "7 项执法事项" in answer.explanation and "在行赋权 43 项" in answer.explanation
    assert "本页显示第 1–7 项,共 7 项" in answer.explanation
    assert answer.next_offset is None


def test_licheng_items_carry_catalog_rows_counts_and_open_cases(sample_graph: Graph) -> None:
    answer = ask(sample_graph, GUFEI, "2025-05-01", article=111)
    items = {item.code: item for item in answer.items}
    lc001 = items["LC-CG-001"]
    assert [(c.id, c.row, c.superseded_on) for c in lc001.catalogs] == [
        ("licheng-street-delegation@2024-09-11", 2, date(2025, 3, 1)),
        ("licheng-street-delegation@2025-03-01", 2, None),
    ]
    assert lc001.catalogs[0].doc_number == "泉鲤政办〔2024〕25号"
    assert (lc001.delegation_count, lc001.street_count) == (8, 8)
    assert lc001.delegations == []  # counted, not listed: ask for the item to list them
    # LC-2024-0001 (开元街道) is 结案: not open. LC-2025-0006 is a 案源, LC-2025-0005 立案.
    assert [k.id for k in lc001.open_cases] == ["LC-2025-0006"]
    assert [k.id for k in items["LC-CG-002"].open_cases] == ["LC-2025-0005"]
    assert items["LC-CG-003"].open_cases == []
    assert [k.id for k in items["ES-CG-001"].open_cases] == [
        "ES-2025-0001",
        "ES-2025-0007",
        "ES-M-2025-01",  # a first-contact matter is a case: handed on to 双江街道, 立案
    ]
    assert items["FY-ZH-001"].delegation_count == 5  # 3 赋权 towns + 2 派驻 streets
    titles = [sheet.title for sheet in answer.sheets()]
    assert titles == [
        "法律文件",
        "说明",
        "合计",
        "按地区",
        "按赋权方式",
        "受影响事项(第 1–7 项,共 7 项)",
        "目录行",
        "在行赋权",
        "未结案件",
    ]


def test_one_item_lists_its_delegations_with_evidence(sample_graph: Graph) -> None:
    answer = ask(sample_graph, GUFEI, "2025-05-01", article=111, item="LC-CG-001")
    assert answer.totals is not None  # about LC-CG-001 alone now
    assert (answer.totals.items, answer.totals.delegations, answer.totals.streets) == (1, 8, 8)
    assert [(r.code, r.items, r.delegations) for r in answer.by_region] == [("350502", 1, 8)]
    assert [(m.mode, m.delegations) for m in answer.by_mode] == [("赋权", 8)]
    [lc001] = answer.items
    assert lc001.code == "LC-CG-001" and lc001.delegation_count == 8
    assert sorted(d.street_name for d in lc001.delegations) == sorted(LICHENG)
    codes = [d.street_code for d in lc001.delegations]
    assert codes == sorted(codes)
    for delegation in lc001.delegations:
        assert (delegation.mode, delegation.since) == ("赋权", date(2024, 9, 11))
        assert delegation.department_name == "鲤城区城市管理和综合执法局"
        assert delegation.evidence is not None
        assert (delegation.evidence.id, delegation.evidence.row) == (
            "licheng-street-delegation@2025-03-01",
            2,
        )
    assert answer.explanation == (
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条:事项 LC-CG-001 以其为依据(唯一依据),"
        "目录行 2 条;2025-05-01 在行赋权 8 项,涉及 1 个地区、8 个街道;未结案件 1 件。"
        "其在行赋权按街道编码排列,本页显示第 1–8 项,共 8 项。"
    )
    fuyang = ask(sample_graph, GUFEI, "2025-05-01", article=111, item="FY-ZH-001").items[0]
    assert {d.mode for d in fuyang.delegations} == {"赋权", "派驻"}
    wuchang = ask(sample_graph, GUFEI, "2025-05-01", article=111, item="WC-CG-001").items[0]
    assert [d.street_name for d in wuchang.delegations] == ["积玉桥街道"]


def test_an_item_not_resting_on_the_article_is_said_so(sample_graph: Graph) -> None:
    answer = ask(sample_graph, GUFEI, "2025-05-01", article=111, item="LC-CG-004")
    assert answer.found and answer.items == [] and answer.by_region == []
    assert answer.totals is not None and answer.totals.items == 0
    assert "事项 LC-CG-004 不以本文件(条款)为依据" in answer.flags
    assert answer.explanation.endswith("事项 LC-CG-004 不以其为依据。")


def test_paging_covers_every_item_exactly_once(sample_graph: Graph) -> None:
    whole = ask(sample_graph, GUFEI, "2025-05-01", article=111, limit=MAX_PAGE_SIZE)
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = ask(sample_graph, GUFEI, "2025-05-01", article=111, offset=offset, limit=3)
        assert len(page.items) <= 3 and page.totals == whole.totals
        assert page.by_region == whole.by_region and page.by_mode == whole.by_mode
        seen += [item.code for item in page.items]
        offset = page.next_offset
    assert seen == GUFEI_111 == [item.code for item in whole.items]
    second = ask(sample_graph, GUFEI, "2025-05-01", article=111, offset=3, limit=3)
    assert second.items == whole.items[3:6]
    assert "本页显示第 4–6 项,共 7 项;下一页用 offset 6" in second.explanation
    assert second.sheets()[5].title == "受影响事项(第 4–6 项,共 7 项)"
    past = ask(sample_graph, GUFEI, "2025-05-01", article=111, offset=7, limit=3)
    assert past.items == [] and past.next_offset is None and "无内容" in past.explanation
    totals_only = ask(sample_graph, GUFEI, "2025-05-01", article=111, limit=0)
    assert totals_only.items == [] and totals_only.totals == whole.totals


def test_paging_covers_every_delegation_of_an_item_exactly_once(sample_graph: Graph) -> None:
    asked = {"article": 111, "item": "LC-CG-001"}
    whole = ask(sample_graph, GUFEI, "2025-05-01", **asked).items[0].delegations
    seen = []
    offset: int | None = 0
    while offset is not None:
        page = ask(sample_graph, GUFEI, "2025-05-01", **asked, offset=offset, limit=3)
        assert len(page.items[0].delegations) <= 3
        seen += page.items[0].delegations
        offset = page.next_offset
    assert seen == whole and len({d.id for d in seen}) == 8


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"limit": MAX_PAGE_SIZE + 1}, f"limit must be between 0 and {MAX_PAGE_SIZE} (got 501)"),
        ({"limit": -1}, "limit must be between 0 and"),
        ({"offset": -1}, "offset must be 0 or more (got -1)"),
    ],
)
def test_page_bounds_are_enforced(sample_graph: Graph, page: dict, message: str) -> None:
    with pytest.raises(QueryInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ask(sample_graph, GUFEI, "2025-05-01", article=111, **page)


def test_as_of_before_a_catalog_took_effect_has_no_delegation_from_it(sample_graph: Graph) -> None:
    answer = ask(sample_graph, GUFEI, "2024-09-10", article=111)
    items = {item.code: item for item in answer.items}
    assert items["LC-CG-001"].delegation_count == 0 and items["LC-CG-001"].catalogs == []
    assert items["ES-CG-001"].delegation_count == 8  # eshan-2024 from 2024-07-01
    early = ask(sample_graph, GUFEI, "2021-01-14", article=111)
    assert all(item.delegation_count == 0 for item in early.items)  # wuchang-2021 from 01-15
    assert early.totals is not None and early.totals.streets == 0
    assert early.by_region == [] and early.by_mode == []


def test_article_filter_and_whole_document(sample_graph: Graph) -> None:
    article_36 = ask(sample_graph, "城市市容和环境卫生管理条例", "2025-07-01", article=36)
    assert [item.code for item in article_36.items] == ["FY-ZH-003", "LC-CG-004", "WC-CG-002"]
    assert all(item.only_basis for item in article_36.items)  # 第十一条 is the same document
    lc004 = ask(
        sample_graph, "城市市容和环境卫生管理条例", "2025-07-01", article=36, item="LC-CG-004"
    ).items[0]
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
    assert uncited.totals is not None and uncited.totals.items == 0
    assert "没有执法事项以其为依据" in uncited.explanation


def test_unknown_document_is_not_found(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "中华人民共和国不存在法", "2025-05-01")
    assert not answer.found and answer.items == [] and answer.totals is None
    assert "未找到" in answer.sheets()[0].rows[0][-1]
    assert answer.explanation.startswith("未找到文件")


def test_document_by_its_id(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-2024-25", "2025-05-01")
    assert answer.found and answer.title == "鲤城区街道片区联合执法工作方案"
    assert answer.items == []  # a work plan: no item cites it


@pytest.mark.parametrize(
    ("name", "params"),
    [
        (
            "impact",
            {
                "document": "消防法",
                "documentKey": "消防法",
                "article": None,
                "asOf": date(2025, 1, 1),
                "item": None,
                "offset": 0,
                "limit": 50,
            },
        ),
        (
            "impact_delegations",
            {"item": "LC-CG-001", "asOf": date(2025, 1, 1), "offset": 0, "limit": 50},
        ),
    ],
)
def test_impact_reads_are_one_index_seek_then_expansion(
    planned_sample_graph: Graph, name: str, params: dict
) -> None:
    assert "NodeUniqueIndexSeek" in plan_operators(planned_sample_graph, name, **params)
    assert scans(planned_sample_graph, name, **params) == []


def test_repealed_sole_basis_and_amended_after_delegation(graph: Graph) -> None:
    load_h2(graph)
    repealed = ask(graph, "个体工商户条例", "2019-06-01")
    assert repealed.repealed and repealed.status == "已废止"
    assert [c.kind for c in repealed.changes] == ["REPEALS", "version"]
    assert [item.code for item in repealed.items] == ["H-GT-001", "H-GT-002", "H-GT-003"]
    # H-GT-002 also rests on 电子商务法; H-GT-003 is no longer listed (no delegation on the day).
    assert [item.code for item in repealed.items if item.only_basis] == ["H-GT-001", "H-GT-003"]
    assert repealed.left_without_basis == 2
    assert "仅以本文件为依据且本文件已废止: 2 项事项" in repealed.flags
    gt001 = ask(graph, "个体工商户条例", "2019-06-01", item="H-GT-001").items[0]
    assert [k.id for k in gt001.open_cases] == ["H-2020-0001"]  # H-2020-0002 is 结案
    assert {(d.mode, d.since) for d in gt001.delegations} == {("赋权", date(2019, 1, 1))}
    # The repeal (2022) came after the 2019 delegations began.
    assert all([c.kind for c in d.amended_after_start] == ["REPEALS"] for d in gt001.delegations)
    assert gt001.amended_after_delegation == gt001.delegation_count == len(gt001.delegations)

    before = ask(graph, "电子商务法", "2018-06-01", article=15)
    assert [item.code for item in before.items] == ["H-DS-001", "H-GT-002"]
    assert not before.repealed and before.left_without_basis == 0
    # The 委托 list of 2016 predates the 2018-08-31 version of 电子商务法 loaded in the graph.
    assert before.totals is not None and before.totals.amended_after_delegation == 4
    assert sum(r.amended_after_delegation for r in before.by_region) == 4
    assert "赋权开始后文件又有修改或新版本: 4 项赋权" in before.flags
    listed = every_delegation(graph, "电子商务法", "2018-06-01", article=15)
    assert sum(1 for ds in listed.values() for d in ds if d.amended_after_start) == 4
    change = listed["H-DS-001"][0].amended_after_start
    assert [(c.kind, c.on) for c in change] == [("version", date(2018, 8, 31))]
    after = ask(graph, "电子商务法", "2019-06-01", article=15)
    assert after.totals is not None and after.totals.amended_after_delegation == 0
