"""A generated dataset loads into a real Neo4j and answers as its manifest says.

Two counties of five streets and twenty items (seed 7): the first plants every kind of gap.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from queries.case_checks import case_checks
from queries.coverage_gaps import coverage_gaps
from queries.evaluation import evaluation
from queries.guide_uptake import guide_uptake
from queries.legal_basis import legal_basis
from queries.overdue_transfers import overdue_transfers
from synthetic.generate import generate
from synthetic.planted import gap_key
from synthetic.timeline import CHECK_DAY
from tests.conftest import Graph

IN_FORCE = (
    "MATCH (s:Street)-[:PART_OF]->(:Region {code: $region}) "
    "MATCH (s)<-[:TO]-(d:Delegation) "
    "WHERE d.valid_from <= $day AND (d.valid_to IS NULL OR $day < d.valid_to) "
    "RETURN count(d) AS n"
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("synth") / "data"
    generate(out, counties=2, streets_per_county=5, items=20, seed=7)
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def load(graph: Graph, folder: Path) -> None:
    report = LoadReport()
    plan = plan_load([folder], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_streets_items_and_delegations_in_force_match_the_manifest(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    folder, manifest = dataset
    load(graph, folder)
    [counts] = graph.run(
        "MATCH (s:Street) WITH count(s) AS streets "
        "MATCH (i:EnforcementItem) RETURN streets, count(i) AS items"
    )
    assert counts == {
        "streets": manifest["totals"]["streets"],
        "items": manifest["totals"]["items"],
    }
    for county in manifest["county_list"]:
        for day, expected in county["delegations_in_force"].items():
            [found] = graph.run(IN_FORCE, region=county["code"], day=date.fromisoformat(day))
            assert found["n"] == expected, (county["code"], day)


def test_authority_names_the_street_for_a_grant_and_the_department_for_a_station(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    folder, manifest = dataset
    load(graph, folder)
    examples = manifest["authority_examples"]
    assert {"grant", "station", "not_yet_listed"} <= {e["case"] for e in examples}
    for example in examples:
        answer = graph.read(
            authority,
            item=example["item"],
            street=example["street"],
            as_of=date.fromisoformat(example["as_of"]),
        )
        assert answer.outcome == "determined", example
        assert answer.subject is not None
        assert (answer.subject.kind, answer.subject.key) == (
            example["subject_kind"],
            example["subject_key"],
        ), example


def test_coverage_gaps_on_the_check_day_are_exactly_the_planted_ones(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    folder, manifest = dataset
    load(graph, folder)
    for county in manifest["county_list"]:
        answer = graph.read(coverage_gaps, region=county["code"], as_of=CHECK_DAY)
        found = {gap_key(g.rule, [(s.kind, s.key) for s in g.subjects]) for g in answer.gaps}
        planted = {
            (p["rule"], tuple(tuple(key) for key in p["keys"]))
            for p in manifest["planted"]
            if p["county"] == county["code"] and p["rule"]
        }
        assert found == planted, county["code"]
    rules = {p["rule"] for p in manifest["planted"] if p["county"] == "990101"}
    assert {
        "min_legal_reviewers_per_zone",
        "item_without_legal_basis",
        "zone_item_list_approver",
        # issue 17.3: seed 004's targets and the team size's upper bound
        "min_comprehensive_domain_share",
        "inspection_item_coverage",
        "max_professional_teams",
        "max_certified_staff_per_town_team",
    } <= rules


def test_cases_transfers_and_cited_articles_answer_as_planted(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    folder, manifest = dataset
    load(graph, folder)
    planted = {p["kind"]: p for p in manifest["planted"] if p["county"] == "990101"}
    [(_, void_case)] = planted["void_risk_case"]["keys"]
    assert graph.read(case_checks, case=void_case).verdict == "void_risk"
    uncertified = dict(planted["uncertified_officer_case"]["keys"])
    checked = graph.read(case_checks, case=uncertified["案件"])
    assert not checked.officers_ok
    assert [o.id for o in checked.officers if not o.certified] == [uncertified["人员"]]
    verdicts = {t["id"]: t["verdict"] for t in manifest["transfers"]}
    for county in manifest["county_list"]:
        answer = graph.read(overdue_transfers, region=county["code"], now=datetime(2026, 1, 1))
        found = {t.transfer_id: t.verdict for t in answer.transfers}
        assert found == {k: v for k, v in verdicts.items() if k.startswith(county["code"])}
    [(_, item)] = planted["article_missing"]["keys"]
    basis = graph.read(legal_basis, item=item)
    assert [link.text_state for link in basis.links] == ["article_missing"]


def test_guide_uptake_finds_exactly_the_planted_findings(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    folder, manifest = dataset
    load(graph, folder)
    answer = graph.read(guide_uptake, province="990000", as_of=CHECK_DAY)
    found = {
        county.code: {
            "matched": sorted(
                [m.county_item.code, m.guide_item.row, m.match] for m in county.matched
            ),
            "ambiguous": sorted(
                [a.county_item.code, [g.row for g in a.candidates]] for a in county.ambiguous
            ),
            "added": sorted(i.code for i in county.added),
            "not_taken_up": [g.row for g in county.not_taken_up],
        }
        for county in answer.counties
    }
    expected = {
        code: {key: sorted(value) for key, value in county.items()}
        for code, county in manifest["guide_uptake"].items()
    }
    assert found == expected
    kinds = {p["kind"] for p in manifest["planted"] if p["county"] == "990101"}
    assert {
        "guide_code_match",
        "guide_name_match",
        "guide_ambiguous",
        "guide_not_taken_up",
    } <= kinds
    assert all(county["added"] for county in expected.values())


RECOMMENDATIONS = ("keep", "support", "return", "ended")
PLANTED_AS = {
    "evaluation_keep": "keep",
    "evaluation_support": "support",
    "evaluation_return": "return",
}


def test_evaluation_ranks_the_planted_items_and_only_by_its_rules(
    graph: Graph, dataset: tuple[Path, dict]
) -> None:
    """Each county's year (赋权事项评估): the planted keep, support and return pairs are in their
    lists, and the whole answer is the manifest's, worked out from the county's cases, officers
    and dates (synthetic.evaluation_expected). Support holds only pairs of the planted thin
    domain in its street (one certified officer of the domain), used or delegated within the
    last 12 months; return holds besides the planted pair every pair delegated before the year
    and never used, which the synthetic counties (about one case per two streets) legitimately
    have many of: each is unused for 12 months or more."""
    folder, manifest = dataset
    load(graph, folder)
    seen: set[str] = set()
    for county in manifest["county_list"]:
        expected = manifest["evaluation"][county["code"]]
        answer = graph.read(
            evaluation,
            region=county["code"],
            from_date=date.fromisoformat(expected["from"]),
            to_date=date.fromisoformat(expected["to"]),
        )
        assert answer.unused_months == expected["unused_months"] == 12
        found = {
            kind: sorted(
                [i.item_code, i.street_code] for i in answer.items if i.recommendation == kind
            )
            for kind in RECOMMENDATIONS
        }
        assert found == {kind: expected[kind] for kind in RECOMMENDATIONS}, county["code"]
        planted = [
            (p["kind"], [key for _, key in p["keys"]])
            for p in manifest["planted"]
            if p["county"] == county["code"] and p["kind"] in PLANTED_AS
        ]
        for kind, pair in planted:
            assert pair in found[PLANTED_AS[kind]], (kind, pair)
        for item in answer.items:
            if item.recommendation == "return":
                assert item.months_unused is not None and item.months_unused >= 12, item
            if item.recommendation == "support":  # only the planted thin domain of one street
                assert [item.street_code, item.domain] == expected["thin"], item
                assert item.capacity_min == 1 and (item.months_unused or 0) < 12, item
        ranks = [i.rank for i in answer.items if i.recommendation == "return"]
        assert ranks == list(range(1, len(ranks) + 1))
        seen |= {kind for kind, _ in planted}
    assert seen == set(PLANTED_AS)  # the first county plants all three
