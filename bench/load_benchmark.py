"""Load benchmark (加载基准): the loader and the bulk import vs a batched UNWIND writer, a naive loop
and neo4j-admin import.

    .venv/bin/python bench/load_benchmark.py [--data DIR | --counties 20 --streets 14 --items 120]
        [--repeat 3] [--naive-rows 3000] [--profile] [--json OUT]

One synthetic dataset (`authreg synth`, or --data), one Neo4j, one run, the same graph five ways:

(a) the project's loader, `loaders.load.plan_load` + `write_plan` as `authreg load` does: read
    every file (in AUTHREG_LOAD_WORKERS forked processes), validate, parse every legal-basis cell, resolve names, version the catalogs,
    start and end delegations. It runs in a child process, so its peak RSS is its own.
(b) a plain batched writer, what a skilled user writes: the graph (a) wrote, dumped into rows
    (`queries.dump`), written back into the emptied graph with `UNWIND $rows MERGE`,
    one `execute_write` per 10,000 rows.
(c) a naive loop, what a beginner writes: one auto-commit MERGE per row, on an even sample of
    the same rows (a node, or a relationship between two nodes of the sample); its time per
    node and per relationship is projected onto the whole graph.
(a), (b) and (c) take turns --repeat times (medians are reported, and each turn's ratios: a
server just started makes the first turn cold); then, once each,
(d) `neo4j-admin database import full` of the same rows: written as CSV by the project's
    `loaders.admin_import.write_import_files`, imported by the command
    `LocalNeo4j.admin_import_command` builds, into an empty database in a fresh home; a server
    is then started on it and `finish_import` builds the schema (constraints and indexes, which
    the import does not) and sets the empty lists CSV cannot carry.
(e) the project's bulk first load, `authreg db import` (`authreg.import_command.run_import`) of
    the dataset into a fresh local home, in a child process: read and validate, decide the
    graph in memory (`loaders.bulk_load.build_graph`), write CSV, neo4j-admin import, start
    Neo4j, schema + indexes + empty lists; each step timed as the command times it.

(a), (b) and (c) write into the same emptied graph with the project's schema in place
(uniqueness constraints, range and full-text indexes), as any real load would.
(b) and (d) write PRE-RESOLVED rows: no reading, parsing, validation, name resolution or
versioning. They are an upper bound on what any loader of this graph could do; (a) and (e) do
all of it. After (b), (d) and (e) the graph is dumped and compared with (a)'s
(`schema.graph_rows.compare`: label by label and type by type, row by row and property by
property); the report says what, if anything, differs.

Rates are graph entities (nodes + relationships, bookkeeping nodes left out) per second, and
catalog rows (rows of every catalog file (a) validated) per second of the same time. --profile
runs (a) once more under cProfile and says where its time goes; it also times the dataset's
YAML files with PyYAML's pure-Python SafeLoader and libyaml's CSafeLoader side by side.

With NEO4J_URI set it uses that Neo4j for (a), (b) and (c) and WIPES its graph; without, it
starts a throwaway local Neo4j (--heap, --pagecache). (d) and (e) always run their own local
Neo4j in a fresh home (--check-heap, --check-pagecache). Neo4j's memory is sampled from /proc
when its process is ours: the throwaway one, or the local one `authreg db start` recorded for
these settings.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import multiprocessing
import os
import pstats
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlparse

import yaml
from neo4j import Driver, ManagedTransaction, Session
from rich.console import Console

from authreg.driver import connected, local_neo4j
from authreg.driver import session as open_session
from authreg.import_command import ImportOptions
from authreg.local_db import ADMIN_MAIN, SERVER_MAIN, LocalNeo4j, free_port
from authreg.settings import Settings, load_settings
from loaders.admin_import import ImportFiles, finish_import, write_import_files
from queries.dump import graph_dump, node_count
from schema.graph_rows import BOOKKEEPING, KEYS, GraphRows, compare, differences
from schema.labels import Label
from schema.migrate import migrate

BATCH = 10_000  # rows per execute_write in (b)
TARGETS = {"a/b": 2.0, "a/c": 100.0}  # issue 7: the loader against (b) and (c)
ISSUE_FIGURES = (  # issue 7, "measured before filing"
    "plain batched UNWIND MERGE ~25,000 rows/s on a warm local Neo4j; naive per-row "
    "auto-commit 267 rows/s; neo4j-admin import ~300,000 nodes/s and 220,000 relationships/s"
)
SAMPLE_EVERY_S = 0.2  # how often memory is sampled from /proc


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp_name:
        tmp = Path(tmp_name)
        data = args.data or make_dataset(tmp / "data", args)
        with neo4j_server(tmp, args) as (settings, pid):
            results = run(settings, pid, data, tmp, args)
    results["ratios"] = ratios(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n")
    print_report(results)


def parse_args() -> argparse.Namespace:
    defaults = ImportOptions()  # `authreg db import`'s own memory for the import tool
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="an `authreg synth` dataset (default: generate)")
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--streets", type=int, default=14, help="streets per county")
    parser.add_argument("--items", type=int, default=120, help="items per catalog version")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="turns of (a), (b) and (c)")
    parser.add_argument("--naive-rows", type=int, default=3000, help="rows (c) writes a turn")
    parser.add_argument("--profile", action="store_true", help="profile (a) once more")
    parser.add_argument("--profile-out", type=Path, help="save (a)'s cProfile stats here")
    parser.add_argument("--heap", default=None, help="throwaway Neo4j heap (default: settings)")
    parser.add_argument("--pagecache", default=None, help="throwaway Neo4j page cache")
    parser.add_argument(
        "--import-heap", default=defaults.heap, help="-Xmx of neo4j-admin import in (d) and (e)"
    )
    parser.add_argument(
        "--import-memory", default=defaults.off_heap, help="its --max-off-heap-memory"
    )
    parser.add_argument(
        "--check-heap", default="1g", help="heap of the servers (d) and (e) start on their store"
    )
    parser.add_argument("--check-pagecache", default="512m", help="their page cache")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    return parser.parse_args()


def make_dataset(out: Path, args: argparse.Namespace) -> Path:
    from synthetic.generate import generate

    print(f"generating {args.counties} counties × {args.streets} streets × {args.items} items")
    generate(
        out,
        counties=args.counties,
        streets_per_county=args.streets,
        items=args.items,
        seed=args.seed,
    )
    return out


def run(
    settings: Settings, pid: int | None, data: Path, tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """(a), (b) and (c) interleaved --repeat times, then (d), (e) and the profile."""
    results: dict[str, Any] = {"data": str(data), "machine": machine(), "a": [], "b": [], "c": []}
    database = settings.neo4j_database
    with connected(settings) as driver:
        results["neo4j"] = server_memory(driver, database, pid)
        graph: GraphRows | None = None
        for turn in range(args.repeat):
            print(f"(a) the loader, run {turn + 1}/{args.repeat} ...", flush=True)
            results["a"].append(measure_loader(driver, settings, pid, data, profile=False))
            if graph is None:
                graph = dump_graph(driver, database)
                results["graph"] = graph.sizes()
            print(f"(b) batched UNWIND MERGE, run {turn + 1}/{args.repeat} ...", flush=True)
            results["b"].append(measure_batched(driver, database, pid, graph))
            print(
                f"(c) naive per-row loop on a sample, run {turn + 1}/{args.repeat} ...", flush=True
            )
            results["c"].append(measure_naive(driver, database, pid, graph, args.naive_rows))
        assert graph is not None
        results["neo4j"]["heap_pools"] = heap_pools(driver, database)
        results["neo4j"]["peak_rss_since_start"] = proc_status(pid, "VmHWM") if pid else None
        wipe(driver, database)
        print("(d) neo4j-admin database import full of the rows ...", flush=True)
        results["d"] = measure_import(settings, graph, tmp, args)
        print("(e) the bulk first load, as `authreg db import` ...", flush=True)
        results["e"] = measure_bulk_load(settings, graph, data, tmp, args)
        if args.profile:
            print("(a) once more, under cProfile ...", flush=True)
            results["profile"] = measure_loader(driver, settings, pid, data, profile=True)
            results["profile"]["yaml"] = yaml_side_by_side(data)
            stats_file = Path(results["profile"].pop("stats_file"))
            if args.profile_out:
                args.profile_out.write_bytes(stats_file.read_bytes())
            stats_file.unlink()
            wipe(driver, database)
    return results


# -- Neo4j: the server, its memory, an empty graph -------------------------------------------


@contextmanager
def neo4j_server(tmp: Path, args: argparse.Namespace) -> Iterator[tuple[Settings, int | None]]:
    """NEO4J_URI's server (and its pid, if it is the local one of these settings), or a
    throwaway local one."""
    settings = load_settings()
    if settings.neo4j_uri:
        yield settings, our_local_pid(settings)
        return
    local = LocalNeo4j(
        home=tmp / "neo4j",
        port=free_port(),
        password=settings.neo4j_password.get_secret_value(),
        heap=args.heap or settings.local_heap,
        pagecache=args.pagecache or settings.local_pagecache,
    )
    print(f"starting a throwaway Neo4j in {local.home} ...", flush=True)
    state, _ = local.start()
    try:
        yield load_settings(neo4j_uri=state.uri), state.pid
    finally:
        local.stop()


def our_local_pid(settings: Settings) -> int | None:
    """The pid of the local Neo4j `authreg db start` recorded, when NEO4J_URI is its port."""
    state = local_neo4j(settings).running()
    uri = urlparse(settings.neo4j_uri or "")
    if state is None or uri.port != state.port or uri.hostname not in {"127.0.0.1", "localhost"}:
        return None
    return state.pid


def wipe(driver: Driver, database: str) -> None:
    """An empty graph with the schema applied (constraints, indexes, bookkeeping nodes stay).
    Relationships go first, 10,000 a transaction: DETACH DELETE of a county with 100,000 links
    would put them all in one (beyond a 2g heap's transaction memory at 100 counties)."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run(
            "MATCH (n) WHERE NOT labels(n)[0] IN $skip "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            skip=sorted(BOOKKEEPING),
        ).consume()
    migrate(driver, database)


