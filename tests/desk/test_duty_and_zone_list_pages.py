"""The desk's 属地管理责任 and 片区联合执法清单 pages through the ASGI app on the sample graph
(data/sample/README.md "Duties" and finding 13): who leads and who assists for a matter in a
town; a county's zone lists with each item's lead, proposal and approval, and the approval form
(reviewers), which writes through the API's own writer and is refused with the writer's codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from authreg.settings import ApiKey
from graphql_api.app import create_app
from tests.api.conftest import ACTORS
from tests.desk.conftest import Clerk, desk_settings

LIST_ID = "licheng-zone-list@2024-12-01"  # data/sample/licheng/licheng-zone-list-2024.*
LICHENG = {"region": "350502", "date": "2025-07-01"}


def answer_part(html: str) -> str:
    """The page below its form: the answer and what the page says about it."""
    return html.split('class="answer"', 1)[1] if 'class="answer"' in html else ""


def pending(graph: Any, code: str = "LC-YJ-002") -> bool:
    [row] = graph.run(
        "MATCH (:Catalog {id: $id})-[l:LISTS]->(:EnforcementItem {code: $code}) "
        "RETURN l.approved_by AS by",
        id=LIST_ID,
        code=code,
    )
    return row["by"] is None


def approve(clerk: Clerk, **given: Any) -> Any:
    form = {
        "csrf": clerk.csrf("/zone-lists?region=350502&date=2025-07-01"),
        "region": "350502",
        "date": "2025-07-01",
        "list_id": LIST_ID,
        "approved_by": "lc-cgj",
        "approved_on": "2025-06-10",
        "items": ["LC-YJ-002"],
    } | given
    return clerk.client.post("/zone-lists/approve", data=form, follow_redirects=False)


# -- 属地管理事项责任清单 ---------------------------------------------------------------------------


def test_the_duties_page_names_who_leads_and_who_assists_with_duties_and_the_list_row(
    viewer: Clerk,
) -> None:
    html = viewer.page("/duties", street="甸中镇", matter="违法建设", date="2025-06-01")
    found = answer_part(html)
    assert "村庄、集镇规划区内违法建设的巡查与查处" in found
    lead, assist = found.split("主体责任", 2)[2], found.split("配合责任", 2)[2]
    assert "甸中镇" in lead.split("</tr>", 1)[0]
    assert "峨山县住房和城乡建设局" in assist.split("</tr>", 1)[0]
    assert "清单第3行" in found and "峨山县乡镇(街道)属地管理事项责任清单" in found
    assert "ES-ZJ-001" in found  # the enforcement item the row names
    assert "window.print()" in found and 'class="print-only"' in found


def test_a_town_leading_without_the_delegated_power_is_told(viewer: Clerk) -> None:
    html = viewer.page("/duties", street="双江街道", matter="违法建设", date="2025-06-01")
    notes = answer_part(html).split("须知", 1)[1]
    assert "双江街道承担主体责任" in notes and "ES-ZJ-001" in notes and "未赋权或委托" in notes


def test_a_county_department_leading_and_two_assisting_are_listed(viewer: Clerk) -> None:
    html = viewer.page("/duties", street="化念镇", matter="非法占用土地建住宅", date="2025-06-01")
    found = answer_part(html)
    assert "化念镇" in found and "峨山县农业农村局" in found and "峨山县自然资源局" in found


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"street": "甸中镇", "matter": "噪声扰民", "date": "2025-06-01"}, "清单中没有相符的事项"),
        ({"street": "甸中镇", "matter": "违法建设", "date": "2024-12-31"}, "没有责任清单"),
        ({"street": "海滨街道", "matter": "违法建设", "date": "2025-06-01"}, "没有责任清单"),
        ({"street": "没有这个镇", "matter": "违法建设", "date": "2025-06-01"}, "街道/乡镇不明"),
    ],
)
def test_no_match_no_list_and_an_unknown_town_are_said_plainly(
    viewer: Clerk, params: dict[str, str], said: str
) -> None:
    found = answer_part(viewer.page("/duties", **params))
    outcome = found.split('id="outcome"', 1)[1].split("</div>", 1)[0]
    assert said in outcome
    assert "主体责任</span>" not in found  # no table of bodies is offered as an answer


def test_a_half_filled_or_hostile_duties_form_is_refused_with_a_sentence(viewer: Clerk) -> None:
    assert "请同时填写街道（乡镇）和事项" in viewer.page("/duties", street="甸中镇")
    assert "最多100个字" in viewer.page("/duties", street="甸中镇", matter="违" * 101)
    assert "年-月-日" in viewer.page("/duties", street="甸中镇", matter="违法建设", date="x")


# -- 片区联合执法基础事项清单 -----------------------------------------------------------------------


def test_the_zone_list_page_shows_each_items_lead_proposal_and_approval(viewer: Clerk) -> None:
    html = viewer.page("/zone-lists", **LICHENG)
    found = answer_part(html)
    assert "《鲤城区片区联合执法基础事项清单》" in found and LIST_ID in found
    rows = {
        code: row
        for row in found.split("<tr>")[1:]
        for code in re.findall(r'class="code">(LC-[A-Z]+-\d+)<', row)
    }
    assert set(rows) == {"LC-CG-002", "LC-SC-004", "LC-YJ-001", "LC-YJ-002"}
    assert "鲤城区应急管理局" in rows["LC-YJ-002"] and "待批准" in rows["LC-YJ-002"]
    assert "2024年11月15日" in rows["LC-YJ-002"]  # proposed on
    assert (
        "鲤城区城市管理和综合执法局" in rows["LC-YJ-001"] and "2024年11月25日" in rows["LC-YJ-001"]
    )
    assert "在用" in rows["LC-YJ-001"] and "待批准" not in rows["LC-YJ-001"]
    assert "老城区" in found  # the zones the county's list serves
    assert "window.print()" in found


def test_a_viewer_sees_the_list_but_no_approval_form_and_cannot_post_one(
    viewer: Clerk, sample_graph: Any
) -> None:
    html = viewer.page("/zone-lists", **LICHENG)
    assert 'action="/zone-lists/approve"' not in html and "待批准" in html
    token = viewer.csrf("/zone-lists?region=350502")  # the sign-out form's token
    refused = viewer.client.post(
        "/zone-lists/approve",
        data={
            "csrf": token,
            "list_id": LIST_ID,
            "approved_by": "lc-cgj",
            "approved_on": "2025-06-10",
        },
    )
    assert refused.status_code == 403 and "争议审核" in refused.text
    assert pending(sample_graph)


def test_a_county_without_zone_lists_says_so(viewer: Clerk) -> None:
    html = viewer.page("/zone-lists", region="530426", date="2025-07-01")
    assert 'id="no-lists"' in html and "没有施行中的片区联合执法基础事项清单" in html


def test_an_approval_by_another_body_is_refused_naming_the_body_and_the_policy(
    reviewer_on_fresh: Clerk, fresh_sample_graph: Any
) -> None:
    assert 'action="/zone-lists/approve"' in reviewer_on_fresh.page("/zone-lists", **LICHENG)
    before = fresh_sample_graph.counts()
    refused = approve(reviewer_on_fresh, approved_by="lc-yjj")
    assert refused.status_code == 400
    box = refused.text.split('id="refusal"', 1)[1].split("</div>", 1)[0]
    assert "鲤城区应急管理局不是本地区政策指定的审查同意机关" in box and "WRONG_APPROVER" in box
    assert "鲤城区城市管理和综合执法局审查同意" in box and "LC-P-ZONE-LIST" in box
    assert "待批准" in refused.text  # the list is shown again beside the refusal
    assert fresh_sample_graph.counts() == before and pending(fresh_sample_graph)


def test_each_coded_refusal_is_a_sentence_and_writes_nothing(
    reviewer_on_fresh: Clerk, fresh_sample_graph: Any
) -> None:
    before = fresh_sample_graph.counts()
    cases = [
        ({"items": ["LC-YJ-001"]}, "ALREADY_APPROVED", "已经审查同意"),
        ({"approved_on": "2024-11-01"}, "BEFORE_PROPOSAL", "早于事项的提请日期"),
        ({"list_id": "licheng-zone-list@2030-01-01"}, "UNKNOWN_LIST", "没有找到该清单"),
        ({"items": ["LC-CG-001"]}, "UNKNOWN_ITEM", "不含所选事项"),
        ({"approved_by": ""}, "INVALID_INPUT", "表单填写有误"),
    ]
    for given, code, sentence in cases:
        refused = approve(reviewer_on_fresh, **given)
        box = refused.text.split('id="refusal"', 1)[1].split("</div>", 1)[0]
        assert refused.status_code == 400 and code in box and sentence in box, (code, box)
    assert fresh_sample_graph.counts() == before and pending(fresh_sample_graph)


def test_an_approval_is_recorded_audited_like_the_api_write_and_never_twice(
    reviewer_on_fresh: Clerk, fresh_sample_graph: Any
) -> None:
    clerk = reviewer_on_fresh
    done = approve(clerk, note="同意纳入")
    assert done.status_code == 303, done.text[-1500:]
    html = clerk.page(done.headers["location"])
    [audit_id] = re.findall(r"审计记录 ([^）<\s]+)）", html)
    row = answer_part(html).split("LC-YJ-002", 1)[1].split("</tr>", 1)[0]
    assert "鲤城区城市管理和综合执法局" in row and "2025年6月10日" in row and "在用" in row
    [entry] = fresh_sample_graph.run(
        "MATCH (a:AuditEntry {id: $id}) RETURN a.actor AS actor, a.role AS role, "
        "a.action AS action, a.target AS target, a.source AS source, a.detail AS detail",
        id=audit_id,
    )
    assert (entry["actor"], entry["role"], entry["action"], entry["target"]) == (
        ACTORS["reviewer"],
        "reviewer",
        "approveZoneListItems",
        LIST_ID,
    )
    assert entry["source"].startswith("desk:approveZoneListItems") and "同意纳入" in entry["detail"]
    assert 'action="/zone-lists/approve"' not in html  # nothing is left to approve
    again = approve(clerk, items=[])
    assert again.status_code == 400 and "NOTHING_TO_APPROVE" in again.text
    twice = approve(clerk)
    assert twice.status_code == 400 and "ALREADY_APPROVED" in twice.text


def test_an_approval_without_the_csrf_token_changes_nothing(
    reviewer_on_fresh: Clerk, fresh_sample_graph: Any
) -> None:
    refused = approve(reviewer_on_fresh, csrf="")
    assert refused.status_code == 403 and "安全校验码" in refused.text
    assert pending(fresh_sample_graph)


@pytest.mark.parametrize("path", ["/duties", "/zone-lists"])
def test_both_pages_are_in_the_menu_chinese_and_reach_nothing_outside(
    viewer: Clerk, path: str
) -> None:
    home = viewer.page("/")
    assert f'href="{path}"' in home
    html = viewer.page(path)
    assert '<html lang="zh-CN">' in html and 'aria-current="page"' in html
    assert "http://" not in html and "https://" not in html


def test_a_region_limited_reviewer_is_offered_no_form_and_its_post_is_refused(
    sample_graph: Any,
) -> None:
    """The desk's write forms do not name their region yet (README, keys limited to regions)."""
    settings = desk_settings(sample_graph.settings)
    limited = ApiKey(
        name="区域审核",
        role="reviewer",
        key=SecretStr("limited-reviewer-key-01"),
        regions=["350502"],
    )
    settings = settings.model_copy(update={"api_keys": [*settings.api_keys, limited]})
    with TestClient(create_app(settings)) as client:
        clerk = Clerk(client)
        token = clerk.csrf("/sign-in")
        signed = client.post(
            "/sign-in", data={"key": "limited-reviewer-key-01", "csrf": token, "next": "/"}
        )
        assert signed.status_code == 200 and "区域审核 · 争议审核" in signed.text
        html = clerk.page("/zone-lists", **LICHENG)
        assert 'action="/zone-lists/approve"' not in html and "请通过接口" in html
        refused = approve(clerk)
        assert refused.status_code == 403 and "只能写入地区 350502" in refused.text
    assert pending(sample_graph)
