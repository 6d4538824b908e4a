"""What every question returns (答复): a pydantic answer that can also show itself as sheets.

A sheet is a titled table of plain cells. The CLI prints sheets as tables, `--format csv|xlsx`
writes them for Excel and WPS, and `--json` prints the answer model itself, so the three views
never drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from neo4j import Record
from neo4j.time import Date as Neo4jDate
from neo4j.time import DateTime as Neo4jDateTime
from neo4j.time import Time as Neo4jTime
from pydantic import BaseModel, ConfigDict

Cell = str | int | float | bool | date | datetime | None


class Sheet(BaseModel):
    """A titled table: column headers and rows of plain cells (Chinese headers welcome)."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]


class Answer(BaseModel):
    """Base of every question's result; subclasses list their sheets."""

    model_config = ConfigDict(frozen=True)

    def sheets(self) -> list[Sheet]:
        raise NotImplementedError(f"{type(self).__name__} does not define its sheets")

    def to_frame(self, sheet: int | str = 0) -> Any:
        """One of the answer's sheets (by position or title) as a pandas DataFrame, for analysis
        in a notebook. pandas is the optional `analysis` extra; nothing else needs it."""
        try:
            import pandas  # optional, and slow to import: only when asked
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError(
                "Answer.to_frame needs pandas, the optional `analysis` extra: "
                "pip install 'authreg[analysis]' (or uv sync --extra analysis)"
            ) from exc
        sheets = self.sheets()
        titles = [s.title for s in sheets]
        if isinstance(sheet, str) and sheet not in titles:
            raise KeyError(f"no sheet titled {sheet!r}; this answer has {titles}")
        chosen = sheets[titles.index(sheet) if isinstance(sheet, str) else sheet]
        return pandas.DataFrame(chosen.rows, columns=chosen.columns)


def record_natives(record: Record) -> dict[str, Any]:
    """A record as `record_natives(record)` gives it, in one pass over its values.

    `.data()` copies every list and map of a record (with several abstract-class `isinstance`
    checks a value) and `natives` then walks the copy again; this builds the one copy directly.
    The values a query returns are strings, numbers, lists, maps and dates: those are converted
    here by their exact type. A record holding anything else (a node, relationship, path,
    point, duration) is converted the old way, whole, so every answer stays the same value of
    the same type (tests/queries/test_record_natives.py)."""
    try:
        return {key: _native_value(value) for key, value in record.items()}
    except _Unusual:
        return natives(record.data())


def natives(record: dict[str, Any]) -> dict[str, Any]:
    """A record's values converted with `native`, recursing into lists and maps."""
    return {key: _deep(value) for key, value in record.items()}


def native(value: Any) -> Any:
    """Neo4j temporal values (neo4j.time.Date, DateTime) as Python's; other values unchanged."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _native_value(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_native_value(v) for v in value]
    if kind is dict:
        return {k: _native_value(v) for k, v in value.items()}
    if kind in _TEMPORAL:
        return value.to_native()
    raise _Unusual


class _Unusual(Exception):
    """A value `record_natives` leaves to `record.data()`."""


_PLAIN = frozenset({str, int, float, bool, type(None)})
_TEMPORAL = frozenset({Neo4jDate, Neo4jDateTime, Neo4jTime})


def _deep(value: Any) -> Any:
    if isinstance(value, list):
        return [_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    return native(value)
