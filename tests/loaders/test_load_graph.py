"""Loading files into a real Neo4j: catalog versions, withdrawals, atomicity, idempotence."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from schema.graph_rows import BOOKKEEPING
from tests.conftest import Graph

COUNTY = Path(__file__).resolve().parents[1] / "catalogs" / "county"
REAL = Path(__file__).resolve().parents[2] / "data" / "real-catalogs"
LAWS = Path(__file__).resolve().parents[2] / "data" / "sample" / "laws"
AUTHREG = str(Path(sys.executable).with_name("authreg"))


def load(graph: Graph, *paths: Path, **overrides: object) -> LoadReport:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True, overrides=overrides)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return report


def delegations(graph: Graph) -> set[tuple]:
    rows = graph.run(
        "MATCH (d:Delegation)-[:OF]->(i), (d)-[:TO]->(s), (d)-[:FROM]->(dep) "
        "RETURN i.code AS item, s.name AS street, dep.id AS dep, d.mode AS mode, "
        "toString(d.valid_from) AS start, toString(d.valid_to) AS end"
    )
    return {tuple(row.values()) for row in rows}


def fingerprint(graph: Graph) -> tuple:
    """The registry's data (bookkeeping left out: the audit trail records each run by design)."""
    labels = graph.run(
        "MATCH (n) WHERE NOT labels(n)[0] IN $skip "
        "RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label",
        skip=sorted(BOOKKEEPING),
    )
    rels = graph.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
    return tuple(map(str, labels)), tuple(map(str, rels)), frozenset(delegations(graph))


def cli_env(graph: Graph) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AUTHREG_"))}
    return env | {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
    }


