"""Legal-basis cells (实施依据 / 设定依据 / 检查依据 …) parsed into citations."""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.citations import (
    MAX_RANGE_MEMBERS,
    BasisParse,
    Citation,
    document_key,
    normalise_title,
    parse_basis,
)
from loaders.numerals import chinese_numeral
from schema.enums import DocumentRank

REAL_CATALOGS = Path(__file__).resolve().parents[2] / "data" / "real-catalogs"
BASIS_HEADERS = {
    "实施依据",
    "法律依据",
    "设定依据",
    "设立依据",
    "执法依据",
    "執法依據",
    "检查依据",
    "权力依据",
    "行政处罚设定依据",
    "法律法规依据",
}

Ref = tuple[str, int | None, int | None, int | None]  # document key, article, 款, 项


@dataclass(frozen=True)
class BasisCell:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    text: str


def real_basis_cells() -> Iterator[BasisCell]:
    """Every legal-basis cell of every real catalog, under the second row of a two-row header."""
    for path in sorted(REAL_CATALOGS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = [re.sub(r"\s", "", cell) for cell in rows[0]]
        columns = [n for n, name in enumerate(header) if name in BASIS_HEADERS]
        for number, row in enumerate(rows[1:], start=2):
            # A two-row header (抽查项目 over 抽查类别 / 抽查事项) leaves row 2 blank under 依据
            # and blank in 序号: it names sub-columns and holds no item.
            if number == 2 and not row[0] and not any(row[n] for n in columns):
                continue
            for n in columns:
                yield BasisCell(path.name, number, rows[0][n], row[n])


def refs(parse: BasisParse) -> list[Ref]:
    return [(c.document_key, c.article, c.paragraph, c.item) for c in parse.citations]


def real_cell(file_prefix: str, row: int) -> str:
    [cell] = [c for c in real_basis_cells() if c.file.startswith(file_prefix) and c.row == row]
    return cell.text


# ── real cells, by file and spreadsheet row, read by hand ─────────────────────────────────────

FOREST, FOREST_RULES = "森林法", "森林法实施条例"
REAL_EXPECTED: dict[tuple[str, int], list[Ref]] = {
    ("anhui-mingguang", 2): [
        ("安徽省人口与计划生育条例", 39, None, None),
        ("安徽省人口与计划生育条例", 49, None, None),
    ],
    ("chongqing-qianjiang", 2): [("重庆市安全生产条例", 6, 3, None)],
    ("chongqing-qianjiang", 3): [("消防法", 31, None, None)],
    ("chongqing-qianjiang", 4): [("重庆市地质灾害防治条例", 20, 2, None)],
    ("chongqing-qianjiang", 5): [("重庆市村镇规划建设管理条例", 24, 2, None)],
    ("chongqing-scjgj", 3): [
        ("企业法人登记管理条例", 29, 1, None),
        ("公司登记管理条例", 71, None, None),
        ("公司登记管理条例", 72, None, None),
        ("合伙企业登记管理办法", 43, None, None),
        ("合伙企业登记管理办法", 44, None, None),
        ("外商投资合伙企业登记管理规定", 57, None, None),
        ("外商投资合伙企业登记管理规定", 58, None, None),
        ("个人独资企业法", 35, None, None),
        ("个人独资企业登记管理办法", 40, None, None),
        ("个人独资企业登记管理办法", 41, None, None),
        ("个人独资企业登记管理办法", 42, None, None),
        ("个人独资企业登记管理办法", 43, None, None),
        ("个体工商户条例", 22, None, None),
        ("农民专业合作社登记管理条例", 27, None, None),
        ("外国企业常驻代表机构登记管理条例", 18, None, None),
        ("外国企业常驻代表机构登记管理条例", 19, None, None),
        ("外国企业常驻代表机构登记管理条例", 36, 3, None),
        ("外国企业常驻代表机构登记管理条例", 38, None, None),
        ("电子商务法", 15, None, None),
    ],
    ("chongqing-scjgj", 4): [
        ("企业名称登记管理规定", 26, None, None),
        ("企业名称登记管理规定", 27, None, None),
        ("个体工商户条例", 23, 1, None),
        ("农民专业合作社登记管理条例", 27, None, None),
        ("外国企业常驻代表机构登记管理条例", 38, None, None),
        ("个人独资企业法", 34, None, None),
        ("合伙企业法", 94, None, None),
        ("合伙企业登记管理办法", 40, None, None),
        ("外商投资合伙企业登记管理规定", 54, None, None),
    ],
    ("guizhou-guiding", 3): [("户口登记条例", 3, None, None)],
    ("neimenggu-ewenke", 2): [(FOREST, 74, 1, None)],
    ("neimenggu-ewenke", 3): [(FOREST, 79, None, None), (FOREST_RULES, 42, None, 1)],
    ("neimenggu-ewenke", 4): [(FOREST, 79, None, None), (FOREST_RULES, 42, None, 2)],
    ("neimenggu-ewenke", 5): [(FOREST, 79, None, None), (FOREST_RULES, 42, None, 3)],
    ("neimenggu-ewenke", 6): [(FOREST, 79, None, None), (FOREST_RULES, 42, None, 4)],
    ("neimenggu-ewenke", 7): [("大气污染防治法", 119, 1, None)],
    ("neimenggu-ewenke", 8): [("基本农田保护条例", 32, None, None)],
    ("neimenggu-qingshuihe", 2): [("城乡规划法", 41, None, None)],
    ("neimenggu-qingshuihe", 3): [
        ("土地管理法", 62, None, None),
        ("内蒙古自治区实施土地管理法办法", 36, None, None),
    ],
    ("neimenggu-qingshuihe", 4): [("城市市容和环境卫生管理条例", 11, None, None)],
    ("neimenggu-qingshuihe", 5): [("草原法", 52, None, None)],
    ("shanxi-linyi", 2): [
        ("村庄和集镇规划建设管理条例", 37, 1, None),
        ("村庄和集镇规划建设管理条例", 37, 2, None),
        ("山西省村庄和集镇规划建设管理实施办法", 21, None, None),
    ],
    # The cell quotes the lead-in of 第一百一十一条 and one item, (一) or (四): that item is cited.
    ("unknown-jmsxyglxh", 2): [("固体废物污染环境防治法", 111, None, 1)],
    ("unknown-jmsxyglxh", 3): [("固体废物污染环境防治法", 111, None, 4)],
    ("unknown-jmsxyglxh", 4): [("城市建筑垃圾管理规定", 20, None, 1)],
}


@pytest.mark.parametrize(("file_prefix", "row"), list(REAL_EXPECTED))
def test_real_catalog_cell_gives_the_citations_read_by_hand(file_prefix: str, row: int) -> None:
    parse = parse_basis(real_cell(file_prefix, row))
    assert refs(parse) == REAL_EXPECTED[(file_prefix, row)]
    assert parse.status == "parsed"


def test_every_real_basis_cell_parses_fully() -> None:
    cells = list(real_basis_cells())
    parses = {(c.file, c.row): parse_basis(c.text) for c in cells}
    not_parsed = {at: (p.status, p.unparsed) for at, p in parses.items() if p.status != "parsed"}
    assert len(cells) == 23  # 8 files: 1 + 4 + 2 + 1 + 7 + 4 + 1 + 3 data rows
    assert not_parsed == {}


@pytest.mark.parametrize("cell", [c.text for c in real_basis_cells()])
def test_real_cell_restored_to_full_width_parses_the_same(cell: str) -> None:
    # The copies were NFKC-normalised; the published catalogs used （），；：.
    full_width = cell.translate(
        str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})
    )
    assert comparable(parse_basis(full_width)) == comparable(parse_basis(cell))


