"""Reading and CSV writing on one core and on two (读取并行基准): the Python steps of a first load.

    .venv/bin/python bench/read_workers.py --data DIR [--turns 3] [--workers 2]

For an `authreg synth` dataset (DIR), side by side in one run, turns alternating:
- read and validate (`loaders.load.plan_load`) in this process, and in --workers forked ones;
- write the bulk import's CSV (`loaders.admin_import.write_import_files`) of the graph decided
  in memory (`loaders.bulk_load.build_graph`, once), in one process and in --workers.
Prints each turn, the medians and the ratios (1 process / --workers processes), and checks that
both ways give the same plan and the same CSV bytes. No Neo4j is needed.
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from loaders.admin_import import write_import_files
from loaders.bulk_load import build_graph
from loaders.load import LoadPlan, plan_load
from loaders.report import LoadReport


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="an `authreg synth` dataset")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    def read(workers: int) -> LoadPlan:
        report = LoadReport()
        plan = plan_load([args.data], report, need_metadata=True, workers=workers)
        if report.errors:
            raise SystemExit(f"the dataset does not load: {report.errors[0].line()}")
        return plan

    reads = side_by_side("read and validate", read, args.turns, args.workers)
    plans = [read(1), read(args.workers)]
    print(f"  same plan both ways: {plans[0] == plans[1]}")
    rows = sum(len(c.rows) for c in plans[0].catalogs)
    graph = build_graph(plans.pop())
    del plans
    with tempfile.TemporaryDirectory(prefix="read-workers-") as tmp:
        folders = {1: Path(tmp) / "one", args.workers: Path(tmp) / "many"}

        def write(workers: int) -> None:
            write_import_files(graph, folders[workers], workers)

        writes = side_by_side("write CSV", write, args.turns, args.workers)
        names = sorted(p.name for p in folders[1].iterdir())
        _, mismatch, errors = filecmp.cmpfiles(folders[1], folders[args.workers], names, False)
        print(f"  same CSV bytes both ways: {not mismatch and not errors} ({len(names)} files)")
    entities = graph.node_count + graph.rel_count
    print(f"\ndataset {args.data}: {rows:,} catalog rows, {entities:,} entities")
    for step, (one, many) in (("read and validate", reads), ("write CSV", writes)):
        print(
            f"{step:>18}: 1 process {one:6.1f} s, {args.workers} processes {many:6.1f} s, "
            f"ratio {one / many:.2f}×"
        )


def side_by_side(
    step: str, work: Callable[[int], object], turns: int, workers: int
) -> tuple[float, float]:
    """Medians of `work(1)` and `work(workers)`, alternating which goes first each turn."""
    times: dict[int, list[float]] = {1: [], workers: []}
    for turn in range(turns):
        order = (1, workers) if turn % 2 == 0 else (workers, 1)
        for count in order:
            started = time.perf_counter()
            work(count)
            times[count].append(time.perf_counter() - started)
        print(
            f"  {step}, turn {turn + 1}: 1 process {times[1][-1]:.1f} s, "
            f"{workers} processes {times[workers][-1]:.1f} s"
        )
    return statistics.median(times[1]), statistics.median(times[workers])


if __name__ == "__main__":
    main()
