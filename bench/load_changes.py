"""Loads that write what changed (issue 16.1): a first load and an update, the loader before
and after, against a plain batched writer and a naive loop, in one run.

    .venv/bin/python bench/load_changes.py [--counties 20] [--before DIR] [--repeat 1]
        [--naive-rows 1000] [--json OUT]

Needs NEO4J_URI (it WIPES that graph), or starts a throwaway local Neo4j. One synthetic dataset
(`authreg synth`) and its update files (`bench/load_updates.py`: for every county a new version
of its list, a tenth of the rows renamed and re-cited, dropped or new, and a withdrawal notice).

(a) the loader (`plan_load` + `write_plan`, as `authreg load`, reading in one process), in a
    child process from this checkout, and with --before from another checkout (the code before
    the change, e.g. `git archive` of main unpacked): first the dataset into an emptied graph,
    then the update files on top.
(b) the plain batched writer of `bench/load_benchmark.py` (UNWIND … MERGE, 10,000 rows a
    transaction; for the update `SET n = props`, so that a property taken away goes): the first load is the whole graph (a) wrote, dumped (`queries/dump.py`);
    the update re-merges each new version onto that graph: every row of the new catalogs,
    the items they list with their links and the provisions and documents cited, the
    delegations they authorise or end with their links, and any other row the update added or
    changed. Pre-resolved: no reading, parsing, validation or versioning.
(c) the naive loop of `bench/load_benchmark.py` (one auto-commit MERGE per row) on a sample of
    the first load's rows, projected onto all of them.

Every graph is compared with the one this checkout's loader wrote, every row and property
(`schema.graph_rows.compare`). Ratios are of rates, i.e. the inverse ratio of times; the
machine is shared, so only ratios measured side by side count.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from load_benchmark import (
    dump_graph,
    measure_naive,
    neo4j_server,
    wipe,
    write_batched,
    write_in_batches,
)
from load_updates import write_updates

from authreg.driver import connected
from schema.graph_rows import KEYS, GraphRows, compare, differences
from schema.labels import Label

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = {"update a/b": 2.0, "first a/b": 1.0, "first a/c": 100.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--streets", type=int, default=14)
    parser.add_argument("--items", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another checkout's loader, side by side")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--naive-rows", type=int, default=1000)
    parser.add_argument("--heap", default=None)
    parser.add_argument("--pagecache", default=None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="load-changes-") as tmp_name:
        tmp = Path(tmp_name)
        from synthetic.generate import generate

        data, updates = tmp / "data", tmp / "updates"
        generate(
            data,
            counties=args.counties,
            streets_per_county=args.streets,
            items=args.items,
            seed=args.seed,
        )
        write_updates(data, updates)
        with neo4j_server(tmp, args) as (settings, _pid):
            results = run(settings, data, updates, args)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    report(results)


def run(settings: Any, data: Path, updates: Path, args: argparse.Namespace) -> dict[str, Any]:
    loaders = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    database = settings.neo4j_database
    results: dict[str, Any] = {"load_average": [os.getloadavg()[0]], "turns": []}
    first: GraphRows | None = None
    final: GraphRows | None = None
    with connected(settings) as driver:
        for turn in range(args.repeat):
            times: dict[str, Any] = {}
            graphs: dict[str, tuple[GraphRows, GraphRows]] = {}
            for name, root in loaders.items():
                print(f"turn {turn + 1}: (a) {name}: first load, then the update", flush=True)
                wipe(driver, database)
                times[f"a {name} first"] = load(root, settings.neo4j_uri, [data])
                base = dump_graph(driver, database) if turn == 0 else None
                times[f"a {name} update"] = load(root, settings.neo4j_uri, [updates])
                if turn == 0:
                    graphs[name] = (base, dump_graph(driver, database))
            if turn == 0:
                first, final = graphs["after"]
                results["graph"] = {"first": first.sizes(), "updated": final.sizes()}
                results["compared"] = {
                    f"a {name} {which}": compare(mine, theirs)
                    for name, pair in graphs.items()
                    for which, mine, theirs in zip(
                        ("first", "update"), graphs["after"], pair, strict=True
                    )
                    if name != "after"
                }
            assert first is not None and final is not None
            print(f"turn {turn + 1}: (b) batched MERGE: first load, then the update", flush=True)
            wipe(driver, database)
            started = time.perf_counter()
            write_batched(driver, database, first)
            times["b first"] = {"seconds": time.perf_counter() - started}
            delta = new_versions(first, final)
            started = time.perf_counter()
            write_replacing(driver, database, delta)
            times["b update"] = {
                "seconds": time.perf_counter() - started,
                "rows": delta.node_count + delta.rel_count,
            }
            if turn == 0:
                results["compared"]["b first+update"] = compare(final, dump_graph(driver, database))
            print(f"turn {turn + 1}: (c) naive loop on a sample", flush=True)
            times["c first"] = measure_naive(driver, database, None, first, args.naive_rows)
            results["turns"].append(times)
            results["load_average"].append(os.getloadavg()[0])
        wipe(driver, database)
    return results


def load(root: Path, uri: str, paths: list[Path]) -> dict[str, Any]:
    """One load by the loader of checkout `root`, in a child process (bench/load_child.py)."""
    env = os.environ | {"PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, str(HERE / "load_child.py"), str(root), uri, *map(str, paths)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the loader of {root} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def new_versions(first: GraphRows, final: GraphRows) -> GraphRows:
    """What a plain writer re-merges for the update: the new catalogs and everything hanging
    from them (items listed, their links and cited provisions and documents; delegations
    authorised or ended, their links), and every other row the update added or changed."""
    catalogs = {key for key, _ in final.nodes.get(Label.CATALOG, [])} - {
        key for key, _ in first.nodes.get(Label.CATALOG, [])
    }
    chosen: dict[Label, set[Any]] = defaultdict(set)
    chosen[Label.CATALOG] = catalogs
    for (rel, start, end), rows in final.rels.items():
        for a, b, _ in rows:
            if start == Label.CATALOG and a in catalogs and rel == "LISTS":
                chosen[end].add(b)
            if end == Label.CATALOG and b in catalogs and start == Label.DELEGATION:
                chosen[Label.DELEGATION].add(a)
    for (rel, start, end), rows in final.rels.items():  # what the chosen items cite
        if rel == "BASED_ON" and start == Label.ENFORCEMENT_ITEM:
            chosen[end] |= {b for a, b, _ in rows if a in chosen[start]}
    old_nodes = {label: dict(rows) for label, rows in first.nodes.items()}
    old_rels = {
        group: {(a, b): props for a, b, props in rows} for group, rows in first.rels.items()
    }
    nodes = {
        label: [
            (key, props)
            for key, props in rows
            if key in chosen[label] or old_nodes.get(label, {}).get(key) != props
        ]
        for label, rows in final.nodes.items()
    }
    rels = {
        group: [
            (a, b, props)
            for a, b, props in rows
            if re_merged(group, a, b, chosen, catalogs)
            or old_rels.get(group, {}).get((a, b)) != props
        ]
        for group, rows in final.rels.items()
    }
    return GraphRows(
        nodes={k: v for k, v in nodes.items() if v}, rels={k: v for k, v in rels.items() if v}
    )


def write_replacing(driver: Any, database: str, graph: GraphRows) -> None:
    """`write_batched` with `SET n = props`: a re-merged row is replaced whole, so a property
    the update took away (an item's cell emptied) goes, as it does in (a)."""
    with driver.session(database=database) as session:
        for label, rows in graph.nodes.items():
            cypher = f"UNWIND $rows AS row MERGE (n:{label} {{{KEYS[label]}: row[0]}}) "
            write_in_batches(session, cypher + "SET n = row[1]", rows)
        for (rel, start, end), rels in graph.rels.items():
            cypher = (
                f"UNWIND $rows AS row MATCH (a:{start} {{{KEYS[start]}: row[0]}}) "
                f"MATCH (b:{end} {{{KEYS[end]}: row[1]}}) "
                f"MERGE (a)-[r:{rel}]->(b) SET r = row[2]"
            )
            write_in_batches(session, cypher, rels)


def re_merged(group: tuple, a: Any, b: Any, chosen: dict, catalogs: set) -> bool:
    """A relationship of the new versions' content: from a new catalog or a chosen item or
    provision; of a chosen delegation, its item, street and department, and the new catalog
    that authorises or ends it (not the older versions that authorised it before)."""
    _, start, end = group
    if start == Label.DELEGATION:
        return a in chosen[start] and (end != Label.CATALOG or b in catalogs)
    return a in chosen[start]


def report(results: dict[str, Any]) -> None:
    turns = results["turns"]

    def seconds(name: str) -> float:
        values = sorted(t[name]["seconds"] for t in turns)
        return values[(len(values) - 1) // 2]

    graph = results["graph"]
    print(
        f"\nfirst load: {graph['first']['nodes']:,} nodes + {graph['first']['relationships']:,} "
        f"relationships; after the update: {graph['updated']['nodes']:,} + "
        f"{graph['updated']['relationships']:,}; (b)'s update re-merges "
        f"{turns[0]['b update']['rows']:,} rows"
    )
    print(f"load average (1 min) at start and after each turn: {results['load_average']}")
    names = sorted({key.split()[1] for key in turns[0] if key.startswith("a ")})
    print("\nseconds (median of turns):")
    for key in sorted(turns[0]):
        print(f"  {key:18} {seconds(key):9.1f}   turns: "
              + ", ".join(f"{t[key]['seconds']:.1f}" for t in turns))  # fmt: skip
    print("\nratios (rate over rate; same run):")
    for name in names:
        for what, other in (("first", "b first"), ("first", "c first"), ("update", "b update")):
            ratio = seconds(other) / seconds(f"a {name} {what}")
            label = f"{what} a/{other[0]}"
            target = TARGETS.get(label)
            verdict = (
                ""
                if target is None
                else f"  target ≥ {target:g}×: " + ("met" if ratio >= target else "NOT met")
            )
            print(f"  ({name}) {label:12} {ratio:7.3g}×{verdict}")
    print("\ngraphs compared with this checkout's loader's:")
    for name, comparison in results["compared"].items():
        state = "same" if comparison["same"] else "DIFFERS: " + "; ".join(differences(comparison))
        print(f"  {name}: {state}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
