"""`generate(..., notice_shapes=True)` (`authreg synth --notice-shapes`): the notices as offices
publish them load (`--check` and `load` alike, with the rehearsal) and do what they say on their
dates; without the option the dataset is byte for byte what it was."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from authreg.load_command import run_load
from queries.authority import authority
from queries.catalog_diff import catalog_diff
from synthetic.generate import generate
from synthetic.notice_shapes import (
    DAYS_AFTER_ISSUE,
    DEPARTMENT_WITHDRAWAL,
    DOMAIN_GRANT,
    ISSUED,
    REPLACING_LIST,
    SIGNED,
)
from synthetic.timeline import CHECK_DAY
from tests.conftest import Graph


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("synth")
    generate(base / "plain", counties=2, streets_per_county=5, items=20, seed=7)
    generate(
        base / "shapes", counties=2, streets_per_county=5, items=20, seed=7, notice_shapes=True
    )
    return base / "plain", base / "shapes"


def run(graph: Graph, folder: Path, report: Path, *, check: bool) -> int:
    console = Console(file=io.StringIO(), width=200)
    return run_load(
        [folder],
        graph.settings,
        console,
        check=check,
        report_file=report,
        as_json=False,
        overrides={},
    )


def test_without_the_option_the_dataset_is_unchanged(datasets: tuple[Path, Path]) -> None:
    plain, shapes = datasets
    before = {p.relative_to(plain): p.read_bytes() for p in plain.rglob("*") if p.is_file()}
    for path, data in before.items():
        if path.name not in {"manifest.json", "README.md"}:
            assert (shapes / path).read_bytes() == data, path
    added = {p.relative_to(shapes) for p in shapes.rglob("*") if p.is_file()} - set(before)
    # per county: 2 notices as YAML, a table notice + meta, a YAML notice + its attachment, a list + meta
    assert len(added) == 2 * 8
    assert all(day > CHECK_DAY for day in (DEPARTMENT_WITHDRAWAL, ISSUED, *SIGNED))


def test_the_notice_shapes_load_and_act_on_their_dates(
    graph: Graph, datasets: tuple[Path, Path], tmp_path: Path
) -> None:
    _, shapes = datasets
    assert run(graph, shapes, tmp_path / "check.csv", check=True) == 0
    assert run(graph, shapes, tmp_path / "load.csv", check=False) == 0
    manifest = json.loads((shapes / "manifest.json").read_text(encoding="utf-8"))
    county = manifest["county_list"][0]
    [withdrawal] = graph.run(
        "MATCH (c:Catalog {kind: '收回通知', effective: $on})<-[:ENDED_BY]-(d:Delegation) "
        "-[:TO]->(s:Street)-[:PART_OF]->(:Region {code: $region}) "
        "MATCH (d)-[:OF]->(i), (d)-[:FROM]->(dep) "
        "RETURN c.id AS notice, collect(DISTINCT dep.id) AS departments, "
        "collect([i.code, s.code])[0] AS pair, count(d) AS ended",
        on=DEPARTMENT_WITHDRAWAL,
        region=county["code"],
    )
    assert len(withdrawal["departments"]) == 1 and withdrawal["ended"] > 0
    item, street = withdrawal["pair"]
    before = graph.read(
        authority, item=item, street=street, as_of=DEPARTMENT_WITHDRAWAL - timedelta(1)
    )
    after = graph.read(authority, item=item, street=street, as_of=DEPARTMENT_WITHDRAWAL)
    assert before.subject is not None and after.subject is not None
    assert after.subject.kind == "Department" and after.subject.key == withdrawal["departments"][0]
    diff = graph.read(
        catalog_diff,
        street=street,
        from_date=DEPARTMENT_WITHDRAWAL - timedelta(1),
        to_date=DEPARTMENT_WITHDRAWAL,
    )
    [ended] = [c for s in diff.streets for c in s.changes if c.item_code == item]
    assert ended.before[0].ended_by.id == withdrawal["notice"]
    started = graph.run(
        "MATCH (c:Catalog)<-[:AUTHORIZED_BY]-(d:Delegation)-[:TO]->(:Street)-[:PART_OF]->"
        "(:Region {code: $region}) WHERE c.kind = '动态调整通知' AND c.effective > $check "
        "RETURN c.effective AS on, collect(DISTINCT toString(d.valid_from)) AS starts ORDER BY on",
        region=county["code"],
        check=CHECK_DAY,
    )
    in_force = ISSUED + timedelta(days=DAYS_AFTER_ISSUE)
    assert [(r["on"].to_native(), sorted(r["starts"])) for r in started] == [
        (DOMAIN_GRANT, [DOMAIN_GRANT.isoformat()]),
        (in_force, [in_force.isoformat()]),
        (SIGNED[0], [day.isoformat() for day in SIGNED]),
    ]
    replaced = graph.run(
        "MATCH (new:Catalog {effective: $on})-[:SUPERSEDES]->(old:Catalog) "
        "WHERE new.series <> old.series RETURN count(*) AS n",
        on=REPLACING_LIST,
    )
    assert replaced == [{"n": 2}]
    assert graph.run(
        "MATCH (d:Delegation)-[:ENDED_BY]->(:Catalog {effective: $on}) RETURN count(d) > 0 AS ended",
        on=REPLACING_LIST,
    ) == [{"ended": True}]


def test_db_import_builds_the_graph_the_online_load_writes_with_notice_shapes(
    graph: Graph, datasets: tuple[Path, Path]
) -> None:
    """`authreg db import` decides on a graph in memory (loaders/bulk_graph.py): its answers to
    the notices' reads (catalogs by name, a list's items, delegations in force to streets) give
    the graph `authreg load` writes, node by node and property by property."""
    from tests.loaders.test_bulk_import import assert_same, in_memory, online

    _, shapes = datasets
    assert_same(in_memory(shapes), online(graph, shapes))
