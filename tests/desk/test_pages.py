"""Every desk page and form through the ASGI app on the sample graph (data/sample/README.md)."""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from desk.assets import MANIFEST, vendor_files
from desk.previews import MAX_KEPT, MAX_PER_KEY, PreviewStore
from desk.session import COOKIE, Visit, desk_link, one_time_link
from desk.web import DeskError
from graphql_api.app import create_app
from queries.dispute_list import DisputeList, dispute_list
from queries.graph_generation import GraphGeneration
from tests.api.conftest import KEYS
from tests.desk.conftest import Clerk, desk_settings

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "catalogs" / "bad"
SUBJECT = re.compile(r'<div class="subject" id="subject">([^<]+)<')
HAIBIN = "350502003"


def subject(html: str) -> str | None:
    found = SUBJECT.search(html)
    return found.group(1) if found else None


# -- signing in ------------------------------------------------------------------------------


def test_a_stranger_is_sent_to_sign_in_and_comes_back_to_the_page_asked(stranger: Clerk) -> None:
    response = stranger.get("/authority", item="LC-CG-001", street=HAIBIN)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=/authority")
    token = stranger.csrf(response.headers["location"])
    back = stranger.client.post(
        "/sign-in",
        data={"key": KEYS["viewer"], "csrf": token, "next": "/authority?item=LC-CG-001"},
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == "/authority?item=LC-CG-001"
    cookie = back.headers["set-cookie"]
    assert COOKIE in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert KEYS["viewer"] not in cookie  # the cookie names the key by its digest only


def test_a_wrong_key_is_refused_in_chinese(stranger: Clerk) -> None:
    token = stranger.csrf("/sign-in")
    response = stranger.client.post("/sign-in", data={"key": "not-a-key-at-all", "csrf": token})
    assert response.status_code == 401
    assert "密钥无效" in response.text
    assert stranger.get("/authority").status_code == 303


def test_sign_in_never_sends_anyone_to_another_site(stranger: Clerk) -> None:
    token = stranger.csrf("/sign-in")
    response = stranger.client.post(
        "/sign-in",
        data={"key": KEYS["viewer"], "csrf": token, "next": "//evil.example/steal"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_form_without_the_sessions_csrf_token_is_refused(stranger: Clerk) -> None:
    stranger.page("/sign-in")  # has a session now, but sends no token
    response = stranger.client.post("/sign-in", data={"key": KEYS["viewer"]})
    assert response.status_code == 403 and "安全校验码" in response.text
    forged = stranger.client.post("/sign-in", data={"key": KEYS["viewer"], "csrf": "forged"})
    assert forged.status_code == 403
    assert stranger.get("/authority").status_code == 303  # still signed out


def test_signing_out_needs_the_token_and_ends_the_session(viewer: Clerk) -> None:
    assert viewer.client.post("/sign-out", data={"csrf": "x"}).status_code == 403
    token = viewer.csrf("/authority")
    out = viewer.client.post("/sign-out", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert viewer.get("/authority").status_code == 303


def test_anonymous_read_follows_the_apis_setting(sample_graph: Any) -> None:
    settings = desk_settings(sample_graph.settings, api_anonymous_read=True)
    with TestClient(create_app(settings)) as client:
        clerk = Clerk(client)
        html = clerk.page("/authority", item="LC-CG-001", street=HAIBIN, date="2025-07-01")
        assert subject(html) == "海滨街道"
        assert "匿名查阅" in html
        assert 'action="/disputes/decide"' not in clerk.page("/disputes", case="LC-2025-0006")
        assert clerk.get("/upload").status_code == 403


def test_a_one_time_link_signs_in_once(sample_graph: Any) -> None:
    settings = desk_settings(sample_graph.settings)
    link = one_time_link(settings, KEYS["admin"], "http://127.0.0.1:8000")
    path = link.removeprefix("http://127.0.0.1:8000")
    with TestClient(create_app(settings)) as client:
        first = client.get(path, follow_redirects=False)
        assert first.status_code == 303 and COOKIE in first.headers["set-cookie"]
        assert client.get("/authority", follow_redirects=False).status_code == 200
    with TestClient(create_app(settings)) as other:
        assert other.get(path[:-3] + "abc", follow_redirects=False).status_code == 401


def test_the_demo_prints_a_one_time_link_with_its_key_or_the_plain_address(
    sample_graph: Any,
) -> None:
    settings = desk_settings(sample_graph.settings)
    assert desk_link(settings, None, "127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    link = desk_link(settings, KEYS["admin"], "127.0.0.1", 8000)
    assert link.startswith("http://127.0.0.1:8000/sign-in/once?token=")
    assert KEYS["admin"] not in link


def test_a_used_one_time_link_is_refused(sample_graph: Any) -> None:
    settings = desk_settings(sample_graph.settings)
    path = one_time_link(settings, KEYS["admin"], "")
    with TestClient(create_app(settings)) as client:
        assert client.get(path, follow_redirects=False).status_code == 303
        client.cookies.clear()
        again = client.get(path, follow_redirects=False)
        assert again.status_code == 401 and "已使用过" in again.text


# -- 谁来执法 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "street", "day", "expected"),
    [  # data/sample/README.md, "Authority"
        ("LC-CG-004", "海滨街道", "2025-06-30", "海滨街道"),
        ("LC-CG-004", "海滨街道", "2025-07-01", "鲤城区城市管理和综合执法局"),
        ("LC-CG-004", "临江街道", "2025-07-01", "临江街道"),
        ("FY-ZH-001", "富春街道", "2022-01-01", "杭州市富阳区综合行政执法局"),
    ],
)
def test_the_authority_page_names_the_subject_of_the_sample(
    viewer: Clerk, item: str, street: str, day: str, expected: str
) -> None:
    html = viewer.page("/authority", item=item, street=street, date=day)
    assert subject(html) == expected


def test_the_authority_page_shows_the_evidence_as_a_person_reads_it(viewer: Clerk) -> None:
    html = viewer.page("/authority", item="LC-CG-004", street=HAIBIN, date="2025-07-01")
    assert "关于收回海滨街道部分行政处罚事项的通知" in html  # what ended the delegation
    assert "泉鲤政办〔2024〕25号" in html and "第5行" in html  # catalog, doc number, row
    assert "大型户外广告的设置必须征得" in html  # the basis article's text
    assert "第三十六条第一款第一项" in html and "条文未收录" in html  # cited, text not loaded
    assert "行政处罚由违法行为发生地的行政机关管辖" in html  # 行政处罚法 Art. 22 quoted


def test_a_matter_in_plain_words_lists_the_matching_items_of_the_streets_county(
    viewer: Clerk,
) -> None:
    html = viewer.page("/authority", matter="生活垃圾", street="海滨", date="2025-07-01")
    assert "对应多个执法事项" in html
    codes = re.findall(r"item=([A-Z]{2}-[A-Z]{2}-\d{3})", html)
    assert "LC-CG-001" in codes and all(code.startswith("LC-") for code in codes)
    assert subject(html) is None  # the clerk chooses; nothing is guessed


def test_an_everyday_word_finds_the_catalogs_wording_for_the_clerk_to_choose(
    viewer: Clerk,
) -> None:
    html = viewer.page("/authority", matter="占道经营", street="海滨街道", date="2025-07-01")
    assert "按常用说法找到以下事项" in html
    assert "item=LC-CG-006" in html and subject(html) is None


def test_words_that_name_nothing_say_so(viewer: Clerk) -> None:
    html = viewer.page("/authority", matter="飞碟降落", street="海滨街道")
    assert "没有找到与「飞碟降落」相符的执法事项" in html
    html = viewer.page("/authority", matter="生活垃圾", street="火星街道")
    assert "没有名称含「火星街道」的街道或乡镇" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"matter": "垃" * 101, "street": "海滨街道"}, "最多100个字"),
        ({"matter": "生活垃圾", "street": "海滨街道", "date": "2025-13-01"}, "应为 年-月-日"),
        ({"matter": "生活垃圾", "street": "海滨街道", "date": "'; DROP"}, "应为 年-月-日"),
        ({"matter": '"\\)(*', "street": "海滨街道"}, "没有找到"),
    ],
)
def test_hostile_input_is_refused_with_a_sentence(
    viewer: Clerk, params: dict[str, str], message: str
) -> None:
    html = viewer.page("/authority", **params)
    assert message in html