def test_hand_table_covers_every_real_basis_cell() -> None:
    covered = {(c.file, c.row) for c in real_basis_cells()}
    expected = {
        (f, r)
        for f, r in covered
        for prefix, row in REAL_EXPECTED
        if f.startswith(prefix) and r == row
    }
    assert expected == covered


# ── cells in the shapes real catalogs use, read by hand ──────────────────────────────────────

FIRE, PENALTY, WASTE = "消防法", "行政处罚法", "固体废物污染环境防治法"
SHAPES: list[tuple[str, str, list[Ref]]] = [
    (
        "chinese numerals down to 项",
        "《中华人民共和国行政处罚法》第一百一十八条第一款第（三）项",
        [(PENALTY, 118, 1, 3)],
    ),
    (
        "half-width 项 brackets",
        "《中华人民共和国消防法》第六十条第一款第(三)项",
        [(FIRE, 60, 1, 3)],
    ),
    ("项 without brackets", "《中华人民共和国消防法》第六十条第一款第三项", [(FIRE, 60, 1, 3)]),
    ("Arabic article number", "《中华人民共和国消防法》第42条", [(FIRE, 42, None, None)]),
    ("full-width Arabic numbers", "《中华人民共和国消防法》第１５条第２款", [(FIRE, 15, 2, None)]),
    ("spaces inside the number", "《中华人民共和国消防法》第 十五 条", [(FIRE, 15, None, None)]),
    (
        "two articles",
        "《中华人民共和国消防法》第十条、第十二条",
        [(FIRE, 10, None, None), (FIRE, 12, None, None)],
    ),
    (
        "second 第 missing",
        "《企业名称登记管理规定》第二十六条、二十七条",
        [("企业名称登记管理规定", 26, None, None), ("企业名称登记管理规定", 27, None, None)],
    ),
    (
        "article range",
        "《中华人民共和国城乡规划法》第五条至第七条",
        [("城乡规划法", n, None, None) for n in (5, 6, 7)],
    ),
    (
        "range with one 第",
        "《中华人民共和国消防法》第十五至十七条",
        [(FIRE, n, None, None) for n in (15, 16, 17)],
    ),
    (
        "range by dash",
        "《中华人民共和国消防法》第十五条—第十七条",
        [(FIRE, n, None, None) for n in (15, 16, 17)],
    ),
    (
        "item range",
        "《中华人民共和国消防法》第六十条第一款第（六）项至第（十）项",
        [(FIRE, 60, 1, n) for n in range(6, 11)],
    ),
    (
        "item list",
        "《中华人民共和国森林法实施条例》第四十二条第一项、第二项、第三项、第四项",
        [(FOREST_RULES, 42, None, n) for n in (1, 2, 3, 4)],
    ),
    (
        "items sharing 第…项",
        "《中华人民共和国消防法》第六十条第一款第（一）、（二）项",
        [(FIRE, 60, 1, 1), (FIRE, 60, 1, 2)],
    ),
    (
        "items without separator",
        "《中华人民共和国消防法》第六十条第一款第（一）（二）项",
        [(FIRE, 60, 1, 1), (FIRE, 60, 1, 2)],
    ),
    (
        "paragraphs sharing 第…款",
        "《中华人民共和国消防法》第十五条第一、二款",
        [(FIRE, 15, 1, None), (FIRE, 15, 2, None)],
    ),
    (
        "paragraph after item",
        "《中华人民共和国治安管理处罚法》第二十三条第一款第（一）项、第二款",
        [("治安管理处罚法", 23, 1, 1), ("治安管理处罚法", 23, 2, None)],
    ),
    (
        "articles sharing 第…条",
        "《中华人民共和国行政许可法》第三十、三十二、三十四条。",
        [("行政许可法", n, None, None) for n in (30, 32, 34)],
    ),
    (
        "和 and 及 as separators",
        "《中华人民共和国消防法》第十五条、第六十条和第三十一条及第十条",
        [(FIRE, n, None, None) for n in (15, 60, 31, 10)],
    ),
    (
        "articles over two lines",
        "《中华人民共和国消防法》第十五条；\n第三十一条",
        [(FIRE, 15, None, None), (FIRE, 31, None, None)],
    ),
    (
        "numbered 1、",
        "1、《中华人民共和国消防法》第十五条\n2、《中华人民共和国行政许可法》第二十四条",
        [(FIRE, 15, None, None), ("行政许可法", 24, None, None)],
    ),
    (
        "numbered 1.",
        "1.《中华人民共和国森林法》第七十四条第一款；2.《中华人民共和国大气污染防治法》"
        "第一百一十九条第一款。",
        [(FOREST, 74, 1, None), ("大气污染防治法", 119, 1, None)],
    ),
    (
        "numbered (1) run together",
        "（1）《中华人民共和国草原法》第五十二条（2）《中华人民共和国土地管理法》第六十二条",
        [("草原法", 52, None, None), ("土地管理法", 62, None, None)],
    ),
    (
        "numbered ①",
        "①《中华人民共和国消防法》第十五条；②《中华人民共和国消防法》第六十条",
        [(FIRE, 15, None, None), (FIRE, 60, None, None)],
    ),
    (
        "同法",
        "《中华人民共和国消防法》第十五条；同法第六十条第一款",
        [(FIRE, 15, None, None), (FIRE, 60, 1, None)],
    ),
    (
        "该法",
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第（一）项，"
        "该法第一百一十一条第三款",
        [(WASTE, 111, 1, 1), (WASTE, 111, 3, None)],
    ),
    (
        "本条例",
        "《重庆市安全生产条例》第六条第三款，本条例第七条",
        [("重庆市安全生产条例", 6, 3, None), ("重庆市安全生产条例", 7, None, None)],
    ),
    (
        "前款",
        "《中华人民共和国消防法》第六十条第一款第（一）项，前款第（二）项",
        [(FIRE, 60, 1, 1), (FIRE, 60, 1, 2)],
    ),
    (
        "本条",
        "《中华人民共和国行政处罚法》第二十条第一款，本条第四款",
        [(PENALTY, 20, 1, None), (PENALTY, 20, 4, None)],
    ),
    (
        "同法 after a second law",
        "《中华人民共和国消防法》第十五条，《中华人民共和国行政许可法》第二十四条，同法第二十五条",
        [(FIRE, 15, None, None), ("行政许可法", 24, None, None), ("行政许可法", 25, None, None)],
    ),
    (
        "依据 before the title",
        "依据《安徽省人口与计划生育条例》第三十九条",
        [("安徽省人口与计划生育条例", 39, None, None)],
    ),
    ("title without 《》", "中华人民共和国森林法第七十九条", [(FOREST, 79, None, None)]),
    (
        "two titles without 《》",
        "依据森林法第七十九条和森林法实施条例第四十二条第（一）项",
        [(FOREST, 79, None, None), (FOREST_RULES, 42, None, 1)],
    ),
    ("unclosed 《", "《中华人民共和国消防法第十五条", [(FIRE, 15, None, None)]),
    ("<<title>>", "<<中华人民共和国消防法>>第十五条", [(FIRE, 15, None, None)]),
    (
        "run together, 〈〉 inner marks",
        "《中华人民共和国土地管理法》第六十二条《内蒙古自治区实施"
        "〈中华人民共和国土地管理法〉办法》第三十六条",
        [("土地管理法", 62, None, None), ("内蒙古自治区实施土地管理法办法", 36, None, None)],
    ),
    (
        "version inside the title",
        "《中华人民共和国消防法（2021年修正）》第三十一条",
        [(FIRE, 31, None, None)],
    ),
    (
        "version after the article",
        "《中华人民共和国消防法》第十五条（2021年修正）",
        [(FIRE, 15, None, None)],
    ),
    (
        "nested 《》 in the version",
        "《重庆市村镇规划建设管理条例》（根据《重庆市人民代表大会常务委员会"
        "关于修改〈重庆市村镇规划建设管理条例〉的决定》修正）第二十四条第二款",
        [("重庆市村镇规划建设管理条例", 24, 2, None)],
    ),
    (
        "traditional, half-width",
        "《中華人民共和國消防法》(2021年修正)第三十一條。",
        [(FIRE, 31, None, None)],
    ),
    (
        "traditional, full-width",
        "《重慶市地質災害防治條例》（2020年修訂）第二十條第二款。",
        [("重庆市地质灾害防治条例", 20, 2, None)],
    ),
    (
        "traditional list",
        "《中華人民共和國森林法》第七十四條第一款、第七十九條",
        [(FOREST, 74, 1, None), (FOREST, 79, None, None)],
    ),
    (
        "rank tags",
        "【法律】《中华人民共和国消防法》第六十条第一款第（三）项；【部门规章】《消防监督检查"
        "规定》第十条",
        [(FIRE, 60, 1, 3), ("消防监督检查规定", 10, None, None)],
    ),
    (
        "rank headings with a colon",
        "法律：《中华人民共和国消防法》第十五条；行政法规：《城市市容和环境卫生管理条例》第十一条",
        [(FIRE, 15, None, None), ("城市市容和环境卫生管理条例", 11, None, None)],
    ),
    (
        "tag before a bare title",
        "【行政法规】村庄和集镇规划建设管理条例 第三十七条",
        [("村庄和集镇规划建设管理条例", 37, None, None)],
    ),
    (
        "single quoted item gives the 项",
        "《中华人民共和国固体废物污染环境防治法》（2020年4月29日修订）"
        "第一百一十一条　违反本法规定，有下列行为之一，由县级以上地方人民政府环境卫生主管部门"
        "责令改正，处以罚款，没收违法所得：\n（一）随意倾倒、抛撒、堆放或者焚烧生活垃圾的。",
        [(WASTE, 111, None, 1)],
    ),
    (
        "two quoted items give no 项",
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条　违反本法"
        "规定，有下列行为之一：\n（一）随意倾倒生活垃圾的；\n（二）擅自关闭生活垃圾处理设施的。",
        [(WASTE, 111, None, None)],
    ),
    (
        "cross-reference in quoted text",
        "《中华人民共和国土地管理法》第六十二条　农村村民住宅用地，由乡"
        "（镇）人民政府审核批准；其中，涉及占用农用地的，依照本法第四十四条的规定办理审批手续。",
        [("土地管理法", 62, None, None)],
    ),
    (
        "law named in quoted text",
        "《中华人民共和国城乡规划法》第四十一条　确需占用农用地的，应当依照"
        "《中华人民共和国土地管理法》有关规定办理农用地转用审批手续。",
        [("城乡规划法", 41, None, None)],
    ),
    (
        "前款 in quoted text",
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条第二款　单位有前款"
        "第一项、第七项行为之一，处五万元以上五十万元以下的罚款。",
        [(WASTE, 111, 2, None)],
    ),
    (
        "quoted paragraphs, 第X款 restarts",
        "《中华人民共和国消防法》第十五条第一款　公众聚集场所投入使用、"
        "营业前消防安全检查实行告知承诺管理。\n第二款　消防救援机构对申请人提交的材料进行审查。",
        [(FIRE, 15, 1, None), (FIRE, 15, 2, None)],
    ),
    (
        "规定： before quoted text",
        "《中华人民共和国行政处罚法》第二十四条规定：省、自治区、直辖市根据"
        "当地实际情况，可以决定……",
        [(PENALTY, 24, None, None)],
    ),
    (
        "citation in free text",
        "乡镇人民政府、街道办事处依据《重庆市安全生产条例》第六条第三款\n的规定，"
        "对生产经营单位安全生产状况进行监督检查。",
        [("重庆市安全生产条例", 6, 3, None)],
    ),
    (
        "same law twice",
        "《中华人民共和国消防法》第十五条第一款\n《消防法》第六十条",
        [(FIRE, 15, 1, None), (FIRE, 60, None, None)],
    ),
]


