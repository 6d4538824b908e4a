"""Complaint routing latency (投诉分拨延迟): p50/p99 of `route` on a 100-county synthetic graph.

    .venv/bin/python bench/route_latency.py [--data DIR] [--counties 100] [--calls 300]

One synthetic nation (`authreg synth`: --data, or generated into a temp folder with --counties,
--streets, --items, --seed) is loaded with the project's loader (bench/query_scaling.py's
`load`). Then complaints in plain words (COMPLAINTS: street-team wording, not item names) are
routed in random streets of any county on random days, each call one managed read transaction
(`session.execute_read`) after a warm-up: the whole question (the search read, then one
authority read per candidate, in the same transaction), and the search read alone
(route_candidates.cypher through the driver, no authority). Printed: p50/p99 of each, per
complaint and overall, with what the best candidate was, so a slow call can be told from a
wide one (how many items the words match).

With NEO4J_URI set it uses that Neo4j and WIPES its graph (unless --loaded says it already
holds the dataset); without, it starts a throwaway local Neo4j (--heap, --pagecache) and stops
it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction
from query_scaling import load, neo4j_settings, wipe

from authreg.driver import open_driver
from queries.route import DEFAULT_CANDIDATES, complaint_terms, route, search_candidates
from synthetic.generate import generate

# What a street team types: the behaviour in everyday words, sometimes the place, never a code.
COMPLAINTS = [
    "有人在路边摆摊卖水果,占了人行道",
    "小区门口有人乱倒生活垃圾",
    "工地的渣土车运输建筑垃圾一路撒漏",
    "饭店排油烟没有装油烟净化设施",
    "有人在绿地上搭棚子",
    "商场的安全出口被堵住了",
    "有人在草原上挖土",
    "楼下有人在露天烧沥青,气味很大",
    "隔壁装修噪音太吵了",  # no item says 噪音: a no_match, timed too
]
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2025, 12, 31)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="route-latency-") as tmp:
        data = args.data or make_dataset(Path(tmp) / "synth", args)
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        listed = manifest["county_list"][: args.counties]
        with neo4j_settings(Path(tmp), args) as settings, open_driver(settings) as driver:
            database = settings.neo4j_database
            if not args.loaded:
                wipe(driver, database)
                folders = [data / c["folder"] for c in listed]
                seconds, done, files = load(driver, database, [data / "laws"], folders, args)
                print(f"\nloaded {done} counties ({files} files) in {seconds:.0f} s", flush=True)
            streets = [s for c in listed for s in c["streets"]]
            measure(driver, database, streets, args)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="an `authreg synth` folder (default: generate)")
    parser.add_argument("--counties", type=int, default=100, help="counties loaded (100)")
    parser.add_argument("--streets", type=int, default=14, help="streets per county (14)")
    parser.add_argument("--items", type=int, default=120, help="catalog items per county (120)")
    parser.add_argument("--seed", type=int, default=7, help="dataset and question seed (7)")
    parser.add_argument("--calls", type=int, default=300, help="timed calls of each kind (300)")
    parser.add_argument("--warm-up", type=int, default=30, help="untimed calls first (30)")
    parser.add_argument(
        "--limit", type=int, default=DEFAULT_CANDIDATES, help="candidates per answer (5)"
    )
    parser.add_argument("--loaded", action="store_true", help="NEO4J_URI already holds --data")
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument(
        "--load-limit", type=float, default=3600.0, help="seconds the load may take (3600)"
    )
    parser.add_argument("--heap", default="2g", help="throwaway Neo4j heap (2g)")
    parser.add_argument("--pagecache", default="1g", help="throwaway Neo4j page cache (1g)")
    return parser.parse_args()


def make_dataset(out: Path, args: argparse.Namespace) -> Path:
    started = time.perf_counter()
    generate(
        out,
        counties=args.counties,
        streets_per_county=args.streets,
        items=args.items,
        seed=args.seed,
    )
    print(f"generated {args.counties} counties in {time.perf_counter() - started:.0f} s")
    return out


def search_only(
    tx: ManagedTransaction, *, complaint: str, street: str, as_of: date, limit: int
) -> Any:
    """route's search read alone (no authority reads, no pydantic): the full-text part's cost."""
    del as_of  # the search does not depend on the day; the authority reads do
    return search_candidates(tx, complaint_terms(complaint, place=street), street, limit)


def measure(driver: Any, database: str, streets: list[str], args: argparse.Namespace) -> None:
    before = os.getloadavg()[0]
    rng = random.Random(args.seed)
    days = (LAST_DAY - FIRST_DAY).days

    def draw() -> dict[str, Any]:
        return {
            "complaint": rng.choice(COMPLAINTS),
            "street": rng.choice(streets),
            "as_of": FIRST_DAY + timedelta(days=rng.randrange(days + 1)),
            "limit": args.limit,
        }

    with driver.session(database=database) as session:
        for label, work in (
            ("route (search + authority)", route),
            ("search read only", search_only),
        ):
            by_complaint: dict[str, list[float]] = defaultdict(list)
            outcomes: dict[str, Any] = {}
            everything: list[float] = []
            for n in range(args.warm_up + args.calls):
                params = draw()
                started = time.perf_counter()
                answer = session.execute_read(work, **params)
                elapsed = time.perf_counter() - started
                if n < args.warm_up:
                    continue
                everything.append(elapsed)
                by_complaint[params["complaint"]].append(elapsed)
                if work is route:
                    best = answer.candidates[0] if answer.candidates else None
                    outcomes[params["complaint"]] = (
                        answer.outcome,
                        answer.total,
                        best.name if best else "-",
                    )
            print(
                f"\n{label}: {len(everything)} calls, "
                f"p50 {pct(everything, 50):.1f} ms, p99 {pct(everything, 99):.1f} ms, "
                f"mean {statistics.fmean(everything) * 1000:.1f} ms"
            )
            for complaint, seconds in by_complaint.items():
                seen = outcomes.get(complaint)
                said = f"  {seen[0]}, {seen[1]} items match, best: {seen[2]}" if seen else ""
                print(
                    f"  {complaint:<24} n={len(seconds):>3} p50 {pct(seconds, 50):7.1f} ms "
                    f"p99 {pct(seconds, 99):7.1f} ms{said}"
                )
    print(
        f"\nload average {before:.1f} before, {os.getloadavg()[0]:.1f} after "
        f"({os.cpu_count()} cores; other work on the machine counts)"
    )


def pct(seconds: list[float], p: int) -> float:
    """The p-th percentile in ms, nearest rank."""
    ms = sorted(s * 1000 for s in seconds)
    return ms[min(len(ms) - 1, max(0, round(p / 100 * len(ms) + 0.5) - 1))]


if __name__ == "__main__":
    main()
