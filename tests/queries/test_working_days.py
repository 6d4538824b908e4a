"""The working-day calendar (工作日历): the README's holiday table, overrides, uncovered years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from queries import working_days
from queries.legal_basis import legal_basis
from queries.working_days import (
    URGENT_HOURS_RULE,
    WORKING_DAYS_RULE,
    CalendarError,
    WorkingDayCalendar,
    add_working_days,
    china_today,
    deadline,
    default_calendar,
    is_working_day,
)
from tests.conftest import Graph

CST = timezone(timedelta(hours=8))


def days(first: str, last: str | None = None) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last or first)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# data/sample/README.md, "Holiday calendar used"
DAYS_OFF = {
    2024: days("2024-01-01") + days("2024-02-10", "2024-02-17") + days("2024-04-04", "2024-04-06")
    + days("2024-05-01", "2024-05-05") + days("2024-06-10") + days("2024-09-15", "2024-09-17")
    + days("2024-10-01", "2024-10-07"),
    2025: days("2025-01-01") + days("2025-01-28", "2025-02-04") + days("2025-04-04", "2025-04-06")
    + days("2025-05-01", "2025-05-05") + days("2025-05-31", "2025-06-02")
    + days("2025-10-01", "2025-10-08"),
}  # fmt: skip
MAKE_UP_DAYS = {
    2024: [date(2024, m, d) for m, d in [(2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14),
                                         (9, 29), (10, 12)]],
    2025: [date(2025, m, d) for m, d in [(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)]],
}  # fmt: skip


def expected_working(day: date) -> bool:
    if day in DAYS_OFF[day.year]:
        return False
    return day in MAKE_UP_DAYS[day.year] or day.weekday() < 5


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_day_of_2024_and_2025_follows_the_readme_holiday_table(year: int) -> None:
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        assert is_working_day(day) == expected_working(day), day


@pytest.mark.parametrize("year", [2024, 2025])
def test_holidays_file_and_library_agree_where_both_cover_a_year(year: int) -> None:
    # An upgrade of chinese-calendar that disagrees with a notice in holidays.yaml shows here.
    library_only = WorkingDayCalendar({})
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        assert library_only.is_working_day(day) == default_calendar().is_working_day(day), day


def test_make_up_saturdays_of_2025_are_working_days() -> None:
    assert is_working_day(date(2025, 2, 8)) and is_working_day(date(2025, 10, 11))
    assert date(2025, 2, 8).weekday() == 5 and date(2025, 10, 11).weekday() == 5


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        (date(2025, 3, 10), date(2025, 3, 13)),  # ES-T-0001: Tue, Wed, Thu
        (date(2025, 3, 13), date(2025, 3, 18)),  # ES-T-0002: across a weekend
        (date(2025, 4, 30), date(2025, 5, 8)),  # ES-T-0003: 劳动节 05-01..05-05 off
        (date(2025, 2, 5), date(2025, 2, 8)),  # ES-T-0004/0005: Sat 02-08 is a make-up day
        (date(2025, 6, 16), date(2025, 6, 19)),  # ES-T-0008
        (date(2025, 9, 30), date(2025, 10, 11)),  # ES-T-0009: 10-09, 10-10, make-up 10-11
    ],
)
def test_third_working_day_after_the_day_sent_matches_the_readme(sent: date, due: date) -> None:
    assert add_working_days(sent, 3) == due


def test_day_sent_is_day_zero_and_zero_days_is_the_same_day() -> None:
    assert add_working_days(date(2025, 3, 10), 0) == date(2025, 3, 10)
    assert default_calendar().working_days_after(date(2025, 2, 5), date(2025, 2, 10)) == 4


def test_working_days_deadline_ends_at_23_59_59_beijing_time_of_the_local_day() -> None:
    policy = SimpleNamespace(rule=WORKING_DAYS_RULE, threshold=3.0)
    # 2025-03-09 17:00 UTC is Mon 2025-03-10 01:00 in Beijing: day 0 is the Monday.
    sent = datetime(2025, 3, 9, 17, 0, tzinfo=UTC)
    assert deadline(sent, policy) == datetime(2025, 3, 13, 23, 59, 59, tzinfo=CST)


def test_urgent_deadline_is_threshold_hours_after_sending_whatever_the_calendar() -> None:
    policy = SimpleNamespace(rule=URGENT_HOURS_RULE, threshold=24.0)
    sent = datetime(2025, 1, 31, 9, 0, tzinfo=CST)  # inside 春节
    assert deadline(sent, policy) == datetime(2025, 2, 1, 9, 0, tzinfo=CST)


def test_deadline_refuses_an_unknown_rule_or_fractional_days() -> None:
    sent = datetime(2025, 3, 10, 10, 0, tzinfo=CST)
    with pytest.raises(CalendarError, match="not a transfer-deadline rule"):
        deadline(sent, SimpleNamespace(rule="min_legal_reviewers_per_zone", threshold=1.0))
    with pytest.raises(CalendarError, match="whole days"):
        deadline(sent, SimpleNamespace(rule=WORKING_DAYS_RULE, threshold=2.5))


def write_holidays(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_holidays_file_corrects_a_day_the_library_has(tmp_path: Path) -> None:
    path = write_holidays(
        tmp_path,
        "years:\n  2025:\n    notice: 测试更正\n"
        "    days_off: [2025-03-14]\n    working_days: [2025-03-15]\n",
    )
    calendar = WorkingDayCalendar.from_file(path)
    assert not calendar.is_working_day(date(2025, 3, 14))  # a Friday, now off
    assert calendar.is_working_day(date(2025, 3, 15))  # a Saturday, now working
    assert calendar.is_working_day(date(2025, 2, 8))  # unlisted days: still the library's
    assert calendar.add_working_days(date(2025, 3, 13), 3) == date(2025, 3, 18)  # Sat, Mon, Tue
    assert calendar.year_source(2025).startswith("测试更正")


def test_holidays_file_adds_a_year_the_library_lacks(tmp_path: Path) -> None:
    assert not 2099 in chinese_calendar.constants.holidays  # noqa: E713 (reads as the rule)
    path = write_holidays(
        tmp_path,
        "years:\n  2099:\n    notice: 国办发明电〔2098〕1号\n"
        "    days_off: [2099-01-01..2099-01-02]\n    working_days: [2099-01-03]\n",
    )
    calendar = WorkingDayCalendar.from_file(path)
    assert not calendar.is_working_day(date(2099, 1, 1))  # Thu, listed off
    assert calendar.is_working_day(date(2099, 1, 3))  # Sat, listed make-up day
    assert not calendar.is_working_day(date(2099, 1, 4))  # Sun, unlisted
    assert calendar.is_working_day(date(2099, 1, 5))  # Mon, unlisted
    assert calendar.year_source(2099) == "国办发明电〔2098〕1号"


def test_a_year_neither_library_nor_file_covers_is_an_error_not_a_weekday_guess() -> None:
    with pytest.raises(CalendarError, match=r"no working-day calendar for 2100.*holidays\.yaml"):
        is_working_day(date(2100, 3, 1))
    last = max(chinese_calendar.constants.holidays).year  # the library's last year
    with pytest.raises(CalendarError, match=str(last + 1)):
        add_working_days(date(last, 12, 30), 3)  # the count runs into a year nobody covers


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("years:\n  2099:\n    days_off: [2099-01-01]\n", "names its notice"),
        ("years:\n  2099:\n    notice: x\n    days_off: [2098-12-31]\n", "not a range inside"),
        ("years:\n  2099:\n    notice: x\n    days_off: ['2099-02-30']\n", "not a date or range"),
        (
            "years:\n  2099:\n    notice: x\n    days_off: [2099-01-01]\n"
            "    working_days: [2099-01-01]\n",
            "both a day off and a working day",
        ),
        ("- 2099-01-01\n", "expected a mapping"),
    ],
)
def test_unusable_holidays_file_is_refused_with_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(CalendarError, match=problem):
        WorkingDayCalendar.from_file(write_holidays(tmp_path, text))


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 11, 30)),
    st.integers(min_value=1, max_value=15),
)
def test_nth_working_day_is_a_working_day_n_working_days_later(start: date, count: int) -> None:
    due = add_working_days(start, count)
    assert is_working_day(due)
    assert default_calendar().working_days_after(start, due) == count


class _EveningInUtc(datetime):
    """The clock at 17:00 UTC on 2026-12-07: already 2026-12-08 in China."""

    @classmethod
    def now(cls, tz: timezone | None = None) -> datetime:  # type: ignore[override]
        moment = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


def test_a_question_without_a_day_is_answered_for_china_s_date_on_a_utc_clock(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's default day was China's date and legal_basis's and the chain's the machine's:
    from 16:00 UTC the same question got two different days (seen in tests/api/test_questions)."""
    monkeypatch.setattr(working_days, "datetime", _EveningInUtc)
    assert china_today() == date(2026, 12, 8)
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        answer = session.execute_read(legal_basis, item="no-such-item")
    assert answer.as_of == date(2026, 12, 8)
