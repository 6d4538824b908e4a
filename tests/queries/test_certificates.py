"""The certificate list (执法证管理, issue 18.3) on the loaded sample: expiring within the notice
period, lapsed while posted, acting in a domain the certificate does not cover."""

from __future__ import annotations

from datetime import date

import pytest

from authreg.export_files import write_sheets
from queries.certificates import DEFAULT_NOTICE_DAYS, CertificateQueryError, certificates
from tests.conftest import Graph


def ask(graph: Graph, region: str, day: str, **options: object):
    return graph.read(certificates, region=region, as_of=date.fromisoformat(day), **options)


def test_a_certificate_ending_within_the_regions_notice_period_is_listed_with_its_policy(
    sample_graph: Graph,
) -> None:
    answer = ask(sample_graph, "武昌区", "2027-01-15", personal=True)
    assert answer.notice.policy_id == "WC-P-CERT-NOTICE" and answer.notice.days == 90
    [soon] = answer.expiring
    assert (soon.officer_id, soon.days_left, soon.unit_name) == (
        "42010620220015",
        44,
        "中华路街道综合执法中心",
    )
    assert "WC-P-CERT-NOTICE" in soon.explanation and "2027-02-28" in soon.explanation
    # 45 days before the end is inside 90 days; 91 days before is not.
    assert not ask(sample_graph, "武昌区", "2026-11-28").expiring
    assert [f.days_left for f in ask(sample_graph, "武昌区", "2026-11-30").expiring] == [90]


def test_without_a_policy_the_default_notice_period_applies_and_is_said(
    sample_graph: Graph,
) -> None:
    answer = ask(sample_graph, "350502", "2025-06-01")
    assert answer.notice.policy_id is None and answer.notice.days == DEFAULT_NOTICE_DAYS
    assert "默认" in answer.notice.cite()
    assert [f.officer_id for f in answer.expiring] == ["35050220200202"]  # 林晓东, 2025-06-30
    assert ask(sample_graph, "350502", "2025-06-01", within_days=10).expiring == []


def test_a_certificate_that_lapsed_while_posted_is_listed_with_the_days_in_post(
    sample_graph: Graph,
) -> None:
    [lin] = ask(sample_graph, "鲤城区", "2025-07-10").lapsed_while_posted
    assert lin.officer_id == "35050220200202" and lin.place == "江南新区片区"
    assert "2025-07-01 至 2025-07-10, 共 10 天" in lin.explanation
    assert ask(sample_graph, "鲤城区", "2025-06-30").lapsed_while_posted == []
    # A street team's member serves in that street: 俞海峰's certificate ended 2021-12-31.
    [yu] = ask(sample_graph, "330111", "2022-01-03").lapsed_while_posted
    assert yu.place == "场口镇" and "共 3 天" in yu.explanation


def test_an_officer_posted_for_a_department_outside_the_certificates_domains_is_listed(
    sample_graph: Graph,
) -> None:
    [wrong] = ask(sample_graph, "420106", "2025-01-01").domain_without_certificate
    assert (wrong.officer_id, wrong.domain, wrong.domains) == (
        "42010620220015",
        "水务",
        ["城市管理"],
    )
    assert "武昌区水务和湖泊局" in wrong.explanation
    # Legal staff carry no domain and are never listed; every Licheng officer matches its posting.
    assert ask(sample_graph, "350502", "2025-01-01").domain_without_certificate == []


def test_a_case_handled_outside_the_certificates_domains_is_listed(graph: Graph) -> None:
    graph.run(
        "CREATE (r:Region {code: '999901', name: '测试县', level: 'county'})"
        "<-[:PART_OF]-(s:Street {code: '999901001', name: '测试街道'})"
        "<-[:PART_OF]-(u:Unit {id: 'T-U', name: '测试执法队'}),"
        " (o:Officer {id: 'T-1', name: '测试员', domains: ['城市管理'], roles: ['执法人员'],"
        "   valid_from: date('2020-01-01'), valid_to: date('2030-01-01')})-[:MEMBER_OF]->(u),"
        " (c:Case {id: 'T-C', occurred_on: date('2024-05-01')})-[:HANDLED_BY_OFFICER]->(o),"
        " (c)-[:CONCERNS]->(:EnforcementItem {code: 'T-I', name: '测试事项', domain: '市场监管'}),"
        " (c)-[:OCCURRED_IN]->(s)"
    )
    [wrong] = ask(graph, "999901", "2024-06-01").domain_without_certificate
    assert (wrong.domain, wrong.evidence, wrong.place) == ("市场监管", "案件 T-C", "测试街道")
    assert ask(graph, "999901", "2024-04-01").domain_without_certificate == []  # not yet handled


def test_sentences_name_officers_only_for_a_reader_with_the_right(sample_graph: Graph) -> None:
    for personal in (False, True):
        answer = ask(sample_graph, "420106", "2027-01-15", personal=personal)
        texts = [f.explanation for f in answer.expiring + answer.domain_without_certificate]
        assert texts and all(("马俊" in t) is personal for t in texts)
        assert all(("42010620220015" in t) is personal for t in texts)


def test_an_unknown_region_is_an_answer_and_a_wild_period_is_refused(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "没有这个县", "2025-01-01")
    assert answer.found is False and answer.notes
    with pytest.raises(CertificateQueryError, match="between 0 and"):
        ask(sample_graph, "420106", "2025-01-01", within_days=100_000)


def test_a_city_takes_the_list_of_its_counties(sample_graph: Graph) -> None:
    city = ask(sample_graph, "420100", "2027-01-15")
    assert [(f.county_code, f.officer_id) for f in city.expiring] == [("420106", "42010620220015")]


def test_the_monthly_list_exports_as_a_print_ready_workbook(sample_graph, tmp_path) -> None:
    from openpyxl import load_workbook

    answer = ask(sample_graph, "420106", "2027-01-15", personal=True)
    [path] = write_sheets(answer.sheets(), tmp_path / "cert.xlsx", "xlsx")
    book = load_workbook(path)
    first = book.worksheets[0]
    assert first.page_setup.orientation == "landscape"
    values = [c.value for row in first.iter_rows() for c in row]
    assert "马俊" in values and "42010620220015" in values
    assert any("WC-P-CERT-NOTICE" in str(v) for v in [c.value for c in book.worksheets[-1]["A"]])


def test_the_notice_policy_is_evaluated_in_the_coverage_report(sample_graph: Graph) -> None:
    from queries.coverage_gaps import coverage_gaps

    answer = sample_graph.read(coverage_gaps, region="420106", as_of=date(2027, 1, 15))
    [policy] = [p for p in answer.policies if p.id == "WC-P-CERT-NOTICE"]
    assert policy.evaluated and policy.gaps == 1
    [gap] = [g for g in answer.gaps if g.rule == "certificate_expiry_notice_days"]
    assert (gap.measured, gap.threshold) == (44, 90)
    assert [s.key for s in gap.subjects] == ["42010620220015"]
    assert "马俊" not in gap.detail + gap.fix  # written for a reader without the right
    before = sample_graph.read(coverage_gaps, region="420106", as_of=date(2026, 11, 1))
    assert not [g for g in before.gaps if g.rule == "certificate_expiry_notice_days"]
