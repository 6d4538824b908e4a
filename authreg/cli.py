"""The `authreg` command line (命令行): local Neo4j, migrations, loading, queries, API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from authreg.consoles import err, out
from authreg.errors import RegistryError
from authreg.query_commands import NOT_FOUND_EXIT, dispute_app, query_app, report_app

if TYPE_CHECKING:
    from rich.table import Table

    from authreg.settings import Settings

# Start-up is kept light (issue 16): `--help` imports only typer and rich. Each command imports
# what it needs (neo4j, pydantic settings, openpyxl, uvicorn …) in its own body.

app = typer.Typer(
    help="Enforcement authority registry (综合行政执法事项登记): who may enforce which power, "
    "where, since when, on what legal basis.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(
    help="Run the local Neo4j (本地数据库) built from Maven Central jars.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(db_app, name="db")
app.add_typer(query_app, name="query")
app.add_typer(report_app, name="report")
app.add_typer(dispute_app, name="dispute")


def main() -> None:
    """Console entry point: a user's mistake prints one line and exits non-zero, no traceback."""
    try:
        app()
    except RegistryError as exc:
        from queries.lookups import NotFound

        missing = isinstance(exc, NotFound)
        label = "not found" if missing else "error"
        err().print(f"[bold red]{label}:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(NOT_FOUND_EXIT if missing else 2)
    except KeyboardInterrupt:
        err().print("interrupted")
        sys.exit(130)


@db_app.command("start")
def db_start() -> bool:
    """Start the local Neo4j in the background (building it with Maven the first time)."""
    from authreg.driver import local_neo4j
    from authreg.local_db import build_jars

    settings = _local_settings()
    with out().status("Starting the local Neo4j (the first start downloads its jars with Maven)…"):
        build_jars()
        state, started_now = local_neo4j(settings).start()
    verb = "started" if started_now else "already running"
    out().print(f"Neo4j {verb}: {state.uri} (pid {state.pid}), data in {settings.local_home}")
    return started_now


@db_app.command("build")
def db_build() -> None:
    """Fetch the local Neo4j's jars from Maven Central (only when the pom changed) and record
    a class-data archive that makes each start cheaper (once per JDK)."""
    from authreg.errors import ClassArchiveSkipped
    from authreg.local_db import build_class_archive, build_jars

    with out().status("Fetching Neo4j's jars with Maven (cached after the first time)…"):
        lib = build_jars()
    out().print(f"Local Neo4j jars ready in {lib} ({len(list(lib.glob('*.jar')))} jars).")
    try:
        with out().status(
            "Recording the classes a start loads (class-data sharing, once per JDK)…"
        ):
            archive = build_class_archive()
    except ClassArchiveSkipped as exc:  # the jars are ready: a missing archive only costs time
        out().print(
            f"No class-data archive ({exc}): starts work, slower; `authreg db build` tries again.",
            highlight=False,
        )
        return
    if archive is None:
        out().print(
            "No class-data archive (no Java on PATH, or the JVM wrote none): starts work, slower."
        )
    else:
        out().print(
            f"Class-data archive ready: {archive.name} (starts map it instead of reading the jars)."
        )


@db_app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j that `db start` started (a clean shutdown)."""
    from authreg.driver import local_neo4j

    settings = _local_settings()
    stopped = local_neo4j(settings).stop()
    if stopped is None:
        out().print("The local Neo4j is not running.")
    else:
        out().print(f"Neo4j stopped (pid {stopped.pid}).")


@db_app.command("import")
def db_import(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Everything to load, as for `authreg load`: files or folders."),
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Import the bundled sample data.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Throw away a local graph that already holds data."),
    ] = False,
    csv_only: Annotated[
        Path | None,
        typer.Option(
            "--csv-only",
            help="Only write the import CSV files into this folder and print the neo4j-admin "
            "arguments (to import on a server); no database touched.",
        ),
    ] = None,
    import_heap: Annotated[str, typer.Option(help="The import tool's Java heap.")] = "2g",
    import_memory: Annotated[
        str, typer.Option(help="The import tool's off-heap memory (--max-off-heap-memory).")
    ] = "2g",
) -> None:
    """First load of an EMPTY local database in bulk (neo4j-admin import): the same validation
    and the same graph as `authreg load`, built in memory and written as a store directly."""
    from authreg.import_command import ImportOptions, run_import

    settings = _local_settings() if csv_only is None else load_settings()
    paths = list(files or []) + ([settings.sample_dir] if sample else [])
    if not paths:
        raise RegistryError("Name at least one file or folder to import, or pass --sample")
    options = ImportOptions(
        replace=replace, csv_only=csv_only, heap=import_heap, off_heap=import_memory
    )
    raise typer.Exit(run_import(paths, settings, out(), options))


@db_app.command("status")
def db_status() -> None:
    """Say whether the configured Neo4j answers, and which schema version it holds."""
    from rich.table import Table

    from authreg.driver import bolt_uri, local_neo4j
    from authreg.local_db import process_rss_bytes

    settings = load_settings()
    table = Table(show_header=False, box=None)
    if settings.uses_local_neo4j:
        state = local_neo4j(settings).running()
        if state is None:
            out().print(
                f"The local Neo4j is not running (data in {settings.local_home}); "
                "start it with `authreg db start`."
            )
            raise typer.Exit(3)
        rss = process_rss_bytes(state.pid) or 0
        table.add_row("process", f"pid {state.pid}, {rss / 2**20:.0f} MiB resident")
        table.add_row("data", str(settings.local_home))
    table.add_row("uri", bolt_uri(settings))
    _add_graph_rows(table, settings)
    out().print(table)


@app.command("migrate")
def migrate_command() -> None:
    """Apply the graph schema (constraints and indexes); running it again changes nothing."""
    from authreg.driver import connected
    from schema.migrate import migrate

    settings = load_settings()
    with connected(settings) as driver:
        result = migrate(driver, settings.neo4j_database)
    before = "none" if result.previous_version is None else str(result.previous_version)
    out().print(
        f"Schema at version {result.version} ({result.statements} statements applied "
        f"idempotently; version before: {before})."
    )


@app.command("load")
def load(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalogs (.csv/.xlsx), law texts (.md), "
            "organisation or case data (.yaml), or folders."
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Validate only, against the graph as it stands (read, never written; without "
            "a database, against none, said in a warning): every problem load would stop on.",
        ),
    ] = False,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", help="Save the problems as CSV (file, sheet, row, column, …)."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="End with the summary as one JSON object on the last line."),
    ] = False,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample", help="Load the bundled sample data (illustrative, not an official catalog)."
        ),
    ] = False,
    effective: Annotated[
        str | None,
        typer.Option(help="Catalog effective date YYYY-MM-DD (overrides the .meta.yaml)."),
    ] = None,
    series: Annotated[str | None, typer.Option(help="Catalog series (versions share one).")] = None,
    region: Annotated[str | None, typer.Option(help="Issuing region code (GB/T 2260).")] = None,
    streets: Annotated[
        str | None,
        typer.Option(
            help="Streets a county list applies to: all, "
            "column, or names/codes separated by commas."
        ),
    ] = None,
    allow_mass_withdrawal: Annotated[
        bool,
        typer.Option(
            "--allow-mass-withdrawal",
            help="Let a new catalog version end more than half of what its series holds in "
            "force (refused without it: a bad export would strip the streets of their powers).",
        ),
    ] = False,
) -> None:
    """Validate files, then load each into the graph in one transaction (all or nothing)."""
    from authreg.load_command import run_load

    settings = load_settings()
    paths = list(files or []) + ([settings.sample_dir] if sample else [])
    if not paths:
        raise RegistryError("Name at least one file or folder to load, or pass --sample")
    overrides = {
        "effective": effective,
        "series": series,
        "region": region,
        "streets": _streets_option(streets),
    }
    status = run_load(
        paths,
        settings,
        out(),
        check=check,
        report_file=report_file,
        as_json=as_json,
        overrides=overrides,
        allow_mass_withdrawal=allow_mass_withdrawal,
    )
    raise typer.Exit(status)


def _streets_option(value: str | None) -> str | list[str] | None:
    if value is None or value in {"all", "column"}:
        return value
    return [part.strip() for part in value.split(",") if part.strip()]


@app.command("synth")
def synth(
    out_dir: Annotated[
        Path, typer.Option("--out", help="New or empty folder to write the dataset into.")
    ],
    counties: Annotated[
        int, typer.Option(help="Number of counties (区县), each in its own folder.")
    ] = 2,
    streets_per_county: Annotated[
        int, typer.Option(help="Streets and towns (街道/乡镇) per county, in zones of 2–6.")
    ] = 14,
    items: Annotated[
        int, typer.Option(help="Items per catalog version of each county (事项数).")
    ] = 120,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed writes the same bytes.")
    ] = 7,
    notice_shapes: Annotated[
        bool,
        typer.Option(
            "--notice-shapes",
            help="Also write notices as published (收回 by department, 赋权 by domain, N days "
            "after issue, per-town dates with an attachment, a replacing list), after the "
            "check day.",
        ),
    ] = False,
) -> None:
    """Write a synthetic dataset (合成数据: invented counties, catalogs, laws, cases) for `load`."""
    from synthetic.command import run_synth

    run_synth(
        out_dir,
        counties=counties,
        streets_per_county=streets_per_county,
        items=items,
        seed=seed,
        console=out(),
        notice_shapes=notice_shapes,
    )


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (one per core pays: the API is CPU-bound).")
    ] = 1,
) -> None:
    """Serve the GraphQL API (/graphql with GraphiQL), /healthz and /readyz until interrupted."""
    if workers == 1:
        _serve(load_settings(), host, port)
        return
    from graphql_api.serving import serve_workers

    load_settings()  # a wrong setting stops here, not in every worker
    serve_workers(host, port, workers, announce=lambda line: out().print(line, highlight=False))


DEMO_PORT = 8000
DEMO_PORTS_TRIED = 20  # 8000 … 8019: the first free one, when --port is not given


@app.command("demo")
def demo(
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="End by serving the API (Ctrl-C stops it).")
    ] = True,
    host: Annotated[str, typer.Option(help="Interface the API listens on.")] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(
            help=f"TCP port the API listens on (default {DEMO_PORT}, or the next free one; "
            "`make demo PORT=…`). A port given and taken is refused.",
        ),
    ] = None,
    keep_running: Annotated[
        bool | None,
        typer.Option(
            "--keep-running/--stop-neo4j",
            help="Leave the local Neo4j this demo started running when it ends (default: stop "
            "it on Ctrl-C when serving; keep it with --no-serve). One already running before "
            "the demo is always left running.",
        ),
    ] = None,
) -> None:
    """Set up everything here: start the local Neo4j, migrate, load the sample, serve the API."""
    from authreg.load_command import run_load

    settings = load_settings()
    api_port = demo_port(host, port) if serve_api else DEMO_PORT  # refused before any work
    keep = (not serve_api) if keep_running is None else keep_running
    started_now = db_start() if settings.uses_local_neo4j else False
    try:
        migrate_command()
        status = run_load(
            [settings.sample_dir],
            settings,
            out(),
            check=False,
            report_file=None,
            as_json=False,
            overrides={},
        )
        if status:
            raise typer.Exit(status)
        db_status()
        if serve_api:
            settings, demo_key = _with_demo_key(settings)
            _serve(settings, host, api_port, announce=True, demo_key=demo_key)
    finally:
        if settings.uses_local_neo4j:
            _leave_neo4j(started_now=started_now, keep=keep)


def demo_port(host: str, asked: int | None) -> int:
    """The port to serve the demo on: the one asked for if free (else a sentence saying so), or
    the first free one from 8000, said when it is not 8000."""
    if asked is not None:
        if not _port_free(host, asked):
            free = _first_free(host, asked + 1)
            hint = f"; {free} is free" if free else ""
            raise RegistryError(
                f"port {asked} on {host} is taken by another program: choose another with "
                f"`authreg demo --port P` (or `make demo PORT=P`){hint}"
            )
        return asked
    free = _first_free(host, DEMO_PORT)
    if free is None:
        last = DEMO_PORT + DEMO_PORTS_TRIED - 1
        raise RegistryError(
            f"ports {DEMO_PORT}–{last} on {host} are all taken: choose one with "
            "`authreg demo --port P` (or `make demo PORT=P`)"
        )
    if free != DEMO_PORT:
        out().print(
            f"Port {DEMO_PORT} on {host} is taken, so the API will listen on {free} "
            "(choose with `authreg demo --port P` or `make demo PORT=P`)."
        )
    return free


def _first_free(host: str, start: int) -> int | None:
    ports = range(start, min(start + DEMO_PORTS_TRIED, 65536))
    return next((candidate for candidate in ports if _port_free(host, candidate)), None)


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As uvicorn binds: SO_REUSEADDR, so a port in TIME_WAIT counts as free, a listener not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _leave_neo4j(*, started_now: bool, keep: bool) -> None:
    """Stop the local Neo4j this demo started, or say that it runs and how to stop it."""
    from authreg.driver import local_neo4j
    from authreg.local_db import process_rss_bytes

    local = local_neo4j(load_settings())
    if started_now and not keep:
        stopped = local.stop()
        if stopped is not None:
            out().print(
                f"Stopped the local Neo4j this demo started (pid {stopped.pid}); "
                "`authreg demo --keep-running` leaves it running."
            )
        return
    state = local.running()
    if state is None:
        return
    rss = (process_rss_bytes(state.pid) or 0) / 2**30
    out().print(
        f"The local Neo4j keeps running (pid {state.pid}, {rss:.1f} GiB resident, {state.uri}): "
        "stop it with `authreg db stop` (`make clean-local` also deletes its data)."
    )


def _with_demo_key(settings: Settings) -> tuple[Settings, str | None]:
    """Settings with a fresh admin key for this demo run, unless keys are configured already."""
    import secrets

    from authreg.settings import ApiKey

    if settings.api_keys:
        return settings, None
    key = secrets.token_urlsafe(24)
    demo_key = ApiKey(name="demo", role="admin", key=key)
    return settings.model_copy(update={"api_keys": [demo_key]}), key


def _serve(
    settings: Settings,
    host: str,
    port: int,
    *,
    announce: bool = False,
    demo_key: str | None = None,
    workers: int = 1,
) -> None:
    import uvicorn

    from graphql_api.app import EXAMPLE_QUERY, GRAPHQL_PATH, create_app

    if announce:
        from desk.session import desk_link  # the desk first: signed in as this run's admin

        out().print(f"办事台 (desk): {desk_link(settings, demo_key, host, port)}", markup=False)
        url = f"http://{host}:{port}{GRAPHQL_PATH}"
        key = demo_key or "one of the keys in AUTHREG_API_KEYS"
        out().print(f"[bold]GraphQL API[/bold] at {url} — open it in a browser for GraphiQL.")
        out().print(f'Headers: {{"X-API-Key": "{key}"}}  (this run\'s admin key; loopback only)')
        out().print("Try this query (paste it into GraphiQL):")
        out().print(EXAMPLE_QUERY, markup=False, highlight=False)
    # access_log off: graphql_api.request_log writes one JSON line per request with its id
    options = {"host": host, "port": port, "log_level": "info", "access_log": False}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Each worker process builds the app from the environment (settings are read, never pickled).
    uvicorn.run("graphql_api.app:create_app", factory=True, workers=workers, **options)


def load_settings() -> Settings:
    """The settings (imported here, not at start-up: pydantic-settings costs a tenth of a second)."""
    from authreg.settings import load_settings as load

    return load()


def _local_settings() -> Settings:
    settings = load_settings()
    if not settings.uses_local_neo4j:
        raise RegistryError(
            f"NEO4J_URI is set ({settings.neo4j_uri}), so there is no local Neo4j to manage; "
            "unset NEO4J_URI to use the local one"
        )
    return settings


def _add_graph_rows(table: Table, settings: Settings) -> None:
    from authreg.driver import connected
    from schema.migrate import applied_version, expected_version

    with connected(settings) as driver:
        applied = applied_version(driver, settings.neo4j_database)
        info = driver.get_server_info()
    expected, checksum = expected_version()
    table.add_row("server", f"{info.agent} (protocol {'.'.join(map(str, info.protocol_version))})")
    if applied is None:
        table.add_row(
            "schema", f"not migrated (this code expects version {expected}); run `authreg migrate`"
        )
    elif applied == (expected, checksum):
        table.add_row("schema", f"version {expected}, up to date")
    else:
        table.add_row(
            "schema", f"version {applied[0]}, this code expects {expected}; run `authreg migrate`"
        )
