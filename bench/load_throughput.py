"""Loader throughput (加载吞吐): the project's loader vs a naive one-MERGE-per-row loop, same run.

    .venv/bin/python bench/load_throughput.py --rows 100000 [--naive-rows 1000]

Needs a running Neo4j (`authreg db start`, or NEO4J_URI); it WIPES that graph. Prints rows/s of
(a) `authreg load`'s path (validate, parse every basis cell, write in one transaction) and
(c) a naive loop, one auto-commit MERGE per row, on the first --naive-rows rows; and a/c.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from authreg.driver import connected
from authreg.settings import load_settings
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport

BASES = (
    "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项",
    "【行政法规】《村庄和集镇规划建设管理条例》(1993年国务院令第116号)第三十七条第一款",
    "《中华人民共和国森林法》第七十九条\n《中华人民共和国森林法实施条例》第四十二条第一项、第二项",
    "《中华人民共和国消防法》(2021年修正)第十五条、第六十条",
)


def synthetic_catalog(directory: Path, rows: int) -> Path:
    lines = ["序号,事项编码,事项名称,事项类型,实施依据,原实施部门"]
    for n in range(1, rows + 1):
        basis = BASES[n % len(BASES)].replace("\n", " ")
        lines.append(f'{n},S-{n:07d},第{n}项处罚事项,行政处罚,"{basis}",某县城市管理局')
    path = directory / "synthetic.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "synthetic.meta.yaml").write_text("effective: 2024-09-11\nregion: '999999'\n")
    return path


def naive_loop(driver, database: str, rows: int) -> float:
    started = time.perf_counter()
    with driver.session(database=database) as session:
        for n in range(1, rows + 1):
            session.run(
                "MERGE (i:EnforcementItem {code: $code}) SET i.name = $name, i.type = '行政处罚' "
                "MERGE (c:Catalog {id: 'naive'}) MERGE (c)-[:LISTS {row: $n}]->(i)",
                code=f"N-{n:07d}",
                name=f"第{n}项处罚事项",
                n=n,
            ).consume()
    return rows / (time.perf_counter() - started)


def wipe(driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=1_000)
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp, connected(settings) as driver:
        catalog = synthetic_catalog(Path(tmp), args.rows)
        wipe(driver, settings.neo4j_database)
        started = time.perf_counter()
        report = LoadReport()
        plan = plan_load([catalog], report, need_metadata=True)
        parsed = time.perf_counter()
        write_plan(driver, settings.neo4j_database, plan)
        done = time.perf_counter()
        loader = args.rows / (done - started)
        naive = naive_loop(driver, settings.neo4j_database, args.naive_rows)
        wipe(driver, settings.neo4j_database)
    print(f"rows: {args.rows}; basis cells parsed fully: {report.counts['basis_parsed']}")
    print(
        f"(a) loader: {loader:,.0f} rows/s  (validate+parse {parsed - started:.1f} s, "
        f"write {done - parsed:.1f} s)"
    )
    print(f"(c) naive per-row MERGE, {args.naive_rows} rows: {naive:,.0f} rows/s")
    print(f"a/c = {loader / naive:.1f}x")


if __name__ == "__main__":
    main()
