"""Staffing establishment against staff (编制与实有人员, issue 17.5): the 编办's approvals per team
and 派驻 station, certified officers from the graph, 协管 apart, 超编, 编随事走 and domain gaps."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from authreg.errors import InputError
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.coverage_gaps import coverage_gaps
from queries.staffing import RULES_FILE, Staffing, StaffingFinding, UnitStaffing, staffing
from tests.conftest import Graph
from tests.queries.test_cli_queries import run

SEEDS = Path(__file__).resolve().parents[2] / "docs" / "seeds"
FUYANG = "330111"


def ask(graph: Graph, region: str, day: str):
    return graph.read(staffing, region=region, as_of=date.fromisoformat(day))


def load(graph: Graph, *paths: Path) -> None:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_every_staffing_rule_quotes_its_seed_verbatim() -> None:
    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    quotes = [(s["seed"], s["quote"]) for rule in rules.values() for s in rule["sources"]]
    assert len(quotes) >= 6
    for seed, quote in quotes:
        assert quote in seeds[seed], (seed, quote)


def test_fuyang_sample_shows_each_staffing_finding_with_its_source(sample_graph: Graph) -> None:
    answer = ask(sample_graph, FUYANG, "2022-06-01")
    kinds = {(f.kind, f.street_code or f.department_id or f.unit_id) for f in answer.findings}
    assert kinds == {
        ("over_establishment", "330111001"),
        ("posts_not_moved_to_street", "330111102"),
        ("department_posts_not_reduced", "fy-zhzf"),
    }
    moved = next(f for f in answer.findings if f.kind == "posts_not_moved_to_street")
    assert (moved.day, moved.before, moved.after) == (date(2021, 10, 1), 6, 6)
    assert all(f.sources for f in answer.findings)
    department = next(f for f in answer.findings if f.kind == "department_posts_not_reduced")
    assert (department.before, department.after) == (82, 82)


def test_each_unit_figure_names_its_approval_and_certified_officers_come_from_the_graph(
    sample_graph: Graph,
) -> None:
    units = {u.unit_id: u for u in ask(sample_graph, FUYANG, "2022-06-01").units}
    team = units["fy-u-t-ck"]  # 场口镇: 俞海峰's certificate ended 2021-12-31
    assert (team.approved, team.actual, team.vacancies, team.auxiliary) == (6, 4, 2, 8)
    assert team.certified_officers == 1 and team.certified_reported == 2
    assert team.establishment_source.doc_number == "富编〔2021〕3号"
    assert team.establishment_source.file == "staffing.yaml" and team.establishment_source.row
    assert units["fy-u-xd-scs"].unit_kind == "派驻机构"
    earlier = {u.unit_id: u for u in ask(sample_graph, FUYANG, "2021-11-01").units}
    assert earlier["fy-u-t-ck"].certified_officers == 2


def test_a_later_approval_replaces_the_earlier_one_from_its_own_date(sample_graph: Graph) -> None:
    before = {u.unit_id: u for u in ask(sample_graph, FUYANG, "2022-02-28").units}
    after = {u.unit_id: u for u in ask(sample_graph, FUYANG, "2022-03-01").units}
    assert (before["fy-u-t-fc"].actual, before["fy-u-t-fc"].over_establishment) == (5, None)
    assert (after["fy-u-t-fc"].actual, after["fy-u-t-fc"].over_establishment) == (6, 1)
    assert before["fy-u-t-xd"].approved == 6  # 富编〔2021〕17号 from 2021-09-20
    assert ask(sample_graph, FUYANG, "2021-09-19").units[0].approved is not None


def test_posts_follow_items_is_judged_only_once_its_window_has_passed(
    sample_graph: Graph,
) -> None:
    answer = ask(sample_graph, FUYANG, "2021-11-01")  # items from 2021-10-01, window to 12-30
    assert not [f for f in answer.findings if f.kind.startswith(("posts", "department"))]
    assert any("尚未届满" in note for note in answer.notes)


def test_domain_gaps_are_the_coverage_reports_own_uncovered_items(sample_graph: Graph) -> None:
    for region, day in (("350502", "2025-08-01"), (FUYANG, "2022-06-01")):
        answer = ask(sample_graph, region, day)
        shown = {
            (f.street_code, item)
            for f in answer.findings
            if f.kind == "domain_without_certified_officer"
            for item in f.items
        }
        gaps = sample_graph.read(
            coverage_gaps, region=region, zone=None, as_of=date.fromisoformat(day)
        ).gaps
        reported = {
            (street.key, item.key)
            for g in gaps
            if g.rule == "delegated_item_without_certified_officer"
            for item in g.subjects
            if item.kind == "事项"
            for street in g.subjects
            if street.kind == "街道"
        }
        assert shown == reported, region
        assert shown or region == FUYANG  # every Fuyang officer covers all three domains


STAFFING_ORG = """\
kind: organisation
region: {code: "990001", name: 试验县, level: county}
departments:
  - {id: t-cg, name: 试验县综合行政执法局}
