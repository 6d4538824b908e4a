"""API throughput (接口吞吐): authority over HTTP at concurrency 1, 8 and 32, beside the driver call.

    .venv/bin/python bench/api_throughput.py [--seconds 10] [--warm-up 3] [--county]
        [--server serve] [--server workers2] [--server rules-once] [--profile-calls 300]
        [--keys 100] [--cache off] [--cache answers] [--cache on] [--baseline DIR]

With NEO4J_URI set it uses that Neo4j and WIPES its graph; without, it starts a throwaway local
Neo4j (2 GiB heap, 512 MiB page cache) and stops it at the end. It loads data/sample (with
--county also bench/synthetic_county.py's county, 100 streets × 300 items: two minutes more)
and draws 2,000 questions uniformly from --keys K distinct ones (default 100): K distinct
item × street pairs, each asked on one random day (--keys 0: 2,000 independent random item ×
street × day questions, nearly all distinct); every run asks them in the same order.
Each run goes --warm-up seconds unmeasured, then --seconds measured (a call counts when it
ends inside that window). The paths:

  driver        `authreg.driver.read(driver, settings, authority, …)` as the app calls it, from
                1 and 8 threads: the question without the API.
  in-process    `build_schema(settings).execute(…)` with the app's Context (reads hop to a
                worker thread, as in the server) from 1 and 8 asyncio tasks, JSON encoding
                included: the API without HTTP. Again with the validation rules made once
                (`with_rules_made_once`: as built, QueryDepthLimiter and MaxAliasesLimiter make
                new rule classes per request, so strawberry's ValidationCache never hits; the
                notes under the table count its hits), and with reads inline (no thread hop).
  HTTP          a server started as a subprocess with a viewer key (AUTHREG_API_KEYS), POST
                /graphql from 1, 8 and 32 kept-alive connections; then its floors from 8: GET
                /healthz (the web stack alone) and { __typename } (GraphQL, no Neo4j).
                --server picks the set-ups, repeatable: serve = `authreg serve` (uvicorn, one
                process, as shipped); workers2 = `uvicorn --factory graphql_api.app:create_app
                --workers 2` (create_app() reads its settings from the environment);
                rules-once(-workers2) = the same through `app_with_rules_made_once` below;
                before16 = the app with issue 16's execution changes undone
                (`app_as_before_16`: strawberry's per-field wrapping, caches keyed by the
                parsed document), to compare side by side in one run (`make bench-api`).
                --baseline DIR adds "baseline": `authreg serve` run from another checkout of
                the repository (`git archive main | tar -x -C DIR`, or `git worktree add DIR
                main`; `make bench-api BASE=DIR`) with this interpreter and its packages, so
                only the code differs; it runs after the other set-ups, with each --cache.
                --rounds N runs the HTTP set-ups N times, their order reversed each round
                (serve, baseline, then baseline, serve): the same code's server CPU a
                request moved by up to 2× between rounds of one run on a loaded machine.
                Each set-up runs with the answer cache (graphql_api.answer_cache) off
                (AUTHREG_API_ANSWER_CACHE_SIZE=0), keeping answers only
                (AUTHREG_API_ANSWER_CACHE_RESPONSES=false: GraphQL still executes every
                request) and on as shipped (answers and whole responses, the default size and
                check interval), as --cache picks (all three by default); the floors run with
                the cache off. With a cache, the notes give the hit ratio the server saw in the
                measured window (from its request log's `answer_cache` counts).

uvicorn picks uvloop and httptools when they are importable; the facts line says which the
server had (PYTHONPATH is passed on, so a folder holding them can be tried without installing
them). Without uvloop, `--workers N` leaves TCP_NODELAY off (uvicorn issue 3149: its
pre-bound socket has proto 0), so every keep-alive request waits ~40 ms for a delayed ACK.

The load comes from bench/http_load.go, a stdlib-only Go program built into .tools/http-load
(git-ignored) on first run or when its source is newer, with `go` on PATH or
/usr/local/go/bin/go (GOTOOLCHAIN=local: nothing is downloaded). Client, server and Neo4j share
the cores, so the table gives each one's CPU per call (loadgen, app = the server's processes or
this one, neo4j), read from /proc over the window, and from them "cpu-bound req/s": the rate
the cores could sustain doing only this, each Python process at most one core (its GIL).
busy % and load1 show how much of the machine other processes took: on a shared machine the
CPU columns are steadier than req/s.

Last, cProfile (standard library) over --profile-calls in-process executions with reads inline,
timed in this process's CPU time: own time by layer (graphql-core's parse, validate and
execute, strawberry, graphql_api/, the neo4j driver, authority's Python in queries/, pydantic)
and the costliest functions, as built, with the rules made once, and with a warm answer cache
(every answer a hit: what is left of a request). cProfile's per-call cost inflates layers of
many small calls: read the shares as an order, the table as the times.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import itertools
import json
import os
import platform
import pstats
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import strawberry
from fastapi import FastAPI
from graphql import GraphQLError
from neo4j import Driver
from neo4j.exceptions import Neo4jError
from query_latency import ask, percentile, sample_dataset, synthetic_dataset
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache
from synthetic_county import County, write_county

import graphql_api.app
from authreg.driver import local_neo4j, open_driver, read
from authreg.local_db import LocalNeo4j, free_port
from authreg.settings import Settings, load_settings
from graphql_api.answer_cache import AnswerCache
from graphql_api.app import GRAPHQL_PATH
from graphql_api.auth import Caller, Role
from graphql_api.context import Context
from graphql_api.query_cost import refusal
from graphql_api.schema import CACHED_DOCUMENTS, CHECKED, build_schema
from loaders.load import plan_load, refresh_query_plans, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from schema.migrate import migrate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
LOAD_SOURCE = ROOT / "bench" / "http_load.go"
LOAD_TOOL = ROOT / ".tools" / "http-load"
HTTP_CONCURRENCY = (1, 8, 32)
DRIVER_CONCURRENCY = (1, 8)
QUESTIONS = 2000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # /proc's unit of CPU time
AUTHORITY_QUERY = """query Authority($item: String!, $street: String!, $asOf: Date) {
  authority(item: $item, street: $street, asOf: $asOf) {
    outcome
    explanation
    subject { kind key name }
    delegation { mode validFrom catalogs { title docNumber row } }
    basis { title article text }
  }
}"""


@dataclass(frozen=True)
class ServerSetup:
    what: str
    uvicorn_args: tuple[str, ...]  # the app and its options; () = `authreg serve` itself
    processes: int
    tree: Path = ROOT  # the checkout whose code serves (--baseline: another one)


RULES_ONCE_APP = ("--app-dir", "bench", "api_throughput:app_with_rules_made_once", "--factory")
SERVERS = {
    "serve": ServerSetup("authreg serve: uvicorn, one process, as shipped", (), 1),
    "workers2": ServerSetup(
        "uvicorn --factory graphql_api.app:create_app --workers 2",
        ("graphql_api.app:create_app", "--factory", "--workers", "2"),
        2,
    ),
    "rules-once": ServerSetup(
        "as serve, with the validation rules made once (app_with_rules_made_once below)",
        RULES_ONCE_APP,
        1,
    ),
    "rules-once-workers2": ServerSetup(
        "rules-once with --workers 2", (*RULES_ONCE_APP, "--workers", "2"), 2
    ),
    "before16": ServerSetup(
        "as serve, with issue 16's execution changes undone (app_as_before_16 below)",
        ("--app-dir", "bench", "api_throughput:app_as_before_16", "--factory"),
        1,
    ),
}
Question = tuple[str, str, date]
CACHE_MODES = {  # the servers' answer cache: what it keeps, and its settings
    "off": "nothing (AUTHREG_API_ANSWER_CACHE_SIZE=0)",
    "answers": "answers only (AUTHREG_API_ANSWER_CACHE_RESPONSES=false)",
    "on": "answers and whole responses, as shipped",
}
T = TypeVar("T")


# -- what one run measured ------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    warm_up: float  # seconds run before measuring
    seconds: float  # the measured window


@dataclass(frozen=True)
class Neo4jServer:
    settings: Settings
    pid: int | None  # None: an external server whose CPU this machine cannot see
    facts: str


@dataclass
class Measured:
    """What a started run hands back: latencies of calls ending in the window, errors, bytes."""

    latencies: list[float]  # seconds
    errors: int = 0
    response_bytes: float | None = None  # mean size of an HTTP answer


@dataclass
class Started:
    """A run going on in the background: how to wait for it, and processes it started."""

    finish: Callable[[], Measured]
    pids: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Run:
    """One path at one concurrency: what it measured, and CPU seconds by process role."""

    path: str
    concurrency: int
    window: float
    measured: Measured
    cpu: dict[str, float]  # role (app, neo4j, loadgen, machine) → CPU seconds in the window
    load1: float  # the machine's 1-minute load average just before the run
    app_processes: int = 1  # Python processes serving (each holds one GIL)
    note: str = ""
    window_at: tuple[float, float] = (0.0, 0.0)  # the measured window, wall-clock (time.time())

    @property
    def per_second(self) -> float:
        return len(self.measured.latencies) / self.window

    def ms(self, p: int) -> float:
        latencies = sorted(self.measured.latencies)
        return percentile(latencies, p) * 1000 if latencies else float("nan")

    def cpu_ms_per_call(self, role: str) -> str:
        calls = len(self.measured.latencies)
        if role not in self.cpu or not calls:
            return ""
        return f"{self.cpu[role] * 1000 / calls:.2f}"

    def cpu_bound_per_second(self) -> str:
        """Calls a second if the machine's cores did only this: the CPU it cost a call, summed
        over app, Neo4j and load generator, and each app process's GIL (one core at most)."""
        calls = len(self.measured.latencies)
        if not calls or not self.cpu.get("app"):
            return ""
        total = sum(self.cpu.get(role, 0.0) for role in ("app", "neo4j", "loadgen")) / calls
        cores = os.cpu_count() or 1
        return f"{min(cores / total, self.app_processes * calls / self.cpu['app']):.0f}"


