"""The graph as neo4j-admin import files (批量导入文件), and the import itself.

`write_import_files` writes one CSV per label and per relationship group, with typed headers
(`valid_from:date`, `aliases:string[]`), and returns the import tool's arguments;
`LocalNeo4j.admin_import` runs `neo4j-admin database import full` (org.neo4j.cli.AdminTool from
the local Neo4j's jars) on them. The tool writes a store directly — no transactions, no schema —
so `finish_import` then applies the schema (constraints and indexes), waits for the indexes,
and sets what CSV cannot carry: empty lists (an empty array cell imports as no property) and
text holding line breaks (the import's multi-line parser failed on a 1,000-county graph with
"found CR outside a text cell" at a buffer's edge, though no value held a CR: so the CSV carries
such text on one line and the exact value is set afterwards, and no file is parsed multi-line).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from neo4j import Driver, ManagedTransaction

from authreg.driver import session as open_session
from loaders import write
from loaders.load import LOAD_ACTIONS, refresh_query_plans
from loaders.workers import fork_pool
from schema.graph_rows import KEYS, GraphRows
from schema.migrate import migrate

INDEX_WAIT_S = 3600  # indexes built on an imported national store, then resampled
CSV_TYPES = (  # Python value → import type (bool before int: bool is an int; datetime is a date)
    (bool, "boolean"),
    (int, "long"),
    (float, "double"),
    (str, "string"),
)


class ImportFileError(ValueError):
    """The graph holds a value no CSV column can carry (several types in one property)."""


@dataclass(frozen=True)
class ImportFiles:
    """What `write_import_files` wrote: the import tool's arguments, and what `finish_import`
    needs afterwards — so the graph itself can be let go before the import runs."""

    args: list[str]
    nodes: int
    relationships: int
    after_import: tuple[dict, dict]  # see `not_carried_values`: set after the import


def write_import_files(graph: GraphRows, folder: Path, workers: int = 1) -> ImportFiles:
    """One CSV per label and relationship group in `folder`; with `workers` > 1 (and fork),
    the files are shared out among that many forked processes (the same bytes: tests compare)."""
    folder.mkdir(parents=True, exist_ok=True)
    array_delimiter = unused_delimiter(graph)
    jobs = [
        *(("nodes", label) for label in sorted(graph.nodes)),
        *(("rels", g) for g in sorted(graph.rels)),
    ]
    _write_all(graph, jobs, folder, array_delimiter, workers)
    args = [f"--nodes={label}={_file(folder, 'nodes', label)}" for label in sorted(graph.nodes)]
    args += [f"--relationships={g[0]}={_file(folder, 'rels', g)}" for g in sorted(graph.rels)]
    # Last, a one-value option: --nodes/--relationships take several files each, so one of
    # them last would take the database name that follows the arguments for a file too.
    args.append(f"--array-delimiter={array_delimiter}")
    return ImportFiles(args, graph.node_count, graph.rel_count, not_carried_values(graph))


Job = tuple[str, Any]  # ("nodes", label) or ("rels", (type, start label, end label))


def _file(folder: Path, kind: str, what: Any) -> Path:
    if kind == "nodes":
        return folder / f"nodes-{what}.csv"
    rel, start, end = what
    return folder / f"rels-{rel}-{start}-{end}.csv"


def _write_all(
    graph: GraphRows, jobs: list[Job], folder: Path, delimiter: str, workers: int
) -> None:
    """Every job's file; in forked workers when asked. A worker is a copy of this process, so it
    finds the graph in `_FORKED` and nothing but the job names and file paths is pickled."""
    global _FORKED
    pool = fork_pool(workers, len(jobs))
    if pool is None:
        _write_jobs(graph, jobs, folder, delimiter)
        return
    shares: list[list[Job]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for job in sorted(jobs, key=lambda job: -len(_rows(graph, job))):  # largest first
        least = sizes.index(min(sizes))
        shares[least].append(job)
        sizes[least] += len(_rows(graph, job))
    _FORKED = graph
    try:
        with pool:
            done = [pool.submit(_write_forked, share, folder, delimiter) for share in shares]
            for future in done:
                future.result()  # a worker's ImportFileError is raised here
    finally:
        _FORKED = None


_FORKED: GraphRows | None = None


def _write_forked(jobs: list[Job], folder: Path, delimiter: str) -> None:
    if _FORKED is None:
        raise RuntimeError("_write_forked runs only in a worker forked by _write_all")
    _write_jobs(_FORKED, jobs, folder, delimiter)


def _rows(graph: GraphRows, job: Job) -> list:
    kind, what = job
    return graph.nodes[what] if kind == "nodes" else graph.rels[what]


def _write_jobs(graph: GraphRows, jobs: list[Job], folder: Path, delimiter: str) -> None:
    for kind, what in jobs:
        rows = _rows(graph, (kind, what))
        if kind == "nodes":
            key = KEYS[what]
            columns = column_types(rows, skip={key})
            header = [f"{key}:ID({what})", *(typed(name, t) for name, t in columns.items())]
            lines = ([k, *(props.get(name) for name in columns)] for k, props in rows)
        else:
            _, start, end = what
            columns = column_types(rows, skip=set())
            header = [f":START_ID({start})", f":END_ID({end})"]
            header += [typed(name, t) for name, t in columns.items()]
            lines = ([a, b, *(props.get(n) for n in columns)] for a, b, props in rows)
        write_csv(_file(folder, kind, what), header, lines, delimiter)


def finish_import(
    driver: Driver, database: str, files: ImportFiles, audit: ImportAudit | None = None
) -> dict[str, Any]:
    """On the imported store, served: the schema, its indexes online, the values the CSV could not
    carry, the write counter (with `audit`, the import's AuditEntry in the same transaction), and
    index statistics resampled for the planner."""
    result = migrate(driver, database)
    with open_session(driver, database) as session:
        write.await_indexes(session, INDEX_WAIT_S)
        nodes, rels = files.after_import
        for label, rows in nodes.items():
            session.execute_write(write.set_node_properties, label, rows)
        for group, rows in rels.items():
            session.execute_write(write.set_rel_properties, group, rows)
        if audit is not None:  # the import's audit entry, made when written, with the counter
            session.execute_write(write.bumping(_record_import), audit, database)
        else:
            session.execute_write(write.bump_generation)  # a new graph: API caches must not survive
    statistics = refresh_query_plans(driver, database, INDEX_WAIT_S)  # plans for this graph
    return {
        "statistics_problem": statistics,
        "schema_version": result.version,
        "set_after_import_on_nodes": sum(len(r) for r in nodes.values()),
        "set_after_import_on_relationships": sum(len(r) for r in rels.values()),
    }


class ImportAudit(NamedTuple):
    """Who imported, and what (LoadPlan.manifest and the counts): the AuditEntry is made when
    `finish_import` writes it, so its time is that of the write."""

    actor: str
    detail: dict[str, Any]


def _record_import(tx: ManagedTransaction, audit: ImportAudit, database: str) -> str:
    action = LOAD_ACTIONS["import"]
    entry = write.audit_entry(audit.actor, None, action, "cli:db import", database, audit.detail)
    return write.create_audit_entry(tx, entry)


def not_carried(value: Any) -> bool:
    """A value the CSV cannot carry as it is: an empty list, or text with a line break."""
    if isinstance(value, list):
        return not value or any(_broken(v) for v in value)
    return _broken(value)


def _broken(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value or "\r" in value)


def one_line(text: str) -> str:
    """The CSV's stand-in for text with line breaks (its exact value is set after the import)."""
    return text.replace("\r", " ").replace("\n", " ")


def not_carried_values(graph: GraphRows) -> tuple[dict, dict]:
    """Rows ({key, props} / {a, b, props}) holding only the properties the CSV cannot carry
    (`not_carried`), with their exact values, to set after the import."""
    nodes: dict[str, list] = defaultdict(list)
    rels: dict[tuple, list] = defaultdict(list)
    for label, rows in graph.nodes.items():
        for key, props in rows:
            empty = {k: v for k, v in props.items() if not_carried(v)}
            if empty:
                nodes[label].append({"key": key, "props": empty})
    for group, rows in graph.rels.items():
        for a, b, props in rows:
            empty = {k: v for k, v in props.items() if not_carried(v)}
            if empty:
                rels[group].append({"a": a, "b": b, "props": empty})
    return nodes, rels


def column_types(rows: list[tuple], skip: set[str]) -> dict[str, str]:
    """Each property's import type over all rows; lists become `type[]` (empty lists: string[])."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for name, value in row[-1].items():
            if name in skip:
                continue
            values = value if isinstance(value, list) else [value]
            suffix = "[]" if isinstance(value, list) else ""
            kinds[name].update(csv_type(v) + suffix for v in values)
            if isinstance(value, list) and not value:
                kinds[name].add("")  # says "a list", element type from the other rows
    chosen = {}
    for name, found in sorted(kinds.items()):
        found.discard("")
        if len(found) > 1:
            raise ImportFileError(f"property {name!r} has several types {sorted(found)}")
        chosen[name] = found.pop() if found else "string[]"
    return chosen


def csv_type(value: Any) -> str:
    value = native(value)
    if isinstance(value, datetime):
        return "datetime" if value.tzinfo is not None else "localdatetime"
    if isinstance(value, date):
        return "date"
    for python_type, name in CSV_TYPES:
        if isinstance(value, python_type):
            return name
    raise ImportFileError(f"no neo4j-admin import type for {type(value).__name__} ({value!r})")


def native(value: Any) -> Any:
    """Python's own value for a neo4j.time one (graphs read back from Neo4j hold those)."""
    return value.to_native() if hasattr(value, "to_native") else value


def typed(name: str, kind: str) -> str:
    return name if kind == "string" else f"{name}:{kind}"


def write_csv(path: Path, header: list[str], lines: Iterator[list[Any]], array: str) -> None:
    """RFC 4180 quoting written out: strings quoted, "" doubled; None empty (no property);
    one line per row (`one_line`)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for line in lines:
            out.write(",".join(csv_cell(value, array) for value in line) + "\n")


def csv_cell(value: Any, array: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return quoted(array.join(one_line(csv_text(v)) for v in value))
    if isinstance(value, str):
        return quoted(one_line(value))
    return csv_text(value)


def csv_text(value: Any) -> str:
    value = native(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def unused_delimiter(graph: GraphRows) -> str:
    """An array delimiter no list element contains."""
    groups = [*graph.nodes.values(), *graph.rels.values()]
    elements = {
        v
        for rows in groups
        for row in rows
        for value in row[-1].values()
        if isinstance(value, list)
        for v in value
        if isinstance(v, str)
    }
    for candidate in (";", "|", "\u001f"):
        if not any(candidate in element for element in elements):
            return candidate if candidate != "\u001f" else "U+001F"
    raise ImportFileError("every candidate array delimiter occurs inside a list element")