@pytest.mark.parametrize(("shape", "cell", "expected"), SHAPES, ids=[s[0] for s in SHAPES])
def test_cell_shape_gives_the_citations_read_by_hand(
    shape: str, cell: str, expected: list[Ref]
) -> None:
    parse = parse_basis(cell)
    assert refs(parse) == expected
    assert parse.status == "parsed"
    assert parse.unparsed == []


LEFTOVERS: list[tuple[str, str, list[Ref], str, list[str]]] = [
    (
        "a document without article is kept",
        "《城市建筑垃圾管理规定》",
        [("城市建筑垃圾管理规定", None, None, None)],
        "partial",
        [],
    ),
    (
        "有关规定 gives no article",
        "根据《中华人民共和国消防法》有关规定",
        [(FIRE, None, None, None)],
        "partial",
        [],
    ),
    (
        "a backwards range is reported",
        "《中华人民共和国消防法》第十七条至第十五条",
        [(FIRE, 17, None, None), (FIRE, 15, None, None)],
        "partial",
        ["第十七条至第十五条"],
    ),
    (
        "an inserted article (之一) is reported",
        "《中华人民共和国大气污染防治法》第一百一十九条之一",
        [("大气污染防治法", None, None, None)],
        "partial",
        ["第一百一十九条之一"],
    ),
    ("an article without a document is reported", "第十条", [], "unparsed", ["第十条"]),
    ("同法 with nothing before it is reported", "同法第十条", [], "unparsed", ["同法第十条"]),
    ("no citation at all keeps the cell", "同上", [], "unparsed", ["同上"]),
    ("a placeholder keeps the cell", "无", [], "unparsed", ["无"]),
    ("a blank cell is empty", "  \n ", [], "empty", []),
]


