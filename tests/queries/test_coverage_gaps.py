"""coverageGaps against the sample's deliberate gaps (data/sample/README.md) and a small fixture."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import queries.gap_scope as gap_scope
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.coverage_gaps import (
    NATION,
    CoverageGap,
    CoverageGaps,
    CoverageScopeError,
    coverage_gaps,
)
from tests.conftest import Graph

FIXTURE = Path(__file__).parent / "data" / "h3"


def gaps_of(answer: CoverageGaps, rule: str) -> list[CoverageGap]:
    return [gap for gap in answer.gaps if gap.rule == rule]


def keys(gap: CoverageGap, kind: str) -> list[str]:
    return [subject.key for subject in gap.subjects if subject.kind == kind]


def linked(answer: CoverageGaps) -> dict[tuple[str, str], float | None]:
    found = gaps_of(answer, "min_certified_linked_officers_per_zone_per_department")
    return {(keys(g, "片区")[0], keys(g, "部门")[0]): g.measured for g in found}


@pytest.fixture
def licheng(sample_graph: Graph):
    return lambda day, **scope: sample_graph.read(
        coverage_gaps, **(scope or {"region": "鲤城区"}), as_of=day, personal=True
    )


def test_jiangnan_zone_lacks_a_legal_reviewer_and_laocheng_has_one(licheng) -> None:
    answer = licheng(date(2024, 10, 1))
    [gap] = gaps_of(answer, "min_legal_reviewers_per_zone")
    assert keys(gap, "片区") == ["LC-Z2"]
    assert (gap.measured, gap.threshold) == (0, 1)
    assert gap.source.policy_id == "LC-P-REVIEWER"
    assert gap.source.document == "泉鲤政办〔2024〕25号"
    assert "法制审核" in (gap.source.quote or "")
    assert "曾志伟(执法监督员)" in gap.detail
    assert gap.fix == "为江南新区片区确定至少1名法制审核人员"


def test_linked_officers_short_for_emergency_in_jiangnan_and_housing_in_both_zones(licheng) -> None:
    assert linked(licheng(date(2024, 10, 1))) == {
        ("LC-Z1", "lc-zjj"): 0,
        ("LC-Z2", "lc-zjj"): 0,
        ("LC-Z2", "lc-yjj"): 1,
    }


def test_expired_certificate_drops_jiangnan_urban_management_to_one_from_2025_07_01(
    licheng,
) -> None:
    assert ("LC-Z2", "lc-cgj") not in linked(licheng(date(2025, 6, 30)))
    after = licheng(date(2025, 7, 1))
    assert linked(after)[("LC-Z2", "lc-cgj")] == 1
    [expired] = gaps_of(after, "certified_officers_only")
    assert keys(expired, "人员") == ["35050220200202"]
    assert expired.source.policy_id == "LC-P-CERT"


def test_planning_item_has_no_officer_covering_its_domain(licheng) -> None:
    [gap] = gaps_of(licheng(date(2024, 10, 1)), "delegated_item_without_certified_officer")
    assert keys(gap, "事项") == ["LC-ZJ-001"]
    assert len(keys(gap, "街道")) == 8
    assert gap.source.provision_ids == ["行政处罚法#24", "行政处罚法#42"]


def test_item_without_parseable_basis_is_reported(licheng) -> None:
    [gap] = gaps_of(licheng(date(2024, 10, 1)), "item_without_legal_basis")
    assert keys(gap, "事项") == ["LC-CG-006"]
    assert not gaps_of(licheng(date(2024, 10, 1)), "item_on_repealed_law")


def test_haibin_lacks_withdrawn_item_only_from_2025_07_01(licheng) -> None:
    before = licheng(date(2025, 6, 30))
    assert not gaps_of(before, "catalog_item_not_delegated")
    assert not gaps_of(before, "zone_item_sets_differ")
    after = licheng(date(2025, 7, 1))
    [listed] = gaps_of(after, "catalog_item_not_delegated")
    assert keys(listed, "街道") == ["350502003"] and keys(listed, "事项") == ["LC-CG-004"]
    assert keys(listed, "目录") == ["licheng-street-delegation@2025-03-01"]
    [differs] = gaps_of(after, "zone_item_sets_differ")
    assert keys(differs, "片区") == ["LC-Z1"] and keys(differs, "事项") == ["LC-CG-004"]


def test_licheng_policies_that_are_not_coverage_rules_are_listed_not_dropped(licheng) -> None:
    policies = {p.id: p for p in licheng(date(2024, 10, 1)).policies}
    assert set(policies) == {
        "LC-P-REVIEWER", "LC-P-LINKED", "LC-P-DISPUTE", "LC-P-SUBJECT", "LC-P-ZONE-LIST",
        "LC-P-EVALUATION", "LC-P-CERT",
    }  # fmt: skip
    # dispute_resolver is applied by the questions it governs, and says which
    assert not policies["LC-P-DISPUTE"].evaluated and "disputes" in policies["LC-P-DISPUTE"].note
    assert policies["LC-P-ZONE-LIST"].evaluated and policies["LC-P-ZONE-LIST"].gaps == 0
    assert policies["LC-P-LINKED"].evaluated and policies["LC-P-LINKED"].gaps == 3


def test_zone_scoped_call_sees_only_that_zone(licheng) -> None:
    answer = licheng(date(2025, 7, 1), zone="江南新区片区")
    assert answer.zone_id == "LC-Z2" and len(answer.streets) == 4
    assert set(linked(answer)) == {("LC-Z2", "lc-zjj"), ("LC-Z2", "lc-yjj"), ("LC-Z2", "lc-cgj")}
    assert not gaps_of(answer, "catalog_item_not_delegated")  # 海滨街道 is in 老城区
    laocheng = licheng(date(2024, 10, 1), zone="LC-Z1")
    assert laocheng.gaps == licheng(date(2024, 10, 1), zone="LC-Z1").gaps  # same order each time
    assert not gaps_of(laocheng, "min_legal_reviewers_per_zone")  # 何静


def test_wuchang_zhonghualu_is_one_legal_staff_short(sample_graph: Graph) -> None:
    answer = sample_graph.read(coverage_gaps, region="420106", as_of=date(2023, 1, 1))
    [staff] = gaps_of(answer, "min_full_time_legal_staff_per_street")
    assert keys(staff, "街道") == ["420106002"] and (staff.measured, staff.threshold) == (1, 2)
    assert not gaps_of(answer, "min_legal_reviewers_per_street_center")
    assert not gaps_of(answer, "min_supervisors_per_street")
    [uncovered] = gaps_of(answer, "delegated_item_without_certified_officer")
    assert keys(uncovered, "事项") == ["WC-YJ-001"]
    holds_none = gaps_of(answer, "street_holds_no_catalog_item")
    assert sorted(k for g in holds_none for k in keys(g, "街道")) == ["420106002", "420106003"]
    assert all(p.evaluated for p in answer.policies)  # no_redelegation too (seed 001)
    assert not gaps_of(answer, "no_redelegation")


@pytest.mark.parametrize(
    ("day", "too_few", "too_many"),
    [(date(2021, 12, 31), [], ["fy-u-t-ws"]), (date(2022, 1, 1), ["fy-u-t-ck"], ["fy-u-t-ws"])],
)
def test_fuyang_town_teams_between_two_and_eight_certified(
    sample_graph: Graph, day: date, too_few: list[str], too_many: list[str]
) -> None:
    answer = sample_graph.read(coverage_gaps, region="富阳区", as_of=day)
    few = gaps_of(answer, "min_certified_staff_per_town_team")
    many = gaps_of(answer, "max_certified_staff_per_town_team")
    assert [keys(g, "执法队")[0] for g in few] == too_few
    assert [(keys(g, "执法队")[0], g.measured) for g in many] == [(t, 9) for t in too_many]
    assert not gaps_of(answer, "delegated_item_without_certified_officer")
    expired = gaps_of(answer, "certificate_invalid_in_post")
    assert [keys(g, "人员") for g in expired] == ([["33011120160402"]] if too_few else [])


def gap_keys(answer: CoverageGaps) -> list[tuple]:
    found = [
        (g.rule, [(s.kind, s.key, s.name) for s in g.subjects], g.measured) for g in answer.gaps
    ]
    return sorted(found, key=repr)


@pytest.mark.parametrize("day", [date(2024, 10, 1), date(2025, 7, 1)])
def test_details_and_fixes_name_officers_only_for_a_reader_with_the_right(
    sample_graph: Graph, day: date
) -> None:
    officers = sample_graph.run("MATCH (o:Officer) RETURN o.id AS id, o.name AS name")
    counties = sample_graph.run("MATCH (r:Region {level: 'county'}) RETURN r.code AS code")
    named_in_text = 0
    for county in counties:
        named = sample_graph.read(coverage_gaps, region=county["code"], as_of=day, personal=True)
        plain = sample_graph.read(coverage_gaps, region=county["code"], as_of=day)
        assert gap_keys(plain) == gap_keys(named)  # the same gaps, the same subjects
        for gap in plain.gaps:
            for officer in officers:
                assert officer["name"] not in gap.detail + gap.fix, gap
                assert officer["id"] not in gap.detail + gap.fix, gap
        named_in_text += sum(o["name"] in g.detail for g in named.gaps for o in officers)
    assert named_in_text  # the sample's gaps do name officers for a reader with the right


def test_an_invalid_certificate_in_post_names_the_officer_only_with_the_right(licheng) -> None:
    [named] = gaps_of(licheng(date(2025, 7, 1)), "certified_officers_only")
    assert named.detail.startswith("林晓东 (证号 35050220200202)执法证已于2025-06-30到期")
    assert named.fix.startswith("为林晓东办理执法证换发")


def test_answer_shows_itself_as_sheets(licheng) -> None:
    sheets = licheng(date(2024, 10, 1)).sheets()
    assert sheets[0].columns[-1] == "整改建议"
    assert len(sheets[0].rows) == len(licheng(date(2024, 10, 1)).gaps)


@pytest.mark.parametrize(
    "scope", [{}, {"region": "鲤城区", "zone": "LC-Z1"}, {"region": "没有这个区"}, {"zone": "X"}]
)
def test_scope_must_name_exactly_one_known_region_or_zone(sample_graph: Graph, scope) -> None:
    with pytest.raises(CoverageScopeError):
        sample_graph.read(coverage_gaps, **scope, as_of=date(2024, 10, 1))


def test_zone_policy_threshold_repealed_law_and_catalog_gaps_from_fixture(graph: Graph) -> None:
    report = LoadReport()
    plan = plan_load([FIXTURE], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    answer = graph.read(coverage_gaps, zone="测试片区", as_of=date(2024, 6, 1))
    [reviewers] = gaps_of(answer, "min_legal_reviewers_per_zone")
    assert (reviewers.measured, reviewers.threshold, reviewers.source.policy_id) == (
        1, 2, "T-P-REVIEWER"
    )  # fmt: skip
    assert {p.id: p.evaluated for p in answer.policies} == {
        "T-P-REVIEWER": True, "T-P-OTHER": False
    }  # fmt: skip
    [repealed] = gaps_of(answer, "item_on_repealed_law")
    assert keys(repealed, "事项") == ["T-SC-001"]
    [holds_none] = gaps_of(answer, "street_holds_no_catalog_item")
    assert keys(holds_none, "街道") == ["990101002"]
    [not_delegated] = gaps_of(answer, "catalog_item_not_delegated")
    assert keys(not_delegated, "街道") == ["990101002"]
    assert keys(gaps_of(answer, "zone_item_sets_differ")[0], "街道") == ["990101002"]


def _with_county(answer: CoverageGaps) -> list[tuple]:
    """A county's gaps as a wider answer lists them: each naming its county first."""
    county = ("区县", answer.region_code)
    found = []
    for gap in answer.gaps:
        subjects = [(s.kind, s.key) for s in gap.subjects]
        found.append((gap.rule, [county, *subjects] if county not in subjects else subjects))
    return found


