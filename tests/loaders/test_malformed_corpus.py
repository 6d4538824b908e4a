"""Malformed input never crashes `authreg load` (畸形输入): no traceback, no hang, exit 2 with the
file, row and column, and the graph unchanged — for every variant of tests/loaders/malformed_corpus.

Most variants run the real command line (`authreg.cli.main`, the console entry point) in a
forked copy of this process: the same code path and exit-code mapping as a shell, without paying
the interpreter's start-up per variant. One in 16 also runs as a real subprocess. Each run has a
time limit (a hang fails) and an address-space limit (a runaway allocation fails fast instead of
taking the machine's memory).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Driver

import authreg.load_command  # noqa: F401  imported here, so a forked run starts at once
from authreg import cli
from authreg.settings import Settings
from schema.graph_rows import BOOKKEEPING
from tests.conftest import Graph, LoadedOnce
from tests.loaders.malformed_corpus import COUNTY, Variant, variants

AUTHREG = str(Path(sys.executable).with_name("authreg"))
TIME_LIMIT_S = 120.0  # generous: a shared CI machine may be slow; a hang is still caught
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for one run
SUBPROCESS_EVERY = 16  # one variant in 16 also runs as a real subprocess
VARIANTS = variants()


@dataclass(frozen=True)
class Run:
    status: int | None  # None: killed by a signal or the time limit
    output: str
    seconds: float
    hung: bool = False
    signal: int | None = None

    def problem(self) -> str | None:
        if self.hung:
            return f"hung: no exit within {TIME_LIMIT_S:.0f} s"
        if self.signal is not None:
            return f"crashed: killed by signal {self.signal}"
        if "Traceback (most recent call last)" in self.output:
            return "crashed: a traceback"
        return None


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_forked(argv: list[str], env: dict[str, str], log: Path) -> Run:
    """`authreg ARGV` through the console entry point, in a forked child with limits."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            # pytest's capture replaced sys.stdout and sys.stderr: write to the log's fds
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            _limits()
            os.environ.clear()
            os.environ.update(env)
            sys.argv = ["authreg", *argv]
            try:
                cli.main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001  as the interpreter does for an uncaught one
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = started + TIME_LIMIT_S
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return Run(None, _read(log), TIME_LIMIT_S, hung=True)
        time.sleep(0.02)
    seconds = time.monotonic() - started
    if os.WIFSIGNALED(status):
        return Run(None, _read(log), seconds, signal=os.WTERMSIG(status))
    return Run(os.WEXITSTATUS(status), _read(log), seconds)


