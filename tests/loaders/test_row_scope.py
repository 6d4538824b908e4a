"""Per-row scope and mode (承接主体 / 赋权方式) on a real graph: who holds each row's power.

tests/catalogs/row_scope/ is a county list in the shape lists are published in: a title row,
headers with full-width qualifiers and line breaks, a 承接主体 column naming streets or phrases
(各镇街, 全县各街道, 仅限乡镇 …) and a 赋权方式 column (赋权 / 下放 / 委托, blank = metadata).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from authreg.errors import InputError
from loaders.catalogs import _same_name
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.row_scope import StreetRef, receivers, row_mode, split_receivers
from queries.authority import AuthorityAnswer, authority
from schema.enums import DelegationMode
from tests.conftest import Graph

SCOPE = Path(__file__).resolve().parents[1] / "catalogs" / "row_scope"
ORG = SCOPE / "organisation.yaml"
LIST = SCOPE / "county-2025.csv"
ON = date(2025, 6, 1)
STREETS = ("城东街道", "城西街道", "河口镇", "青山镇", "石门乡")


def load(graph: Graph, *paths: Path) -> LoadReport:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return report


def ask(graph: Graph, item: str, street: str) -> AuthorityAnswer:
    return graph.read(authority, item=item, street=street, as_of=ON)


def holders(graph: Graph, item: str) -> dict[str, str]:
    """street → the enforcement subject the authority question names for the item."""
    answers = {street: ask(graph, item, street) for street in STREETS}
    assert all(a.outcome == "determined" for a in answers.values()), answers
    return {street: a.subject.name for street, a in answers.items() if a.subject}


CGJ, SJJ, ZRJ = "测试二县城市管理和综合执法局", "测试二县市场监督管理局", "测试二县自然资源局"


@pytest.fixture
def county(graph: Graph) -> Graph:
    load(graph, ORG, LIST)
    return graph


def test_a_town_the_row_does_not_name_does_not_hold_the_power(county: Graph) -> None:
    """Row 4: 城东街道、河口镇 — they hold it; 青山镇, 城西街道, 石门乡 stay with the department."""
    assert holders(county, "T2-002") == {
        "城东街道": "城东街道",
        "河口镇": "河口镇",
        "城西街道": CGJ,
        "青山镇": CGJ,
        "石门乡": CGJ,
    }
    unnamed = ask(county, "T2-002", "青山镇")
    assert unnamed.delegation is None and unnamed.delegations == []
    assert unnamed.rule is not None and unnamed.rule.key == "not_delegated"


def test_every_town_and_street_phrase_expands_by_street_kind(county: Graph) -> None:
    """各镇街 = every 镇 and 街道 (not the 乡); 全县各街道 = the 街道; 仅限乡镇 = 乡 and 镇;
    各乡(镇)人民政府、街道办事处 = all five; a blank cell = the metadata's `streets: all`."""
    own = {street: street for street in STREETS}
    assert holders(county, "T2-001") == {**own, "石门乡": CGJ}
    assert holders(county, "T2-004") == {**own, "河口镇": CGJ, "青山镇": CGJ, "石门乡": CGJ}
    assert holders(county, "T2-005") == {**own, "城东街道": ZRJ, "城西街道": ZRJ}
    assert holders(county, "T2-006") == own
    assert holders(county, "T2-008") == own


def test_a_row_entrusted_gives_the_department_as_the_subject(county: Graph) -> None:
    """Row 5 says 委托 in a 赋权 list: in 城西街道 the department stays the subject (第二十条),
    by a delegation in force of mode 委托; row 6 (下放) and a blank mode are 赋权."""
    entrusted = ask(county, "T2-003", "城西街道")
    assert entrusted.subject is not None
    assert (entrusted.subject.kind, entrusted.subject.name) == ("Department", SJJ)
    assert entrusted.delegation is not None and entrusted.delegation.mode == "委托"
    assert holders(county, "T2-003")["城东街道"] == SJJ
    assert ask(county, "T2-003", "城东街道").delegation is None  # not named: nothing delegated
    licence = ask(county, "T2-007", "石门乡")
    assert licence.subject is not None and licence.subject.name == ZRJ
    assert licence.delegation is not None and licence.delegation.mode == "委托"
    for item, street in (("T2-004", "城东街道"), ("T2-005", "河口镇")):
        granted = ask(county, item, street)
        assert granted.delegation is not None and granted.delegation.mode == "赋权"
        assert granted.subject is not None and granted.subject.kind == "Street"