def server_memory(driver: Driver, database: str, pid: int | None) -> dict[str, Any]:
    """Configured heap and page cache, and the process's RSS now (peaks come per phase)."""
    with driver.session(database=database) as session:
        settings = {
            r["name"]: r["value"]
            for r in session.run(
                "SHOW SETTINGS YIELD name, value WHERE name IN "
                "['server.memory.pagecache.size', 'server.memory.heap.max_size'] "
                "RETURN name, value"
            )
        }
    heap = jvm_heap(pid) if pid else None
    return {
        "pid": pid,
        "heap": heap or settings.get("server.memory.heap.max_size"),
        "pagecache": settings.get("server.memory.pagecache.size"),
        "rss_now": proc_status(pid, "VmRSS") if pid else None,
    }


def heap_pools(driver: Driver, database: str) -> dict[str, dict[str, int]]:
    """The JVM's heap pools (JMX): used now and the peak since the server started."""
    with driver.session(database=database) as session:
        found = session.run(
            "CALL dbms.queryJmx('java.lang:type=MemoryPool,*') YIELD name, attributes "
            "WHERE attributes.Type.value = 'HEAP' "
            "RETURN name, attributes.Usage.value.properties.used AS used, "
            "attributes.PeakUsage.value.properties.used AS peak"
        )
        return {
            r["name"].split("name=")[1].split(",")[0]: {"used": r["used"], "peak": r["peak"]}
            for r in found
        }


