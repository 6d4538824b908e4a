"""Point questions stay flat (查询规模): their db hits do not grow as other counties are loaded.

Every question is measured at 1×, 10× and 100× the sample's delegations: each point read alone
(POINT_QUESTIONS), and each question as its function asks it, every read it makes under PROFILE
(QUESTIONS): every question queries/ answers of one item, street, case or county — authority,
responsibility chain, catalog diff, legal basis, coverage gaps, case checks, dispute candidates,
route, overdue transfers, first contact, evaluation, certificates, law changes, coverage matrix —
stays within 1.2× its 1× db hits. Impact, asked of an article every grown county cites, counts
what grows: its db hits per delegation and item it counts stay within 1.2× of the 1× figure
(until 2026-12-07 it ran out of transaction memory here at 100×: see queries/impact.cypher).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from neo4j import ManagedTransaction

from loaders.load import plan_load, refresh_query_plans, write_plan
from loaders.report import LoadReport
from queries.authority import RESOLVER_RULE, authority, rule_provision_ids
from queries.case_checks import case_checks
from queries.catalog_diff import catalog_diff
from queries.certificates import certificates
from queries.coverage_gaps import coverage_gaps
from queries.coverage_matrix import coverage_matrix
from queries.cypher_files import cypher
from queries.dispute_candidates import dispute_candidates
from queries.evaluation import evaluation
from queries.first_contact import first_contact
from queries.impact import impact
from queries.law_changes import law_changes
from queries.legal_basis import legal_basis
from queries.overdue_transfers import overdue_transfers
from queries.responsibility_chain import responsibility_chain
from queries.route import route
from schema.enums import DisputeStatus
from tests.conftest import SAMPLE, Graph

LICHENG_STREETS = 8
ITEMS_PER_COUNTY = 18  # each grown county holds 18 items of its own, plus LC-CG-001 below
# (query file, parameters as its Python function passes them): one point question each.
POINT_QUESTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "authority": (
        "authority",
        {
            "itemCode": "LC-CG-001",
            "streetCode": "350502001",  # 开元街道
            "asOf": date(2025, 5, 1),
            "ruleProvisionIds": rule_provision_ids(),
            "resolverRule": RESOLVER_RULE,
            "decided": DisputeStatus.DECIDED.value,
        },
    ),
    "authority_lookup": ("authority_lookup", {"item": "LC-CG-001", "street": "开元街道"}),
    # 机构改革: the departments of the day, read once by each answer naming departments
    "department_of_day": (
        "department_of_day",
        {"ids": ["lc-cgj", "lc-yjj", "lc-sfj"], "asOf": date(2025, 5, 1)},
    ),
    "case_checks": ("case_checks", {"case": "LC-2024-0001"}),
    "legal_basis": ("legal_basis", {"itemCode": "LC-CG-001"}),
}

ON, BEFORE = date(2025, 5, 1), date(2024, 1, 1)
NOW = datetime(2025, 5, 1, 12, tzinfo=timezone(timedelta(hours=8)))
# (question function, its arguments): every question as the API asks it, all its reads profiled.
QUESTIONS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "authority": (authority, {"item": "LC-CG-001", "street": "350502001", "as_of": ON}),
    "legal_basis": (legal_basis, {"item": "LC-CG-001"}),
    "responsibility_chain, item+street": (
        responsibility_chain,
        {"item": "LC-CG-001", "street": "350502001", "as_of": ON},
    ),
    "responsibility_chain, case": (responsibility_chain, {"case": "LC-2024-0001"}),
    "catalog_diff, street": (
        catalog_diff,
        {"street": "350502001", "from_date": BEFORE, "to_date": ON},
    ),
    "catalog_diff, county": (
        catalog_diff,
        {"region": "350502", "from_date": BEFORE, "to_date": ON},
    ),
    "coverage_gaps, county": (coverage_gaps, {"region": "350502", "as_of": ON}),
    "coverage_gaps, zone": (coverage_gaps, {"zone": "LC-Z1", "as_of": ON}),
    "case_checks": (case_checks, {"case": "LC-2024-0001"}),
    "dispute_candidates": (dispute_candidates, {"case": "LC-2024-0001"}),
    "route": (route, {"complaint": "有人随意倾倒生活垃圾", "street": "350502001", "as_of": ON}),
    "overdue_transfers": (overdue_transfers, {"region": "350502", "now": NOW}),
    "first_contact": (first_contact, {"region": "350502", "now": NOW}),
    "evaluation": (evaluation, {"region": "350502", "from_date": BEFORE, "to_date": ON}),
    "certificates": (certificates, {"region": "350502", "as_of": ON}),
    "law_changes": (law_changes, {"region": "350502", "as_of": ON}),
    "coverage_matrix": (coverage_matrix, {"region": "350502", "as_of": ON}),
}
# Questions known to grow with the graph, not yet mended (none). Mended 2026-12-07: route
# (2,541/64,275/632,788 db hits at 1×/10×/100×: it kept the street's items after reading every
# item whose name or cited provision matched, nationwide) and evaluation (9,699/15,643/73,131: it
# found each delegation's cases from the item, whose cases are every county's).
KNOWN_TO_GROW: set[str] = set()
# Impact of the article LC-CG-001 cites (and so every grown county's items): linear in its count.
IMPACT = {"document": "中华人民共和国固体废物污染环境防治法", "article": 111, "as_of": ON}

# Another county as a loader would write it: departments, a 赋权 list, its dispute resolver,
# items citing the same provisions as LC-CG-001 (the same laws recur in every county).
GROW_COUNTIES = """
MATCH (lc:EnforcementItem {code: 'LC-CG-001'})
UNWIND range($first, $last) AS k
WITH lc, k, toString(700000 + k) AS code
CREATE (r:Region {code: code, name: '测试县' + k, level: 'county'})
CREATE (dep:Department {id: 'g' + k + '-cgj', name: '测试县' + k + '城市管理局',
                        level: 'county', kind: '行业主管部门'})-[:PART_OF]->(r)
