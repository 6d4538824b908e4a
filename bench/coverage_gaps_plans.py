"""Coverage gaps before and after (查询计划, issue 16.5): a county's p50/p99 side by side, each read's
cost, and a city's or the nation's gaps in one call against every county asked in turn.

    .venv/bin/python bench/coverage_gaps_plans.py [--before REV] [--counties 100] [--calls 40]
        [--data DIR --loaded N]

"Before" is the whole code base at REV (default HEAD), exported with `git archive` into a temp
folder; "after" is the working tree. Each runs in its own worker process (its own driver) on the
same Neo4j, asked in alternating blocks of 5 calls (each block after one discarded call), so both
see the same load on this shared machine; the answers are compared whole (a hash of their JSON).
Then, after only: each read of one county call timed (median of 5 calls) and profiled (db hits),
and the wider questions: the first county's city, and the nation (every county), each one call,
against "before"'s only way to ask it: every county in turn.

A synthetic nation (`authreg synth`, 14 streets × 120 items a county, seed 7) is loaded with the
loader into a throwaway Neo4j; or, with NEO4J_URI set and --loaded N, the graph already holds the
first N counties of --data (e.g. after `authreg db import`). The 1-minute load average is printed
before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from query_scaling import (
    ProfiledTransaction,
    first_county,
    load,
    make_dataset,
    neo4j_settings,
    percentile,
    wipe,
)

from authreg.driver import open_driver

REPO = Path(__file__).resolve().parents[1]
BLOCK = 5

# One process answering on stdin: {"calls": n, "scope": {...}} or {"sweep": [county codes]} →
# {"seconds": [...], "answers": sha256 of the answers' JSON}. Run with cwd = the code to measure.
WORKER = r"""
import hashlib, json, sys, time
sys.path.insert(0, ".")
from authreg.driver import open_driver
from authreg.settings import load_settings
from queries.coverage_gaps import coverage_gaps
from synthetic.timeline import CHECK_DAY
settings = load_settings()
driver = open_driver(settings)
with driver.session(database=settings.neo4j_database) as session:
    for line in sys.stdin:
        ask = json.loads(line)
        scopes = [{"region": c} for c in ask["sweep"]] if "sweep" in ask else [ask["scope"]] * ask["calls"]
        seconds, digest = [], hashlib.sha256()
        for scope in scopes:
            started = time.perf_counter()
            answer = session.execute_read(coverage_gaps, as_of=CHECK_DAY, **scope)
            seconds.append(time.perf_counter() - started)
            digest.update(answer.model_dump_json().encode())
        print(json.dumps({"seconds": seconds, "answers": digest.hexdigest()}), flush=True)
