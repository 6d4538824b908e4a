"""A load sends only what changes (issue 16.1), and the graph is the one every write made.

`loaders.write` reads the state of a catalog's items once and leaves alone what would not
change; it CREATEs what its transaction knows is new. The in-memory loader
(`loaders.bulk_graph`, MERGE semantics throughout) decides the same files independently: after
a first load and an update of every county — a new version with a tenth of its rows renamed,
re-cited, dropped or new, and a withdrawal notice — both graphs are compared property by
property (provenance included: `source_catalog`, `source_row` on every link).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from loaders.bulk_load import build_graph
from loaders.load import LoadAudit, plan_load, write_plan
from loaders.report import LoadReport
from queries.dump import graph_dump
from schema.graph_rows import GraphRows, fingerprints
from schema.labels import Label, Rel
from synthetic.generate import generate
from tests.conftest import Graph
from tests.loaders.test_bulk_import import assert_same, in_memory

BENCH = Path(__file__).parents[2] / "bench" / "load_updates.py"


def _write_updates():  # the bench's own generator: what is measured is what is tested
    spec = importlib.util.spec_from_file_location("load_updates", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_updates


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two counties (versions, notices, cases), and beside them each one's update files."""
    root = tmp_path_factory.mktemp("changes")
    generate(root / "data", counties=2, streets_per_county=5, items=20, seed=11)
    _write_updates()(root / "data", root / "updates", share=0.3)
    return root


def load(graph: Graph, *folders: Path) -> list[str]:
    report = LoadReport()
    plan = plan_load(list(folders), report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    audit = LoadAudit(actor="test")
    written = write_plan(graph.driver, graph.settings.neo4j_database, plan, audit=audit)
    return [outcome.describe() for _, outcome in written]


def test_an_update_writes_the_graph_the_in_memory_loader_decides(
    graph: Graph, dataset: Path
) -> None:
    graph.wipe()
    load(graph, dataset / "data")
    first = graph.read(graph_dump)
    assert_same(in_memory(dataset / "data"), first)
    said = load(graph, dataset / "updates")
    updated = graph.read(graph_dump)
    assert_same(in_memory_of(dataset / "data", dataset / "updates"), updated)
    # The update did change things the comparison covers: items renamed, links re-cited and
    # re-attributed to the new version, delegations started, continued and ended.
    assert any("started 0," not in line and "ended 0" not in line for line in said), said
    for label in (Label.ENFORCEMENT_ITEM, Label.DELEGATION):
        assert _differing(first.nodes[label], updated.nodes[label]), label
    based_on = (Rel.BASED_ON, Label.ENFORCEMENT_ITEM, Label.PROVISION)
    assert _differing(first.rels[based_on], updated.rels[based_on])


def in_memory_of(*folders: Path) -> GraphRows:
    report = LoadReport()
    plan = plan_load(list(folders), report, need_metadata=True)
    assert not report.errors
    return build_graph(plan)


def test_a_file_loaded_again_is_skipped_and_says_so(graph: Graph, dataset: Path) -> None:
    graph.wipe()
    load(graph, dataset / "data", dataset / "updates")
    before = graph.read(graph_dump)
    markers = graph.run("MATCH (w:GraphWrite) RETURN count(w) AS n")[0]["n"]
    said = load(graph, dataset / "updates")
    assert said and all("already loaded from this file, nothing changed" in s for s in said)
    assert_same(before, graph.read(graph_dump))
    # Each file's transaction still leaves its write marker and its audit entry, which says so.
    after = graph.run("MATCH (w:GraphWrite) RETURN count(w) AS n")[0]["n"]
    assert after == markers + len(said)
    entries = graph.run(
        "MATCH (a:AuditEntry {action: 'loadCatalog'}) WHERE a.detail CONTAINS '2026' "
        "RETURN a.detail AS detail ORDER BY a.at"
    )
    assert [json.loads(e["detail"])["unchanged"] for e in entries][-len(said) :] == [True] * len(
        said
    )


def test_a_changed_file_under_a_loaded_version_is_not_skipped(
    graph: Graph, dataset: Path, tmp_path: Path
) -> None:
    graph.wipe()
    load(graph, dataset / "data", dataset / "updates")
    before = graph.read(graph_dump)
    changed = next((dataset / "updates").rglob("*-2026.csv"))
    copy = tmp_path / changed.name
    copy.write_text(
        changed.read_text(encoding="utf-8").replace("（2026年修订）", "（改）"), "utf-8"
    )
    meta = changed.with_name(changed.stem + ".meta.yaml")
    (tmp_path / meta.name).write_text(meta.read_text(encoding="utf-8"), "utf-8")
    report = LoadReport()
    plan = plan_load([copy], report, need_metadata=True)
    with pytest.raises(Exception, match="loaded before from a different file"):
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert_same(before, graph.read(graph_dump))


def _differing(before: list[tuple], after: list[tuple]) -> bool:
    return bool(fingerprints(after) - fingerprints(before))
