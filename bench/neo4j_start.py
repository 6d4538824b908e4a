"""The local Neo4j's start-up and idle memory (本地数据库启动), lean settings vs the old ones.

    .venv/bin/python bench/neo4j_start.py [--turns 3] [--idle 15]

Side by side in one run, turns alternating, on one home folder each (created first, so each
start is a restart of an existing store, as `make demo` and `db start` do after the first time):
- old: -Xms = -Xmx = the heap, no class-data archive;
- lean (the default now): -Xms64m growing to the heap, idle heap given back (G1 periodic
  collections), and the class-data archive `authreg db build` records.
Per start: wall seconds to ready (Bolt answers and the log says Started), the JVM's CPU seconds to
ready (user + system: less sensitive to a busy machine than wall time), and RSS after --idle
seconds of idling. Prints each turn, the medians, the ratios (lean ÷ old) and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from authreg.local_db import LocalNeo4j, build_class_archive, build_jars, free_port
from authreg.local_db import process_rss_bytes as rss_bytes

PASSWORD = "bench-neo4j-start"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--idle", type=float, default=15.0, help="seconds idle before RSS")
    parser.add_argument("--heap", default="1g", help="-Xmx of both (the demo's default)")
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
            )
            for name, lean in (("old", False), ("lean", True))
        }
        for server in servers.values():  # create each store once: the turns time restarts
            server.start()
            server.stop()
        figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in servers}
        for turn in range(1, args.turns + 1):
            for name, server in servers.items():
                wall, cpu, rss = _one_start(server, args.idle)
                figures[name].append((wall, cpu, rss))
                print(
                    f"turn {turn} {name:>4}: ready in {wall:5.1f} s wall, {cpu:5.1f} s CPU; "
                    f"idle RSS {rss:4.0f} MiB (load {os.getloadavg()[0]:.1f})"
                )
    _summary(figures)


def _one_start(server: LocalNeo4j, idle_s: float) -> tuple[float, float, float]:
    started = time.monotonic()
    state, _ = server.start()
    wall = time.monotonic() - started
    cpu = _cpu_seconds(state.pid)
    time.sleep(idle_s)
    rss = (rss_bytes(state.pid) or 0) / 2**20
    server.stop()
    return wall, cpu, rss


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _summary(figures: dict[str, list[tuple[float, float, float]]]) -> None:
    medians = {
        name: [statistics.median(run[i] for run in runs) for i in range(3)]
        for name, runs in figures.items()
    }
    load1, load5, load15 = os.getloadavg()
    print(f"\nmedians (load average {load1:.1f} {load5:.1f} {load15:.1f}, {os.cpu_count()} cores)")
    print("| settings | ready, wall s | ready, CPU s | idle RSS MiB |")
    print("|---|---|---|---|")
    for name, (wall, cpu, rss) in medians.items():
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {rss:.0f} |")
    old, lean = medians["old"], medians["lean"]
    print(
        f"| lean ÷ old | {lean[0] / old[0]:.2f} | {lean[1] / old[1]:.2f} | {lean[2] / old[2]:.2f} |"
    )


if __name__ == "__main__":
    main()
