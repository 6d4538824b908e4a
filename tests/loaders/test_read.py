"""Reading catalog tables (读取目录文件): encodings, title rows, two-row headers, bad files."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authreg.errors import InputError
from loaders.headers import HeaderMap
from loaders.read import read_tables
from loaders.tables import CellRef, SourceRow, Table

REPO = Path(__file__).resolve().parents[2]
CATALOGS = REPO / "tests" / "catalogs"
BAD = CATALOGS / "bad"
REAL = REPO / "data" / "real-catalogs"
REAL_FILES = sorted(REAL.glob("*.csv"))


def read_one(path: Path, **options: object) -> Table:
    [table] = read_tables(path, **options)
    return table


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def store_formula_values(path: Path, values: dict[str, str]) -> None:
    """Give formulas the cached values Excel would save (openpyxl writes none)."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/"):
                for ref, value in values.items():
                    cell = rf'<c r="{ref}"><f>(.*?)</f><v\s*/>'.encode()
                    cached = rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>'.encode()
                    data = re.sub(cell, cached, data)
            archive.writestr(info, data)


def error_of(path: Path, **options: object) -> InputError:
    with pytest.raises(InputError) as caught:
        read_tables(path, **options)
    return caught.value


# ---- the real catalogs ------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_every_real_catalog_reads_and_maps_item_name_and_basis(path: Path) -> None:
    table = read_one(path)
    columns = HeaderMap.default().map_columns(table, required=["item_name", "basis"])
    assert table.rows
    assert all(row.cells[columns["item_name"]] for row in table.rows if row.cells[0])
    assert all(row.cells[columns["basis"]] for row in table.rows)


def real(stem: str) -> Path:
    path = REAL / f"{stem}.csv"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    return path


def test_traditional_headers_are_read_as_simplified_and_kept_raw() -> None:
    table = read_one(real("chongqing-qianjiang_fading-zhifa-shixiang-2025_mirror-traditional"))
    assert table.headers == ["序号", "事项名称", "事项类型", "执法主体", "执法依据"]
    assert table.raw_headers == ["序號", "事項名稱", "事項類型", "執法主體", "執法依據"]
    assert table.rows[0].cells[2] == "行政檢查"  # cells stay as published


def test_two_row_header_combines_the_spanning_top_cell_with_its_sub_columns() -> None:
    table = read_one(real("chongqing-scjgj_suiji-choucha-shixiang-qingdan-v2"))
    assert table.header_row == 2
    assert table.headers[:4] == ["序号", "单位名称", "抽查项目/抽查类别", "抽查项目/抽查事项"]
    assert [row.row for row in table.rows] == [3, 4]
    columns = HeaderMap.default().map_columns(table, ["item_name", "category", "department"])
    assert (columns["category"], columns["item_name"]) == (2, 3)
    assert table.rows[1].cells[columns["department"]] == ""  # merged: the reader cannot know


def test_fill_down_carries_merged_group_cells_of_a_csv_export() -> None:
    table = read_one(real("chongqing-scjgj_suiji-choucha-shixiang-qingdan-v2"))
    columns = HeaderMap.default().map_columns(table, ["department", "category"])
    filled = table.fill_down([columns["department"], columns["category"]])
    second = filled.rows[1]
    assert second.cells[1:4] == ("重庆市市场监督管理局", "登记事项检查", "名称规范使用情况的检查")
    assert second.carried == {columns["department"], columns["category"]}
    assert second.cells[0] == ""  # 序号 was not asked for
    assert not filled.rows[0].carried
    assert table.rows[1].cells[1] == ""  # the table itself is unchanged


def test_two_row_header_with_a_blank_filler_cell_and_unknown_sub_headers() -> None:
    table = read_one(real("guizhou-guiding-yunwu-zhen_quanli-zeren-qingdan"))
    assert table.header_row == 2
    assert table.headers[5:7] == ["职责边界换分/县级部门", "职责边界换分/乡镇(街道)"]
    columns = HeaderMap.default().map_columns(table, ["item_name", "basis"])
    assert "street" not in columns  # the duty-boundary sub-column is not a street (ignored)
    assert [row.row for row in table.rows] == [3]