def test_the_print_view_records_the_day_asked_and_the_graphs_state(viewer: Clerk) -> None:
    html = viewer.page("/authority", item="LC-CG-004", street=HAIBIN, date="2025-07-01", print="1")
    assert "执法主体认定记录" in html and "2025年7月1日" in html
    assert re.search(r"登记库第 \d+ 次写入后的状态", html)
    assert 'class="menu"' not in html


def test_street_suggestions_show_the_county(viewer: Clerk) -> None:
    rows = viewer.get("/suggest/streets", q="海滨").json()
    assert {"value": "海滨街道", "code": HAIBIN, "county": "鲤城区"} in rows


# -- 覆盖缺口 -----------------------------------------------------------------------------------


def test_the_gap_page_has_a_heatmap_and_each_gap_with_rule_source_measure_and_fix(
    admin: Clerk,
) -> None:
    html = admin.page("/gaps", region="350502", date="2025-07-01")
    assert 'id="gap-table"' in html and 'id="gap-heatmap-data"' in html
    assert "min_legal_reviewers_per_zone" in html and "江南新区片区" in html
    assert "整改建议" in html and "实测 / 标准" in html
    assert "泉鲤政办〔2024〕25号" in html  # the policy's source document


def test_a_heatmap_cell_lists_its_gaps_only(admin: Clerk) -> None:
    html = admin.page(
        "/gaps",
        region="350502",
        date="2025-07-01",
        place="江南新区片区",
        rule="min_legal_reviewers_per_zone",
    )
    listed = html.split('id="list"', 1)[1]
    assert listed.count('<article class="answer gap">') == 1
    assert "每个联合执法片区至少确定一名法制审核工作人员" in listed