def jvm_heap(pid: int) -> str | None:
    return next((arg[4:] for arg in command_line(pid) if arg.startswith("-Xmx")), None)


def command_line(pid: int | None) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if pid else []
    except OSError:
        return []


def proc_status(pid: int, field_name: str) -> int | None:
    """VmRSS (resident now) or VmHWM (peak resident) of a process, in bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class PeakRss:
    """Samples a process's resident memory every 0.2 s while a phase runs; `peak` in bytes.

    VmRSS for a phase of a long-running server; VmHWM (its own peak, exact up to the last
    sample) for a process started for the phase."""

    every_s = SAMPLE_EVERY_S

    def __init__(self, pid: int | None, field_name: str = "VmRSS") -> None:
        self.pid, self.peak, self.field_name = pid, 0, field_name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Self:
        if self.pid:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.pid:
            self._thread.join()

    def _sample(self) -> None:
        while True:
            self._measure()
            if self._stop.wait(self.every_s):
                return

    def _measure(self) -> None:
        self.peak = max(self.peak, proc_status(self.pid or 0, self.field_name) or 0)


class TreePeaks(PeakRss):
    """The peak RSS (VmHWM, exact up to the last sample) of every process started below `root`
    while a phase runs: the ones a child starts (the import JVM, a server) have no pid we know
    beforehand. A process stays watched once seen, even when its parent exits. Every 0.5 s:
    a scan of /proc costs ~7 ms of a shared core."""

    every_s = 0.5

    def __init__(self, root: int) -> None:
        super().__init__(root, "VmHWM")
        self.seen: dict[int, tuple[list[str], int]] = {}  # pid → (command line, peak)

    def peak_of(self, *arguments: str) -> int:
        """The largest peak among processes whose command line holds all these arguments."""
        return max(
            (peak for args, peak in self.seen.values() if all(a in args for a in arguments)),
            default=0,
        )

    def _measure(self) -> None:
        for pid in descendants(self.root) | set(self.seen):
            peak = proc_status(pid, "VmHWM")
            if peak is None:  # gone
                continue
            _, before = self.seen.get(pid, ([], 0))
            self.seen[pid] = (command_line(pid), max(before, peak))  # args change at exec

    @property
    def root(self) -> int:
        return self.pid or 0


def descendants(root: int) -> set[int]:
    """Every process below `root` now, from each process's parent in /proc/<pid>/stat."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        children[int(fields[1])].append(int(stat.parent.name))
    found: set[int] = set()
    waiting = [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "load_average_1m": os.getloadavg()[0]}


# -- (a) the loader, in a child process ------------------------------------------------------