def test_line_breaks_inside_headers_are_removed_and_kept_inside_cells() -> None:
    table = read_one(real("unknown-jmsxyglxh_fuquan-zhiquan"))
    assert table.headers[4] == "赋权层级"
    assert table.raw_headers[4] == "赋权\n层级"
    assert table.rows[0].cells[2] == "行政\n处罚"


def test_rows_are_numbered_as_in_the_spreadsheet_not_by_the_catalogs_own_numbers() -> None:
    table = read_one(real("neimenggu-ewenke-qi_sumu-fuquan-shixiang-fragment"))
    assert [(row.row, row.cells[0]) for row in table.rows][:2] == [(2, "50"), (3, "51")]


# ---- CSV: encodings, delimiters, layout -------------------------------------------------


HEADER = "序号,事项名称,实施依据\n"
ROW = "1,对破坏基本农田保护区标志的处罚,《基本农田保护条例》第三十二条\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encoding_is_detected_not_assumed(tmp_path: Path, encoding: str) -> None:
    table = read_one(write_csv(tmp_path / "x.csv", HEADER + ROW, encoding))
    assert table.headers == ["序号", "事项名称", "实施依据"]
    assert table.rows[0].cells[2] == "《基本农田保护条例》第三十二条"


def test_gb18030_characters_beyond_gbk_are_read(tmp_path: Path) -> None:
    table = read_one(write_csv(tmp_path / "x.csv", HEADER + "1,𠀀字事项,依据\n", "gb18030"))
    assert table.rows[0].cells[1] == "𠀀字事项"


def test_big5_traditional_file_is_not_misread_as_gbk(tmp_path: Path) -> None:
    text = "序號,事項名稱,執法依據\n1,消防安全檢查,《中華人民共和國消防法》第三十一條\n"
    table = read_one(write_csv(tmp_path / "x.csv", text, "big5"))
    assert table.headers == ["序号", "事项名称", "执法依据"]
    assert table.rows[0].cells[1] == "消防安全檢查"


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = (HEADER + "1,对某行为的处罚|另一项,依据\n").replace(",", delimiter).replace("|", ",")
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.headers == ["序号", "事项名称", "实施依据"]
    assert table.rows[0].cells[1] == "对某行为的处罚,另一项"


def test_comma_wins_when_cells_are_full_of_semicolons(tmp_path: Path) -> None:
    text = HEADER + '1,"受理;审查;决定;送达;监管",依据;另一依据\n'
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.rows[0].cells == ("1", "受理;审查;决定;送达;监管", "依据;另一依据")


def test_title_and_blank_rows_above_the_header_are_kept_as_titles(tmp_path: Path) -> None:
    text = "附件1 乡镇行政权力事项目录清单(第一批),,\n,,\n" + HEADER + ROW
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.header_row == 3
    assert table.title_rows == [("附件1 乡镇行政权力事项目录清单(第一批)",)]
    assert table.rows[0].row == 4


def test_blank_rows_are_skipped_but_rows_keep_their_numbers(tmp_path: Path) -> None:
    text = HEADER + ROW + ",,\n\n  , ,\n" + ROW.replace("1,", "2,", 1)
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert [row.row for row in table.rows] == [2, 6]


def test_cells_are_stripped_but_keep_inner_line_breaks(tmp_path: Path) -> None:
    text = HEADER + '1 ,"  对某行为\r\n的处罚 ",\t依据\u3000\r\n'
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.rows[0].cells == ("1", "对某行为\n的处罚", "依据")


def test_headers_are_normalised_and_raw_headers_kept(tmp_path: Path) -> None:
    text = '"事项\n名称",赋权 街镇,实施依据\u3000,（序号）\n对某事,开元街道,依据,1\n'
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.headers == ["事项名称", "赋权街镇", "实施依据", "(序号)"]
    assert table.raw_headers == ["事项\n名称", "赋权 街镇", "实施依据", "（序号）"]


def test_short_rows_are_padded_and_blank_trailing_columns_dropped(tmp_path: Path) -> None:
    text = "序号,事项名称,实施依据,,\n1,对某事\n2,对另一事,依据,,\n"
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.headers == ["序号", "事项名称", "实施依据"]
    assert [row.cells for row in table.rows] == [("1", "对某事", ""), ("2", "对另一事", "依据")]


