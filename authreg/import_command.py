"""`authreg db import` (首次批量导入): the first load of an empty local database, in bulk.

The same validation as `authreg load`, the same decisions per catalog version (made in memory by
`loaders.bulk_graph.BulkGraph`), then CSV files and `neo4j-admin database import`, then the
schema. The result is the graph `authreg load` would have written (tests compare the two);
only much faster, because the import writes the store directly instead of transactions.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rich.console import Console

from authreg.driver import connected, local_neo4j
from authreg.errors import RegistryError
from authreg.load_command import cli_audit, load_progress, print_problems, reading_progress
from authreg.settings import Settings
from loaders.admin_import import ImportAudit, ImportFiles, finish_import, write_import_files
from loaders.bulk_load import build_graph
from loaders.load import FileOutcome, LoadPlan, plan_load
from loaders.report import LoadReport
from queries.dump import node_count
from schema.graph_rows import SCHEMA_STATE, GraphRows

T = TypeVar("T")


@dataclass
class ImportOptions:
    replace: bool = False  # replace a graph that holds data
    csv_only: Path | None = None  # write the import files here and stop (for a remote server)
    heap: str = "2g"  # the import tool's -Xmx
    off_heap: str = "2g"  # its --max-off-heap-memory
    overrides: dict = field(default_factory=dict)


def run_import(
    paths: list[Path],
    settings: Settings,
    console: Console,
    options: ImportOptions,
    times: dict[str, float] | None = None,
) -> int:
    """Validate, build, write CSV, import, apply the schema; returns the exit status. Each
    step's seconds go into `times` when given (bench/load_benchmark.py reads them)."""
    if options.csv_only is None and not settings.uses_local_neo4j:
        raise RegistryError(
            "authreg db import replaces the LOCAL Neo4j's store; for a server, write the files "
            "with --csv-only DIR and run neo4j-admin database import there (see README)"
        )
    times = {} if times is None else times
    report = LoadReport()
    started = time.perf_counter()
    with reading_progress(console) as reading:
        plan = plan_load(
            paths,
            report,
            need_metadata=True,
            overrides=options.overrides,
            workers=settings.load_workers,
            progress=reading,
        )
    times["read and validate"] = time.perf_counter() - started
    if report.errors:
        print_problems(report, console)
        console.print(f"nothing imported: {len(report.errors)} errors", highlight=False)
        return 2
    if options.csv_only is not None:
        files = _prepare(plan, options.csv_only, times, console, report, settings.load_workers)
        print_problems(report, console)
        console.print("neo4j-admin database import full arguments:\n" + " ".join(files.args))
        _print_times(times, files, console)
        return 0
    _refuse_a_graph_with_data(settings, options.replace)
    manifest = plan.manifest()  # before building: the build lets the catalogs go as it goes
    with tempfile.TemporaryDirectory(prefix="authreg-import-") as folder:
        files = _prepare(plan, Path(folder), times, console, report, settings.load_workers)
        _import(settings, files, options, times, console, _audit(manifest, files))
    print_problems(report, console)
    _print_times(times, files, console)
    return 0


def _prepare(
    plan: LoadPlan,
    folder: Path,
    times: dict[str, float],
    console: Console,
    report: LoadReport,
    workers: int,
) -> ImportFiles:
    """Decide the graph in memory and write it as CSV; the graph is let go on return."""
    graph = _timed(times, "decide (in memory)", lambda: _build(plan, console, report))
    return _timed(times, "write CSV", lambda: write_import_files(graph, folder, workers))


def _build(plan: LoadPlan, console: Console, report: LoadReport) -> GraphRows:
    total = len(plan.files())  # every kind of file, staffing included
    with load_progress(console) as bar:
        task = bar.add_task("deciding", total=total, unit="files")

        def done(name: str, outcome: FileOutcome) -> None:
            bar.advance(task)
            for warning in outcome.warnings:
                report.warning(name, warning)

        return build_graph(plan, done)


def _refuse_a_graph_with_data(settings: Settings, replace: bool) -> None:
    local = local_neo4j(settings)
    if (
        replace
        or not (settings.local_home / "data" / "databases" / settings.neo4j_database).exists()
    ):
        return
    local.start()
    with connected(settings) as driver, driver.session(database=settings.neo4j_database) as s:
        nodes = s.execute_read(node_count, SCHEMA_STATE)  # an audit trail alone is data too
    if nodes:
        raise RegistryError(
            f"the local graph holds {nodes:,} nodes; a bulk import replaces the whole store. "
            "Use `authreg load` to add to it, or pass --replace to throw it away"
        )


def _audit(manifest: dict, files: ImportFiles) -> ImportAudit:
    """The whole import's audit entry: who, how many files (LoadPlan.manifest: one checksum
    over them all), what the store holds."""
    detail = {**manifest, "nodes": files.nodes, "relationships": files.relationships}
    return ImportAudit(cli_audit().actor, detail)


def _import(
    settings: Settings,
    files: ImportFiles,
    options: ImportOptions,
    times: dict[str, float],
    console: Console,
    audit: ImportAudit,
) -> None:
    local = local_neo4j(settings)
    with console.status("neo4j-admin database import …"):
        local.stop()
        _timed(
            times,
            "neo4j-admin import",
            lambda: local.admin_import(files.args, heap=options.heap, off_heap=options.off_heap),
        )
    with console.status("starting Neo4j, building the schema and its indexes …"):
        _timed(times, "start Neo4j", local.start)
        with connected(settings) as driver:
            done = _timed(
                times,
                "schema, indexes, empty lists",
                lambda: finish_import(driver, settings.neo4j_database, files, audit),
            )
    console.print(
        f"[green]imported[/] {files.nodes:,} nodes and {files.relationships:,} relationships; "
        f"schema version {done['schema_version']}; Neo4j left running at {local.port}",
        highlight=False,
    )
    if done["statistics_problem"]:
        console.print(f"[yellow]warning[/]: {done['statistics_problem']}", highlight=False)


def _timed(times: dict[str, float], step: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    try:
        return work()
    finally:
        times[step] = time.perf_counter() - started


def _print_times(times: dict[str, float], files: ImportFiles, console: Console) -> None:
    total = sum(times.values())
    entities = files.nodes + files.relationships
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in times.items())
    console.print(
        f"{entities:,} entities in {total:.1f} s ({entities / max(total, 1e-9):,.0f}/s): {steps}",
        highlight=False,
    )
