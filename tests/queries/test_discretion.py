"""The authority answer's discretion lists (裁量基准, 首违不罚) for an item on a day, on real graphs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import AuthorityAnswer, authority
from queries.discretion import discretion
from tests.conftest import SAMPLE, Graph
from tests.queries.test_cli_queries import run

FIXTURES = Path(__file__).resolve().parents[1] / "catalogs" / "discretion"
BENCHMARK = "泉州市城市管理行政处罚裁量基准(示例)"


def ask(graph: Graph, item: str, street: str, on: str) -> AuthorityAnswer:
    return graph.read(authority, item=item, street=street, as_of=date.fromisoformat(on))


def test_a_benchmark_applies_from_its_effective_date(sample_graph: Graph) -> None:
    assert ask(sample_graph, "LC-CG-001", "开元街道", "2024-11-30").discretion == []
    [note] = ask(sample_graph, "LC-CG-001", "开元街道", "2024-12-01").discretion
    assert (note.kind, note.title, note.doc_number) == (
        "裁量基准",
        BENCHMARK,
        "泉城管〔2024〕示例1号",
    )
    assert [(r.row, r.circumstance, r.match) for r in note.rows] == [
        (2, "轻微", "code"),
        (3, "一般", "code"),
        (4, "较重", "code"),
        (5, "严重", "code"),
    ]
    assert note.summary.startswith("裁量基准: 轻微 个人初次违法")
    assert "一般 责令改正；个人处一百元以上二百元以下罚款" in note.summary
    assert "泉城管〔2024〕示例1号" in note.summary and "第2、3、4、5行" in note.summary
    assert "按事项编码" in note.summary


def test_a_no_penalty_list_applies_from_its_effective_date(sample_graph: Graph) -> None:
    assert ask(sample_graph, "LC-SC-003", "江南街道", "2024-12-31").discretion == []
    [note] = ask(sample_graph, "LC-SC-003", "江南街道", "2025-01-01").discretion
    assert note.kind == "不予处罚清单" and note.summary.startswith("首违不罚: 初次违法")
    assert "按名称和条款" in note.summary and "第2行" in note.summary
    assert [r.id for r in note.rests_on] == ["行政处罚法#33"]


def test_an_item_matched_by_name_carries_the_match_kind(sample_graph: Graph) -> None:
    [note] = ask(sample_graph, "LC-CG-003", "海滨街道", "2025-06-01").discretion
    assert {r.match for r in note.rows} == {"name_and_article"}
    assert [r.standard for r in note.rows] == [
        "责令改正，不予罚款",
        "经责令改正拒不改正的，单位处五万元以上五十万元以下罚款，个人依法处以罚款",
    ]


def test_the_answer_prints_a_discretion_sheet(sample_graph: Graph) -> None:
    answer = ask(sample_graph, "LC-CG-001", "开元街道", "2025-01-01")
    sheet = answer.sheets()[-1]
    assert sheet.title == "裁量基准与免罚" and len(sheet.rows) == 4
    assert sheet.rows[0][4] == f"《{BENCHMARK}》泉城管〔2024〕示例1号 第2行"


def test_a_newer_version_of_the_series_replaces_the_older_from_its_date(graph: Graph) -> None:
    report = LoadReport()
    paths = [
        SAMPLE / "licheng" / "organisation.yaml",
        SAMPLE / "licheng" / "licheng-2024.csv",
        SAMPLE / "quanzhou" / "quanzhou-chengguan-benchmark-2024.csv",
        FIXTURES / "quanzhou-chengguan-benchmark-2026.csv",
    ]
    plan = plan_load(paths, report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)

    [old] = graph.read(discretion, item="LC-CG-001", as_of=date(2025, 12, 31)).notes
    [new] = graph.read(discretion, item="LC-CG-001", as_of=date(2026, 1, 1)).notes
    assert old.title == BENCHMARK and len(old.rows) == 4
    assert new.doc_number == "泉城管〔2025〕示例9号"
    assert [r.circumstance for r in new.rows] == ["一般", "严重"]
    # The 2026 version has no row for LC-CG-003: the older version's row no longer applies.
    assert graph.read(discretion, item="LC-CG-003", as_of=date(2026, 1, 1)).notes == []
    assert len(graph.read(discretion, item="LC-CG-003", as_of=date(2025, 1, 1)).notes) == 1


def test_the_cli_authority_answer_prints_the_lists(sample_graph: Graph) -> None:
    code, output = run(
        sample_graph,
        "query",
        "authority",
        "--item",
        "LC-CG-003",
        "--street",
        "海滨街道",
        "--as-of",
        "2025-06-01",
    )
    assert code == 0, output
    assert "裁量基准与免罚" in output and "按名称和条款" in output
    assert "第7行" in output  # rows 6–7 of the benchmark; longer cells wrap in the table
