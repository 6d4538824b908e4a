"""The staffing findings a synthetic dataset plants (synthetic.establishment, issue 17.5) are
exactly the ones `staffing` finds on CHECK_DAY: 编随事走 per street and per department, 超编, and
delegated domains without a certified officer (planted by the catalogs)."""

from __future__ import annotations

import json
from pathlib import Path

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.staffing import StaffingFinding, staffing
from synthetic.generate import generate
from synthetic.timeline import CHECK_DAY
from tests.conftest import Graph

DOMAIN_RULE = "delegated_item_without_certified_officer"


def _keys(finding: StaffingFinding) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    day = ("日", finding.day.isoformat()) if finding.day else None
    if finding.kind == "posts_not_moved_to_street":
        return {(finding.kind, (("街道", finding.street_code or ""), day or ("日", "")))}
    if finding.kind == "department_posts_not_reduced":
        return {(finding.kind, (("部门", finding.department_id or ""), day or ("日", "")))}
    if finding.kind == "over_establishment":
        return {(finding.kind, (("执法队", finding.unit_id or ""),))}
    return {(DOMAIN_RULE, (("事项", item),)) for item in finding.items}


def test_staffing_finds_exactly_the_planted_findings(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "data"
    generate(out, counties=2, streets_per_county=5, items=20, seed=7)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = LoadReport()
    plan = plan_load([out], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    kinds = {"posts_not_moved_to_street", "department_posts_not_reduced", "over_establishment"}
    seen: set[str] = set()
    for county in manifest["county_list"]:
        answer = graph.read(staffing, region=county["code"], as_of=CHECK_DAY)
        found = {key for f in answer.findings for key in _keys(f)}
        planted = {
            (p["kind"] if p["kind"] in kinds else DOMAIN_RULE, tuple(tuple(k) for k in p["keys"]))
            for p in manifest["planted"]
            if p["county"] == county["code"] and (p["kind"] in kinds or p["rule"] == DOMAIN_RULE)
        }
        assert found == planted, county["code"]
        seen |= {kind for kind, _ in planted}
    assert seen == kinds | {DOMAIN_RULE}  # the first county plants every kind