def test_county_list_applied_to_all_streets_delegates_each_item_to_each(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    found = delegations(graph)
    assert ("T-001", "东街道", "T-CGJ", "赋权", "2024-09-11", None) in found
    assert ("T-003", "西街道", "T-CGJ", "赋权", "2024-09-11", None) in found  # alias 县城管局
    # 南镇 works in 派驻 mode: the county department stays the subject (seed 004).
    assert ("T-002", "南镇", "T-SJJ", "派驻", "2024-09-11", None) in found
    assert len(found) == 9


def test_a_newer_version_ends_what_it_no_longer_lists_and_starts_what_it_adds(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    load(graph, COUNTY / "county-2025.csv")
    found = delegations(graph)
    assert ("T-002", "东街道", "T-SJJ", "赋权", "2024-09-11", "2025-03-01") in found
    assert ("T-004", "东街道", "T-CGJ", "赋权", "2025-03-01", None) in found
    assert ("T-001", "东街道", "T-CGJ", "赋权", "2024-09-11", None) in found  # continues
    assert len(found) == 12  # 9 from 2024 (3 ended) + 3 new; nothing deleted
    [ended_by] = graph.run(
        "MATCH (:Delegation)-[:ENDED_BY]->(c:Catalog) RETURN DISTINCT c.id AS id"
    )
    assert ended_by["id"] == "county-delegation@2025-03-01"
    assert graph.run(
        "MATCH (:Catalog {id: 'county-delegation@2025-03-01'})-[:SUPERSEDES]->(o) RETURN o.id AS id"
    ) == [{"id": "county-delegation@2024-09-11"}]


def test_a_withdrawal_notice_ends_only_the_named_street_on_its_date(graph: Graph) -> None:
    load(
        graph,
        COUNTY / "organisation.yaml",
        COUNTY / "county-2024.csv",
        COUNTY / "county-withdrawal-2025.csv",
    )
    found = delegations(graph)
    assert ("T-001", "西街道", "T-CGJ", "赋权", "2024-09-11", "2025-07-01") in found
    assert ("T-001", "东街道", "T-CGJ", "赋权", "2024-09-11", None) in found


def test_reloading_the_same_files_changes_nothing(graph: Graph) -> None:
    files = (COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", COUNTY / "county-2025.csv")
    load(graph, *files)
    before = fingerprint(graph)
    load(graph, *files)
    assert fingerprint(graph) == before


def test_an_older_version_after_a_newer_one_is_refused(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2025.csv")
    with pytest.raises(Exception, match="later version of county-delegation"):
        load(graph, COUNTY / "county-2024.csv")


def test_a_file_with_one_bad_row_writes_nothing(graph: Graph, tmp_path: Path) -> None:
    load(graph, COUNTY / "organisation.yaml")
    before = fingerprint(graph)
    bad = tmp_path / "bad.csv"
    text = (COUNTY / "county-2024.csv").read_text().replace("行政检查", "行政审查")
    bad.write_text(text)
    shutil.copy(COUNTY / "county-2024.meta.yaml", tmp_path / "bad.meta.yaml")
    report = LoadReport()
    plan_load([bad], report, need_metadata=True)
    [error] = report.errors
    assert (error.file, error.row, error.column) == ("bad.csv", 4, "事项类型")
    assert fingerprint(graph) == before


def test_a_department_missing_from_the_organisation_data_is_named(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml")
    odd = tmp_path / "odd.csv"
    odd.write_text(
        (COUNTY / "county-2024.csv").read_text().replace("测试县市场监督管理局", "测试县市场监管局")
    )
    shutil.copy(COUNTY / "county-2024.meta.yaml", tmp_path / "odd.meta.yaml")
    before = fingerprint(graph)
    with pytest.raises(Exception, match=r"测试县市场监管局.*closest: 测试县市场监督管理局"):
        load(graph, odd)
    assert fingerprint(graph) == before


def test_check_names_unknown_departments_from_organisation_files_given_with_it(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text(
        (COUNTY / "county-2024.csv")
        .read_text()
        .replace("测试县司法局", "x")
        .replace("测试县市场监督管理局", "测试县市场监管局")
    )
    report = LoadReport()
    given = {"region": "990101"}  # as `authreg load --check --region 990101` gives it
    plan_load([COUNTY / "organisation.yaml", odd], report, need_metadata=False, overrides=given)
    [error] = report.errors
    assert error.row == 3 and error.value == "测试县市场监管局"
    assert "测试县市场监督管理局" in (error.suggestion or "")


def test_check_of_a_catalog_without_region_says_it_will_stand_alone_as_the_load_does(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text((COUNTY / "county-2024.csv").read_text().replace("测试县司法局", "x"))
    report = LoadReport()
    plan_load([COUNTY / "organisation.yaml", odd], report, need_metadata=False)
    assert report.errors == []  # the load would create 'x' as the catalog's own department
    assert any("standing alone" in w.message for w in report.problems if w.file == odd.name)


def test_every_real_catalog_passes_check_and_loads(graph: Graph) -> None:
    done = subprocess.run(
        [AUTHREG, "load", "--check", "--json", str(REAL)],
        capture_output=True,
        text=True,
        env=cli_env(graph),
        check=False,
    )
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, done.stdout
    assert summary["files"] == 8 and summary["basis_parsed"] == summary["basis_cells"] == 23
    load(graph, LAWS, REAL, effective=date(2024, 1, 1))
    assert graph.run("MATCH (c:Catalog) RETURN count(c) AS n") == [{"n": 8}]
    linked = graph.run(
        "MATCH (i:EnforcementItem)-[:BASED_ON]->(p:Provision) "
        "WHERE p.text IS NOT NULL RETURN count(DISTINCT i) AS n"
    )
    assert linked[0]["n"] >= 15  # most real items reach the article text of a loaded law


def test_a_citation_to_an_article_missing_from_a_loaded_law_is_a_warning(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, LAWS / "xiaofang-fa.md")
    catalog = tmp_path / "c.csv"
    catalog.write_text(
        "序号,事项名称,事项类型,实施依据\n1,某检查,行政检查,《中华人民共和国消防法》第九十九条\n"
    )
    (tmp_path / "c.meta.yaml").write_text("effective: 2024-01-01\n")
    report = LoadReport()
    plan = plan_load([catalog], report, need_metadata=True)
    [(_, outcome)] = write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert outcome.warnings == ("第九十九条 not in 《中华人民共和国消防法》(2021)",)


def test_an_item_cited_without_its_paragraph_reaches_the_first_paragraphs_item(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, LAWS / "xiaofang-fa.md")
    catalog = tmp_path / "c.csv"
    catalog.write_text(
        "序号,事项名称,事项类型,实施依据\n"
        "1,对占用疏散通道的处罚,行政处罚,《中华人民共和国消防法》第六十条第（三）项\n"
    )
    (tmp_path / "c.meta.yaml").write_text("effective: 2024-01-01\n")
    load(graph, catalog)
    [row] = graph.run(
        "MATCH (:EnforcementItem)-[b:BASED_ON]->(p:Provision) "
        "RETURN p.id AS id, p.text AS text, b.raw AS raw"
    )
    assert row["id"].endswith("#60.1.3")
    assert row["text"] and "疏散通道" in row["text"]
    assert row["raw"] == "《中华人民共和国消防法》第六十条第（三）项"


def test_gbk_csv_and_xlsx_catalogs_load_alike(graph: Graph, tmp_path: Path) -> None:
    text = (COUNTY / "county-2024.csv").read_text()
    (tmp_path / "gbk.csv").write_bytes(text.encode("gbk"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["测试县街道赋权事项目录"])  # a title row above the header
    for line in text.strip().splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "book.xlsx")
    for name in ("gbk", "book"):
        (tmp_path / f"{name}.meta.yaml").write_text(
            (COUNTY / "county-2024.meta.yaml").read_text().replace("county-delegation", name)
        )
    load(graph, COUNTY / "organisation.yaml", tmp_path / "gbk.csv", tmp_path / "book.xlsx")
    rows = graph.run(
        "MATCH (c:Catalog)-[:LISTS]->(i) RETURN c.series AS s, count(i) AS n ORDER BY s"
    )
    assert rows == [{"s": "book", "n": 3}, {"s": "gbk", "n": 3}]


def big_catalog(directory: Path, rows: int) -> Path:
    lines = ["序号,事项编码,事项名称,事项类型,实施依据,原实施部门"]
    for n in range(1, rows + 1):
        lines.append(
            f"{n},B-{n:06d},第{n}项处罚事项,行政处罚,《中华人民共和国消防法》第六十条,"
            "测试县城市管理和综合执法局"
        )
    path = directory / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    (directory / "big.meta.yaml").write_text(
        "effective: 2024-09-11\nregion: '990101'\nstreets: all\n"
    )
    return path


def test_a_load_killed_part_way_leaves_nothing_and_a_rerun_equals_a_clean_load(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml")
    before = fingerprint(graph)
    big = big_catalog(tmp_path, 10_000)
    loader = subprocess.Popen(
        [AUTHREG, "load", str(big)],
        env=cli_env(graph),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and loader.poll() is None:
        if graph.run(
            "SHOW TRANSACTIONS YIELD currentQuery, status "
            "WHERE currentQuery CONTAINS 'UNWIND $rows' RETURN count(*) AS n"
        )[0]["n"]:
            break
        time.sleep(0.05)
    assert loader.poll() is None, "the load finished before it could be killed; use more rows"
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    time.sleep(1)  # Neo4j notices the closed connection and rolls the transaction back
    assert fingerprint(graph) == before
    # The file's audit entry was in its transaction: gone with it.
    assert graph.run("MATCH (a:AuditEntry) RETURN count(a) AS n") == [{"n": 0}]
    load(graph, big)
    rerun = fingerprint(graph)
    graph.wipe()
    load(graph, COUNTY / "organisation.yaml", big)
    assert fingerprint(graph) == rerun


def test_two_concurrent_loads_of_one_file_give_the_graph_of_one(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, COUNTY / "organisation.yaml")
    big = big_catalog(tmp_path, 3_000)
    loaders = [
        subprocess.Popen(
            [AUTHREG, "load", str(big)],
            env=cli_env(graph),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in loaders]
    assert [p.returncode for p in loaders] == [0, 0], results
    together = fingerprint(graph)
    # Each run's transaction recorded itself: one loaded the catalog, the other found it loaded.
    entries = graph.run(
        "MATCH (a:AuditEntry {action: 'loadCatalog'}) RETURN a.source AS source, a.detail AS detail"
    )
    assert len(entries) == 2 and len({e["source"] for e in entries}) == 1, entries
    assert sorted(json.loads(e["detail"])["unchanged"] for e in entries) == [False, True]
    graph.wipe()
    load(graph, COUNTY / "organisation.yaml", big)
    assert fingerprint(graph) == together


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_the_sample_loads_and_reloading_it_changes_nothing(graph: Graph) -> None:
    report = load(graph, SAMPLE)
    # The two warnings are deliberate: a basis cell that says only 详见相关法律法规.
    assert {p.value for p in report.warnings} == {"详见相关法律法规"}
    before = fingerprint(graph)
    assert graph.run("MATCH (c:Case) RETURN count(c) AS n")[0]["n"] > 0
    load(graph, SAMPLE)
    assert fingerprint(graph) == before


def test_items_go_into_the_category_the_metadata_maps_their_domain_to(sample_graph: Graph) -> None:
    """Licheng's lists map 应急管理 and 市场监管 to their own categories and every other domain
    to 综合执法 (seed 000 四(二)); items of other regions' lists, which map nothing, have none."""
    rows = sample_graph.run(
        "MATCH (i:EnforcementItem) WHERE i.code STARTS WITH 'LC-' "
        "OPTIONAL MATCH (i)-[:IN_CATEGORY]->(c:Category) "
        "RETURN i.domain AS domain, collect(DISTINCT c.id) AS categories"
    )
    found = {row["domain"]: row["categories"] for row in rows}
    assert found == {
        "应急管理": ["LC-CAT-YJ"],
        "市场监管": ["LC-CAT-SC"],
        "城市管理": ["LC-CAT-ZH"],
        "生态环境": ["LC-CAT-ZH"],
        "规划建设": ["LC-CAT-ZH"],
    }
    [other] = sample_graph.run(
        "MATCH (i:EnforcementItem)-[:IN_CATEGORY]->() WHERE NOT i.code STARTS WITH 'LC-' "
        "RETURN count(i) AS n"
    )
    assert other["n"] == 0


def test_reading_in_two_processes_plans_exactly_what_one_process_plans(tmp_path: Path) -> None:
    """Forked workers read and validate; the plan, problems and counts are those of one process."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "dup.csv").write_text(
        "事项编码,事项名称,实施依据\nX-1,甲,《消防法》第六十条\nX-1,乙,\n", encoding="utf-8"
    )
    (bad / "dup.meta.yaml").write_text("effective: 2024-09-11\n", encoding="utf-8")
    paths = [SAMPLE, COUNTY, bad]
    from loaders.load import expand
    from loaders.workers import fork_pool

    pool = fork_pool(2, len(expand(paths)))
    assert pool is not None, "the two-process path would not be taken here: nothing compared"
    pool.shutdown()
    one, two = LoadReport(), LoadReport()
    alone = plan_load(paths, one, need_metadata=True)
    forked = plan_load(paths, two, need_metadata=True, workers=2)
    assert len(alone.catalogs) > 4 and one.errors  # something to compare, problems included
    assert forked == alone
    assert [p.line() for p in two.problems] == [p.line() for p in one.problems]
    assert two.counts == one.counts


def test_a_watcher_hears_every_statement_row_sent_before_the_file_commits(graph: Graph) -> None:
    from loaders.write import BATCH, ROWS_SENT

    load(graph, COUNTY / "organisation.yaml")
    report = LoadReport()
    plan = plan_load([COUNTY / "county-2024.csv"], report, need_metadata=True)
    heard: list[tuple[int, int]] = []  # (rows sent, delegations committed at that moment)

    def sent(count: int) -> None:
        [row] = graph.run("MATCH (d:Delegation) RETURN count(d) AS n")
        heard.append((count, row["n"]))

    watching = ROWS_SENT.set(sent)
    try:
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
    finally:
        ROWS_SENT.reset(watching)
    rows = len(plan.catalogs[0].rows)
    delegations = graph.run("MATCH (d:Delegation) RETURN count(d) AS n")[0]["n"]
    assert delegations > rows > 0
    assert sum(count for count, _ in heard) >= rows + delegations  # items, then delegations…
    assert all(0 < count <= BATCH for count, _ in heard)
    assert {committed for _, committed in heard} == {0}  # …all heard inside the open transaction


def test_a_catalog_mirrored_in_traditional_characters_finds_its_departments_and_streets(
    graph: Graph, tmp_path: Path
) -> None:
    """繁体 names (測試縣市場監督管理局, 東街道, 各鄉鎮街道 for every street) find the organisation's
    simplified ones, in the load and in `--check`; a name that is not there is still an error."""
    rows = [
        "序号,事项编码,事项名称,事项类型,实施依据,原实施部门,赋权街镇",
        "1,T-101,對未取得營業執照從事經營的處罰,行政處罰,《個體工商戶條例》第二十三條,"
        "測試縣市場監督管理局,東街道、西街道",
        "2,T-102,對隨意傾倒生活垃圾的處罰,行政處罰,《中華人民共和國固體廢物污染環境防治法》"
        "第一百一十一條,縣城管局,各鄉鎮街道",
    ]
    mirrored = tmp_path / "mirrored.csv"
    mirrored.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "mirrored.meta.yaml").write_text(
        "effective: 2024-09-11\nregion: '990101'\nstreets: column\n", encoding="utf-8"
    )
    report = load(graph, COUNTY / "organisation.yaml", mirrored)
    assert not report.errors
    held = {(d[0], d[1], d[2]) for d in delegations(graph)}
    assert held == {
        ("T-101", "东街道", "T-SJJ"),
        ("T-101", "西街道", "T-SJJ"),
        ("T-102", "东街道", "T-CGJ"),
        ("T-102", "西街道", "T-CGJ"),
        ("T-102", "南镇", "T-CGJ"),
    }
    (tmp_path / "mirrored.csv").write_text(
        "\n".join([*rows[:1], rows[1].replace("測試縣市場監督管理局", "測試縣稅務局")]) + "\n",
        encoding="utf-8",
    )
    checked = LoadReport()
    plan_load([COUNTY / "organisation.yaml", mirrored], checked, need_metadata=False)
    assert [p.value for p in checked.errors] == ["測試縣稅務局"]


def _plan_in_a_pool_worker(paths: list[Path]) -> tuple[int, int]:
    report = LoadReport()
    plan = plan_load(paths, report, need_metadata=True, workers=2)
    return len(plan.catalogs), len(report.errors)


def test_reading_with_workers_inside_a_daemonic_worker_reads_in_that_process() -> None:
    """A multiprocessing.Pool's worker may not have children: asked for workers there, the
    loader reads in the worker itself instead of failing (the load benchmark runs (a) so)."""
    import multiprocessing

    report = LoadReport()
    expected = len(plan_load([SAMPLE], report, need_metadata=True).catalogs)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_plan_in_a_pool_worker, ([SAMPLE],)) == (expected, 0)


class _Statements:
    """Stands in for a transaction only to learn which statements a writer read sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    def run(self, query: str, **params: object) -> _Statements:
        self.sent.append((query, params))
        return self

    def data(self) -> list:
        return []


@pytest.mark.parametrize(
    ("read", "args", "seek"),
    [
        ("active_delegations_of_series", ("county-delegation",), "Catalog(series, effective)"),
        ("known_organisation", ("990101",), "Region(code)"),
    ],
)
def test_the_reads_a_catalog_file_makes_seek_and_never_scan_the_nation(
    graph: Graph, read: str, args: tuple, seek: str
) -> None:
    """Per file, the loader reads its series' versions and its region's organisation: found by
    index from the series or the region, never by a scan of every catalog, department or street."""
    from loaders import write
    from loaders.load import refresh_query_plans

    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    refresh_query_plans(graph.driver, graph.settings.neo4j_database)
    statements = _Statements()
    getattr(write, read)(statements, *args)
    assert statements.sent
    for query, params in statements.sent:
        database = graph.settings.neo4j_database
        [plan] = [
            graph.driver.execute_query("EXPLAIN " + query, params, database_=database)[1].plan
        ]
        steps, stack = [], [plan]
        while stack:
            step = stack.pop()
            steps.append(step["operatorType"].split("@")[0] + " " + step["args"].get("Details", ""))
            stack += step.get("children", [])
        assert any(seek in s for s in steps if "Seek" in s), steps
        assert not [s for s in steps if "Scan" in s], steps
