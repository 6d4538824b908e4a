"""duties(street, matter, asOf): who leads and who assists for a matter here, by the county's
属地管理事项责任清单 (seed 002 四、三) — the sample's eshan-duties-2025 on a real graph."""

from __future__ import annotations

from datetime import date

import pytest

from queries.duties import DutiesAnswer, duties
from queries.lookups import QueryInputError
from tests.conftest import Graph

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
