"""Complaint routing (投诉分拨) on the sample graph: a complaint in plain words, a street and a
day → candidate items with why they matched, each with its enforcement subject by the authority
rules; the hand-written answers are in data/sample/README.md ("Complaint routing")."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from authreg.cli import app
from authreg.query_commands import NOT_FOUND_EXIT
from queries.authority import authority
from queries.lookups import QueryInputError
from queries.route import (
    MAX_COMPLAINT_CHARS,
    MAX_TERMS,
    SIMILAR_SCORE,
    RouteAnswer,
    complaint_query,
    complaint_terms,
    everyday_readings,
    matched_words,
    route,
    search_terms,
)
from tests.conftest import Graph
from tests.queries.test_cli_queries import env_of

# complaint, street, day → (item code, enforcement subject, rule key): the README's table
ROUTED = [
    (
        "有人在海滨街道路边占道摆摊卖水果",
        "海滨街道",
        "2025-08-01",
        "LC-CG-006",
        "海滨街道",
        "grant",
    ),
    (
        "有人在路边摆摊",
        "海滨街道",
        "2024-09-10",
        "LC-CG-006",
        "鲤城区城市管理和综合执法局",
        "not_delegated",
    ),
    (
        "江边有人随意倾倒生活垃圾",
        "富春街道",
        "2022-01-01",
        "FY-ZH-001",
        "杭州市富阳区综合行政执法局",
        "station",
    ),
    ("江边有人随意倾倒生活垃圾", "新登镇", "2022-01-01", "FY-ZH-001", "新登镇", "grant"),
    ("有人在山上采石,毁坏林木", "岔河乡", "2025-03-20", "ES-LC-001", "岔河乡", "grant"),
    (
        "有人在山上采石,毁坏林木",
        "双江街道",
        "2025-03-13",
        "ES-LC-001",
        "峨山县林业和草原局",
        "not_delegated",
    ),
    ("饭店把消防车通道堵了", "浮桥街道", "2024-10-01", "LC-XF-002", "浮桥街道", "grant"),
]


def ask(graph: Graph, complaint: str, street: str, day: str, **params: object) -> RouteAnswer:
    return graph.read(
        route, complaint=complaint, street=street, as_of=date.fromisoformat(day), **params
    )


# -- the complaint as query terms (no database) -------------------------------------------------


def test_a_complaint_becomes_bigrams_cut_at_stop_characters_without_the_place() -> None:
    terms = complaint_terms("有人在海滨街道路边占道摆摊卖水果", place="海滨街道")
    assert terms == ["有人", "路边", "边占", "占道", "道摆", "摆摊", "摊卖", "卖水", "水果"]
    assert "在路" not in terms and not any("海滨" in t for t in terms)


def test_traditional_characters_are_read_as_simplified() -> None:
    assert complaint_terms("有人在路邊擺攤") == complaint_terms("有人在路边摆摊")


def test_latin_words_are_kept_lower_cased_and_lone_characters_dropped() -> None:
    assert complaint_terms("KTV 噪音 扰民 吵 a") == ["ktv", "噪音", "扰民"]


def test_lucene_syntax_in_a_complaint_is_quoted_as_plain_text() -> None:
    terms = complaint_terms('摆摊" OR *:* \\ AND (占道')
    query = complaint_query(terms)
    assert query is not None
    # every term is one quoted phrase; quotes and backslashes inside are escaped
    assert all(part.startswith('"') and part.endswith('"') for part in query.split(" OR "))
    assert '"摆摊"' in query and '"or"' in query and '"占道"' in query
    assert complaint_query([]) is None


def test_matched_words_join_adjacent_bigrams_into_the_words_they_spell() -> None:
    terms = complaint_terms("有人随意倾倒生活垃圾")
    assert matched_words(terms, "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚") == [
        "随意倾倒",
        "生活垃圾",
    ]


def test_everyday_words_are_read_as_the_statutory_words_searched_too() -> None:
    readings = everyday_readings("渣土車沿路撒漏")  # traditional 車 too
    assert [(r.said, r.means) for r in readings] == [("渣土", ["建筑垃圾"]), ("撒漏", ["抛撒"])]
    assert all(r.why for r in readings)
    terms, _ = search_terms("渣土车沿路撒漏")
    assert terms[:6] == complaint_terms("渣土车沿路撒漏")  # the complaint's own words first
    assert terms[6:] == ["建筑垃圾", "抛撒"]  # then each statutory word as one phrase
    assert everyday_readings("有人在路边摆摊") == []


def test_a_long_complaint_keeps_room_for_the_words_its_readings_add() -> None:
    long = "".join(chr(0x4E00 + 7 * i) for i in range(80)) + "渣土车沿路撒漏"
    terms, readings = search_terms(long)
    assert len(terms) == MAX_TERMS and [r.said for r in readings] == ["渣土", "撒漏"]
    assert terms[-2:] == ["建筑垃圾", "抛撒"]  # every reading reported was searched


def test_one_reading_per_statutory_word_set_however_many_of_its_words_are_said() -> None:
    readings = everyday_readings("邻居私搭乱建,违建好几年了")
    assert [r.said for r in readings] == ["私搭乱建"]


@pytest.mark.parametrize(
    ("complaint", "because"),
    [
        ("   ", "give the complaint's words"),
        ("摆" * (MAX_COMPLAINT_CHARS + 1), f"at most {MAX_COMPLAINT_CHARS}"),
        ("!!! ??? ……", "no words to search for"),
        ("吵", "no words to search for"),
    ],
)
def test_hostile_or_empty_complaints_are_refused_with_a_sentence(
    sample_graph: Graph, complaint: str, because: str
) -> None:
    with pytest.raises(QueryInputError, match=because):
        ask(sample_graph, complaint, "海滨街道", "2025-08-01")


def test_a_limit_outside_1_to_20_is_refused(sample_graph: Graph) -> None:
    with pytest.raises(QueryInputError, match="1 to 20"):
        ask(sample_graph, "路边摆摊", "海滨街道", "2025-08-01", limit=0)


# -- routed on the sample --------------------------------------------------------------------


@pytest.mark.parametrize(("complaint", "street", "day", "code", "subject", "rule"), ROUTED)
def test_a_complaint_is_routed_to_the_body_the_authority_rules_name(
    sample_graph: Graph, complaint: str, street: str, day: str, code: str, subject: str, rule: str
) -> None:
    answer = ask(sample_graph, complaint, street, day)
    assert answer.outcome == "routed" and not answer.ambiguous
    best = answer.candidates[0]
    assert best.code == code
    assert best.authority.subject is not None and best.authority.subject.name == subject
    assert best.authority.rule is not None and best.authority.rule.key == rule
    # the candidate's answer IS the authority question's answer, not a re-implementation
    direct = sample_graph.read(
        authority, item=code, street=answer.street.code, as_of=date.fromisoformat(day)
    )
    assert best.authority == direct
    assert subject in answer.explanation and code in answer.explanation


def test_a_street_given_by_code_has_its_name_taken_out_of_the_words(sample_graph: Graph) -> None:
    by_name = ask(sample_graph, "有人在海滨街道路边摆摊", "海滨街道", "2025-08-01")
    code = by_name.street.code if by_name.street else ""
    by_code = ask(sample_graph, "有人在海滨街道路边摆摊", code, "2025-08-01")
    assert by_code.terms == by_name.terms and "道路" not in by_code.terms
    assert [c.code for c in by_code.candidates] == [c.code for c in by_name.candidates]


def test_each_candidate_says_why_it_matched(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "江边有人随意倾倒生活垃圾", "富春街道", "2022-01-01")
    best = answer.candidates[0]
    assert best.matched_in_name == ["随意倾倒", "生活垃圾"]
    [cited] = [p for p in best.provisions if p.id.endswith("#111.1.1")]
    assert "生活垃圾" in cited.matched and "生活垃圾" in (cited.snippet or "")
    assert "名称含「随意倾倒」「生活垃圾」" in best.why and "第111条第1款第1项" in best.why
    assert [c.rank for c in answer.candidates] == list(range(1, len(answer.candidates) + 1))
    scores = [c.score for c in answer.candidates]
    assert scores == sorted(scores, reverse=True)


def test_words_found_only_in_a_cited_provision_still_find_the_item(sample_graph: Graph) -> None:
    # 行政许可 is in 电子商务法 第十五条 (cited by LC-SC-003), not in its name
    answer = ask(sample_graph, "网店没有亮出行政许可", "江南街道", "2025-08-01")
    [hit] = [c for c in answer.candidates if c.code == "LC-SC-003"]
    assert hit.name_score == 0 and hit.provision_score > 0
    assert any("行政许可" in p.matched for p in hit.provisions)


def test_similar_scores_are_all_shown_and_called_ambiguous(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "小区门口乱扔垃圾", "开元街道", "2025-08-01")
    assert answer.outcome == "ambiguous" and answer.ambiguous
    best = answer.candidates[0].score
    similar = [c for c in answer.candidates if c.score >= SIMILAR_SCORE * best]
    assert len(similar) > 1
    assert answer.explanation.startswith("有歧义")
    for candidate in similar:  # each one named, with why it matched
        assert candidate.code in answer.explanation and candidate.why in answer.explanation


def test_an_ambiguity_is_shown_whole_even_past_the_limit(sample_graph: Graph) -> None:
    whole = ask(sample_graph, "小区门口乱扔垃圾", "开元街道", "2025-08-01")
    one = ask(sample_graph, "小区门口乱扔垃圾", "开元街道", "2025-08-01", limit=1)
    best = whole.candidates[0].score
    similar = [c.code for c in whole.candidates if c.score >= SIMILAR_SCORE * best]
    assert one.outcome == "ambiguous" and [c.code for c in one.candidates] == similar


def test_only_items_that_apply_in_the_streets_county_are_candidates(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "有人随意倾倒生活垃圾", "开元街道", "2025-08-01", limit=20)
    assert answer.candidates
    for candidate in answer.candidates:
        assert (
            answer.street is not None and answer.street.region in candidate.authority.item.regions
        )
    everywhere = sample_graph.run(
        "MATCH (i:EnforcementItem) WHERE i.name CONTAINS '生活垃圾' RETURN count(i) AS n"
    )[0]["n"]
    assert answer.total < everywhere  # the same words in Fuyang, Eshan and Wuchang are left out


def test_an_everyday_word_finds_the_item_named_in_statutory_words(sample_graph: Graph) -> None:
    # 渣土 and 撒漏 are in no Licheng item or cited text: without the readings, no match.
    answer = ask(sample_graph, "渣土车沿路撒漏", "海滨街道", "2025-08-01")
    assert answer.outcome == "routed" and answer.candidates[0].code == "LC-CG-002"
    assert answer.candidates[0].matched_in_name == ["建筑垃圾", "抛撒"]
    assert [r.said for r in answer.readings] == ["渣土", "撒漏"]
    assert any("「渣土」按规范用语读作「建筑垃圾」" in note for note in answer.notes)


def test_no_match_and_unknown_street_are_answers(sample_graph: Graph) -> None:
    nothing = ask(sample_graph, "隔壁装修噪音太吵", "海滨街道", "2025-08-01")
    assert nothing.outcome == "no_match" and nothing.candidates == [] and nothing.total == 0
    assert "噪音" in nothing.explanation
    nowhere = ask(sample_graph, "路边摆摊", "海滨街", "2025-08-01")
    assert nowhere.outcome == "not_found" and nowhere.street is None


def test_the_answer_carries_no_officers(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "有人在路边焚烧垃圾", "江南街道", "2025-08-05", limit=20)
    text = answer.model_dump_json()
    officers = sample_graph.run("MATCH (o:Officer) RETURN o.name AS name, o.id AS id")
    assert officers
    for officer in officers:
        assert officer["name"] not in text and officer["id"] not in text


def test_the_cli_routes_a_complaint(sample_graph: Graph) -> None:
    runner = CliRunner()
    args = ["query", "route", "有人在路边摆摊", "--street", "海滨街道", "--as-of", "2025-08-01"]
    result = runner.invoke(app, [*args, "--json"], env=env_of(sample_graph))
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["candidates"][0]["code"] == "LC-CG-006"
    assert found["candidates"][0]["authority"]["subject"]["name"] == "海滨街道"
    table = runner.invoke(app, args, env=env_of(sample_graph))
    assert table.exit_code == 0 and "候选事项" in table.output
    missing = runner.invoke(
        app, ["query", "route", "路边摆摊", "--street", "海滨街"], env=env_of(sample_graph)
    )
    assert missing.exit_code == NOT_FOUND_EXIT and "海滨街道" in missing.output