def test_a_header_row_with_only_one_known_spelling_is_still_the_first_row(tmp_path: Path) -> None:
    table = read_one(write_csv(tmp_path / "x.csv", "序号,名称,依据说明\n1,某事,某法\n"))
    assert table.header_row == 1
    assert table.headers == ["序号", "名称", "依据说明"]


def test_group_headers_above_a_row_of_known_spellings_combine(tmp_path: Path) -> None:
    text = "序号,事项信息,,依据信息\n,事项名称,事项类型,实施依据\n1,对某事,行政处罚,某法\n"
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.header_row == 2
    assert table.headers == ["序号", "事项信息/事项名称", "事项信息/事项类型", "依据信息/实施依据"]


def test_a_data_row_with_blank_leading_cells_is_not_a_second_header(tmp_path: Path) -> None:
    text = HEADER + ",对某事,某法\n"
    table = read_one(write_csv(tmp_path / "x.csv", text))
    assert table.header_row == 1
    assert table.rows[0].row == 2


def test_source_row_and_table_name_a_cell_for_errors(tmp_path: Path) -> None:
    table = read_one(write_csv(tmp_path / "x.csv", HEADER + ROW))
    row = table.rows[0]
    assert table.at(row, 2) == CellRef(table.file, 2, "实施依据", None)
    assert str(row.at("实施依据").error("cannot parse")) == (
        "x.csv, row 2, column 「实施依据」: cannot parse"
    )
    assert str(InputError(row.file, "bad", row=row.row, column=table.headers[1])) == (
        "x.csv, row 2, column 「事项名称」: bad"
    )


