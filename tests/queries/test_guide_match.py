"""The linking rule of queries/guide_match.py: codes by their characters, names by their conduct."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from queries.guide_match import Side, code_key, link, name_key

CODES = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=16)


def _wide(text: str) -> str:
    """Each ASCII character as its full-width form (全角)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(CODES, st.lists(st.sampled_from([" ", "-", "－", "—", "_", "\u3000"]), max_size=4))
def test_a_code_is_the_same_in_any_width_with_spaces_and_dashes(
    code: str, noise: list[str]
) -> None:
    typed = "".join(c + (noise[i] if i < len(noise) else "") for i, c in enumerate(code))
    assert code_key(_wide(typed)) == code_key(typed.lower()) == code_key(code)
    assert unicodedata.normalize("NFKC", code_key(code) or "") == code.upper()


def test_the_penalty_form_brackets_and_traditional_characters_do_not_count() -> None:
    same = {
        name_key("对随意倾倒生活垃圾的处罚"),
        name_key("对随意倾倒生活垃圾行为的行政处罚"),
        name_key("随意倾倒生活垃圾的处罚"),
        name_key("對隨意傾倒生活垃圾的處罰"),
        name_key("对随意倾倒 生活垃圾的处罚。"),
    }
    assert len(same) == 1
    assert name_key("违反规定（一）的处罚") == name_key("违反规定(一)的处罚")
    assert name_key("对生活垃圾的检查") != name_key("对生活垃圾的处罚")


def _side(key: str, name: str, kind: str = "行政处罚", code: str | None = None, *art: str) -> Side:
    return Side(key, name, kind, code, frozenset(art))


def test_a_name_links_only_the_same_type() -> None:
    links = link(
        [_side("g1", "消防安全检查", "行政检查")], [_side("c1", "消防安全检查", "行政处罚")]
    )
    assert [c.key for c in links.added] == ["c1"] and [g.key for g in links.not_taken_up] == ["g1"]


def test_an_article_picks_one_of_two_same_named_guide_items_else_both_are_shown() -> None:
    guide = [
        _side("g1", "对违法建设的处罚", "行政处罚", None, "村庄和集镇规划建设管理条例#37"),
        _side("g2", "对违法建设的处罚", "行政处罚", None, "城乡规划法#65"),
    ]
    picked = link(guide, [_side("c1", "对违法建设的处罚", "行政处罚", None, "城乡规划法#65")])
    assert [(c.key, g.key, kind) for c, g, kind in picked.matched] == [("c1", "g2", "name+article")]
    assert [g.key for g in picked.not_taken_up] == ["g1"]
    unsure = link(guide, [_side("c1", "对违法建设的处罚")])
    assert [(c.key, [g.key for g in gs]) for c, gs in unsure.ambiguous] == [("c1", ["g1", "g2"])]
    assert unsure.not_taken_up == [] and unsure.matched == []


def test_a_code_wins_over_a_different_name() -> None:
    links = link(
        [_side("g1", "消防监督检查", "行政检查", "T-003")], [_side("c1", "x", "行政检查", "t003")]
    )
    assert [(c.key, g.key, kind) for c, g, kind in links.matched] == [("c1", "g1", "code")]