@pytest.mark.parametrize("day", [date(2024, 10, 1), date(2025, 7, 1)])
def test_the_nation_in_one_call_is_every_county_as_asked_alone(
    sample_graph: Graph, day: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One call, two counties a batch (each read runs once a batch): the same gaps, policies and
    streets as asking each county in turn, every gap naming its county."""
    monkeypatch.setattr(gap_scope, "BATCH_COUNTIES", 2)
    counties = sample_graph.run(
        "MATCH (r:Region) WHERE EXISTS { (r)<-[:PART_OF]-(:Street) } RETURN r.code AS code "
        "ORDER BY code"
    )
    alone = [sample_graph.read(coverage_gaps, region=c["code"], as_of=day) for c in counties]
    runs: list[str] = []

    def counted(tx, **params):
        class Counting:
            def run(self, query, parameters=None, **kw):
                runs.append(query.split(":", 1)[0])
                return tx.run(query, parameters, **kw)

        return coverage_gaps(Counting(), **params)

    nation = sample_graph.read(counted, region=NATION, as_of=day)
    assert len(counties) >= 3 and (nation.region_code, nation.region_name) == (NATION, NATION)
    assert sorted((g.rule, [(s.kind, s.key) for s in g.subjects]) for g in nation.gaps) == sorted(
        found for answer in alone for found in _with_county(answer)
    )
    assert [s.key for s in nation.streets] == [s.key for a in alone for s in a.streets]
    assert {(p.id, p.gaps) for p in nation.policies} == {
        (p.id, p.gaps) for a in alone for p in a.policies
    }
    assert set(nation.unknowns) == {u for a in alone for u in a.unknowns}
    batches = -(-len(counties) // 2)
    each_read = {q: runs.count(q) for q in set(runs)}
    assert max(each_read.values()) <= batches, each_read


def test_a_province_or_city_by_code_or_name_is_its_counties(sample_graph: Graph) -> None:
    day = date(2024, 10, 1)
    county = sample_graph.read(coverage_gaps, region="350502", as_of=day)
    for region in ("350000", "福建省", "泉州市"):
        wider = sample_graph.read(coverage_gaps, region=region, as_of=day)
        assert wider.region_name == ("泉州市" if region == "泉州市" else "福建省")
        assert sorted((g.rule, [(s.kind, s.key) for s in g.subjects]) for g in wider.gaps) == (
            sorted(_with_county(county))
        )
        assert [g.detail for g in sorted(wider.gaps, key=lambda g: g.detail)] == [
            g.detail for g in sorted(county.gaps, key=lambda g: g.detail)
        ]
