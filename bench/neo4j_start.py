"""The local Neo4j's start-up, first work and idle memory (本地数据库启动), three settings side by side.

    .venv/bin/python bench/neo4j_start.py [--turns 3] [--idle 15] [--no-work]

Side by side in one run, turns alternating, on one home folder each (created first, so each
start is a restart of an existing store, as `make demo` and `db start` do after the first time):
- old: -Xms = -Xmx = the heap, no class-data archive, both JIT compilers;
- lean: -Xms64m growing to the heap, idle heap given back (G1 periodic collections), and the
  class-data archive `authreg db build` records; both JIT compilers (AUTHREG_LOCAL_JIT=full);
- quick (the default now): lean, with the C1 compiler only (AUTHREG_LOCAL_JIT=quick).
Per start: wall seconds to ready (Bolt answers and the log says Started), the JVM's CPU seconds to
ready (user + system: less sensitive to a busy machine than wall time); then, as the demo does,
the sample loaded and the authority question asked for every item and street of the sample
(wall seconds, and the JVM's CPU seconds for it); and RSS after --idle seconds of idling. Prints
each turn, the medians, the ratios (lean ÷ old, quick ÷ lean) and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from neo4j import GraphDatabase

from authreg.local_db import LocalNeo4j, build_class_archive, build_jars, free_port
from authreg.local_db import process_rss_bytes as rss_bytes
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from queries.working_days import china_today
from schema.migrate import migrate

PASSWORD = "bench-neo4j-start"
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--idle", type=float, default=15.0, help="seconds idle before RSS")
    parser.add_argument("--heap", default="1g", help="-Xmx of each (the demo's default)")
    parser.add_argument(
        "--no-work", action="store_true", help="start and idle only: no sample load, no questions"
    )
    args = parser.parse_args()
    build_jars()
    archive = build_class_archive()
    print(f"class-data archive: {archive or 'none (lean runs without one)'}")
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as root:
        servers = {
            name: LocalNeo4j(
                home=Path(root) / name,
                port=free_port(),
                password=PASSWORD,
                heap=args.heap,
                lean=lean,
                jit=jit,
            )
            for name, lean, jit in (
                ("old", False, "full"),
                ("lean", True, "full"),
                ("quick", True, "quick"),
            )
        }
        for server in servers.values():  # create each store once: the turns time restarts
            server.start()
            server.stop()
        figures: dict[str, list[tuple[float, ...]]] = {name: [] for name in servers}
        for turn in range(1, args.turns + 1):
            for name, server in servers.items():
                run = _one_start(server, args.idle, work=not args.no_work)
                figures[name].append(run)
                wall, cpu, work_wall, work_cpu, rss = run
                print(
                    f"turn {turn} {name:>5}: ready in {wall:5.1f} s wall, {cpu:5.1f} s CPU; "
                    f"load + questions {work_wall:5.1f} s wall, {work_cpu:5.1f} s CPU; "
                    f"idle RSS {rss:4.0f} MiB (load {os.getloadavg()[0]:.1f})"
                )
    _summary(figures)


def _one_start(server: LocalNeo4j, idle_s: float, *, work: bool) -> tuple[float, ...]:
    started = time.monotonic()
    state, _ = server.start()
    wall = time.monotonic() - started
    cpu = _cpu_seconds(state.pid)
    work_wall = work_cpu = 0.0
    if work:
        started = time.monotonic()
        _load_and_ask(state.uri)
        work_wall = time.monotonic() - started
        work_cpu = _cpu_seconds(state.pid) - cpu
    time.sleep(idle_s)
    rss = (rss_bytes(state.pid) or 0) / 2**20
    server.stop()
    return wall, cpu, work_wall, work_cpu, rss


def _load_and_ask(uri: str) -> None:
    """What the demo does after the start: the sample loaded (into a wiped graph), then the
    authority question for every delegated item and street of the sample."""
    auth = ("neo4j", PASSWORD)
    with GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF") as driver:
        migrate(driver, "neo4j")
        driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
        report = LoadReport()
        write_plan(driver, "neo4j", plan_load([SAMPLE], report, need_metadata=True))
        pairs, _, _ = driver.execute_query(
            "MATCH (i:EnforcementItem)<-[:OF]-(:Delegation)-[:TO]->(s:Street) "
            "RETURN DISTINCT i.code AS item, s.code AS street"
        )
        with driver.session() as session:
            for pair in pairs:
                session.execute_read(
                    authority, item=pair["item"], street=pair["street"], as_of=china_today()
                )


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _summary(figures: dict[str, list[tuple[float, ...]]]) -> None:
    medians = {
        name: [statistics.median(run[i] for run in runs) for i in range(5)]
        for name, runs in figures.items()
    }
    load1, load5, load15 = os.getloadavg()
    print(f"\nmedians (load average {load1:.1f} {load5:.1f} {load15:.1f}, {os.cpu_count()} cores)")
    print(
        "| settings | ready, wall s | ready, CPU s | load + questions, wall s "
        "| load + questions, CPU s | idle RSS MiB |"
    )
    print("|---|---|---|---|---|---|")
    for name, figure in medians.items():
        wall, cpu, work_wall, work_cpu, rss = figure
        work = f"{work_wall:.1f} | {work_cpu:.1f}" if work_wall else "– | –"  # --no-work
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {work} | {rss:.0f} |")
    for new, old in (("lean", "old"), ("quick", "lean")):
        ratios = " | ".join(
            f"{a / b:.2f}" if b else "–" for a, b in zip(medians[new], medians[old], strict=True)
        )
        print(f"| {new} ÷ {old} | {ratios} |")


if __name__ == "__main__":
    main()
