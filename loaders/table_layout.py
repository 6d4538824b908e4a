"""Where the table sits in a grid (表头定位): title rows, one or two header rows, data rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from authreg.errors import InputError
from loaders.headers import HeaderMap, normalise_header
from loaders.input_limits import EXCEL_MAX_COLUMNS
from loaders.tables import CellRef, Grid, Merge, SourceRow, Table, column_letter

HEADER_SEARCH_ROWS = 30  # title blocks are a few rows; past this the first non-blank row is taken
MAX_HEADER_CHARS = 40  # a longer cell is an item name or a citation, never a header

_NUMBER = re.compile(r"[\d.,%\s-]+")


def build_table(
    file: Path,
    sheet: str | None,
    grid: Grid,
    merges: list[Merge],
    known: HeaderMap,
    limit: int,
    max_columns: int = EXCEL_MAX_COLUMNS,
) -> Table:
    """Find the header (under any title rows), combine a second header row, collect data rows.

    `limit` bounds a cell's characters, `max_columns` a row's cells (loaders.input_limits)."""
    width = max(len(row) for row in grid)
    if width > max_columns:
        widest = next(r for r, row in enumerate(grid) if len(row) == width)
        raise CellRef(file, widest + 1, column_letter(max_columns + 1), sheet).error(
            f"row has {width:,} cells; a table may have at most {max_columns:,} columns "
            "(AUTHREG_INPUT_MAX_COLUMNS)"
        )
    grid = [row if len(row) == width else row + [""] * (width - len(row)) for row in grid]
    blank = [not any(row) for row in grid]  # before merges spread, so filler rows stay blank
    if all(blank):
        raise InputError(file, "file is empty" if sheet is None else "sheet is empty", sheet=sheet)
    top, last = _header_rows(grid, known)
    grid = _spread_merges(grid, merges, first_row=top)
    parts = _header_parts(grid[top], grid[last] if last > top else None)
    body = [r for r in range(last + 1, len(grid)) if not blank[r]]
    if not body:
        raise InputError(file, f"has a header (row {last + 1}) but no data rows", sheet=sheet)
    keep = [j for j in range(width) if parts[j] or any(grid[r][j] for r in body)]
    columns = _Columns(
        headers=["/".join(normalise_header(p) for p in parts[j]) for j in keep],
        letters=[column_letter(j + 1) for j in keep],
    )
    columns.check_headers(CellRef(file, last + 1, None, sheet))
    rows = [SourceRow(file, sheet, r + 1, tuple(grid[r][j] for j in keep)) for r in body]
    for row in rows:
        columns.check_cells(row, limit)
    raw = ["/".join(parts[j]) for j in keep]
    titles = [tuple(c for c in grid[r] if c) for r in range(top) if not blank[r]]
    return Table(file, sheet, last + 1, columns.headers, raw, rows, titles)


def known_headers(row: Iterable[str], known: HeaderMap) -> int:
    """How many cells of a row are known header spellings."""
    return sum(
        1
        for cell in row
        if cell and len(cell) <= MAX_HEADER_CHARS and known.match(normalise_header(cell))
    )


@dataclass(frozen=True)
class _Columns:
    """The columns a table keeps: normalised headers and spreadsheet letters, for checks."""

    headers: list[str]
    letters: list[str]

    def check_headers(self, at: CellRef) -> None:
        """No two columns share a header."""
        seen: dict[str, str] = {}
        for header, letter in zip(self.headers, self.letters, strict=True):
            if header and seen.setdefault(header, letter) != letter:
                raise replace(at, column=header).error(
                    f"columns {seen[header]} and {letter} have the same header 「{header}」; "
                    "rename one"
                )

    def check_cells(self, row: SourceRow, limit: int) -> None:
        """No cell is over the length limit, and none has a value under a blank header."""
        for cell, header, letter in zip(row.cells, self.headers, self.letters, strict=True):
            if len(cell) > limit:
                raise row.at(header or letter).error(
                    f"cell has {len(cell):,} characters; the limit is {limit:,}"
                )
            if cell and not header:
                raise row.at(letter).error(f"column {letter} has a value but no header")


# ---- header rows ------------------------------------------------------------------------


def _header_rows(grid: Grid, known: HeaderMap) -> tuple[int, int]:
    """Indexes of the first and the last header row (the same, or two rows in a row)."""
    found = _header_index(grid, known)
    if _has_subheader(grid, found, known):
        return found, found + 1
    # The known spellings may all sit in the second row, under spanning group headers.
    if found > 0 and _has_subheader(grid, found - 1, known):
        return found - 1, found
    return found, found


def _header_index(grid: Grid, known: HeaderMap) -> int:
    """The first row with two known header spellings; else the first with two cells at all.

    The fallback lets a table of unknown headers reach map_columns, whose error lists them;
    a title row has one cell, however wide it is merged, so it is passed over.
    """
    head = grid[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(head):
        if known_headers(row, known) >= 2:
            return index
    for index, row in enumerate(head):
        if sum(1 for cell in row if cell) >= 2:
            return index
    return next(index for index, row in enumerate(grid) if any(row))


def _has_subheader(grid: Grid, top: int, known: HeaderMap) -> bool:
    """Is the row under the header a second header row (抽查项目 over 抽查类别 | 抽查事项)?

    It is when it has blanks under header cells, and each of its other cells is header-like:
    short, not a number, and either under a top cell that spans it or a known spelling.
    """
    if top + 1 >= len(grid):
        return False
    upper, lower = grid[top], grid[top + 1]
    if sum(1 for cell in upper if cell) < 2 or not any(lower):
        return False  # a title row has one cell, however wide it is merged
    if not any(u and (not s or s == u) for u, s in zip(upper, lower, strict=True)):
        return False
    spanned = _span_owners(upper, lower)
    return all(
        _header_like(cell, j in spanned, known)
        for j, cell in enumerate(lower)
        if cell and cell != upper[j]
    )


def _header_like(cell: str, spanned: bool, known: HeaderMap) -> bool:
    if len(cell) > MAX_HEADER_CHARS or _NUMBER.fullmatch(cell):
        return False
    return spanned or known.match(normalise_header(cell)) is not None


def _span_owners(upper: list[str], lower: list[str]) -> dict[int, int]:
    """Sub-columns under a top cell that spans them (blank to its right): column → its top."""
    owners: dict[int, int] = {}
    for j in range(1, len(upper)):
        start = owners.get(j - 1, j - 1)
        if not upper[j] and lower[j] and upper[start] and lower[j - 1]:
            owners[j] = owners[start] = start
    return owners


# ---- merged cells and combined headers --------------------------------------------------


def _spread_merges(grid: Grid, merges: list[Merge], *, first_row: int) -> Grid:
    """Merged ranges from the header down carry their top-left value over the whole range."""
    for r0, c0, r1, c1 in merges:
        if r0 < first_row or r0 >= len(grid) or c0 >= len(grid[r0]):
            continue  # title rows stay as they are
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value
    return grid


def _header_parts(upper: list[str], lower: list[str] | None) -> list[tuple[str, ...]]:
    """Each column's header: (top,), (top, sub) under a spanning top cell, or (sub,)."""
    if lower is None:
        return [(cell,) if cell else () for cell in upper]
    owners = _span_owners(upper, lower)
    tops = [upper[owners[j]] if j in owners else upper[j] for j in range(len(upper))]
    return [_combined(top, sub) for top, sub in zip(tops, lower, strict=True)]


def _combined(top: str, sub: str) -> tuple[str, ...]:
    if not sub or sub == top:  # a cell merged down over both header rows, or no sub-header
        return (top,) if top else ()
    return (top, sub) if top else (sub,)
