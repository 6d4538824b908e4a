"""First-contact duty through the API: the question, who sees summaries, the writes refused."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_mutations import RECORD_MATTER, RECORD_REPLY
from tests.conftest import Graph

FIRST_CONTACT = """{ firstContact(region: "530426", now: "2025-11-10T09:00:00+08:00") {
  regionName rule ruleSource
  matters { caseId summary verdict reply explanation competent { key } }
  overdue { caseId } unreplied { caseId } } }"""


def test_a_viewer_gets_the_verdicts_but_no_summary_text(api: Api) -> None:
    body = api.query(FIRST_CONTACT, role="viewer")
    matters = body["data"]["firstContact"]["matters"]
    assert [m["verdict"] for m in matters] == ["on_time", "overdue_not_handed_on", "competent"]
    assert all(m["summary"] is None for m in matters)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert not any("垃圾" in m["explanation"] for m in matters)


def test_an_editor_reads_the_summaries(api: Api) -> None:
    answer = api.data(FIRST_CONTACT, role="editor")["firstContact"]
    assert all(m["summary"] for m in answer["matters"])
    assert answer["overdue"] == [{"caseId": "ES-M-2025-02"}]
    assert answer["matters"][1]["competent"] == {"key": "es-zrzyj"}


def test_a_recorded_matter_and_its_reply_are_audited_and_answered(api_fresh: Api) -> None:
    written = api_fresh.data(RECORD_MATTER, {"id": "ES-M-9001"}, role="editor")["recordMatter"]
    replied = api_fresh.data(RECORD_REPLY, {"id": "ES-M-9001"}, role="editor")
    trail = api_fresh.data(
        "{ auditTrail(first: 5) { nodes { id action target detail } } }", role="admin"
    )
    entries = {e["action"]: e for e in trail["auditTrail"]["nodes"]}
    assert entries["recordMatter"]["id"] == written["auditId"]
    assert entries["recordMatterReply"]["id"] == replied["recordMatterReply"]["auditId"]
    assert '"channel": "来电"' in entries["recordMatter"]["detail"]
    answer = api_fresh.data(FIRST_CONTACT, role="editor")["firstContact"]
    [new] = [m for m in answer["matters"] if m["caseId"] == "ES-M-9001"]
    assert (new["verdict"], new["reply"]) == ("overdue_not_handed_on", "replied_by_other")


def test_bad_matters_and_a_second_reply_are_refused_with_a_sentence(
    api: Api, sample_graph: Graph
) -> None:
    before = sample_graph.counts()
    bad = {
        'channel: "来电"': ('channel: "微信"', "channel"),
        'receivedBy: "530426202"': ('receivedBy: "no-such-body"', "received_by"),
    }
    for old, (new, field) in bad.items():
        body = api.query(RECORD_MATTER.replace(old, new), {"id": "ES-M-9009"}, role="editor")
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"].startswith(field), error["message"]
    body = api.query(RECORD_REPLY, {"id": "ES-M-2025-01"}, role="editor")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "never overwritten" in error["message"]
    body = api.query(RECORD_REPLY, {"id": "ES-2025-0008"}, role="editor")  # a case, no matter
    assert "no matter" in body["errors"][0]["message"]
    assert sample_graph.counts() == before
