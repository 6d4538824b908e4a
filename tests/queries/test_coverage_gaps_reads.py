"""A county's coverage gaps read the graph a few times (覆盖缺口的读取次数): every check that needs the
streets' delegations takes them from one shared read (queries/gap_delegations.py), never its own walk."""

from __future__ import annotations

from datetime import date
from typing import Any

from queries.coverage_gaps import coverage_gaps
from tests.conftest import Graph

# What one county's question reads, each once: its scope and rules, its zones' staff, the
# delegations in force (once, for every check), the items they are of, the region's catalogs,
# certificates, the cited law texts, departments, zone lists and duty lists, and the departments
# of the day they name (department_of_day, 机构改革).
COUNTY_READS = [
    "coverage_gaps_scope",
    "coverage_gaps_policies",
    "coverage_gaps_zones",
    "coverage_gaps_delegations",
    "coverage_gaps_items",
    "coverage_gaps_catalogs",
    "coverage_gaps_certificates",
    "coverage_gaps_law_texts",
    "coverage_gaps_departments",
    "coverage_gaps_zone_lists",
    "coverage_gaps_duty_leads",
    "department_of_day",  # 机构改革: the departments the reads name, as on the day (once)
]
# Read only when a rule needs them: streets' own staff (seed 001, 004), the county's items
# (domain share, inspection coverage) and certificates near expiry (queries/certificates.cypher)
# — 鲤城区 has no such rule in force on the day asked.
WHEN_A_RULE_NEEDS = ["coverage_gaps_streets", "coverage_gaps_region_items", "certificates"]


def _reads(graph: Graph, **scope: Any) -> list[str]:
    runs: list[str] = []

    def counted(tx: Any, **params: Any) -> Any:
        class Counting:
            def run(self, query: str, parameters: Any = None, **kw: Any) -> Any:
                runs.append(query.split(":", 1)[0].removeprefix("// "))
                return tx.run(query, parameters, **kw)

        return coverage_gaps(Counting(), **params)

    graph.read(counted, **scope, as_of=date(2024, 10, 1))
    return runs


def test_a_county_reads_its_delegations_once_for_every_check(sample_graph: Graph) -> None:
    runs = _reads(sample_graph, region="350502")  # 鲤城区: every kind of check has its policy
    assert sorted(runs) == sorted(COUNTY_READS), " ".join(sorted(runs))


def test_every_county_and_zone_reads_each_file_at_most_once(sample_graph: Graph) -> None:
    counties = sample_graph.run(
        "MATCH (r:Region) WHERE EXISTS { (r)<-[:PART_OF]-(:Street) } RETURN r.code AS code"
    )
    for scope in [{"region": c["code"]} for c in counties] + [{"zone": "LC-Z1"}]:
        runs = _reads(sample_graph, **scope)
        assert len(runs) == len(set(runs)), (scope, runs)
        assert set(runs) <= {*COUNTY_READS, *WHEN_A_RULE_NEEDS}, (scope, runs)