def test_the_gap_export_is_the_clis_workbook(admin: Clerk) -> None:
    response = admin.get("/gaps.xlsx", region="350502", date="2025-07-01")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    html = admin.page("/gaps", region="350502", date="2025-07-01")
    gaps = html.split('id="list"', 1)[1].count('<article class="answer gap">')
    # a title row (what, where, when: the print layout of authreg/export_files.py), the header
    # row, then one row per gap
    assert book.worksheets[0].max_row == gaps + 2


def test_viewers_never_see_officers_names_or_certificates(viewer: Clerk, admin: Clerk) -> None:
    for clerk, shown in ((admin, True), (viewer, False)):
        html = clerk.page("/gaps", region="350502", date="2025-07-01")
        assert ("林晓东" in html) is shown and ("35050220200202" in html) is shown
        book = clerk.get("/gaps.xlsx", region="350502", date="2025-07-01").content
        cells = " ".join(
            str(c.value)
            for ws in load_workbook(io.BytesIO(book))
            for r in ws.iter_rows()
            for c in r
        )
        assert ("林晓东" in cells) is shown
        roster = clerk.page("/notice", region="350502", date="2025-07-01", what="officers")
        assert ("何静" in roster) is shown
        chain = clerk.page("/chain", case="LC-2025-0005")
        assert ("曾志伟" in chain) is shown  # the chain's 执法监督 officer


# -- 争议处理 -----------------------------------------------------------------------------------


def test_an_open_dispute_shows_every_candidate_and_the_resolver(viewer: Clerk) -> None:
    listing = viewer.page("/disputes")
    assert "LC-D-2025-01" in listing and "待决" in listing
    html = viewer.page("/disputes", case="LC-2025-0006")
    assert "争议待决" in html and "本系统不作认定" in html
    assert "海滨街道" in html and "临江街道" in html
    assert "鲤城区城市管理和综合执法局" in html  # the resolver (LC-P-DISPUTE)
    assert "第二十五条" in html
    assert "记录决定需要争议审核权限" in html and 'action="/disputes/decide"' not in html


def test_a_viewer_cannot_decide(viewer: Clerk) -> None:
    token = viewer.csrf("/authority")
    response = viewer.client.post(
        "/disputes/decide",
        data={"csrf": token, "dispute": "LC-D-2025-01", "decided_for": HAIBIN, "basis": "x"},
    )
    assert response.status_code == 403 and "争议审核" in response.text


def test_a_decision_without_the_csrf_token_changes_nothing(reviewer_on_fresh: Clerk) -> None:
    response = reviewer_on_fresh.client.post(
        "/disputes/decide",
        data={
            "dispute": "LC-D-2025-01",
            "decided_for": "350502004",
            "basis": "会商纪要",
            "decided_by": "鲤城区城市管理和综合执法局",
        },
    )
    assert response.status_code == 403
    assert "争议待决" in reviewer_on_fresh.page("/disputes", case="LC-2025-0006")


