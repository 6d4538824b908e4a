"""The evaluation of delegated items (赋权事项评估, 行政处罚法 第二十四条 "并定期组织评估"; issue 17.1):
per item × street, cases filed, closed and transferred back, 零办件, withdrawals, capacity on each
day, and a ranked list to keep, to support and to consider returning — on a fixture with an
answer planned for every pair, and on the sample."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.evaluation import Evaluation, EvaluationError, evaluation
from tests.conftest import Graph

FIXTURE = Path(__file__).parent / "data" / "evaluation"
YEAR = {"from_date": date(2025, 1, 1), "to_date": date(2025, 12, 31)}


@pytest.fixture
def evaluated(graph: Graph) -> Evaluation:
    report = LoadReport()
    plan = plan_load([FIXTURE], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return graph.read(evaluation, region="评估县", **YEAR)


def by_pair(answer: Evaluation) -> dict[tuple[str, str], tuple]:
    return {(i.item_code, i.street_code): i for i in answer.items}  # type: ignore[misc]


def test_every_pair_gets_its_planned_recommendation_in_rank_order(evaluated: Evaluation) -> None:
    assert [(i.recommendation, i.rank, i.item_code, i.street_code) for i in evaluated.items] == [
        ("return", 1, "E-CG-002", "990303001"),  # never used since 2024-01-01: 23 months ≥ 6
        ("return", 2, "E-CG-002", "990303101"),
        ("support", 1, "E-CG-001", "990303101"),  # one officer all year
        ("support", 2, "E-SC-001", "990303001"),  # 丁 alone, and only from 2025-03-01
        ("keep", 1, "E-CG-001", "990303001"),
        ("ended", 1, "E-SC-001", "990303101"),  # withdrawn 2025-07-01
    ]
    assert evaluated.unused_months == 6 and not evaluated.unknowns


def test_figures_of_the_used_item_count_cases_closings_and_transfers_back(
    evaluated: Evaluation,
) -> None:
    kept = by_pair(evaluated)[("E-CG-001", "990303001")]
    assert (kept.cases_filed, kept.cases_closed, kept.transferred_back) == (3, 2, 1)
    assert (kept.never_used, kept.last_case_on, kept.months_unused) == (
        False,
        date(2025, 10, 10),
        2,
    )
    # 甲, 乙 and 丙 until 2025-06-30, then 甲 and 乙: never fewer than two (行政处罚法 第四十二条)
    assert (kept.capacity_min, kept.capacity_days_short, kept.days_in_force) == (2, 0, 365)


def test_capacity_counts_certified_officers_of_the_domain_posted_each_day(
    evaluated: Evaluation,
) -> None:
    market = by_pair(evaluated)[("E-SC-001", "990303001")]
    assert (market.capacity_min, market.capacity_days_short) == (0, 365)  # 丁: one at most
    west = by_pair(evaluated)[("E-CG-001", "990303101")]
    assert (west.capacity_min, west.capacity_days_short) == (1, 365)
    assert any("行政处罚法第四十二条" in reason for reason in west.reasons)


def test_unused_items_name_the_policy_and_the_months(evaluated: Evaluation) -> None:
    idle = by_pair(evaluated)[("E-CG-002", "990303001")]
    assert (idle.never_used, idle.last_case_on, idle.months_unused) == (True, None, 23)
    assert idle.reasons[0] == "零办件 23 个月 (赋权以来无案件) ≥ 6 个月 (evaluation_unused_months)"
    [policy] = [r for r in evaluated.rules if r.policy_id]
    assert (policy.policy_id, policy.threshold) == ("E-P-UNUSED", 6)
    assert "组织评估" in (policy.quote or "")


def test_withdrawn_item_is_listed_with_the_notice_and_its_half_year(
    evaluated: Evaluation,
) -> None:
    ended = by_pair(evaluated)[("E-SC-001", "990303101")]
    assert ended.in_force_to == date(2025, 6, 30) and ended.days_in_force == 181
    assert ended.ended_by == ["关于收回西镇部分行政处罚事项的通知 (收回通知)"]
    assert ended.months_unused is None


def test_report_sheets_hold_every_pair_and_the_rules(evaluated: Evaluation) -> None:
    main, rules, unknowns = evaluated.sheets()
    assert main.title == "赋权事项评估 评估县 2025-01-01至2025-12-31"
    assert len(main.rows) == 6 and main.rows[0][0] == "建议评估收回"
    assert {row[1] for row in rules.rows} == {"purpose", "min_officers", "evaluation_unused_months"}
    assert unknowns.rows == []


def test_unknown_region_is_not_found_and_a_backward_period_is_refused(graph: Graph) -> None:
    assert not graph.read(evaluation, region="没有这个县", **YEAR).found
    with pytest.raises(EvaluationError):
        graph.read(
            evaluation, region="评估县", from_date=date(2025, 2, 1), to_date=date(2025, 1, 1)
        )


def test_sample_licheng_year_shows_each_recommendation(sample_graph: Graph) -> None:
    answer = sample_graph.read(evaluation, region="鲤城区", **YEAR)
    assert answer.unused_months == 12
    pairs = by_pair(answer)
    # 海滨街道's LC-CG-004 was withdrawn on 2025-07-01 (licheng-withdrawal-2025)
    assert pairs[("LC-CG-004", "350502003")].recommendation == "ended"
    # LC-SC-002 left the list on 2025-03-01 (licheng-2025): ended in every street
    assert {p.recommendation for (code, _), p in pairs.items() if code == "LC-SC-002"} == {"ended"}
    # no officer covers 自然资源和规划 (the planning item): capacity 0 every day
    planning = pairs[("LC-ZJ-001", "350502001")]
    assert planning.capacity_min == 0 and planning.recommendation in {"return", "support"}
    # 开元街道's LC-CG-001 was used (cases in 2024-10 and 2025)
    assert pairs[("LC-CG-001", "350502001")].last_case_on is not None
    assert answer.count("return") and answer.count("support") and answer.count("ended")


LATE_ITEMS = """序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注
1,E-CG-003,对在城市人行道上违法停放非机动车的处罚,行政处罚,《城市市容和环境卫生管理条例》第三十六条,评估县城市管理局,城市管理,
"""
LATE_CASES = """kind: cases
cases:
  - {id: E-2024-0901, item: E-CG-003, occurred_in: "990303001", filed_at: "2024-03-10T09:00:00+08:00", handled_by: e-cgj, status: 结案}
  - {id: E-2024-0902, item: E-CG-003, occurred_in: "990303001", filed_at: "2024-08-01T09:00:00+08:00", handled_by: e-cgj, status: 结案}
  - {id: E-2024-0903, item: E-CG-003, occurred_in: "990303001", filed_at: "2024-09-02T09:00:00+08:00", handled_by: "990303001", status: 结案}