def main() -> None:
    args = parse_args()
    timing = Timing(args.warm_up, args.seconds)
    with tempfile.TemporaryDirectory() as tmp, neo4j_server(Path(tmp)) as neo4j:
        county = write_county(Path(tmp) / "county", seed=args.seed) if args.county else None
        tool = load_tool()
        driver = open_driver(neo4j.settings)
        try:
            load_graph(driver, neo4j.settings.neo4j_database, county)
            questions = random_questions(county, args.seed, args.keys)
            warm_graph(driver, neo4j, questions)
            wait_until_quiet(neo4j)
            runs = driver_runs(driver, neo4j, questions, timing)
            runs += in_process_runs(driver, neo4j, questions, timing)
            if args.baseline:
                SERVERS["baseline"] = baseline_setup(args.baseline)
            servers = [*(args.server or ["serve"]), *(["baseline"] if args.baseline else [])]
            for turn in range(args.rounds):  # A B, then B A, …: a drifting machine moves both
                for server in servers if turn % 2 == 0 else servers[::-1]:
                    for cache in args.cache or list(CACHE_MODES):
                        done = http_runs(server, cache, tool, neo4j, questions, timing, Path(tmp))
                        for run in done if args.rounds > 1 else []:
                            run.path += f" #{turn + 1}"
                        runs += done
            print_facts(neo4j, timing, questions, county is not None)
            print_table(runs)
            print_profile(driver, neo4j.settings, questions, args.profile_calls)
        finally:
            driver.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD pick a server (its graph is wiped); "
        "unset, a throwaway local Neo4j is started and stopped.",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds a run (10)")
    parser.add_argument("--warm-up", type=float, default=3.0, help="unmeasured seconds first (3)")
    parser.add_argument(
        "--county", action="store_true", help="also load the synthetic county and ask about it"
    )
    parser.add_argument(
        "--server",
        action="append",
        choices=sorted(SERVERS),
        help="server set-up to drive, repeatable (serve): "
        + "; ".join(f"{name} = {setup.what}" for name, setup in SERVERS.items()),
    )
    parser.add_argument(
        "--profile-calls", type=int, default=300, help="in-process executions profiled (300)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the questions (7)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="times the HTTP set-ups run, in turn order reversed each round (1); rows marked #N",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of the repository: its `authreg serve` runs too, side by side",
    )
    parser.add_argument(
        "--keys",
        type=int,
        default=100,
        help="distinct questions the 2,000 are drawn from (100; 0 = all drawn independently)",
    )
    parser.add_argument(
        "--cache",
        action="append",
        choices=list(CACHE_MODES),
        help="the servers' answer cache, repeatable (all, in this order): "
        + "; ".join(f"{mode} = {what}" for mode, what in CACHE_MODES.items()),
    )
    return parser.parse_args()