def test_a_recorded_decision_becomes_a_precedent_the_authority_answer_cites(
    reviewer_on_fresh: Clerk,
) -> None:
    clerk = reviewer_on_fresh
    token = clerk.csrf("/disputes?case=LC-2025-0006")
    response = clerk.client.post(
        "/disputes/decide",
        data={
            "csrf": token,
            "case": "LC-2025-0006",
            "dispute": "LC-D-2025-01",
            "decided_for": "350502004",
            "basis": "经现场核实，违法行为发生在临江街道辖区（会商纪要2025-05-20）",
            "decided_by": "鲤城区城市管理和综合执法局",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-1500:]
    html = clerk.page(response.headers["location"])
    assert "决定已记录" in html and "争议已决定" in html
    answer = clerk.page("/authority", item="LC-CG-001", street=HAIBIN, date="2025-05-12")
    precedents = answer.split("争议决定先例", 1)[1]
    assert "LC-D-2025-01" in precedents and "临江街道" in precedents
    assert "会商纪要2025-05-20" in precedents
    assert "由临江街道管辖" in precedents  # the decision names the street, not its code


def test_a_decision_is_never_overwritten(reviewer_on_fresh: Clerk) -> None:
    clerk = reviewer_on_fresh
    form = {
        "case": "LC-2025-0006",
        "dispute": "LC-D-2025-01",
        "basis": "会商纪要",
        "decided_by": "鲤城区城市管理和综合执法局",
    }
    token = clerk.csrf("/disputes?case=LC-2025-0006")
    first = {**form, "csrf": token, "decided_for": "350502004"}
    assert (
        clerk.client.post("/disputes/decide", data=first, follow_redirects=False).status_code == 303
    )
    second = {**form, "csrf": token, "decided_for": HAIBIN}
    refused = clerk.client.post("/disputes/decide", data=second)
    assert refused.status_code == 400 and "未能记录决定" in refused.text


# -- the other pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("/basis", {"item": "LC-CG-001"}, "第一百一十一条"),
        (
            "/basis",
            {"document": "中华人民共和国固体废物污染环境防治法", "article": "111"},
            "LC-CG-001",
        ),
        ("/matrix", {"region": "350502", "date": "2025-07-01"}, 'id="matrix-data"'),
        ("/diff", {"region": "350502", "start": "2025-02-28", "end": "2025-03-01"}, "LC-SC-005"),
        ("/chain", {"item": "LC-CG-001", "street": "海滨街道", "date": "2025-07-01"}, "片区"),
        ("/cases", {"case": "LC-2025-0002"}, "主体不适格"),
        (  # README "Transfers": 0002, 0003, 0005, 0006 and 0008 overdue on 2025-06-20
            "/cases",
            {"region": "峨山彝族自治县", "now": "2025-06-20T09:00"},
            "<strong>5</strong> 件超期",
        ),
        ("/notice", {"region": "350502", "date": "2025-07-01"}, "老城区"),
        (  # data/sample/README.md: Licheng 2025, 15 months unused ≥ 12 (LC-P-EVALUATION)
            "/reports",
            {"what": "evaluation", "region": "350502", "start": "2025-01-01", "end": "2025-12-31"},
            "建议评估收回",
        ),
        (  # Eshan's matters judged at 2025-11-10 09:00: ES-M-2025-02 never handed on
            "/reports",
            {"what": "first-contact", "region": "530426", "now": "2025-11-10T09:00"},
            "ES-M-2025-02",
        ),
        ("/reports", {"what": "law-changes", "region": "350502"}, "需通知 0 个单位"),
        (  # data/sample/README.md: 富春街道's team 超编 from 2022-03-01 (fuyang/staffing.yaml)
            "/reports",
            {"what": "staffing", "region": "330111", "date": "2022-06-01"},
            "超编",
        ),
        (  # the 福建省 guide list: rows Licheng does not take up
            "/reports",
            {"what": "guide-uptake", "region": "福建省", "date": "2025-08-01"},
            "未承接的指导事项",
        ),
    ],
)
def test_each_page_answers_its_form(
    viewer: Clerk, path: str, params: dict[str, str], expected: str
) -> None:
    html = viewer.page(path, **params)
    assert expected in html
    assert 'class="problem"' not in html.split("<main>", 1)[1].split("<h2", 1)[0]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/authority",
        "/basis",
        "/gaps",
        "/matrix",
        "/diff",
        "/chain",
        "/disputes",
        "/cases",
        "/reports",
        "/notice",
    ],
)
def test_every_page_is_chinese_has_the_menu_and_reaches_nothing_outside(
    viewer: Clerk, path: str
) -> None:
    html = viewer.page(path)
    assert '<html lang="zh-CN">' in html and 'class="menu"' in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html


