"""Showing answers (显示): sheets as rich tables on the terminal, the model as one JSON document."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.table import Table

from authreg.errors import RegistryError
from queries.answers import Answer, Cell

Format = Literal["table", "json", "csv", "xlsx"]


def show(
    answer: Answer, console: Console, *, fmt: Format = "table", out: Path | None = None
) -> None:
    """Print or write an answer: a table per sheet, JSON, or CSV/XLSX files."""
    if fmt == "json":
        text = answer.model_dump_json(indent=2)
        if out is None:
            console.out(text, highlight=False)
        else:
            out.write_text(text + "\n", encoding="utf-8")
            console.print(f"wrote {out}")
        return
    if fmt in {"csv", "xlsx"}:
        from authreg.export_files import write_sheets  # openpyxl: only when a file is written

        if out is None:
            raise RegistryError(f"--format {fmt} writes a file: name it with --out FILE")
        sheets = answer.sheets()
        written = write_sheets(sheets, out, fmt)  # type: ignore[arg-type]
        for path in written:
            console.print(f"wrote {path}", highlight=False)
        if len(written) < len(sheets):
            titles = "、".join(sheet.title for sheet in sheets)
            console.print(f"({len(sheets)} tables: {titles})", highlight=False)
        return
    for number, sheet in enumerate(answer.sheets()):
        if number and not sheet.rows:
            continue  # an empty detail table says nothing the summary does not
        table = Table(title=sheet.title, title_justify="left", show_lines=len(sheet.columns) > 4)
        for column in sheet.columns:
            table.add_column(column, overflow="fold")
        for row in sheet.rows:
            table.add_row(*(_text(cell) for cell in row))
        if not sheet.rows:
            table.caption = "(无)"
        console.print(table)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)