# -- Neo4j, data and questions --------------------------------------------------------------------


@contextmanager
def neo4j_server(tmp: Path) -> Iterator[Neo4jServer]:
    """NEO4J_URI's server, or a throwaway local one; with what is known of its memory."""
    settings = load_settings()
    if settings.neo4j_uri:
        state = local_neo4j(settings).running()  # the AUTHREG_LOCAL_HOME one, if it is that
        pid = state.pid if state and state.uri == settings.neo4j_uri else None
        yield Neo4jServer(settings, pid, memory_facts(pid, settings.local_home))
        return
    local = LocalNeo4j(
        home=tmp / "neo4j",
        port=free_port(),
        password=settings.neo4j_password.get_secret_value(),
        heap="2g",
        pagecache="512m",
    )
    print(f"starting a throwaway Neo4j in {local.home} ...", flush=True)
    state, _ = local.start()
    try:
        settings = load_settings(neo4j_uri=state.uri)
        yield Neo4jServer(settings, state.pid, memory_facts(state.pid, local.home))
    finally:
        local.stop()


def memory_facts(pid: int | None, home: Path) -> str:
    """Neo4j's heap (-Xmx on its command line) and page cache (its neo4j.conf)."""
    if pid is None:
        return "external Neo4j: heap and page cache not known here, its CPU not counted"
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    heap = next((a.removeprefix("-Xmx") for a in args if a.startswith("-Xmx")), "?")
    conf = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8").splitlines()
    cache = next((c.split("=", 1)[1] for c in conf if c.startswith("server.memory.pagecache")), "?")
    return f"Neo4j pid {pid}: heap {heap}, page cache {cache}"


def load_graph(driver: Driver, database: str, county: County | None) -> None:
    """Wipe the graph, migrate, and load the sample (and the synthetic county)."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    migrate(driver, database)
    started = time.perf_counter()
    report = LoadReport()
    plan = plan_load([SAMPLE] + ([county.folder] if county else []), report, need_metadata=True)
    if report.errors:
        raise SystemExit(f"the benchmark's input does not load: {report.errors[0].line()}")
    outcomes = write_plan(driver, database, plan)
    refresh_query_plans(driver, database)  # as `authreg load` ends: plans for this graph
    print(f"loaded {len(outcomes)} files in {time.perf_counter() - started:.1f} s", flush=True)


def random_questions(county: County | None, seed: int, keys: int) -> list[Question]:
    """2,000 questions drawn uniformly from `keys` distinct ones, each a distinct item × street
    pair on one random day, alternately of the sample and the synthetic county (keys 0: every
    question an independent random item × street × day)."""
    datasets = [sample_dataset()] + ([synthetic_dataset(county)] if county else [])
    rng = random.Random(seed)
    if keys < 1:
        return [ask(rng, datasets[n % len(datasets)]) for n in range(QUESTIONS)]
    pairs = sum(len(d.items) * len(d.streets) for d in datasets)
    if keys > pairs:
        raise SystemExit(f"--keys {keys}: the data has only {pairs} item × street pairs")
    distinct: dict[tuple[str, str], Question] = {}
    while len(distinct) < keys:
        question = ask(rng, datasets[len(distinct) % len(datasets)])
        distinct.setdefault(question[:2], question)
    chosen = list(distinct.values())
    return [rng.choice(chosen) for _ in range(QUESTIONS)]


def variables(question: Question) -> dict[str, str]:
    item, street, as_of = question
    return {"item": item, "street": street, "asOf": as_of.isoformat()}


# -- running and metering -------------------------------------------------------------------------


def metered(
    path: str,
    concurrency: int,
    timing: Timing,
    begin: Callable[[], Started],
    app_pid: int,
    neo4j: Neo4jServer,
    app_processes: int = 1,
) -> Run:
    """Start a run, read CPU counters at the window's start and end, and wait for it."""
    print(f"{path}, concurrency {concurrency} ...", flush=True)
    load1 = os.getloadavg()[0]
    started = begin()
    roles = {"app": [app_pid], **started.pids}
    if neo4j.pid:
        roles["neo4j"] = [neo4j.pid]
    time.sleep(timing.warm_up)
    before, window_start = cpu_seconds(roles), time.time()
    time.sleep(timing.seconds)
    after, window_end = cpu_seconds(roles), time.time()
    measured = started.finish()
    calls = len(measured.latencies)
    print(f"  {calls} calls measured, {measured.errors} failed", flush=True)
    cpu = {role: after[role] - before[role] for role in after}
    run = Run(path, concurrency, timing.seconds, measured, cpu, load1, app_processes)
    run.window_at = (window_start, window_end)
    return run