streets:
  - {code: "990001001", name: 甲街道, kind: 街道}
units:
  - {id: t-team, name: 甲街道综合行政执法队, kind: 街镇综合执法队, part_of: "990001001"}
"""
CATALOG = """\
序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域
1,T-001,对在城市道路上擅自摆摊设点的处罚,行政处罚,《城市市容和环境卫生管理条例》第三十六条,试验县综合行政执法局,城市管理
"""
META = """\
title: 试验县街道赋权事项目录
issuer: 试验县人民政府
kind: 县级赋权清单
effective: 2024-01-01
region: "990001"
streets: all
mode: 赋权
"""


def _county(tmp_path: Path, staffing_text: str) -> Path:
    (tmp_path / "organisation.yaml").write_text(STAFFING_ORG, encoding="utf-8")
    (tmp_path / "list.csv").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "list.meta.yaml").write_text(META, encoding="utf-8")
    (tmp_path / "staffing.yaml").write_text(staffing_text, encoding="utf-8")
    return tmp_path


AUXILIARIES_ONLY = """\
kind: staffing
region: "990001"
approvals:
  - {文件: 试验县编制批复, 文号: 试编〔2024〕1号, 日期: 2024-01-01,
     核定: [{单位: t-team, 事业编制: 3, 实有人数: 3, 持证执法人员: 3, 协管人员: 12}]}
"""


def test_auxiliary_staff_are_never_counted_as_officers(graph: Graph, tmp_path: Path) -> None:
    """Twelve 协管 and a table claiming three certified: the graph holds no officer, so the team
    has none, and the street's delegated 城市管理 item has no certified officer of its domain."""
    load(graph, _county(tmp_path, AUXILIARIES_ONLY))
    answer = ask(graph, "990001", "2024-06-01")
    [team] = answer.units
    assert (team.auxiliary, team.certified_reported, team.certified_officers) == (12, 3, 0)
    [gap] = [f for f in answer.findings if f.kind == "domain_without_certified_officer"]
    assert (gap.street_code, gap.domain, gap.items) == ("990001001", "城市管理", ["T-001"])
    assert "协管人员不计入" in gap.explanation


POSTS = """\
kind: staffing
region: "990001"
approvals:
  - {文件: 试验县编制批复, 文号: 试编〔2023〕1号, 日期: 2023-06-01,
     核定: [{单位: t-team, 事业编制: 3, 实有人数: 3}]}
  - {文件: 试验县编制调整, 文号: 试编〔2024〕2号, 日期: {day},
     核定: [{单位: t-team, 事业编制: {posts}, 实有人数: 3}]}
"""


@pytest.mark.parametrize(
    ("day", "posts", "finding"),
    [
        ("2024-02-01", 5, False),  # raised within the window (items from 2024-01-01, ±90 days)
        ("2024-02-01", 3, True),  # an approval in the window that keeps the posts as they were
        ("2024-06-01", 5, True),  # raised, but long after the items moved: not 同步
    ],
)
def test_a_street_whose_posts_did_not_move_with_its_items_is_a_finding(
    graph: Graph, tmp_path: Path, day: str, posts: int, finding: bool
) -> None:
    load(graph, _county(tmp_path, POSTS.replace("{day}", day).replace("{posts}", str(posts))))
    answer = ask(graph, "990001", "2024-08-01")
    moved = [f for f in answer.findings if f.kind == "posts_not_moved_to_street"]
    if not finding:
        assert moved == []
        return
    [found] = moved
    assert (found.street_code, found.day, found.items) == ("990001001", date(2024, 1, 1), ["T-001"])
    assert (found.before, found.after) == (3, 3)
    assert "编随事走" in found.explanation and "seed 004" in found.sources[0]


