"""Desk render time (办事台页面耗时): p50/p99 of the authority and gap pages, sample and synthetic.

    .venv/bin/python bench/desk_render.py [--counties 100] [--calls 200] [--json OUT]
    make bench-desk

Each page is requested through the desk's ASGI app in this process (FastAPI's TestClient: no
network, no browser), so a figure is the server's whole cost of one page — parsing the form,
the `queries/` reads in their read transaction, the Jinja2 render — as a clerk's browser waits
for it, minus the wire. Two graphs, on one Neo4j:

- the sample (`data/sample`, loaded as `make demo` loads it): 谁来执法 for every Licheng and
  Eshan item × street on three days; 覆盖缺口 of each sample county on three days;
- a synthetic nation of --counties counties (`authreg synth`: 14 streets × 120 items each,
  loaded with the project's loader): the same pages about the FIRST county, random item ×
  street × day for authority, its gaps on random days.

Calls alternate between the two pages after a warm-up of each. The machine's load average is
printed before and after (the figures of a loaded machine are not a quiet machine's). With
NEO4J_URI set it uses that Neo4j and WIPES its graph; without, it starts a throwaway local one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from authreg.driver import open_driver  # noqa: E402
from bench.query_scaling import load, neo4j_settings, wipe  # noqa: E402
from graphql_api.app import create_app  # noqa: E402
from loaders.load import plan_load, refresh_query_plans, write_plan  # noqa: E402
from loaders.report import LoadReport  # noqa: E402
from synthetic.generate import generate  # noqa: E402
from synthetic.timeline import CHECK_DAY  # noqa: E402

SAMPLE = REPO / "data" / "sample"
SAMPLE_DAYS = [date(2024, 10, 1), date(2025, 6, 30), date(2025, 8, 1)]
SAMPLE_REGIONS = ["350502", "530426"]


@dataclass
class Series:
    """One page's timings on one graph, in milliseconds."""

    graph: str
    page: str
    ms: list[float] = field(default_factory=list)
    errors: int = 0

    def p(self, q: int) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    print(f"load average before: {_load_average()}", flush=True)
    results: list[Series] = []
    with tempfile.TemporaryDirectory() as tmp, neo4j_settings(Path(tmp), args) as settings:
        driver = open_driver(settings)
        try:
            desk = settings.model_copy(update={"api_anonymous_read": True})
            wipe(driver, settings.neo4j_database)
            load_sample(driver, settings.neo4j_database)
            results += measure(desk, "sample", sample_urls(driver, settings), args)
            data = Path(tmp) / "synth"
            generate(data, counties=args.counties, streets_per_county=14, items=120, seed=7)
            wipe(driver, settings.neo4j_database)
            seconds = load_synthetic(driver, settings.neo4j_database, data, args)
            print(f"loaded {args.counties} synthetic counties in {seconds:.0f} s", flush=True)
            graph = f"{args.counties} counties"
            results += measure(desk, graph, synthetic_urls(data, args), args)
        finally:
            driver.close()
    after = _load_average()
    print_report(results)
    print(f"load average after: {after}")
    if args.json:
        figures = [
            {"graph": s.graph, "page": s.page, "calls": len(s.ms), "errors": s.errors}
            | {"p50_ms": round(s.p(50), 1), "p99_ms": round(s.p(99), 1)}
            for s in results
        ]
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counties", type=int, default=100, help="synthetic counties (100)")
    parser.add_argument("--calls", type=int, default=200, help="calls per page and graph (200)")
    parser.add_argument("--warmup", type=int, default=10, help="calls per page not timed (10)")
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument(
        "--load-limit", type=float, default=3600.0, help="seconds the load may take (3600)"
    )
    parser.add_argument("--heap", default="2g", help="throwaway Neo4j heap (2g)")
    parser.add_argument("--pagecache", default="1g", help="throwaway Neo4j page cache (1g)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


# -- the graphs and the pages asked ---------------------------------------------------------------


def load_sample(driver: object, database: str) -> None:
    report = LoadReport()
    plan = plan_load([SAMPLE], report, need_metadata=True)
    if report.errors:
        raise SystemExit(f"the sample does not load: {report.errors[0].line()}")
    write_plan(driver, database, plan)  # type: ignore[arg-type]
    refresh_query_plans(driver, database)  # type: ignore[arg-type]


def load_synthetic(driver: object, database: str, data: Path, args: argparse.Namespace) -> float:
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    folders = [data / c["folder"] for c in manifest["county_list"][: args.counties]]
    seconds, done, _ = load(driver, database, [data / "laws"], folders, args)  # type: ignore[arg-type]
    if done < len(folders):
        raise SystemExit(f"only {done} counties loaded within --load-limit")
    refresh_query_plans(driver, database)  # type: ignore[arg-type]
    return seconds


def sample_urls(driver: object, settings: object) -> dict[str, list[dict[str, str]]]:
    """Every sample item × street of Licheng and Eshan on three days; each county's gaps."""
    pairs = []
    for county in ("licheng", "eshan"):
        folder = SAMPLE / county
        items = {row["事项编码"] for path in folder.glob("*.csv") for row in _rows(path)}
        streets = _streets(folder / "organisation.yaml")
        pairs += [(item, street) for item in sorted(items) for street in streets]
    authority = [
        {"item": item, "street": street, "date": day.isoformat()}
        for item, street in pairs
        for day in SAMPLE_DAYS
    ]
    gaps = [{"region": r, "date": d.isoformat()} for r in SAMPLE_REGIONS for d in SAMPLE_DAYS]
    return {"/authority": authority, "/gaps": gaps}


def synthetic_urls(data: Path, args: argparse.Namespace) -> dict[str, list[dict[str, str]]]:
    """The first county: random item × street × day for authority, its gaps on random days."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    first = manifest["county_list"][0]
    folder = data / first["folder"]
    items = sorted({row["事项编码"] for path in folder.glob("*.csv") for row in _rows(path)})
    rng = random.Random(7)
    days = [CHECK_DAY - timedelta(days=rng.randrange(0, 900)) for _ in range(args.calls)]
    authority = [
        {"item": rng.choice(items), "street": rng.choice(first["streets"]), "date": d.isoformat()}
        for d in days
    ]
    gaps = [{"region": first["code"], "date": d.isoformat()} for d in days]
    return {"/authority": authority, "/gaps": gaps}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _streets(organisation: Path) -> list[str]:
    import yaml

    data = yaml.safe_load(organisation.read_text(encoding="utf-8"))
    return [str(s["code"]) for s in data.get("streets", [])]


# -- timing ---------------------------------------------------------------------------------------


def measure(
    settings: object, graph: str, urls: dict[str, list[dict[str, str]]], args: argparse.Namespace
) -> list[Series]:
    """Each page --warmup times, then --calls times alternating between the pages."""
    series = {page: Series(graph, page) for page in urls}
    with TestClient(create_app(settings)) as client:  # type: ignore[arg-type]
        for page, asked in urls.items():
            for params in asked[: args.warmup]:
                client.get(page, params=params)
        for n in range(args.calls):
            for page, asked in urls.items():
                params = asked[n % len(asked)]
                started = time.perf_counter()
                response = client.get(page, params=params)
                series[page].ms.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    series[page].errors += 1
        for page, found in series.items():
            print(
                f"{graph:>14} {page:<11} p50 {found.p(50):7.1f} ms  p99 {found.p(99):7.1f} ms"
                f"  ({len(found.ms)} calls, {found.errors} not 200)",
                flush=True,
            )
    return list(series.values())


def print_report(results: list[Series]) -> None:
    print("\n| graph | page | calls | p50 ms | p99 ms | mean ms |")
    print("|---|---|---:|---:|---:|---:|")
    for s in results:
        mean = statistics.fmean(s.ms)
        print(
            f"| {s.graph} | {s.page} | {len(s.ms)} | {s.p(50):.1f} | {s.p(99):.1f} | {mean:.1f} |"
        )


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


if __name__ == "__main__":
    main()