cell_text = st.text(
    alphabet=st.sampled_from(list("对某行为的处罚依据第一条《》、,;\"' \nabc123")), max_size=30
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=8))
def test_any_cells_round_trip_through_a_csv_file(
    tmp_path: Path, rows: list[tuple[str, str]]
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([("事项名称", "实施依据"), *rows])
    path = write_csv(tmp_path / "round_trip.csv", buffer.getvalue())
    expected = [tuple(c.strip() for c in row) for row in rows]
    expected = [row for row in expected if any(row)]
    if not expected:
        assert "no data rows" in str(error_of(path))
        return
    assert [row.cells for row in read_one(path).rows] == expected


# ---- XLSX -------------------------------------------------------------------------------


def test_workbook_title_row_two_row_header_and_merged_body_cells() -> None:
    first, second = read_tables(CATALOGS / "title_rows_two_sheets.xlsx")
    assert (first.sheet, first.header_row) == ("第一批", 4)
    assert first.title_rows == [("附件1 乡镇行政权力事项目录清单(第一批)",)]
    assert first.headers == [
        "序号",
        "单位名称",
        "抽查项目/抽查类别",
        "抽查项目/抽查事项",
        "检查依据",
        "发布日期",
    ]
    assert [row.row for row in first.rows] == [5, 6]
    assert first.rows[1].cells[:4] == (
        "1",
        "重庆市市场监督管理局",
        "登记事项检查",
        "名称规范使用情况的检查",
    )
    assert first.rows[0].cells[5] == "2022-04-18"
    assert (second.sheet, second.headers[1]) == ("第二批", "事项名称")


def test_hidden_sheets_are_skipped_and_a_sheet_can_be_named() -> None:
    path = CATALOGS / "title_rows_two_sheets.xlsx"
    assert [t.sheet for t in read_tables(path)] == ["第一批", "第二批"]
    assert read_one(path, sheet="第二批").rows[0].cells[1] == "消防安全检查"


def test_a_missing_sheet_is_named_with_the_sheets_there_are() -> None:
    error = error_of(CATALOGS / "title_rows_two_sheets.xlsx", sheet="第三批")
    assert "「第三批」" in str(error) and "「第一批」" in str(error)


def test_cell_values_read_as_the_user_sees_them(tmp_path: Path) -> None:
    values = [
        12.0,
        2.5,
        0.1 + 0.2,
        datetime.date(2024, 9, 11),
        datetime.datetime(2024, 9, 11, 8, 30),
        True,
        110101000000,
    ]
    header = ["事项名称", "实施依据", "a", "b", "c", "d", "e"]
    table = read_one(write_xlsx(tmp_path / "x.xlsx", ("S", [header, values])))
    assert table.rows[0].cells == (
        "12",
        "2.5",
        "0.3",
        "2024-09-11",
        "2024-09-11 08:30:00",
        "TRUE",
        "110101000000",
    )


def test_a_formula_is_read_as_its_saved_value(tmp_path: Path) -> None:
    rows = [["序号", "事项名称", "实施依据"], [1, '="消防"&"检查"', "消防法"]]
    path = write_xlsx(tmp_path / "x.xlsx", ("S", rows))
    store_formula_values(path, {"B2": "消防检查"})
    assert read_one(path).rows[0].cells[1] == "消防检查"


def test_a_formula_that_returns_an_empty_string_is_a_blank_cell(tmp_path: Path) -> None:
    rows = [["序号", "事项名称", "实施依据"], [1, "消防检查", '=""']]
    path = write_xlsx(tmp_path / "x.xlsx", ("S", rows))
    store_formula_values(path, {"C2": ""})
    assert read_one(path).rows[0].cells[2] == ""


def test_a_horizontally_merged_header_over_data_is_a_duplicate(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ("S", [["事项名称", "实施依据", None], ["a", "b", "c"]]))
    workbook = openpyxl.load_workbook(path)
    workbook["S"].merge_cells("B1:C1")
    workbook.save(path)
    error = error_of(path)
    assert "columns B and C" in str(error) and "column 「实施依据」" in str(error)


def test_a_user_header_map_finds_a_header_below_a_title(tmp_path: Path) -> None:
    text = "某县清单,,\n编号,办理事项,法规条款\n1,对某事,某法\n"
    path = write_csv(tmp_path / "x.csv", text)
    assert read_one(path).header_row == 2  # no known spellings: the first row of two cells
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("fields:\n  item_name: [办理事项]\n  basis: [法规条款]\n", "utf-8")
    user = HeaderMap.load(mapping)
    table = read_one(path, header_map=user)
    assert (table.header_row, table.title_rows) == (2, [("某县清单",)])
    assert user.map_columns(table, ["item_name", "basis"])["basis"] == 2


def test_an_empty_sheet_beside_a_full_one_is_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ("空", []), ("S", [list(HEADER.split(",")), [1, 2, 3]]))
    assert [t.sheet for t in read_tables(path)] == ["S"]
    assert "sheet 「空」" in str(error_of(path, sheet="空"))


# ---- bad input: each a clear InputError naming file, row and column ---------------------


def test_missing_file(tmp_path: Path) -> None:
    assert str(error_of(tmp_path / "gone.csv")).startswith("gone.csv: file not found")


def test_a_folder_is_not_a_catalog(tmp_path: Path) -> None:
    (tmp_path / "dir.csv").mkdir()
    assert "is a folder" in str(error_of(tmp_path / "dir.csv"))


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    assert "「.pdf」" in str(error_of(write_csv(tmp_path / "x.pdf", HEADER)))


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n,,\n"])
def test_empty_csv(tmp_path: Path, text: str) -> None:
    assert str(error_of(write_csv(tmp_path / "x.csv", text))) == "x.csv: file is empty"


def test_header_only_csv(tmp_path: Path) -> None:
    error = error_of(write_csv(tmp_path / "x.csv", HEADER + ",,\n"))
    assert str(error) == "x.csv: has a header (row 1) but no data rows"


def test_duplicate_headers_name_both_columns(tmp_path: Path) -> None:
    error = error_of(write_csv(tmp_path / "x.csv", "序号,事项 名称,实施依据,事项名称\n1,a,b,c\n"))
    assert error.row == 1 and error.column == "事项名称"
    assert "columns B and D" in str(error)


def test_a_cell_over_the_limit_names_row_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", HEADER + ROW + f"2,对某事,{'法' * 100_001}\n")
    error = error_of(path)
    assert str(error).startswith("x.csv, row 3, column 「实施依据」: cell has 100,001 characters")


