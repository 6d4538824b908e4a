"""The questions through the CLI (`authreg query …`, `report …`, `dispute decide`) on the sample."""

from __future__ import annotations

import csv
import io
import json
import shlex
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from authreg.cli import app
from authreg.query_commands import NOT_FOUND_EXIT
from tests.conftest import Graph

runner = CliRunner()


def env_of(graph: Graph) -> dict[str, str]:
    return {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
    }


def run(graph: Graph, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env_of(graph))
    return result.exit_code, result.output


QUESTIONS = [
    (
        ["authority", "--item", "LC-CG-004", "--street", "海滨街道", "--as-of", "2025-07-01"],
        "outcome",
        "determined",
    ),
    (["legal-basis", "LC-CG-006"], "no_parseable_basis", True),
    (
        [
            "impact",
            "--document",
            "《中华人民共和国固体废物污染环境防治法》",
            "--article",
            "111",
            "--as-of",
            "2025-01-01",
        ],
        "found",
        True,
    ),
    (
        ["catalog-diff", "--street", "海滨街道", "--from", "2025-06-30", "--to", "2025-07-01"],
        "found",
        True,
    ),
    (["coverage-gaps", "--zone", "江南新区片区", "--as-of", "2025-07-01"], "zone_id", "LC-Z2"),
    (["chain", "--case", "LC-2024-0001"], "case", "LC-2024-0001"),
    (
        ["overdue-transfers", "--region", "530426", "--now", "2025-06-20T09:00+08:00"],
        "region_code",
        "530426",
    ),
    (["dispute-candidates", "--case", "LC-2025-0006"], "found", True),
    (["case-checks", "--case", "LC-2025-0004"], "verdict", "void_risk"),
    (["coverage-matrix", "--region", "鲤城区", "--as-of", "2025-07-01"], "found", True),
    (
        ["evaluation", "--region", "鲤城区", "--from", "2025-01-01", "--to", "2025-12-31"],
        "unused_months",
        12,
    ),
]


@pytest.mark.parametrize(
    ("args", "field", "value"), QUESTIONS, ids=lambda a: a[0] if isinstance(a, list) else None
)
def test_every_question_prints_a_table_and_one_json_document(
    sample_graph: Graph, args: list[str], field: str, value: object
) -> None:
    code, text = run(sample_graph, "query", *args, "--json")
    assert code == 0, text
    assert json.loads(text)[field] == value
    code, table = run(sample_graph, "query", *args)
    assert code == 0 and "┃" in table, table


def test_authority_table_names_the_subject_and_a_missing_item_exits_1(sample_graph: Graph) -> None:
    code, text = run(
        sample_graph,
        "query",
        "authority",
        "--item",
        "LC-CG-001",
        "--street",
        "开元街道",
        "--as-of",
        "2024-10-01",
    )
    assert code == 0 and "开元街道" in text and "已认定" in text
    code, text = run(sample_graph, "query", "authority", "--item", "NOPE", "--street", "开元街道")
    assert code == 1 and "未找到" in text


NOT_FOUND = [
    (["authority", "--item", "LC-CG-01", "--street", "开元街道"], "LC-CG-001"),
    (["authority", "--item", "LC-CG-001", "--street", "开元街"], "开元街道(350502001)"),
    (["legal-basis", "LC-SC-02"], "LC-SC-002"),
    (
        ["catalog-diff", "--street", "海滨街", "--from", "2025-01-01", "--to", "2025-02-01"],
        "海滨街道",
    ),
    (["coverage-gaps", "--region", "鲤城"], "鲤城区(350502)"),
    (["coverage-gaps", "--zone", "江南片区"], "江南新区片区(LC-Z2)"),
    (["coverage-matrix", "--region", "350512"], "350502"),
    (["chain", "--case", "LC-2024-001"], "LC-2024-0001"),
    (["chain", "--item", "LC-CG-001", "--street", "海滨街"], "海滨街道"),
    (["overdue-transfers", "--region", "峨山县"], "峨山彝族自治县(530426)"),
    (["dispute-candidates", "--case", "LC-2025-006"], "LC-2025-0006"),
    (["case-checks", "--case", "LC-2025-004"], "LC-2025-0004"),
]


@pytest.mark.parametrize(("args", "nearest"), NOT_FOUND, ids=lambda a: " ".join(a[:2]))
def test_every_questions_not_found_exits_1_and_names_the_nearest(
    sample_graph: Graph, args: list[str], nearest: str
) -> None:
    code, text = run(sample_graph, "query", *args)
    assert code == NOT_FOUND_EXIT == 1, text
    assert "未找到" in text and "did you mean" in text and nearest in text, text


def test_a_name_far_from_everything_is_not_found_without_suggestions(sample_graph: Graph) -> None:
    code, text = run(sample_graph, "query", "case-checks", "--case", "完全无关的名字")
    assert code == 1 and "未找到" in text and "did you mean" not in text, text


def test_a_report_about_a_missing_region_exits_1(sample_graph: Graph, tmp_path: Path) -> None:
    target = tmp_path / "m.xlsx"
    args = ["report", "matrix", "--region", "鲤城", "--format", "xlsx", "--out", str(target)]
    result = runner.invoke(app, args, env=env_of(sample_graph))
    assert result.exit_code == 1 and not target.exists()
    assert "鲤城区(350502)" in str(result.exception)