@pytest.mark.parametrize(
    ("case", "cell", "expected", "status", "unparsed"), LEFTOVERS, ids=[c[0] for c in LEFTOVERS]
)
def test_what_cannot_be_resolved_is_kept_not_dropped(
    case: str, cell: str, expected: list[Ref], status: str, unparsed: list[str]
) -> None:
    parse = parse_basis(cell)
    assert refs(parse) == expected
    assert parse.status == status
    assert parse.unparsed == unparsed
    assert parse.raw == cell


# ── the other fields of a citation ───────────────────────────────────────────────────────────


def all_table_cells() -> list[str]:
    return [c.text for c in real_basis_cells()] + [s[1] for s in SHAPES] + [c[1] for c in LEFTOVERS]


@pytest.mark.parametrize("cell", all_table_cells())
def test_raw_is_an_exact_substring_of_the_cell(cell: str) -> None:
    parse = parse_basis(cell)
    assert parse.raw == cell
    for citation in parse.citations:
        assert citation.raw and citation.raw in cell


@pytest.mark.parametrize(
    ("cell", "versions"),
    [
        ("《中华人民共和国消防法》(2021年修正)第三十一条。", ["2021年修正"]),
        (
            "《中华人民共和国固体废物污染环境防治法》(2020年4月29日修订)第一百一十一条",
            ["2020年4月29日修订"],
        ),
        (
            "【行政法规】《村庄和集镇规划建设管理条例》(1993 年国务院令第 116号)\n第三十七条第一款",
            ["1993年国务院令第116号"],
        ),
        ("《城市建筑垃圾管理规定》 (原建设部令第139号)第二十条", ["原建设部令第139号"]),
        (
            "《中华人民共和国消防法（2021年修正）》第三十一条、第六十条",
            ["2021年修正", "2021年修正"],
        ),
        ("《中华人民共和国消防法》第十五条（2021年修正）", ["2021年修正"]),
        ("《重庆市安全生产条例》第六条", [None]),
    ],
)
def test_version_note_is_pulled_out_of_the_title(cell: str, versions: list[str | None]) -> None:
    parse = parse_basis(cell)
    assert [c.version_note for c in parse.citations] == versions
    assert all("(" not in c.title and "（" not in c.title for c in parse.citations)


