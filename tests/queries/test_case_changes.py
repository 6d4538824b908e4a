"""Cases across a withdrawal or a grant (issue 14.7): a case filed while its body held the item and
finished after the change stays with that body (已立案未办结的案件由原实施主体继续办理); one filed
after the change by the body that lost the item is a void risk. On the test county: its 2024 list,
the 2025 list (T-002 dropped, T-004 added from 2025-03-01), the notice withdrawing T-001 from
西街道 from 2025-07-01, and a 收回决定 (测政规〔2025〕4号) withdrawing T-004 from 东街道 from
2025-09-01; the cases as a 案件登记 records them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from authreg.settings import Settings
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from queries.case_changes import case_rules
from queries.case_checks import CaseChecks, case_checks
from queries.catalog_diff import catalog_diff
from tests import conftest
from tests.conftest import Graph

TESTS = Path(__file__).resolve().parents[1]
COUNTY = TESTS / "catalogs" / "county"
CASES = TESTS / "catalogs" / "cases"
FILES = [
    COUNTY / "organisation.yaml",
    COUNTY / "county-2024.csv",
    COUNTY / "county-2025.csv",
    COUNTY / "county-withdrawal-2025.csv",
    CASES / "withdrawal-decision-2025.csv",
    CASES / "pending-cases.yaml",
]
WEST, EAST = "990101002", "990101001"


@pytest.fixture(scope="module")
def county(session_driver: Driver, neo4j_settings: Settings) -> Graph:
    """The county and its cases, loaded once for this module's tests, which only read."""
    graph = Graph(session_driver, neo4j_settings)
    graph.wipe()
    conftest._holds_sample = False  # the sample graph's tests reload it after this module
    report = LoadReport()
    plan = plan_load(FILES, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return graph


def check(graph: Graph, case: str) -> CaseChecks:
    return graph.read(case_checks, case=case)


def test_the_withdrawal_moves_the_item_on_its_effective_day(county: Graph) -> None:
    before = county.read(authority, item="T-001", street=WEST, as_of=date(2025, 6, 30))
    after = county.read(authority, item="T-001", street=WEST, as_of=date(2025, 7, 1))
    assert before.subject is not None and before.subject.name == "西街道"
    assert after.subject is not None and after.subject.key == "T-CGJ"
    diff = county.read(
        catalog_diff, street=WEST, from_date=date(2025, 6, 30), to_date=date(2025, 7, 1)
    )
    withdrawn = [c for s in diff.streets for c in s.changes if c.item_code == "T-001"]
    assert [c.change for c in withdrawn] == ["withdrawn"]


def test_a_case_filed_before_the_withdrawal_and_finished_after_it_is_no_void_risk(
    county: Graph,
) -> None:
    answer = check(county, "PC-2025-001")
    assert answer.verdict == "ok", answer.explanation
    across = answer.across_change
    assert across is not None and across.filed_before
    assert (across.filed_on, across.changed_on, across.closed_on) == (
        date(2025, 6, 23),
        date(2025, 7, 1),
        date(2025, 7, 25),
    )
    assert across.keeps is not None and across.keeps.name == "西街道"
    assert across.successor is not None and across.successor.key == "T-CGJ"
    assert across.notice is not None and across.notice.title == "关于收回西街道部分赋权事项的通知"
    assert answer.competent == across.keeps  # the body that keeps the case answers for it
    # Why, in the explanation: the rule, its source, both dates and the withdrawing notice.
    for words in (
        "已立案未办结的案件由原实施主体继续办理",
        "沙政规〔2025〕4号",
        "2025-06-23立案",
        "自2025-07-01起",
        "关于收回西街道部分赋权事项的通知",
        "至2025-07-25结案",
    ):
        assert words in answer.explanation, words


def test_a_case_filed_after_the_withdrawal_by_the_old_body_is_still_a_void_risk(
    county: Graph,
) -> None:
    answer = check(county, "PC-2025-002")
    assert answer.verdict == "void_risk", answer.explanation
    assert answer.checked_on == date(2025, 7, 2)  # the 立案 day, not the violation day (06-28)
    assert answer.competent is not None and answer.competent.key == "T-CGJ"
    across = answer.across_change
    assert across is not None and not across.filed_before
    assert across.changed_on == date(2025, 7, 1) and across.handler.name == "西街道"
    assert "第三十八条" in answer.explanation
    assert "只适用于调整前已立案的案件" in answer.explanation


def test_the_department_the_item_went_back_to_files_after_the_withdrawal(county: Graph) -> None:
    answer = check(county, "PC-2025-003")
    assert answer.verdict == "ok", answer.explanation
    assert answer.across_change is None


def test_an_open_case_filed_before_a_withdrawal_decision_stays_with_the_street(
    county: Graph,
) -> None:
    before = county.read(authority, item="T-004", street=EAST, as_of=date(2025, 8, 31))
    after = county.read(authority, item="T-004", street=EAST, as_of=date(2025, 9, 1))
    assert before.subject is not None and before.subject.name == "东街道"
    assert after.subject is not None and after.subject.key == "T-CGJ"
    answer = check(county, "PC-2025-004")
    assert answer.verdict == "ok", answer.explanation
    across = answer.across_change
    assert across is not None and across.filed_before and across.closed_on is None
    assert across.notice is not None and across.notice.doc_number == "测政规〔2025〕4号"
    assert "尚未办结" in answer.explanation and "测政规〔2025〕4号" in answer.explanation


def test_a_department_keeps_a_case_it_filed_before_the_item_was_granted(county: Graph) -> None:
    answer = check(county, "PC-2025-005")
    assert answer.verdict == "ok", answer.explanation
    across = answer.across_change
    assert across is not None and across.filed_before
    assert across.changed_on == date(2025, 3, 1)
    assert across.keeps is not None and across.keeps.key == "T-CGJ"
    assert across.successor is not None and across.successor.name == "东街道"
    # The grant's own wording is the source quoted (郑政〔2025〕13号), not the withdrawal's.
    assert "郑政〔2025〕13号" in answer.explanation


def test_a_case_finished_before_the_withdrawal_needs_no_rule(county: Graph) -> None:
    answer = check(county, "PC-2025-006")
    assert answer.verdict == "ok" and answer.across_change is None


def test_the_rule_is_data_with_its_sources() -> None:
    rule = case_rules()["pending_cases"]
    assert rule["title"] == "已立案未办结的案件由原实施主体继续办理"
    assert all(source["quote"] and source["document"] for source in rule["sources"])
    assert {source["direction"] for source in rule["sources"]} == {"withdrawal", "grant"}
