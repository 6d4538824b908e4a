"""Query latency (查询延迟): p50/p99 of authority and coverage_gaps, on the sample and a synthetic county.

    .venv/bin/python bench/query_latency.py [--calls 300] [--coverage-calls 30] [--seed 7]

With NEO4J_URI set it uses that Neo4j and WIPES its graph; without, it starts a throwaway local
Neo4j (Maven Central jars, a temp folder, a free port) and stops it at the end. It loads
data/sample and a synthetic county (bench/synthetic_county.py: 100 streets × 300 items, two
catalog versions) with the loaders, then times the real query functions, each call one managed
read transaction (`session.execute_read`): authority on random item × street × day, and
coverage_gaps of the whole county and of one zone. It also times authority's two Cypher files
alone (driver round trips, no Python rules or pydantic), prints PROFILE db hits for one
authority call per dataset, and splits one coverage_gaps call into its Cypher reads.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from neo4j import Driver, ManagedTransaction
from synthetic_county import County, write_county

from authreg.driver import open_driver
from authreg.local_db import LocalNeo4j, free_port
from authreg.settings import Settings, load_settings
from loaders.load import plan_load, refresh_query_plans, write_plan
from loaders.report import LoadReport
from queries.authority import (
    AUTHORITY,
    AUTHORITY_LOOKUP,
    RESOLVER_RULE,
    authority,
    authority_record,
    rule_provision_ids,
)
from queries.coverage_gaps import coverage_gaps
from queries.gap_scope import READS, SCOPE
from schema.enums import DisputeStatus
from schema.migrate import migrate

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
LICHENG = SAMPLE / "licheng"
COVERAGE_AS_OF = date(2025, 9, 1)  # after the second catalog versions and the mid-2025 lapses
WARM_UP = {"authority": 30, "coverage": 2}
QUERY_NAMES = {SCOPE: "scope", **{text: name for name, text in READS.items()}}


@dataclass(frozen=True)
class Dataset:
    """One county to ask about: its region, zones, streets and item codes, and a date range."""

    label: str
    region: str
    zones: list[str]
    streets: list[str]
    items: list[str]
    first_day: date
    last_day: date


@dataclass
class Series:
    question: str
    dataset: str
    seconds: list[float] = field(default_factory=list)

    def row(self) -> list[str]:
        ms = sorted(s * 1000 for s in self.seconds)
        return [
            self.question,
            self.dataset,
            str(len(ms)),
            f"{percentile(ms, 50):.1f}",
            f"{percentile(ms, 99):.1f}",
            f"{statistics.fmean(ms):.1f}",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD pick a server (its graph is wiped); "
        "unset, a throwaway local Neo4j is started and stopped.",
    )
    parser.add_argument(
        "--calls", type=int, default=300, help="measured authority calls per dataset (300)"
    )
    parser.add_argument(
        "--coverage-calls",
        type=int,
        default=30,
        help="measured coverage_gaps calls per dataset and scope (30)",
    )
    parser.add_argument(
        "--seed", type=int, default=7, help="seed of the synthetic county and the questions (7)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="seconds per measured series, warm-up included: a slow series stops early "
        "(after at least one measured call) and its calls column says how many ran (300)",
    )
    parser.add_argument("--streets", type=int, default=100, help="synthetic streets (100)")
    parser.add_argument("--items", type=int, default=300, help="synthetic catalog items (300)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, neo4j_settings(Path(tmp)) as settings:
        county = write_county(
            Path(tmp) / "county", streets=args.streets, items=args.items, seed=args.seed
        )
        driver = open_driver(settings)
        try:
            run(driver, settings.neo4j_database, county, args)
        finally:
            driver.close()


def run(driver: Driver, database: str, county: County, args: argparse.Namespace) -> None:
    load(driver, database, county)
    datasets = [sample_dataset(), synthetic_dataset(county)]
    rng = random.Random(args.seed)
    table: list[Series] = []
    with driver.session(database=database) as session:
        for data in datasets:
            pairs = [ask(rng, data) for _ in range(WARM_UP["authority"] + args.calls)]
            table += authority_series(session, data, pairs, args.budget)
            zones = [
                rng.choice(data.zones) for _ in range(WARM_UP["coverage"] + args.coverage_calls)
            ]
            table += coverage_series(session, data, zones, args.budget)
    print_table(table)
    with driver.session(database=database) as session:
        for data in datasets:
            item, street, as_of = ask(random.Random(args.seed), data)
            print_authority_profile(session, data, item, street, as_of)
        for data in datasets:
            print_coverage_parts(session, data)


# -- Neo4j and loading ----------------------------------------------------------------------------


@contextmanager
def neo4j_settings(tmp: Path) -> Iterator[Settings]:
    """NEO4J_URI's server, or a throwaway local one (2 GiB heap: a 30,000-delegation file)."""
    settings = load_settings()
    if settings.neo4j_uri:
        yield settings
        return
    local = LocalNeo4j(
        home=tmp / "neo4j",
        port=free_port(),
        password=settings.neo4j_password.get_secret_value(),
        heap="2g",
        pagecache="512m",
    )
    print(f"starting a throwaway Neo4j in {local.home} ...", flush=True)
    state, _ = local.start()
    try:
        yield load_settings(neo4j_uri=state.uri)
    finally:
        local.stop()


