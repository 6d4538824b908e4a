"""A workbook's size before it is parsed (工作簿上限): ZIP members and the extent of each sheet.

calamine builds a sheet as one grid from A1 to its last cell, and trusts the ZIP's sizes: a
7 KB file whose only cell is XFD1048576 asks for 17 billion cells, and a 300 KB file can inflate
to 300 MB. Both are refused here, from the archive's directory and one streaming pass over its
members (which also finds members whose actual size is not the declared one: a bad CRC).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from authreg.errors import InputError
from loaders.input_limits import InputLimits

_CHUNK = 1024 * 1024
_RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like
# A cell's or a row's position, <c r="XFD1048576" …> or <row r="1048576" …>: in a sheet's XML
# only these carry an attribute named plain `r`. Two simple patterns, scanned at C speed.
# Letters past XFD and rows past 1,048,576 are matched too: they are refused, not skipped.
_ROW_NUMBER = re.compile(rb' r="[A-Z]{0,12}(\d{1,15})"')
_COLUMN_LETTERS = re.compile(rb' r="([A-Z]{1,12})\d')
_CELL_POSITION = re.compile(rb' r="([A-Z]{1,12})(\d{1,15})"')
_TAIL = 256  # bytes kept between chunks, so a tag split across two chunks is still seen


def check_workbook_size(path: Path, limits: InputLimits) -> None:
    """Refuse a workbook whose members or sheets are over the limits, before calamine reads it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_declared(path, members, limits)
            inflated = 0
            for member in members:
                inflated = _read_member(path, archive, member, inflated, limits)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise InputError(
            path, f"cannot read the workbook; is it damaged or truncated? ({exc})"
        ) from None


def column_number(letters: str) -> int:
    """A → 1, XFD → 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_declared(path: Path, members: list[zipfile.ZipInfo], limits: InputLimits) -> None:
    total = sum(m.file_size for m in members)
    if total > limits.max_inflated_bytes:
        raise InputError(path, _too_large(total, limits))
    for member in members:
        _check_ratio(path, member.filename, member.file_size, member.compress_size, limits)


def _read_member(
    path: Path,
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    inflated: int,
    limits: InputLimits,
) -> int:
    """Inflate one member in chunks (its CRC checked at the end); a sheet's extent is bounded."""
    sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    extent = _Extent(path, limits) if sheet else None
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            inflated += len(chunk)
            if inflated > limits.max_inflated_bytes:
                raise InputError(path, _too_large(inflated, limits))
            if extent is not None:
                extent.scan(tail + chunk)
                tail = chunk[-_TAIL:]
    _check_ratio(path, member.filename, member.file_size, member.compress_size, limits)
    return inflated


class _Extent:
    """The last row and column a sheet's cells reach, checked as the XML streams by."""

    def __init__(self, path: Path, limits: InputLimits) -> None:
        self.path, self.limits = path, limits
        self.rows = self.columns = 1

    def scan(self, xml: bytes) -> None:
        rows = set(_ROW_NUMBER.findall(xml))
        letters = set(_COLUMN_LETTERS.findall(xml))
        row = max(map(int, rows), default=1)
        column = max(map(column_number, map(bytes.decode, letters)), default=1)
        if row > self.rows or column > self.columns:
            self.rows, self.columns = max(row, self.rows), max(column, self.columns)
            self._check(xml)

    def _check(self, xml: bytes) -> None:
        cells = self.rows * self.columns
        limits = self.limits
        if self.columns > limits.max_columns:
            problem = (
                f"a cell makes a sheet {self.columns:,} columns wide; the limit is "
                f"{limits.max_columns:,} (AUTHREG_INPUT_MAX_COLUMNS)"
            )
        elif cells > limits.max_sheet_cells:
            problem = (
                f"a cell makes a sheet {self.rows:,} rows × {self.columns:,} columns "
                f"({cells:,} cells from A1); the limit is {limits.max_sheet_cells:,} cells "
                "(AUTHREG_INPUT_MAX_SHEET_CELLS): delete the stray cell, or split the sheet"
            )
        else:
            return
        row, column = self._farthest(xml)
        raise InputError(self.path, problem, row=row, column=column)

    def _farthest(self, xml: bytes) -> tuple[int, str | None]:
        """The row and column letters of the first position that reaches the extent."""
        for found in _CELL_POSITION.finditer(xml):
            letters, row = found[1].decode(), int(found[2])
            if row == self.rows or column_number(letters) == self.columns:
                return row, letters
        return self.rows, None  # a <row> element alone


def _check_ratio(
    path: Path, name: str, inflated: int, compressed: int, limits: InputLimits
) -> None:
    if inflated > _RATIO_FLOOR and inflated > limits.max_compression_ratio * max(compressed, 1):
        raise InputError(
            path,
            f"member {name} inflates from {compressed:,} to {inflated:,} bytes, more than "
            f"{limits.max_compression_ratio} times (AUTHREG_INPUT_MAX_COMPRESSION_RATIO): "
            "a ZIP bomb, not a workbook",
        )


def _too_large(inflated: int, limits: InputLimits) -> str:
    return (
        f"inflates to more than {limits.max_inflated_bytes:,} bytes "
        f"({inflated:,} so far; AUTHREG_INPUT_MAX_INFLATED_BYTES): a ZIP bomb, or a workbook "
        "too large to load in one go; split it"
    )
