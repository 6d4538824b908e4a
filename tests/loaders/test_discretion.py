"""Loading discretion lists (裁量基准, 首违不罚清单) and linking their rows to items, on a real graph."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from loaders.discretion import normal_name
from loaders.load import FileOutcome, plan_load, write_plan
from loaders.report import LoadReport
from tests.conftest import SAMPLE, Graph

FIXTURES = Path(__file__).resolve().parents[1] / "catalogs" / "discretion"
QUANZHOU = SAMPLE / "quanzhou"
LICHENG = [
    SAMPLE / "licheng" / "organisation.yaml",
    SAMPLE / "licheng" / "licheng-2024.csv",
    SAMPLE / "licheng" / "licheng-2025.csv",
]
FUYANG = [SAMPLE / "fuyang" / "organisation.yaml", SAMPLE / "fuyang" / "fuyang-2021.csv"]


def load(graph: Graph, *paths: Path) -> dict[str, FileOutcome]:
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    return dict(write_plan(graph.driver, graph.settings.neo4j_database, plan))


def links(graph: Graph, list_title: str) -> dict[str, set[tuple[int, str]]]:
    """Item code → (row, match) of the list's rows linked to it."""
    rows = graph.run(
        "MATCH (i:EnforcementItem)<-[l:APPLIES_TO]-(e:DiscretionEntry)-[:IN]->"
        "(d:DiscretionList {title: $title}) RETURN i.code AS code, e.row AS row, l.match AS match",
        title=list_title,
    )
    found: dict[str, set[tuple[int, str]]] = {}
    for row in rows:
        found.setdefault(row["code"], set()).add((row["row"], row["match"]))
    return found


def test_benchmark_rows_link_by_code_else_by_name_and_article(graph: Graph) -> None:
    """Rows 2–5 give 事项编码 LC-CG-001; rows 6–7 give none, and link to LC-CG-003 by its name
    and 第一百一十一条; the tier rows carry the violation down from the row with the 序号."""
    load(graph, *LICHENG, QUANZHOU)
    benchmark = links(graph, "泉州市城市管理行政处罚裁量基准(示例)")
    assert benchmark == {
        "LC-CG-001": {(2, "code"), (3, "code"), (4, "code"), (5, "code")},
        "LC-CG-003": {(6, "name_and_article"), (7, "name_and_article")},
    }
    no_penalty = links(graph, "泉州市市场监管领域轻微违法行为不予处罚清单(示例)")
    assert no_penalty == {
        "LC-SC-003": {(2, "name_and_article")},
        "LC-SC-005": {(3, "name_and_article")},
    }


def test_a_row_no_item_fits_is_one_warning_saying_what_was_looked_for(graph: Graph) -> None:
    outcomes = load(graph, *LICHENG, QUANZHOU)
    [warning] = outcomes["quanzhou-chengguan-benchmark-2024.csv"].warnings
    assert warning.startswith("row 8 (违法行为 「在禁止燃放烟花爆竹的时间、地点燃放烟花爆竹」)")
    assert "烟花爆竹安全管理条例#42" in warning and "no 事项编码" in warning
    assert outcomes["quanzhou-scjg-no-penalty-2025.csv"].warnings == ()
    [unlinked] = graph.run("MATCH (e:DiscretionEntry {match: 'none'}) RETURN e.row AS row")
    assert unlinked["row"] == 8


def test_two_items_of_one_name_and_article_are_both_shown_as_ambiguous(graph: Graph) -> None:
    """A list without a region: LC-CG-001 and FY-ZH-001 share the name and 第一百一十一条."""
    outcomes = load(graph, *LICHENG, *FUYANG, FIXTURES / "national-benchmark.csv")
    assert links(graph, "生活垃圾处罚裁量基准(测试)") == {
        "FY-ZH-001": {(2, "ambiguous")},
        "LC-CG-001": {(2, "ambiguous")},
    }
    [warning] = outcomes["national-benchmark.csv"].warnings
    assert "FY-ZH-001, LC-CG-001" in warning and "匹配不唯一" in warning


def test_a_region_keeps_another_countys_item_of_the_same_name_out(graph: Graph) -> None:
    load(graph, *LICHENG, *FUYANG, QUANZHOU)
    assert set(links(graph, "泉州市城市管理行政处罚裁量基准(示例)")) == {"LC-CG-001", "LC-CG-003"}


def test_loading_a_list_again_writes_the_same_links(graph: Graph) -> None:
    load(graph, *LICHENG, QUANZHOU)
    before = links(graph, "泉州市城市管理行政处罚裁量基准(示例)")
    load(graph, QUANZHOU / "quanzhou-chengguan-benchmark-2024.csv")
    assert links(graph, "泉州市城市管理行政处罚裁量基准(示例)") == before


def test_an_empty_standard_is_refused_naming_file_row_and_column() -> None:
    report = LoadReport()
    plan_load([FIXTURES / "bad" / "empty-standard.csv"], report, need_metadata=True)
    [error] = report.errors
    assert (error.file, error.row, error.column) == ("empty-standard.csv", 3, "裁量标准")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", "随意倾倒抛撒堆放或者焚烧生活垃圾"),
        ("随意倾倒、抛撒、堆放或者焚烧生活垃圾", "随意倾倒抛撒堆放或者焚烧生活垃圾"),
        ("对市场主体未依照规定办理变更登记行为的行政处罚", "市场主体未依照规定办理变更登记"),
        ("未在指定的地点分类投放生活垃圾的", "未在指定的地点分类投放生活垃圾"),
    ],
)
def test_names_are_compared_without_the_catalogs_frame(text: str, normal: str) -> None:
    assert normal_name(text) == normal


def test_a_workbook_with_a_title_row_reads_as_published(tmp_path: Path) -> None:
    """An XLSX no-penalty list under its title row (附件: …清单): rows numbered as Excel shows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "清单"
    sheet.append(["附件 市场监管领域首违不罚清单"])
    sheet.append(["序号", "违法行为", "法律依据", "不予处罚的条件", "实施部门"])
    sheet.append(
        [
            1,
            "未按规定公示营业执照",
            "《中华人民共和国电子商务法》第十五条",
            "初次违法并及时改正的",
            "市场监管",
        ]
    )
    book.save(tmp_path / "list.xlsx")
    (tmp_path / "list.meta.yaml").write_text(
        "kind: 轻微违法行为免罚清单\neffective: 2025-01-01\n", encoding="utf-8"
    )
    report = LoadReport()
    [listed] = plan_load([tmp_path / "list.xlsx"], report, need_metadata=True).discretion
    [planned] = listed.entries
    assert (planned.entry.row, planned.entry.id) == (3, "list@2025-01-01#清单!3")
    assert planned.entry.condition == "初次违法并及时改正的" and listed.node.kind == "不予处罚清单"
    assert planned.articles == {"电子商务法#15"}


def test_a_bad_metadata_value_names_its_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text("序号,违法行为,不予处罚的情形\n1,x,y\n", encoding="utf-8")
    (tmp_path / "list.meta.yaml").write_text(
        "kind: 不予处罚清单\ntitle: 清单\neffective: 下个月\n", encoding="utf-8"
    )
    report = LoadReport()
    plan_load([tmp_path / "list.csv"], report, need_metadata=True)
    [error] = report.errors
    assert (error.file, error.row) == ("list.meta.yaml", 3)
    assert error.column is not None and error.column.startswith("effective")
