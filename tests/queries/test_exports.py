"""Publication exports (片区划分, 联合执法人员名单) and writing sheets as XLSX / CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from openpyxl import load_workbook

from authreg.export_files import sheet_names, write_sheets
from queries.answers import Sheet
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


def test_xlsx_has_one_bold_frozen_worksheet_per_sheet_with_real_dates(tmp_path: Path) -> None:
    sheets = [sample_sheet(), sample_sheet("名单: 老城区/江南 [2024]*?")]
    [written] = write_sheets(sheets, tmp_path / "out.xlsx", "xlsx")
    workbook = load_workbook(written)
    assert workbook.sheetnames == ["片区划分", "名单_ 老城区_江南 _2024___"]
    worksheet = workbook["片区划分"]
    assert worksheet["A1"].value == "名称" and worksheet["A1"].font.bold
    assert worksheet.freeze_panes == "A2"
    assert worksheet["A2"].value == "老城区片区"
    assert worksheet["B2"].value == datetime(2024, 9, 11)  # a real date cell
    assert worksheet["B2"].number_format == "yyyy-mm-dd"
    assert worksheet["C2"].value == datetime(2024, 10, 16, 9, 30)  # wall-clock time kept
    assert worksheet["E2"].value == "'=1+1" and worksheet["E2"].data_type == "s"
    assert worksheet["A4"].value == "'@SUM(A1)"
    assert worksheet.column_dimensions["A"].width >= 12  # 6 CJK characters, two columns each


def test_sheet_names_are_cleaned_cut_to_31_and_unique() -> None:
    long_title = "鲤城区" * 20
    names = sheet_names(["a/b", "a:b", "'History'", long_title, long_title, ""])
    assert names[:3] == ["a_b", "a_b(2)", "History_"]
    assert len(names[3]) == 31 and len(names[4]) == 31 and names[3] != names[4]
    assert names[5] == "Sheet"


def test_csv_is_utf8_with_bom_and_crlf_one_file_per_sheet(tmp_path: Path) -> None:
    written = write_sheets(
        [sample_sheet(), sample_sheet("名单/第二")], tmp_path / "zones.csv", "csv"
    )
    assert [p.name for p in written] == ["zones-片区划分.csv", "zones-名单_第二.csv"]
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    with written[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["名称", "日期", "时间", "人数", "备注"]
    assert rows[1] == ["老城区片区", "2024-09-11", "2024-10-16 09:30:00+08:00", "4", "'=1+1"]
    assert rows[2][4] == "'-2+3" and rows[3][0] == "'@SUM(A1)" and rows[2][1] == ""


def test_single_sheet_csv_is_written_at_the_given_path(tmp_path: Path) -> None:
    assert write_sheets([sample_sheet()], tmp_path / "one.csv", "csv") == [tmp_path / "one.csv"]


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
        for row in workbook["老城区片区联合执法人员名单"].iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(names) == sorted(OLD_TOWN)