def test_rank_tags_rank_the_title_after_them_only() -> None:
    parse = parse_basis(
        "【法律】《中华人民共和国消防法》第十五条；【政府规章】《山西省村庄和集镇规划建设管理实施办法》"
        "第二十一条；【地方性法规】《重庆市安全生产条例》第六条；《城市市容和环境卫生管理条例》第十一条"
    )
    assert [c.rank for c in parse.citations] == [
        DocumentRank.LAW,
        DocumentRank.LOCAL_GOVERNMENT_RULE,
        DocumentRank.LOCAL_REGULATION,
        None,
    ]


def test_a_rank_heading_ranks_every_title_under_it_until_the_next_heading() -> None:
    parse = parse_basis(
        "法律：《中华人民共和国消防法》第十五条、《中华人民共和国森林法》第七十九条\n"
        "行政法规：《城市市容和环境卫生管理条例》第十一条\n其他：《城市建筑垃圾管理规定》第二十条"
    )
    assert [c.rank for c in parse.citations] == [
        DocumentRank.LAW,
        DocumentRank.LAW,
        DocumentRank.ADMINISTRATIVE_REGULATION,
        None,
    ]
    assert parse.citations[1].raw == "《中华人民共和国森林法》第七十九条"


def test_prose_ending_like_a_title_is_not_a_document() -> None:
    parse = parse_basis("乡镇人民政府依法第十条")
    assert (parse.citations, parse.unparsed, parse.status) == ([], ["第十条"], "unparsed")


def test_headings_in_a_cell_are_not_quoted_text() -> None:
    parse = parse_basis(
        "法律依据：\n《中华人民共和国消防法》第十五条\n法规依据：\n《城市市容和环境卫生管理条例》第十一条"
    )
    assert refs(parse) == [(FIRE, 15, None, None), ("城市市容和环境卫生管理条例", 11, None, None)]
    assert [c.text for c in parse.citations] == [None, None]


def test_number_repeated_before_quoted_text_is_one_citation() -> None:
    [citation] = parse_basis(
        "《中华人民共和国消防法》第十五条 第十五条 公众聚集场所投入使用前，应当申请消防安全检查。"
    ).citations
    assert citation.text == "公众聚集场所投入使用前，应当申请消防安全检查。"


def test_shanxi_cell_keeps_tags_versions_and_article_texts() -> None:
    first, second, third = parse_basis(real_cell("shanxi-linyi", 2)).citations
    assert (first.rank, second.rank) == (DocumentRank.ADMINISTRATIVE_REGULATION,) * 2
    assert third.rank is DocumentRank.LOCAL_GOVERNMENT_RULE
    assert first.version_note == second.version_note == "1993年国务院令第116号"
    assert first.title == "村庄和集镇规划建设管理条例"
    assert first.raw.startswith("【行政法规】《村庄和集镇规划建设管理条例》")
    assert second.raw == "第三十七条第二款"
    assert (
        second.text
        == "农村居民未经批准或者违反规划的规定建住宅的,乡级人民政府可以依照前款规定处罚。"
    )
    assert third.text is not None and third.text.startswith(
        "未按规划审批程序批准或者违反规划的规定,"
    )
    assert third.text.endswith("由乡级人民政府依照前款规定处罚。")


def test_article_text_with_hard_line_breaks_is_joined() -> None:
    first, second = parse_basis(real_cell("anhui-mingguang", 2)).citations
    assert first.text == (
        "在国家提倡一对夫妻生育一个子女期间,自愿终身只生育一个子女的夫妻,可以向户籍所在地的乡(镇)"
        "人民政府或者街道办事处申请,免费领取独生子女父母光荣证"
    )
    assert second.text is not None and second.text.startswith(
        "已经领取独生子女父母光荣证的夫妻,依法"
    )
    assert second.raw == "第四十九条"


def test_article_text_after_the_citation_without_separator() -> None:
    [citation] = parse_basis(real_cell("guizhou-guiding", 3)).citations
    assert citation.text is not None and citation.text.startswith("居住在机关、团体、学校")
    assert citation.raw == "《中华人民共和国户口登记条例》第三条"


def test_enumerated_item_in_quoted_text_is_text_not_a_citation() -> None:
    [citation] = parse_basis(real_cell("unknown-jmsxyglxh", 2)).citations
    assert citation.text is not None and citation.text.endswith(
        "(一)随意倾倒、抛撒、堆放或者焚烧生活垃圾的。"
    )
    assert (
        citation.raw == "《中华人民共和国固体废物污染环境防治法》(2020年4月29日修订)第一百一十一条"
    )


