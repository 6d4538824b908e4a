"""`authreg load` and `authreg db import` leave an audit trail (审计记录), like the API's writes."""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from authreg.cli import app
from tests.conftest import Graph
from tests.loaders.test_load_graph import COUNTY, cli_env, fingerprint

ENTRIES = (
    "MATCH (a:AuditEntry) RETURN a.actor AS actor, a.role AS role, a.action AS action, "
    "a.source AS source, a.target AS target, a.detail AS detail ORDER BY a.at, a.id"
)
KINDS = {".md": "loadLawText", ".yaml": "loadOrganisation", ".csv": "loadCatalog"}


def run_load(graph: Graph, *paths: Path) -> int:
    result = CliRunner().invoke(app, ["load", *map(str, paths)], env=cli_env(graph))
    return result.exit_code


def test_each_file_loaded_from_the_command_line_has_one_audit_entry(graph: Graph) -> None:
    files = [COUNTY / "organisation.yaml", COUNTY / "county-2024.csv"]
    assert run_load(graph, *files) == 0
    entries = graph.run(ENTRIES)
    assert [e["action"] for e in entries] == ["loadOrganisation", "loadCatalog"]
    for entry, path in zip(entries, files, strict=True):
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["source"] == f"cli:{path.name} sha256:{checksum}"
        assert entry["actor"] == getpass.getuser() and entry["role"] is None
        assert json.loads(entry["detail"])["file"] == path.name
    catalog = json.loads(entries[1]["detail"])
    assert entries[1]["target"] == catalog["catalog"]
    assert catalog["started"] > 0 and not catalog["unchanged"]

    data = fingerprint(graph)
    assert run_load(graph, files[1]) == 0  # again: nothing changes but the trail
    assert fingerprint(graph) == data
    again = graph.run(ENTRIES)
    assert len(again) == 3 and json.loads(again[-1]["detail"])["unchanged"] is True


def test_a_load_that_fails_records_nothing(graph: Graph, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("事项名称,实施依据\n,\n", encoding="utf-8")
    (tmp_path / "bad.meta.yaml").write_text("effective: 2024-09-11\n", encoding="utf-8")
    assert run_load(graph, COUNTY / "organisation.yaml", bad) == 2
    assert graph.run(ENTRIES) == []


def test_a_store_holding_only_an_audit_trail_is_not_empty(graph: Graph) -> None:
    """`db import` refuses a store with data unless --replace; an audit trail is data."""
    from loaders.write import audit_entry, create_audit_entry
    from queries.dump import node_count
    from schema.graph_rows import SCHEMA_STATE

    entry = audit_entry("someone", None, "loadCatalog", "cli:x.csv sha256:0", "x", {})
    graph.write(create_audit_entry, entry=entry)
    assert graph.read(node_count) == 0  # the registry's data: none (graph comparisons)
    assert graph.read(node_count, skip=SCHEMA_STATE) == 1  # the store: not empty
