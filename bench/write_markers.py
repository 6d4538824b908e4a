"""Concurrent writers and the graph's write counter (issue 16.3): one GraphState node every
write transaction SETs (as before) against one GraphWrite marker each (loaders/write.py).

    .venv/bin/python bench/write_markers.py [--writers 8] [--writes 40] [--hold-ms 20]

With NEO4J_URI set it uses that Neo4j and WIPES its graph; without, it starts a throwaway local
Neo4j. Each writer runs --writes transactions, each a small write (one node) that holds its
transaction open --hold-ms before committing (what a file of a load or a mutation does between
its first write and its commit), counted the old way then the new, side by side in one run: the
old counter's lock is taken at the bump, the transaction's last statement, so a writer's hold
comes after it and every other writer waits for it; a marker locks nothing another writer needs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from neo4j import ManagedTransaction

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_throughput import neo4j_server

from authreg.driver import open_driver
from loaders.write import bump_generation
from queries.graph_generation import graph_generation
from schema.migrate import migrate


def old_counter(tx: ManagedTransaction) -> None:
    """The write counter before issue 16.3: one node, SET by every write transaction."""
    tx.run(
        "MERGE (g:GraphState {id: 'graph'}) "
        "SET g.generation = coalesce(g.generation, 0) + 1, g.changed_at = datetime()"
    ).consume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=40, help="transactions per writer")
    parser.add_argument("--hold-ms", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, neo4j_server(Path(tmp)) as neo4j:
        settings = neo4j.settings
        driver = open_driver(settings)
        database = settings.neo4j_database
        with driver.session(database=database) as session:
            session.run("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n").consume()
        migrate(driver, database)

        def write(bump: object, writer: int, n: int) -> None:
            def work(tx: ManagedTransaction) -> None:
                tx.run("CREATE (:Region {code: $code, name: 'bench'})", code=f"{writer}-{n}")
                bump(tx)  # type: ignore[operator]
                time.sleep(args.hold_ms / 1000)  # the rest of the transaction, then commit

            with driver.session(database=database) as session:
                session.execute_write(work)

        print(f"{args.writers} writers × {args.writes} transactions, each held {args.hold_ms} ms")
        print(f"{'counter':<28}{'s':>7}{'tx/s':>8}{'vs serial':>11}  load1")
        for name, bump in [
            ("one GraphState node (old)", old_counter),
            ("GraphWrite markers", bump_generation),
        ]:
            with driver.session(database=database) as session:
                session.run(
                    "MATCH (n) WHERE n:Region OR n:GraphWrite OR n:GraphState DETACH DELETE n"
                ).consume()
            load1 = os.getloadavg()[0]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.writers) as pool:
                futures = [
                    pool.submit(lambda w=w, b=bump: [write(b, w, n) for n in range(args.writes)])
                    for w in range(args.writers)
                ]
                for future in futures:
                    future.result()
            took = time.perf_counter() - started
            total = args.writers * args.writes
            serial = total * args.hold_ms / 1000
            print(f"{name:<28}{took:>7.2f}{total / took:>8.1f}{serial / took:>10.2f}×  {load1:.1f}")
        with driver.session(database=database) as session:
            print(
                "generation read after the markers:",
                session.execute_read(graph_generation).generation,
            )
        driver.close()


if __name__ == "__main__":
    main()
