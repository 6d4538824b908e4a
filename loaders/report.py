"""The load report (加载报告): every problem with file, sheet, row, column, value; and the counts."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from authreg.errors import InputError
from authreg.formula_cells import safe_text

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    severity: Severity
    message: str
    suggestion: str | None = None

    def line(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet 「{self.sheet}」")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column 「{self.column}」")
        text = f"{', '.join(where)}: {self.message}"
        if self.value:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += f" (value {shown!r})"
        return text + (f"; {self.suggestion}" if self.suggestion else "")


@dataclass
class LoadReport:
    """Problems and counts for one `authreg load` run (all files)."""

    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def error(self, file: Path | str, message: str, **where: Any) -> None:
        self._add("error", file, message, **where)

    def warning(self, file: Path | str, message: str, **where: Any) -> None:
        self._add("warning", file, message, **where)

    def input_error(self, exc: InputError) -> None:
        self._add("error", exc.file, exc.problem, row=exc.row, column=exc.column, sheet=exc.sheet)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def errors_in(self, file: Path) -> list[Problem]:
        return [p for p in self.errors if p.file == file.name]

    def exit_status(self) -> int:
        """2 with errors (nothing may be written), else 0: a warning is a row that loads, printed
        and counted (`--json` gives the count); `load` and `load --check` exit alike."""
        return 2 if self.errors else 0

    def summary(self) -> dict[str, int]:
        keys = ("files", "rows", "basis_cells", "basis_parsed", "basis_partial", "basis_unparsed")
        return {
            **{key: self.counts[key] for key in keys},
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def save_csv(self, path: Path) -> None:
        """The problems as CSV for Excel and WPS: a cell that would run as a formula (a
        catalog's `=cmd|…` quoted in a value or message) is written as text."""
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel/WPS
            writer = csv.DictWriter(handle, fieldnames=list(Problem.__dataclass_fields__))
            writer.writeheader()
            for problem in self.problems:
                writer.writerow(
                    {
                        k: safe_text(v) if isinstance(v, str) else v
                        for k, v in asdict(problem).items()
                    }
                )

    def _add(
        self,
        severity: Severity,
        file: Path | str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(Path(file).name, sheet, row, column, value, severity, message, suggestion)
        )
