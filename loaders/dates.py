"""Catalog dates (日期): 2024-09-11, 2024/9/11, 2024年9月11日 or an Excel serial, as a date."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from authreg.errors import InputError

# Excel counts days from 1899-12-31 as day 1 and, copying Lotus 1-2-3, takes 1900 for a leap
# year: serial 60 is a 1900-02-29 that never was, and from 61 on the count is one day ahead.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_LAST_SERIAL = 2_958_465  # 9999-12-31

_SEPARATED = re.compile(
    r"(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})"
    r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day, as read.py writes it
)
_CHINESE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")  # 20240911
# A number read from a cell not formatted as a date. Five digits only (1927-05-18 to
# 2173-10-14): a bare "2024" is a year, not Excel's 1905-07-16.
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")

_FORMS = "2024-09-11, 2024/9/11, 2024.9.11 or 2024年9月11日"


class Location(Protocol):
    """Where a value comes from, for the error: read.CellRef is one."""

    @property
    def file(self) -> Path: ...
    @property
    def row(self) -> int | None: ...
    @property
    def column(self) -> str | None: ...
    @property
    def sheet(self) -> str | None: ...


def parse_date(value: str | int | float | datetime | date | None, *, at: Location) -> date | None:
    """A catalog cell as a date; blank is None; anything else is an InputError naming the cell."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _error(at, f"「{value}」 is not a date; write it as {_FORMS}")
    if isinstance(value, int | float):
        return from_excel_serial(value, at=at)
    return _parse_text(str(value), at=at)


def from_excel_serial(serial: float, *, at: Location) -> date:
    """The day of an Excel serial number (45546 → 2024-09-11); the time of day is dropped."""
    if not (math.isfinite(serial) and 1 <= serial < _EXCEL_LAST_SERIAL + 1):
        raise _error(
            at, f"「{serial:g}」 is not a date (Excel serials run 1 to {_EXCEL_LAST_SERIAL})"
        )
    day = int(serial)
    if day == _EXCEL_FAKE_LEAP_DAY:
        raise _error(at, "「60」 is Excel's 1900-02-29, a day that never was")
    if day < _EXCEL_FAKE_LEAP_DAY:
        day += 1  # before the phantom leap day Excel's count is not one ahead
    return _EXCEL_EPOCH + timedelta(days=day)


def _parse_text(text: str, *, at: Location) -> date | None:
    # NFKC turns full-width digits and separators (２０２４／９／１１) into ASCII ones.
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        return None
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        found = pattern.fullmatch(cleaned)
        if found:
            return _calendar_date(text, int(found["y"]), int(found["m"]), int(found["d"]), at=at)
    if _SERIAL_TEXT.fullmatch(cleaned):
        return from_excel_serial(float(cleaned), at=at)
    raise _error(at, f"「{text}」 is not a date; write it as {_FORMS}")


def _calendar_date(text: str, year: int, month: int, day: int, *, at: Location) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if year < 1:
        raise _error(at, f"「{text}」 is not a real date: there is no year {year}")
    if not 1 <= month <= 12:
        raise _error(at, f"「{text}」 is not a real date: there is no month {month}")
    raise _error(at, f"「{text}」 is not a real date: {year}-{month:02d} has no day {day}")


def _error(at: Location, problem: str) -> InputError:
    return InputError(at.file, problem, row=at.row, column=at.column, sheet=at.sheet)