def test_the_metadata_streets_are_the_default_a_row_narrows(graph: Graph, tmp_path: Path) -> None:
    """With `streets: [城东街道, 河口镇, 青山镇]`, 各镇街 means those three, a blank cell all three,
    and a row naming 城西街道 (outside them) is an error naming its row, not silently dropped."""
    rows = [
        "序号,事项名称,实施依据,原实施部门,承接主体",
        "1,对占道经营的处罚,《城市市容和环境卫生管理条例》第三十六条,县城管局,各镇街",
        "2,对随意倾倒生活垃圾的处罚,《中华人民共和国固体废物污染环境防治法》第一百一十一条,县城管局,",
    ]
    listed = write_list(tmp_path, rows, "streets: [城东街道, 河口镇, 青山镇]")
    load(graph, ORG, listed)
    held = graph.run(
        "MATCH (d:Delegation)-[:OF]->(i), (d)-[:TO]->(s) RETURN i.name AS item, s.name AS street"
    )
    by_item: dict[str, set[str]] = {}
    for row in held:
        by_item.setdefault(row["item"], set()).add(row["street"])
    assert by_item == {
        "对占道经营的处罚": {"城东街道", "河口镇", "青山镇"},
        "对随意倾倒生活垃圾的处罚": {"城东街道", "河口镇", "青山镇"},
    }
    outside = write_list(
        tmp_path,
        [
            *rows[:2],
            "2,对擅自设置摊点的处罚,《城市市容和环境卫生管理条例》第十四条,县城管局,城西街道",
        ],
        "streets: [城东街道, 河口镇, 青山镇]",
        name="outside",
    )
    with pytest.raises(InputError) as caught:
        load(graph, outside)
    assert caught.value.row == 3 and caught.value.column == "承接主体"
    assert "城西街道" in caught.value.problem and "leaves out" in caught.value.problem


def test_a_receiver_that_matches_nothing_is_an_error_naming_the_row(
    graph: Graph, tmp_path: Path
) -> None:
    rows = [
        "序号,事项名称,实施依据,原实施部门,赋权对象",
        "1,对占道经营的处罚,《城市市容和环境卫生管理条例》第三十六条,县城管局,城东街道",
        "2,对随意倾倒生活垃圾的处罚,《中华人民共和国固体废物污染环境防治法》第一百一十一条,"
        "县城管局,城东街道、试点镇",
    ]
    listed = write_list(tmp_path, rows, "streets: all")
    checked = LoadReport()  # --check with the organisation file: the same rule, every problem
    plan_load([ORG, listed], checked, need_metadata=False)
    [problem] = checked.errors
    assert (problem.row, problem.column, problem.value) == (3, "赋权对象", "试点镇")
    assert problem.suggestion is not None and "青山镇" in problem.suggestion
    load(graph, ORG)
    with pytest.raises(InputError) as caught:  # the organisation already in the graph
        load(graph, listed)
    assert (caught.value.row, caught.value.column) == (3, "赋权对象")
    assert "试点镇" in str(caught.value) and "closest: " in str(caught.value)
    assert graph.run("MATCH (d:Delegation) RETURN count(d) AS n") == [{"n": 0}]


def test_an_unknown_mode_word_is_an_error_naming_the_row(tmp_path: Path) -> None:
    rows = [
        "序号,事项名称,实施依据,原实施部门,委托方式",
        "1,对占道经营的处罚,《城市市容和环境卫生管理条例》第三十六条,县城管局,委托",
        "2,对随意倾倒生活垃圾的处罚,《中华人民共和国固体废物污染环境防治法》第一百一十一条,"
        "县城管局,授权",
    ]
    report = LoadReport()
    plan_load([write_list(tmp_path, rows, "streets: all")], report, need_metadata=True)
    [problem] = report.errors
    assert (problem.row, problem.column, problem.value) == (3, "委托方式", "授权")
    assert "unknown delegation mode" in problem.message


