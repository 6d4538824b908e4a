"""Reading catalog tables (读取目录文件): CSV files and XLSX sheets, rows numbered as in Excel.

The reading is split by job: loaders.csv_files decodes CSV text, loaders.workbooks reads the
sheets of a workbook, loaders.table_layout finds the header rows in either, and loaders.tables
holds what comes out (Table, SourceRow, CellRef).
"""

from __future__ import annotations

from pathlib import Path

from authreg.errors import InputError
from loaders.csv_files import read_csv
from loaders.headers import HeaderMap
from loaders.input_limits import InputLimits, input_limits
from loaders.table_layout import build_table
from loaders.tables import Table
from loaders.workbooks import read_workbook

MAX_CELL_CHARS = 100_000
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


def read_tables(
    path: Path,
    *,
    sheet: str | None = None,
    header_map: HeaderMap | None = None,
    max_cell_chars: int = MAX_CELL_CHARS,
    limits: InputLimits | None = None,
) -> list[Table]:
    """Every table in a catalog file: one for a CSV, one per visible sheet with data in an XLSX.

    `sheet` picks one sheet of a workbook; `header_map` (default: the known spellings) finds
    the header row; a cell longer than `max_cell_chars` is an InputError, and so is a file
    past `limits` (default: loaders.input_limits, from the environment).
    """
    path = Path(path)
    known = header_map or HeaderMap.default()
    limits = limits or input_limits()
    _check_file(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        grids = read_workbook(path, sheet, limits)
    elif path.suffix.lower() in CSV_SUFFIXES:
        if sheet is not None:
            raise InputError(path, f"a CSV file has no sheets; drop the sheet name 「{sheet}」")
        grids = [(None, read_csv(path, known), [])]
    else:
        raise InputError(path, f"cannot read 「{path.suffix}」 files; save it as .xlsx or .csv")
    return [
        build_table(path, name, grid, merges, known, max_cell_chars, limits.max_columns)
        for name, grid, merges in grids
    ]


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(path, f"file not found ({path})")
    if not path.is_file():
        raise InputError(path, f"is a folder, not a catalog file ({path})")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
