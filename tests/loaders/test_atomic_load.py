"""One error anywhere writes nothing (整体加载): what writing would refuse is found before it.

Each file of the corpus below hits one refusal that, before loaders/rehearsal.py, only writing
found — after the files written before it had committed, and with `--check` passing it. Now
`--check` reports each with its file, row and column and exits 2, and `load` exits 2 with the
graph unchanged (counts and every property, bookkeeping excluded).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from authreg.cli import app
from authreg.load_command import run_load
from queries.dump import graph_dump
from schema.graph_rows import fingerprints
from tests.conftest import Graph
from tests.loaders.test_load_graph import COUNTY, LAWS, cli_env, delegations, load

LAW = LAWS / "xiaofang-fa.md"  # written first: before, it committed ahead of the refusal
LIST_2025 = (COUNTY / "county-2025.csv").read_text(encoding="utf-8")
CASE = """kind: cases
cases:
  - {{id: T-C-1, item: {item}, occurred_in: {street}, occurred_on: 2025-04-01,
     handled_by: 东街道, status: 立案}}
"""


@dataclass(frozen=True)
class Refusal:
    """A file and where --check must place its error: (row, column), and words of the message."""

    name: str
    write: Callable[[Path], Path]
    row: int | None
    column: str | None
    words: str


def catalog(name: str, text: str, meta: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.yaml").write_text(meta, encoding="utf-8")
        return path

    return write


def data_file(name: str, text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


LATER = 'series: county-delegation\neffective: 2025-06-01\nregion: "990101"\nstreets: all\n'
CORPUS = [
    Refusal(
        "unknown street in the metadata",
        catalog(
            "north",
            LIST_2025,
            'series: n\neffective: 2025-03-01\nregion: "990101"\nstreets: [北街道]\n',
        ),
        None,
        "streets (metadata)",
        "is not a street of the region",
    ),
    Refusal(
        "unknown region in the metadata",
        catalog(
            "elsewhere",
            LIST_2025,
            'series: e\neffective: 2025-03-01\nregion: "990199"\nstreets: all\n',
        ),
        None,
        "streets (metadata)",
        "no streets of region 990199",
    ),
    Refusal(
        "department only the graph does not know",
        catalog(
            "renamed",
            LIST_2025.replace(
                "对占道经营的处罚,行政处罚,《城市市容和环境卫生管理条例》第三十六条第(二)项,"
                "测试县城市管理和综合执法局",
                "对占道经营的处罚,行政处罚,"
                "《城市市容和环境卫生管理条例》第三十六条第(二)项,测试县城管执法局",
            ),
            'series: r\neffective: 2025-03-01\nregion: "990101"\nstreets: all\n',
        ),
        4,
        "原实施部门",
        "department not in the organisation data",
    ),
    Refusal(
        "unknown street in a street column",
        catalog(
            "column",
            "事项编码,事项名称,事项类型,实施依据,原实施部门,赋权街镇\n"
            "T-001,对随意倾倒生活垃圾的处罚,行政处罚,《中华人民共和国消防法》第三十一条,"
            "测试县城市管理和综合执法局,北街道\n",
            'series: c\neffective: 2025-03-01\nregion: "990101"\nstreets: column\n',
        ),
        2,
        "赋权街镇",
        "is not a street of the region",
    ),
    Refusal(
        "an item name of several KB",
        catalog(
            "long",
            LIST_2025.replace("对占道经营的处罚", "占" * 5000),
            'series: l\neffective: 2025-03-01\nregion: "990101"\nstreets: all\n',
        ),
        4,
        "事项名称",
        "EnforcementItem.name of 5,000 characters",
    ),
    Refusal(
        "a corrected file under a version already loaded",
        catalog(
            "corrected",
            (COUNTY / "county-2024.csv").read_text(encoding="utf-8") + "\n",
            (COUNTY / "county-2024.meta.yaml").read_text(encoding="utf-8"),
        ),
        None,
        None,
        "was loaded before from a different file",
    ),
    Refusal(
        "an older version after a newer one",
        catalog(
            "older",
            LIST_2025,
            'series: county-delegation\neffective: 2024-01-01\nregion: "990101"\nstreets: all\n',
        ),
        None,
        None,
        "load catalog versions in date order",
    ),
    Refusal(
        "a new version ending most of what is in force",
        catalog("truncated", "\n".join(LIST_2025.splitlines()[:2]) + "\n", LATER),
        None,
        "(whole file)",
        "in force 9, would end 6, would start 0",
    ),
    # A case naming an item no catalog lists is no refusal: it loads with a warning and the
    # item recorded as unlisted (issue 14.13; tests/loaders/test_unlisted_case_items.py).
    Refusal(
        "a case in a street nobody loaded",
        data_file("cases-street", CASE.format(item="T-001", street="北街道")),
        None,
        "cases",
        "neither a loaded street nor a department",
    ),
    Refusal(
        "a zone naming a street its organisation file lacks",
        data_file(
            "org-zone",
            "kind: organisation\n"
            'region: {code: "990102", name: 另一县, level: county}\n'
            'streets: [{code: "990102001", name: 一街道, kind: 街道}]\n'
            "zones: [{id: Z-X, name: 片区, streets: [二街道], valid_from: 2024-01-01}]\n",
        ),
        None,
        "zones.Z-X.streets",
        "unknown street",
    ),
]


def snapshot(graph: Graph) -> tuple:
    """Counts and every property of every node and relationship, bookkeeping excluded."""
    rows = graph.read(graph_dump)
    nodes = {label: fingerprints(found) for label, found in rows.nodes.items()}
    rels = {group: fingerprints(found) for group, found in rows.rels.items()}
    return rows.node_count, rows.rel_count, nodes, rels


def run(graph: Graph, paths: list[Path], report: Path, *, check: bool) -> int:
    console = Console(file=io.StringIO(), width=200)
    return run_load(
        paths,
        graph.settings,
        console,
        check=check,
        report_file=report,
        as_json=False,
        overrides={},
    )


def errors(report: Path) -> list[dict[str, str]]:
    with report.open(encoding="utf-8-sig") as handle:
        return [row for row in csv.DictReader(handle) if row["severity"] == "error"]


@pytest.mark.parametrize("refusal", CORPUS, ids=[r.name for r in CORPUS])
def test_check_and_load_agree_on_what_writing_would_refuse(
    graph: Graph, tmp_path: Path, refusal: Refusal
) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    before = snapshot(graph)
    bad = refusal.write(tmp_path)

    assert run(graph, [bad], tmp_path / "check.csv", check=True) == 2
    [error] = errors(tmp_path / "check.csv")
    assert error["file"] == bad.name
    assert error["row"] == ("" if refusal.row is None else str(refusal.row))
    assert error["column"] == (refusal.column or "")
    assert refusal.words in error["message"], error

    assert run(graph, [LAW, bad], tmp_path / "load.csv", check=False) == 2
    assert errors(tmp_path / "load.csv") == [error]
    assert snapshot(graph) == before


def test_the_whole_corpus_at_once_is_reported_whole_and_writes_nothing(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    before = snapshot(graph)
    files = []
    for number, refusal in enumerate(CORPUS):
        folder = tmp_path / str(number)
        folder.mkdir()
        files.append(refusal.write(folder))
    assert run(graph, [LAW, *files], tmp_path / "check.csv", check=True) == 2
    checked = errors(tmp_path / "check.csv")
    assert sorted(e["file"] for e in checked) == sorted(f.name for f in files)
    assert run(graph, [LAW, *files], tmp_path / "load.csv", check=False) == 2
    assert errors(tmp_path / "load.csv") == checked
    assert snapshot(graph) == before


def test_files_are_checked_with_what_earlier_files_of_the_same_load_add(
    graph: Graph, tmp_path: Path
) -> None:
    """The organisation file given with a catalog, and the catalog given with the cases, count:
    nothing of them is in the graph yet, and the load as a whole is sound."""
    cases = data_file("cases", CASE.format(item="T-004", street="西街道"))(tmp_path)
    paths = [COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", COUNTY / "county-2025.csv"]
    assert run(graph, [*paths, cases], tmp_path / "check.csv", check=True) in (0, 1)
    assert errors(tmp_path / "check.csv") == []
    assert run(graph, [*paths, cases], tmp_path / "load.csv", check=False) == 0
    assert graph.run("MATCH (c:Case)-[:CONCERNS]->(i) RETURN i.code AS item") == [{"item": "T-004"}]


def test_a_mass_withdrawal_in_the_same_load_as_its_earlier_version_is_refused(
    graph: Graph, tmp_path: Path
) -> None:
    """The guard counts what the invocation's own earlier version puts in force."""
    truncated = catalog("truncated", "\n".join(LIST_2025.splitlines()[:2]) + "\n", LATER)
    paths = [COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", truncated(tmp_path)]
    assert run(graph, paths, tmp_path / "load.csv", check=False) == 2
    [error] = errors(tmp_path / "load.csv")
    assert "in force 9, would end 6, would start 0" in error["message"]
    assert graph.counts() == (0, 0)


def test_allow_mass_withdrawal_lets_a_meant_withdrawal_through(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    truncated = catalog("truncated", "\n".join(LIST_2025.splitlines()[:2]) + "\n", LATER)
    path = truncated(tmp_path)
    refused = CliRunner().invoke(app, ["load", str(path)], env=cli_env(graph))
    assert refused.exit_code == 2, refused.output
    assert "in force 9, would end 6, would start 0" in refused.output
    assert all(end is None for *_, end in delegations(graph))
    allowed = CliRunner().invoke(
        app, ["load", "--allow-mass-withdrawal", str(path)], env=cli_env(graph)
    )
    assert allowed.exit_code == 0, allowed.output
    in_force = {(item, street) for item, street, *_, end in delegations(graph) if end is None}
    assert in_force == {("T-001", "东街道"), ("T-001", "西街道"), ("T-001", "南镇")}


def test_a_name_at_the_bound_fits_the_index(graph: Graph, tmp_path: Path) -> None:
    """The bound is safe: 1,000 four-byte characters are stored and indexed (the limit is 8 KB)."""
    name = "\U00020000" * 1000  # 𠀀, CJK Extension B: four bytes in UTF-8
    path = catalog(
        "bound",
        LIST_2025.replace("对占道经营的处罚", name),
        'series: b\neffective: 2025-03-01\nregion: "990101"\nstreets: all\n',
    )(tmp_path)
    load(graph, COUNTY / "organisation.yaml")
    assert run(graph, [path], tmp_path / "load.csv", check=False) == 0
    assert graph.run("MATCH (i:EnforcementItem {name: $name}) RETURN i.code AS code", name=name)


def test_check_without_a_database_says_the_graph_was_not_checked(tmp_path: Path) -> None:
    from authreg.settings import load_settings

    offline = load_settings(neo4j_uri="bolt://127.0.0.1:9", connection_timeout_s=1)
    report = tmp_path / "check.csv"
    shutil.copy(COUNTY / "county-2024.csv", tmp_path / "c.csv")
    shutil.copy(COUNTY / "county-2024.meta.yaml", tmp_path / "c.meta.yaml")
    console = Console(file=io.StringIO(), width=200)
    status = run_load(
        [tmp_path / "c.csv"],
        offline,
        console,
        check=True,
        report_file=report,
        as_json=False,
        overrides={},
    )
    with report.open(encoding="utf-8-sig") as handle:
        [warning] = [row for row in csv.DictReader(handle) if row["file"] == "(graph)"]
    assert status == 2  # streets: all, and no organisation anywhere: the load would refuse it
    assert "not checked against the graph" in warning["message"]


def test_the_server_itself_refuses_a_name_of_several_kb(graph: Graph, tmp_path: Path) -> None:
    """Why the bound exists: written without the rehearsal, the name fails in the transaction."""
    from neo4j.exceptions import Neo4jError

    from loaders.load import plan_load, write_plan
    from loaders.report import LoadReport

    [long] = [r for r in CORPUS if r.name == "an item name of several KB"]
    load(graph, COUNTY / "organisation.yaml")
    report = LoadReport()
    plan = plan_load([long.write(tmp_path)], report, need_metadata=True)
    assert report.errors == []  # the file alone is fine: only the graph's index refuses it
    with pytest.raises(Neo4jError, match="too large"):
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