"""


class Worker:
    def __init__(self, code: Path, uri: str) -> None:
        env = {**os.environ, "NEO4J_URI": uri, "PYTHONPATH": str(code)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=code,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **question: Any) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(question) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        before.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.before], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        args.streets, args.items = 14, 120
        data = args.data or make_dataset(Path(tmp) / "synth", args)
        listed = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["county_list"]
        county = first_county(data, listed[0])
        with neo4j_settings(Path(tmp), args) as settings:
            if not args.loaded:
                driver = open_driver(settings)
                try:
                    wipe(driver, settings.neo4j_database)
                    folders = [data / c["folder"] for c in listed[: args.counties]]
                    seconds, done, _ = load(
                        driver, settings.neo4j_database, [data / "laws"], folders, args
                    )
                finally:
                    driver.close()
                print(f"{done} counties loaded in {seconds:.0f} s", flush=True)
            counties = [c["code"] for c in listed[: args.loaded or args.counties]]
            assert settings.neo4j_uri or settings.uses_local_neo4j
            uri = settings.neo4j_uri or f"bolt://127.0.0.1:{settings.local_port}"
            workers = {"before": Worker(before, uri), "after": Worker(REPO, uri)}
            try:
                run(workers, county, counties, args)
            finally:
                for worker in workers.values():
                    worker.close()
            reads(settings, county, args)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD", help="git revision of the old code (HEAD)")
    parser.add_argument("--counties", type=int, default=100, help="counties to load (100)")
    parser.add_argument("--calls", type=int, default=40, help="measured calls per variant (40)")
    parser.add_argument("--data", type=Path, help="an `authreg synth` folder (default: generate)")
    parser.add_argument("--loaded", type=int, default=0, help="the graph holds the first N")
    parser.add_argument("--no-nation", action="store_true", help="skip the nation's call")
    parser.add_argument("--seed", type=int, default=7, help="dataset seed (7)")
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument("--load-limit", type=float, default=3600.0, help="seconds to load")
    parser.add_argument("--heap", default="2g", help="throwaway Neo4j heap (2g)")
    parser.add_argument("--pagecache", default="1g", help="throwaway Neo4j page cache (1g)")
    return parser.parse_args()


def run(workers: dict[str, Worker], county: Any, counties: list[str], args: Any) -> None:
    load_before = os.getloadavg()
    print(f"{len(counties)} counties; the first: {county.code}", flush=True)
    for label, scope in {
        "county": {"region": county.code},
        "zone": {"zone": county.zones[0]},
    }.items():
        seconds: dict[str, list[float]] = {v: [] for v in workers}
        answers: dict[str, str] = {}
        rng = random.Random(args.seed)
        while min(len(s) for s in seconds.values()) < args.calls:
            for variant in rng.sample(list(workers), len(workers)):
                done = workers[variant].ask(calls=BLOCK + 1, scope=scope)
                seconds[variant] += done["seconds"][1:]  # the first of each block is discarded
                answers[variant] = done["answers"]
        for variant, taken in seconds.items():
            ms = sorted(s * 1000 for s in taken)
            print(
                f"  {label:<7}{variant:<7} p50 {percentile(ms, 50):7.1f} ms  "
                f"p99 {percentile(ms, 99):7.1f} ms  {len(ms)} calls",
                flush=True,
            )
        print(f"  {label:<7}same answer before and after: {answers['before'] == answers['after']}")
    city = [c for c in counties if c[:4] == county.code[:4]]
    wider = {"city": (county.code[:4] + "00", city)}
    if not args.no_nation:
        wider["nation"] = ("全国", counties)
    for label, (region, codes) in wider.items():
        workers["after"].ask(calls=1, scope={"region": codes[0]})  # warm
        swept = workers["before"].ask(sweep=codes)["seconds"]
        one = workers["after"].ask(calls=1, scope={"region": region})["seconds"][0]
        print(
            f"  {label} ({region}, {len(codes)} counties): before, each county in turn "
            f"{sum(swept):.1f} s (per county p50 {statistics.median(swept) * 1000:.0f} ms); "
            f"after, one call {one:.1f} s",
            flush=True,
        )
    print(
        f"  load average (1/5/15 min) {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs",
        flush=True,
    )


def reads(settings: Any, county: Any, args: Any) -> None:
    """Each read of one county call (after): median ms of 5 timed calls, db hits of a profiled one."""
    from queries.coverage_gaps import coverage_gaps
    from synthetic.timeline import CHECK_DAY

    class Timed:
        def __init__(self, tx: Any) -> None:
            self.tx, self.reads = tx, []

        def run(self, query: str, parameters: Any = None, **params: Any) -> list[Any]:
            started = time.perf_counter()
            rows = Fetched(self.tx.run(query, parameters, **params))
            self.reads.append((query.split(":", 1)[0][3:], time.perf_counter() - started))
            return rows

    driver = open_driver(settings)
    times: dict[str, list[float]] = {}
    totals = []
    try:
        with driver.session(database=settings.neo4j_database) as session:
            for _ in range(5):
                found: list[Any] = []

                def work(tx: Any, found: list[Any] = found) -> Any:
                    found.append(Timed(tx))
                    return coverage_gaps(found[-1], region=county.code, as_of=CHECK_DAY)

                started = time.perf_counter()
                session.execute_read(work)
                totals.append(time.perf_counter() - started)
                for name, took in found[-1].reads:
                    times.setdefault(name, []).append(took)
            profiled: list[ProfiledTransaction] = []

            def work_profiled(tx: Any) -> Any:
                profiled.append(ProfiledTransaction(tx))
                return coverage_gaps(profiled[-1], region=county.code, as_of=CHECK_DAY)

            session.execute_read(work_profiled)
    finally:
        driver.close()
    hits = dict(profiled[-1].reads)
    total = statistics.median(totals) * 1000
    in_reads = sum(statistics.median(t) for t in times.values()) * 1000
    print(f"  one county call (after), median of 5: {total:.0f} ms, reads {in_reads:.0f} ms")
    for name, took in sorted(times.items(), key=lambda kv: -statistics.median(kv[1])):
        print(
            f"    {name:<32} {statistics.median(took) * 1000:7.1f} ms {hits.get(name, 0):>9,} hits"
        )
    print(f"    Python and the transaction     {total - in_reads:7.1f} ms", flush=True)


class Fetched(list):
    def __init__(self, result: Any) -> None:
        super().__init__(result)

    def single(self, strict: bool = False) -> Any:
        return self[0] if self else None


if __name__ == "__main__":
    main()
