"""Issue 17's staffing, duty-list and guide-uptake reports on a 100-county synthetic graph: p50/p99.

    .venv/bin/python bench/staffing_duties_guide.py [--counties 100] [--calls 10] [--json OUT]
    .venv/bin/python bench/staffing_duties_guide.py --data DIR --loaded   # NEO4J_URI holds DIR

One synthetic nation (`authreg synth`: 14 streets × 120 items a county, seed 7, cases, duty lists,
establishment files and the provinces' guide lists included) is imported in bulk (`authreg db
import`, `authreg.import_command.run_import`) into a throwaway local Neo4j — the loader would take
over an hour on this machine (BENCHMARKS.md) — or, with --loaded, NEO4J_URI's graph already holds
it. Then, through the driver, one managed read transaction a call, each question after one
discarded call:
- `staffing` (编制与实有人员, 17.5) of the first county on CHECK_DAY, and of every county in turn;
- `duties` (属地管理事项责任清单, 17.4) of a matter the first county's duty list names, in its
  first street, and the same question in a street of every county in turn;
- `guide_uptake` (省级指导目录承接, 17.6) of the first county, and of the first county's whole
  province (every county of it in one answer);
and, as a check beside the times, the first --check-evaluation counties' `evaluation` against the
manifest's expected answer (synthetic.evaluation_expected), class by class.
The 1-minute load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from query_scaling import make_dataset, summarise, synthetic_graph_arguments
from rich.console import Console

from authreg.driver import connected, local_neo4j
from authreg.import_command import ImportOptions, run_import
from authreg.local_db import free_port
from authreg.settings import Settings, load_settings
from queries.duties import duties
from queries.evaluation import evaluation
from queries.guide_uptake import guide_uptake
from queries.staffing import staffing
from synthetic.timeline import CHECK_DAY


def main() -> None:
    args = parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or make_dataset(
            Path(tmp) / "synth",
            argparse.Namespace(**{**vars(args), "counties": str(args.counties)}),
        )
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        counties = manifest["county_list"][: args.counties]
        settings = load_settings() if args.loaded else imported(data, Path(tmp), args)
        try:
            with connected(settings) as driver:
                figures = measure(driver, settings.neo4j_database, data, counties, args)
        finally:
            if not args.loaded:
                local_neo4j(settings).stop()
    figures["counties"] = len(counties)
    figures["load_average_1m_after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def imported(data: Path, tmp: Path, args: argparse.Namespace) -> Settings:
    """`authreg db import DATA` into a fresh local home; its server is left running."""
    settings = load_settings(
        neo4j_uri=None,
        local_home=tmp / "neo4j",
        local_port=free_port(),
        local_heap=args.heap,
        local_pagecache=args.pagecache,
    )
    said, times = io.StringIO(), {}
    started = time.perf_counter()
    status = run_import([data], settings, Console(file=said, width=200), ImportOptions(), times)
    if status != 0:
        raise SystemExit(f"authreg db import failed ({status}):\n{said.getvalue()}")
    print(f"imported in {time.perf_counter() - started:.0f} s: {said.getvalue().splitlines()[-1]}")
    return settings


def measure(
    driver: Any, database: str, data: Path, counties: list[dict], args: argparse.Namespace
) -> dict[str, Any]:
    first = counties[0]
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    manifest_evaluation = manifest.get("evaluation", {})
    province = first["folder"].split("/")[0]
    matters = [(c["streets"][0], first_matter(data / c["folder"], c["code"])) for c in counties]
    street, matter = matters[0]
    found: dict[str, Any] = {"load_average_1m_before": round(os.getloadavg()[0], 1)}
    with driver.session(database=database) as session:

        def read(question: Callable, **kw: Any) -> Any:
            return session.execute_read(question, **kw)

        answer = read(staffing, region=first["code"], as_of=CHECK_DAY)
        found["staffing_findings"] = len(answer.findings)
        found["staffing_ms"] = timed(
            lambda: read(staffing, region=first["code"], as_of=CHECK_DAY), args.calls
        )
        found["staffing_every_county_ms"] = each(
            [lambda c=c: read(staffing, region=c["code"], as_of=CHECK_DAY) for c in counties]
        )
        if matter is None:
            found["duties"] = "the first county has no duty list"
        else:
            duty = read(duties, street=street, matter=matter, as_of=CHECK_DAY)
            found["duties_matter"] = f"{matter} @ {street}: {duty.explanation[:80]}"
            found["duties_ms"] = timed(
                lambda: read(duties, street=street, matter=matter, as_of=CHECK_DAY), args.calls
            )
            found["duties_every_county_ms"] = each(
                [
                    lambda s=s, m=m: read(duties, street=s, matter=m, as_of=CHECK_DAY)
                    for s, m in matters
                    if m is not None
                ]
            )
        uptake = read(guide_uptake, province=province, as_of=CHECK_DAY, county=first["code"])
        found["guide_uptake_county"] = {
            "matched": len(uptake.counties[0].matched),
            "added": len(uptake.counties[0].added),
            "not_taken_up": len(uptake.counties[0].not_taken_up),
        }
        found["guide_uptake_county_ms"] = timed(
            lambda: read(guide_uptake, province=province, as_of=CHECK_DAY, county=first["code"]),
            args.calls,
        )
        found["evaluation_as_manifest"] = {
            c["code"]: evaluation_as_expected(read, manifest_evaluation[c["code"]], c["code"])
            for c in counties[: args.check_evaluation]
        }
        whole = read(guide_uptake, province=province, as_of=CHECK_DAY)
        found["guide_uptake_province_counties"] = len(whole.counties)
        found["guide_uptake_province_ms"] = timed(
            lambda: read(guide_uptake, province=province, as_of=CHECK_DAY), max(3, args.calls // 3)
        )
    return found


def evaluation_as_expected(read: Callable, expected: dict[str, Any], code: str) -> dict[str, Any]:
    """A sanity check beside the times: the county's evaluation against the manifest's answer
    (synthetic.evaluation_expected), class by class; and its time, once."""
    started = time.perf_counter()
    answer = read(
        evaluation,
        region=code,
        from_date=date.fromisoformat(expected["from"]),
        to_date=date.fromisoformat(expected["to"]),
    )
    spent = round((time.perf_counter() - started) * 1000, 1)
    kinds = ("keep", "support", "return", "ended")
    found = {
        k: sorted([i.item_code, i.street_code] for i in answer.items if i.recommendation == k)
        for k in kinds
    }
    return {
        "same": all(found[k] == expected[k] for k in kinds),
        "counts": {k: len(found[k]) for k in kinds},
        "ms": spent,
    }


def first_matter(folder: Path, code: str) -> str | None:
    """The first matter (事项名称) of the county's duty list, as a clerk would type it."""
    path = folder / f"{code}-duties.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows[0]["事项名称"] if rows else None


def timed(call: Callable[[], Any], calls: int) -> dict[str, float]:
    call()  # discarded: plans cached, pages warm
    return each([call] * calls)


def each(calls: list[Callable[[], Any]]) -> dict[str, float]:
    spent = []
    for call in calls:
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return summarise(spent)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    synthetic_graph_arguments(parser)
    parser.add_argument(
        "--check-evaluation",
        type=int,
        default=3,
        help="counties whose evaluation is compared with the manifest's answer, class by class (3)",
    )
    args = parser.parse_args()
    if args.loaded and not (args.data and os.environ.get("NEO4J_URI")):
        sys.exit("--loaded needs --data DIR and NEO4J_URI (the graph holding DIR)")
    return args


if __name__ == "__main__":
    main()
