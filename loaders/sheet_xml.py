"""Cells calamine reads as blank though they are not (无缓存值的公式 / 错误值), from the XML."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

_SUSPECT_CELL = re.compile(rb'<(?:\w+:)?f[\s>/]|\st="e"')  # a formula or an error value


def unreadable_cell(path: Path, sheet: str) -> tuple[str, str] | None:
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


def row_of(ref: str) -> int | None:
    """The row number in a cell reference: C7 → 7."""
    digits = re.search(r"\d+", ref)
    return int(digits.group()) if digits else None


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


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(element: ElementTree.Element, name: str) -> str | None:
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)
