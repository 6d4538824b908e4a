"""Officers through the API (issue 18.3): add, transfer (调动), retire — audited, refused with
codes — and the certificates field, whose texts never name an officer to a viewer."""

from __future__ import annotations

from datetime import date

from queries.certificates import certificates
from tests.api.conftest import Api
from tests.api.test_mutations import ADD_OFFICER, RETIRE_OFFICER, TRANSFER_OFFICER
from tests.conftest import Graph

CERTS = """{ certificates(region: "420106", asOf: "2027-01-15") {
  found notice { days policyId sourceDocument }
  expiring { officerId officerName daysLeft unitName explanation }
  domainWithoutCertificate { officerId officerName domain explanation }
} }"""


def test_a_viewer_gets_the_list_without_names_and_an_editor_with_them(api: Api) -> None:
    body = api.query(CERTS, role="viewer")
    answer = body["data"]["certificates"]
    assert answer["notice"] == {
        "days": 90,
        "policyId": "WC-P-CERT-NOTICE",
        "sourceDocument": "武昌区街道综合行政执法规范化建设实施意见",
    }
    [soon] = answer["expiring"]
    assert soon["officerId"] is None and soon["officerName"] is None and soon["daysLeft"] == 44
    assert "马俊" not in soon["explanation"] and "42010620220015" not in soon["explanation"]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    named = api.data(CERTS, role="editor")["certificates"]
    assert named["expiring"][0]["officerName"] == "马俊"
    assert "马俊" in named["domainWithoutCertificate"][0]["explanation"]


def test_an_out_of_range_notice_period_is_bad_input(api: Api) -> None:
    body = api.query('{ certificates(region: "420106", withinDays: -1) { found } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_added_officer_is_on_the_list_and_audited(api_fresh: Api, fresh_sample_graph: Graph):
    added = api_fresh.data(ADD_OFFICER, {"id": "35050220259001"}, role="editor")["addOfficer"]
    [row] = fresh_sample_graph.run(
        "MATCH (o:Officer {id: '35050220259001'})-[:MEMBER_OF]->(u:Unit), (o)-[p:POSTED_TO]->(s)"
        " MATCH (a:AuditEntry {id: $audit})"
        " RETURN u.id AS unit, s.code AS street, p.valid_from AS since, a.action AS action",
        audit=added["auditId"],
    )
    assert (row["unit"], row["street"], row["action"]) == ("lc-u-t001", "350502001", "addOfficer")
    listed = fresh_sample_graph.read(
        certificates, region="350502", as_of=date(2030, 11, 1), personal=True
    )
    assert "35050220259001" in {f.officer_id for f in listed.expiring}
    again = api_fresh.query(ADD_OFFICER, {"id": "35050220259001"}, role="editor")
    [error] = again["errors"]
    assert (error["extensions"]["code"], error["extensions"]["reason"]) == (
        "BAD_USER_INPUT",
        "DUPLICATE_OFFICER",
    )


def test_a_transfer_ends_the_old_postings_and_keeps_them_for_past_days(
    api_fresh: Api, fresh_sample_graph: Graph
) -> None:
    api_fresh.data(TRANSFER_OFFICER, {"id": "35050220230101"}, role="editor")
    rows = fresh_sample_graph.run(
        "MATCH (o:Officer {id: '35050220230101'})-[p:POSTED_TO]->(t)"
        " RETURN coalesce(t.code, t.id) AS to, p.valid_from AS since, p.valid_to AS until"
        " ORDER BY to"
    )
    assert [(r["to"], str(r["since"]), str(r["until"])) for r in rows] == [
        ("350502002", "2025-10-01", "None"),
        ("LC-Z1", "2024-09-11", "2025-09-30"),
    ]
    [unit] = fresh_sample_graph.run(
        "MATCH (:Officer {id: '35050220230101'})-[:MEMBER_OF]->(u) RETURN u.id AS id"
    )
    assert unit["id"] == "lc-u-t002"
    [audit] = fresh_sample_graph.run(
        "MATCH (a:AuditEntry {action: 'transferOfficer'}) RETURN a.detail AS detail"
    )
    assert '"from_units": ["lc-u-zd1"]' in audit["detail"]


def test_a_retired_officer_leaves_every_post_and_cannot_be_retired_twice(
    api_fresh: Api, fresh_sample_graph: Graph
) -> None:
    api_fresh.data(RETIRE_OFFICER, {"id": "35050220230501"}, role="editor")
    [row] = fresh_sample_graph.run(
        "MATCH (o:Officer {id: '35050220230501'})"
        " RETURN o.valid_to AS cert, COUNT { (o)-[:MEMBER_OF]->() } AS units,"
        " COLLECT { MATCH (o)-[p:POSTED_TO]->() RETURN toString(p.valid_to) } AS ends"
    )
    assert (str(row["cert"]), row["units"], row["ends"]) == ("2025-12-31", 0, ["2025-12-31"] * 2)
    [error] = api_fresh.query(RETIRE_OFFICER, {"id": "35050220230501"}, role="editor")["errors"]
    assert error["extensions"]["reason"] == "OFFICER_RETIRED"
    # A retired officer is not "lapsed while posted": the postings ended with the certificate.
    after = fresh_sample_graph.read(certificates, region="350502", as_of=date(2026, 3, 1))
    assert "35050220230501" not in {f.officer_id for f in after.lapsed_while_posted}


def test_unknown_targets_are_not_found_with_their_code(api: Api, sample_graph: Graph) -> None:
    before = sample_graph.counts()
    cases = [
        (ADD_OFFICER.replace('"lc-u-t001"', '"no-such-unit"'), "35050220259009", "UNKNOWN_UNIT"),
        (
            ADD_OFFICER.replace('to: "350502001"', 'to: "nowhere"'),
            "35050220259009",
            "UNKNOWN_POSTING_TARGET",
        ),
        (TRANSFER_OFFICER, "no-such-officer", "UNKNOWN_OFFICER"),
    ]
    for query, ident, reason in cases:
        [error] = api.query(query, {"id": ident}, role="editor")["errors"]
        assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("NOT_FOUND", reason)
    bad = ADD_OFFICER.replace('validTo: "2030-12-31"', 'validTo: "2020-12-31"')
    [error] = api.query(bad, {"id": "35050220259009"}, role="editor")["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "valid_to" in error["message"]
    assert sample_graph.counts() == before
