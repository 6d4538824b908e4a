"""duties(street, matter, asOf): who leads and who assists for a matter here, by the county's
属地管理事项责任清单 (seed 002 四、三) — the sample's eshan-duties-2025 on a real graph."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from authreg.cli import app
from queries.authority import authority
from queries.coverage_gaps import coverage_gaps
from queries.duties import DutiesAnswer, duties
from queries.lookups import NotFound, QueryInputError
from queries.overdue_transfers import overdue_transfers
from queries.working_days import CHINA_TZ
from tests.conftest import Graph
from tests.queries.test_cli_queries import env_of, run, runner

ON = date(2025, 6, 1)


def ask(graph: Graph, street: str, matter: str, on: date = ON) -> DutiesAnswer:
    return graph.read(duties, street=street, matter=matter, as_of=on)


def test_the_town_leads_a_matter_it_holds_the_主体责任_for(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "甸中镇", "违法建设")
    assert answer.outcome == "found", answer.explanation
    assert answer.matter is not None and answer.matter.row == 3
    assert [b.name for b in answer.matter.lead] == ["甸中镇"]
    assert [b.name for b in answer.matter.assist] == ["峨山县住房和城乡建设局"]
    assert "技术认定" in (answer.matter.assist[0].duties or "")
    assert (
        answer.matter.source
        == "《峨山县乡镇(街道)属地管理事项责任清单》(eshan-duties-2025.csv) 第3行"
    )
    assert answer.duty_list is not None and answer.duty_list.effective == date(2025, 1, 1)


def test_the_county_department_leads_where_the_town_assists(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "530426201", "毁坏林木")  # 岔河乡 by code
    assert answer.outcome == "found", answer.explanation
    assert answer.matter is not None
    assert [b.name for b in answer.matter.lead] == ["峨山县林业和草原局"]
    assert [(b.name, b.role) for b in answer.matter.assist] == [("岔河乡", "配合责任")]


def test_two_departments_assist_when_the_row_names_two(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "化念镇", "非法占用土地建住宅")
    assert answer.matter is not None
    assert [b.key for b in answer.matter.assist] == ["es-nyncj", "es-zrzyj"]


def test_a_lead_without_the_delegated_power_is_said_in_the_answer(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "双江街道", "违法建设")
    assert answer.matter is not None and [b.name for b in answer.matter.lead] == ["双江街道"]
    [item] = answer.matter.items
    assert item.code == "ES-ZJ-001" and not item.delegated
    assert any("未赋权或委托双江街道" in note for note in answer.notes)
    assert ask(sample_graph, "甸中镇", "违法建设").matter.items[0].delegated  # type: ignore[union-attr]


def test_a_technical_item_names_the_county_team_and_its_catalog_row(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "甸中镇", "违法建设")
    [item] = answer.matter.items  # type: ignore[union-attr]
    assert item.handling == "county_team"
    assert (
        item.handling_source == "《峨山县赋予乡镇(街道)部分县级行政职权目录》(eshan-2024.csv) 第3行"
    )
    assert any("专业执法队伍" in note for note in answer.notes)


def test_words_no_matter_holds_are_said_not_guessed(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "甸中镇", "噪声扰民")
    assert answer.outcome == "no_match" and answer.matter is None
    assert "没有含「噪声扰民」" in answer.explanation


def test_before_the_list_took_effect_there_is_none(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "甸中镇", "违法建设", date(2024, 12, 31))
    assert answer.outcome == "no_list" and answer.matter is None


def test_a_county_without_a_list_says_so(sample_graph: Graph) -> None:
    assert ask(sample_graph, "开元街道", "生活垃圾").outcome == "no_list"


def test_an_unknown_street_is_said(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "不存在街道", "生活垃圾")
    assert answer.outcome == "street_not_found" and "不存在街道" in answer.explanation


def test_blank_or_overlong_words_are_refused_with_a_sentence(sample_graph: Graph) -> None:
    with pytest.raises(QueryInputError, match="matter's words"):
        ask(sample_graph, "甸中镇", "  ")
    with pytest.raises(QueryInputError, match="at most 100"):
        ask(sample_graph, "甸中镇", "垃" * 101)


# -- the coverage finding: a town leads without the power (权责一致, seed 002 四) ------------------


def lead_gaps(graph: Graph, region: str, on: date) -> list[tuple[str, str]]:
    answer = graph.read(coverage_gaps, region=region, as_of=on)
    return [
        (
            next(s.key for s in gap.subjects if s.kind == "街道"),
            next(s.key for s in gap.subjects if s.kind == "事项"),
        )
        for gap in answer.gaps
        if gap.rule == "duty_lead_without_delegation"
    ]


def test_exactly_the_two_streets_leading_building_control_without_the_item_are_gaps(
    sample_graph: Graph,
) -> None:
    """eshan-duties-2025 row 3 makes every town lead 村庄、集镇规划区内违法建设; eshan-2024 row 3
    delegates ES-ZJ-001 to the 6 towns only: 双江街道 and 小街街道 are the planted findings."""
    assert lead_gaps(sample_graph, "530426", ON) == [
        ("530426001", "ES-ZJ-001"),
        ("530426002", "ES-ZJ-001"),
    ]
    [gap, _] = [
        g
        for g in sample_graph.read(coverage_gaps, region="530426", as_of=ON).gaps
        if g.rule == "duty_lead_without_delegation"
    ]
    assert "确保县乡权责一致" in (gap.source.quote or "")
    assert "第3行" in gap.detail and "峨山县住房和城乡建设局" in gap.detail
    assert "赋权双江街道" in gap.fix


def test_no_duty_gap_before_the_list_or_in_a_county_without_one(sample_graph: Graph) -> None:
    assert lead_gaps(sample_graph, "530426", date(2024, 12, 31)) == []
    assert lead_gaps(sample_graph, "350502", ON) == []


# -- 办理层级 in authority and transfer answers (seed 002 二、二) -----------------------------------


def test_a_technical_item_delegated_to_a_town_notes_the_county_team_subject_unchanged(
    sample_graph: Graph,
) -> None:
    answer = sample_graph.read(authority, item="ES-ZJ-001", street="甸中镇", as_of=ON)
    assert answer.subject is not None and answer.subject.name == "甸中镇"  # still the subject
    assert answer.handling is not None and answer.handling.tier == "county_team"
    assert (
        answer.handling.source
        == "《峨山县赋予乡镇(街道)部分县级行政职权目录》(eshan-2024.csv) 第3行"
    )
    assert "专业性技术性强" in answer.handling.quote
    [note] = [n for n in answer.notes if n.startswith("办理层级")]
    assert "执法主体仍为甸中镇" in note and "eshan-2024.csv) 第3行" in note


def test_a_simple_item_carries_its_tier_without_a_note(sample_graph: Graph) -> None:
    answer = sample_graph.read(authority, item="ES-CG-001", street="双江街道", as_of=ON)
    assert answer.handling is not None and answer.handling.tier == "town"
    assert not any(n.startswith("办理层级") for n in answer.notes)


def test_an_undelegated_item_or_a_catalog_without_the_column_has_no_tier(
    sample_graph: Graph,
) -> None:
    assert (
        sample_graph.read(authority, item="ES-ZJ-001", street="双江街道", as_of=ON).handling is None
    )
    assert (
        sample_graph.read(authority, item="LC-CG-001", street="开元街道", as_of=ON).handling is None
    )


def test_transfers_of_technical_items_to_towns_say_the_catalog_sends_them_to_the_county(
    sample_graph: Graph,
) -> None:
    answer = sample_graph.read(
        overdue_transfers, region="530426", now=datetime(2025, 10, 1, tzinfo=CHINA_TZ)
    )
    noted = {t.transfer_id: t.handling for t in answer.transfers if t.handling}
    assert sorted(noted) == ["ES-T-0004", "ES-T-0005"]  # ES-ZJ-001, ES-LC-002 handed to towns
    assert "请核对办理层级" in noted["ES-T-0004"] and "eshan-2024.csv) 第3行" in noted["ES-T-0004"]


# -- the CLI --------------------------------------------------------------------------------------


def test_the_cli_answers_who_leads_and_who_assists(sample_graph: Graph) -> None:
    args = [
        "query",
        "duties",
        "--street",
        "双江街道",
        "--matter",
        "违法建设",
        "--as-of",
        "2025-06-01",
    ]
    code, text = run(sample_graph, *args, "--json")
    assert code == 0, text
    found = json.loads(text)
    assert found["outcome"] == "found"
    assert [b["name"] for b in found["matter"]["lead"]] == ["双江街道"]
    code, table = run(sample_graph, *args)
    assert code == 0 and "主体责任" in table and "配合责任" in table, table
    assert "未赋权或委托双江街道" in table.replace("\n", "").replace(" ", "").replace("│", ""), (
        table
    )
    code, text = run(sample_graph, "query", "duties", "--street", "双江街", "--matter", "违法建设")
    assert code == 1 and "双江街道" in text, text


def test_the_duty_answer_exports_as_a_workbook_to_print(
    sample_graph: Graph, tmp_path: Path
) -> None:
    target = tmp_path / "属地管理责任.xlsx"
    args = ["report", "duties", "--street", "双江街道", "--matter", "违法建设"]
    code, text = run(
        sample_graph, *args, "--as-of", "2025-06-01", "--format", "xlsx", "--out", str(target)
    )
    assert code == 0, text
    book = openpyxl.load_workbook(target)
    cells = [row for row in book.worksheets[0].iter_rows(values_only=True) if any(row)]
    header = next(row for row in cells if "责任" in row)
    rows = [dict(zip(header, row, strict=False)) for row in cells[cells.index(header) + 1 :]]
    assert {(r["责任"], r["单位"]) for r in rows} >= {("主体责任", "双江街道")}, rows
    explained = [c for row in book.worksheets[-1].iter_rows(values_only=True) for c in row if c]
    assert any("未赋权或委托双江街道" in str(c).replace(" ", "") for c in explained), explained
    # A town misnamed: no file, and the refusal (printed by `authreg`'s main) names the nearest.
    misnamed = tmp_path / "misnamed.xlsx"
    asked = [
        "report",
        "duties",
        "--street",
        "双江街",
        "--matter",
        "违法建设",
        "--out",
        str(misnamed),
    ]
    result = runner.invoke(app, [*asked, "--format", "xlsx"], env=env_of(sample_graph))
    assert result.exit_code == 1 and isinstance(result.exception, NotFound), result.output
    assert "双江街道" in str(result.exception) and not misnamed.exists()