CREATE (cat:Catalog {id: 'g' + k + '@2024-09-11', series: 'g' + k, title: '测试县' + k + '赋权目录',
                     issuer: '测试县' + k + '人民政府', kind: '县级赋权清单',
                     effective: date('2024-09-11'), source_file: 'g' + k + '.csv'})
CREATE (p:Policy {id: 'G' + k + '-P-DISPUTE', rule: $resolverRule, value: dep.id,
                  valid_from: date('2024-09-11'), description: '测试县争议协调',
                  source_document: '测试县' + k + '方案', source_quote: '由区城管局明确'})
       -[:APPLIES_TO]->(r)
WITH lc, k, dep, cat
UNWIND range(1, $items) AS m
CREATE (item:EnforcementItem {code: 'G' + k + '-CG-' + m, name: lc.name + '(测试' + m + ')',
                              type: '行政处罚', domain: '城市管理', basis_raw: lc.basis_raw})
       -[:HELD_BY]->(dep)
CREATE (cat)-[:LISTS {row: m + 1, raw: item.name}]->(item)
WITH lc, item
MATCH (lc)-[b:BASED_ON]->(basis)
CREATE (item)-[:BASED_ON {raw: b.raw, role: b.role}]->(basis)
"""

# Its streets: each holds a delegation of every county item AND of LC-CG-001 (the item of the
# point question), one case of LC-CG-001 with its officer, as loaders write them.
GROW_STREETS = """
MATCH (lc:EnforcementItem {code: 'LC-CG-001'})
UNWIND range($first, $last) AS k
MATCH (r:Region {code: toString(700000 + k)})<-[:PART_OF]-(dep:Department)
MATCH (cat:Catalog {id: 'g' + k + '@2024-09-11'})
UNWIND range(1, $streets) AS j
CREATE (s:Street {code: r.code + right('00' + j, 3), name: r.name + '第' + j + '街道',
                  kind: '街道', delegation_mode: '赋权'})-[:PART_OF]->(r)
CREATE (u:Unit {id: 'g-u-' + s.code, name: s.name + '综合执法队', kind: '街道综合执法队'})
       -[:PART_OF]->(s)
CREATE (o:Officer {id: 'G' + s.code, name: '执法员' + s.code, valid_from: date('2023-01-01'),
                   valid_to: date('2028-12-31'), domains: ['城市管理'], roles: ['执法人员']})
       -[:MEMBER_OF]->(u)
CREATE (c:Case {id: 'G-' + s.code + '-0001', occurred_on: date('2025-01-10'),
                filed_at: datetime('2025-01-11T09:00:00+08:00'), status: '结案', summary: '测试案件'})
CREATE (c)-[:CONCERNS]->(lc), (c)-[:OCCURRED_IN]->(s), (c)-[:HANDLED_BY_OFFICER]->(o),
       (c)-[:HANDLED_BY {filed_at: c.filed_at}]->(s)
WITH s, dep, cat, lc
MATCH (item:EnforcementItem)-[:HELD_BY]->(dep)
WITH s, dep, cat, lc, collect(item) AS held
WITH s, dep, cat, held + [lc] AS items
UNWIND range(0, size(items) - 1) AS n
WITH s, dep, cat, items[n] AS item, n + 2 AS row
CREATE (d:Delegation {id: 'DLG-' + s.code + '-' + item.code, mode: '赋权',
                      valid_from: date('2024-09-11'), valid_to: null, status: '有效',
                      source_catalog: cat.id, source_row: row, source_file: cat.source_file})
CREATE (d)-[:OF]->(item), (d)-[:TO]->(s), (d)-[:FROM]->(dep),
       (d)-[:AUTHORIZED_BY {row: row}]->(cat)
