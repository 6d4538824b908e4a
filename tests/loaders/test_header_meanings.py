"""Headers by meaning (表头语义): qualifiers, synonyms and word orders the spelling list lacks.

The real catalogs in data/real-catalogs/ map without a header_map, and so do their headers
rewritten the ways published lists vary them: a qualifier in brackets of either width, spaces
and line breaks inside, another word order, a basis column named after the power it grounds.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authreg.errors import InputError
from loaders.catalog_meta import CatalogMeta
from loaders.headers import HeaderMap, Meaning, normalise_header
from loaders.read import read_tables
from loaders.report import LoadReport
from loaders.rows import READ_FIELDS, validate_table
from loaders.tables import SourceRow, Table

REAL = Path(__file__).resolve().parents[2] / "data" / "real-catalogs"
REAL_FILES = sorted(REAL.glob("*.csv"))
HEADERS = HeaderMap.default()


def table(*headers: str) -> Table:
    cells = tuple(f"cell {i}" for i in range(len(headers)))
    rows = [SourceRow(Path("x.csv"), None, 2, cells)]
    return Table(Path("x.csv"), None, 1, list(headers), list(headers), rows)


def meaning(header: str) -> str | None:
    return HEADERS.match(normalise_header(header))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # a basis column named after the power it grounds, or qualified
        ("行政处罚依据", "basis"),
        ("处罚依据", "basis"),
        ("行政许可依据", "basis"),
        ("实施依据(法律法规规章)", "basis"),
        ("实施依据（法律法规规章）", "basis"),
        ("实施依据【法律、法规、规章】", "basis"),
        ("法律法规规章依据", "basis"),
        ("依据(实施)", "basis"),
        ("实施\n依据", "basis"),
        ("实 施 依 据", "basis"),
        # the receiving bodies under their usual names, qualified, in either word order
        ("承接主体", "street"),
        ("实施主体", "street"),
        ("赋权范围", "street"),
        ("赋权对象", "street"),
        ("承接主体（乡镇、街道）", "street"),
        ("承接乡镇（街道）", "street"),
        ("乡镇(街道)承接", "street"),
        ("主体（承接）", "street"),
        ("赋权乡镇（街道）", "street"),
        ("街道乡镇", "street"),
        ("受委托乡镇", "street"),
        # the per-row mode
        ("赋权方式", "mode"),
        ("委托方式", "mode"),
        ("方式", "mode"),
        ("赋权（委托）方式", "mode"),
        # others
        ("行政处罚事项名称(子项)", "item_name"),
        ("处罚事项", "item_name"),
        ("*事项名称", "item_name"),
        ("事项名称：", "item_name"),
        ("原实施部门（单位）", "department"),
        ("委托部门", "department"),
        ("执法领域(行业)", "domain"),
        ("变更情况", "action"),
        ("事项编码（唯一）", "item_code"),
    ],
)
def test_a_header_maps_by_its_meaning(header: str, field: str) -> None:
    assert meaning(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "名称",  # whose name? an item's, a department's, a street's
        "依据说明",
        "责任事项依据",  # the basis of the duties (权责清单), not of the power
        "委托单位",  # the entrusting body or the entrusted one
        "赋权单位",
        "主体",
        "单位",
        "执法主体",  # read by nothing (see header_spellings.yaml); it never means street
    ],
)
def test_a_header_of_unknown_or_unsure_meaning_maps_to_no_read_field(header: str) -> None:
    assert meaning(header) in {None, "subject"}


def test_no_spelling_of_one_field_fits_the_meaning_of_another() -> None:
    """The vocabulary is checked against itself: the list and the meanings never disagree."""
    disagreements = [
        (spelling, field, sorted(HEADERS.meanings(f"{spelling}(x)") - {field}))
        for field in HEADERS.fields
        for spelling in HEADERS.spellings(field)
        if HEADERS.meanings(f"{spelling}(x)") - {field}
    ]
    assert disagreements == []


def test_a_clash_on_a_field_nothing_reads_is_a_warning() -> None:
    """Two standards (处罚标准, 裁量基准): nothing reads `standard`, so the table maps, with a
    warning, and neither column is taken for it."""
    columns = HEADERS.map_columns(
        table("事项名称", "实施依据", "处罚标准", "裁量基准"), used=READ_FIELDS
    )
    assert "standard" not in columns and columns["basis"] == 1
    [warning] = columns.warnings
    assert "「处罚标准」 and 「裁量基准」" in warning and "does not read" in warning
    assert set(columns.extras) == {"处罚标准", "裁量基准"}


def test_a_clash_on_a_read_field_is_refused_with_the_fix() -> None:
    with pytest.raises(InputError) as caught:
        HEADERS.map_columns(table("事项名称", "实施依据", "行政处罚依据"), used=READ_FIELDS)
    message = str(caught.value)
    assert "columns 「实施依据」 and 「行政处罚依据」 both map to 实施依据 (basis)" in message
    assert "headers found: 事项名称 → item_name, 实施依据 → basis, 行政处罚依据 → basis" in message
    assert "`prefer: {basis: 实施依据}` (or `ignore: [行政处罚依据]`)" in message


def test_a_header_that_fits_two_fields_maps_to_neither_and_says_so() -> None:
    form = Meaning(needs=(frozenset({"依据"}),), may=frozenset({"处罚"}))
    ambiguous = HeaderMap(
        {"basis": ["实施依据"], "remarks": ["备注"]}, meanings={"basis": [form], "remarks": [form]}
    )
    columns = ambiguous.map_columns(table("实施依据", "处罚依据"))
    assert dict(columns.fields) == {"basis": 0}
    [warning] = columns.warnings
    assert "「处罚依据」 could mean" in warning and "maps to neither" in warning


def test_the_fix_a_refusal_suggests_makes_the_table_map(tmp_path: Path) -> None:
    """The `fields:` line a missing-column refusal prints, put in a mapping file, works."""
    bare = table("序号", "名称", "依据说明")
    with pytest.raises(InputError) as caught:
        HEADERS.map_columns(bare, required=["item_name", "basis"])
    fix = str(caught.value).split("put `", 1)[1].split("`", 1)[0]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(fix + "\n", encoding="utf-8")
    columns = HeaderMap.load(mapping).map_columns(bare, required=["item_name", "basis"])
    assert (columns["item_name"], columns["basis"]) == (1, 2)


# -- real catalogs, as published and with their headers varied --------------------------------


def mapped(file: Path, headers: list[str] | None = None) -> dict[str, int]:
    """Field → column of a real catalog's first table, optionally under other headers."""
    [read] = read_tables(file)
    if headers is not None:
        read = replace(read, headers=[normalise_header(h) for h in headers])
    meta = CatalogMeta()
    report = LoadReport()
    validate_table(read, meta, HEADERS, report)  # refuses (InputError) when it cannot map
    assert not [p for p in report.errors if p.row == read.header_row], report.errors
    return dict(HEADERS.map_columns(read, used=READ_FIELDS).fields)


