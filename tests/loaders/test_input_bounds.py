"""Hostile files are refused cheaply with their place (输入上限): workbook bombs, cut CSV files,
YAML bombs and impossible dates, formula cells in the load report, and the load's exit status."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from rich.console import Console

from authreg import load_command
from authreg.errors import InputError
from authreg.load_command import run_load
from authreg.settings import load_settings
from loaders.catalog_meta import read_meta
from loaders.input_limits import InputLimits
from loaders.organisation import read_data_file
from loaders.read import read_tables
from loaders.report import LoadReport
from tests.loaders.malformed_corpus import CATALOG, META, sheet_xml, xlsx_bytes

ROWS = [line.split(",") for line in CATALOG.splitlines()]


def refusal(path: Path, **options: object) -> InputError:
    with pytest.raises(InputError) as caught:
        read_tables(path, **options)
    return caught.value


# ---- workbooks ----------------------------------------------------------------------------


def test_a_tiny_workbook_whose_only_cell_is_XFD1048576_is_refused_before_it_is_parsed(
    tmp_path: Path,
) -> None:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx_bytes(sheet_xml([], extra=far)))
    assert path.stat().st_size < 8_000
    started = time.perf_counter()
    error = refusal(path)
    assert time.perf_counter() - started < 5  # refused from the XML, no 17-billion-cell grid
    assert (error.file.name, error.row, error.column) == ("far.xlsx", 1_048_576, "XFD")
    assert "17,179,869,184 cells" in str(error) and "the limit is 20,000,000" in str(error)


def test_a_workbook_that_inflates_a_thousandfold_is_refused_as_a_zip_bomb(tmp_path: Path) -> None:
    padded = sheet_xml(ROWS).replace("<sheetData>", " " * (300 * 1024**2) + "<sheetData>", 1)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx_bytes(padded))
    assert path.stat().st_size < 400_000
    message = str(refusal(path))
    assert message.startswith("bomb.xlsx: ")
    assert "AUTHREG_INPUT_MAX_INFLATED_BYTES" in message or "ZIP bomb" in message


def test_a_member_larger_than_its_declared_size_is_refused_as_damaged(tmp_path: Path) -> None:
    from tests.loaders.malformed_corpus import _lie_about_size

    good = xlsx_bytes(sheet_xml(ROWS))
    path = tmp_path / "lying.xlsx"
    path.write_bytes(_lie_about_size(good, "xl/worksheets/sheet1.xml", 10))
    assert "damaged or truncated" in str(refusal(path))


def test_the_sheet_limit_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_bytes(sheet_xml(ROWS)))
    assert read_tables(path)[0].rows  # 4 rows × 7 columns: within the default
    monkeypatch.setenv("AUTHREG_INPUT_MAX_SHEET_CELLS", "20")
    message = str(refusal(path))
    assert "the limit is 20 cells (AUTHREG_INPUT_MAX_SHEET_CELLS)" in message
    assert "limit is 20 cells" in str(refusal(path, limits=InputLimits(max_sheet_cells=20)))


# ---- CSV ----------------------------------------------------------------------------------


def test_a_list_cut_mid_row_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(CATALOG[: CATALOG.rindex(",行政检查")], encoding="utf-8")  # last row: 3 cells
    error = refusal(path)
    assert (error.row, error.column) == (4, "事项类型")
    assert "cut short" in str(error)


def test_a_list_ending_inside_a_quoted_cell_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(CATALOG + '4,T-004,"对未按规定,处罚', encoding="utf-8")
    error = refusal(path)
    assert (error.row, error.column) == (5, "C")
    assert "never closed" in str(error)


def test_a_short_last_row_that_ends_its_line_is_a_row_not_a_cut(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(CATALOG + "4,T-004,事项四,行政检查\n", encoding="utf-8")
    [table] = read_tables(path)
    assert table.rows[-1].cells[:4] == ("4", "T-004", "事项四", "行政检查")


def test_a_file_cut_inside_a_utf8_character_names_its_last_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(CATALOG.encode()[:-3])
    error = refusal(path)
    assert error.row == 4 and "ends inside a UTF-8 character" in str(error)


def test_more_columns_than_a_spreadsheet_has_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = [*ROWS[0], *(f"列{j}" for j in range(18_300))]
    path.write_text(",".join(header) + "\n" + ",".join(ROWS[1]) + "\n", encoding="utf-8")
    error = refusal(path)
    assert (error.row, error.column) == (1, "XFE")
    assert "at most 16,384 columns" in str(error)


# ---- YAML ---------------------------------------------------------------------------------


def catalog_with_meta(folder: Path, meta: bytes) -> Path:
    (folder / "c.meta.yaml").write_bytes(meta)
    catalog = folder / "c.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    return catalog


def meta_error(folder: Path, meta: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        read_meta(catalog_with_meta(folder, meta))
    return caught.value


def test_an_impossible_date_in_metadata_names_its_line_and_key(tmp_path: Path) -> None:
    error = meta_error(tmp_path, META.replace("2024-09-11", "2025-02-30").encode())
    assert (error.file.name, error.row, error.column) == ("c.meta.yaml", 4, "effective")
    assert "「2025-02-30」 is not a real date" in str(error)


def test_gbk_metadata_is_refused_with_the_line_of_its_first_other_byte(tmp_path: Path) -> None:
    error = meta_error(tmp_path, META.encode("gbk"))
    assert error.row == 2 and "is not UTF-8" in str(error)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_nesting_past_the_limit_is_refused_before_it_is_built(tmp_path: Path, depth: int) -> None:
    # libyaml's builder recurses in C: 100,000 open brackets crashed the process
    deep = META + "notes: " + "[" * depth + "]" * depth + "\n"
    error = meta_error(tmp_path, deep.encode())
    assert error.row == 8 and "nested more than 64 levels" in str(error)
    assert error.column == "notes.0.0…"


def test_a_billion_laughs_is_refused_at_the_alias_that_passes_the_limit(tmp_path: Path) -> None:
    laughs = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    path = tmp_path / "org.yaml"
    path.write_text("kind: organisation\nl0: &l0 lol\n" + laughs, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_data_file(path)
    assert time.perf_counter() - started < 5
    assert caught.value.row is not None and "aliases" in str(caught.value)


def test_a_key_given_twice_is_an_error_not_the_last_one_winning(tmp_path: Path) -> None:
    error = meta_error(tmp_path, (META + "effective: 2030-01-01\n").encode())
    assert (error.row, error.column) == (8, "effective")


def test_a_validation_error_in_organisation_data_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    source = Path(__file__).parents[1] / "catalogs" / "county" / "organisation.yaml"
    path.write_text(
        source.read_text(encoding="utf-8").replace("kind: 镇, mode", "kind: 村, mode"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_data_file(path)
    assert (caught.value.row, caught.value.column) == (13, "streets.2.kind")


# ---- the report and the exit status -------------------------------------------------------


def test_the_problems_csv_escapes_formula_cells(tmp_path: Path) -> None:
    report = LoadReport()
    report.warning("=cmd.csv", "kept as raw text", row=5, value="=cmd|' /C calc'!A0")
    report.save_csv(tmp_path / "problems.csv")
    with (tmp_path / "problems.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["value"] == "'=cmd|' /C calc'!A0"
    assert row["file"] == "'=cmd.csv"
    assert row["message"] == "kept as raw text"


def test_an_internal_error_while_loading_exits_2_not_the_warnings_only_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(load_command, "plan_load", broken)
    out = io.StringIO()
    status = run_load(
        [tmp_path],
        load_settings(),
        Console(file=out, width=200),
        check=True,
        report_file=None,
        as_json=False,
        overrides={},
    )
    assert status == 2
    assert "internal error (RecursionError" in out.getvalue()
    assert "Traceback" not in out.getvalue()