def test_the_certificate_report_names_officers_only_to_those_who_may_see_them(
    viewer: Clerk, editor: Clerk
) -> None:
    """Wuchang on 2027-01-15 (data/sample/README.md): 马俊's certificate ends 2027-02-28, within
    the 90-day notice of WC-P-CERT-NOTICE, and he is posted for a domain it does not cover."""
    form = {"what": "certificates", "region": "420106", "date": "2027-01-15"}
    shown, hidden = editor.page("/reports", **form), viewer.page("/reports", **form)
    assert "到期提醒" in shown and "马俊" in shown
    assert "到期提醒" in hidden and "马俊" not in hidden and "（已隐藏）" in hidden


def test_a_report_the_desk_does_not_have_is_named_with_the_ones_it_has(viewer: Clerk) -> None:
    html = viewer.page("/reports", what="no-such-report", region="350502")
    assert "没有名为「no-such-report」的报告" in html and "evaluation" in html
    bad_day = viewer.page("/reports", what="evaluation", region="350502", end="2025-13-40")
    assert "评估截止日期" in bad_day and 'class="problem"' in bad_day


def test_the_upload_page_is_for_editors(viewer: Clerk, editor: Clerk) -> None:
    assert viewer.get("/upload").status_code == 403
    assert "目录上传" in editor.page("/upload")
    assert 'href="/upload"' not in viewer.page("/")


def test_the_desks_files_are_pinned_and_served_by_the_app(viewer: Clerk) -> None:
    assert "echarts.min.js" in vendor_files(MANIFEST)
    assert viewer.get("/desk-static/desk.css").status_code == 200
    css = viewer.get("/desk-static/desk.css").text
    for font in ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "SimSun"):
        assert font in css
    assert "@media print" in css


# -- 目录上传 -----------------------------------------------------------------------------------

LICHENG_2025 = REPO / "data" / "sample" / "licheng" / "licheng-2025.csv"
UPLOAD_FORM = {
    "effective": "2025-03-01",
    "title": "鲤城区街道综合执法赋权事项目录(2025年调整)",
    "kind": "县级赋权清单",
    "region": "350502",
    "streets": "all",
    "mode": "赋权",
}