def fresh_child() -> ProcessPoolExecutor:
    """One spawned process (its peak RSS its own) that may fork workers of its own, as the
    commands do (AUTHREG_LOAD_WORKERS): not a multiprocessing.Pool's, whose workers are
    daemonic and may not have children."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def measure_loader(
    driver: Driver, settings: Settings, pid: int | None, data: Path, *, profile: bool
) -> dict[str, Any]:
    """Wipe, then load the dataset as `authreg load` does, in a fresh child process."""
    wipe(driver, settings.neo4j_database)
    with PeakRss(pid) as neo4j_rss, fresh_child() as child:
        result = child.submit(load_in_child, settings.neo4j_uri, data, profile).result()
    result["neo4j_peak_rss"] = neo4j_rss.peak
    result["load_average_1m"] = os.getloadavg()[0]
    result["entities"] = count_entities(driver, settings.neo4j_database)
    return result


def load_in_child(uri: str | None, data: Path, profile: bool) -> dict[str, Any]:
    """The child's whole job: plan, write, and report its own times and peak RSS."""
    from loaders.load import plan_load, write_plan
    from loaders.report import LoadReport

    settings = load_settings(neo4j_uri=uri) if uri else load_settings()
    rss_before = proc_status(os.getpid(), "VmRSS")
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    report = LoadReport()
    # As `authreg load`: read in AUTHREG_LOAD_WORKERS forked processes, before any connection
    # (under --profile in this one process, so that cProfile sees the reading).
    workers = 1 if profiler else settings.load_workers
    plan = plan_load([data], report, need_metadata=True, workers=workers)
    if report.errors:
        raise SystemExit(f"the dataset does not load: {report.errors[0].line()}")
    planned = time.perf_counter()
    with connected(settings) as driver:
        files = write_plan(driver, settings.neo4j_database, plan)
    done = time.perf_counter()
    if profiler:
        profiler.disable()
    result = {
        "seconds": done - started,
        "plan_seconds": planned - started,
        "write_seconds": done - planned,
        "catalog_rows": sum(len(c.rows) for c in plan.catalogs),
        "files": len(files),
        "read_workers": workers,
        "rss_before_load": rss_before,
        # VmHWM, not ru_maxrss: Linux carries the parent's RSS at fork into the child's maxrss
        "peak_rss": proc_status(os.getpid(), "VmHWM"),
    }
    if profiler:
        result |= profile_summary(profiler, done - started)
    return result


def count_entities(driver: Driver, database: str) -> int:
    with open_session(driver, database) as session:
        nodes = session.execute_read(node_count)
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS n").single(strict=True)["n"]
    return nodes + int(rels)


def dump_graph(driver: Driver, database: str) -> GraphRows:
    """The whole graph as rows (bookkeeping left out), for (b), (c), (d) and every comparison."""
    with open_session(driver, database) as session:
        return session.execute_read(graph_dump)


# -- (b) the plain batched writer ------------------------------------------------------------


def measure_batched(
    driver: Driver, database: str, pid: int | None, graph: GraphRows
) -> dict[str, Any]:
    """Wipe, write the dumped rows back in UNWIND batches, compare with (a)'s graph."""
    wipe(driver, database)
    with PeakRss(pid) as neo4j_rss:
        started = time.perf_counter()
        statements = write_batched(driver, database, graph)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "entities": graph.node_count + graph.rel_count,
        "transactions": statements,
        "neo4j_peak_rss": neo4j_rss.peak,
        "load_average_1m": os.getloadavg()[0],
        "compared": compare(graph, dump_graph(driver, database)),
    }


def write_batched(driver: Driver, database: str, graph: GraphRows) -> int:
    """Nodes label by label, then relationships type by type; one transaction per batch.
    A row is a tuple, sent as a list: (key, props) and (a, b, props)."""
    transactions = 0
    with driver.session(database=database) as session:
        for label, rows in graph.nodes.items():
            cypher = f"UNWIND $rows AS row MERGE (n:{label} {{{KEYS[label]}: row[0]}}) "
            cypher += "SET n += row[1]"
            transactions += write_in_batches(session, cypher, rows)
        for (rel, start, end), rels in graph.rels.items():
            cypher = (
                f"UNWIND $rows AS row MATCH (a:{start} {{{KEYS[start]}: row[0]}}) "
                f"MATCH (b:{end} {{{KEYS[end]}: row[1]}}) "
                f"MERGE (a)-[r:{rel}]->(b) SET r += row[2]"
            )
            transactions += write_in_batches(session, cypher, rels)
    return transactions


def write_in_batches(session: Session, cypher: str, rows: list[tuple]) -> int:
    for start in range(0, len(rows), BATCH):
        session.execute_write(run_rows, cypher, rows[start : start + BATCH])
    return math.ceil(len(rows) / BATCH)


def run_rows(tx: ManagedTransaction, cypher: str, rows: list[tuple]) -> None:
    tx.run(cypher, rows=rows).consume()


# -- (c) the naive loop ----------------------------------------------------------------------


