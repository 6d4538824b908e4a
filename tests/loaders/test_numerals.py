"""Chinese numerals (汉字数字): cn2an where it works, and the forms it misses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.numerals import chinese_numeral, parse_numeral


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零一", 101),
        ("一百一十八", 118),
        ("一千零一十", 1010),
        ("九千九百九十九", 9999),
        ("42", 42),
    ],
)
def test_law_numerals_read_as_integers(text: str, expected: int) -> None:
    assert parse_numeral(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一百〇一", 101),  # 〇 written for 零
        ("两百", 200),  # 两 for 二 before a unit
        ("廿一", 21),
        ("卅", 30),  # cn2an rejects 卅 and 卌: rewritten before it reads them
        ("卌五", 45),
        ("１２", 12),  # full-width digits: cn2an alone returns the float 12.0
        ("1百", 100),  # mixed Arabic digit and Chinese unit
        ("1百零1", 101),
        ("一百 一十八", 118),  # a stray space inside the number, as in copied catalogs
        (" 116", 116),
    ],
)
def test_forms_cn2an_misses_or_mangles_are_read(text: str, expected: int) -> None:
    value = parse_numeral(text)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("text", ["", "  ", "条", "三十七条", "1.5", "负一", "十十"])
def test_non_numerals_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="numeral"):
        parse_numeral(text)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (118, "一百一十八"),
        (1010, "一千零一十"),
    ],
)
def test_numbers_are_written_as_laws_number_articles(number: int, expected: str) -> None:
    assert chinese_numeral(number) == expected


def test_negative_numbers_have_no_article_numeral() -> None:
    with pytest.raises(ValueError, match="negative"):
        chinese_numeral(-1)


@given(st.integers(min_value=1, max_value=9999))
def test_article_numbers_round_trip_through_chinese_numerals(n: int) -> None:
    assert parse_numeral(chinese_numeral(n)) == n


@given(st.integers(min_value=0, max_value=9999))
def test_arabic_digits_in_either_width_read_the_same(n: int) -> None:
    full_width = str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_numeral(full_width) == parse_numeral(str(n)) == n


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万廿卅0123456789１２ ", max_size=8))
def test_any_numeral_characters_give_an_int_or_a_value_error(text: str) -> None:
    # cn2an raises KeyError or IndexError on some mixes ('一21'); callers see only ValueError.
    try:
        value = parse_numeral(text)
    except ValueError:
        return
    assert type(value) is int and value >= 0
