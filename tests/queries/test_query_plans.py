"""Plans that start where the question starts (查询计划): a county's coverage gaps and a region's item
search are planned from the region's, zone's or streets' keys, whatever the statistics say.

A plan that starts from every Catalog (or every EnforcementItem) and joins back to the region
is what the planner picks when there are few of them; the same query then reads the whole
registry once the graph grows. Each graph below skews the statistics one way, and the plans
are asked for against it (EXPLAIN, after the statistics are resampled as a load ends).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import queries.gap_scope as gap_scope
from loaders.load import refresh_query_plans
from queries.cypher_files import cypher
from tests.conftest import Graph

REGION, STREETS, ZONE = "990101", ["990101001", "990101002"], "Z-990101-1"
CITY = "990100"
AS_OF = date(2025, 5, 1)
NOTICES = ["收回通知", "动态调整通知"]

# The region asked about: two streets in one zone, one county list of two items, its delegations.
REGION_ASKED = """
CREATE (r:Region {code: $region, name: '问县', level: 'county'})
       -[:PART_OF]->(:Region {code: $city, name: '问市', level: 'city'})
CREATE (z:Zone {id: $zone, name: '问县一片区'})-[:PART_OF]->(r)
CREATE (dep:Department {id: 'q-cgj', name: '问县城市管理局', level: 'county', kind: '行业主管部门'})
       -[:PART_OF]->(r)
CREATE (cat:Catalog {id: 'q@2024', series: 'q', title: '问县赋权目录', kind: '县级赋权清单',
                     effective: date('2024-01-01')})
WITH r, z, dep, cat
UNWIND [1, 2] AS m
CREATE (i:EnforcementItem {code: 'Q-' + m, name: '问县事项' + m, type: '行政处罚', domain: '城市管理'})
       -[:HELD_BY]->(dep)
CREATE (cat)-[:LISTS {row: m}]->(i)
WITH r, z, dep, cat, collect(i) AS items
UNWIND $streets AS code
CREATE (s:Street {code: code, name: '问县街道' + code, kind: '街道', delegation_mode: '赋权'})
       -[:PART_OF]->(r)
CREATE (s)-[:IN_ZONE]->(z)
WITH s, dep, cat, items
UNWIND items AS i
CREATE (d:Delegation {id: s.code + '-' + i.code, mode: '赋权', valid_from: date('2024-01-01')})
CREATE (d)-[:OF]->(i), (d)-[:TO]->(s), (d)-[:FROM]->(dep), (d)-[:AUTHORIZED_BY]->(cat)
"""

# Few catalogs and items, many delegations: a start from every Catalog or item looks cheap.
MANY_DELEGATIONS = """
UNWIND range(1, $regions) AS k
CREATE (r:Region {code: toString(800000 + k), name: '甲县' + k, level: 'county'})
WITH r
UNWIND range(1, $streets) AS j
CREATE (s:Street {code: r.code + right('00' + j, 3), name: r.name + j, kind: '街道'})
       -[:PART_OF]->(r)
WITH s
UNWIND range(1, $delegations) AS m
CREATE (:Delegation {id: s.code + '-' + m, mode: '赋权', valid_from: date('2024-01-01')})
       -[:TO]->(s)
"""

# The reverse: many catalogs and items elsewhere, each with a street and a delegation of its own.
MANY_CATALOGS = """
UNWIND range(1, $catalogs) AS k
CREATE (r:Region {code: toString(700000 + k), name: '乙县' + k, level: 'county'})
CREATE (s:Street {code: r.code + '001', name: r.name + '街道', kind: '街道'})-[:PART_OF]->(r)
CREATE (c:Catalog {id: 'y' + k + '@2024', series: 'y' + k, title: '乙县' + k + '目录',
                   kind: '县级赋权清单', effective: date('2024-01-01')})
