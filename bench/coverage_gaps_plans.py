"""Coverage gaps, before and after the anchored plans (查询计划): one county's p50/p99 side by side.

    .venv/bin/python bench/coverage_gaps_plans.py [--before REV] [--counties 10,100] [--calls 40]

One synthetic nation (`authreg synth`, 14 streets × 120 items a county) is loaded with the
project's loader in steps (first --counties[0] counties, then up to the next figure). After each
step, coverage_gaps of the FIRST county (and of one of its zones) is asked through the driver,
one managed read transaction a call, with the coverage_gaps_*.cypher reads of REV ("before",
default HEAD; read with `git show`) and with the working tree's ("after"), in alternating
blocks of 5 calls (each block after one discarded call) so both see the same load on this
shared machine. One call of each is run again under PROFILE: db hits summed over every read.
The 1-minute load average is printed before and after each step.

With NEO4J_URI set it uses that Neo4j and WIPES its graph; without, it starts a throwaway one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction
from query_scaling import (
    ProfiledTransaction,
    first_county,
    load,
    make_dataset,
    neo4j_settings,
    percentile,
    wipe,
)

import queries.gap_scope as gap_scope
from authreg.driver import open_driver
from queries.coverage_gaps import coverage_gaps
from synthetic.timeline import CHECK_DAY

REPO = Path(__file__).resolve().parents[1]
BLOCK = 5


def main() -> None:
    args = parse_args()
    after = dict(gap_scope.READS)
    before = {name: cypher_at(args.before, f"coverage_gaps_{name}") for name in after}
    changed = sorted(name for name in after if before[name] != after[name])
    print(f"reads that differ from {args.before}: {', '.join(changed) or 'none'}", flush=True)
    sizes = [int(n) for n in args.counties.split(",")]
    args.streets, args.items = 14, 120
    args.counties = ",".join(map(str, sizes))
    with tempfile.TemporaryDirectory() as tmp:
        data = make_dataset(Path(tmp) / "synth", args)
        listed = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["county_list"]
        county = first_county(data, listed[0])
        with neo4j_settings(Path(tmp), args) as settings:
            driver = open_driver(settings)
            try:
                wipe(driver, settings.neo4j_database)
                loaded = 0
                for size in sizes:
                    laws = [data / "laws"] if loaded == 0 else []
                    folders = [data / c["folder"] for c in listed[loaded:size]]
                    seconds, done, _ = load(driver, settings.neo4j_database, laws, folders, args)
                    loaded += done
                    print(f"\n{loaded} counties loaded (+{seconds:.0f} s)", flush=True)
                    compare(driver, settings.neo4j_database, county, before, after, args)
            finally:
                driver.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD", help="git revision of the old reads (HEAD)")
    parser.add_argument("--counties", default="10,100", help="counties at each step (10,100)")
    parser.add_argument("--calls", type=int, default=40, help="measured calls per variant (40)")
    parser.add_argument("--seed", type=int, default=7, help="dataset seed (7)")
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument("--load-limit", type=float, default=1800.0, help="seconds per step")
    parser.add_argument("--heap", default="2g", help="throwaway Neo4j heap (2g)")
    parser.add_argument("--pagecache", default="1g", help="throwaway Neo4j page cache (1g)")
    return parser.parse_args()


def cypher_at(revision: str, name: str) -> str:
    """A queries/ file as it was at `revision`, as queries.cypher_files reads it."""
    return subprocess.run(
        ["git", "show", f"{revision}:queries/{name}.cypher"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def compare(
    driver: Driver,
    database: str,
    county: Any,
    before: dict[str, str],
    after: dict[str, str],
    args: argparse.Namespace,
) -> None:
    questions = {
        "county": {"region": county.code},
        "zone": {"zone": county.zones[0]},
    }
    variants = {"before": before, "after": after}
    load_before = os.getloadavg()
    with driver.session(database=database) as session:
        session.run("CALL db.clearQueryCaches()").consume()
        for label, scope in questions.items():
            seconds: dict[str, list[float]] = {v: [] for v in variants}
            answers: dict[str, Any] = {}
            rng = random.Random(args.seed)
            while min(len(s) for s in seconds.values()) < args.calls:
                for variant in rng.sample(list(variants), len(variants)):
                    gap_scope.READS.update(variants[variant])
                    for n in range(BLOCK + 1):
                        started = time.perf_counter()
                        answer = session.execute_read(coverage_gaps, as_of=CHECK_DAY, **scope)
                        if n:  # the first of each block is discarded
                            seconds[variant].append(time.perf_counter() - started)
                    answers[variant] = answer.model_dump()
            same = answers["before"] == answers["after"]
            for variant, reads in variants.items():
                gap_scope.READS.update(reads)
                hits = profiled_hits(session, scope)
                ms = sorted(s * 1000 for s in seconds[variant])
                print(
                    f"  {label:<7}{variant:<7} p50 {percentile(ms, 50):7.1f} ms  "
                    f"p99 {percentile(ms, 99):7.1f} ms  {len(ms)} calls  "
                    f"{sum(h for _, h in hits):>9,} db hits  "
                    + ", ".join(f"{r.removeprefix('coverage_gaps_')} {h:,}" for r, h in hits),
                    flush=True,
                )
            print(f"  {label:<7}same answer before and after: {same}", flush=True)
    gap_scope.READS.update(after)
    print(
        f"  load average (1/5/15 min) {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs",
        flush=True,
    )


def profiled_hits(session: Any, scope: dict[str, Any]) -> list[tuple[str, int]]:
    found: list[ProfiledTransaction] = []

    def work(tx: ManagedTransaction) -> Any:
        found.append(ProfiledTransaction(tx))
        return coverage_gaps(found[-1], as_of=CHECK_DAY, **scope)

    session.execute_read(work)
    return found[-1].reads


if __name__ == "__main__":
    main()
