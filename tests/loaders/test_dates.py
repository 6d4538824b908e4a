"""Catalog dates (日期): the written forms, Excel serials, and errors that name the cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from authreg.errors import InputError
from loaders.dates import parse_date
from loaders.tables import CellRef

AT = CellRef(Path("catalog.xlsx"), row=7, column="发布日期", sheet="清单")
SEPT_11 = date(2024, 9, 11)


@pytest.mark.parametrize(
    "value",
    [
        "2024-09-11",
        "2024/9/11",
        "2024.9.11",
        "2024年9月11日",
        "2024 年 9 月 11 日",
        "２０２４年９月１１日",
        "２０２４／０９／１１",
        " 2024-9-11 ",
        "2024-09-11 08:30:00",
        "2024-09-11T08:30",
        "20240911",
        "45546",
        45546,
        45546.35,
        datetime(2024, 9, 11, 8, 30),
        SEPT_11,
    ],
)
def test_the_forms_catalogs_write_dates_in(value: object) -> None:
    assert parse_date(value, at=AT) == SEPT_11


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_blank_is_no_date(value: object) -> None:
    assert parse_date(value, at=AT) is None


@pytest.mark.parametrize(
    ("serial", "day"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (45546, SEPT_11),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serials_allow_for_the_1900_leap_year_bug(serial: int, day: date) -> None:
    assert parse_date(serial, at=AT) == day


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2024-02-30", "「2024-02-30」 is not a real date: 2024-02 has no day 30"),
        ("2023年2月29日", "「2023年2月29日」 is not a real date: 2023-02 has no day 29"),
        ("2024-13-01", "there is no month 13"),
        ("2024", "「2024」 is not a date"),
        ("明年", "「明年」 is not a date"),
        ("2024-9/11", "「2024-9/11」 is not a date"),
        (60, "Excel's 1900-02-29"),
        (0, "「0」 is not a date"),
        (-3, "「-3」 is not a date"),
        (float("nan"), "「nan」 is not a date"),
        (True, "「True」 is not a date"),
    ],
)
def test_impossible_and_unknown_dates_name_file_row_column_and_value(
    value: object, problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(value, at=AT)
    assert str(caught.value).startswith(
        "catalog.xlsx, sheet 「清单」, row 7, column 「发布日期」: "
    )
    assert problem in str(caught.value)


def excel_serial(day: date) -> int:
    """Excel's number for a day from 1900-03-01 on (past its phantom 1900-02-29)."""
    return (day - date(1899, 12, 30)).days


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_any_day_round_trips_through_its_excel_serial(day: date) -> None:
    assert parse_date(excel_serial(day), at=AT) == day


@given(
    st.dates(min_value=date(1000, 1, 1)),
    st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]),
)
def test_any_day_round_trips_through_each_written_form(day: date, form: str) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(text, at=AT) == day