UNKNOWN_UNIT = """\
kind: staffing
region: "990001"
approvals:
  - 文件: 试验县编制批复
    日期: 2024-01-01
    核定:
      - {单位: t-team, 事业编制: 3}
      - {单位: 乙街道综合行政执法队, 事业编制: 3}
"""


def test_an_unknown_unit_is_refused_naming_file_row_and_column(
    graph: Graph, tmp_path: Path
) -> None:
    """Given with its organisation file, before anything is written; given alone, when written
    (the graph is asked), and nothing of the file is written."""
    folder = _county(tmp_path, UNKNOWN_UNIT)
    report = LoadReport()
    plan_load([folder], report, need_metadata=True)
    [error] = report.errors
    assert error.line().startswith("staffing.yaml, row 8, column 「单位」")
    assert "乙街道综合行政执法队" in error.message
    (folder / "staffing.yaml").rename(tmp_path.parent / f"{tmp_path.name}-staffing.yaml")
    load(graph, folder)
    alone = plan_load(
        [tmp_path.parent / f"{tmp_path.name}-staffing.yaml"], LoadReport(), need_metadata=True
    )
    with pytest.raises(InputError) as refused:
        write_plan(graph.driver, graph.settings.neo4j_database, alone)
    assert str(refused.value).startswith(f"{tmp_path.name}-staffing.yaml, row 8, column 「单位」")
    assert graph.run("MATCH (e:Establishment) RETURN count(e) AS n") == [{"n": 0}]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("核定: [{单位: t-team, 事业编制: -1}]", "事业编制"),
        ("核定: [{单位: t-team, 事业编制: 1}, {单位: t-team, 事业编制: 2}]", "单位"),
        ("核定: [{单位: t-team, 编制: 1}]", "编制"),
    ],
)
def test_a_bad_row_is_refused_before_anything_is_written(
    tmp_path: Path, text: str, column: str
) -> None:
    path = tmp_path / "staffing.yaml"
    path.write_text(
        f'kind: staffing\nregion: "990001"\napprovals:\n  - 文件: 批复\n    日期: 2024-01-01\n'
        f"    {text}\n",
        encoding="utf-8",
    )
    report = LoadReport()
    plan_load([path], report, need_metadata=True)
    [error] = report.errors
    assert error.file == "staffing.yaml" and (error.column or "").endswith(column)
    assert error.row and error.row >= 6


def test_authreg_query_staffing_prints_units_and_findings(sample_graph: Graph) -> None:
    code, out = run(
        sample_graph,
        "query",
        "staffing",
        "--region",
        FUYANG,
        "--as-of",
        "2022-06-01",
        "--format",
        "json",
    )
    assert code == 0, out
    answer = json.loads(out)
    assert {f["kind"] for f in answer["findings"]} >= {
        "over_establishment",
        "posts_not_moved_to_street",
        "department_posts_not_reduced",
    }
    assert any(u["unit_id"] == "fy-u-t-ck" and u["auxiliary"] == 8 for u in answer["units"])


def test_the_answer_prints_as_three_sheets_with_a_row_per_unit_and_finding() -> None:
    unit = UnitStaffing(
        unit_id="u",
        unit_name="甲街道综合行政执法队",
        unit_kind="街镇综合执法队",
        owner_kind="Street",
        owner_key="s",
        owner_name="甲街道",
        approved=3,
        actual=4,
        over_establishment=1,
        certified_officers=2,
        auxiliary=5,
        explanation="…",
    )
    finding = StaffingFinding(
        kind="over_establishment", rule="within_establishment", explanation="超编"
    )
    answer = Staffing(
        query="q", found=True, as_of=date(2025, 1, 1), units=[unit], findings=[finding]
    )
    units, findings, notes = answer.sheets()
    assert units.rows[0][units.columns.index("协管人员")] == 5
    assert units.rows[0][units.columns.index("持证执法人员(登记)")] == 2
    assert findings.rows == [["超编", None, None, None, None, None, "超编", ""]]
    assert notes.rows == []
