"""Apply the schema (模式迁移): constraints and indexes from schema/constraints/, idempotently.

Each file is `NNN_name.cypher`; its number is a schema version. Every statement uses
`IF NOT EXISTS`, so running the migration twice changes nothing; the highest version applied
and a checksum of all files are recorded on a `SchemaMigration` node, so `/readyz` and
`authreg db status` can tell whether a graph is migrated to what this code expects.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver, ManagedTransaction

from authreg.driver import session as open_session
from queries.schema_version import schema_version

CONSTRAINTS_DIR = Path(__file__).resolve().parent / "constraints"
_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.cypher$")


@dataclass(frozen=True)
class MigrationFile:
    version: int
    path: Path
    statements: tuple[str, ...]


@dataclass(frozen=True)
class MigrationResult:
    version: int
    checksum: str
    statements: int
    previous_version: int | None


def migration_files(directory: Path = CONSTRAINTS_DIR) -> list[MigrationFile]:
    """The .cypher files in version order, each split into statements."""
    files = []
    for path in sorted(directory.glob("*.cypher")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: migration files are named NNN_snake_case.cypher")
        files.append(MigrationFile(int(match.group(1)), path, split_statements(path.read_text())))
    return files


def split_statements(text: str) -> tuple[str, ...]:
    """Statements end with `;` at a line's end; `//` lines are comments."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    parts = re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE)
    return tuple(part.strip() for part in parts if part.strip())


def expected_version(directory: Path = CONSTRAINTS_DIR) -> tuple[int, str]:
    """(version, checksum) this code's schema files define."""
    files = migration_files(directory)
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.path.name.encode())
        digest.update(file.path.read_bytes())
    return (files[-1].version if files else 0), digest.hexdigest()


def migrate(driver: Driver, database: str) -> MigrationResult:
    """Apply every statement (idempotent) and record the version applied."""
    version, checksum = expected_version()
    previous = applied_version(driver, database)
    count = 0
    with open_session(driver, database) as session:
        for file in migration_files():
            for statement in file.statements:
                # Schema commands run in their own transaction; IF NOT EXISTS makes retries safe.
                session.execute_write(_run_statement, statement)
                count += 1
        session.execute_write(_record_version, version, checksum)
    return MigrationResult(version, checksum, count, previous[0] if previous else None)


def applied_version(driver: Driver, database: str) -> tuple[int, str] | None:
    """The highest (version, checksum) recorded in the graph, or None if never migrated."""
    with open_session(driver, database) as session:
        found = session.execute_read(schema_version)
    return (found.version, found.checksum) if found else None


def _run_statement(tx: ManagedTransaction, statement: str) -> None:
    tx.run(statement).consume()


def _record_version(tx: ManagedTransaction, version: int, checksum: str) -> None:
    tx.run(
        "MERGE (m:SchemaMigration {version: $version}) "
        "SET m.checksum = $checksum, m.applied_at = $appliedAt",
        version=version,
        checksum=checksum,
        appliedAt=datetime.now(UTC),
    ).consume()