@pytest.mark.parametrize("file", REAL_FILES, ids=lambda f: f.stem)
def test_every_real_catalog_maps_without_a_header_map(file: Path) -> None:
    fields = mapped(file)
    assert {"item_name", "basis"} <= set(fields)


QUALIFIERS = ["(法律法规规章)", "（必填）", "【说明】", "(含子项)", "（乡镇、街道）"]


def varied(header: str, cut: int, qualifier: str, blank: str) -> str:
    """A header as another list prints it: broken by a space or line break, qualified."""
    if not header or "/" in header:
        return header
    at = cut % (len(header) + 1)
    return f"{header[:at]}{blank}{header[at:]}{qualifier}"


@settings(max_examples=60, deadline=None)
@given(
    file=st.sampled_from(REAL_FILES),
    cut=st.integers(min_value=0, max_value=20),
    qualifier=st.sampled_from(QUALIFIERS),
    blank=st.sampled_from(["", " ", "\n", "\u3000", "\r\n"]),
)
def test_real_catalog_headers_varied_map_the_same(
    file: Path, cut: int, qualifier: str, blank: str
) -> None:
    [read] = read_tables(file)
    headers = [varied(h, cut + i, qualifier, blank) for i, h in enumerate(read.headers)]
    assert mapped(file, headers) == mapped(file)


# Synonyms and word orders a list may use for a real catalog's own headers.
REWORDED = {
    "实施依据": "行政确认依据",
    "执法依据": "实施依据（法律、法规、规章）",
    "检查依据": "抽查依据",
    "权力依据": "依据（法律法规）",
    "设定依据": "行政处罚依据",
    "法律法规依据": "法律法规规章依据",
    "设立依据": "处罚依据",
    "行政处罚设定依据": "处罚依据",
    "原实施主体": "原实施部门（单位）",
    "项目名称": "事项名称（子项）",
    "职权名称": "行政处罚事项名称",
    "权力事项名称": "处罚事项",
    "事项名称": "检查事项",
    "赋权事项": "下放事项",
}


@pytest.mark.parametrize("file", REAL_FILES, ids=lambda f: f.stem)
def test_real_catalogs_reworded_map_the_same(file: Path) -> None:
    [read] = read_tables(file)
    headers = [REWORDED.get(h, h) for h in read.headers]
    assert headers != read.headers  # every real catalog has a header reworded here
    assert mapped(file, headers) == mapped(file)
