"""Query scaling (查询规模): p50/p99 and PROFILE db hits of each question at 1×, 10× and 100× graph size.

    .venv/bin/python bench/query_scaling.py [--data DIR] [--counties 10,100,1000] [--json OUT]

One synthetic nation (`authreg synth`: --data, or generated into a temp folder with --streets,
--items, --seed) is loaded with the project's loader in growing steps: the first 10 counties
(1×, ~17,000 delegations at 14 streets × 120 items), then the next 90 (10×), then the next 900
(100×), each county folder by folder. After each step, on the same Neo4j, every question is
timed through the driver (one managed read transaction per call, `session.execute_read`, after
a warm-up) about the FIRST county, the same at every size: authority and responsibility_chain on
random item × street × day, legal_basis, catalog_diff of a street and of the county,
coverage_gaps of one zone and of the county, a responsibility chain of a case, and the impact
of one article of a national law every county cites and of that whole law (its summary: totals,
counts per county and mode, the first page of 50 items). One call of each is
run again with every Cypher read under PROFILE: its db hits are summed over every operator of
every read the question makes. "The nation" is measured twice: every loaded county asked in
turn (its total and per-county p50/p99), and coverage_gaps of the nation (region 全国) in one
call, its reads run once per batch of counties (queries.gap_scope.Batch).

A step whose load runs past --load-limit seconds stops at the end of a batch of counties; the
sizes are then what was loaded (the table says how many counties), and no further step runs.

With NEO4J_URI set it uses that Neo4j and WIPES its graph (unless --loaded N says it already
holds the dataset's laws and first N counties); without, it starts a throwaway local Neo4j
(--heap, --pagecache) and stops it at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from neo4j import Driver, ManagedTransaction, Session

from authreg.driver import open_driver
from authreg.local_db import LocalNeo4j, free_port
from authreg.settings import Settings, load_settings
from loaders.load import plan_load, refresh_query_plans, write_plan
from loaders.report import LoadReport
from queries.authority import (
    authority,
    authority_record,
)
from queries.catalog_diff import catalog_diff
from queries.coverage_gaps import NATION, coverage_gaps
from queries.impact import impact
from queries.legal_basis import legal_basis
from queries.responsibility_chain import responsibility_chain
from schema.migrate import migrate
from synthetic.generate import generate
from synthetic.timeline import BEFORE_DAY, CHECK_DAY

FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2025, 12, 31)  # before the first list, after all
LAW, ARTICLE = "城乡环境卫生法", 49  # the national article most items of every county cite
TARGETS = {  # issue 7: the question, its size, the p99 it must stay under (ms)
    "authority": 5.0,
    "coverage_gaps, county": 200.0,
    "impact, one article": 1000.0,
}
RATIO_TARGET = ("authority", 1.2)  # p99 at the largest size over p99 at 1×


@dataclass(frozen=True)
class County:
    """The county every question asks about: its code, streets, zones, items and cases."""

    code: str
    streets: list[str]
    zones: list[str]
    items: list[str]
    cases: list[str]


@dataclass(frozen=True)
class Question:
    """One question: the query function, a draw of its parameters, how often to ask it."""

    name: str
    function: Callable[..., Any]
    draw: Callable[[random.Random], dict[str, Any]]
    point: bool  # a point question: its cost must not grow with the graph
    describe: Callable[[Any], str] = lambda answer: ""


@dataclass
class Measure:
    """One question at one size: call times, PROFILE db hits per read, the answer's size."""

    seconds: list[float] = field(default_factory=list)
    reads: list[tuple[str, int]] = field(default_factory=list)
    answer: str = ""

    def ms(self, p: int) -> float:
        return percentile(sorted(s * 1000 for s in self.seconds), p)

    @property
    def hits(self) -> int:
        return sum(hits for _, hits in self.reads)