def cpu_seconds(roles: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each role's processes, and the machine's. A process counts
    with its children (uvicorn's workers), except children that are a role of their own (this
    script's Neo4j, server and load generator)."""
    listed = {pid for pids in roles.values() for pid in pids}
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields and int(stat.parent.name) not in listed:
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    used = {role: sum(_tree_cpu(pid, children) for pid in pids) for role, pids in roles.items()}
    ticks = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    used["machine"] = (sum(ticks[:8]) - idle) / CLOCK_TICKS
    return used


def _tree_cpu(pid: int, children: dict[int, list[int]]) -> float:
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0  # utime + stime
    return own + sum(_tree_cpu(child, children) for child in children.get(pid, []))


def _stat_fields(stat: Path) -> list[str]:
    """/proc/PID/stat from field 3 (state) on; [] once the process is gone."""
    try:
        return stat.read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return []


# -- the driver, straight -------------------------------------------------------------------------


def driver_runs(
    driver: Driver, neo4j: Neo4jServer, questions: list[Question], timing: Timing
) -> list[Run]:
    """authority through authreg.driver.read, as the app calls it, from 1 and 8 threads."""
    ask = partial(ask_driver, driver, neo4j.settings)
    return [
        metered(
            "driver",
            concurrency,
            timing,
            partial(in_threads, concurrency, timing, questions, ask),
            os.getpid(),
            neo4j,
        )
        for concurrency in DRIVER_CONCURRENCY
    ]


def ask_driver(
    driver: Driver, settings: Settings, question: Question, *, timeout: float | None = None
) -> bool:
    """authority as the API asks it (under its timeout by default); False if Neo4j failed."""
    item, street, as_of = question
    timeout = timeout or settings.api_query_timeout_s
    try:
        read(driver, settings, authority, timeout=timeout, item=item, street=street, as_of=as_of)
    except Neo4jError:
        return False
    return True


def warm_graph(driver: Driver, neo4j: Neo4jServer, questions: list[Question]) -> None:
    """Ask every question once from 4 threads (30 s at most, after one alone): Neo4j's JIT,
    caches and query plans, with a long timeout since a fresh Neo4j plans slowly."""
    started = time.perf_counter()
    ask = partial(ask_driver, driver, neo4j.settings, timeout=120.0)
    ask(questions[0])
    warm = in_threads(4, Timing(0.0, 30.0), questions, ask, once=True)
    calls = len(warm.finish().latencies)
    print(f"warmed Neo4j with {calls} questions in {time.perf_counter() - started:.1f} s")


def wait_until_quiet(neo4j: Neo4jServer, limit_s: float = 180.0) -> None:
    """Wait (at most `limit_s`) until Neo4j uses under a tenth of a core over 3 s: after a load
    it resamples indexes and checkpoints for minutes, and a run in that window was charged
    2-4× the Neo4j CPU a request of a later one (and the machine's contention with it)."""
    if neo4j.pid is None:
        return
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        before = cpu_seconds({"neo4j": [neo4j.pid]})["neo4j"]
        time.sleep(3.0)
        if cpu_seconds({"neo4j": [neo4j.pid]})["neo4j"] - before < 0.3:
            break
    print(f"waited {time.perf_counter() - started:.0f} s for Neo4j to go quiet", flush=True)


def in_threads(
    concurrency: int,
    timing: Timing,
    questions: list[Question],
    call: Callable[[Question], bool],
    *,
    once: bool = False,
) -> Started:
    """`concurrency` threads asking the questions in turn until the window ends (or, once,
    until each question was asked)."""
    turns = itertools.count()  # shared: next() on a count is atomic under the GIL
    window = _window(timing)

    def worker() -> Measured:
        measured = Measured([])
        while (began := time.perf_counter()) < window[1]:
            turn = next(turns)
            if once and turn >= len(questions):
                break
            _note(measured, window, began, call(questions[turn % len(questions)]))
        return measured

    pool = ThreadPoolExecutor(concurrency)
    futures = [pool.submit(worker) for _ in range(concurrency)]

    def finish() -> Measured:
        pool.shutdown()
        return _merged([f.result() for f in futures])

    return Started(finish)


def _window(timing: Timing) -> tuple[float, float]:
    start = time.perf_counter() + timing.warm_up
    return start, start + timing.seconds


def _note(measured: Measured, window: tuple[float, float], began: float, clean: bool) -> None:
    ended = time.perf_counter()
    if window[0] <= ended <= window[1]:
        measured.latencies.append(ended - began)
        measured.errors += not clean


def _merged(parts: list[Measured]) -> Measured:
    return Measured([s for p in parts for s in p.latencies], sum(p.errors for p in parts))


# -- the schema in-process ------------------------------------------------------------------------


class InlineContext(Context):
    """The app's Context, but reading on the event loop's own thread (no worker-thread hop)."""

    async def read(self, work: Callable[..., T], /, **params: Any) -> T:
        self.round_trips += 1
        timeout = self.settings.api_query_timeout_s
        return read(self.driver, self.settings, work, timeout=timeout, **params)


def in_process_runs(
    driver: Driver, neo4j: Neo4jServer, questions: list[Question], timing: Timing
) -> list[Run]:
    """schema.execute without HTTP, with the app's Context from 1 and 8 tasks: as built, then
    with the validation rules made once (and its reads inline, no thread hop, from 1), then
    with the app's answer cache (default size and check interval; one cache for both runs, as
    in a server). Notes how strawberry's caches and the answer cache fared."""
    built = build_schema(neo4j.settings)
    fixed = with_rules_made_once(build_schema(neo4j.settings))
    answers = AnswerCache.from_settings(neo4j.settings)
    runs = []
    for path, schema, context, concurrency, cache in [
        ("in-process, as built", built, Context, 1, None),
        ("in-process, as built", built, Context, 8, None),
        ("in-process, rules made once", fixed, Context, 1, None),
        ("in-process, rules made once", fixed, Context, 8, None),
        ("in-process, rules once, reads inline", fixed, InlineContext, 1, None),
        ("in-process, answer cache on", built, Context, 1, answers),
        ("in-process, answer cache on", built, Context, 8, answers),
    ]:
        contexts = partial(context, **context_args(driver, neo4j.settings, cache))
        begin = partial(in_loop, schema, contexts, questions, concurrency, timing)
        before, hits = _cache_counts(), (answers.hits, answers.misses)
        runs.append(metered(path, concurrency, timing, begin, os.getpid(), neo4j))
        runs[-1].note = _cache_note(before, _cache_counts())
        if cache is not None:  # over warm-up and window: this process's counters
            runs[-1].note += "; " + _hit_note(answers.hits - hits[0], answers.misses - hits[1])
    return runs


def _cache_counts() -> dict[str, tuple[int, int]]:
    """Hits and misses of strawberry's shared parse and validation caches (the schema's size)."""
    return {
        "parse": _get_parse_cache(CACHED_DOCUMENTS).cache_info()[:2],
        "validation": (CHECKED.hits, CHECKED.misses),
    }


def _cache_note(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> str:
    parts = []
    for cache, (hits, misses) in after.items():
        hits, misses = hits - before[cache][0], misses - before[cache][1]
        parts.append(f"{cache} cache {hits:,} hits, {misses:,} misses")
    return "; ".join(parts)


def _hit_note(hits: int, misses: int) -> str:
    asked = hits + misses
    share = f"{hits / asked * 100:.1f} %" if asked else "-"
    return f"answer cache {share} hits ({hits:,} hits, {misses:,} misses)"


def context_args(
    driver: Driver, settings: Settings, answers: AnswerCache | None = None
) -> dict[str, Any]:
    caller = Caller("bench", Role.VIEWER)
    return {
        "driver": driver,
        "settings": settings,
        "caller": caller,
        "auth_problem": None,
        "request_id": "bench",
        "answers": answers,
    }


def in_loop(
    schema: strawberry.Schema,
    contexts: Callable[[], Context],
    questions: list[Question],
    concurrency: int,
    timing: Timing,
) -> Started:
    """`concurrency` tasks executing the schema on a fresh event loop in its own thread."""
    turns = itertools.count()
    results: list[Measured] = []

    async def task(window: tuple[float, float]) -> Measured:
        measured = Measured([])
        while (began := time.perf_counter()) < window[1]:
            question = questions[next(turns) % len(questions)]
            _note(measured, window, began, await execute(schema, contexts(), question))
        return measured

    async def all_tasks() -> None:
        window = _window(timing)
        results.extend(await asyncio.gather(*(task(window) for _ in range(concurrency))))

    thread = threading.Thread(target=asyncio.run, args=(all_tasks(),))
    thread.start()

    def finish() -> Measured:
        thread.join()
        return _merged(results)

    return Started(finish)


async def execute(schema: strawberry.Schema, context: Context, question: Question) -> bool:
    """One authority request as the router runs it, JSON encoding included; True if clean."""
    result = await schema.execute(
        AUTHORITY_QUERY, variable_values=variables(question), context_value=context
    )
    json.dumps({"data": result.data})
    return not result.errors


# -- the HTTP server ------------------------------------------------------------------------------


def http_runs(
    server: str,
    cache: str,
    tool: Path,
    neo4j: Neo4jServer,
    questions: list[Question],
    timing: Timing,
    tmp: Path,
) -> list[Run]:
    """The server, its answer cache as `cache` (CACHE_MODES) says, under authority from 1, 8
    and 32 kept-alive connections; with the cache off, then its floors from 8: GET /healthz (the
    web stack alone) and { __typename } (GraphQL without Neo4j). With a cache, each run's note
    gives the hit ratio the server logged in the measured window."""
    authority_bodies = _bodies(tmp / "authority.jsonl", [variables(q) for q in questions])
    typename_bodies = _bodies(tmp / "typename.jsonl", [None])
    key = secrets.token_urlsafe(24)
    processes = SERVERS[server].processes
    runs = []
    with api_server(server, neo4j.settings, key, tmp, cache) as (url, pid, log):
        base = [str(tool), "-url", f"{url}{GRAPHQL_PATH}", "-header", f"X-API-Key: {key}"]
        window = ["-warm-up", f"{timing.warm_up}s", "-duration", f"{timing.seconds}s"]
        plans = [
            (f"HTTP {server}, cache {cache}", [*base, "-bodies", str(authority_bodies)], c)
            for c in HTTP_CONCURRENCY
        ]
        if cache == "off":
            plans += [
                (
                    f"HTTP {server}: /healthz",
                    [str(tool), "-url", f"{url}/healthz", "-method", "GET"],
                    8,
                ),
                (f"HTTP {server}: {{ __typename }}", [*base, "-bodies", str(typename_bodies)], 8),
            ]
        for path, command, concurrency in plans:
            begin = partial(http_load, [*command, *window, "-c", str(concurrency)])
            runs.append(metered(path, concurrency, timing, begin, pid, neo4j, processes))
            if cache != "off":
                runs[-1].note = _hit_note(*logged_cache_use(log, runs[-1].window_at))
    return runs


def logged_cache_use(log: Path, window: tuple[float, float]) -> tuple[int, int]:
    """Answer-cache hits and misses of the requests the server logged as answered in the
    window (its JSON request lines' `ts` and `answer_cache`)."""
    hits = misses = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"answer_cache"' not in line:
            continue
        entry = json.loads(line)
        if window[0] <= datetime.fromisoformat(entry["ts"]).timestamp() <= window[1]:
            hits += entry["answer_cache"]["hits"]
            misses += entry["answer_cache"]["misses"]
    return hits, misses


def _bodies(path: Path, variable_sets: list[dict[str, str] | None]) -> Path:
    """A file of POST bodies, one a line: the authority document with each set of variables,
    or { __typename } for None."""
    lines = [
        json.dumps({"query": AUTHORITY_QUERY, "variables": v} if v else {"query": "{ __typename }"})
        for v in variable_sets
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def http_load(command: list[str]) -> Started:
    """Start the Go load generator; finishing reads its JSON report."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish() -> Measured:
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"http-load failed: {err.strip()}")
        report = json.loads(out)
        if report["errors"]:
            print(f"  {report['errors']} errors; the first: {report['first_error']}")
        latencies = [us / 1e6 for us in report["latencies_us"]]
        size = report["response_bytes"] / len(latencies) if latencies else None
        return Measured(latencies, report["errors"], size)

    return Started(finish, {"loadgen": [process.pid]})


@contextmanager
def api_server(
    server: str, settings: Settings, key: str, tmp: Path, cache: str
) -> Iterator[tuple[str, int, Path]]:
    """Start a server set-up with a viewer key on a free port, its answer cache as `cache`
    (CACHE_MODES) says; yield its base URL, pid and log."""
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri or "",
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
        "AUTHREG_API_KEYS": json.dumps([{"name": "bench", "role": "viewer", "key": key}]),
    }
    env = {k: v for k, v in env.items() if not k.startswith("AUTHREG_API_ANSWER_CACHE_")}
    if cache == "off":
        env["AUTHREG_API_ANSWER_CACHE_SIZE"] = "0"
    elif cache == "answers":
        env["AUTHREG_API_ANSWER_CACHE_RESPONSES"] = "false"
    tree = SERVERS[server].tree
    if tree != ROOT:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    log = tmp / f"server-{server}-cache-{cache}.log"  # one JSON line per request
    with log.open("wb") as out:
        process = subprocess.Popen(
            server_command(server, port),
            cwd=SERVERS[server].tree,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: workers included when stopping
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
        yield f"http://127.0.0.1:{port}", process.pid, log
    finally:
        stop_server(process)


def baseline_setup(tree: Path) -> ServerSetup:
    """`authreg serve` from another checkout, with this interpreter and its packages."""
    tree = tree.resolve()
    if not (tree / "graphql_api" / "app.py").is_file():
        raise SystemExit(f"--baseline {tree}: not a checkout of this repository")
    return ServerSetup(f"authreg serve from {tree}", (), 1, tree)


def server_command(server: str, port: int) -> list[str]:
    setup = SERVERS[server]
    if setup.tree != ROOT:  # the other checkout's modules first: its cwd, then PYTHONPATH
        entry = "import sys; from authreg.cli import main; sys.argv[0] = 'authreg'; main()"
        return [sys.executable, "-c", entry, "serve", "--port", str(port)]
    if not setup.uvicorn_args:
        authreg = Path(sys.executable).with_name("authreg")
        return [str(authreg) if authreg.exists() else "authreg", "serve", "--port", str(port)]
    # --no-access-log as `authreg serve`: graphql_api.request_log logs each request itself
    options = ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    return [sys.executable, "-m", "uvicorn", *setup.uvicorn_args, *options]


def app_with_rules_made_once() -> FastAPI:
    """create_app() from the environment, its schema's validation rules made once (uvicorn
    --factory): what the fix proposed for graphql_api/schema.py gives, without editing it."""

    graphql_api.app.build_schema = lambda settings: with_rules_made_once(build_schema(settings))  # type: ignore[attr-defined]
    return graphql_api.app.create_app()


def app_as_before_16() -> FastAPI:
    """create_app() from the environment as it executed before issue 16 (uvicorn --factory):
    every pydantic field through strawberry's own resolver wrapping (no lean_resolvers), and
    measuring and validation cached by the parsed document, hashed whole on every request."""
    import graphql_api.schema

    graphql_api.schema.lean_resolvers = lambda schema: 0  # type: ignore[assignment]
    graphql_api.schema.MeasuredValidation.on_validate = _validate_by_document  # type: ignore[method-assign]
    return graphql_api.app.create_app()


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _refusal_by_document(document: Any, limits: Any) -> tuple[str, dict[str, Any]] | None:
    refused = refusal(document, limits)
    return None if refused is None else (refused.message, refused.extensions or {})


def _validate_by_document(self: Any) -> Iterator[None]:
    """MeasuredValidation.on_validate before issue 16: caches keyed by the DocumentNode."""
    context = self.execution_context
    document = context.graphql_document
    refused = _refusal_by_document(document, self.limits)
    if refused is not None:
        context.pre_execution_errors = [GraphQLError(refused[0], extensions=dict(refused[1]))]
    else:
        validate = _get_validate_cache(CACHED_DOCUMENTS)
        context.pre_execution_errors = validate(
            context.schema._schema, document, context.validation_rules
        )
    yield


def with_rules_made_once(schema: strawberry.Schema) -> strawberry.Schema:
    """The schema with each validation-rule extension (QueryDepthLimiter, MaxAliasesLimiter)
    built once, every request's fresh AddValidationRules reusing its rule classes.

    Built per request, those extensions make new rule classes each time, so ValidationCache's
    key (schema, document, rules) never repeats: every request is validated again.
    """
    factories = []
    for factory in schema.extensions:
        made = factory() if not isinstance(factory, SchemaExtension) else factory
        if isinstance(made, AddValidationRules):
            factories.append(partial(AddValidationRules, made.validation_rules))
        else:
            factories.append(factory)
    schema.extensions = tuple(factories)
    return schema


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server was not ready within 120 s:\n{log.read_text()[-3000:]}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn ends its workers), then SIGKILL to its process group if it lingers."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def load_tool() -> Path:
    """.tools/http-load, built from bench/http_load.go when missing or older than its source."""
    if LOAD_TOOL.exists() and LOAD_TOOL.stat().st_mtime >= LOAD_SOURCE.stat().st_mtime:
        return LOAD_TOOL
    go = shutil.which("go") or "/usr/local/go/bin/go"
    if not Path(go).exists():
        raise SystemExit("building bench/http_load.go needs Go 1.22 or later on PATH")
    print(f"building {LOAD_TOOL.relative_to(ROOT)} with {go} ...", flush=True)
    LOAD_TOOL.parent.mkdir(exist_ok=True)
    env = {**os.environ, "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    command = [go, "build", "-o", str(LOAD_TOOL), str(LOAD_SOURCE)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return LOAD_TOOL


# -- the report -----------------------------------------------------------------------------------


def print_facts(
    neo4j: Neo4jServer, timing: Timing, questions: list[Question], county: bool
) -> None:
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("strawberry-graphql", "fastapi", "uvicorn", "neo4j", "neo4j-rust-ext")
    )
    print(f"\nmachine: {os.cpu_count()} cores ({model}), Python {platform.python_version()}")
    print(f"{neo4j.facts}")
    print(f"server: uvicorn loop {loop}, HTTP parser {parser}; {versions}")
    data = "sample + synthetic county" if county else "sample"
    distinct = len(set(questions))
    defaults = Settings.model_fields
    print(
        f"{len(questions):,} authority questions on the {data}, drawn uniformly from {distinct:,} "
        "distinct ones (each a distinct item × street pair on one day, unless --keys 0), asked "
        "in turn by every run; answer cache, when on: "
        f"{defaults['api_answer_cache_size'].default:,} answers, graph counter checked every "
        f"{defaults['api_answer_cache_check_ms'].default:g} ms"
    )
    print(
        f"each run "
        f"{timing.warm_up:g} s warm-up, {timing.seconds:g} s measured; "
        "ratios against the driver row of the nearest lower concurrency; CPU in ms per measured "
        "call (app = the server's processes, or this one for driver and in-process), busy % of "
        "all cores (anyone's)"
    )


def print_table(runs: list[Run]) -> None:
    header = ["path", "c", "calls", "req/s", "p50 ms", "p99 ms", "req/s ÷ drv", "p50 × drv"]
    header += ["app cpu", "neo4j cpu", "loadgen cpu", "cpu-bound req/s", "busy %", "load1"]
    header += ["bytes", "errors"]
    drivers = {r.concurrency: r for r in runs if r.path == "driver"}
    rows = [header] + [table_row(run, drivers) for run in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print()
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for run in runs:
        if run.note:
            print(f"  {run.path}, c={run.concurrency}: {run.note}")


def table_row(run: Run, drivers: dict[int, Run]) -> list[str]:
    """One row; ratios against the driver run of the nearest lower (or equal) concurrency."""
    base = drivers[max(c for c in drivers if c <= run.concurrency)]
    busy = run.cpu["machine"] / (run.window * (os.cpu_count() or 1)) * 100
    size = run.measured.response_bytes
    return [
        run.path,
        str(run.concurrency),
        str(len(run.measured.latencies)),
        f"{run.per_second:.0f}",
        f"{run.ms(50):.2f}",
        f"{run.ms(99):.2f}",
        f"{run.per_second / base.per_second:.2f}" if base.per_second else "",
        f"{run.ms(50) / base.ms(50):.2f}",
        run.cpu_ms_per_call("app"),
        run.cpu_ms_per_call("neo4j"),
        run.cpu_ms_per_call("loadgen"),
        run.cpu_bound_per_second(),
        f"{busy:.0f}",
        f"{run.load1:.1f}",
        f"{size:.0f}" if size else "",
        str(run.measured.errors),
    ]


# -- the profile ----------------------------------------------------------------------------------

LAYERS = [  # (a piece of the file's path, its layer); the first that matches wins
    ("/graphql/language/lexer", "graphql-core: parse"),
    ("/graphql/language/parser", "graphql-core: parse"),
    ("/graphql/language/ast", "graphql-core: AST nodes (hashed as cache keys)"),
    ("/graphql/language/visitor", "graphql-core: validate"),
    ("/graphql/utilities/type_info", "graphql-core: validate"),
    ("/graphql/validation/", "graphql-core: validate"),
    ("/graphql/", "graphql-core: execute"),
    ("/strawberry/", "strawberry (schema, extensions, types)"),
    ("/graphql_api/", "graphql_api/ (context, permissions, errors)"),
    ("/queries/", "queries/ (authority's Python)"),
    ("/authreg/", "authreg/driver.py"),
    ("/neo4j/", "neo4j driver (session, Bolt, packstream)"),
    ("/pydantic", "pydantic"),
    ("/asyncio/", "asyncio"),
    ("/json/", "json"),
]


def print_profile(
    driver: Driver, settings: Settings, questions: list[Question], calls: int
) -> None:
    """cProfile over in-process executions, reads inline, timed in this process's CPU time
    (another process's load does not count; waiting for Neo4j is not in it): own time by
    layer, then the costliest functions. As built, with the rules made once, and with an
    answer cache that already holds every question's answer (what is left of a request)."""
    if calls < 1:
        return
    for label, schema, answers in [
        ("as built", build_schema(settings), None),
        ("validation rules made once", with_rules_made_once(build_schema(settings)), None),
        (
            "answer cache warm, every answer a hit",
            build_schema(settings),
            AnswerCache.from_settings(settings),
        ),
    ]:
        contexts = partial(InlineContext, **context_args(driver, settings, answers))
        if answers is not None:
            asyncio.run(_ask_each_once(schema, contexts, questions))
        stats, cpu = profiled(schema, contexts, questions, calls)
        print(
            f"\nprofile, {label}: {calls} in-process executions (reads inline), "
            f"{cpu / calls * 1000:.2f} ms CPU each under cProfile; own CPU by layer, ms a call:"
        )
        for layer, seconds in sorted(own_time_by_layer(stats).items(), key=lambda kv: -kv[1]):
            print(f"  {layer:<48}{seconds / calls * 1000:>8.3f}  {seconds / cpu * 100:>5.1f} %")
        print("costliest functions: own ms, cumulative ms and calls, per execution")
        for func, (_, count, own, total, _) in sorted(stats.items(), key=lambda kv: -kv[1][2])[:12]:
            print(
                f"  {own / calls * 1000:>7.3f}  {total / calls * 1000:>7.3f}  "
                f"{count / calls:>7.1f}  {_function_name(func)}"
            )


async def _ask_each_once(
    schema: strawberry.Schema, contexts: Callable[[], Context], questions: list[Question]
) -> None:
    for question in dict.fromkeys(questions):
        await execute(schema, contexts(), question)


def profiled(
    schema: strawberry.Schema,
    contexts: Callable[[], Context],
    questions: list[Question],
    calls: int,
) -> tuple[dict[Any, Any], float]:
    """pstats' table of `calls` executions (after 20 unprofiled), and the CPU seconds they took."""

    async def executions(count: int) -> None:
        for n in range(count):
            await execute(schema, contexts(), questions[n % len(questions)])

    asyncio.run(executions(20))  # warm: caches, connections
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.runcall(asyncio.run, executions(calls))
    cpu = time.process_time() - started
    return pstats.Stats(profiler).stats, cpu  # type: ignore[attr-defined]


def own_time_by_layer(stats: dict[Any, Any]) -> dict[str, float]:
    """Own time summed by layer; a built-in's goes to its busiest caller's layer."""
    layers: dict[str, float] = {}
    for func, (_, _, own, _, callers) in stats.items():
        layer = _layer(func, callers)
        layers[layer] = layers.get(layer, 0.0) + own
    return layers


def _layer(func: tuple[str, int, str], callers: dict[Any, Any]) -> str:
    file, _, _ = func
    if file == "~":  # a built-in: count it where it was called from most
        if not callers:
            return "other"
        busiest = max(callers.items(), key=lambda kv: kv[1][3])[0]
        return _layer(busiest, {})
    return next((layer for piece, layer in LAYERS if piece in file), "other")


def _function_name(func: tuple[str, int, str]) -> str:
    file, line, name = func
    if file == "~":
        return name
    path = file.split("site-packages/")[-1].removeprefix(str(ROOT) + "/")
    return f"{path}:{line} {name}"


if __name__ == "__main__":
    main()
