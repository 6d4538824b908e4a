"""authority(item, street, asOf) on the sample graph: the README's hand-written answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import AuthorityAnswer, authority
from tests.conftest import SAMPLE, Graph

DATA = Path(__file__).resolve().parent / "data" / "authority"

# (item, street, date) → (subject name, catalog file and row of the evidence, or None)
EXPECTED = [
    ("LC-CG-001", "开元街道", "2024-10-01", "开元街道", ("licheng-2024.csv", 2)),
    ("LC-CG-001", "开元街道", "2024-09-10", "鲤城区城市管理和综合执法局", None),
    ("LC-CG-001", "开元街道", "2025-05-01", "开元街道", ("licheng-2025.csv", 2)),
    ("LC-CG-004", "海滨街道", "2025-06-30", "海滨街道", ("licheng-2025.csv", 5)),
    ("LC-CG-004", "海滨街道", "2025-07-01", "鲤城区城市管理和综合执法局", None),
    ("LC-CG-004", "海滨街道", "2026-01-01", "鲤城区城市管理和综合执法局", None),
    ("LC-CG-004", "临江街道", "2025-07-01", "临江街道", ("licheng-2025.csv", 5)),
    ("LC-SC-002", "鲤中街道", "2025-02-28", "鲤中街道", ("licheng-2024.csv", 11)),
    ("LC-SC-002", "鲤中街道", "2025-03-01", "鲤城区市场监督管理局", None),
    ("LC-SC-005", "江南街道", "2025-02-28", "鲤城区市场监督管理局", None),
    ("LC-SC-005", "江南街道", "2025-03-01", "江南街道", ("licheng-2025.csv", 14)),
    ("LC-CG-007", "常泰街道", "2025-03-01", "常泰街道", ("licheng-2025.csv", 8)),
    ("LC-XF-001", "浮桥街道", "2024-10-01", "浮桥街道", ("licheng-2024.csv", 16)),
    ("WC-CG-001", "积玉桥街道", "2023-01-01", "积玉桥街道", ("wuchang-2021.csv", 2)),
    ("WC-CG-001", "中华路街道", "2023-01-01", "武昌区城市管理执法委员会", None),
    ("WC-SW-001", "积玉桥街道", "2021-01-14", "武昌区水务和湖泊局", None),
    ("ES-LC-001", "岔河乡", "2025-03-20", "岔河乡", ("eshan-2024.csv", 4)),
    ("ES-LC-001", "双江街道", "2025-03-13", "峨山县林业和草原局", None),
    ("ES-ZR-001", "甸中镇", "2025-01-01", "甸中镇", ("eshan-2024.csv", 7)),
    ("ES-ZR-001", "大龙潭乡", "2025-06-16", "峨山县自然资源局", None),
    ("FY-ZH-001", "新登镇", "2022-01-01", "新登镇", ("fuyang-2021.csv", 2)),
    ("FY-ZH-001", "富春街道", "2022-01-01", "杭州市富阳区综合行政执法局", ("fuyang-2021.csv", 2)),
    ("FY-ZH-001", "银湖街道", "2022-01-01", "杭州市富阳区综合行政执法局", ("fuyang-2021.csv", 2)),
    ("FY-ZH-001", "新登镇", "2021-09-30", "杭州市富阳区综合行政执法局", None),
    # 场口镇's mode is dated (issue 14.12): 派驻 to 2021-12-31, 赋权 from 2022-01-01.
    ("FY-ZH-001", "场口镇", "2021-12-31", "杭州市富阳区综合行政执法局", ("fuyang-2021.csv", 2)),
    ("FY-ZH-001", "场口镇", "2022-01-01", "场口镇", ("fuyang-2021.csv", 2)),
]


def ask(graph: Graph, item: str, street: str, on: str | date) -> AuthorityAnswer:
    day = on if isinstance(on, date) else date.fromisoformat(on)
    return graph.read(authority, item=item, street=street, as_of=day)


@pytest.mark.parametrize(("item", "street", "on", "subject", "evidence"), EXPECTED)
def test_the_readme_answers(
    sample_graph: Graph, item: str, street: str, on: str, subject: str, evidence: tuple | None
) -> None:
    answer = ask(sample_graph, item, street, on)
    assert answer.outcome == "determined", answer.explanation
    assert answer.subject is not None and answer.subject.name == subject
    if evidence is None:
        assert answer.delegation is None
        assert answer.rule is not None and answer.rule.key == "not_delegated"
    else:
        file, row = evidence
        assert answer.delegation is not None
        cited = [c for c in answer.delegation.catalogs if c.effective <= answer.as_of]
        assert (cited[-1].source_file, cited[-1].row) == (file, row)
        assert file.removesuffix(".csv").split("-")[0] in cited[-1].id or cited[-1].title


def test_every_eshan_town_holds_es_cg_001(sample_graph: Graph) -> None:
    towns = sample_graph.run(
        "MATCH (s:Street)-[:PART_OF]->(:Region {code: '530426'}) RETURN s.name AS name"
    )
    assert len(towns) == 8
    for town in towns:
        answer = ask(sample_graph, "ES-CG-001", town["name"], "2025-03-10")
        assert answer.subject is not None and answer.subject.name == town["name"]


def test_a_grant_names_article_24_and_quotes_it(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-001", "开元街道", "2024-10-01")
    assert answer.rule is not None and answer.rule.key == "grant"
    assert "第二十四条" in answer.explanation and "泉鲤政办〔2024〕25号" in answer.explanation
    [article] = answer.rule.articles
    assert article.provision_id == "行政处罚法#24"
    assert (
        article.text is not None
        and "交由能够有效承接的乡镇人民政府、街道办事处行使" in article.text
    )
    # The legal-basis chain comes with the article text from laws/.
    assert any(b.article == 111 and b.text for b in answer.basis)


def test_a_station_town_keeps_the_department_and_says_why(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "FY-ZH-001", "富春街道", "2022-01-01")
    assert answer.rule is not None and answer.rule.key == "station"
    assert answer.delegation is not None and answer.delegation.mode == "派驻"
    assert "派驻" in answer.explanation and "第二十三条" in answer.explanation


def test_after_a_withdrawal_the_explanation_names_the_notice(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-004", "海滨街道", "2025-07-20")
    [ended] = answer.delegations
    assert not ended.in_force and ended.valid_to == date(2025, 7, 1)
    assert ended.ended_by is not None and ended.ended_by.kind == "收回通知"
    assert "关于收回海滨街道部分行政处罚事项的通知" in answer.explanation


def test_before_a_delegation_begins_the_explanation_says_when(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-SC-005", "江南街道", "2025-02-28")
    assert "自2025-03-01起方赋权" in answer.explanation


def test_items_and_streets_by_exact_name(sample_graph: Graph) -> None:
    by_code = ask(sample_graph, "LC-CG-001", "350502001", "2024-10-01")
    by_name = ask(sample_graph, by_code.item.name, "开元街道", "2024-10-01")  # type: ignore[union-attr]
    assert by_name.subject == by_code.subject
    assert by_name.item is not None and by_name.item.code == "LC-CG-001"


def test_an_item_name_shared_by_counties_is_narrowed_to_the_street_s_region(
    sample_graph: Graph,
) -> None:
    # 对随意倾倒…生活垃圾的处罚 is listed in Licheng, Wuchang, Eshan and Fuyang under four codes.
    name = ask(sample_graph, "LC-CG-001", "开元街道", "2024-10-01").item.name  # type: ignore[union-attr]
    shared = sample_graph.run(
        "MATCH (i:EnforcementItem {name: $name}) RETURN count(i) AS n", name=name
    )
    assert shared[0]["n"] > 1
    answer = ask(sample_graph, name, "新登镇", "2022-01-01")
    assert answer.item is not None and answer.item.code == "FY-ZH-001"


def test_unknown_words_are_not_found_and_say_which(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "NO-SUCH-ITEM", "开元街道", "2024-10-01")
    assert answer.outcome == "not_found" and answer.subject is None
    assert "NO-SUCH-ITEM" in answer.explanation
    answer = ask(sample_graph, "LC-CG-001", "不存在街道", "2024-10-01")
    assert answer.outcome == "not_found" and "不存在街道" in answer.explanation


def test_an_item_no_catalog_of_the_region_lists_is_unknown_not_guessed(
    sample_graph: Graph,
) -> None:
    # LC-CG-001 is a Licheng item; asking it of a Wuchang street must not answer 鲤城区城管局.
    answer = ask(sample_graph, "LC-CG-001", "积玉桥街道", "2023-01-01")
    assert answer.outcome == "unknown" and answer.subject is None
    assert "第三十八条" in answer.explanation and "鲤城区城市管理和综合执法局" in answer.explanation
    assert answer.rule is not None and answer.rule.key == "unknown"


def test_two_delegations_in_force_are_a_conflict_with_both_candidates(graph: Graph) -> None:
    licheng = SAMPLE / "licheng"
    report = LoadReport()
    paths = [licheng / "organisation.yaml", licheng / "licheng-2024.csv", DATA]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)

    answer = ask(graph, "LC-CG-001", "开元街道", "2024-10-02")
    assert answer.outcome == "conflict" and answer.subject is None
    assert {c.name for c in answer.candidates} == {"开元街道", "鲤城区城市管理和综合执法局"}
    assert sorted(d.mode for d in answer.delegations if d.in_force) == ["委托", "赋权"]
    # The region's dispute resolver is named from policy LC-P-DISPUTE.
    assert [r.policy for r in answer.resolvers] == ["LC-P-DISPUTE"]
    assert "第二十五条" in answer.explanation and "鲤城区城市管理和综合执法局" in answer.explanation
    # Before the entrusting list took effect there is one delegation: no conflict.
    assert ask(graph, "LC-CG-001", "开元街道", "2024-09-30").outcome == "determined"
    # Another street holds only the county grant.
    assert ask(graph, "LC-CG-001", "鲤中街道", "2024-10-02").subject.name == "鲤中街道"  # type: ignore[union-attr]


def test_the_answer_shows_itself_as_sheets(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-004", "海滨街道", "2025-07-01")
    summary, history, basis = answer.sheets()
    assert summary.rows[0][4] == "鲤城区城市管理和综合执法局"
    assert len(history.rows) == 1 and history.rows[0][4] == "否"
    assert basis.rows and all(len(r) == len(basis.columns) for r in basis.rows)