def write_list(tmp_path: Path, rows: list[str], streets: str, name: str = "list") -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / f"{name}.meta.yaml").write_text(
        f"series: {name}\neffective: 2025-03-01\nregion: '990102'\n{streets}\n", encoding="utf-8"
    )
    return path


# -- the phrase rules without a graph -----------------------------------------------------------

REFS = [
    StreetRef("1", "城东街道", "街道"),
    StreetRef("2", "城西街道", "街道"),
    StreetRef("3", "河口镇", "镇"),
    StreetRef("4", "青山镇", "镇"),
    StreetRef("5", "石门乡", "乡"),
]
ALL = [s.code for s in REFS]


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("各镇街", ["1", "2", "3", "4"]),
        ("各鎮街", ["1", "2", "3", "4"]),
        ("全部乡镇街道", ALL),
        ("全区各街道", ["1", "2"]),
        ("全县各街道（办事处）", ["1", "2"]),
        ("各乡镇", ["3", "4", "5"]),
        ("仅赋予街道", ["1", "2"]),
        ("仅限乡镇", ["3", "4", "5"]),
        ("各镇街(仅限街道)", ["1", "2"]),
        ("各镇街（仅限镇）", ["3", "4"]),
        ("各乡(镇)人民政府、街道办事处", ALL),
        ("各鄉(鎮)人民政府(街道辦事處)", ALL),
        ("乡镇人民政府", ["3", "4", "5"]),
        ("全部", ALL),
        ("城东街道、河口镇人民政府", ["1", "3"]),
        ("城东街道，河口镇；石门乡", ["1", "3", "5"]),
        ("城东街道 青山镇", ["1", "4"]),
        ("城东\n街道", ["1"]),
        ("城東街道", ["1"]),
        ("除城东街道外的各街道", ["2"]),
        ("除城东街道、河口镇以外的各镇街", ["2", "4"]),
        ("各镇街（城东街道、青山镇除外）", ["2", "3"]),
        ("城东街道、除城西街道外的各街道", ["1"]),
    ],
)
def test_receiving_cells_name_streets_or_kinds(cell: str, codes: list[str]) -> None:
    assert receivers(split_receivers(cell), REFS, ALL, _same_name) == codes


@pytest.mark.parametrize(
    "cell", ["试点镇", "除试点镇外的各镇", "各镇街(试点镇除外)", "各苏木", "县城管局", "仅限"]
)
def test_a_cell_that_names_nothing_known_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="「"):
        receivers(split_receivers(cell), REFS, ALL, _same_name)


@pytest.mark.parametrize(
    ("cell", "mode"),
    [
        ("赋权", DelegationMode.GRANT),
        ("下放", DelegationMode.GRANT),
        ("委托", DelegationMode.ENTRUST),
        ("委 托", DelegationMode.ENTRUST),
        ("赋权（下放）", DelegationMode.GRANT),
        ("派驻", DelegationMode.STATION),
        ("授权", None),
        ("备案", None),
    ],
)
def test_mode_words_are_data(cell: str, mode: DelegationMode | None) -> None:
    assert row_mode(cell) == mode


def test_a_receivers_column_without_streets_in_the_metadata_is_said(tmp_path: Path) -> None:
    """Nothing is delegated without `streets:`; the receivers column is not ignored in silence."""
    rows = [
        "序号,事项名称,实施依据,原实施部门,承接主体",
        "1,对占道经营的处罚,《城市市容和环境卫生管理条例》第三十六条,县城管局,城东街道",
    ]
    path = tmp_path / "plain.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = LoadReport()
    plan_load([path], report, need_metadata=False)
    assert not report.errors
    [said] = [w for w in report.warnings if "承接主体" in w.message]
    assert "nothing is delegated" in said.message and said.row == 1
