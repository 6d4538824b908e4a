"""How long each read takes to plan (查询规划耗时): what the first question after a load waits for.

    .venv/bin/python bench/plan_time.py [--baseline DIR] [--rounds 3] [--top 15]

`authreg load` ends by dropping the server's cached plans (loaders.load.refresh_query_plans), so
the first time each question is asked after a load, the server plans it again: a statement that
takes seconds to plan makes that first answer wait seconds (and a test suite that loads often
pays it again and again). Starts a local Neo4j (the product's settings), loads the sample, then
per round and per statement of `queries/*.cypher`: drops the cached plans and times `EXPLAIN`
(planning only; nothing runs). With --baseline (another checkout, e.g. `git worktree add
/tmp/base <commit>`), that checkout's statement of the same name is timed in the same round,
alternating, on the same server and graph. Prints the median per statement (slowest first),
the ratio this ÷ baseline, the totals, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from neo4j import GraphDatabase

from authreg.local_db import LocalNeo4j, build_jars, free_port
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from schema.migrate import migrate

HERE = Path(__file__).resolve().parents[1]
PASSWORD = "bench-plan-time"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=15, help="statements to print")
    args = parser.parse_args()
    trees = {"this": HERE} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    statements = {
        name: {
            path.stem: path.read_text(encoding="utf-8")
            for path in (tree / "queries").glob("*.cypher")
        }
        for name, tree in trees.items()
    }
    build_jars()
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as home:
        server = LocalNeo4j(home=Path(home), port=free_port(), password=PASSWORD)
        state, _ = server.start()
        try:
            times = _time_plans(state.uri, statements, args.rounds)
        finally:
            server.stop()
    print(f"load average after:  {_load()}")
    _summary(times, args.top)


def _time_plans(
    uri: str, statements: dict[str, dict[str, str]], rounds: int
) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {name: {} for name in statements}
    with GraphDatabase.driver(
        uri, auth=("neo4j", PASSWORD), notifications_min_severity="OFF"
    ) as driver:
        migrate(driver, "neo4j")
        report = LoadReport()
        write_plan(
            driver, "neo4j", plan_load([HERE / "data" / "sample"], report, need_metadata=True)
        )
        names = sorted(set().union(*statements.values()))
        with driver.session(database="neo4j") as session:
            for _ in range(rounds):
                for stem in names:
                    for tree, texts in statements.items():
                        if stem not in texts:
                            continue
                        session.run("CALL db.clearQueryCaches()").consume()
                        started = time.perf_counter()
                        session.run("EXPLAIN " + texts[stem]).consume()
                        elapsed = (time.perf_counter() - started) * 1000
                        times[tree].setdefault(stem, []).append(elapsed)
    return times


def _summary(times: dict[str, dict[str, list[float]]], top: int) -> None:
    medians = {
        tree: {s: statistics.median(v) for s, v in found.items()} for tree, found in times.items()
    }
    this = medians["this"]
    base = medians.get("baseline", {})
    print(f"\n{'statement':<34} {'this ms':>9}" + (f" {'base ms':>9} {'ratio':>6}" if base else ""))
    for stem in sorted(this, key=lambda s: -this[s])[:top]:
        line = f"{stem:<34} {this[stem]:9.0f}"
        if stem in base:
            line += f" {base[stem]:9.0f} {this[stem] / base[stem]:6.2f}"
        print(line)
    line = f"{'all statements':<34} {sum(this.values()):9.0f}"
    if base:
        line += f" {sum(base.values()):9.0f} {sum(this.values()) / sum(base.values()):6.2f}"
    print(line)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
