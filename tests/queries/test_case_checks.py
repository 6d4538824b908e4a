"""caseChecks(case) on the sample: void risk under Art. 38 and uncertified officers, per the README."""

from __future__ import annotations

import pytest

from queries.case_checks import CaseChecks, case_checks
from tests.conftest import Graph

# case → (verdict, competent body, every officer certified that day)
EXPECTED = {
    "LC-2024-0001": ("ok", "开元街道", True),
    "LC-2025-0002": ("void_risk", "鲤城区市场监督管理局", True),
    "LC-2025-0003": ("void_risk", "鲤城区市场监督管理局", True),
    "LC-2025-0004": ("void_risk", "鲤城区城市管理和综合执法局", True),
    "LC-2025-0005": ("ok", "江南街道", False),
    "LC-2025-0006": ("no_handler", "海滨街道", True),
    "LC-2025-0007": ("ok", "海滨街道", True),  # filed before the withdrawal: the street keeps it
    "ES-2025-0002": ("ok", "峨山县林业和草原局", True),
    "ES-2025-0008": ("no_handler", "峨山县自然资源局", True),
}


def check(graph: Graph, case: str) -> CaseChecks:
    return graph.read(case_checks, case=case)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_readme_case_checks(sample_graph: Graph, case: str) -> None:
    verdict, competent, officers_ok = EXPECTED[case]
    answer = check(sample_graph, case)
    assert (answer.verdict, answer.officers_ok) == (verdict, officers_ok), answer.explanation
    assert answer.competent is not None and answer.competent.name == competent


def test_every_other_eshan_case_is_handled_by_its_competent_body(sample_graph: Graph) -> None:
    for n in (1, 3, 4, 5, 6, 7, 9):
        answer = check(sample_graph, f"ES-2025-000{n}")
        assert answer.verdict == "ok", answer.explanation
        assert answer.handler == answer.competent


def test_a_void_risk_names_article_38_and_the_catalog_that_ended_the_power(
    sample_graph: Graph,
) -> None:
    answer = check(sample_graph, "LC-2025-0004")
    assert "第三十八条" in answer.explanation
    assert "关于收回海滨街道部分行政处罚事项的通知" in answer.explanation
    assert answer.authority is not None and answer.authority.rule.key == "not_delegated"  # type: ignore[union-attr]


def test_a_case_filed_before_the_withdrawal_stays_with_the_street_that_filed_it(
    sample_graph: Graph,
) -> None:
    answer = check(sample_graph, "LC-2025-0007")
    across = answer.across_change
    assert across is not None and across.filed_before and across.keeps is not None
    assert (across.filed_on.isoformat(), across.changed_on.isoformat()) == (
        "2025-06-20",
        "2025-07-01",
    )
    assert across.keeps.name == "海滨街道" and across.notice is not None
    assert across.notice.title == "关于收回海滨街道部分行政处罚事项的通知"
    assert "已立案未办结的案件由原实施主体继续办理" in answer.explanation
    # Filed after the same notice (LC-2025-0004): the rule does not keep it.
    late = check(sample_graph, "LC-2025-0004").across_change
    assert late is not None and not late.filed_before


def test_an_expired_certificate_is_named_with_its_dates(sample_graph: Graph) -> None:
    answer = sample_graph.read(case_checks, case="LC-2025-0005", personal=True)
    bad = [o for o in answer.officers if not o.certified]
    assert [o.id for o in bad] == ["35050220200202"]
    assert bad[0].problem is not None and "2025-06-30" in bad[0].problem
    assert "林晓东(35050220200202)" in answer.explanation
    assert [o.certified for o in answer.officers if o.name == "黄建华"] == [True]


def test_without_the_right_to_personal_data_the_explanation_counts_the_officers(
    sample_graph: Graph,
) -> None:
    named = sample_graph.read(case_checks, case="LC-2025-0005", personal=True)
    answer = check(sample_graph, "LC-2025-0005")  # personal=False: the default
    assert answer.officers == named.officers  # the structured fields still hold every officer
    assert "办案人员中有 1 名当日未持有效执法证" in answer.explanation
    for officer in answer.officers:
        assert officer.name not in answer.explanation and officer.id not in answer.explanation
        assert officer.problem is None or officer.name not in officer.problem


def test_an_unknown_case_says_so(sample_graph: Graph) -> None:
    answer = check(sample_graph, "NO-SUCH-CASE")
    assert not answer.found and answer.verdict == "cannot_check"
    assert "NO-SUCH-CASE" in answer.explanation


def test_sheets(sample_graph: Graph) -> None:
    summary, officers = check(sample_graph, "LC-2025-0005").sheets()
    assert summary.rows[0][4] == "合法" and summary.rows[0][5] == "否"
    assert len(officers.rows) == 2