def measure_naive(
    driver: Driver, database: str, pid: int | None, graph: GraphRows, wanted: int
) -> dict[str, Any]:
    """Wipe, then one auto-commit statement per row of an even sample; project the whole."""
    wipe(driver, database)
    nodes, rels = naive_sample(graph, wanted)
    with PeakRss(pid) as neo4j_rss, driver.session(database=database) as session:
        started = time.perf_counter()
        for label, rows in nodes.items():
            cypher = f"MERGE (n:{label} {{{KEYS[label]}: $key}}) SET n += $props"
            for key, props in rows:
                session.run(cypher, key=key, props=props).consume()
        between = time.perf_counter()
        for (rel, start, end), links in rels.items():
            cypher = (
                f"MATCH (a:{start} {{{KEYS[start]}: $a}}) MATCH (b:{end} {{{KEYS[end]}: $b}}) "
                f"MERGE (a)-[r:{rel}]->(b) SET r += $props"
            )
            for a, b, props in links:
                session.run(cypher, a=a, b=b, props=props).consume()
        done = time.perf_counter()
    sampled_nodes = sum(map(len, nodes.values()))
    sampled_rels = sum(map(len, rels.values()))
    per_node, per_rel = (between - started) / sampled_nodes, (done - between) / sampled_rels
    return {
        "sampled_nodes": sampled_nodes,
        "sampled_relationships": sampled_rels,
        "sample_seconds": done - started,
        "seconds_per_node": per_node,
        "seconds_per_relationship": per_rel,
        "seconds": per_node * graph.node_count + per_rel * graph.rel_count,  # projected
        "entities": graph.node_count + graph.rel_count,
        "neo4j_peak_rss": neo4j_rss.peak,
        "load_average_1m": os.getloadavg()[0],
    }


