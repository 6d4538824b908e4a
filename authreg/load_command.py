"""`authreg load` as the user sees it (加载命令): problems, a progress bar, outcomes, a summary."""

from __future__ import annotations

import getpass
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from neo4j.exceptions import TransientError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from authreg.driver import connected
from authreg.errors import DatabaseError, InputError, RegistryError
from authreg.settings import Settings
from loaders.load import LoadAudit, LoadPlan, plan_load, refresh_query_plans, write_plan
from loaders.rehearsal import graph_reader, rehearse
from loaders.report import LoadReport
from loaders.write import ROWS_SENT


def run_load(
    paths: list[Path],
    settings: Settings,
    console: Console,
    *,
    check: bool,
    report_file: Path | None,
    as_json: bool,
    overrides: dict,
    allow_mass_withdrawal: bool = False,
) -> int:
    """Validate everything and rehearse it against the graph, then (unless --check) write;
    returns the exit status: 0 loaded (warnings included), 2 errors. --check and load report
    the same errors for the same files. A RegistryError goes to the caller (the CLI prints its
    one line and exits 2); anything else is a bug, and ends the run with status 2 too, never
    with the interpreter's 1."""
    try:
        return _run_load(
            paths,
            settings,
            console,
            check=check,
            report_file=report_file,
            as_json=as_json,
            overrides=overrides,
            allow_mass_withdrawal=allow_mass_withdrawal,
        )
    except RegistryError:
        raise
    except Exception as exc:  # noqa: BLE001  the CLI's edge: a bug must not exit "loaded"
        console.print(
            f"[red]error[/]: the load stopped on an internal error ({type(exc).__name__}: "
            f"{escape(str(exc)[:300])}); files committed before it stay in the graph. This is a bug in "
            "authreg: please report it with the file that caused it",
            highlight=False,
            markup=True,
        )
        return 2


def _run_load(
    paths: list[Path],
    settings: Settings,
    console: Console,
    *,
    check: bool,
    report_file: Path | None,
    as_json: bool,
    overrides: dict,
    allow_mass_withdrawal: bool,
) -> int:
    report = LoadReport()
    started = time.perf_counter()
    with reading_progress(console) as reading:
        plan = plan_load(
            paths,
            report,
            need_metadata=not check,
            overrides=overrides,
            workers=settings.load_workers,
            progress=reading,
        )
    with console.status("checking against the graph what writing would refuse …"):
        _rehearse(plan, settings, report, check=check, allow=allow_mass_withdrawal)
    if not check and not report.errors:
        try:
            _write(plan, settings, console, report, allow_mass_withdrawal)
        except InputError as exc:  # what the rehearsal could not foresee (a concurrent writer)
            report.input_error(exc)  # printed and saved with the rest, not instead of them
    print_problems(report, console)
    if report_file is not None:
        report.save_csv(report_file)
    _print_summary(report, console, check, time.perf_counter() - started)
    if as_json:
        print(json.dumps(report.summary(), ensure_ascii=False))
    return report.exit_status()


