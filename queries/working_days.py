"""Working days (工作日) per the State Council holiday notices: chinese-calendar + a local file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import chinese_calendar
import yaml

from authreg.errors import RegistryError

REPO = Path(__file__).resolve().parents[1]
HOLIDAYS_FILE = REPO / "data" / "calendar" / "holidays.yaml"
# Beijing time: what "today" is for the CLI and the API, and the clock deadlines end by (23:59:59).
CHINA_TZ = timezone(timedelta(hours=8), "+08:00")


def china_today() -> date:
    """Today's date in China (UTC+8): the day a question without a date is answered for,
    wherever the machine's clock is set (a server on UTC is a day behind from 16:00 UTC)."""
    return datetime.now(CHINA_TZ).date()


END_OF_DAY = time(23, 59, 59)
WORKING_DAYS_RULE = "transfer_deadline_working_days"
URGENT_HOURS_RULE = "transfer_deadline_urgent_hours"
LIBRARY = f"chinese-calendar {version('chinese-calendar')}"


class CalendarError(RegistryError):
    """A day no calendar covers, or a holidays file that cannot be used."""


class DeadlineRule(Protocol):
    """A transfer-deadline policy: its rule name and threshold (working days or hours)."""

    rule: str
    threshold: float | None


@dataclass(frozen=True)
class YearNotice:
    """One year's holiday notice (节假日安排的通知): days off and make-up working days."""

    year: int
    notice: str
    title: str | None
    days_off: frozenset[date]
    working_days: frozenset[date]


class WorkingDayCalendar:
    """The library's calendar, with the years and days of a holidays file taking precedence."""

    def __init__(self, notices: Mapping[int, YearNotice], source: str = "") -> None:
        self.notices = dict(notices)
        self.source = source

    @classmethod
    def from_file(cls, path: Path) -> WorkingDayCalendar:
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        return cls(read_notices(path), source=str(shown))

    def is_working_day(self, day: date) -> bool:
        day = _plain_date(day)
        notice = self.notices.get(day.year)
        if notice and day in notice.days_off:
            return False
        if notice and day in notice.working_days:
            return True
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if notice:  # a whole notice in the file: every unlisted weekday is a working day
                return day.weekday() < 5
            raise self._uncovered(day.year) from None

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself is day 0 and never counts)."""
        if count < 0:
            raise ValueError(f"a number of working days cannot be negative: {count}")
        day = _plain_date(day)
        while count:
            day += timedelta(days=1)
            count -= self.is_working_day(day)
        return day

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days lie in (start, end]: the day-count of `end` counted from `start`."""
        days = (_plain_date(end) - _plain_date(start)).days
        return sum(self.is_working_day(start + timedelta(days=n)) for n in range(1, days + 1))

    def year_source(self, year: int) -> str:
        """Where a year's days come from: the notice number, the library, or both."""
        notice = self.notices.get(year)
        if notice is None:
            return LIBRARY if _library_covers(year) else "none"
        return notice.notice if not _library_covers(year) else f"{notice.notice} ({LIBRARY})"

    def _uncovered(self, year: int) -> CalendarError:
        listed = ", ".join(str(y) for y in sorted(self.notices)) or "no year"
        first, last = min(_library_years()), max(_library_years())
        return CalendarError(
            f"no working-day calendar for {year}: {LIBRARY} covers {first}–{last} and "
            f"{self.source or 'the holidays file'} lists {listed}; add the State Council notice "
            f"for {year} (国务院办公厅关于{year}年部分节假日安排的通知) to data/calendar/holidays.yaml "
            "or upgrade chinese-calendar"
        )


@cache
def default_calendar() -> WorkingDayCalendar:
    """The calendar of data/calendar/holidays.yaml over the installed chinese-calendar."""
    return WorkingDayCalendar.from_file(HOLIDAYS_FILE)


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)


def add_working_days(day: date, count: int) -> date:
    return default_calendar().add_working_days(day, count)


def deadline(
    sent_at: datetime, policy: DeadlineRule, calendar: WorkingDayCalendar | None = None
) -> datetime:
    """When a transfer sent at `sent_at` is due under a policy (seed 003 四(四)).

    Working days: the day sent is day 0 (期间开始的日不计算在期间内); due at the end (23:59:59
    +08:00) of the N-th working day after it. Urgent: N hours after `sent_at`.
    """
    if sent_at.tzinfo is None:
        raise ValueError(f"sent_at {sent_at} has no time zone")
    if policy.threshold is None or policy.threshold < 0:
        raise CalendarError(f"policy {policy.rule} has no usable threshold: {policy.threshold}")
    if policy.rule == URGENT_HOURS_RULE:
        return sent_at + timedelta(hours=policy.threshold)
    if policy.rule != WORKING_DAYS_RULE:
        raise CalendarError(f"not a transfer-deadline rule: {policy.rule}")
    if policy.threshold != int(policy.threshold):
        raise CalendarError(f"{WORKING_DAYS_RULE} needs whole days, not {policy.threshold}")
    day0 = sent_at.astimezone(CHINA_TZ).date()
    due = (calendar or default_calendar()).add_working_days(day0, int(policy.threshold))
    return datetime.combine(due, END_OF_DAY, CHINA_TZ)


def read_notices(path: Path) -> dict[int, YearNotice]:
    """The `years:` of a holidays file, each checked: dates inside its year, no day in both lists."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: a date like 2099-13-01
        raise CalendarError(f"{path}: cannot be read as YAML: {exc}") from exc
    years = content.get("years") if isinstance(content, dict) else None
    if not isinstance(years, dict):
        raise CalendarError(f"{path}: expected a mapping `years:` of year → notice")
    return {int(year): _notice(path, int(year), entry) for year, entry in years.items()}


def _notice(path: Path, year: int, entry: Any) -> YearNotice:
    if not isinstance(entry, dict) or not entry.get("notice"):
        raise CalendarError(f"{path}, year {year}: every year names its notice (`notice:`)")
    days_off = _days(path, year, entry.get("days_off") or [])
    working_days = _days(path, year, entry.get("working_days") or [])
    if both := sorted(days_off & working_days):
        raise CalendarError(f"{path}, year {year}: {both[0]} is both a day off and a working day")
    return YearNotice(year, str(entry["notice"]), entry.get("title"), days_off, working_days)


def _days(path: Path, year: int, values: list[Any]) -> frozenset[date]:
    days: set[date] = set()
    for value in values:
        first, _, last = str(value).partition("..")
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        except ValueError as exc:
            raise CalendarError(f"{path}, year {year}: not a date or range: {value!r}") from exc
        if start.year != year or end.year != year or end < start:
            raise CalendarError(f"{path}, year {year}: {value} is not a range inside {year}")
        days |= {start + timedelta(days=n) for n in range((end - start).days + 1)}
    return frozenset(days)


def _plain_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


@cache
def _library_years() -> frozenset[int]:
    # the library's own test (utils._validate_date): the span of the years its holidays cover
    known = chinese_calendar.constants.holidays
    return frozenset(range(min(known).year, max(known).year + 1))


def _library_covers(year: int) -> bool:
    return year in _library_years()
