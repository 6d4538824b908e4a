"""Publication exports (片区划分, 联合执法人员名单) and writing sheets as XLSX / CSV."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from authreg.errors import RegistryError
from authreg.export_files import PRINT_WIDTH_BUDGET, print_widths, sheet_names, write_sheets
from queries.answers import Answer, Sheet
from queries.zone_division import zone_division
from queries.zone_officers import zone_officers
from tests.conftest import Graph

OLD_TOWN = [
    "王志强",
    "陈丽娟",
    "郑美玲",
    "苏文斌",
    "李国栋",
    "张海燕",
    "洪志明",
    "许丽华",
    "庄伟",
    "施婷婷",
    "何静",
]
JIANGNAN = [
    "黄建华",
    "林晓东",
    "吴俊杰",
    "蔡雅琴",
    "刘明辉",
    "洪志明",
    "许丽华",
    "庄伟",
    "施婷婷",
    "曾志伟",
]
CST = timezone(timedelta(hours=8))


def sample_sheet(title: str = "片区划分") -> Sheet:
    return Sheet(
        title=title,
        columns=["名称", "日期", "时间", "人数", "备注"],
        rows=[
            ["老城区片区", date(2024, 9, 11), datetime(2024, 10, 16, 9, 30, tzinfo=CST), 4, "=1+1"],
            ["江南新区片区", None, None, 4, "-2+3"],
            ["@SUM(A1)", date(2025, 7, 1), None, 0, "正常文字"],
        ],
    )


def test_zone_division_lists_both_licheng_zones_with_streets_and_squads(
    sample_graph: Graph,
) -> None:
    division = sample_graph.read(zone_division, region="350502", as_of=date(2024, 10, 1))
    assert [zone.name for zone in division.zones] == ["老城区片区", "江南新区片区"]
    old_town, jiangnan = division.zones
    assert [s.name for s in old_town.streets] == ["开元街道", "鲤中街道", "海滨街道", "临江街道"]
    assert [s.name for s in jiangnan.streets] == ["江南街道", "浮桥街道", "金龙街道", "常泰街道"]
    assert [q.name for q in jiangnan.squads] == ["鲤城区城市管理综合执法大队直属二中队"]
    assert division.unzoned == [] and division.unknown == []
    [sheet] = division.sheets()
    assert sheet.rows[0][2] == "开元街道、鲤中街道、海滨街道、临江街道"


def test_zone_division_before_the_plan_and_in_a_zoneless_county_says_so(
    sample_graph: Graph,
) -> None:
    before = sample_graph.read(zone_division, region="鲤城区", as_of=date(2024, 9, 10))
    assert before.zones == [] and len(before.unzoned) == 8
    eshan = sample_graph.read(zone_division, region="峨山彝族自治县", as_of=date(2025, 3, 1))
    assert eshan.zones == [] and eshan.unknown
    missing = sample_graph.read(zone_division, region="999999", as_of=date(2025, 3, 1))
    assert missing.unknown == ["地区 999999 不在登记簿中"]


def test_zone_officers_lists_each_zones_posted_officers_with_certificates(
    sample_graph: Graph,
) -> None:
    roster = sample_graph.read(zone_officers, region="350502", as_of=date(2024, 10, 1))
    by_zone = {zone.zone_name: zone for zone in roster.zones}
    assert sorted(o.name for o in by_zone["老城区片区"].officers) == sorted(OLD_TOWN)
    assert sorted(o.name for o in by_zone["江南新区片区"].officers) == sorted(JIANGNAN)
    he_jing = next(o for o in by_zone["老城区片区"].officers if o.name == "何静")
    assert (he_jing.certificate, he_jing.department, he_jing.roles) == (
        "35050220230701",
        "鲤城区司法局",
        ["法制审核人员"],
    )
    assert all(o.certified for zone in roster.zones for o in zone.officers)
    titles = [sheet.title for sheet in roster.sheets()]
    assert titles == ["老城区片区联合执法人员名单", "江南新区片区联合执法人员名单"]


def test_expired_certificate_is_flagged_on_the_published_list(sample_graph: Graph) -> None:
    roster = sample_graph.read(zone_officers, region="350502", as_of=date(2025, 7, 1))
    jiangnan = next(zone for zone in roster.zones if zone.zone_name == "江南新区片区")
    lin = next(o for o in jiangnan.officers if o.name == "林晓东")
    assert (lin.valid_to, lin.certified) == (date(2025, 6, 30), False)
    row = next(r for r in roster.sheets()[1].rows if r[1] == "林晓东")
    assert row[2] == "35050220200202" and row[9] == "否"


def test_xlsx_has_one_titled_frozen_worksheet_per_sheet_with_real_dates(tmp_path: Path) -> None:
    sheets = [sample_sheet(), sample_sheet("名单: 老城区/江南 [2024]*?")]
    [written] = write_sheets(sheets, tmp_path / "out.xlsx", "xlsx", made_on=date(2025, 7, 2))
    workbook = load_workbook(written)
    assert workbook.sheetnames == ["片区划分", "名单_ 老城区_江南 _2024___"]
    worksheet = workbook["片区划分"]
    assert worksheet["A1"].value == "片区划分(制表日期:2025-07-02)" and worksheet["A1"].font.bold
    assert "A1:E1" in {str(merged) for merged in worksheet.merged_cells.ranges}
    assert worksheet["A2"].value == "名称" and worksheet["A2"].font.bold
    assert worksheet.freeze_panes == "A3"
    assert worksheet["A3"].value == "老城区片区"
    assert worksheet["B3"].value == datetime(2024, 9, 11)  # a real date cell
    assert worksheet["B3"].number_format == "yyyy-mm-dd"
    assert worksheet["C3"].value == datetime(2024, 10, 16, 9, 30)  # wall-clock time kept
    assert worksheet["E3"].value == "'=1+1" and worksheet["E3"].data_type == "s"
    assert worksheet["A5"].value == "'@SUM(A1)"
    assert worksheet["E4"].alignment.wrap_text
    assert worksheet.column_dimensions["A"].width >= 12  # 6 CJK characters, two columns each


def test_every_worksheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated(
    tmp_path: Path,
) -> None:
    wide = Sheet(
        title="覆盖缺口 鲤城区 2025-07-01",
        columns=["规则", "规则说明", "依据", "原文", "对象", "实测", "标准", "说明", "整改建议"],
        rows=[
            [
                "min_legal_reviewers_per_zone",
                "每个片区至少配备1名法制审核人员" * 3,
                "LC-P1 方案",
                "原文" * 80,
                "江南新区片区",
                "0",
                "1",
                "说明" * 40,
                "配备法制审核人员" * 5,
            ]
        ]
        * 60,
    )
    [written] = write_sheets([wide, sample_sheet()], tmp_path / "gaps.xlsx", "xlsx")
    for worksheet in load_workbook(written).worksheets:
        setup = worksheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert worksheet.print_title_rows == "$2:$2"
        widths = [worksheet.column_dimensions[c].width for c in "ABCDEFGHI"[: worksheet.max_column]]
        assert sum(widths) <= PRINT_WIDTH_BUDGET + 1, widths
    gaps = load_workbook(written).worksheets[0]
    header = [cell.value for cell in gaps[2]]
    assert header[0] == "规则说明" and header[-1] == "规则(编码)", header  # Chinese first
    assert gaps["I3"].value == "min_legal_reviewers_per_zone"


def test_print_widths_shrink_the_widest_columns_first() -> None:
    widths = print_widths([10, 60, 60, 60, 60, 12])
    assert widths[0] == 10 and widths[-1] == 12 and sum(widths) <= PRINT_WIDTH_BUDGET + 1
    assert print_widths([10, 20]) == [10, 20]


def test_xlsx_prints_to_pdf_one_page_wide_when_libreoffice_is_here(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("neither soffice nor libreoffice is on PATH: the PDF page count is not checked")
    columns = ["规则", "规则说明", "依据", "原文", "对象", "实测", "标准", "说明", "整改建议"]
    rows = [
        ["LC-P1", "规则说明" * 5, "方案", "原文" * 20, f"街道{n}", "0", "1", "说明", "配备"]
        for n in range(8)
    ]
    sheet = Sheet(title="覆盖缺口", columns=columns, rows=rows)
    [written] = write_sheets([sheet], tmp_path / "gaps.xlsx", "xlsx")
    artefacts = tmp_path / "artefacts"  # kept by pytest (its basetemp) to look at
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(artefacts), str(written)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = (artefacts / "gaps.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    print(f"PDF of the printed sheet: {artefacts / 'gaps.pdf'} ({pages} pages)")
    assert pages == 1, pages  # 9 columns, 8 rows, one page wide: one page, not one per column


def test_sheet_names_are_cleaned_cut_to_31_and_unique() -> None:
    long_title = "鲤城区" * 20
    names = sheet_names(["a/b", "a:b", "'History'", long_title, long_title, ""])
    assert names[:3] == ["a_b", "a_b(2)", "History_"]
    assert len(names[3]) == 31 and len(names[4]) == 31 and names[3] != names[4]
    assert names[5] == "Sheet"


def test_csv_of_several_sheets_is_a_zip_of_utf8_bom_crlf_files(tmp_path: Path) -> None:
    [written] = write_sheets(
        [sample_sheet(), sample_sheet("名单/第二")], tmp_path / "zones.zip", "csv"
    )
    assert written == tmp_path / "zones.zip" and list(tmp_path.iterdir()) == [written]
    with zipfile.ZipFile(written) as archive:
        assert archive.namelist() == ["片区划分.csv", "名单_第二.csv"]
        raw = archive.read("片区划分.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["名称", "日期", "时间", "人数", "备注"]
    assert rows[1] == ["老城区片区", "2024-09-11", "2024-10-16 09:30:00+08:00", "4", "'=1+1"]
    assert rows[2][4] == "'-2+3" and rows[3][0] == "'@SUM(A1)" and rows[2][1] == ""


def test_csv_of_several_sheets_into_a_named_folder(tmp_path: Path) -> None:
    written = write_sheets([sample_sheet(), sample_sheet("名单")], tmp_path / "zones", "csv")
    assert written == [tmp_path / "zones" / "片区划分.csv", tmp_path / "zones" / "名单.csv"]
    assert all(path.read_bytes().startswith(b"\xef\xbb\xbf") for path in written)


def test_csv_of_several_sheets_into_one_csv_file_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with pytest.raises(RegistryError, match=r"2 tables .*--out zones\.zip"):
        write_sheets([sample_sheet(), sample_sheet("名单")], tmp_path / "zones.csv", "csv")
    assert list(tmp_path.iterdir()) == []


def test_single_sheet_csv_is_written_at_the_given_path(tmp_path: Path) -> None:
    assert write_sheets([sample_sheet()], tmp_path / "one.csv", "csv") == [tmp_path / "one.csv"]
    assert list(tmp_path.iterdir()) == [tmp_path / "one.csv"]


def test_published_zone_lists_round_trip_through_xlsx(sample_graph: Graph, tmp_path: Path) -> None:
    roster = sample_graph.read(zone_officers, region="350502", as_of=date(2024, 10, 1))
    division = sample_graph.read(zone_division, region="350502", as_of=date(2024, 10, 1))
    [written] = write_sheets(division.sheets() + roster.sheets(), tmp_path / "pub.xlsx", "xlsx")
    workbook = load_workbook(written)
    assert workbook.sheetnames == [
        "片区划分",
        "老城区片区联合执法人员名单",
        "江南新区片区联合执法人员名单",
    ]
    names = [
        row[1]
        for row in workbook["老城区片区联合执法人员名单"].iter_rows(min_row=3, values_only=True)
    ]
    assert sorted(names) == sorted(OLD_TOWN)


class TwoSheets(Answer):
    def sheets(self) -> list[Sheet]:
        return [sample_sheet(), sample_sheet("名单")]


def test_to_frame_without_pandas_names_the_analysis_extra() -> None:
    if importlib.util.find_spec("pandas") is not None:
        pytest.skip("pandas is installed here: the missing-extra message cannot be reached")
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'authreg\[analysis\]'"):
        TwoSheets().to_frame()


def test_to_frame_gives_a_sheet_as_a_dataframe() -> None:
    pytest.importorskip("pandas", reason="pandas (the optional `analysis` extra) is not installed")
    frame = TwoSheets().to_frame("名单")
    assert list(frame.columns) == ["名称", "日期", "时间", "人数", "备注"]
    assert frame["名称"].tolist() == ["老城区片区", "江南新区片区", "@SUM(A1)"]
    assert TwoSheets().to_frame(0).shape == (3, 5)
    with pytest.raises(KeyError, match="名单"):
        TwoSheets().to_frame("没有")
