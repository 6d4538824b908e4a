"""Writing answer sheets to files (导出): XLSX workbooks and UTF-8 (BOM) CSV for Excel and WPS."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from authreg.errors import RegistryError
from authreg.formula_cells import safe_text
from queries.answers import Cell, Sheet

SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_NAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WIDTH_MIN, _WIDTH_MAX = 6, 60


def write_sheets(sheets: list[Sheet], path: Path, fmt: Literal["csv", "xlsx"]) -> list[Path]:
    """Write the sheets to `path`: one workbook (a worksheet per sheet), or CSV files (one per
    sheet, `<stem>-<title>.csv` beside `path` when there are several). Returns the files written."""
    if not sheets:
        raise RegistryError("nothing to export: the answer has no sheets")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [_write_xlsx(sheets, path)]
    if fmt == "csv":
        return _write_csv(sheets, path)
    raise RegistryError(f"unknown export format {fmt!r}: choose csv or xlsx")


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Excel-safe, unique worksheet names: no []:*?/\\, no leading or trailing ', ≤ 31 chars."""
    names: list[str] = []
    for title in titles:
        base = _SHEET_NAME_BAD.sub("_", title).strip().strip("'") or "Sheet"
        if base.casefold() == "history":  # Excel reserves it
            base += "_"
        names.append(_unique(base[:SHEET_NAME_MAX], names, SHEET_NAME_MAX))
    return names


# -- XLSX -------------------------------------------------------------------------------------


def _write_xlsx(sheets: list[Sheet], path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, name in zip(sheets, sheet_names(s.title for s in sheets), strict=True):
        _fill_worksheet(workbook.create_sheet(name), sheet)
    workbook.save(path)
    return path


def _fill_worksheet(worksheet: Worksheet, sheet: Sheet) -> None:
    worksheet.append([safe_text(column) for column in sheet.columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        worksheet.append([_xlsx_value(value) for value in row])
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    worksheet.freeze_panes = "A2"
    for index, width in enumerate(_column_widths(sheet), 1):
        worksheet.column_dimensions[get_column_letter(index)].width = width


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones: keep the wall-clock time the registry recorded (e.g. +08:00).
        return value.replace(tzinfo=None)
    return value


def _column_widths(sheet: Sheet) -> list[float]:
    widths = []
    for index, column in enumerate(sheet.columns):
        cells = [column, *(row[index] for row in sheet.rows if index < len(row))]
        widest = max(_display_width(_text(cell)) for cell in cells)
        widths.append(min(max(widest + 2, _WIDTH_MIN), _WIDTH_MAX))
    return widths


def _display_width(text: str) -> int:
    """Columns a text takes: CJK (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# -- CSV --------------------------------------------------------------------------------------


def _write_csv(sheets: list[Sheet], path: Path) -> list[Path]:
    if len(sheets) == 1:
        targets = [path]
    else:
        suffix = path.suffix or ".csv"
        stems = _file_stems(f"{path.stem}-{sheet.title}" for sheet in sheets)
        targets = [path.with_name(stem + suffix) for stem in stems]
    for sheet, target in zip(sheets, targets, strict=True):
        # utf-8-sig writes the BOM Excel and WPS need to read UTF-8; RFC 4180 lines end in CRLF.
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow([safe_text(column) for column in sheet.columns])
            writer.writerows([_csv_text(value) for value in row] for row in sheet.rows)
    return targets


def _csv_text(value: Cell) -> str:
    return safe_text(_text(value)) if isinstance(value, str) else _text(value)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _file_stems(stems: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for stem in stems:
        chosen.append(_unique(_FILE_NAME_BAD.sub("_", stem).strip(" .") or "sheet", chosen, 150))
    return chosen


def _unique(name: str, taken: list[str], limit: int) -> str:
    """`name`, or `name(2)`, `name(3)` … cut to `limit`, unlike any taken (case-insensitive)."""
    used = {t.casefold() for t in taken}
    candidate, number = name, 1
    while candidate.casefold() in used:
        number += 1
        tail = f"({number})"
        candidate = name[: limit - len(tail)] + tail
    return candidate