def test_cell_without_quoted_text_has_no_text() -> None:
    assert all(c.text is None for c in parse_basis(real_cell("chongqing-scjgj", 3)).citations)


def test_traditional_cell_is_read_in_simplified_and_raw_stays_as_given() -> None:
    cell = real_cell("chongqing-qianjiang", 3)
    [citation] = parse_basis(cell).citations
    assert citation.title == "中华人民共和国消防法"
    assert citation.raw == "《中華人民共和國消防法》(2021年修正)第三十一條"


def test_title_keeps_what_was_written_and_key_drops_the_country_name() -> None:
    citation = parse_basis("《中华人民共和国森林法》第七十九条").citations[0]
    assert (citation.title, citation.document_key) == ("中华人民共和国森林法", "森林法")


# ── titles and document identity ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("《中华人民共和国企业法人登记管理条例》", "《企业法人登记管理条例》"),
        ("《森林法》", "《中华人民共和国森林法》"),
        ("《中華人民共和國消防法》", "消防法"),
        ("《中华人民共和国消防法（2021年修正）》", "《中华人民共和国消防法》"),
        (
            "《内蒙古自治区实施<中华人民共和国土地管理法>办法》",
            "内蒙古自治区实施〈土地管理法〉办法",
        ),
        ("《个体工商户条例 》", "个体工商户条例"),
        ("《ＸＸ法》", "XX法"),
    ],
)
def test_one_law_has_one_document_key(first: str, second: str) -> None:
    assert document_key(first) == document_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("《森林法实施条例》", "《森林法》"),
        ("《合伙企业法》", "《合伙企业登记管理办法》"),
        ("《XX办法（试行）》", "《XX办法》"),  # 试行 is part of the title, not a version
    ],
)
def test_different_laws_have_different_document_keys(first: str, second: str) -> None:
    assert document_key(first) != document_key(second)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("《中华人民共和国消防法》", ("中华人民共和国消防法", None)),
        ("《中华人民共和国消防法（2021年修正）》", ("中华人民共和国消防法", "2021年修正")),
        ("城市建筑垃圾管理规定 (原建设部令第139号)", ("城市建筑垃圾管理规定", "原建设部令第139号")),
        ("《中華人民共和國消防法》", ("中华人民共和国消防法", None)),
        ("《XX办法（试行）》", ("XX办法(试行)", None)),
        ("《消防法》2021年修正", ("消防法", "2021年修正")),
    ],
)
def test_normalise_title_splits_off_the_version_note(
    title: str, expected: tuple[str, str | None]
) -> None:
    assert normalise_title(title) == expected


# ── properties ───────────────────────────────────────────────────────────────────────────────

LAW = "《中华人民共和国消防法》"


def articles_of(parse: BasisParse) -> list[int | None]:
    return [c.article for c in parse.citations]


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=60))
def test_article_range_expands_to_every_article_between(low: int, width: int) -> None:
    high = low + width
    expected = list(range(low, high + 1))
    both = f"{LAW}第{chinese_numeral(low)}条至第{chinese_numeral(high)}条"
    shared = f"{LAW}第{chinese_numeral(low)}至{chinese_numeral(high)}条"
    assert articles_of(parse_basis(both)) == expected
    assert articles_of(parse_basis(shared)) == expected


@given(st.integers(min_value=1, max_value=15), st.integers(min_value=1, max_value=10))
def test_item_range_expands_within_its_article(low: int, width: int) -> None:
    high = low + width
    cell = f"{LAW}第六十条第一款第（{chinese_numeral(low)}）项至第（{chinese_numeral(high)}）项"
    assert refs(parse_basis(cell)) == [(FIRE, 60, 1, n) for n in range(low, high + 1)]


SEPARATORS = ["、", "，", ",", "；", ";", "和", "及", "\n", "、 ", "；\n"]


@given(
    st.lists(st.integers(min_value=1, max_value=300), min_size=2, max_size=6, unique=True),
    st.lists(st.sampled_from(SEPARATORS), min_size=5, max_size=5),
)
def test_any_separator_between_articles_gives_the_same_citations(
    articles: list[int], separators: list[str]
) -> None:
    parts = [f"第{chinese_numeral(n)}条" for n in articles]
    cell = (
        LAW
        + parts[0]
        + "".join(sep + part for sep, part in zip(separators, parts[1:], strict=False))
    )
    plain = LAW + "、".join(parts)
    assert (
        refs(parse_basis(cell))
        == refs(parse_basis(plain))
        == [(FIRE, n, None, None) for n in articles]
    )


TITLES = [
    "中华人民共和国消防法",
    "重庆市安全生产条例",
    "城市建筑垃圾管理规定",
    "内蒙古自治区实施<中华人民共和国土地管理法>办法",
]
VERSIONS = ["", "(2021年修正)", "(1993年国务院令第116号)", " (原建设部令第139号)"]
TAGS = ["", "【法律】", "【政府规章】"]


@st.composite
def reference(draw: st.DrawFn) -> str:
    text = f"第{chinese_numeral(draw(st.integers(1, 200)))}条"
    if draw(st.booleans()):
        text += f"第{chinese_numeral(draw(st.integers(1, 5)))}款"
    if draw(st.booleans()):
        text += f"第({chinese_numeral(draw(st.integers(1, 12)))})项"
    return text


@st.composite
def half_width_cell(draw: st.DrawFn) -> str:
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        title = f"《{draw(st.sampled_from(TITLES))}》{draw(st.sampled_from(VERSIONS))}"
        refs_text = draw(st.sampled_from([",", ";", "、"])).join(
            draw(st.lists(reference(), min_size=0, max_size=3))
        )
        documents.append(draw(st.sampled_from(TAGS)) + title + refs_text)
    return draw(st.sampled_from([";", "\n", ";\n", ""])).join(documents)


FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def comparable(parse: BasisParse) -> tuple[object, ...]:
    def fields(c: Citation) -> tuple[object, ...]:
        return (c.document_key, c.title, c.version_note, c.rank, c.article, c.paragraph, c.item)

    unparsed = [unicodedata.normalize("NFKC", u) for u in parse.unparsed]
    return parse.status, [fields(c) for c in parse.citations], unparsed


@given(half_width_cell())
def test_full_width_and_half_width_forms_of_a_cell_parse_the_same(cell: str) -> None:
    assert comparable(parse_basis(cell.translate(FULL_WIDTH))) == comparable(parse_basis(cell))


@given(half_width_cell())
def test_generated_cells_resolve_every_document(cell: str) -> None:
    parse = parse_basis(cell)
    assert parse.unparsed == []
    assert {c.document_key for c in parse.citations} <= {document_key(t) for t in TITLES}
    assert parse.status in {"parsed", "partial"}


CITATION_PIECES = [
    *"《》()（）第条款项一二三十百0123456789、，,;；:：\n 至和及【】<>〈〉“”之年修正号令例规定办",
    "法律",
    "行政法规：",
    "《中华人民共和国消防法》",
    "第十条",
    "第（三）项",
    "同法",
    "前款",
    "本条",
    "依据",
    "森林法",
    "(2021年修正)",
]


@given(st.lists(st.sampled_from(CITATION_PIECES), max_size=40).map("".join))
def test_any_text_parses_without_error_and_raws_come_from_the_cell(cell: str) -> None:
    parse = parse_basis(cell)
    assert parse.raw == cell
    assert all(c.raw and c.raw in cell for c in parse.citations)
    assert parse.status == "empty" or parse.citations or parse.unparsed


def test_a_circled_number_before_a_bare_title_starts_a_new_citation() -> None:
    # NFKC turns ② into the digit 2; it must stay a numbering mark, not swallow the second law
    parsed = parse_basis(
        "①《城镇市容秩序管理条例》第三十八条；②中华人民共和国城乡环境卫生法第五十一条第一款"
    )
    assert [(c.title, c.article, c.paragraph, c.text) for c in parsed.citations] == [
        ("城镇市容秩序管理条例", 38, None, None),
        ("中华人民共和国城乡环境卫生法", 51, 1, None),
    ]


# ── long cells: the parse is linear in the cell's length (hardening 13.4) ──────────────────────

# Pieces a hostile or broken cell repeats: runs of numerals, lists and items that never reach
# their 条 or 项, brackets that never close, ranges of 500 articles, and ordinary citations.
LONG_CELL_PIECES = [
    *CITATION_PIECES,
    "一二三四五六七八九十",
    "1、",
    "(1)",
    "(一)",
    "《《",
    "<<",
    "))",
    "第一条至第五百条、",
    "同法第十条",
    "本法",
    "依据中华人民共和国消防法第十条",
    "《消防法》第十五条 公众聚集场所。",
    "【法律】《a》",
    "(2021年修正",
]


def repeated(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def parse_work(cell: str) -> int:
    """Lines run and C functions called while parsing `cell` (a regex match is one call): a
    count of work that, unlike a time, does not depend on the machine or its load."""
    steps = 0

    def lines(frame: FrameType, event: str, arg: object) -> object:
        nonlocal steps
        steps += event == "line"
        return lines

    def calls(frame: FrameType, event: str, arg: object) -> None:
        nonlocal steps
        steps += event == "c_call"

    parse_basis.cache_clear()
    sys.settrace(lines)
    sys.setprofile(calls)
    try:
        parse_basis(cell)
    finally:
        sys.setprofile(None)
        sys.settrace(None)
    return steps


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LONG_CELL_PIECES), min_size=1, max_size=5).map("".join))
def test_work_grows_linearly_with_the_length_of_a_generated_cell(piece: str) -> None:
    # Four times the text, about four times the work: a scan from each position to the end (a
    # bracket looked for, a title searched backwards) gave sixteen. Every pattern tried at a
    # position is bounded (loaders.citation_refs.NUM), so a call is bounded work too.
    small, large = parse_work(repeated(piece, 1_000)), parse_work(repeated(piece, 4_000))
    assert large <= 4.6 * small + 1_000, (piece, small, large)


def test_a_100000_character_cell_of_citations_parses_completely() -> None:
    laws = ["中华人民共和国消防法", "重庆市安全生产条例", "中华人民共和国行政许可法"]
    parts, expected = [], []
    while sum(map(len, parts)) < 100_000:
        law, article = laws[len(parts) % 3], len(parts) // 3 + 1
        parts.append(f"《{law}》第{chinese_numeral(article)}条第二款；")
        expected.append((document_key(law), article, 2, None))
    cell = "\n".join(parts)
    parse = parse_basis(cell)
    assert len(cell) >= 100_000
    assert (refs(parse), parse.unparsed, parse.status) == (expected, [], "parsed")


@pytest.mark.parametrize(
    "piece", ["一二三四五六七八九十", "1、", "(一)", "《《", "违反规定的,由县级人民政府责令改正"]
)
def test_a_100000_character_cell_without_a_citation_is_kept_whole(piece: str) -> None:
    cell = repeated(piece, 100_000)
    parse = parse_basis(cell)
    assert (parse.citations, parse.unparsed, parse.status) == ([], [cell], "unparsed")


