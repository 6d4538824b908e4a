"""The desk in a real browser (headless Debian chromium): the clerks' journeys, end to end.

The app is served by uvicorn on a free loopback port against the session's Neo4j; every test
checks that the page logged no console error and that no request left 127.0.0.1. A screenshot
of each page is kept in tests/desk/artefacts/ (git-ignored). Without chromium and chromedriver
the tests skip, saying why (CI installs both: .ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from authreg.local_db import free_port
from graphql_api.app import create_app
from queries.working_days import CHINA_TZ
from tests.api.conftest import KEYS
from tests.desk.conftest import desk_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
WAIT_S = 120  # two shared cores: a report page may take a while

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and os.environ.get("CI"):
    # CI installs both (.ci/run): a CI run that would skip the browser journeys fails instead.
    raise RuntimeError(f"CI must run the browser tests: {CHROMIUM} or {CHROMEDRIVER} is missing")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        f"browser tests need {CHROMIUM} and {CHROMEDRIVER} "
        "(apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402 - only with a browser to drive
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ready  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Served:
    """uvicorn in a thread, serving the app until the module's tests are done."""

    def __init__(self, settings: Any) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise AssertionError("uvicorn did not start within 60 s")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def served(neo4j_settings: Any, session_driver: Any) -> Iterator[Served]:
    with Served(desk_settings(neo4j_settings)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[WebDriver]:
    profile = tempfile.mkdtemp(prefix="desk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1366,768",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    ARTEFACTS.mkdir(exist_ok=True)
    try:
        _sign_in(driver, served)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def desk(browser: WebDriver, served: Served) -> Iterator[Desk]:
    """The signed-in browser; after the test, no console error and nothing fetched elsewhere."""
    browser.get_log("browser")  # start each test with empty logs
    browser.get_log("performance")
    page = Desk(browser, served)
    yield page
    page.assert_clean()


class Desk:
    def __init__(self, driver: WebDriver, served: Served) -> None:
        self.driver, self.served = driver, served

    def open(self, path: str) -> None:
        self.driver.get(self.served.base + path)
        self.wait_for(By.CSS_SELECTOR, "footer")

    def wait_for(self, how: str, what: str) -> Any:
        return WebDriverWait(self.driver, WAIT_S).until(
            ready.presence_of_element_located((how, what))
        )

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def subject(self) -> str:
        return self.driver.find_element(By.ID, "subject").text.splitlines()[0]

    def set_date(self, name: str, value: date) -> None:
        """A date input's value as a clerk's picker sets it (typing depends on the locale)."""
        field = self.driver.find_element(By.NAME, name)
        self.driver.execute_script("arguments[0].value = arguments[1]", field, value.isoformat())

    def submit(self, form_action: str) -> None:
        self.follow(
            self.driver.find_element(
                By.CSS_SELECTOR, f"form[action='{form_action}'] button[type=submit]"
            )
        )

    def follow(self, element: Any, then: str = "footer") -> None:
        """Click a link or button and wait for the page it leads to.

        The page being left has a footer too: waiting only for one may read the old page,
        or none mid-navigation, so first wait until the old page is gone.
        """
        leaving = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, WAIT_S).until(lambda _: _gone(leaving))
        self.wait_for(By.CSS_SELECTOR, then)

    def shot(self, name: str) -> Path:
        """A full-page screenshot at 1366 px wide."""
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1366, max(768, min(int(height), 4000)))
        path = ARTEFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1366, 768)
        return path

    def assert_clean(self) -> None:
        errors = [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        outside = [url for url in self._requested() if not self._local(url)]
        assert not outside, outside
        resources = self.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        assert all(self._local(url) for url in resources), resources

    def _requested(self) -> list[str]:
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def _local(self, url: str) -> bool:
        return url.startswith((self.served.base + "/", "data:", "about:blank"))


def _gone(element: Any) -> bool:
    """Whether a page's element has left the document. Chromium may say so as an inspector
    error ("Node with given id does not belong to the document") rather than a stale reference,
    seen after a form POSTed to the address of the page being left."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


def _sign_in(driver: WebDriver, served: Served) -> None:
    driver.get(served.base + "/sign-in")
    driver.find_element(By.NAME, "key").send_keys(KEYS["admin"])
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click()
    WebDriverWait(driver, WAIT_S).until(ready.url_to_be(served.base + "/"))


# -- journeys ---------------------------------------------------------------------------------


def test_who_enforces_a_matter_in_a_street_today(desk: Desk, sample_graph: Any) -> None:
    desk.open("/")
    desk.shot("00-home")
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "谁来执法"))
    desk.driver.find_element(By.NAME, "matter").send_keys("占道经营")
    street = desk.driver.find_element(By.NAME, "street")
    street.send_keys("海滨")
    suggestion = WebDriverWait(desk.driver, WAIT_S).until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, ".suggest li"))
    )
    assert "鲤城区" in suggestion.text  # the county is shown while typing
    suggestion.click()
    assert street.get_attribute("value") == "350502003"
    shown = desk.driver.find_element(By.NAME, "date").get_attribute("value")
    assert shown == datetime.now(CHINA_TZ).date().isoformat()  # today, China time, by default
    desk.submit("/authority")
    assert "按常用说法找到以下事项" in desk.text()
    desk.shot("01-authority-choices")
    desk.follow(desk.driver.find_element(By.PARTIAL_LINK_TEXT, "摆摊设点"))
    assert "LC-CG-006" in desk.text() and "法律依据" in desk.text()
    assert desk.subject()  # named, with the evidence below it
    desk.shot("02-authority-today")


def test_who_enforced_it_on_a_past_day_and_the_print_view(desk: Desk, sample_graph: Any) -> None:
    desk.open("/authority?item=LC-CG-004&street=350502003")
    for day, expected in (
        (date(2025, 6, 30), "海滨街道"),
        (date(2025, 7, 1), "鲤城区城市管理和综合执法局"),
    ):
        desk.set_date("date", day)
        desk.driver.find_element(By.NAME, "matter").clear()
        desk.driver.find_element(By.NAME, "matter").send_keys("LC-CG-004")
        desk.submit("/authority")
        assert desk.subject() == expected, day
    assert "关于收回海滨街道部分行政处罚事项的通知" in desk.text()
    desk.shot("03-authority-past-day")
    desk.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:  # printed from the page itself: the answer without menus and forms
        assert not desk.driver.find_element(By.CSS_SELECTOR, "nav.menu").is_displayed()
        assert not desk.driver.find_element(By.CSS_SELECTOR, "form.ask").is_displayed()
        assert desk.driver.find_element(By.ID, "subject").is_displayed()
        desk.shot("03b-authority-printed")
    finally:
        desk.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "打印（案卷用）"), then="h1")
    assert "执法主体认定记录" in desk.text() and "2025年7月1日" in desk.text()
    desk.shot("04-authority-print")


def test_a_conflict_is_shown_with_both_candidates_and_the_resolver(
    desk: Desk, sample_graph: Any
) -> None:
    desk.open("/disputes")
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "LC-D-2025-01"))
    box = desk.wait_for(By.CSS_SELECTOR, ".warn-box")
    assert "争议待决" in box.text
    assert box.value_of_css_property("border-top-color") == "rgba(179, 38, 30, 1)"  # red
    body = desk.text()
    assert "海滨街道" in body and "临江街道" in body and "鲤城区城市管理和综合执法局" in body
    desk.shot("05-dispute-open")


def test_a_countys_gap_heatmap_and_a_clicked_cell(desk: Desk, sample_graph: Any) -> None:
    desk.open("/gaps")
    Select(desk.driver.find_element(By.NAME, "region")).select_by_value("350502")
    desk.set_date("date", date(2025, 7, 1))
    desk.submit("/gaps")
    chart = desk.wait_for(By.CSS_SELECTOR, "#gap-heatmap svg")
    desk.shot("06-gaps-heatmap")
    desk.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    x, y = desk.driver.execute_script(
        """
        const data = JSON.parse(document.getElementById('gap-heatmap-data').textContent);
        const chart = echarts.getInstanceByDom(document.getElementById('gap-heatmap'));
        const cell = data.cells.find(c => data.places[c[1]] === '江南新区片区'
                                         && data.rules[c[0]] === 'min_legal_reviewers_per_zone');
        return chart.convertToPixel({seriesIndex: 0}, [cell[0], cell[1]]);
        """
    )
    size = chart.size
    ActionChains(desk.driver).move_to_element_with_offset(
        chart, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()
    WebDriverWait(desk.driver, WAIT_S).until(ready.url_contains("rule=min_legal_reviewers"))
    desk.wait_for(By.ID, "list")
    listed = desk.driver.find_elements(By.CSS_SELECTOR, "article.gap")
    assert len(listed) == 1 and "法制审核" in listed[0].text
    desk.shot("07-gaps-cell")


def test_a_reviewer_decides_a_dispute_and_the_authority_answer_cites_it(
    desk: Desk, fresh_sample_graph: Any
) -> None:
    desk.open("/disputes?case=LC-2025-0006")
    Select(desk.driver.find_element(By.NAME, "decided_for")).select_by_visible_text("临江街道")
    desk.driver.find_element(By.NAME, "basis").send_keys("经现场核实，违法行为发生在临江街道辖区。")
    desk.submit("/disputes/decide")
    assert "决定已记录" in desk.text()
    desk.shot("08-dispute-decided")
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "查看引用本决定的执法主体认定"))
    precedents = desk.text().split("争议决定先例", 1)[1]
    assert "LC-D-2025-01" in precedents and "临江街道" in precedents
    assert "经现场核实" in precedents
    desk.shot("09-authority-cites-precedent")


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        ("10-basis", "/basis?item=LC-CG-001", "第一百一十一条"),
        (
            "11-impact",
            "/basis?document=中华人民共和国固体废物污染环境防治法&article=111",
            "LC-CG-001",
        ),
        ("12-matrix", "/matrix?region=350502&date=2025-07-01", "事项 × 街道"),
        ("13-diff", "/diff?region=350502&start=2025-02-28&end=2025-03-01", "LC-SC-005"),
        ("14-chain", "/chain?item=LC-CG-001&street=海滨街道&date=2025-07-01", "片区"),
        ("15-case", "/cases?case=LC-2025-0002", "主体不适格"),
        ("16-transfers", "/cases?region=峨山彝族自治县&now=2025-06-20T09:00", "ES-T-0008"),
        ("17-notice", "/notice?region=350502&date=2025-07-01", "老城区"),
        ("18-upload", "/upload", "目录文件"),
        (
            "24-report-evaluation",
            "/reports?what=evaluation&region=350502&start=2025-01-01&end=2025-12-31",
            "建议评估收回",
        ),
        (
            "25-report-first-contact",
            "/reports?what=first-contact&region=530426&now=2025-11-10T09:00",
            "ES-M-2025-02",
        ),
        (
            "26-report-certificates",
            "/reports?what=certificates&region=420106&date=2027-01-15",
            "到期提醒",
        ),
    ],
)
def test_every_page_in_the_browser(
    desk: Desk, sample_graph: Any, name: str, path: str, expected: str
) -> None:
    desk.open(path)
    assert expected in desk.text()
    if name in ("12-matrix", "14-chain"):
        desk.wait_for(By.CSS_SELECTOR, ".chart svg")
    desk.shot(name)


def test_a_matrix_cell_opens_its_authority_answer(desk: Desk, sample_graph: Any) -> None:
    desk.open("/matrix?region=350502&date=2025-07-01")
    desk.follow(
        desk.driver.find_element(
            By.CSS_SELECTOR, "a[href*='item=LC-CG-004'][href*='street=350502003']"
        )
    )
    assert desk.subject() == "鲤城区城市管理和综合执法局"


def test_an_upload_that_makes_a_conflict_shows_it_in_red(
    desk: Desk, fresh_sample_graph: Any, tmp_path: Path
) -> None:
    catalog = tmp_path / "haibin-entrust.csv"
    catalog.write_text(
        "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注\n"
        "1,LC-CG-001,对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚,行政处罚,"
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项,"
        "鲤城区城市管理和综合执法局,城市管理,\n",
        encoding="utf-8",
    )
    desk.open("/upload")
    desk.driver.find_element(By.NAME, "file").send_keys(str(catalog))
    desk.set_date("effective", date(2025, 4, 1))
    desk.driver.find_element(By.NAME, "title").send_keys("海滨街道委托执法事项(测试)")
    Select(desk.driver.find_element(By.NAME, "kind")).select_by_visible_text("县级赋权清单")
    desk.driver.find_element(By.NAME, "region").send_keys("350502")
    desk.driver.find_element(By.NAME, "streets").send_keys("海滨街道")
    Select(desk.driver.find_element(By.NAME, "mode")).select_by_visible_text("委托")
    desk.follow(desk.driver.find_element(By.ID, "check"), then="#confirm")
    assert "无错误" in desk.text() and "载入预览" in desk.text()
    started = desk.driver.find_element(By.ID, "preview-started").text
    assert "海滨街道" in started and "LC-CG-001" in started and "委托" in started
    desk.shot("19-upload-preview")
    desk.follow(desk.driver.find_element(By.ID, "confirm"))
    assert "已载入" in desk.text()
    desk.open("/authority?item=LC-CG-001&street=350502003&date=2025-05-01")
    box = desk.wait_for(By.CSS_SELECTOR, ".warn-box")
    assert "冲突" in box.text and "海滨街道" in box.text
    assert box.value_of_css_property("border-top-color") == "rgba(179, 38, 30, 1)"  # red
    assert not desk.driver.find_elements(By.ID, "subject")
    desk.shot("20-authority-conflict")


def test_a_withdrawal_previewed_then_confirmed_changes_the_authority_answer(
    desk: Desk, fresh_sample_graph: Any, tmp_path: Path
) -> None:
    """Upload a notice withdrawing LC-CG-001 from 海滨街道, read the preview (the withdrawal,
    the gap it opens, the open case LC-2025-0006 it touches), confirm, and see the answer move
    from 海滨街道 to the county bureau."""
    desk.open("/authority?item=LC-CG-001&street=350502003&date=2025-06-01")
    assert desk.subject() == "海滨街道"
    notice = tmp_path / "haibin-withdrawal.csv"
    notice.write_text(
        "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域,备注\n"
        "1,LC-CG-001,对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚,行政处罚,"
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第(一)项,"
        "鲤城区城市管理和综合执法局,城市管理,收回海滨街道行使\n",
        encoding="utf-8",
    )
    desk.open("/upload")
    desk.driver.find_element(By.NAME, "file").send_keys(str(notice))
    desk.set_date("effective", date(2025, 5, 1))
    desk.driver.find_element(By.NAME, "title").send_keys("关于收回海滨街道生活垃圾处罚事项的通知")
    Select(desk.driver.find_element(By.NAME, "kind")).select_by_visible_text("收回通知")
    desk.driver.find_element(By.NAME, "region").send_keys("350502")
    desk.driver.find_element(By.NAME, "streets").send_keys("海滨街道")
    Select(desk.driver.find_element(By.NAME, "mode")).select_by_visible_text("赋权")
    desk.follow(desk.driver.find_element(By.ID, "check"), then="#confirm")
    ended = desk.driver.find_element(By.ID, "preview-ended").text
    assert "海滨街道" in ended and "LC-CG-001" in ended
    opened = desk.driver.find_element(By.ID, "preview-gaps-appeared").text
    assert "海滨街道" in opened
    cases = desk.driver.find_element(By.ID, "preview-cases").text
    assert "LC-2025-0006" in cases and "鲤城区城市管理和综合执法局" in cases
    desk.shot("21-upload-withdrawal-preview")
    desk.follow(desk.driver.find_element(By.ID, "confirm"))
    assert "已载入" in desk.text()
    desk.shot("22-upload-confirmed")
    desk.open("/authority?item=LC-CG-001&street=350502003&date=2025-06-01")
    assert desk.subject() == "鲤城区城市管理和综合执法局"
    desk.shot("23-authority-after-withdrawal")


def test_who_leads_and_who_assists_for_a_matter_in_a_town(desk: Desk, sample_graph: Any) -> None:
    """属地管理事项责任清单 (data/sample/README.md "Duties"): 甸中镇, 违法建设, 2025-06-01."""
    desk.open("/")
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "属地管理责任"))
    street = desk.driver.find_element(By.NAME, "street")
    street.send_keys("甸中")
    suggestion = WebDriverWait(desk.driver, WAIT_S).until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, ".suggest li"))
    )
    assert "峨山" in suggestion.text  # the county is shown while typing
    suggestion.click()
    desk.driver.find_element(By.NAME, "matter").send_keys("违法建设")
    desk.set_date("date", date(2025, 6, 1))
    desk.submit("/duties")
    rows = desk.driver.find_elements(By.CSS_SELECTOR, "table.duties tbody tr")
    assert "主体责任" in rows[0].text and "甸中镇" in rows[0].text
    assert "配合责任" in rows[1].text and "峨山县住房和城乡建设局" in rows[1].text
    assert "清单第3行" in desk.text()
    desk.shot("27-duties")
    desk.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:  # printed from the page itself: the answer without menus and forms
        assert not desk.driver.find_element(By.CSS_SELECTOR, "nav.menu").is_displayed()
        assert not desk.driver.find_element(By.CSS_SELECTOR, "form.ask").is_displayed()
        assert desk.driver.find_element(By.CSS_SELECTOR, ".print-only").is_displayed()
        desk.shot("27b-duties-printed")
    finally:
        desk.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_reviewer_approves_a_zone_list_item_after_a_refused_try(
    desk: Desk, fresh_sample_graph: Any
) -> None:
    """鲤城区片区联合执法基础事项清单: LC-YJ-002 waits for the 城管局's approval (finding 13);
    the 应急管理局 is refused naming the body the policy requires; the 城管局 is recorded."""
    desk.open("/")
    desk.follow(desk.driver.find_element(By.LINK_TEXT, "片区联合执法清单"))
    Select(desk.driver.find_element(By.NAME, "region")).select_by_value("350502")
    desk.set_date("date", date(2025, 7, 1))
    desk.submit("/zone-lists")
    row = desk.driver.find_element(By.XPATH, "//table[@data-list]//tr[contains(., 'LC-YJ-002')]")
    assert "鲤城区应急管理局" in row.text and "待批准" in row.text
    desk.shot("28-zone-lists")
    approver = Select(desk.driver.find_element(By.NAME, "approved_by"))
    approver.select_by_visible_text("鲤城区应急管理局")
    desk.set_date("approved_on", date(2025, 6, 10))
    desk.submit("/zone-lists/approve")
    box = desk.wait_for(By.ID, "refusal")
    assert "不是本地区政策指定的审查同意机关" in box.text
    assert "鲤城区城市管理和综合执法局审查同意" in box.text and "WRONG_APPROVER" in box.text
    assert box.value_of_css_property("border-top-color") == "rgba(179, 38, 30, 1)"  # red
    desk.shot("29-zone-list-refused")
    # The refusal answers 400 (the form was not recorded), which chromium logs; nothing else.
    logged = [e["message"] for e in desk.driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not [m for m in logged if not ("/zone-lists/approve" in m and "400" in m)], logged
    approver = Select(desk.driver.find_element(By.NAME, "approved_by"))
    approver.select_by_visible_text("鲤城区城市管理和综合执法局")
    desk.set_date("approved_on", date(2025, 6, 10))
    desk.submit("/zone-lists/approve")
    assert "审查同意已记录" in desk.wait_for(By.ID, "approved").text
    row = desk.driver.find_element(By.XPATH, "//table[@data-list]//tr[contains(., 'LC-YJ-002')]")
    assert "鲤城区城市管理和综合执法局" in row.text and "在用" in row.text
    assert not desk.driver.find_elements(By.CSS_SELECTOR, "form[action='/zone-lists/approve']")
    desk.shot("30-zone-list-approved")
