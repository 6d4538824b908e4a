"""Issue 17's reports on a 100-county synthetic graph (赋权事项评估, 覆盖缺口): p50/p99 per call.

    .venv/bin/python bench/evaluation_latency.py [--counties 100] [--calls 10] [--json OUT]
    .venv/bin/python bench/evaluation_latency.py --data DIR --loaded   # a graph already holding DIR

One synthetic nation (`authreg synth`, 14 streets × 120 items a county, cases included) is loaded
with the project's loader (bench/query_scaling.py's `load`), or was loaded before (--loaded: e.g.
by `authreg db import DIR`, much faster on a busy machine). Then, through the driver, one managed
read transaction a call: `evaluation` of the first county over the year up to CHECK_DAY, and
`coverage_gaps` of the first county on CHECK_DAY (every policy check, the new ones of issue 17.3
among them), each after one discarded call; and one `evaluation` of every loaded county in turn
(the 编办 of each county running its annual report). With NEO4J_URI set it uses that Neo4j and
WIPES its graph; without, it starts a throwaway one.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from query_scaling import (
    load,
    make_dataset,
    neo4j_settings,
    summarise,
    synthetic_graph_arguments,
    wipe,
)

from authreg.driver import open_driver
from queries.coverage_gaps import coverage_gaps
from queries.evaluation import evaluation
from synthetic.timeline import CHECK_DAY

YEAR = {"from_date": CHECK_DAY - timedelta(days=364), "to_date": CHECK_DAY}


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or make_dataset(
            Path(tmp) / "synth",
            argparse.Namespace(**{**vars(args), "counties": str(args.counties)}),
        )
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        listed = manifest["county_list"][: args.counties]
        with neo4j_settings(Path(tmp), args) as settings:
            driver = open_driver(settings)
            try:
                done = len(listed)
                if not args.loaded:
                    wipe(driver, settings.neo4j_database)
                    folders = [data / c["folder"] for c in listed]
                    seconds, done, _ = load(
                        driver, settings.neo4j_database, [data / "laws"], folders, args
                    )
                    print(f"\nloaded {done} counties in {seconds:.0f} s", flush=True)
                codes = [c["code"] for c in listed[:done]]
                figures = measure(driver, settings.neo4j_database, codes, args)
            finally:
                driver.close()
    figures["counties"] = done
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def measure(driver: Any, database: str, counties: list[str], args: argparse.Namespace) -> dict:
    first = counties[0]
    with driver.session(database=database) as session:
        answer = session.execute_read(evaluation, region=first, **YEAR)
        summary = {k: answer.count(k) for k in ("return", "support", "keep", "ended")}
        found = {
            "evaluation_pairs": len(answer.items),
            "evaluation_by_recommendation": summary,
            "evaluation_ms": timed(
                lambda: session.execute_read(evaluation, region=first, **YEAR), args.calls
            ),
            "coverage_gaps_ms": timed(
                lambda: session.execute_read(coverage_gaps, region=first, as_of=CHECK_DAY),
                args.calls,
            ),
        }
        each = []
        for code in counties:
            started = time.perf_counter()
            session.execute_read(evaluation, region=code, **YEAR)
            each.append((time.perf_counter() - started) * 1000)
        found["evaluation_every_county_ms"] = summarise(each)
    return found


def timed(call: Any, calls: int) -> dict[str, float]:
    call()  # discarded: plans cached, pages warm
    spent = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return summarise(spent)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    synthetic_graph_arguments(parser)
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument("--load-limit", type=float, default=3600.0, help="seconds (3600)")
    return parser.parse_args()


if __name__ == "__main__":
    main()