"""


def test_point_questions_stay_flat_as_the_graph_grows(graph: Graph) -> None:
    _load_licheng(graph)
    base = graph.run("MATCH (d:Delegation) RETURN count(d) AS n")[0]["n"]
    hits = {name: [_db_hits(graph, *question)] for name, question in POINT_QUESTIONS.items()}
    asked = {name: [_question_hits(graph, *question)] for name, question in QUESTIONS.items()}
    counted = [_impact_hits(graph)]
    counties = 0
    for factor in (10, 100):
        # Enough counties that the graph holds `factor` times Licheng's delegations.
        wanted = -(-base * (factor - 1) // (LICHENG_STREETS * (ITEMS_PER_COUNTY + 1)))
        _grow(graph, first=counties + 1, last=wanted)
        counties = wanted
        for name, question in POINT_QUESTIONS.items():
            hits[name].append(_db_hits(graph, *question))
        for name, question in QUESTIONS.items():
            asked[name].append(_question_hits(graph, *question))
        counted.append(_impact_hits(graph))
    grown = graph.run("MATCH (d:Delegation) RETURN count(d) AS n")[0]["n"]
    figures = "; ".join(f"{name} 1×/10×/100×: {'/'.join(map(str, h))}" for name, h in hits.items())
    asked_figures = "; ".join(
        f"{name} 1×/10×/100×: {'/'.join(map(str, h))}" for name, h in asked.items()
    )
    assert grown >= base * 100, f"delegations {base} → {grown}"
    grew = [name for name, (one, *more) in hits.items() if max(more) > 1.2 * one + 10]
    assert not grew, f"db hits grow with the graph for {grew} ({figures})"
    grew = [name for name, (one, *more) in asked.items() if max(more) > 1.2 * one + 10]
    assert set(grew) <= KNOWN_TO_GROW, f"db hits grow with the graph for {grew} ({asked_figures})"
    # A known fault mended: take it off KNOWN_TO_GROW so the test guards it from now on.
    assert set(grew) == KNOWN_TO_GROW, f"no longer grow: {KNOWN_TO_GROW - set(grew)}"
    per = [hits / size for hits, size in counted]
    impact_figures = " / ".join(f"{hits:,} hits for {size:,}" for hits, size in counted)
    assert counted[-1][1] > 50 * counted[0][1], f"impact counts what grows: {impact_figures}"
    assert max(per[1:]) <= 1.2 * per[0], f"impact's db hits per delegation grow: {impact_figures}"
    print(
        f"\ndb hits ({base} → {grown} delegations): {figures}; {asked_figures}; impact 1×/10×/100×: {impact_figures}"
    )


def _load_licheng(graph: Graph) -> None:
    """Licheng's organisation and catalogs, and the cases file (Eshan: its cases need it)."""
    report = LoadReport()
    paths = [SAMPLE / "licheng", SAMPLE / "eshan", SAMPLE / "cases.yaml"]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def _grow(graph: Graph, *, first: int, last: int) -> None:
    for start in range(first, last + 1, 10):  # ten counties per transaction
        end = min(start + 9, last)
        graph.run(
            GROW_COUNTIES,
            first=start,
            last=end,
            items=ITEMS_PER_COUNTY,
            resolverRule=RESOLVER_RULE,
        )
        graph.run(GROW_STREETS, first=start, last=end, streets=LICHENG_STREETS)


def _db_hits(graph: Graph, query: str, params: dict[str, Any]) -> int:
    """Total db hits of the query's plan (PROFILE), summed over every operator."""
    # Plan afresh against the grown graph's statistics (indexes resampled), as after a load.
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        summary = session.run("PROFILE " + cypher(query), params).consume()
    assert summary.profile is not None
    return _sum_hits(summary.profile)


def _sum_hits(operator: dict[str, Any]) -> int:
    return operator.get("dbHits", 0) + sum(_sum_hits(c) for c in operator.get("children", []))


class _Profiled:
    """A transaction that runs each read under PROFILE and adds up its db hits."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx
        self.hits = 0

    def run(self, query: str, parameters: dict[str, Any] | None = None, **params: Any) -> Any:
        result = self.tx.run("PROFILE " + query, parameters, **params)
        records = _Records(result)
        summary = result.consume()
        assert summary.profile is not None
        self.hits += _sum_hits(summary.profile)
        return records


class _Records(list):
    """A read's records, fetched whole: iterated, or .single() as the query functions use them."""

    def single(self, strict: bool = False) -> Any:
        if strict:
            assert len(self) == 1, f"{len(self)} records"
        return self[0] if self else None


def _asked(graph: Graph, function: Callable[..., Any], params: dict[str, Any]) -> tuple[int, Any]:
    """db hits of every read one call of the question makes, and its answer."""
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    profiled: list[_Profiled] = []

    def work(tx: ManagedTransaction) -> Any:
        profiled.append(_Profiled(tx))
        return function(profiled[-1], **params)

    answer = graph.read(work)
    return profiled[-1].hits, answer


def _question_hits(graph: Graph, function: Callable[..., Any], params: dict[str, Any]) -> int:
    return _asked(graph, function, params)[0]


def _impact_hits(graph: Graph) -> tuple[int, int]:
    """Impact's db hits, and what it counts: the delegations in force and items under the article."""
    hits, answer = _asked(graph, impact, IMPACT)
    return hits, answer.totals.delegations + answer.totals.items