def load(driver: Driver, database: str, county: County) -> None:
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    migrate(driver, database)
    started = time.perf_counter()
    report = LoadReport()
    plan = plan_load([SAMPLE, county.folder], report, need_metadata=True)
    if report.errors:
        raise SystemExit(f"the benchmark's input does not load: {report.errors[0].line()}")
    outcomes = write_plan(driver, database, plan)
    refresh_query_plans(driver, database)  # as `authreg load` ends: plans for this graph
    seconds = time.perf_counter() - started
    print(f"loaded {len(outcomes)} files in {seconds:.1f} s (sample + synthetic county)")
    for name, outcome in outcomes:
        if name.startswith("hexi-"):
            print(f"  {name}: {outcome.describe()}")


def sample_dataset() -> Dataset:
    organisation = yaml.safe_load((LICHENG / "organisation.yaml").read_text(encoding="utf-8"))
    items = sorted(
        {
            row["事项编码"]
            for path in sorted(LICHENG.glob("licheng-20*.csv"))
            for row in csv.DictReader(path.open(encoding="utf-8"))
        }
    )
    return Dataset(
        label="sample 鲤城区 350502",
        region=organisation["region"]["code"],
        zones=[z["id"] for z in organisation["zones"]],
        streets=[s["code"] for s in organisation["streets"]],
        items=items,
        first_day=date(2024, 9, 1),
        last_day=date(2025, 12, 31),
    )


def synthetic_dataset(county: County) -> Dataset:
    return Dataset(
        label=f"synthetic 合溪县 {len(county.street_codes)}×{len(county.item_codes) - 10}",
        region="990101",
        zones=county.zone_ids,
        streets=county.street_codes,
        items=county.item_codes,
        first_day=date(2024, 1, 1),
        last_day=date(2025, 12, 31),
    )


def ask(rng: random.Random, data: Dataset) -> tuple[str, str, date]:
    """A random item, street and day (some before the first catalog, some after items ended)."""
    day = data.first_day + timedelta(days=rng.randrange((data.last_day - data.first_day).days))
    return rng.choice(data.items), rng.choice(data.streets), day


# -- timing ---------------------------------------------------------------------------------------


def time_calls(
    series: Series, calls: list[Callable[[], Any]], warm_up: int, budget: float
) -> Series:
    """Run the calls, timing those after the warm-up; stop once `budget` seconds have passed."""
    began = time.perf_counter()
    for n, call in enumerate(calls):
        started = time.perf_counter()
        call()
        if n >= warm_up:
            series.seconds.append(time.perf_counter() - started)
        if series.seconds and time.perf_counter() - began > budget:
            break
    return series


def authority_series(session, data: Dataset, pairs: list, budget: float) -> list[Series]:
    """authority through the real function, then its two Cypher files alone, same questions."""
    real = [
        partial(session.execute_read, authority, item=item, street=street, as_of=as_of)
        for item, street, as_of in pairs
    ]
    raw = [
        partial(session.execute_read, raw_authority, item=item, street=street, as_of=as_of)
        for item, street, as_of in pairs
    ]
    warm_up = WARM_UP["authority"]
    return [
        time_calls(Series("authority", data.label), real, warm_up, budget),
        time_calls(Series("authority, raw Cypher only", data.label), raw, warm_up, budget),
    ]


def raw_authority(tx: ManagedTransaction, *, item: str, street: str, as_of: date) -> list[Any]:
    """authority's two reads, rows fetched as dicts: what the function costs before Python."""
    found = [r.data() for r in tx.run(AUTHORITY_LOOKUP, item=item, street=street)]
    record = authority_record(tx, item=item, street=street, as_of=as_of)
    return [found, record.data() if record else None]