def test_an_editor_checks_a_catalog_without_loading_it(editor: Clerk, sample_graph: Any) -> None:
    before = sample_graph.counts()
    token = editor.csrf("/upload")
    response = editor.client.post(
        "/upload",
        data={**UPLOAD_FORM, "csrf": token, "action": "check"},
        files={"file": ("licheng-2025.csv", LICHENG_2025.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200
    assert "无错误" in response.text and "共读取 18 行" in response.text
    assert sample_graph.counts() == before


def test_a_broken_catalog_is_reported_where_a_spreadsheet_user_finds_it(editor: Clerk) -> None:
    token = editor.csrf("/upload")
    response = editor.client.post(
        "/upload",
        data={**UPLOAD_FORM, "csrf": token},
        files={"file": ("two.csv", (BAD / "two_item_name_columns.csv").read_bytes(), "text/csv")},
    )
    assert response.status_code == 200
    assert "处错误，未载入任何内容" in response.text


def test_an_upload_without_the_token_or_by_a_viewer_is_refused(
    editor: Clerk, viewer: Clerk
) -> None:
    files = {"file": ("licheng-2025.csv", LICHENG_2025.read_bytes(), "text/csv")}
    assert editor.client.post("/upload", data=UPLOAD_FORM, files=files).status_code == 403
    token = viewer.csrf("/authority")
    refused = viewer.client.post("/upload", data={**UPLOAD_FORM, "csrf": token}, files=files)
    assert refused.status_code == 403


def test_a_loaded_second_delegation_shows_as_a_conflict_never_an_answer(
    fresh_sample_graph: Any,
) -> None:
    """An editor loads a 委托 list for 海滨街道 from another series (uploaded through the desk);
    LC-CG-001 then has two delegations in force there, and the answer is a red conflict."""
    entrust = (
        "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注\n"
        "1,LC-CG-001,对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚,行政处罚,"
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项,"
        "鲤城区城市管理和综合执法局,城市管理,\n"
    )
    form = {
        "effective": "2025-04-01",
        "title": "海滨街道委托执法事项(测试)",
        "kind": "县级赋权清单",
        "region": "350502",
        "streets": "海滨街道",
        "mode": "委托",
    }
    with TestClient(create_app(desk_settings(fresh_sample_graph.settings))) as client:
        editor = Clerk(client)
        assert editor.sign_in("editor").status_code == 303
        previewed = post_upload(editor, form, "haibin-entrust.csv", entrust.encode())
        loaded = confirm(editor, previewed, "confirm")
        assert "已载入" in loaded, loaded[-2000:]
        html = editor.page("/authority", item="LC-CG-001", street=HAIBIN, date="2025-05-01")
    box = html.split('class="warn-box"', 1)[1].split("</div>", 1)[0]
    assert "冲突：不能直接认定执法主体" in box
    assert "海滨街道" in box and "鲤城区城市管理和综合执法局" in box  # both candidates
    assert "争议协调机关" in box and "LC-P-DISPUTE" in box  # and who settles it
    assert subject(html) is None


def test_without_the_vendored_charts_the_pages_keep_their_tables(
    admin: Clerk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desk.web.charts_present", lambda: False)  # as before `make desk-assets`
    html = admin.page("/gaps", region="350502", date="2025-07-01")
    assert "echarts.min.js" not in html and 'id="gap-heatmap"' not in html
    assert 'id="gap-table"' in html and 'class="answer gap"' in html


def test_the_dispute_list_puts_open_disputes_first_and_an_empty_graph_has_none(
    graph: Any,
) -> None:
    assert graph.read(dispute_list) == DisputeList(total=0)


def test_the_dispute_list_of_the_sample(sample_graph: Any) -> None:
    found = sample_graph.read(dispute_list)
    assert found.total == 1
    [row] = found.disputes
    assert (row.id, row.status, row.case) == ("LC-D-2025-01", "待决", "LC-2025-0006")
    assert row.item is not None and row.item.code == "LC-CG-001"
    assert row.street is not None and row.street.name == "海滨街道"


# -- 目录上传: the preview, then 确认载入 or 放弃 ---------------------------------------------------

TOKEN = re.compile(r'name="token" value="([^"]+)"')
# A notice withdrawing LC-CG-001 from 海滨街道 from 2025-05-01; LC-2025-0006 (案源, LC-CG-001,
# 海滨街道) is open.
WITHDRAW_CG_001 = (
    "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注\n"
    "1,LC-CG-001,对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚,行政处罚,"
    "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项,"
    "鲤城区城市管理和综合执法局,城市管理,收回海滨街道行使\n"
).encode()
WITHDRAWAL_FORM = {
    "effective": "2025-05-01",
    "title": "关于收回海滨街道生活垃圾处罚事项的通知(测试)",
    "kind": "收回通知",
    "region": "350502",
    "streets": "海滨街道",
    "mode": "赋权",
}


def post_upload(clerk: Clerk, form: dict[str, str], name: str, content: bytes) -> str:
    """Upload → the check report and the preview; the page's HTML."""
    response = clerk.client.post(
        "/upload",
        data={**form, "csrf": clerk.csrf("/upload")},
        files={"file": (name, content, "text/csv")},
    )
    assert response.status_code == 200, response.text[-2000:]
    return response.text


def confirm(clerk: Clerk, previewed: str, action: str, **change: str) -> str:
    found = TOKEN.search(previewed)
    assert found, previewed[-3000:]
    data = {"csrf": clerk.csrf("/upload"), "token": found.group(1), "action": action} | change
    response = clerk.client.post("/upload/confirm", data=data)
    assert response.status_code == 200, response.text[-2000:]
    return response.text


def section(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"', 1)[1].split("</table>", 1)[0]


def test_the_preview_shows_the_withdrawal_the_gap_it_opens_and_the_open_case_it_touches(
    editor: Clerk, sample_graph: Any
) -> None:
    before = sample_graph.counts()
    html = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    assert "无错误" in html and "载入预览" in html
    ended = section(html, "preview-ended")
    assert "海滨街道" in ended and "LC-CG-001" in ended and "鲤城区城市管理和综合执法局" in ended
    assert 'id="preview-started"' not in html
    opened = section(html, "preview-gaps-appeared")
    assert "海滨街道" in opened and "LC-CG-001" in opened
    cases = section(html, "preview-cases")
    assert "LC-2025-0006" in cases
    assert "海滨街道 → <strong>鲤城区城市管理和综合执法局</strong>" in cases
    assert 'id="confirm"' in html and 'id="discard"' in html
    assert sample_graph.counts() == before


def test_confirming_loads_the_previewed_file_and_the_authority_answer_changes(
    fresh_sample_graph: Any,
) -> None:
    with TestClient(create_app(desk_settings(fresh_sample_graph.settings))) as client:
        editor = Clerk(client)
        assert editor.sign_in("editor").status_code == 303
        asked = {"item": "LC-CG-001", "street": HAIBIN, "date": "2025-06-01"}
        assert subject(editor.page("/authority", **asked)) == "海滨街道"
        previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
        loaded = confirm(editor, previewed, "confirm")
        assert "已载入" in loaded and "1 / 1" in loaded, loaded[-2000:]
        assert subject(editor.page("/authority", **asked)) == "鲤城区城市管理和综合执法局"
        again = confirm(editor, previewed, "confirm")  # the token was used: never loaded twice
        assert "找不到这次预览" in again


def test_discarding_a_preview_loads_nothing(editor: Clerk, sample_graph: Any) -> None:
    before = sample_graph.counts()
    previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    assert 'id="discarded"' in confirm(editor, previewed, "discard")
    assert "找不到这次预览" in confirm(editor, previewed, "confirm")
    assert sample_graph.counts() == before


def test_a_preview_is_confirmed_only_in_the_session_that_made_it(
    editor: Clerk, sample_graph: Any
) -> None:
    before = sample_graph.counts()
    previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    with TestClient(create_app(desk_settings(sample_graph.settings))) as client:
        other = Clerk(client)
        assert other.sign_in("editor").status_code == 303
        assert "不属于当前会话" in confirm(other, previewed, "confirm")
    assert sample_graph.counts() == before


def test_a_confirmation_without_the_token_or_by_a_viewer_is_refused(
    editor: Clerk, viewer: Clerk, sample_graph: Any
) -> None:
    before = sample_graph.counts()
    previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    [token] = TOKEN.findall(previewed)
    data = {"token": token, "action": "confirm"}
    assert editor.client.post("/upload/confirm", data=data).status_code == 403
    with_csrf = data | {"csrf": viewer.csrf("/authority")}
    assert viewer.client.post("/upload/confirm", data=with_csrf).status_code == 403
    assert sample_graph.counts() == before


def test_a_confirmation_after_the_graph_changed_loads_nothing(fresh_sample_graph: Any) -> None:
    with TestClient(create_app(desk_settings(fresh_sample_graph.settings))) as client:
        editor = Clerk(client)
        assert editor.sign_in("editor").status_code == 303
        previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
        other = post_upload(editor, UPLOAD_FORM, "licheng-2025.csv", LICHENG_2025.read_bytes())
        assert "已载入" in confirm(editor, other, "confirm")  # someone loads in between
        before = fresh_sample_graph.counts()
        refused = confirm(editor, previewed, "confirm")
        assert "登记库在预览之后已有变动" in refused and "已载入" not in refused
        assert fresh_sample_graph.counts() == before


def test_a_kept_file_that_changed_or_expired_is_refused(
    editor: Clerk, sample_graph: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sample_graph.counts()
    previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    [token] = TOKEN.findall(previewed)
    (PreviewStore().folder / token / "upload").write_bytes(WITHDRAW_CG_001 + b"2,LC-CG-002\n")
    assert "与预览时的文件不一致" in confirm(editor, previewed, "confirm")
    previewed = post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
    monkeypatch.setattr("desk.previews.PREVIEW_MAX_AGE_S", -1)
    assert "预览已超过" in confirm(editor, previewed, "confirm")
    assert sample_graph.counts() == before


def test_the_kept_previews_are_bounded_in_number(tmp_path: Path) -> None:
    store = PreviewStore(tmp_path / "kept")
    staged = tmp_path / "haibin-withdrawal.csv"
    staged.write_bytes(WITHDRAW_CG_001)
    # Each a different editor's (one key keeps at most MAX_PER_KEY: see the test below).
    visits = [
        Visit(caller=None, csrf=f"session-{n}", digest=f"key-{n}") for n in range(MAX_KEPT + 5)
    ]
    tokens = [
        store.keep(staged, visit=visit, form={}, generation=GraphGeneration(generation=1))
        for visit in visits
    ]
    assert len(list(store.folder.iterdir())) == MAX_KEPT
    assert store.take(tokens[-1], visits[-1]).sha256 == hashlib.sha256(WITHDRAW_CG_001).hexdigest()
    with pytest.raises(DeskError, match="找不到这次预览"):
        store.take(tokens[0], visits[0])  # the oldest went first


def test_a_preview_without_a_region_says_its_gaps_were_not_computed(
    editor: Clerk, sample_graph: Any
) -> None:
    """Review item 8: with no region in the metadata no gap is computed; the page must say so,
    never that loading would open or close none."""
    form = {k: v for k, v in WITHDRAWAL_FORM.items() if k not in ("region", "streets")}
    html = post_upload(editor, form | {"kind": "县级赋权清单"}, "no-region.csv", WITHDRAW_CG_001)
    assert "载入预览" in html, html[-3000:]
    assert 'id="gaps-not-computed"' in html and "未计算覆盖缺口" in html
    assert 'id="no-gap-change"' not in html and "载入不会新增或消除覆盖缺口" not in html


def test_healthz_answers_while_a_preview_waits_on_the_graph(
    editor: Clerk, sample_graph: Any
) -> None:
    """Review item 3: the preview is sync graph work; held open by a real lock on the delegation
    it ends (another transaction writing it), /healthz still answers meanwhile."""
    previewed: list[str] = []
    with sample_graph.driver.session(database=sample_graph.settings.neo4j_database) as session:
        holder = session.begin_transaction()
        holder.run(
            "MATCH (d:Delegation)-[:TO]->(:Street {code: $street}), "
            "(d)-[:OF]->(:EnforcementItem {code: 'LC-CG-001'}) SET d.held_by_test = true",
            street=HAIBIN,
        ).consume()
        try:
            uploading = threading.Thread(
                target=lambda: previewed.append(
                    post_upload(editor, WITHDRAWAL_FORM, "haibin-withdrawal.csv", WITHDRAW_CG_001)
                )
            )
            uploading.start()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not _preview_blocked(sample_graph):
                time.sleep(0.5)
            assert _preview_blocked(sample_graph), "the preview never reached the held lock"
            answered: list[int] = []
            asking = threading.Thread(
                target=lambda: answered.append(editor.client.get("/healthz").status_code)
            )
            asking.start()
            asking.join(timeout=30)
            assert answered == [200]  # before the preview could finish
            assert not previewed
        finally:
            holder.rollback()
    uploading.join(timeout=300)
    assert previewed and "载入预览" in previewed[0]


def _preview_blocked(graph: Any) -> bool:
    with graph.driver.session(database=graph.settings.neo4j_database) as session:
        rows = session.run(
            "SHOW TRANSACTIONS YIELD metaData, status "
            "WHERE metaData.query = 'preview_catalog' RETURN status"
        ).value()
    return any(str(status).startswith("Blocked") for status in rows)


def test_one_key_cannot_evict_the_previews_of_another(tmp_path: Path) -> None:
    """Review item 9: at most MAX_PER_KEY previews per key (over all its sessions); its own
    oldest go first, another editor's preview stays."""
    store = PreviewStore(tmp_path / "kept")
    staged = tmp_path / "haibin-withdrawal.csv"
    staged.write_bytes(WITHDRAW_CG_001)
    generation = GraphGeneration(generation=1)
    other = Visit(caller=None, csrf="other-session", digest="other-key")
    theirs = store.keep(staged, visit=other, form={}, generation=generation)
    busy = [Visit(caller=None, csrf=f"session-{n}", digest="busy-key") for n in range(3)]
    mine = [
        store.keep(staged, visit=busy[n % 3], form={}, generation=generation)
        for n in range(MAX_PER_KEY + 5)
    ]
    assert len(list(store.folder.iterdir())) == MAX_PER_KEY + 1
    assert store.take(theirs, other).name == "haibin-withdrawal.csv"
    with pytest.raises(DeskError, match="找不到这次预览"):
        store.take(mine[0], busy[0])  # the busy key's own oldest went first
    assert store.take(mine[-1], busy[(MAX_PER_KEY + 4) % 3]).name == "haibin-withdrawal.csv"


@pytest.mark.parametrize("mode", [0o755, 0o777])
def test_a_preview_folder_others_can_reach_is_refused(tmp_path: Path, mode: int) -> None:
    """Review item 9: a folder found with group/other access (e.g. made by someone else in the
    shared temp directory) is never used; the store keeps nothing in it."""
    folder = tmp_path / "kept"
    folder.mkdir()
    folder.chmod(mode)
    staged = tmp_path / "haibin-withdrawal.csv"
    staged.write_bytes(WITHDRAW_CG_001)
    visit = Visit(caller=None, csrf="a-session-token")
    with pytest.raises(DeskError, match="不是本服务用户独有"):
        PreviewStore(folder).keep(
            staged, visit=visit, form={}, generation=GraphGeneration(generation=1)
        )
    assert list(folder.iterdir()) == []
    assert PreviewStore(tmp_path / "new").folder.name == "new"
    created = PreviewStore(tmp_path / "new")
    created.keep(staged, visit=visit, form={}, generation=GraphGeneration(generation=1))
    assert created.folder.stat().st_mode & 0o777 == 0o700