def test_a_bad_date_is_one_clear_line(sample_graph: Graph) -> None:
    result = runner.invoke(
        app,
        [
            "query",
            "authority",
            "--item",
            "LC-CG-001",
            "--street",
            "开元街道",
            "--as-of",
            "2024-13-01",
        ],
        env=env_of(sample_graph),
    )
    assert result.exit_code != 0
    assert "not a date YYYY-MM-DD" in str(result.exception or result.output)


def test_the_gap_report_as_xlsx_and_csv(sample_graph: Graph, tmp_path: Path) -> None:
    code, text = run(
        sample_graph,
        "report",
        "gaps",
        "--region",
        "鲤城区",
        "--as-of",
        "2025-07-01",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "gaps.xlsx"),
    )
    assert code == 0, text
    book = openpyxl.load_workbook(tmp_path / "gaps.xlsx")
    gaps = book.worksheets[0]
    assert str(gaps["A1"].value).startswith("覆盖缺口")  # the title row, then the header
    header = [cell.value for cell in gaps[2]]
    rules = {row[header.index("规则(编码)")] for row in gaps.iter_rows(min_row=3, values_only=True)}
    assert "min_legal_reviewers_per_zone" in rules
    assert gaps.page_setup.orientation == "landscape" and gaps.page_setup.fitToWidth == 1
    args = ["report", "gaps", "--zone", "LC-Z2", "--as-of", "2025-07-01", "--format", "csv"]
    code, text = run(sample_graph, *args, "--out", str(tmp_path / "gaps.zip"))
    assert code == 0, text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gaps.xlsx", "gaps.zip"]
    with zipfile.ZipFile(tmp_path / "gaps.zip") as archive:
        first = archive.read(archive.namelist()[0])
    assert first.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(first.decode("utf-8-sig"), newline="")))
    result = runner.invoke(
        app, [*args, "--out", str(tmp_path / "gaps.csv")], env=env_of(sample_graph)
    )
    assert result.exit_code != 0 and "--out gaps.zip" in str(result.exception)
    assert not (tmp_path / "gaps.csv").exists()


def test_the_evaluation_report_as_xlsx_ranks_each_item_and_street(
    sample_graph: Graph, tmp_path: Path
) -> None:
    target = tmp_path / "评估.xlsx"
    args = ["report", "evaluation", "--region", "350502", "--from", "2025-01-01"]
    code, text = run(
        sample_graph, *args, "--to", "2025-12-31", "--format", "xlsx", "--out", str(target)
    )
    assert code == 0, text
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    assert str(sheet["A1"].value).startswith("赋权事项评估 鲤城区")
    header = [cell.value for cell in sheet[2]]
    advice = {row[header.index("评估建议")] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert {"建议评估收回", "已收回或交回"} <= advice
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    code, text = run(sample_graph, "query", "evaluation", "--region", "鲤城区", "--from",
                     "2025-12-31", "--to", "2025-01-01")  # fmt: skip
    assert code != 0


def test_the_zone_publication_has_the_division_and_each_officer_list(
    sample_graph: Graph, tmp_path: Path
) -> None:
    target = tmp_path / "zones.xlsx"
    code, text = run(
        sample_graph,
        "report",
        "zones",
        "--region",
        "350502",
        "--as-of",
        "2025-07-01",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    assert code == 0, text
    names = openpyxl.load_workbook(target).sheetnames
    # the division, the zone item list in force (17.2), and each zone's officer list
    assert names[0].startswith("片区划分") and names[1] == "片区联合执法基础事项清单", names
    assert len(names) == 4 and all(n.endswith("片区联合执法人员名单") for n in names[2:]), names
    code, text = run(sample_graph, "report", "zones", "--region", "350502", "--format", "json")
    assert code == 0 and len(json.loads(text)["parts"]) == 2


def test_csv_without_out_is_refused(sample_graph: Graph) -> None:
    result = runner.invoke(
        app, ["report", "gaps", "--region", "350502", "--format", "csv"], env=env_of(sample_graph)
    )
    assert result.exit_code != 0 and "--out" in str(result.exception)


def test_dispute_decide_records_and_authority_cites_it(fresh_sample_graph: Graph) -> None:
    graph = fresh_sample_graph
    code, text = run(
        graph,
        "dispute",
        "decide",
        "--dispute",
        "LC-D-2025-01",
        "--for",
        "临江街道",
        "--basis",
        "现场勘验",
        "--by",
        "鲤城区城市管理和综合执法局",
    )
    assert code == 0 and "audit entry AUD-" in text, text
    code, text = run(
        graph,
        "query",
        "authority",
        "--item",
        "LC-CG-001",
        "--street",
        "海滨街道",
        "--as-of",
        "2025-06-01",
        "--json",
    )
    assert [p["dispute"] for p in json.loads(text)["precedents"]] == ["LC-D-2025-01"]


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_question_examples() -> list[list[str]]:
    text = README.read_text(encoding="utf-8").split("## Asking the registry", 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("authreg ")]


def test_the_readme_examples_run_on_the_sample(
    sample_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # reports write their files here
    examples = readme_question_examples()
    assert len(examples) >= 10
    for args in examples:
        if args[0] == "dispute":
            continue  # a write: test_dispute_decide_records_and_authority_cites_it runs it
        code, text = run(sample_graph, *args)
        assert code == 0, (args, text)