@dataclass
class Size:
    """The graph after one load step: how many counties, how long they took to load."""

    counties: int
    delegations: int  # in force on CHECK_DAY, per the dataset's manifest
    load_seconds: float
    files: int
    measures: dict[str, Measure] = field(default_factory=dict)
    nation: list[float] = field(default_factory=list)  # coverage_gaps of each county in turn
    nation_call: float = 0.0  # coverage_gaps of the nation, one call
    load_average: tuple[float, float] = (0.0, 0.0)  # the machine's 1-min load, before and after


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or make_dataset(Path(tmp) / "synth", args)
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        with neo4j_settings(Path(tmp), args) as settings:
            driver = open_driver(settings)
            try:
                sizes = run(driver, settings.neo4j_database, data, manifest, args)
            finally:
                driver.close()
    print_report(sizes, base=int(args.counties.split(",")[0]))
    if args.json:
        args.json.write_text(as_json(sizes), encoding="utf-8")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, help="an `authreg synth` folder (default: generate)")
    parser.add_argument(
        "--counties", default="10,100,1000", help="counties loaded at each size (10,100,1000)"
    )
    parser.add_argument("--streets", type=int, default=14, help="streets per county (14)")
    parser.add_argument("--items", type=int, default=120, help="catalog items per county (120)")
    parser.add_argument("--seed", type=int, default=7, help="dataset and question seed (7)")
    parser.add_argument("--calls", type=int, default=300, help="calls per point question (300)")
    parser.add_argument(
        "--coverage-calls", type=int, default=30, help="calls per wider question (30)"
    )
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds per series before it stops (120)"
    )
    parser.add_argument(
        "--load-limit", type=float, default=900.0, help="seconds one load step may take (900)"
    )
    parser.add_argument("--batch", type=int, default=10, help="counties per load plan (10)")
    parser.add_argument(
        "--loaded", type=int, default=0, help="the graph already holds the first N counties"
    )
    parser.add_argument("--no-nation", action="store_true", help="skip the all-counties sweep")
    parser.add_argument("--heap", default="4g", help="throwaway Neo4j heap (4g)")
    parser.add_argument("--pagecache", default="2g", help="throwaway Neo4j page cache (2g)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


def make_dataset(out: Path, args: argparse.Namespace) -> Path:
    counties = max(int(n) for n in args.counties.split(","))
    started = time.perf_counter()
    generate(
        out, counties=counties, streets_per_county=args.streets, items=args.items, seed=args.seed
    )
    print(f"generated {counties} counties in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def run(
    driver: Driver, database: str, data: Path, manifest: dict, args: argparse.Namespace
) -> list[Size]:
    listed = manifest["county_list"]
    county = first_county(data, listed[0])
    questions = build_questions(county)
    if not args.loaded:
        wipe(driver, database)
    loaded = args.loaded
    sizes: list[Size] = []
    for target in (int(n) for n in args.counties.split(",")):
        if target < loaded:
            continue
        folders = [data / c["folder"] for c in listed[loaded:target]]
        laws = [data / "laws"] if loaded == 0 else []
        seconds, done, files = load(driver, database, laws, folders, args)
        loaded += done
        in_force = sum(c["delegations_in_force"][CHECK_DAY.isoformat()] for c in listed[:loaded])
        size = Size(loaded, in_force, seconds, files)
        print(
            f"\nloaded counties {loaded - done + 1}–{loaded} ({files} files) in {seconds:.0f} s: "
            f"{loaded} counties, {in_force:,} delegations in force",
            flush=True,
        )
        measure_size(driver, database, size, questions, [c["code"] for c in listed[:loaded]], args)
        sizes.append(size)
        if done < len(folders):
            print(f"the load passed --load-limit {args.load_limit:.0f} s; no larger size")
            break
    return sizes


# -- the dataset and the questions ----------------------------------------------------------------


def first_county(data: Path, listed: dict[str, Any]) -> County:
    folder = data / listed["folder"]
    items = sorted(
        {
            row["事项编码"]
            for path in sorted(folder.glob("*.csv"))
            for row in csv.DictReader(path.open(encoding="utf-8-sig"))
            if row.get("事项编码")  # a duty list (属地管理事项责任清单) names matters, not codes
        }
    )
    cases_file = folder / "cases.yaml"
    cases = yaml.safe_load(cases_file.read_text(encoding="utf-8")) if cases_file.exists() else {}
    return County(
        code=listed["code"],
        streets=listed["streets"],
        zones=listed["zones"],
        items=items,
        cases=[c["id"] for c in cases.get("cases", [])],
    )


def build_questions(county: County) -> list[Question]:
    def day(rng: random.Random) -> date:
        return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))

    def cell(rng: random.Random) -> dict[str, Any]:
        return {
            "item": rng.choice(county.items),
            "street": rng.choice(county.streets),
            "as_of": day(rng),
        }

    def items_and_delegations(answer: Any) -> str:
        totals = answer.totals
        return (
            f"{totals.items} items, {totals.delegations} delegations in force, "
            f"{totals.regions} counties; a page of {len(answer.items)} items"
        )

    diff_days = {"from_date": BEFORE_DAY, "to_date": CHECK_DAY}
    return [
        Question("authority", authority, cell, True, lambda a: a.outcome),
        Question("authority.cypher alone, no Python", authority_cypher, cell, True),
        Question(
            "legal_basis",
            legal_basis,
            lambda rng: {"item": rng.choice(county.items)},
            True,
            lambda a: f"{len(a.links)} links",
        ),
        Question(
            "responsibility_chain, item+street",
            responsibility_chain,
            cell,
            True,
            lambda a: f"{len(a.links)} links",
        ),
        Question(
            "responsibility_chain, case",
            responsibility_chain,
            lambda rng: {"case": rng.choice(county.cases)},
            True,
            lambda a: f"{len(a.links)} links",
        ),
        Question(
            "catalog_diff, street",
            catalog_diff,
            lambda rng: {"street": rng.choice(county.streets), **diff_days},
            True,
            lambda a: f"{sum(len(s.changes) for s in a.streets)} changes",
        ),
        Question(
            "catalog_diff, county",
            catalog_diff,
            lambda rng: {"region": county.code, **diff_days},
            False,
            lambda a: f"{sum(len(s.changes) for s in a.streets)} changes",
        ),
        Question(
            "coverage_gaps, zone",
            coverage_gaps,
            lambda rng: {"zone": rng.choice(county.zones), "as_of": CHECK_DAY},
            False,
            lambda a: f"{len(a.gaps)} gaps",
        ),
        Question(
            "coverage_gaps, county",
            coverage_gaps,
            lambda rng: {"region": county.code, "as_of": CHECK_DAY},
            False,
            lambda a: f"{len(a.gaps)} gaps",
        ),
        Question(
            "impact, one article",
            impact,
            lambda rng: {"document": LAW, "article": ARTICLE, "as_of": CHECK_DAY},
            False,
            items_and_delegations,
        ),
        Question(
            "impact, the whole law",
            impact,
            lambda rng: {"document": LAW, "as_of": CHECK_DAY},
            False,
            items_and_delegations,
        ),
    ]