def load_progress(console: Console) -> Progress:
    """Files and catalog rows written, each with its rate (a file counts when it commits:
    one file is one transaction)."""
    return Progress(
        TextColumn("{task.description:>12}"),
        BarColumn(),
        CountColumn(),
        TextColumn("{task.fields[unit]}"),
        RateColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def reading_progress(console: Console) -> Iterator[Callable[[int, int], None]]:
    """A bar of files read and validated, shown from the first file done: `plan_load` reports
    only after its forked workers have started, so no display thread exists when it forks."""
    bar = load_progress(console)
    task: list[TaskID] = []

    def read(done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("read", total=total, unit="files"))
        bar.update(task[0], completed=done)

    try:
        yield read
    finally:
        bar.stop()


class CountColumn(ProgressColumn):
    """done/total, or just done for a count with no total known in advance."""

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text(f"{task.completed:,.0f}")
        return Text(f"{task.completed:,.0f}/{task.total:,.0f}")


class RateColumn(ProgressColumn):
    """Items per second so far (rows/s, files/s), from rich's own speed estimate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s")


def print_problems(report: LoadReport, console: Console) -> None:
    """Every problem on one line: severity, file, sheet, row, column, value, message."""
    for problem in report.problems:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{style}]{problem.severity}[/]: {problem.line()}", highlight=False)


def _rehearse(
    plan: LoadPlan, settings: Settings, report: LoadReport, *, check: bool, allow: bool
) -> None:
    """Run the plan through `loaders.rehearsal` on the graph as it stands: every refusal writing
    would make becomes an error now. `--check` without a reachable Neo4j rehearses on an empty
    graph and says so (a warning): what depends on the graph was then not checked."""
    try:
        with (
            connected(settings) as driver,
            graph_reader(driver, settings.neo4j_database) as read,
        ):
            rehearse(plan, report, read, allow_mass_withdrawal=allow, warn=check)
    except DatabaseError as exc:
        if not check and not report.errors:
            raise
        report.warning(
            "(graph)",
            f"not checked against the graph ({exc}): names, catalog versions and delegations "
            "the graph holds were not looked at; `authreg load` checks them before writing",
        )
        rehearse(plan, report, None, allow_mass_withdrawal=allow, warn=check)


def _write(
    plan: LoadPlan,
    settings: Settings,
    console: Console,
    report: LoadReport,
    allow_mass_withdrawal: bool = False,
) -> None:
    rows = sum(len(c.rows) for c in plan.catalogs)
    total = len(plan.files())  # every kind of file: duty, discretion and staffing lists too
    with connected(settings, migrated=True) as driver:
        with load_progress(console) as bar:
            files = bar.add_task("files", total=total, unit="files")
            catalog_rows = bar.add_task("catalog rows", total=rows, unit="rows")
            # Inside a file's open transaction: the rows each UNWIND statement sends (items,
            # citations, delegations), so a large file shows it is moving before it commits.
            sent = bar.add_task("sent", total=None, unit="statement rows")
            started = time.perf_counter()

            def committed(_name: str, file_rows: int) -> None:
                bar.advance(files)
                bar.advance(catalog_rows, file_rows)

            watching = ROWS_SENT.set(lambda count: bar.advance(sent, count))
            try:
                outcomes = write_plan(
                    driver,
                    settings.neo4j_database,
                    plan,
                    progress=committed,
                    audit=cli_audit(),
                    allow_mass_withdrawal=allow_mass_withdrawal,
                )
            except TransientError as exc:
                if "MemoryPoolOutOfMemory" not in (exc.code or ""):
                    raise
                raise RegistryError(
                    "A file is too large for one transaction in this Neo4j's heap (one file "
                    "loads all or nothing); raise AUTHREG_LOCAL_HEAP (or the server's heap), or "
                    "split the file. Files loaded before it are in the graph; it and those "
                    "after it are not"
                ) from exc
            finally:
                ROWS_SENT.reset(watching)
            bar.update(files, completed=total)
            elapsed = time.perf_counter() - started
        for file, outcome in outcomes:
            console.print(f"[green]loaded[/] {file}: {outcome.describe()}", highlight=False)
            for warning in outcome.warnings:
                report.warning(file, warning)
        if rows:
            rate = rows / elapsed
            console.print(f"{rows} catalog rows in {elapsed:.2f} s ({rate:,.0f} rows/s)")
        with console.status("resampling index statistics for the query planner …"):
            problem = refresh_query_plans(driver, settings.neo4j_database)
    if problem:  # everything is loaded; the planner catches up by itself, later
        console.print(f"[yellow]warning[/]: {problem}", highlight=False)


def cli_audit() -> LoadAudit:
    """The audit trail's actor for a load from the command line: the operating-system user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid:{os.getuid()}"
    return LoadAudit(actor=user, source="cli")


def _print_summary(report: LoadReport, console: Console, check: bool, seconds: float) -> None:
    counts = report.summary()
    verb = "checked" if check else ("nothing written" if report.errors else "loaded")
    console.print(
        f"{verb}: {counts['files']} files, {counts['rows']} rows, {counts['errors']} errors, "
        f"{counts['warnings']} warnings; legal basis: {counts['basis_cells']} cells, "
        f"{counts['basis_parsed']} parsed, {counts['basis_partial']} partly, "
        f"{counts['basis_unparsed']} not ({seconds:.1f} s)",
        highlight=False,
    )
