"""Law versions (法律版本, issue 14.10): two real texts of 《行政处罚法》 (2017 and 2021, renumbered),
citations resolved to the version they mean, 依据需更新 with the article's new number."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from authreg.export_files import write_sheets
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.impact import impact
from queries.law_changes import law_changes
from queries.law_versions import LawVersionInfo, cited_version, follow_article, in_force
from queries.legal_basis import LegalBasis, legal_basis
from tests.conftest import SAMPLE, Graph
from tests.queries.test_cli_queries import run

H4 = Path(__file__).resolve().parent / "data" / "h4"
LAW_2017 = SAMPLE / "laws" / "xingzheng-chufa-fa-2017.md"
LAW_2021 = SAMPLE / "laws" / "xingzheng-chufa-fa.md"


def load(graph: Graph, *paths: Path) -> None:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def ask(graph: Graph, item: str, as_of: date) -> LegalBasis:
    return graph.read(legal_basis, item=item, as_of=as_of)


@pytest.fixture
def versions_graph(graph: Graph) -> Graph:
    load(graph, LAW_2017, LAW_2021, H4)
    return graph


def test_two_versions_are_one_document_with_linked_versions(versions_graph: Graph) -> None:
    [doc] = versions_graph.run(
        "MATCH (d:LegalDocument) WHERE d.id = '行政处罚法' OR d.title CONTAINS '行政处罚法' "
        "RETURN d.id AS id, d.title AS title, d.current_version_date AS current"
    )
    assert doc["title"] == "中华人民共和国行政处罚法"
    assert str(doc["current"]) == "2021-01-22"
    versions = versions_graph.run(
        "MATCH (v:LawVersion)-[:VERSION_OF]->(:LegalDocument {id: '行政处罚法'}) "
        "RETURN v.id AS id, v.kind AS kind, toString(v.effective_from) AS effective, "
        "coalesce(v.text_loaded, false) AS text ORDER BY v.version_date"
    )
    assert [(v["id"], v["kind"], v["text"]) for v in versions] == [
        ("行政处罚法@1996-03-17", "公布", False),
        ("行政处罚法@2009-08-27", "修正", False),
        ("行政处罚法@2017-09-01", "修正", True),
        ("行政处罚法@2021-01-22", "修订", True),
    ]
    assert versions[2]["effective"] == "2018-01-01" and versions[3]["effective"] == "2021-07-15"
    links = versions_graph.run(
        "MATCH (new:LawVersion)-[r:AMENDS|REPLACES]->(old:LawVersion) "
        "RETURN new.id AS new, type(r) AS rel, old.id AS old ORDER BY new.id"
    )
    assert [(link["new"][-10:], link["rel"], link["old"][-10:]) for link in links] == [
        ("2009-08-27", "AMENDS", "1996-03-17"),
        ("2017-09-01", "AMENDS", "2009-08-27"),
        ("2021-01-22", "REPLACES", "2017-09-01"),
    ]


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_the_document_keeps_the_newest_text_whatever_the_load_order(
    graph: Graph, order: str
) -> None:
    load(graph, *((LAW_2017, LAW_2021) if order == "older first" else (LAW_2021, LAW_2017)))
    rows = graph.run(
        "MATCH (p:Provision) WHERE p.id IN ['行政处罚法#20', '行政处罚法#38', '行政处罚法#15', "
        "'行政处罚法@2017-09-01#38'] RETURN p.id AS id, p.text AS text ORDER BY id"
    )
    texts = {row["id"]: row["text"] for row in rows}
    assert texts["行政处罚法#20"].startswith(
        "行政机关依照法律、法规、规章的规定，可以在其法定权限内书面委托"
    )
    assert texts["行政处罚法#38"].startswith("行政处罚没有依据或者实施主体不具有行政主体资格的")
    assert texts.get("行政处罚法#15") is None  # 2017's article 15 is not 2021's
    assert texts["行政处罚法@2017-09-01#38"].startswith("调查终结")


def test_a_citation_without_note_means_the_version_in_force_when_the_catalog_took_effect(
    versions_graph: Graph,
) -> None:
    before = ask(versions_graph, "V-001", date(2020, 1, 1))
    [link] = before.links
    assert link.cited_version and link.cited_version.id == "行政处罚法@2017-09-01"
    assert "2019-06-01" in (link.cited_version_how or "")
    assert link.text and link.text.startswith("行政机关依照法律、法规或者规章的规定")
    assert not link.needs_update and before.flags == []


def test_a_replaced_version_needs_update_with_the_moved_article_and_its_text(
    versions_graph: Graph,
) -> None:
    answer = ask(versions_graph, "V-001", date(2025, 1, 1))
    [link] = answer.links
    assert link.needs_update and link.new_article == 20
    assert link.version_in_force and link.version_in_force.id == "行政处罚法@2021-01-22"
    assert link.text and link.text.startswith(
        "行政机关依照法律、法规或者规章的规定"
    )  # still 2017's
    assert link.new_text and "书面委托符合本法第二十一条" in link.new_text
    assert link.update_note == (
        "依据需更新: 《中华人民共和国行政处罚法》(2017年修正本)第十八条已被2021年修订本取代"
        "(2021-07-15 起施行);该条已移至新版本第二十条"
    )
    assert link.update_note in answer.flags


def test_a_version_note_names_the_version_and_its_own_article_text(versions_graph: Graph) -> None:
    [link] = ask(versions_graph, "V-002", date(2025, 1, 1)).links
    assert link.cited_version and link.cited_version.id == "行政处罚法@2017-09-01"
    assert link.cited_version_how == "按版本注明「2017年修正」"
    # 2017 第三十八条 is 调查终结; the 2021 第三十八条 (行政处罚无效) is another rule.
    assert link.text and link.text.startswith("调查终结")
    assert link.new_article == 57


def test_a_note_naming_the_version_in_force_needs_no_update(versions_graph: Graph) -> None:
    [link] = ask(versions_graph, "V-003", date(2025, 1, 1)).links
    assert link.cited_version and link.cited_version.id == "行政处罚法@2021-01-22"
    assert not link.needs_update and link.text and link.text.startswith("省、自治区、直辖市")


def test_an_article_whose_new_number_is_not_recorded_says_so(versions_graph: Graph) -> None:
    [link] = ask(versions_graph, "V-004", date(2025, 1, 1)).links
    assert link.needs_update and link.new_article is None
    assert link.update_note and link.update_note.endswith("新版本中的对应条文未知,请核对新文本")
    # The 2017 excerpt does not hold 第二十三条, and 2021's 第二十三条 is another rule: no text.
    assert link.text is None and link.text_state == "version_not_loaded"


def test_a_catalog_after_the_revision_cites_the_revised_article(versions_graph: Graph) -> None:
    [link] = ask(versions_graph, "V-005", date(2025, 1, 1)).links
    assert link.cited_version and link.cited_version.id == "行政处罚法@2021-01-22"
    assert not link.needs_update and link.text and "书面委托" in link.text


def test_legal_basis_sheet_names_the_cited_version_and_the_update(versions_graph: Graph) -> None:
    answer = ask(versions_graph, "V-001", date(2025, 1, 1))
    sheet = answer.sheets()[1]
    row = dict(zip(sheet.columns, sheet.rows[0], strict=True))
    assert row["所引版本"] == "2017年修正本" and row["新条号"] == 20
    assert str(row["依据需更新"]).startswith("依据需更新")


def _version(
    day: str, kind: str, effective: str, moved: dict[int, int] | None = None
) -> LawVersionInfo:
    return LawVersionInfo(
        id=f"法@{day}",
        version_date=date.fromisoformat(day),
        kind=kind,
        effective_from=date.fromisoformat(effective),
        previous_articles=moved or {},
    )


SYNTHETIC = [  # a synthetic law (not a real one): three texts, renumbered twice
    _version("2001-05-01", "公布", "2001-10-01"),
    _version("2010-03-01", "修订", "2010-07-01", {5: 7, 9: 12}),
    _version("2020-06-01", "修订", "2021-01-01", {7: 8}),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2001-09-30", None),
        ("2001-10-01", "2001-05-01"),
        ("2010-06-30", "2001-05-01"),
        ("2010-07-01", "2010-03-01"),
        ("2030-01-01", "2020-06-01"),
    ],
)
def test_the_version_in_force_is_the_last_to_take_effect(day: str, expected: str | None) -> None:
    found = in_force(SYNTHETIC, date.fromisoformat(day))
    assert (found.id[-10:] if found else None) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("2010年修订", "2010-03-01"),
        ("2010年3月1日修订", "2010-03-01"),
        ("2011年施行", "2010-03-01"),
        ("2005年", None),
        ("修正", "2001-05-01"),
    ],
)
def test_a_version_note_names_a_version_by_date_year_or_effect(
    note: str, expected: str | None
) -> None:
    found, how = cited_version(SYNTHETIC, note, date(2008, 1, 1))
    assert (found.id[-10:] if found else None) == expected
    assert how  # every decision says how it was made
    if expected is None:
        assert "均不符" in how


def test_an_article_is_followed_through_every_renumbering() -> None:
    first, _, last = SYNTHETIC
    assert follow_article(SYNTHETIC, first, last, 5) == 8
    assert follow_article(SYNTHETIC, first, last, 9) is None  # 2020 does not say where 12 went


def test_impact_marks_page_items_citing_a_replaced_version(versions_graph: Graph) -> None:
    answer = versions_graph.read(
        impact, document="中华人民共和国行政处罚法", as_of=date(2025, 1, 1), limit=50
    )
    assert answer.version_in_force and answer.version_in_force.id == "行政处罚法@2021-01-22"
    outdated = {i.code: i.needs_update for i in answer.items if i.needs_update}
    assert sorted(outdated) == ["V-001", "V-002", "V-004"]  # V-003 and V-005 cite the 2021 text
    assert outdated["V-001"][0].endswith("该条已移至新版本第二十条")
    assert "本页 3 项事项的依据需更新: V-001、V-002、V-004" in answer.flags
    before = versions_graph.read(
        impact, document="中华人民共和国行政处罚法", as_of=date(2020, 1, 1), limit=50
    )
    assert before.version_in_force and before.version_in_force.id == "行政处罚法@2017-09-01"
    assert not any(i.needs_update for i in before.items)


# -- law change notices (修法通知, issue 18.5) ---------------------------------------------------


def test_law_changes_list_each_body_to_notify_with_items_and_open_cases(
    versions_graph: Graph,
) -> None:
    answer = versions_graph.read(law_changes, region="版本区", as_of=date(2025, 1, 1))
    assert answer.found and answer.region_code == "990401"
    assert [(c.item_code, c.kind, c.new_article) for c in answer.changes] == [
        ("V-001", "依据需更新", 20),
        ("V-002", "依据需更新", 57),
        ("V-004", "依据需更新", None),
    ]
    targets = {(t.kind, t.id): t for t in answer.targets}
    assert sorted(targets) == [
        ("街道/乡镇", "990401001"),
        ("街道/乡镇", "990401002"),
        ("部门", "V-CGJ"),
    ]
    department = targets[("部门", "V-CGJ")]
    assert department.items == ["V-001", "V-002", "V-004"]
    assert department.open_cases == ["V-2024-0001"]  # V-2024-0002 is closed (结案)
    assert targets[("街道/乡镇", "990401002")].open_cases == []  # the open case is 甲街道's
    assert any("该条已移至新版本第二十条" in line for line in department.changes)
    assert answer.computed_at.utcoffset() == timedelta(hours=8)
    assert f"生成于 {answer.computed_at:%Y-%m-%d %H:%M}" in answer.explanation


def test_no_law_change_before_the_new_version_takes_effect(versions_graph: Graph) -> None:
    answer = versions_graph.read(law_changes, region="990401", as_of=date(2021, 7, 14))
    assert answer.found and answer.changes == [] and answer.targets == []


def test_law_changes_export_as_a_workbook_per_body(versions_graph: Graph, tmp_path: Path) -> None:
    answer = versions_graph.read(law_changes, region="990401", as_of=date(2025, 1, 1))
    [path] = write_sheets(answer.sheets(), tmp_path / "修法通知.xlsx", "xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["说明", "通知对象", "依据变化", "未结案件"]
    cells = [cell for row in book["通知对象"].iter_rows(values_only=True) for cell in row]
    assert "V-CGJ" in cells and "V-2024-0001" in cells


def test_an_unknown_region_is_not_found(versions_graph: Graph) -> None:
    answer = versions_graph.read(law_changes, region="没有这个区", as_of=date(2025, 1, 1))
    assert not answer.found and answer.explanation.startswith("未找到地区")


def test_the_cli_asks_legal_basis_as_of_a_day_and_reports_law_changes(
    versions_graph: Graph, tmp_path: Path
) -> None:
    code, output = run(
        versions_graph, "query", "legal-basis", "V-001", "--as-of", "2025-01-01", "--json"
    )
    [link] = json.loads(output)["links"]
    assert code == 0 and link["needs_update"] and link["new_article"] == 20
    assert link["cited_version"]["id"] == "行政处罚法@2017-09-01"
    code, output = run(
        versions_graph, "query", "legal-basis", "V-001", "--as-of", "2020-01-01", "--json"
    )
    [link] = json.loads(output)["links"]
    assert code == 0 and not link["needs_update"] and link["update_note"] is None
    target = tmp_path / "law-changes.xlsx"
    code, output = run(
        versions_graph,
        "report",
        "law-changes",
        "--region",
        "版本区",
        "--as-of",
        "2025-01-01",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    assert code == 0, output
    assert load_workbook(target).sheetnames == ["说明", "通知对象", "依据变化", "未结案件"]