def authority_cypher(tx: ManagedTransaction, *, item: str, street: str, as_of: date) -> Any:
    """authority's one read (codes given), its row fetched as a dict: the cost before Python."""
    record = authority_record(tx, item=item, street=street, as_of=as_of)
    return record.data() if record else None


# -- Neo4j and loading ----------------------------------------------------------------------------


@contextmanager
def neo4j_settings(tmp: Path, args: argparse.Namespace) -> Iterator[Settings]:
    """NEO4J_URI's server, or a throwaway local one."""
    settings = load_settings()
    if settings.neo4j_uri:
        yield settings
        return
    local = LocalNeo4j(
        home=tmp / "neo4j",
        port=free_port(),
        password=settings.neo4j_password.get_secret_value(),
        heap=args.heap,
        pagecache=args.pagecache,
    )
    print(f"starting a throwaway Neo4j in {local.home} ...", flush=True)
    state, _ = local.start()
    try:
        yield load_settings(neo4j_uri=state.uri)
    finally:
        local.stop()


def wipe(driver: Driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    migrate(driver, database)


def load(
    driver: Driver,
    database: str,
    laws: list[Path],
    folders: list[Path],
    args: argparse.Namespace,
) -> tuple[float, int, int]:
    """Load the laws, then the county folders a batch at a time (each file its own transaction),
    until all are in or --load-limit has passed; seconds, counties loaded, files written."""
    started = time.perf_counter()
    files = 0
    done = 0
    while done < len(folders):
        batch = folders[done : done + args.batch]
        report = LoadReport()
        plan = plan_load([*laws, *batch], report, need_metadata=True)
        if report.errors:
            raise SystemExit(f"the dataset does not load: {report.errors[0].line()}")
        files += len(write_plan(driver, database, plan))
        laws = []
        done += len(batch)
        elapsed = time.perf_counter() - started
        print(f"  {done}/{len(folders)} counties, {elapsed:.0f} s", end="\r", flush=True)
        if elapsed > args.load_limit:
            break
    seconds = time.perf_counter() - started
    refresh_query_plans(driver, database)  # as `authreg load` ends: plans for this graph
    return seconds, done, files


# -- measuring ------------------------------------------------------------------------------------


def measure_size(
    driver: Driver,
    database: str,
    size: Size,
    questions: list[Question],
    counties: list[str],
    args: argparse.Namespace,
) -> None:
    before = os.getloadavg()[0]
    with driver.session(database=database) as session:
        # Plan afresh against the grown graph's statistics, as a server would after a while.
        session.run("CALL db.clearQueryCaches()").consume()
        for question in questions:
            rng = random.Random(args.seed)
            calls = args.calls if question.point else args.coverage_calls
            warm_up = 30 if question.point else 3
            measure = Measure()
            measure.seconds = time_calls(session, question, rng, warm_up, calls, args.budget)
            measure.reads, answer = profiled(session, question, random.Random(args.seed))
            measure.answer = question.describe(answer)
            size.measures[question.name] = measure
            print(
                f"  {question.name:<38} p50 {measure.ms(50):8.1f} ms  p99 {measure.ms(99):8.1f} ms"
                f"  {measure.hits:>11,} db hits  {measure.answer}",
                flush=True,
            )
        if not args.no_nation:
            size.nation = nation_sweep(session, counties)
            started = time.perf_counter()
            answer = session.execute_read(coverage_gaps, region=NATION, as_of=CHECK_DAY)
            size.nation_call = time.perf_counter() - started
            print(
                f"  coverage_gaps of the nation in one call: {size.nation_call:.1f} s "
                f"({len(answer.gaps)} gaps)",
                flush=True,
            )
    size.load_average = (before, os.getloadavg()[0])
    print(f"  load average {before:.1f} before, {size.load_average[1]:.1f} after", flush=True)


def time_calls(
    session: Session,
    question: Question,
    rng: random.Random,
    warm_up: int,
    calls: int,
    budget: float,
) -> list[float]:
    """Seconds of each call after the warm-up; stops after `budget` s (one measured call at least)."""
    seconds: list[float] = []
    began = time.perf_counter()
    for n in range(warm_up + calls):
        params = question.draw(rng)
        started = time.perf_counter()
        session.execute_read(question.function, **params)
        if n >= warm_up:
            seconds.append(time.perf_counter() - started)
        if seconds and time.perf_counter() - began > budget:
            break
    return seconds


def nation_sweep(session: Session, counties: list[str]) -> list[float]:
    """coverage_gaps of every county in turn: what a national answer would cost at least."""
    seconds = []
    for code in counties:
        started = time.perf_counter()
        session.execute_read(coverage_gaps, region=code, as_of=CHECK_DAY)
        seconds.append(time.perf_counter() - started)
    total = sum(seconds)
    ms = sorted(s * 1000 for s in seconds)
    print(
        f"  coverage_gaps of all {len(counties)} counties in turn: {total:.1f} s "
        f"(per county p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms)",
        flush=True,
    )
    return seconds


class Fetched(list):
    """A read's records, fetched whole: what the query functions use of a Result."""

    def single(self) -> Any:
        return self[0] if self else None


class ProfiledTransaction:
    """A transaction that runs every read under PROFILE and notes each read's db hits."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx
        self.reads: list[tuple[str, int]] = []

    def run(self, query: str, parameters: dict[str, Any] | None = None, **params: Any) -> Fetched:
        result = self.tx.run("PROFILE\n" + query, parameters, **params)
        records = Fetched(result)
        summary = result.consume()  # profiler stats come once the result is read to its end
        self.reads.append((query_name(query), plan_hits(summary.profile or {})))
        return records


def profiled(
    session: Session, question: Question, rng: random.Random
) -> tuple[list[tuple[str, int]], Any]:
    """One call of the question with every read profiled: (read, db hits) in order, and its answer."""
    params = question.draw(rng)
    found: list[ProfiledTransaction] = []

    def work(tx: ManagedTransaction) -> Any:
        found.append(ProfiledTransaction(tx))
        return question.function(found[-1], **params)

    answer = session.execute_read(work)
    return found[-1].reads, answer


def query_name(query: str) -> str:
    """The name a queries/*.cypher file gives itself on its first line (`// name: ...`)."""
    first = query.lstrip().split("\n", 1)[0]
    return first[2:].split(":", 1)[0].strip() if first.startswith("//") else "?"


def plan_hits(operator: dict[str, Any]) -> int:
    return operator.get("dbHits", 0) + sum(plan_hits(c) for c in operator.get("children", []))


def percentile(sorted_ms: list[float], p: int) -> float:
    """Nearest-rank percentile: with 30 calls, p99 is the slowest call."""
    if not sorted_ms:
        return float("nan")
    rank = max(1, -(-p * len(sorted_ms) // 100))
    return sorted_ms[rank - 1]


def summarise(spent_ms: list[float]) -> dict[str, float]:
    """p50, p99, total and count of some timed calls (milliseconds), as the reports print them."""
    ordered = sorted(spent_ms)
    return {
        "p50": round(percentile(ordered, 50), 1),
        "p99": round(percentile(ordered, 99), 1),
        "total": round(sum(ordered), 1),
        "n": len(ordered),
    }


def synthetic_graph_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a report bench over a synthetic graph of many counties (evaluation,
    staffing, duties, guide uptake): which data, how large, how many timed calls, the server."""
    parser.add_argument("--data", type=Path, help="an `authreg synth` folder (default: generate)")
    parser.add_argument("--loaded", action="store_true", help="NEO4J_URI's graph holds --data")
    parser.add_argument("--counties", type=int, default=100, help="counties loaded (100)")
    parser.add_argument("--streets", type=int, default=14, help="streets per county (14)")
    parser.add_argument("--items", type=int, default=120, help="catalog items per county (120)")
    parser.add_argument("--seed", type=int, default=7, help="dataset seed (7)")
    parser.add_argument("--calls", type=int, default=10, help="timed calls per question (10)")
    parser.add_argument("--heap", default="2g", help="throwaway Neo4j heap (2g)")
    parser.add_argument("--pagecache", default="1g", help="throwaway Neo4j page cache (1g)")
    parser.add_argument("--json", type=Path, help="also write the figures here")


# -- report ---------------------------------------------------------------------------------------


def print_report(sizes: list[Size], base: int) -> None:
    """The table; sizes are named by their counties over `base`, the first size asked for."""
    if not sizes:
        return
    first, last = sizes[0], sizes[-1]
    print("\nloads:")
    for size in sizes:
        rate = size.delegations / size.load_seconds if size.load_seconds else 0
        print(
            f"  ×{size.counties / base:g}: {size.counties} counties, "
            f"{size.delegations:,} delegations in force, step took {size.load_seconds:.0f} s "
            f"({size.files} files, {rate:,.0f} delegations/s over the step); "
            f"load average while measured {size.load_average[0]:.1f}–{size.load_average[1]:.1f} "
            f"on {os.cpu_count()} CPUs"
        )
    header = ["question"]
    for size in sizes:
        x = f"×{size.counties / base:g}"
        header += [f"{x} p50", f"{x} p99", f"{x} db hits"]
    x = f"×{last.counties / base:g}/×{first.counties / base:g}"
    header += [f"{x} p50", f"{x} p99", f"{x} hits"]
    rows = [header]
    for name in first.measures:
        row = [name]
        for size in sizes:
            m = size.measures[name]
            row += [f"{m.ms(50):.1f}", f"{m.ms(99):.1f}", f"{m.hits:,}"]
        a, b = first.measures[name], last.measures[name]
        row += [
            _ratio(b.ms(50), a.ms(50)),
            _ratio(b.ms(99), a.ms(99)),
            _ratio(b.hits, a.hits),
        ]
        rows.append(row)
    if all(size.nation for size in sizes):
        row = ["coverage_gaps, every county (s)"]
        for size in sizes:
            row += [f"{sum(size.nation):.1f}", "", ""]
        row += [_ratio(sum(last.nation), sum(first.nation)), "", ""]
        rows.append(row)
        row = ["coverage_gaps of the nation, one call (s)"]
        for size in sizes:
            row += [f"{size.nation_call:.1f}", "", ""]
        row += [_ratio(last.nation_call, first.nation_call), "", ""]
        rows.append(row)
    print("\nms through the driver (one managed read transaction a call); db hits: PROFILE")
    print_table(rows)
    print_targets(sizes, base)
    print("\nPROFILE db hits per Cypher read, one call each:")
    for name in first.measures:
        reads = [size.measures[name].reads for size in sizes]
        parts = "; ".join(
            f"{read} {' / '.join(f'{r[n][1]:,}' for r in reads)}"
            for n, (read, _) in enumerate(reads[0])
            if all(len(r) > n for r in reads)
        )
        print(f"  {name}: {parts}")


def print_targets(sizes: list[Size], base: int) -> None:
    last = sizes[-1]
    print(f"\ntargets at ×{last.counties / base:g} ({last.counties} counties):")
    for name, limit in TARGETS.items():
        p99 = last.measures[name].ms(99)
        print(f"  {name}: p99 {p99:.1f} ms ≤ {limit:g} ms: {'met' if p99 <= limit else 'MISSED'}")
    name, most = RATIO_TARGET
    ratio = last.measures[name].ms(99) / sizes[0].measures[name].ms(99)
    print(f"  {name}: p99 ratio {ratio:.2f} ≤ {most}: {'met' if ratio <= most else 'MISSED'}")


def print_table(rows: list[list[str]]) -> None:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c + " " * (w - _width(c)) if i == 0 else " " * (w - _width(c)) + c
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def as_json(sizes: list[Size]) -> str:
    body = [
        {
            "counties": s.counties,
            "delegations_in_force": s.delegations,
            "load_seconds": s.load_seconds,
            "files": s.files,
            "load_average": s.load_average,
            "questions": {
                name: {
                    "calls": len(m.seconds),
                    "p50_ms": m.ms(50),
                    "p99_ms": m.ms(99),
                    "mean_ms": statistics.fmean(m.seconds) * 1000,
                    "db_hits": m.hits,
                    "reads": m.reads,
                    "answer": m.answer,
                }
                for name, m in s.measures.items()
            },
            "nation_seconds": s.nation,
            "nation_call_seconds": s.nation_call,
        }
        for s in sizes
    ]
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def _ratio(big: float, small: float) -> str:
    return f"{big / small:.2f}" if small else "—"


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


if __name__ == "__main__":
    main()
