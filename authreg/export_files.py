"""Writing answer sheets to files (导出): XLSX workbooks laid out for printing, and UTF-8 (BOM)
CSV for Excel and WPS."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from authreg.errors import RegistryError
from authreg.formula_cells import safe_text
from queries.answers import Cell, Sheet
from queries.working_days import china_today

SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_NAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WIDTH_MIN, _WIDTH_MAX = 6, 60
# A code: letters with digits, _ - . : # and no space or Han (min_legal_reviewers_per_zone, LC-CG-001).
_CODE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_.:#\-]+$")

# Printing (A4 landscape): about 150 width units fit across at 100 %; fit-to-width shrinks a
# wider sheet, so the columns share a budget that keeps the print at ≥ 80 % (wide text wraps).
PRINT_WIDTH_BUDGET = 185
TITLE_ROW, HEADER_ROW = 1, 2
PAPER_A4 = 9  # openpyxl's (and Excel's) paperSize code
_HEADER_FILL = PatternFill("solid", start_color="DDDDDD")
_THIN = Side(style="thin", color="888888")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_sheets(
    sheets: list[Sheet], path: Path, fmt: Literal["csv", "xlsx"], *, made_on: date | None = None
) -> list[Path]:
    """Write the sheets to exactly `path`: one workbook (a worksheet per sheet, each laid out
    for A4 printing), or CSV — one file for one sheet; several sheets need `path` to be a
    `.zip` (one CSV per sheet inside) or a folder (a name without a suffix). Returns the
    files written. `made_on` is the date printed in each title row (default today)."""
    if not sheets:
        raise RegistryError("nothing to export: the answer has no sheets")
    if fmt == "xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        return [_write_xlsx(sheets, path, made_on or china_today())]
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


def _write_xlsx(sheets: list[Sheet], path: Path, made_on: date) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, name in zip(sheets, sheet_names(s.title for s in sheets), strict=True):
        _fill_worksheet(workbook.create_sheet(name), for_print(sheet), made_on)
    workbook.save(path)
    return path


def for_print(sheet: Sheet) -> Sheet:
    """The sheet with its code columns (rule ids, item codes: no Chinese in any cell) moved after
    the others and marked 编码, so a printed page starts with what a clerk reads."""
    codes = [i for i, column in enumerate(sheet.columns) if _is_code_column(sheet, i, column)]
    if not codes or len(codes) == len(sheet.columns):
        return sheet
    order = [i for i in range(len(sheet.columns)) if i not in codes] + codes
    columns = [
        sheet.columns[i]
        if i not in codes or "码" in sheet.columns[i] or "号" in sheet.columns[i]
        else f"{sheet.columns[i]}(编码)"
        for i in order
    ]
    rows = [[row[i] if i < len(row) else None for i in order] for row in sheet.rows]
    return Sheet(title=sheet.title, columns=columns, rows=rows)


def _is_code_column(sheet: Sheet, index: int, column: str) -> bool:
    cells = [row[index] for row in sheet.rows if index < len(row) and row[index] is not None]
    return bool(cells) and all(isinstance(c, str) and _CODE.match(c) for c in cells)


def _fill_worksheet(worksheet: Worksheet, sheet: Sheet, made_on: date) -> None:
    width = max(len(sheet.columns), 1)
    worksheet.cell(TITLE_ROW, 1, safe_text(f"{sheet.title}(制表日期:{made_on.isoformat()})"))
    worksheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    worksheet.cell(TITLE_ROW, 1).alignment = Alignment(vertical="center")
    if width > 1:
        worksheet.merge_cells(
            start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width
        )
    worksheet.row_dimensions[TITLE_ROW].height = 24
    for index, column in enumerate(sheet.columns, 1):
        cell = worksheet.cell(HEADER_ROW, index, safe_text(column))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(sheet.rows, HEADER_ROW + 1):
        for index, value in enumerate(row, 1):
            cell = worksheet.cell(number, index, _xlsx_value(value))
            cell.alignment, cell.border = wrap, _BORDER
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    worksheet.freeze_panes = worksheet.cell(HEADER_ROW + 1, 1).coordinate
    for index, column_width in enumerate(print_widths(_column_widths(sheet)), 1):
        worksheet.column_dimensions[get_column_letter(index)].width = column_width
    _set_up_page(worksheet)


def _set_up_page(worksheet: Worksheet) -> None:
    """A4 landscape, one page wide (as many tall as needed), the header row on every page."""
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = PAPER_A4
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.6
    worksheet.oddFooter.center.text = "第 &P 页,共 &N 页"


def print_widths(widths: list[float]) -> list[float]:
    """Natural widths shrunk, widest first, until they fit the print budget (a narrow column
    keeps its width; text in a narrowed one wraps)."""
    if sum(widths) <= PRINT_WIDTH_BUDGET:
        return widths
    low, high = float(_WIDTH_MIN), max(widths)
    for _ in range(40):  # the largest cap whose capped widths fit: bisection
        cap = (low + high) / 2
        if sum(min(w, cap) for w in widths) > PRINT_WIDTH_BUDGET:
            high = cap
        else:
            low = cap
    return [round(min(w, max(low, 8.0)), 1) for w in widths]


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
    if len(sheets) == 1 and path.suffix.lower() != ".zip" and not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_csv_bytes(sheets[0]))
        return [path]
    names = [stem + ".csv" for stem in _file_stems(sheet.title for sheet in sheets)]
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for sheet, name in zip(sheets, names, strict=True):
                archive.writestr(name, _csv_bytes(sheet))
        return [path]
    if path.suffix and not path.is_dir():
        titles = "、".join(sheet.title for sheet in sheets)
        raise RegistryError(
            f"this answer has {len(sheets)} tables ({titles}), and one CSV file holds one: "
            f"name a .zip (--out {path.with_suffix('.zip').name}: one CSV per table inside) or "
            f"a folder (--out {path.with_suffix('').name})"
        )
    path.mkdir(parents=True, exist_ok=True)
    targets = [path / name for name in names]
    for sheet, target in zip(sheets, targets, strict=True):
        target.write_bytes(_csv_bytes(sheet))
    return targets


def _csv_bytes(sheet: Sheet) -> bytes:
    # utf-8-sig writes the BOM Excel and WPS need to read UTF-8; RFC 4180 lines end in CRLF.
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_text(column) for column in sheet.columns])
    writer.writerows([_csv_text(value) for value in row] for row in sheet.rows)
    return text.getvalue().encode("utf-8-sig")


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