def run_subprocess(argv: list[str], env: dict[str, str]) -> Run:
    started = time.monotonic()
    try:
        done = subprocess.run(
            [AUTHREG, *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=TIME_LIMIT_S,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return Run(None, str(exc.stdout or ""), TIME_LIMIT_S, hung=True)
    seconds = time.monotonic() - started
    if done.returncode < 0:
        return Run(None, done.stdout + done.stderr, seconds, signal=-done.returncode)
    return Run(done.returncode, done.stdout + done.stderr, seconds)


def _read(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def graph_hash(graph: Graph) -> tuple[tuple, str]:
    """Counts by label and type, and one hash of every property (bookkeeping left out)."""
    nodes = graph.run(
        "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        skip=sorted(BOOKKEEPING),
    )
    rels = graph.run(
        "MATCH (a)-[r]->(b) WHERE none(l IN labels(a) + labels(b) WHERE l IN $skip) "
        "RETURN type(r) AS type, properties(a) AS a, properties(r) AS props, properties(b) AS b",
        skip=sorted(BOOKKEEPING),
    )
    rows = sorted(json.dumps(row, sort_keys=True, default=str) for row in nodes + rels)
    counts: dict[str, int] = {}
    for row in nodes:
        key = ":".join(sorted(row["labels"]))
        counts[key] = counts.get(key, 0) + 1
    for row in rels:
        counts[row["type"]] = counts.get(row["type"], 0) + 1
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return tuple(sorted(counts.items())), digest


# The county's organisation and its 2024 list: loaded the first time, then put back from the copy
# of that load (as the session's sample is: 1.5 s a load, some 40 a run).
BASE_LOAD = LoadedOnce([COUNTY / "organisation.yaml", COUNTY / "county-2024.csv"])


@dataclass
class BaseGraph:
    """The corpus's graph, and its hash when nothing can have changed it since it was taken
    (the last run's `after`, equal to its `before`): only this module's tests use the session's
    Neo4j while this fixture lives, one at a time."""

    graph: Graph
    known_hash: tuple[tuple, str] | None = None

    def hash_before_a_run(self) -> tuple[tuple, str]:
        """The graph's hash now; forgotten until a run ends with the graph as it found it."""
        known, self.known_hash = self.known_hash, None
        return known or graph_hash(self.graph)


@pytest.fixture(scope="module")
def base_graph(session_driver: Driver, neo4j_settings: Settings) -> BaseGraph:
    """The county's organisation and its 2024 list, loaded once for the whole corpus."""
    graph = Graph(session_driver, neo4j_settings)
    BASE_LOAD.into(graph)  # its wipe ends the session's shared sample (Graph.wipe)
    return BaseGraph(graph)


def cli_env(graph: Graph) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AUTHREG_"))}
    return env | {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
        "AUTHREG_LOAD_WORKERS": "1",
    }


def _report_errors(report: Path) -> list[dict[str, str]]:
    if not report.exists():
        return []
    csv.field_size_limit(2**31 - 1)  # a value may quote a huge cell
    with report.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["severity"] == "error"]


def judge(variant: Variant, check: bool, run: Run, report: Path) -> str | None:
    """What is wrong with one run of one variant, or None."""
    problem = run.problem()
    if problem:
        return problem
    if variant.expected(check) == "ok":
        if run.status not in (0, 1):
            return f"refused a valid file: exit {run.status}: {run.output[-600:]}"
        return None
    if run.status != 2:
        return f"wrong exit: {run.status} instead of 2: {run.output[-600:]}"
    errors = _report_errors(report)
    if not errors:
        return f"no error in the report: {run.output[-600:]}"
    names = set(variant.files)
    for error in errors:
        line = f"{error['file']}, row {error['row']}, column {error['column']}: {error['message']}"
        if error["file"] not in names:
            return f"names no file of the variant: {line}"
        if not variant.whole_file and not error["row"]:
            return f"no row: {line}"
        if variant.column and not error["column"]:
            return f"no column: {line}"
    return None


def _sampled(index: int) -> bool:
    return index % SUBPROCESS_EVERY == 0


@pytest.mark.parametrize("mode", ["check", "load"])
@pytest.mark.parametrize(
    "index, variant", list(enumerate(VARIANTS)), ids=[v.name for v in VARIANTS]
)
def test_malformed_input_is_refused_with_its_place_and_leaves_the_graph_alone(
    base_graph: BaseGraph, tmp_path: Path, index: int, variant: Variant, mode: str
) -> None:
    loaded = variant.write(tmp_path)
    report = tmp_path / "problems.csv"
    argv = ["load", *(["--check"] if mode == "check" else []), "--report", str(report), str(loaded)]
    env = cli_env(base_graph.graph)
    before = base_graph.hash_before_a_run()
    runs = [("forked", run_forked(argv, env, tmp_path / "out.log"))]
    if _sampled(index):
        report.unlink(missing_ok=True)
        runs.append(("subprocess", run_subprocess(argv, env)))
    after = graph_hash(base_graph.graph)
    failures = [
        f"{how}: {found}"
        for how, run in runs
        if (found := judge(variant, mode == "check", run, report)) is not None
    ]
    if variant.expected(mode == "check") == "error" and after != before:
        failures.append("partial write: the graph changed")
    if after != before:  # a valid variant may add to the graph; the next starts clean
        BASE_LOAD.into(base_graph.graph)
    else:
        base_graph.known_hash = after
    if os.environ.get("AUTHREG_CORPUS_LOG"):  # one JSON line per run, for counting outcomes
        with Path(os.environ["AUTHREG_CORPUS_LOG"]).open("a", encoding="utf-8") as log:
            record = {"variant": variant.name, "mode": mode, "failures": failures}
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failures and variant.known_gap and mode == "load":
        pytest.xfail(f"{variant.known_gap}: {'; '.join(failures)}")
    assert not failures, "; ".join(failures)
