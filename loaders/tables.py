"""Catalog tables as read (目录表格): a table, its rows and where a cell is, as the user sees it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from authreg.errors import InputError

Grid = list[list[str]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


@dataclass(frozen=True)
class CellRef:
    """Where a cell is, as the user sees it: file, sheet, spreadsheet row, column header."""

    file: Path
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def error(self, problem: str) -> InputError:
        return InputError(self.file, problem, row=self.row, column=self.column, sheet=self.sheet)


@dataclass(frozen=True)
class SourceRow:
    """One data row, its cells aligned with Table.headers and numbered as in the spreadsheet."""

    file: Path
    sheet: str | None
    row: int  # 1-based spreadsheet row: the header's own row, then the data below it
    cells: tuple[str, ...]  # '' for blank; stripped, inner line breaks kept
    carried: frozenset[int] = frozenset()  # columns Table.fill_down filled from a row above

    def at(self, column: str | None = None) -> CellRef:
        """This row (and a column header) for an InputError."""
        return CellRef(self.file, self.row, column, self.sheet)


@dataclass(frozen=True)
class Table:
    """One catalog table: a CSV file or one sheet, with its headers and data rows."""

    file: Path
    sheet: str | None
    header_row: int  # 1-based row of the (last) header row
    headers: list[str]  # normalised: NFKC, no whitespace, Simplified; `top/sub` for two rows
    raw_headers: list[str]  # as in the file
    rows: list[SourceRow]
    title_rows: list[tuple[str, ...]] = field(default_factory=list)  # non-blank cells above

    def at(self, row: SourceRow, column: int) -> CellRef:
        """Where a row's cell in a column is: `table.at(row, i).error("…")`."""
        return row.at(self.headers[column])

    def fill_down(self, columns: Iterable[int]) -> Table:
        """A copy whose blank cells in `columns` carry the value of the nearest row above.

        A merged cell exported to CSV keeps its value in its top row only (序号, 单位名称 and
        抽查类别 in the 重庆 随机抽查 list). The reader cannot know that a CSV blank was
        merged, so the row validator asks for it on group columns such as department and
        category: `table.fill_down([cols["department"], cols["category"]])`. Filled cells
        are listed in SourceRow.carried, so a report can say which values were carried.
        """
        wanted = sorted(set(columns))
        above: dict[int, str] = {}
        rows = []
        for source in self.rows:
            cells, carried = list(source.cells), set(source.carried)
            for index in wanted:
                if cells[index]:
                    above[index] = cells[index]
                elif index in above:
                    cells[index] = above[index]
                    carried.add(index)
            rows.append(replace(source, cells=tuple(cells), carried=frozenset(carried)))
        return replace(self, rows=rows)


def column_letter(number: int) -> str:
    """A column's letters as a spreadsheet shows them: 1 → A, 27 → AA, 16,384 → XFD (no cap)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_cell(text: str) -> str:
    """A cell's text as held: surrounding whitespace stripped; line breaks inside kept, as \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