def naive_sample(graph: GraphRows, wanted: int) -> tuple[dict, dict]:
    """Every k-th relationship, and every k-th node plus the ends those relationships need."""
    step = max(1, (graph.node_count + graph.rel_count) // max(1, wanted // 2))
    rels = {group: rows[::step] for group, rows in graph.rels.items()}
    needed: dict[Label, set[Any]] = defaultdict(set)
    for (_, start, end), rows in rels.items():
        needed[start].update(a for a, _, _ in rows)
        needed[end].update(b for _, b, _ in rows)
    nodes = {
        label: [row for n, row in enumerate(rows) if n % step == 0 or row[0] in needed[label]]
        for label, rows in graph.nodes.items()
    }
    return nodes, rels


# -- (d) neo4j-admin database import of the rows ---------------------------------------------


def measure_import(
    settings: Settings, graph: GraphRows, tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """The rows as the project's CSV files, imported into a fresh home, then a server on it:
    `finish_import` (schema, indexes, empty lists), and the graph compared with (a)'s."""
    database = settings.neo4j_database
    started = time.perf_counter()
    files = write_import_files(graph, tmp / "csv")
    csv_seconds = time.perf_counter() - started
    local = LocalNeo4j(
        home=tmp / "import-home",
        port=free_port(),
        password=settings.neo4j_password.get_secret_value(),
        heap=args.check_heap,
        pagecache=args.check_pagecache,
    )
    result = run_admin_import(local, files, database, args) | {"csv_seconds": csv_seconds}
    started = time.perf_counter()
    state, _ = local.start()
    result["start_seconds"] = time.perf_counter() - started
    try:
        with connected(load_settings(neo4j_uri=state.uri)) as driver:
            with PeakRss(state.pid) as server_rss:
                started = time.perf_counter()
                result["finished"] = finish_import(driver, database, files)
                result["schema_seconds"] = time.perf_counter() - started
            result["check_server_peak_rss"] = server_rss.peak
            result["compared"] = compare(graph, dump_graph(driver, database))
    finally:
        local.stop()
    result["nodes"], result["relationships"] = files.nodes, files.relationships
    result["entities"] = files.nodes + files.relationships
    return result


def run_admin_import(
    local: LocalNeo4j, files: ImportFiles, database: str, args: argparse.Namespace
) -> dict[str, Any]:
    """The import command `authreg db import` runs, in its own JVM; wall time, the tool's own
    report, and its peak RSS (VmHWM: wait4's ru_maxrss would count this process's RSS when it
    forked the JVM)."""
    command, env = local.admin_import_command(
        files.args, heap=args.import_heap, off_heap=args.import_memory, database=database
    )
    log = local.home / "logs" / "import.log"
    started = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        with PeakRss(child.pid, "VmHWM") as import_rss:
            child.wait()
    seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    if child.returncode != 0:
        raise SystemExit(
            f"neo4j-admin import failed ({child.returncode}); see {log}:\n{text[-2000:]}"
        )
    return {
        "seconds": seconds,
        **tool_report(text),
        "peak_rss": import_rss.peak,
        # The store as the import wrote it: a server's files grow only at checkpoints.
        "store_bytes": folder_bytes(local.home / "data" / "databases" / database),
        "xmx": args.import_heap,
        "max_off_heap_memory": args.import_memory,
    }


def tool_report(text: str) -> dict[str, str | None]:
    """What neo4j-admin import says of itself: its time and its estimate of its memory."""
    done = re.search(r"IMPORT DONE in ([^.]+)\.", text)
    peak = re.search(r"Peak memory usage: (\S+)", text)
    return {
        "tool_reported": done.group(1) if done else None,
        "tool_peak_memory": peak.group(1) if peak else None,
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- (e) the bulk first load, `authreg db import` --------------------------------------------


def measure_bulk_load(
    settings: Settings, graph: GraphRows, data: Path, tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """`authreg db import` of the dataset into a fresh local home, in a child process (its
    peak RSS its own; the import JVM's and the server's sampled below it); then its graph
    compared with (a)'s, and its server stopped."""
    home = tmp / "bulk-home"
    overrides = {
        "neo4j_uri": None,  # the local Neo4j of these settings, whatever NEO4J_URI says
        "local_home": home,
        "local_port": free_port(),
        "local_heap": args.check_heap,
        "local_pagecache": args.check_pagecache,
    }
    bulk = load_settings(**overrides)
    options = ImportOptions(heap=args.import_heap, off_heap=args.import_memory)
    try:
        with TreePeaks(os.getpid()) as tree, fresh_child() as child:
            result = child.submit(bulk_load_in_child, overrides, data, options).result()
        result["import_peak_rss"] = tree.peak_of(ADMIN_MAIN, "import")
        result["server_peak_rss"] = tree.peak_of(SERVER_MAIN, f"--home-dir={home}")
        result["load_average_1m"] = os.getloadavg()[0]
        result["server_heap"] = args.check_heap
        with connected(bulk) as driver:
            imported = dump_graph(driver, bulk.neo4j_database)
    finally:
        local_neo4j(bulk).stop()
    result["compared"] = compare(graph, imported)
    result["nodes"], result["relationships"] = imported.node_count, imported.rel_count
    result["entities"] = imported.node_count + imported.rel_count
    return result


def bulk_load_in_child(overrides: dict, data: Path, options: ImportOptions) -> dict[str, Any]:
    """The child's whole job: `authreg db import DATA`, its steps' times and its own peak RSS."""
    from authreg.import_command import run_import

    settings = load_settings(**overrides)
    rss_before = proc_status(os.getpid(), "VmRSS")
    said = io.StringIO()
    times: dict[str, float] = {}
    status = run_import([data], settings, Console(file=said, width=200), options, times)
    if status != 0:
        raise SystemExit(f"authreg db import failed ({status}):\n{said.getvalue()}")
    return {
        "seconds": sum(times.values()),
        "steps": times,
        "said": said.getvalue().strip().splitlines()[-1],
        "rss_before_load": rss_before,
        "peak_rss": proc_status(os.getpid(), "VmHWM"),
        "xmx": options.heap,
        "max_off_heap_memory": options.off_heap,
    }


# -- the profile -----------------------------------------------------------------------------


BUCKETS = (  # where a function's own time (tottime) goes, by the file it lives in
    ("waiting on Neo4j (socket reads: server work + round trips)", ("<method 'recv_into'",)),
    ("YAML parsing (PyYAML)", ("/yaml/", "_yaml")),
    ("driver: packing, sending, protocol", ("neo4j", "<method 'sendall'")),
    ("validation (pydantic)", ("/pydantic", "pydantic_core")),
    ("reading CSV/XLSX (csv, openpyxl)", ("/openpyxl/", "/csv.py", "<built-in method _csv")),
    ("legal-basis parsing (loaders/citations, numerals)", ("/loaders/citations", "/numerals")),
    ("other loaders/ code", ("/loaders/",)),
    ("schema/ models", ("/schema/",)),
)
OTHER = "other: builtins (regex, str, dict …) called by all of the above, the stdlib"


def profile_summary(profiler: cProfile.Profile, seconds: float) -> dict[str, Any]:
    """Own time by bucket, cumulative time of the write functions, the top functions."""
    stats = pstats.Stats(profiler)
    handle, stats_file = tempfile.mkstemp(prefix="load-profile-", suffix=".prof")
    os.close(handle)
    stats.dump_stats(stats_file)
    buckets: Counter[str] = Counter()
    for (file, line, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{file}:{line}({name})" if file != "~" else name
        label = next((b for b, marks in BUCKETS if any(m in where for m in marks)), OTHER)
        buckets[label] += own
    cumulative = {
        f"{Path(file).name}:{name}": ct
        for (file, _, name), (_, _, _, ct, _) in stats.stats.items()  # type: ignore[attr-defined]
        if file.endswith(("loaders/write.py", "loaders/catalogs.py", "loaders/records.py"))
        or (file.endswith("transaction.py") and name == "_commit")
        or (file.endswith("loaders/load.py") and name in {"plan_load", "write_plan"})
        or name in {"read_data_file", "validate_table", "parse_basis", "read_tables", "read_meta"}
    }
    own_top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]  # type: ignore[attr-defined]
    return {
        "profiled_seconds": seconds,
        "stats_file": stats_file,
        "buckets": dict(buckets.most_common()),
        "cumulative": dict(sorted(cumulative.items(), key=lambda kv: -kv[1])[:25]),
        "top_own": [(f"{Path(f).name}:{ln}({n})", v[2]) for (f, ln, n), v in own_top],
    }


def yaml_side_by_side(data: Path) -> dict[str, Any]:
    """The dataset's YAML files read with SafeLoader and with CSafeLoader: same data? how long?"""
    texts = [p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yaml"))]
    timed: dict[str, float] = {}
    loaded: dict[str, list[Any]] = {}
    loaders = {"SafeLoader": yaml.SafeLoader, "CSafeLoader": getattr(yaml, "CSafeLoader", None)}
    for name, loader in loaders.items():
        if loader is None:
            continue
        started = time.perf_counter()
        loaded[name] = [yaml.load(text, Loader=loader) for text in texts]
        timed[name] = time.perf_counter() - started
    same = len(set(map(repr, loaded.values()))) == 1
    return {
        "files": len(texts),
        "megabytes": sum(map(len, texts)) / 1e6,
        "seconds": timed,
        "same_data": same,
    }


# -- the report ------------------------------------------------------------------------------


def print_report(results: dict[str, Any]) -> None:
    a, b, c, d, e = medians(results)
    graph = results["graph"]
    print(
        f"\ndata: {results['data']}; {a['catalog_rows']:,} catalog rows; graph "
        f"{graph['nodes']:,} nodes + {graph['relationships']:,} relationships = "
        f"{graph['nodes'] + graph['relationships']:,} entities (bookkeeping nodes left out)"
    )
    print(
        f"machine: {results['machine']['cores']} cores, load average "
        f"{results['machine']['load_average_1m']:.1f} at start (shared: figures are noisy; "
        "the ratios, measured in the same run, less so)\n"
    )
    print_rates(results, a["catalog_rows"])
    print_ratios(results)
    print_comparison(b, d, e)
    print_memory(results, a, b, c, d, e)
    if "profile" in results:
        print_profile(results["profile"])
    print(f"\nissue 7, measured before filing: {ISSUE_FIGURES}")


def medians(results: dict[str, Any]) -> tuple[dict, dict, dict, dict, dict]:
    """The median run of (a), (b) and (c) (by time), and (d) and (e) (run once)."""
    picked = []
    for name in ("a", "b", "c"):
        ordered = sorted(results[name], key=lambda run: run["seconds"])
        picked.append(ordered[(len(ordered) - 1) // 2])
    return picked[0], picked[1], picked[2], results["d"], results["e"]


def print_rates(results: dict[str, Any], rows: int) -> None:
    a, b, c, d, e = medians(results)
    runs = {name: ", ".join(f"{r['seconds']:.1f}" for r in results[name]) for name in "abc"}
    table = [
        ["", "seconds", "entities/s", "catalog rows/s", "what"],
        rate_line(
            "(a) loader",
            a,
            rows,
            f"median of runs ({runs['a']} s); read+validate+"
            f"parse {a['plan_seconds']:.1f} s, write {a['write_seconds']:.1f} s",
        ),
        rate_line(
            "(b) batched UNWIND MERGE",
            b,
            rows,
            f"pre-resolved rows, {BATCH:,}/tx, "
            f"{b['transactions']} tx; median of runs ({runs['b']} s)",
        ),
        rate_line(
            "(c) naive per-row loop",
            c,
            rows,
            f"projected; median of runs ({runs['c']} s) "
            f"of {c['sampled_nodes']:,} nodes + {c['sampled_relationships']:,} rels, "
            f"{c['seconds_per_node'] * 1000:.2f} ms/node, "
            f"{c['seconds_per_relationship'] * 1000:.2f} ms/rel",
        ),
        rate_line(
            "(d) neo4j-admin import",
            d,
            rows,
            f"pre-resolved rows as CSV ({d['csv_seconds']:.1f} s to write, not counted), wall "
            f"time with JVM start (tool: {d['tool_reported']}); "
            f"{d['nodes'] / d['seconds']:,.0f} nodes/s, {d['relationships'] / d['seconds']:,.0f} "
            "rels/s",
        ),
        rate_line(
            "(d) + schema",
            d,
            rows,
            f"+ {d['schema_seconds']:.1f} s finish_import: constraints and indexes built and "
            f"online, empty lists set (server start, {d['start_seconds']:.1f} s, not counted)",
            d["seconds"] + d["schema_seconds"],
        ),
        rate_line(
            "(e) authreg db import",
            e,
            rows,
            "from the dataset's files, all its steps (below), the server start included",
        ),
    ]
    print_table(table)
    print(
        "(b) and (d) write PRE-RESOLVED rows (the graph (a) wrote, dumped): no reading, "
        "parsing, validation, name resolution or versioning, so they are an upper bound."
    )
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in e["steps"].items())
    print(f"(e)'s steps: {steps}")
    print(f"(e) said: {e['said']}")


def rate_line(
    name: str, run: dict[str, Any], rows: int, note: str, seconds: float | None = None
) -> list[str]:
    spent = run["seconds"] if seconds is None else seconds
    return [name, f"{spent:,.1f}", f"{run['entities'] / spent:,.0f}", f"{rows / spent:,.0f}", note]


def ratios(results: dict[str, Any]) -> dict[str, float]:
    """Rate of one over another's: the same entities, so the inverse ratio of their times."""
    a, b, c, d, e = medians(results)
    d_and_schema = d["seconds"] + d["schema_seconds"]
    return {
        "a/b": b["seconds"] / a["seconds"],
        "a/c": c["seconds"] / a["seconds"],
        "a/d": d["seconds"] / a["seconds"],
        "a/(d + schema)": d_and_schema / a["seconds"],
        "e/a": a["seconds"] / e["seconds"],
        "e/(d + schema)": d_and_schema / e["seconds"],
    }


def print_ratios(results: dict[str, Any]) -> None:
    print()
    for name, value in results["ratios"].items():
        target = TARGETS.get(name)
        verdict = (
            ""
            if target is None
            else f"  target ≥ {target:g}×: " + ("met" if value >= target else "NOT met")
        )
        print(f"{name} = {value:.3g}×{verdict}")
    for other in ("b", "c"):
        turns = zip(results["a"], results[other], strict=True)
        print(
            f"a/{other} turn by turn (each (a) with the ({other}) after it): "
            + ", ".join(f"{theirs['seconds'] / ours['seconds']:.3g}×" for ours, theirs in turns)
        )
    e = results["e"]
    print(
        "e/a turn by turn (each (a) against the one (e)): "
        + ", ".join(f"{ours['seconds'] / e['seconds']:.3g}×" for ours in results["a"])
    )


def print_comparison(b: dict, d: dict, e: dict) -> None:
    print()
    for name, run in (("(b)", b), ("(d)", d), ("(e)", e)):
        compared = run["compared"]
        if compared["same"]:
            print(
                f"{name} wrote the same graph as (a): every label and type, every row and "
                f"every property ({len(compared['groups'])} labels and relationship groups "
                "compared)"
            )
            continue
        print(f"{name} DIFFERS from (a)'s graph (rows: (a)'s vs {name}'s):")
        for line in differences(compared):
            print(f"  {line}")
    finished = d["finished"]
    print(
        f"(d) set {finished['set_after_import_on_nodes']} node and "
        f"{finished['set_after_import_on_relationships']} relationship rows after the import "
        "(empty lists and text with line breaks, which its CSV cannot carry)"
    )


def print_memory(results: dict, a: dict, b: dict, c: dict, d: dict, e: dict) -> None:
    neo = results["neo4j"]
    print()
    print(
        f"memory: Neo4j heap {neo['heap']}, page cache {neo['pagecache']} (pid {neo['pid']}); "
        f"the graph's store files, as (d) wrote them: {mib(d['store_bytes'])}"
    )
    print(
        f"  loader process peak RSS {mib(max(r['peak_rss'] for r in results['a']))} over "
        f"{len(results['a'])} runs (interpreter and imports {mib(a['rss_before_load'])})"
    )
    for name, run in (("(a)", a), ("(b)", b), ("(c)", c)):
        print(f"  Neo4j peak RSS during {name}: {mib(run['neo4j_peak_rss'])}")
    print(f"  Neo4j peak RSS since it started: {mib(neo.get('peak_rss_since_start'))}")
    pools = ", ".join(
        f"{name} {mib(pool['peak'])} (now {mib(pool['used'])})"
        for name, pool in neo.get("heap_pools", {}).items()
    )
    print(f"  Neo4j heap pools, peak used since it started: {pools}")
    print(
        f"  (d) neo4j-admin import peak RSS {mib(d['peak_rss'])} (-Xmx{d['xmx']}, "
        f"--max-off-heap-memory={d['max_off_heap_memory']}; tool says {d['tool_peak_memory']})"
    )
    print(
        f"  (d) server on the imported store, during finish_import: "
        f"{mib(d['check_server_peak_rss'])}"
    )
    print(
        f"  (e) `authreg db import` process peak RSS {mib(e['peak_rss'])} (interpreter and "
        f"imports {mib(e['rss_before_load'])}); its neo4j-admin import {mib(e['import_peak_rss'])} "
        f"(-Xmx{e['xmx']}, --max-off-heap-memory={e['max_off_heap_memory']}); its server "
        f"(heap {e['server_heap']}), start to schema: {mib(e['server_peak_rss'])}"
    )


def print_profile(profile: dict[str, Any]) -> None:
    total = profile["profiled_seconds"]
    print(
        f"\nprofile of (a) under cProfile: {total:.1f} s (plan {profile['plan_seconds']:.1f} s, "
        f"write {profile['write_seconds']:.1f} s; cProfile slows Python code, not Neo4j)"
    )
    print("  own time by kind:")
    for bucket, seconds in profile["buckets"].items():
        print(f"    {seconds:7.1f} s {seconds / total:5.1%}  {bucket}")
    print("  cumulative time of the loader's steps:")
    for name, seconds in profile["cumulative"].items():
        print(f"    {seconds:7.1f} s  {name}")
    print("  functions with the most own time:")
    for name, seconds in profile["top_own"]:
        print(f"    {seconds:7.1f} s  {name}")
    side = profile["yaml"]
    timings = ", ".join(f"{name} {s:.2f} s" for name, s in side["seconds"].items())
    print(
        f"  the dataset's {side['files']} YAML files ({side['megabytes']:.1f} MB): {timings}; "
        f"same data: {side['same_data']}"
    )


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        print("  ".join([*cells, row[-1]]))


def mib(value: int | None) -> str:
    return "n/a" if not value else f"{value / 2**20:,.0f} MiB"


if __name__ == "__main__":
    main()