def test_ranges_add_at_most_their_budget_to_a_cell() -> None:
    # 第一条至第五百条 names 500 articles; 1,000 such ranges are no legal basis but a bomb.
    cell = repeated("《中华人民共和国消防法》第一条至第五百条；", 100_000)
    ranges = cell.count("第一条至第五百条")  # whole ones: the cell ends inside one
    parse = parse_basis(cell)
    assert len(parse.citations) <= MAX_RANGE_MEMBERS + 2 * ranges
    assert len(parse.unparsed) >= ranges - MAX_RANGE_MEMBERS // 498
    assert all(c.article in (1, 500) for c in parse.citations[MAX_RANGE_MEMBERS + 2 :])


# ── citations as written (documents issue 14.4) ────────────────────────────────────────────────

FOOD_SAFETY_CHAIN = (
    "《中华人民共和国食品安全法》(2009年2月28日第十一届全国人民代表大会常务委员会第七次会议通过"
    " 根据2015年4月24日第十二届全国人民代表大会常务委员会第十四次会议修订 根据2018年12月29日"
    "第十三届全国人民代表大会常务委员会第七次会议《全国人民代表大会常务委员会关于修改〈中华人民"
    "共和国产品质量法〉等五部法律的决定》第一次修正 根据2021年4月29日第十三届全国人民代表大会"
    "常务委员会第二十八次会议《全国人民代表大会常务委员会关于修改〈中华人民共和国道路交通安全法〉"
    "等八部法律的决定》第二次修正) 第一百二十二条"
)


@pytest.mark.parametrize("cell", [FOOD_SAFETY_CHAIN, FOOD_SAFETY_CHAIN.translate(FULL_WIDTH)])
def test_a_revision_chain_naming_decisions_is_the_version_note_not_citations(cell: str) -> None:
    parse = parse_basis(cell)
    assert refs(parse) == [("食品安全法", 122, None, None)]
    assert parse.status == "parsed"
    [citation] = parse.citations
    assert (
        citation.version_note is not None
        and "等八部法律的决定》第二次修正" in citation.version_note
    )


DECISION = "《全国人民代表大会常务委员会关于修改〈中华人民共和国{law}〉等{n}部法律的决定》"


@given(
    st.lists(
        st.tuples(
            st.integers(1990, 2024),
            st.sampled_from(["产品质量法", "港口法", "建筑法", "野生动物保护法"]),
            st.integers(2, 15),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 150),
)
def test_revision_chains_of_any_length_leave_one_citation(
    revisions: list[tuple[int, str, int]], article: int
) -> None:
    chain = "1985年6月18日第六届全国人民代表大会常务委员会第十一次会议通过" + "".join(
        f" 根据{year}年4月29日第十三届全国人民代表大会常务委员会第十次会议"
        f"{DECISION.format(law=law, n=chinese_numeral(n))}第{chinese_numeral(k)}次修正"
        for k, (year, law, n) in enumerate(revisions, start=1)
    )
    cell = f"《中华人民共和国草原法》({chain})第{chinese_numeral(article)}条"
    assert refs(parse_basis(cell)) == [("草原法", article, None, None)]


@pytest.mark.parametrize(
    "cell", ["《中华人民共和国消防法》第七条(六)", "《中华人民共和国消防法》第七条（六）"]
)
def test_a_bracketed_number_after_an_article_is_an_item_not_a_paragraph(cell: str) -> None:
    assert refs(parse_basis(cell)) == [(FIRE, 7, None, 6)]
    assert refs(parse_basis(cell.replace("(六)", "第六款").replace("（六）", "第六款"))) == [
        (FIRE, 7, 6, None)
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "《中华人民共和国森林法实施条例》第四十二条第一项至第四项",
        "《中华人民共和国森林法实施条例》第四十二条第(一)至(四)项",
        "《中华人民共和国森林法实施条例》第四十二条第（一）项至第（四）项",
        "《中华人民共和国森林法实施条例》第四十二条第一至四项",
    ],
)
def test_a_range_of_items_names_every_item(cell: str) -> None:
    assert refs(parse_basis(cell)) == [(FOREST_RULES, 42, None, n) for n in range(1, 5)]


DECISION_2020 = "《国务院关于取消和下放一批行政许可事项的决定》"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (f"{DECISION_2020}(国发〔2020〕13号)附件1第28项", [(1, 28)]),
        (f"{DECISION_2020}附件一第(二十八)项", [(1, 28)]),
        (
            f"{DECISION_2020}附件2《国务院决定下放的行政许可事项目录》第5项至第7项",
            [(2, 5), (2, 6), (2, 7)],
        ),
        (f"{DECISION_2020}附件1 第3项、第9项", [(1, 3), (1, 9)]),
    ],
)
def test_a_policy_document_is_cited_by_attachment_and_item(
    cell: str, expected: list[tuple[int, int]]
) -> None:
    parse = parse_basis(cell)
    assert [(c.attachment, c.item, c.article) for c in parse.citations] == [
        (attachment, item, None) for attachment, item in expected
    ]
    assert {c.document_key for c in parse.citations} == {document_key(DECISION_2020)}
    assert (parse.status, parse.unparsed) == ("parsed", [])


@pytest.mark.parametrize(
    "cell",
    [
        "【法律】《中华人民共和国消防法》第一条【行政法规】第十条",
        "法律：《中华人民共和国消防法》第一条\n行政法规：第十条",
        "1.《中华人民共和国消防法》第一条\n2.第十条",
        "第十条《中华人民共和国消防法》第一条",
    ],
)
def test_an_article_without_its_title_is_kept_not_credited_to_a_neighbour(cell: str) -> None:
    parse = parse_basis(cell)
    assert refs(parse) == [(FIRE, 1, None, None)]
    assert parse.unparsed == ["第十条"]
    assert parse.status == "partial"