"""


def test_only_cases_the_street_handled_while_the_delegation_was_in_force_count(
    graph: Graph, tmp_path: Path
) -> None:
    """Review item 5: E-CG-003 is granted (赋权) to 东街道 from 2024-07-01; the county department
    handled a case there on 2024-03-10 (before) and one on 2024-08-01 (its own, not the street's);
    only 东街道's own case of 2024-09-02 is the street's use."""
    (tmp_path / "late-2024.csv").write_text(LATE_ITEMS, encoding="utf-8")
    (tmp_path / "late-2024.meta.yaml").write_text(
        "series: evaluation-late-items\ntitle: 评估县东街道赋权事项目录(补充)\nissuer: 评估县人民政府\n"
        'kind: 县级赋权清单\neffective: 2024-07-01\nregion: "990303"\nstreets: [东街道]\nmode: 赋权\n',
        encoding="utf-8",
    )
    (tmp_path / "late-cases.yaml").write_text(LATE_CASES, encoding="utf-8")
    for paths in ([FIXTURE], [tmp_path / "late-2024.csv"], [tmp_path / "late-cases.yaml"]):
        report = LoadReport()
        plan = plan_load(paths, report, need_metadata=True)
        assert not report.errors, [problem.line() for problem in report.errors]
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
    first_half = graph.read(
        evaluation, region="评估县", from_date=date(2024, 1, 1), to_date=date(2024, 8, 31)
    )
    late = by_pair(first_half)[("E-CG-003", "990303001")]
    assert (late.cases_filed, late.never_used, late.last_case_on) == (0, True, None)
    year = graph.read(
        evaluation, region="评估县", from_date=date(2024, 1, 1), to_date=date(2024, 12, 31)
    )
    late = by_pair(year)[("E-CG-003", "990303001")]
    assert (late.cases_filed, late.never_used, late.last_case_on) == (
        1,
        False,
        date(2024, 9, 2),
    )
