"""What every question returns (答复): a pydantic answer that can also show itself as sheets.

A sheet is a titled table of plain cells. The CLI prints sheets as tables, `--format csv|xlsx`
writes them for Excel and WPS, and `--json` prints the answer model itself, so the three views
never drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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


def native(value: Any) -> Any:
    """Neo4j temporal values (neo4j.time.Date, DateTime) as Python's; other values unchanged."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def natives(record: dict[str, Any]) -> dict[str, Any]:
    """A record's values converted with `native`, recursing into lists and maps."""
    return {key: _deep(value) for key, value in record.items()}


def _deep(value: Any) -> Any:
    if isinstance(value, list):
        return [_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    return native(value)
