"""The registry's error family (错误): every failure a user can act on is a RegistryError."""

from __future__ import annotations

from pathlib import Path


class RegistryError(Exception):
    """A failure with one clear sentence for the user: what is wrong and what to do."""


class ConfigError(RegistryError):
    """Settings that cannot work (a password too short, a port out of range)."""


class LocalNeo4jError(RegistryError):
    """The local Neo4j could not be built, started, reached or stopped."""


class ClassArchiveSkipped(LocalNeo4jError):
    """No class-data archive was recorded (starts work without one, only slower)."""


class DatabaseError(RegistryError):
    """A configured Neo4j (local or remote) cannot be reached or refuses us."""


class InputError(RegistryError):
    """Bad input in a file, named as the user sees it in a spreadsheet."""

    def __init__(
        self,
        file: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.file, self.row, self.column, self.sheet = Path(file), row, column, sheet
        self.problem = problem
        where = [Path(file).name]
        if sheet:
            where.append(f"sheet 「{sheet}」")
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column 「{column}」")
        super().__init__(f"{', '.join(where)}: {problem}")


class RecordError(RegistryError):
    """A record someone asked to write (a dispute decision, a case) that cannot be written."""