CREATE (i:EnforcementItem {code: 'Y-' + k, name: '乙县事项' + k, type: '行政处罚'})
CREATE (d:Delegation {id: 'Y-' + k, mode: '赋权', valid_from: date('2024-01-01')})
CREATE (c)-[:LISTS {row: 1}]->(i), (d)-[:OF]->(i), (d)-[:TO]->(s), (d)-[:AUTHORIZED_BY]->(c)
"""

SKEWS = {
    "few catalogs, many delegations": (
        MANY_DELEGATIONS,
        {"regions": 20, "streets": 20, "delegations": 20},
    ),
    "many catalogs elsewhere": (MANY_CATALOGS, {"catalogs": 2000}),
}

# Each read of a county's coverage gaps, with the parameters coverage_gaps passes it.
COVERAGE_READS: dict[str, dict[str, Any]] = {
    "coverage_gaps_scope": {"region": REGION, "zone": None},
    "coverage_gaps_policies": {"regionCodes": [REGION], "zoneIds": [ZONE], "streetCodes": STREETS},
    "coverage_gaps_zones": {"zoneIds": [ZONE]},
    "coverage_gaps_streets": {"streetCodes": STREETS},
    "coverage_gaps_delegations": {"streetCodes": STREETS, "zoneIds": [ZONE]},
    "coverage_gaps_items": {"itemCodes": ["Q-1", "Q-2"], "repealed": "已废止"},
    "coverage_gaps_certificates": {
        "streetCodes": STREETS,
        "zoneIds": [ZONE],
        "departmentRegions": [REGION],
    },
    "coverage_gaps_catalogs": {"streetCodes": STREETS, "notices": NOTICES},
    "coverage_gaps_law_texts": {"provisionIds": ["行政处罚法#24"]},
    "coverage_gaps_region_items": {"regionCodes": [REGION]},
    "coverage_gaps_departments": {"regionCodes": [REGION]},
    "coverage_gaps_zone_lists": {"regionCodes": [REGION], "zoneList": "片区联合执法清单"},
    "coverage_gaps_duty_leads": {
        "regionCodes": [REGION],
        "streetCodes": STREETS,
        "lead": "主体责任",
        "acting": ["赋权", "委托"],
    },
}
SEARCH_BY_REGION = {
    "lucene": None,
    "domain": None,
    "itemType": None,
    "region": REGION,
    "withdrawal": "收回通知",
    "skip": 0,
    "limit": 20,
}


@pytest.fixture(scope="module", params=list(SKEWS))
def skewed(request: pytest.FixtureRequest, session_driver: Any, neo4j_settings: Any) -> Graph:
    graph = Graph(session_driver, neo4j_settings)
    graph.wipe()
    graph.run(REGION_ASKED, region=REGION, city=CITY, zone=ZONE, streets=STREETS)
    grow, sizes = SKEWS[request.param]
    graph.run(grow, **sizes)
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    return graph


@pytest.mark.parametrize("name", list(COVERAGE_READS))
def test_coverage_reads_start_from_the_scope_keys(skewed: Graph, name: str) -> None:
    found = scans(plan(skewed, "EXPLAIN", name, COVERAGE_READS[name]))
    assert not found, f"{name} reads a whole label or relationship type: {found}"


def test_every_coverage_read_is_planned_here() -> None:
    """A read added to the coverage question is added above, or it goes unguarded."""
    reads = {f"coverage_gaps_{name}" for name in gap_scope.READS} | {"coverage_gaps_scope"}
    assert reads == set(COVERAGE_READS)


def test_the_catalogs_read_answers_the_region_only(skewed: Graph) -> None:
    """What the plan test protects answers the same: the region's one catalog, each street
    holding both its items (the shared delegations read)."""
    [region] = skewed.run(
        cypher("coverage_gaps_catalogs"), asOf=AS_OF, **COVERAGE_READS["coverage_gaps_catalogs"]
    )
    assert region["regionCode"] == REGION
    assert [
        (c["id"], c["inForce"], [i["code"] for i in c["listed"]]) for c in region["catalogs"]
    ] == [("q@2024", True, ["Q-1", "Q-2"])]
    rows = skewed.run(
        cypher("coverage_gaps_delegations"),
        asOf=AS_OF,
        **COVERAGE_READS["coverage_gaps_delegations"],
    )
    held = [
        (r["streetCode"], sorted(c for d in r["delegations"] for c in d["items"])) for r in rows
    ]
    assert held == [(code, ["Q-1", "Q-2"]) for code in STREETS]


def test_search_by_region_reads_only_that_region(skewed: Graph) -> None:
    """The whole-registry branches (no region) may scan, but with a region they read nothing."""
    operators = plan(skewed, "PROFILE", "search_items", SEARCH_BY_REGION)
    busy = [(o, d, rows) for o, d, rows, hits in operators if _is_scan(o) and (rows or hits)]
    assert not busy, f"search_items by region scanned: {busy}"
    [row] = skewed.run(cypher("search_items"), asOf=None, **SEARCH_BY_REGION)
    assert (row["total"], [n["code"] for n in row["nodes"]]) == (2, ["Q-1", "Q-2"])


def test_a_citys_counties_are_read_from_its_code_only(skewed: Graph) -> None:
    """The nation's branch (every region) is guarded: a city's question reads only its counties."""
    params = {"region": CITY, "nation": "全国"}
    operators = plan(skewed, "PROFILE", "coverage_gaps_counties", params)
    busy = [(o, d, rows) for o, d, rows, hits in operators if _is_scan(o) and (rows or hits)]
    assert not busy, f"coverage_gaps_counties of a city scanned: {busy}"
    rows = skewed.run(cypher("coverage_gaps_counties"), asOf=AS_OF, **params)
    assert [(r["topCode"], r["regionCode"], [s["code"] for s in r["streets"]]) for r in rows] == [
        (CITY, REGION, STREETS)
    ]


def test_the_department_of_day_read_starts_from_the_ids(skewed: Graph) -> None:
    """机构改革 (department_of_day.cypher, read once by every answer naming departments): seeks the
    ids asked, whatever else the graph holds, and gives an unreformed department as itself."""
    params = {"ids": ["q-cgj", "no-such-department"]}
    found = scans(plan(skewed, "EXPLAIN", "department_of_day", params))
    assert not found, f"department_of_day reads a whole label or relationship type: {found}"
    rows = skewed.run(cypher("department_of_day"), asOf=AS_OF, **params)
    assert [(r["asked"], r["ownName"], r["department"]["id"], r["mergers"]) for r in rows] == [
        ("q-cgj", "问县城市管理局", "q-cgj", [])
    ]


def plan(graph: Graph, how: str, name: str, params: dict[str, Any]) -> list[tuple]:
    """Each operator of the query's plan: (operator, details, rows, db hits) — the last two
    only under PROFILE."""
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        summary = session.run(f"{how} " + cypher(name), {"asOf": AS_OF, **params}).consume()
    found = []
    stack = [summary.profile if how == "PROFILE" else summary.plan]
    while stack:
        step = stack.pop()
        operator = step["operatorType"].split("@")[0]
        details = step.get("args", {}).get("Details", "")
        found.append((operator, details, step.get("rows", 0), step.get("dbHits", 0)))
        stack += step.get("children", [])
    return found


def scans(operators: list[tuple]) -> list[tuple[str, str]]:
    return [(operator, details) for operator, details, *_ in operators if _is_scan(operator)]


def _is_scan(operator: str) -> bool:
    """NodeByLabelScan, AllNodesScan, NodeIndexScan, the relationship type and index scans."""
    return "Scan" in operator


# The law-version reads (issue 14.10, 18.5): from the region's, the item's or the provisions' keys.
LAW_READS: dict[str, dict[str, Any]] = {
    "law_changes": {"regionCode": REGION},
    "legal_basis": {"itemCode": "Q-1"},
    "impact_versions": {"documentId": "行政处罚法", "itemCodes": ["Q-1", "Q-2"], "article": None},
    "law_version_texts": {"provisionIds": ["行政处罚法@2017-09-01#18"]},
}


@pytest.mark.parametrize("name", list(LAW_READS))
def test_law_version_reads_start_from_keys(skewed: Graph, name: str) -> None:
    found = scans(plan(skewed, "EXPLAIN", name, LAW_READS[name]))
    assert not found, f"{name} reads a whole label or relationship type: {found}"


# Issue 16.6, the three known scans, each with its plan test: search_items by region
# (test_search_by_region_reads_only_that_region above), audit_trail's filters
# (tests/queries/test_audit_trail.py::test_a_page_walks_the_time_index_instead_of_sorting_every_entry)
# and impact's summary reading the delegations in force twice (below).
IMPACT = {
    "document": "行政处罚法",
    "documentKey": "行政处罚法",
    "article": 24,
    "item": None,
    "offset": 0,
    "limit": 50,
}


def test_impact_walks_the_delegations_of_its_items_once(skewed: Graph) -> None:
    """One expansion from the items to their delegations (and on to streets) in the whole plan:
    the page's counts come from the walk the totals make (the read before 8ea289e made two)."""
    details = [d for _, d, *_ in plan(skewed, "EXPLAIN", "impact", IMPACT)]
    walks = [d for d in details if "<-[" in d and ":OF]-(d)" in d]
    streets = [d for d in details if ":TO]->(s)" in d]
    assert (len(walks), len(streets)) == (1, 1), details
