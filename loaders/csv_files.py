"""CSV catalog files (CSV 目录): text encoding (BOM, UTF-8, GB18030 …) and delimiter detected."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import charset_normalizer

from authreg.errors import InputError
from loaders.headers import HeaderMap
from loaders.table_layout import HEADER_SEARCH_ROWS, known_headers
from loaders.tables import Grid, clean_cell, column_letter
from loaders.workbooks import OLE_MAGIC, ZIP_MAGIC

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "hz"})
_DELIMITERS = (",", "\t", ";")  # comma first: it wins ties
_SNIFF_CHARS = 65_536


def read_csv(path: Path, known: HeaderMap) -> Grid:
    """The records of a CSV file, with its encoding and delimiter detected.

    A file cut short is refused: one that ends inside a quoted cell, or whose last row ends
    without a line break and with fewer cells than the header (a list cut mid-row)."""
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "file is empty")
    delimiter = _sniff_delimiter(text, known)
    grid = _records(path, text, delimiter)
    if not text.endswith(("\n", "\r")):
        _check_last_record(path, grid, known)
    return [[clean_cell(cell) for cell in record] for record in grid]


# A noncharacter (never in a catalog) on a line of its own after the text: the reader returns
# it as a record of its own unless the text ends inside a quoted cell, which swallows it.
_END = "\ufdd0"


def _records(path: Path, text: str, delimiter: str) -> Grid:
    # The csv module stops at 131,072 characters with an error naming no row; our own
    # limit (max_cell_chars) names the row and column instead.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    ended = text.endswith(("\n", "\r"))
    marked = io.StringIO(f"{text}{'' if ended else chr(10)}{_END}\n", newline="")
    grid: Grid = []
    try:
        grid.extend(csv.reader(marked, delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(path, f"not readable as CSV: {exc}", row=len(grid) + 1) from None
    if grid and grid[-1] == [_END]:
        return grid[:-1]
    row = grid[-1] if grid else [""]
    raise InputError(
        path,
        'a quoted cell (opened with ") is never closed: the file ends inside it; '
        "is the file cut short? Save it again from the spreadsheet",
        row=len(grid),
        column=column_letter(len(row)),
    )


def _check_last_record(path: Path, grid: Grid, known: HeaderMap) -> None:
    """A last row with fewer cells than the header, in a file with no final line break."""
    header = next(
        (r for r in grid[:HEADER_SEARCH_ROWS] if known_headers(r, known) >= 2),
        None,
    )
    last = grid[-1] if grid else []
    if header is None or header is last or not any(last):
        return
    width = max((j + 1 for j, cell in enumerate(header) if cell.strip()), default=0)
    if len(last) >= width:
        return
    missing = clean_cell(header[len(last)]) or column_letter(len(last) + 1)
    raise InputError(
        path,
        f"the last row has {len(last)} of the header's {width} cells and the file ends "
        "inside it: is the file cut short? Save it again from the spreadsheet",
        row=len(grid),
        column=missing,
    )


# ---- encoding ---------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> str:
    """Text of a CSV file: BOM, then strict UTF-8, then a guess that prefers GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked_text(path, _decode_as(path, data[len(bom) :], encoding))
    _refuse_binary(path, data)
    # Try UTF-8 first: strict UTF-8 rejects GBK bytes; GBK often takes UTF-8 bytes as mojibake.
    try:
        return _checked_text(path, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # only a cut short tail is not UTF-8
            raise InputError(
                path,
                "ends inside a UTF-8 character: is the file cut short? Save it again",
                row=_line_at(data, exc.start),
            ) from None
        return _checked_text(path, _decode_guessed(path, data, exc.start))


def _decode_as(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = _line_at(data[: exc.start].decode(encoding, errors="replace"), exc.start)
        raise InputError(
            path, f"starts with a {encoding} byte-order mark but {exc.reason}", row=row
        ) from None


def _line_at(data: bytes | str, offset: int) -> int:
    """The 1-based line an offset is on (a row, unless a quoted cell spans lines above it)."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def _decode_guessed(path: Path, data: bytes, first_bad: int) -> str:
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
            "cannot tell the text encoding: not UTF-8 from this row on, nor GBK/GB18030 or "
            "another known one; save the file as UTF-8 CSV",
            row=_line_at(data, first_bad),
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
    if data.startswith(ZIP_MAGIC):
        raise InputError(
            path,
            "is a ZIP archive (an .xlsx workbook?), not CSV text; "
            "if it is a workbook, rename it to .xlsx",
        )
    if data.startswith(OLE_MAGIC):
        raise InputError(path, "is an old Excel (.xls) workbook, not CSV text; save it as .xlsx")
    nul = data.find(b"\x00", 0, _SNIFF_CHARS)
    if nul >= 0:
        raise InputError(
            path, "is a binary file, not CSV text (a NUL byte)", row=_line_at(data, nul)
        )


# Unicode's control characters (category Cc: U+0000–U+001F, U+007F–U+009F) other than tab,
# line feed, carriage return and form feed; and the replacement mark a failed decode leaves.
# One regex over the head, not a category lookup per character (tests check it is the same set).
ODD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _checked_text(path: Path, text: str) -> str:
    """Decoded text that is really text: few control characters, no replacement marks."""
    head = text[:_SNIFF_CHARS]
    odd = len(ODD_CHARACTERS.findall(head))
    if odd > max(2, len(head) // 100):
        first = ODD_CHARACTERS.search(head)
        raise InputError(
            path,
            "is a binary file or in an encoding that cannot be read, not text",
            row=_line_at(head, first.start()) if first else None,
        )
    return text


# ---- delimiter --------------------------------------------------------------------------


def _sniff_delimiter(text: str, known: HeaderMap) -> str:
    """Comma, tab or semicolon: whichever splits the head into more known headers and columns."""
    head = text[:_SNIFF_CHARS]

    def score(delimiter: str) -> tuple[int, int]:
        records = [r for r in _first_records(head, delimiter) if r]
        matches = max((known_headers(r, known) for r in records), default=0)
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
