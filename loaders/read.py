"""Reading catalog tables (读取目录文件): CSV files and XLSX sheets, rows numbered as in Excel."""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import charset_normalizer
import python_calamine
from openpyxl.utils import get_column_letter

from authreg.errors import InputError
from loaders.headers import HeaderMap, normalise_header

MAX_CELL_CHARS = 100_000
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
HEADER_SEARCH_ROWS = 30  # title blocks are a few rows; past this the first non-blank row is taken
MAX_HEADER_CHARS = 40  # a longer cell is an item name or a citation, never a header

Grid = list[list[str]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "hz"})
_DELIMITERS = (",", "\t", ";")  # comma first: it wins ties
_SNIFF_CHARS = 65_536
_NUMBER = re.compile(r"[\d.,%\s-]+")
_SUSPECT_CELL = re.compile(rb'<(?:\w+:)?f[\s>/]|\st="e"')  # a formula or an error value


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


def read_tables(
    path: Path,
    *,
    sheet: str | None = None,
    header_map: HeaderMap | None = None,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> list[Table]:
    """Every table in a catalog file: one for a CSV, one per visible sheet with data in an XLSX.

    `sheet` picks one sheet of a workbook; `header_map` (default: the known spellings) finds
    the header row; a cell longer than `max_cell_chars` is an InputError.
    """
    path = Path(path)
    known = header_map or HeaderMap.default()
    _check_file(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        grids = _read_workbook(path, sheet)
    elif path.suffix.lower() in CSV_SUFFIXES:
        if sheet is not None:
            raise InputError(path, f"a CSV file has no sheets; drop the sheet name 「{sheet}」")
        grids = [(None, _read_csv(path, known), [])]
    else:
        raise InputError(path, f"cannot read 「{path.suffix}」 files; save it as .xlsx or .csv")
    return [_table(path, name, grid, merges, known, max_cell_chars) for name, grid, merges in grids]


# ---- files ------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(path, f"file not found ({path})")
    if not path.is_file():
        raise InputError(path, f"is a folder, not a catalog file ({path})")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")


def _read_csv(path: Path, known: HeaderMap) -> Grid:
    """The records of a CSV file, with its encoding and delimiter detected."""
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "file is empty")
    delimiter = _sniff_delimiter(text, known)
    # The csv module stops at 131,072 characters with an error naming no row; our own
    # limit (max_cell_chars) names the row and column instead.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    grid: Grid = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            grid.append([_clean(cell) for cell in record])
    except csv.Error as exc:
        raise InputError(path, f"not readable as CSV: {exc}", row=len(grid) + 1) from None
    return grid


def _decode(path: Path, data: bytes) -> str:
    """Text of a CSV file: BOM, then strict UTF-8, then a guess that prefers GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked_text(path, _decode_as(path, data[len(bom) :], encoding))
    _refuse_binary(path, data)
    # Try UTF-8 first: strict UTF-8 rejects GBK bytes; GBK often takes UTF-8 bytes as mojibake.
    try:
        return _checked_text(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        return _checked_text(path, _decode_guessed(path, data))


def _decode_as(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"starts with a {encoding} byte-order mark but {exc}") from None


def _decode_guessed(path: Path, data: bytes) -> str:
    """charset-normalizer's guess, or GB18030 where that guess is GB2312/GBK or not Chinese."""
    best = charset_normalizer.from_bytes(data).best()
    guessed = str(best) if best is not None else None
    gb = _gb18030(data)
    # GB2312 and GBK are subsets of GB18030; a short GBK file is sometimes guessed as a
    # Western code page, while Big5 (Traditional) is guessed right and must stay Big5.
    if gb is not None and (
        (best is not None and best.encoding in _GB_FAMILY)
        or (_looks_chinese(gb) and not (guessed and _looks_chinese(guessed)))
    ):
        return gb
    if guessed is None:
        raise InputError(
            path,
            "cannot tell the text encoding (not UTF-8, GBK/GB18030 or another known one); "
            "save the file as UTF-8 CSV",
        )
    return guessed


def _gb18030(data: bytes) -> str | None:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters are CJK ideographs or full-width punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    han = sum(1 for ch in wide if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return bool(wide) and han >= 0.9 * len(wide)


def _refuse_binary(path: Path, data: bytes) -> None:
    if data.startswith(_ZIP_MAGIC):
        raise InputError(
            path,
            "is a ZIP archive (an .xlsx workbook?), not CSV text; "
            "if it is a workbook, rename it to .xlsx",
        )
    if data.startswith(_OLE_MAGIC):
        raise InputError(path, "is an old Excel (.xls) workbook, not CSV text; save it as .xlsx")
    if b"\x00" in data[:_SNIFF_CHARS]:
        raise InputError(path, "is a binary file, not CSV text")


def _checked_text(path: Path, text: str) -> str:
    """Decoded text that is really text: few control characters, no replacement marks."""
    head = text[:_SNIFF_CHARS]
    odd = sum(1 for ch in head if ch == "\ufffd" or _is_control(ch))
    if odd > max(2, len(head) // 100):
        raise InputError(path, "is a binary file or in an encoding that cannot be read, not text")
    return text


def _sniff_delimiter(text: str, known: HeaderMap) -> str:
    """Comma, tab or semicolon: whichever splits the head into more known headers and columns."""
    head = text[:_SNIFF_CHARS]

    def score(delimiter: str) -> tuple[int, int]:
        records = [r for r in _first_records(head, delimiter) if r]
        matches = max((_known_headers(r, known) for r in records), default=0)
        widths = Counter(len(r) for r in records).most_common(1)  # the usual row width
        return matches, widths[0][0] if widths else 0

    return max(_DELIMITERS, key=score)


def _first_records(text: str, delimiter: str) -> Iterable[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for _, record in zip(range(HEADER_SEARCH_ROWS), reader, strict=False):
            yield record
    except csv.Error:
        return


# ---- workbooks --------------------------------------------------------------------------


def _read_workbook(path: Path, sheet: str | None) -> list[tuple[str, Grid, list[Merge]]]:
    """Grid and merged ranges of the named sheet, or of every visible sheet with data."""
    _check_workbook_bytes(path)
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
    if magic.startswith(_OLE_MAGIC):
        raise InputError(
            path, "is password-protected or an old .xls workbook; save it as a plain .xlsx"
        )
    if not magic.startswith(_ZIP_MAGIC):
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
    grid = [[_cell_text(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
    problem = _unreadable_cell(path, name)
    if problem is not None:
        ref, what = problem
        raise InputError(path, f"cell {ref} {what}", sheet=name, row=_row_of(ref))
    return name, grid, merges


def _cell_text(value: object) -> str:
    """A cell as the user reads it: 12 not 12.0, dates as ISO, TRUE/FALSE."""
    if isinstance(value, str):
        return _clean(value)
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


def _unreadable_cell(path: Path, sheet: str) -> tuple[str, str] | None:
    """The first cell whose value calamine would read as blank though it is not, if any.

    A formula with no saved value (a file written by a script) and an error such as #N/A
    both come back from calamine as '', which would pass for an empty cell; the sheet's XML
    says which they are.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            xml = archive.read(part) if part is not None else b""
        return _scan_cells(io.BytesIO(xml)) if _SUSPECT_CELL.search(xml) else None
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None  # calamine has read the sheet; an unusual layout only skips this check


def _scan_cells(stream: IO[bytes]) -> tuple[str, str] | None:
    for _, element in ElementTree.iterparse(stream):
        if _local(element.tag) == "c":
            problem = _cell_problem(element)
            if problem is not None:
                return element.get("r", "?"), problem
            element.clear()
    return None


def _cell_problem(cell: ElementTree.Element) -> str | None:
    """What is wrong with one <c> element: an error value, or a formula with no saved value."""
    parts = {_local(child.tag): child for child in cell}
    formula, value = parts.get("f"), parts.get("v")
    if cell.get("t") == "e":
        shown = value.text if value is not None and value.text else "an error"
        return f"shows {shown}; correct it in the workbook"
    if formula is None or (value is not None and (value.text or cell.get("t") == "str")):
        return None  # no formula, or its value was saved ('' for a formula giving "")
    what = f"the formula ={formula.text}" if formula.text else "a shared formula"
    return (
        f"holds {what} with no saved value; open the file in Excel or WPS and save it, "
        "so the value is stored"
    )


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet, found through xl/workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = (s for s in workbook.iter() if _local(s.tag) == "sheet")
    rel_id = next((_attr(s, "id") for s in sheets if s.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _row_of(ref: str) -> int | None:
    """The row number in a cell reference: C7 → 7."""
    digits = re.search(r"\d+", ref)
    return int(digits.group()) if digits else None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(element: ElementTree.Element, name: str) -> str | None:
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)


# ---- tables -----------------------------------------------------------------------------


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


def _table(
    file: Path, sheet: str | None, grid: Grid, merges: list[Merge], known: HeaderMap, limit: int
) -> Table:
    """Find the header (under any title rows), combine a second header row, collect data rows."""
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
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
        letters=[get_column_letter(j + 1) for j in keep],
    )
    columns.check_headers(CellRef(file, last + 1, None, sheet))
    rows = [SourceRow(file, sheet, r + 1, tuple(grid[r][j] for j in keep)) for r in body]
    for row in rows:
        columns.check_cells(row, limit)
    raw = ["/".join(parts[j]) for j in keep]
    titles = [tuple(c for c in grid[r] if c) for r in range(top) if not blank[r]]
    return Table(file, sheet, last + 1, columns.headers, raw, rows, titles)


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
        if _known_headers(row, known) >= 2:
            return index
    for index, row in enumerate(head):
        if sum(1 for cell in row if cell) >= 2:
            return index
    return next(index for index, row in enumerate(grid) if any(row))


def _known_headers(row: Iterable[str], known: HeaderMap) -> int:
    return sum(
        1
        for cell in row
        if cell and len(cell) <= MAX_HEADER_CHARS and known.match(normalise_header(cell))
    )


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


def _clean(text: str) -> str:
    """Surrounding whitespace stripped; line breaks inside kept, as \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"
