"""Dated organisation facts (组织沿革, issue 14.12) on a real graph: a county's notices change a
town's mode (派驻 → 赋权), rename a town (更名), merge a township into a town (撤并) and redraw a
zone; authority, catalog diff and case checks answer each day as the organisation was that day.

The fixture (tests/queries/data/orgdates) is 清溪县, invented, in the shape a county keeps:
清政发〔2023〕18号 城关镇 → 城东街道 on 2023-07-01; 清政发〔2024〕35号 青山镇 派驻 → 赋权 on
2025-01-01; 清政发〔2025〕9号 白沙乡 merged into 青山镇 on 2025-07-01.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from neo4j import ManagedTransaction

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import AuthorityAnswer, authority
from queries.case_checks import case_checks
from queries.catalog_diff import catalog_diff
from queries.coverage_gaps import coverage_gaps
from queries.coverage_matrix import coverage_matrix
from queries.gap_scope import resolve_scope
from queries.responsibility_chain import ResponsibilityChain, responsibility_chain
from queries.zone_division import zone_division
from tests.conftest import Graph

DATA = Path(__file__).resolve().parent / "data" / "orgdates"
COUNTY = "清溪县综合行政执法局"


def load_qingxi(graph: Graph) -> None:
    report = LoadReport()
    paths = [DATA / "organisation.yaml", DATA / "qingxi-2022.csv", DATA / "cases.yaml"]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def ask(graph: Graph, street: str, on: str) -> AuthorityAnswer:
    day = date.fromisoformat(on)
    return graph.read(authority, item="QX-ZH-001", street=street, as_of=day)


def subject(graph: Graph, street: str, on: str) -> str | None:
    answer = ask(graph, street, on)
    assert answer.outcome == "determined", answer.explanation
    return answer.subject.name if answer.subject else None


def test_a_town_in_stationed_mode_until_the_notice_keeps_the_county_as_subject(
    graph: Graph,
) -> None:
    load_qingxi(graph)
    before, after = ask(graph, "青山镇", "2024-12-31"), ask(graph, "青山镇", "2025-01-01")
    assert before.subject is not None and before.subject.name == COUNTY
    assert before.street is not None and before.street.mode == "派驻"
    assert before.rule is not None and before.rule.key == "station"
    assert after.subject is not None and after.subject.name == "青山镇"
    assert after.street is not None and after.street.mode == "赋权"
    assert after.rule is not None and after.rule.key == "grant"
    # Each answer says which period of the town's history it used, and the notice.
    assert "清政发〔2024〕35号" in after.explanation and "2025-01-01" in after.explanation
    assert "派驻" in before.explanation
    # A town with an undated mode answers as before (it holds always).
    assert subject(graph, "白沙乡", "2024-12-31") == "白沙乡"


def test_a_renamed_town_is_found_by_its_old_name_and_named_as_it_was_that_day(
    graph: Graph,
) -> None:
    load_qingxi(graph)
    old = ask(graph, "城关镇", "2023-06-30")
    assert old.street is not None and old.street.code == "330998001"
    assert old.street.name == "城关镇" and old.subject is not None and old.subject.name == "城关镇"
    new = ask(graph, "城关镇", "2023-07-01")
    assert new.street is not None and new.street.name == "城东街道"
    assert new.subject is not None and new.subject.name == "城东街道"
    assert ask(graph, "城东街道", "2023-06-30").street.name == "城关镇"  # type: ignore[union-attr]


def test_a_merged_township_answers_through_its_successor_from_the_merger_day(
    graph: Graph,
) -> None:
    load_qingxi(graph)
    assert subject(graph, "白沙乡", "2025-06-30") == "白沙乡"
    after = ask(graph, "白沙乡", "2025-07-01")
    assert after.subject is not None and after.subject.name == "青山镇"
    assert "白沙乡(330998201)自2025-07-01起并入青山镇" in after.explanation
    assert "清政发〔2025〕9号" in after.explanation


def test_catalog_diff_shows_the_mode_change_and_the_merger_with_their_notices(
    graph: Graph,
) -> None:
    load_qingxi(graph)

    def diff(street: str, start: str, end: str):
        found = graph.read(
            catalog_diff,
            street=street,
            from_date=date.fromisoformat(start),
            to_date=date.fromisoformat(end),
        )
        return {c.item_code: c for s in found.streets for c in s.changes}

    qingshan = diff("青山镇", "2024-12-31", "2025-01-01")
    assert set(qingshan) == {"QX-ZH-001", "QX-ZH-002"}
    change = qingshan["QX-ZH-001"]
    assert change.change == "subject_changed"
    assert [d.mode for d in change.before] == ["派驻"] and [d.mode for d in change.after] == [
        "赋权"
    ]
    assert diff("青山镇", "2025-01-01", "2025-06-30") == {}
    baisha = diff("白沙乡", "2025-06-30", "2025-07-01")
    assert {c.change for c in baisha.values()} == {"withdrawn"}
    assert "清政发〔2025〕9号" in baisha["QX-ZH-001"].evidence
    assert diff("白沙乡", "2025-01-01", "2025-06-30") == {}
    assert diff("城关镇", "2021-12-31", "2022-01-01").keys() == {"QX-ZH-001", "QX-ZH-002"}


def test_case_checks_judge_each_case_by_the_organisation_of_its_filing_day(
    graph: Graph,
) -> None:
    load_qingxi(graph)

    def verdict(case: str) -> str:
        return graph.read(case_checks, case=case).verdict

    # 派驻 mode on the filing day: the town filing in its own name is a void risk.
    stationed = graph.read(case_checks, case="QX-2024-0031")
    assert stationed.verdict == "void_risk"
    assert stationed.competent is not None and stationed.competent.name == COUNTY
    assert verdict("QX-2025-0004") == "ok"  # 赋权 from 2025-01-01
    assert verdict("QX-2023-0007") == "ok"  # filed under the old name, by the town then so named
    assert verdict("QX-2025-0012") == "ok"  # filed by 白沙乡 before the merger: stays 白沙乡's
    merged = graph.read(case_checks, case="QX-2025-0020")
    assert merged.verdict == "void_risk"  # 白沙乡 no longer exists on the filing day
    assert merged.competent is not None and merged.competent.name == "青山镇"


def test_zone_membership_follows_the_redrawn_zone(graph: Graph) -> None:
    load_qingxi(graph)
    rows = graph.run(
        "MATCH (s:Street)-[m:IN_ZONE]->(:Zone {id: 'qx-z-east'}) "
        "RETURN s.code AS code, m.valid_from AS since, m.valid_to AS until ORDER BY code"
    )
    periods = {r["code"]: (r["since"], r["until"]) for r in rows}
    assert periods["330998201"][1].isoformat() == "2025-06-30"
    assert periods["330998101"][0].isoformat() == "2025-01-01"
    assert periods["330998001"][0].isoformat() == "2022-01-01"


def test_the_chain_and_the_zone_division_use_the_organisation_of_the_day(graph: Graph) -> None:
    load_qingxi(graph)

    def chain(on: str) -> ResponsibilityChain:
        day = date.fromisoformat(on)
        return graph.read(responsibility_chain, item="QX-ZH-001", street="青山镇", as_of=day)

    stationed, granted = chain("2024-12-31"), chain("2025-01-01")
    assert stationed.role("执法主体")[0].node.name == COUNTY  # type: ignore[union-attr]
    # 派驻 that day: the town's team works in the county department's name (seed 004 4.).
    teams = stationed.role("执法队伍")
    assert any(t.note == "派驻: 以区级部门名义执法" for t in teams), teams
    assert granted.role("执法主体")[0].node.name == "青山镇"  # type: ignore[union-attr]
    assert not any(t.note == "派驻: 以区级部门名义执法" for t in granted.role("执法队伍"))

    def zones(on: str) -> tuple[list[str], list[str]]:
        found = graph.read(zone_division, region="清溪县", as_of=date.fromisoformat(on))
        east = [s.name for z in found.zones for s in z.streets]
        return east, [s.name for s in found.unzoned]

    assert zones("2023-06-30") == (["城关镇", "白沙乡"], ["青山镇"])  # named as that day
    assert zones("2025-01-01") == (["城东街道", "青山镇", "白沙乡"], [])
    assert zones("2025-07-01") == (["城东街道", "青山镇"], [])  # 白沙乡 merged: gone, not unzoned


def test_coverage_gaps_check_the_streets_of_the_day_with_their_mode(graph: Graph) -> None:
    load_qingxi(graph)

    def streets(on: str) -> dict[str, tuple[str, str | None]]:
        def read(tx: ManagedTransaction) -> list[dict]:
            return resolve_scope(tx, "330998", None, date.fromisoformat(on)).streets

        return {s["code"]: (s["name"], s["mode"]) for s in graph.read(read)}

    before = streets("2024-12-31")
    assert before["330998101"] == ("青山镇", "派驻") and before["330998001"][0] == "城东街道"
    assert streets("2025-01-01")["330998101"] == ("青山镇", "赋权")
    assert "330998201" in streets("2025-06-30")
    assert "330998201" not in streets("2025-07-01")  # merged: no longer a street to check

    # The gap report checks the streets of its day.
    def checked(on: date) -> list[str]:
        return [s.name for s in graph.read(coverage_gaps, region="330998", as_of=on).streets]

    assert checked(date(2023, 6, 30)) == ["城关镇", "青山镇", "白沙乡"]
    assert checked(date(2025, 7, 1)) == ["城东街道", "青山镇"]


def test_the_coverage_matrix_uses_the_town_mode_of_its_day(graph: Graph) -> None:
    load_qingxi(graph)

    def cell(on: str) -> tuple[str | None, str | None]:
        found = graph.read(coverage_matrix, region="330998", as_of=date.fromisoformat(on))
        cells = [
            c for c in found.cells if (c.item_code, c.street_code) == ("QX-ZH-001", "330998101")
        ]
        return cells[0].subject.name if cells[0].subject else None, cells[0].mode

    assert cell("2024-12-31") == (COUNTY, "派驻")
    assert cell("2025-01-01") == ("青山镇", "赋权")
