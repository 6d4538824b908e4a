"""What a CLI call costs as a whole process (命令行启动开销): `authreg --help` and one query.

    .venv/bin/python bench/cli_startup.py [--baseline DIR] [--runs 10] [--query ARGS]

Starts each command --runs times as a new process (its imports, settings, driver, query and exit
included) and reads the finished child's user + system CPU from the kernel (os.wait4) and its
wall time from a monotonic clock. With --baseline (another checkout of the repository, e.g. `git
worktree add /tmp/base <commit>`), the same commands run from that code too, turns alternating
(this, baseline, this, …) so a machine whose speed drifts moves both alike; the ratios are taken
turn by turn. Both use this interpreter and its installed packages: only the code differs.
Python's bytecode caches are on, as on a user's machine (a fresh `.pyc` folder under the
system's temporary folder, warmed by one uncounted run of each command; PYTHONDONTWRITEBYTECODE
is dropped): a process that compiles every module it imports costs about twice as much.
`--no-bytecode-cache` measures that case instead. The query needs a graph holding the sample (`authreg demo --no-serve` or `authreg load
--sample`, as configured by the environment). Prints the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
DEFAULT_QUERY = "query authority --item LC-CG-004 --street 海滨街道 --as-of 2025-07-01"
ENTRY = "import sys; from authreg.cli import main; sys.argv[0] = 'authreg'; main()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the query's arguments")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile every run")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="cli-startup-pyc-")
    print(f"bytecode caches: {'off' if args.no_bytecode_cache else env['PYTHONPYCACHEPREFIX']}")
    print(f"load average before: {_load()}")
    for argv in (["--help"], shlex.split(args.query)):
        _compare(argv, args.baseline, args.runs, env)
    print(f"load average after:  {_load()}")


def _compare(argv: list[str], baseline: Path | None, runs: int, env: dict[str, str]) -> None:
    trees = [HERE] + ([baseline.resolve()] if baseline else [])
    for tree in trees:
        _run(tree, argv, env)  # warms the file and bytecode caches; not counted
    figures: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
    for _ in range(runs):
        for tree in trees:
            figures[tree].append(_run(tree, argv, env))
    print(f"\nauthreg {' '.join(argv)}  ({runs} runs each, turns alternating)")
    for tree in trees:
        cpu = [c for c, _ in figures[tree]]
        wall = [w for _, w in figures[tree]]
        label = "this checkout" if tree == HERE else f"baseline {tree}"
        print(f"  {label}: cpu {_spread(cpu)} s, wall {_spread(wall)} s")
    if baseline:
        pairs = zip(figures[HERE], figures[trees[1]], strict=True)
        ratios = [mine[0] / base[0] for mine, base in pairs]
        print(f"  cpu ratio this / baseline, turn by turn: {_spread(ratios)}")


def _run(tree: Path, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(user + system CPU seconds, wall seconds) of one whole process; its output discarded."""
    env = dict(env, PYTHONPATH=str(tree), COLUMNS="120")
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *argv],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"authreg {' '.join(argv)} in {tree} failed: {errors.decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime, wall


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