def test_the_cell_limit_is_configurable(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", HEADER + ROW)
    assert "limit is 10" in str(error_of(path, max_cell_chars=10))


def test_a_cell_longer_than_the_csv_modules_own_limit_is_ours_to_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", HEADER + f'1,对某事,"{"法" * 200_000}"\n')
    assert "cell has 200,000 characters" in str(error_of(path))


def test_a_csv_that_is_really_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes((CATALOGS / "title_rows_two_sheets.xlsx").read_bytes())
    assert "rename it to .xlsx" in str(error_of(tmp_path / "x.csv"))


def test_an_xlsx_that_is_not_a_zip_archive(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.xlsx", HEADER + ROW)
    assert str(error_of(path)) == "x.xlsx: is not an .xlsx workbook (not a ZIP archive)"


def test_a_csv_name_on_a_sheet_option_is_refused(tmp_path: Path) -> None:
    assert "no sheets" in str(error_of(write_csv(tmp_path / "x.csv", HEADER + ROW), sheet="S"))


def test_all_empty_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ("S", []))
    assert str(error_of(path)).startswith("x.xlsx: file is empty")


BAD_FILES = {
    # file: (row, column, words the message must hold)
    "empty.csv": (None, None, "file is empty"),
    "header_only.csv": (None, None, "has a header (row 1) but no data rows"),
    "duplicate_columns.csv": (1, "事项名称", "columns B and D have the same header"),
    "value_without_header.csv": (3, "D", "column D has a value but no header"),
    "undecodable_encoding.csv": (1, None, "cannot tell the text encoding"),
    "binary_as_csv.csv": (3, None, "is a binary file, not CSV text"),  # its first NUL
    "truncated.xlsx": (None, None, "damaged or truncated"),
    "formula_without_value.xlsx": (2, None, "cell C2 holds the formula"),
    "error_value.xlsx": (2, None, "cell C2 shows #N/A"),
    "cell_at_XFD1048576.xlsx": (1_048_576, "XFD", "the limit is 20,000,000 cells"),
    "cut_mid_row.csv": (4, "事项类型", "is the file cut short?"),
    "unterminated_quote.csv": (5, "C", "is never closed"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_catalog_file_is_named_in_a_clear_error(name: str) -> None:
    row, column, words = BAD_FILES[name]
    error = error_of(BAD / name)
    message = str(error)
    assert message.startswith(name)
    assert words in message
    assert (error.row, error.column) == (row, column)
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"column 「{column}」" in message


def test_formula_error_names_the_sheet() -> None:
    error = error_of(BAD / "formula_without_value.xlsx")
    assert str(error).startswith("formula_without_value.xlsx, sheet 「清单」, row 2:")


@pytest.mark.parametrize("name", ["gbk_encoded.csv", "utf8_bom.csv", "tab_separated.tsv"])
def test_good_sample_catalogs_read_and_map(name: str) -> None:
    table = read_one(CATALOGS / name)
    HeaderMap.default().map_columns(table, required=["item_name", "basis"])
    assert not table.rows[0].cells[0].startswith(codecs.BOM_UTF8.decode())
    assert isinstance(table.rows[0], SourceRow)


def test_gbk_sample_keeps_its_multiline_cell() -> None:
    table = read_one(CATALOGS / "gbk_encoded.csv")
    assert table.rows[0].cells[4] == "乡镇\n街道"
    assert [row.row for row in table.rows] == [2, 3]


def test_the_odd_character_regex_is_unicodes_control_set_and_the_replacement_mark() -> None:
    """`ODD_CHARACTERS` stands for a per-character category check; the two agree everywhere."""
    import sys
    import unicodedata

    from loaders.csv_files import ODD_CHARACTERS

    def odd(ch: str) -> bool:
        return ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")

    differ = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if not 0xD800 <= point <= 0xDFFF
        and bool(ODD_CHARACTERS.fullmatch(chr(point))) != odd(chr(point))
    ]
    assert differ == []


def test_a_csv_with_too_many_control_characters_is_refused(tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.csv"
    noisy.write_text("事项名称,实施依据\n" + "\x01\x02\x1b" * 50 + ",x\n", encoding="utf-8")
    with pytest.raises(InputError, match="binary file or in an encoding"):
        read_one(noisy)