def coverage_series(session, data: Dataset, zones: list[str], budget: float) -> list[Series]:
    """coverage_gaps of the whole county (always the same question) and of a random zone."""
    county = [
        partial(session.execute_read, coverage_gaps, region=data.region, as_of=COVERAGE_AS_OF)
        for _ in zones
    ]
    zone = [
        partial(session.execute_read, coverage_gaps, zone=zone_id, as_of=COVERAGE_AS_OF)
        for zone_id in zones
    ]
    label = f"coverage_gaps, county ({len(data.streets)} streets)"
    warm_up = WARM_UP["coverage"]
    return [
        time_calls(Series(label, data.label), county, warm_up, budget),
        time_calls(Series("coverage_gaps, one zone (random)", data.label), zone, warm_up, budget),
    ]


def percentile(sorted_ms: list[float], p: int) -> float:
    """Nearest-rank percentile: with 30 calls, p99 is the slowest call."""
    rank = max(1, -(-p * len(sorted_ms) // 100))
    return sorted_ms[rank - 1]


def print_table(table: list[Series]) -> None:
    header = ["question", "dataset", "calls", "p50 ms", "p99 ms", "mean ms"]
    rows = [header] + [s.row() for s in table]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    print()
    for n, row in enumerate(rows):
        cells = [
            c + " " * (w - _width(c)) if i < 2 else " " * (w - _width(c)) + c
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# -- PROFILE --------------------------------------------------------------------------------------


def profile(session, query: str, params: dict[str, Any]) -> tuple[int, list[tuple[str, int]]]:
    """Total db hits of one run of `query`, and its three costliest operators."""
    result = session.run("PROFILE\n" + query, params)
    list(result)  # Neo4j gives profiler stats only for a result read to its end
    summary = result.consume()
    operators: list[tuple[str, int]] = []

    def walk(plan: dict[str, Any]) -> None:
        operators.append((plan["operatorType"].split("@")[0], plan.get("dbHits", 0)))
        for child in plan.get("children", []):
            walk(child)

    walk(summary.profile)
    top = sorted(operators, key=lambda op: -op[1])[:3]
    return sum(hits for _, hits in operators), top


def print_authority_profile(session, data: Dataset, item: str, street: str, as_of: date) -> None:
    lookup, _ = profile(session, AUTHORITY_LOOKUP, {"item": item, "street": street})
    params = {
        "itemCode": item,
        "streetCode": street,
        "asOf": as_of,
        "ruleProvisionIds": rule_provision_ids(),
        "resolverRule": RESOLVER_RULE,
        "decided": DisputeStatus.DECIDED.value,
    }
    main_hits, top = profile(session, AUTHORITY, params)
    costly = ", ".join(f"{op} {hits}" for op, hits in top)
    print(
        f"\nPROFILE authority({item}, {street}, {as_of}) on {data.label}: "
        f"authority_lookup {lookup:,} db hits; authority {main_hits:,} db hits ({costly})"
    )


class TimedTransaction:
    """A transaction that fetches each read at once and notes its time, rows and parameters."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx
        self.parts: list[tuple[str, float, int, str, dict[str, Any]]] = []

    def run(self, query: str, **params: Any) -> list[Any]:
        started = time.perf_counter()
        records = list(self.tx.run(query, **params))
        seconds = time.perf_counter() - started
        self.parts.append((QUERY_NAMES.get(query, "?"), seconds, len(records), query, params))
        return records


def print_coverage_parts(session, data: Dataset) -> None:
    """One county-wide coverage_gaps call split into its Cypher reads (with db hits) and Python."""
    timed: list[TimedTransaction] = []

    def work(tx: ManagedTransaction) -> Any:
        timed.append(TimedTransaction(tx))
        return coverage_gaps(timed[-1], region=data.region, as_of=COVERAGE_AS_OF)

    started = time.perf_counter()
    answer = session.execute_read(work)
    total = time.perf_counter() - started
    parts = timed[-1].parts
    print(
        f"\ncoverage_gaps(region={data.region}, as_of={COVERAGE_AS_OF}) on {data.label}: "
        f"{total * 1000:.0f} ms, {len(answer.gaps)} gaps"
    )
    print(f"  {'read':<32}{'ms':>9}{'rows':>8}{'db hits':>12}")
    for name, seconds, rows, query, params in sorted(parts, key=lambda p: -p[1]):
        hits, _ = profile(session, query, {"asOf": COVERAGE_AS_OF, **params})
        print(f"  coverage_gaps_{name:<18}{seconds * 1000:>9.1f}{rows:>8}{hits:>12,}")
    python = total - sum(p[1] for p in parts)
    print(f"  {'Python (rules, pydantic, tx)':<32}{python * 1000:>9.1f}")


if __name__ == "__main__":
    main()
