"""XLSX workbooks (Excel 工作簿): each visible sheet as a grid of cell text, and its merges."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from authreg.errors import InputError
from loaders.input_limits import InputLimits, input_limits
from loaders.sheet_xml import row_of, unreadable_cell
from loaders.tables import Grid, Merge, clean_cell
from loaders.workbook_bounds import check_workbook_size

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password


def read_workbook(
    path: Path, sheet: str | None, limits: InputLimits | None = None
) -> list[tuple[str, Grid, list[Merge]]]:
    """Grid and merged ranges of the named sheet, or of every visible sheet with data.

    The archive and its sheets are measured first (loaders.workbook_bounds): calamine is given
    only workbooks within `limits`."""
    _check_workbook_bytes(path)
    check_workbook_size(path, limits or input_limits())
    try:
        with python_calamine.CalamineWorkbook.from_path(path) as workbook:
            if sheet is not None:
                return [_read_named_sheet(path, workbook, sheet)]
            grids = [_read_sheet(path, workbook, name) for name in _visible_sheets(workbook)]
    except python_calamine.PasswordError:
        raise InputError(path, "the workbook has a password; save a copy without one") from None
    except python_calamine.CalamineError as exc:
        problem = f"cannot read the workbook; is it damaged or truncated? ({exc})"
        raise InputError(path, problem) from None
    grids = [g for g in grids if any(any(row) for row in g[1])]
    if not grids:
        raise InputError(path, "file is empty: no sheet holds any data")
    return grids


def _check_workbook_bytes(path: Path) -> None:
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic.startswith(OLE_MAGIC):
        raise InputError(
            path, "is password-protected or an old .xls workbook; save it as a plain .xlsx"
        )
    if not magic.startswith(ZIP_MAGIC):
        raise InputError(path, "is not an .xlsx workbook (not a ZIP archive)")


def _visible_sheets(workbook: python_calamine.CalamineWorkbook) -> list[str]:
    # Hidden sheets hold lookup lists for drop-downs; chart sheets hold no cells.
    return [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.visible == python_calamine.SheetVisibleEnum.Visible
        and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    ]


def _read_named_sheet(
    path: Path, workbook: python_calamine.CalamineWorkbook, sheet: str
) -> tuple[str, Grid, list[Merge]]:
    if sheet not in workbook.sheet_names:
        names = "、".join(f"「{n}」" for n in workbook.sheet_names)
        raise InputError(path, f"no sheet named 「{sheet}」; the sheets are {names}")
    named = _read_sheet(path, workbook, sheet)
    if not any(any(row) for row in named[1]):
        raise InputError(path, "sheet is empty", sheet=sheet)
    return named


def _read_sheet(
    path: Path, workbook: python_calamine.CalamineWorkbook, name: str
) -> tuple[str, Grid, list[Merge]]:
    """Cells as text from A1 on (calamine: fast), merged ranges, and a formula check."""
    sheet = workbook.get_sheet_by_name(name)
    # An empty row (calamine gives "" for an empty cell) is kept as it is, not converted cell by
    # cell: a 7 KB workbook whose one far cell is A1048576 is a grid of a million empty rows.
    grid = [
        row if row.count("") == len(row) else [_cell_text(value) for value in row]
        for row in sheet.to_python(skip_empty_area=False)
    ]
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
    problem = unreadable_cell(path, name)
    if problem is not None:
        ref, what = problem
        raise InputError(path, f"cell {ref} {what}", sheet=name, row=row_of(ref))
    return name, grid, merges


def _cell_text(value: object) -> str:
    """A cell as the user reads it: 12 not 12.0, dates as ISO, TRUE/FALSE."""
    if isinstance(value, str):
        return clean_cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        # Excel shows 15 significant digits, so 0.1 + 0.2 reads 0.3 there and here.
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)
