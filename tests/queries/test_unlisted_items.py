"""Answers about cases whose item no catalog lists (issue 14.13): case checks say the item is
unlisted (事项未列入任何目录) instead of crashing or inventing an authority; overdue checks,
dispute candidates and the dispute list work on them and show the flag. The test county, its
transfer-deadline policy (3 working days, seed 003's wording) and the cases of
tests/catalogs/cases/unlisted-cases.yaml."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from neo4j import Driver

from authreg.settings import Settings
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.case_checks import case_checks
from queries.dispute_candidates import dispute_candidates
from queries.dispute_list import dispute_list
from queries.overdue_transfers import overdue_transfers
from tests import conftest
from tests.conftest import Graph

TESTS = Path(__file__).resolve().parents[1]
COUNTY = TESTS / "catalogs" / "county"
CASES = TESTS / "catalogs" / "cases"
FILES = [
    COUNTY / "organisation.yaml",
    CASES / "transfer-rules.yaml",
    COUNTY / "county-2024.csv",
    CASES / "unlisted-cases.yaml",
]


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


def test_case_checks_say_the_item_is_unlisted_and_name_no_authority(county: Graph) -> None:
    answer = county.read(case_checks, case="UL-2025-001")
    assert answer.found and answer.verdict == "cannot_check"
    assert answer.item_listed is False and answer.item == "330100-XZCF-0417"
    assert answer.authority is None and answer.competent is None  # nothing invented
    assert answer.explanation.startswith("事项「对擅自在街道两侧和公共场地堆放物料的处罚」")
    assert "事项未列入任何目录" in answer.explanation and "东街道" in answer.explanation
    assert answer.sheets()[0].rows[0][-1] == "事项未列入任何目录"


def test_case_checks_on_a_listed_item_say_it_is_listed(county: Graph) -> None:
    # A listed item of the same county, for contrast: the flag is not always false.
    county.run(
        "MATCH (s:Street {name: '东街道'}), (i:EnforcementItem {code: 'T-001'}) "
        "MERGE (c:Case {id: 'UL-CONTRAST'}) SET c.occurred_on = date('2025-04-01') "
        "MERGE (c)-[:CONCERNS]->(i) MERGE (c)-[:OCCURRED_IN]->(s)"
    )
    try:
        answer = county.read(case_checks, case="UL-CONTRAST")
        assert answer.item_listed is True and answer.verdict == "no_handler"
    finally:
        county.run("MATCH (c:Case {id: 'UL-CONTRAST'}) DETACH DELETE c")


def test_the_transfer_of_a_case_about_an_unlisted_item_is_judged_on_its_deadline(
    county: Graph,
) -> None:
    answer = county.read(
        overdue_transfers, region="990101", now=datetime.fromisoformat("2025-05-01T09:00+08:00")
    )
    [transfer] = answer.transfers
    assert (transfer.transfer_id, transfer.verdict) == ("UL-T-001", "overdue")
    assert transfer.working_days_taken == 4 and transfer.policy is not None
    assert transfer.item_listed is False
    assert transfer.item_name == "对在居民楼道内违规停放电动自行车的处罚"
    assert [t.transfer_id for t in answer.overdue] == ["UL-T-001"]
    sheet = answer.sheets()[0]
    assert sheet.rows[0][sheet.columns.index("事项")].endswith("(事项未列入任何目录)")


def test_dispute_candidates_weigh_the_claimants_and_say_the_item_is_unlisted(
    county: Graph,
) -> None:
    answer = county.read(dispute_candidates, case="UL-2025-001")
    assert answer.found and answer.item_listed is False
    names = {c.body.name: c for c in answer.candidates}
    assert {"东街道", "测试县城市管理和综合执法局"} <= set(names)
    assert all(c.holds_authority is None for c in answer.candidates)  # Art. 24 cannot be told
    assert names["东街道"].filed_at is not None  # Art. 25: it filed
    assert answer.conclusion.startswith(
        "事项「对擅自在街道两侧和公共场地堆放物料的处罚」未列入任何目录"
    )
    [dispute] = answer.disputes
    assert dispute.id == "UL-D-2025-01" and len(dispute.claimants) == 2


def test_the_dispute_list_shows_the_unlisted_item(county: Graph) -> None:
    listed = county.read(dispute_list)
    [row] = listed.disputes
    assert row.case == "UL-2025-001" and row.item_listed is False
    assert row.item is not None and row.item.code == "330100-XZCF-0417"
