"""The API's catalog upload keeps the load's guard (加载保护): a new version that would end most
of what its series holds in force is refused with BAD_USER_INPUT unless the caller allows it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.api.conftest import KEYS, Api
from tests.conftest import SAMPLE, Graph

LOAD = """mutation($file: Upload!, $meta: CatalogMetadataInput, $allow: Boolean!) {
  loadCatalog(file: $file, metadata: $meta, allowMassWithdrawal: $allow) {
    catalogId delegationsStarted delegationsContinued delegationsEnded
  } }"""
META = {
    "series": "licheng-street-delegation",
    "effective": "2025-09-01",
    "region": "350502",
    "streets": "all",
}
IN_FORCE = (
    "MATCH (c:Catalog {series: 'licheng-street-delegation'})<-[:AUTHORIZED_BY]-(d:Delegation) "
    "WHERE d.valid_to IS NULL RETURN count(DISTINCT d) AS n"
)


def upload(api: Api, path: Path, allow: bool) -> dict[str, Any]:
    operations = {"query": LOAD, "variables": {"file": None, "meta": META, "allow": allow}}
    response = api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (path.name, path.read_bytes(), "text/csv")},
        headers={"X-API-Key": KEYS["editor"]},
    )
    assert response.status_code == 200, response.text
    return response.json()


def truncated(tmp_path: Path) -> Path:
    """The county list cut to its first two rows: what a bad export looks like."""
    lines = (SAMPLE / "licheng" / "licheng-2024.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "licheng-2025-09.csv"
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    return path


def test_an_upload_ending_most_delegations_in_force_is_refused_unless_allowed(
    api_fresh: Api, fresh_sample_graph: Graph, tmp_path: Path
) -> None:
    [in_force] = fresh_sample_graph.run(IN_FORCE)
    before = fresh_sample_graph.counts()
    refused = upload(api_fresh, truncated(tmp_path), allow=False)
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert f"in force {in_force['n']}, would end" in error["message"]
    assert "allowMassWithdrawal" in error["message"]
    assert fresh_sample_graph.counts() == before

    allowed = upload(api_fresh, truncated(tmp_path), allow=True)
    assert not allowed.get("errors"), allowed["errors"]
    loaded = allowed["data"]["loadCatalog"]
    assert loaded["delegationsEnded"] > in_force["n"] / 2
    assert loaded["delegationsEnded"] + loaded["delegationsContinued"] == in_force["n"]
