"""A corpus of malformed input files (畸形输入语料): catalogs, metadata, organisation and case files.

Each variant is a set of files written into an empty folder and the file `authreg load` is
given, with what it expects: `error` (exit 2, every error names the file and — unless the
problem is the file as a whole — the row, and the column where a cell is at fault) or `ok`
(it loads or warns: exit 0 or 1). The variants are built from small good files
(tests/catalogs/county) by truncating, re-encoding, padding, nesting and mixing them, so a
change to the good files carries into the corpus.
"""

from __future__ import annotations

import codecs
import functools
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

COUNTY = Path(__file__).resolve().parents[1] / "catalogs" / "county"
CATALOG = (COUNTY / "county-2024.csv").read_text(encoding="utf-8")
META = (COUNTY / "county-2024.meta.yaml").read_text(encoding="utf-8")
ORGANISATION = (COUNTY / "organisation.yaml").read_text(encoding="utf-8")
CASES = """kind: cases
cases:
  - id: T-CASE-1
    item: T-001
    occurred_in: "990101001"
    occurred_on: 2024-10-15
    filed_at: "2024-10-16T09:30:00+08:00"
    handled_by: "990101001"
    officers: ["T0001"]
    status: 立案
    summary: "某商户在人行道随意堆放生活垃圾"
    transfers:
      - {id: T-TR-1, from: "990101001", to: T-CGJ, sent_at: 2024-10-16T10:00:00+08:00}
"""
HEADER = CATALOG.splitlines()[0].split(",")

Expect = Literal["error", "ok"]


@dataclass(frozen=True)
class Variant:
    """Files to write, the one to load, and what `authreg load` must do with it."""

    name: str
    group: str  # catalog, xlsx, meta, organisation, cases
    files: dict[str, bytes]
    load: str  # the file name given to `authreg load`
    expect: Expect = "error"
    whole_file: bool = False  # the error is about the file as a whole: no row to name
    column: bool = False  # the error is about one cell: it names the column too
    notes: str = ""
    check_expect: Expect | None = None  # under `--check`, when it differs (no metadata needed)
    known_gap: str = ""  # a failure known and not yet mended when loading: the test xfails

    def expected(self, check: bool) -> Expect:
        return (self.check_expect or self.expect) if check else self.expect

    def write(self, folder: Path) -> Path:
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return folder / self.load


@dataclass
class _Corpus:
    variants: list[Variant] = field(default_factory=list)

    def catalog(self, name: str, data: bytes | str, expect: Expect = "error", **kw: object) -> None:
        body = data.encode("utf-8") if isinstance(data, str) else data
        files = {"c.csv": body, "c.meta.yaml": _meta_for(expect)}
        self.variants.append(Variant(f"catalog/{name}", "catalog", files, "c.csv", expect, **kw))

    def xlsx(self, name: str, data: bytes, expect: Expect = "error", **kw: object) -> None:
        files = {"c.xlsx": data, "c.meta.yaml": _meta_for(expect)}
        self.variants.append(Variant(f"xlsx/{name}", "xlsx", files, "c.xlsx", expect, **kw))

    def meta(self, name: str, data: bytes | str, expect: Expect = "error", **kw: object) -> None:
        body = data.encode("utf-8") if isinstance(data, str) else data
        files = {"c.csv": CATALOG.encode(), "c.meta.yaml": body}
        self.variants.append(Variant(f"meta/{name}", "meta", files, "c.csv", expect, **kw))

    def data(
        self, group: str, name: str, data: bytes | str, expect: Expect = "error", **kw: object
    ):
        body = data.encode("utf-8") if isinstance(data, str) else data
        files = {"d.yaml": body}
        self.variants.append(Variant(f"{group}/{name}", group, files, "d.yaml", expect, **kw))


def _meta_for(expect: Expect) -> bytes:
    """Each catalog variant is a series of its own: the base graph's county-delegation version
    of 2024-09-11 is refused from any other file ("loaded before from a different file"),
    rightly, which would hide what a variant tests when it is loaded."""
    return META.replace("county-delegation", f"corpus-{expect}").encode()


@functools.cache
def variants() -> list[Variant]:
    """Every variant, in a fixed order (names are unique)."""
    corpus = _Corpus()
    _catalog_variants(corpus)
    _xlsx_variants(corpus)
    _yaml_variants(corpus, "meta", META)
    _yaml_variants(corpus, "organisation", ORGANISATION)
    _yaml_variants(corpus, "cases", CASES)
    _meta_variants(corpus)
    _organisation_and_case_variants(corpus)
    names = [v.name for v in corpus.variants]
    assert len(names) == len(set(names)), "variant names are unique"
    return corpus.variants


# ---- catalogs (CSV) ---------------------------------------------------------------------


def _rows(*rows: list[str]) -> str:
    return "\n".join(",".join(row) for row in rows) + "\n"


def _good_row(n: int, **cells: str) -> list[str]:
    row = [str(n), f"T-{n:03d}", f"事项{n}", "行政处罚", "《个体工商户条例》第二十三条第一款"]
    row += ["测试县市场监督管理局", "市场监管"]
    for header, value in cells.items():
        row[HEADER.index(header)] = value
    return row


def _catalog_variants(c: _Corpus) -> None:
    lines = CATALOG.splitlines(keepends=True)
    last = lines[-1]
    body = "".join(lines[:-1])
    # Truncation inside the last row: after each of its commas, and in the middle of a cell.
    commas = [i for i, ch in enumerate(last) if ch == ","]
    for k, at in enumerate(commas[:-1]):
        c.catalog(f"truncated_after_cell_{k + 1}", body + last[: at + 1])
        if k > 0:  # the first cell is one character: nothing to cut inside
            c.catalog(f"truncated_inside_cell_{k + 1}", body + last[: at - 2])
    quoted = (
        CATALOG.rstrip("\n") + '\n4,T-004,"对未按规定,处罚",行政处罚,"《个体工商户条例》第二十三条'
    )
    c.catalog("truncated_in_open_quote", quoted)
    c.catalog("truncated_in_open_quote_crlf", quoted.replace("\n", "\r\n"))
    c.catalog("truncated_header_only_half", CATALOG.splitlines()[0][:20], whole_file=True)
    c.catalog("truncated_to_header", CATALOG.splitlines()[0] + "\n", whole_file=True)
    c.catalog("truncated_mid_utf8_char", CATALOG.encode()[:-3], notes="cut inside 理")
    # Cut after the last comma: a row whose last cell is blank, as a person may write it.
    c.catalog("truncated_after_last_comma", body + last[: commas[-1] + 1], "ok")
    c.catalog("truncated_no_final_newline", CATALOG.rstrip("\n"), "ok")
    c.catalog("row_with_extra_cells", CATALOG + _rows([*_good_row(4), "多余"]), column=True)
    # A short row inside the file is a hand-written CSV's, not a cut: the row checks judge it.
    c.catalog("middle_row_short", body.replace(lines[1], "1,T-001,对随意倾倒\n") + last, "ok")
    # Encodings and byte-order marks: all of these are the same good catalog.
    for encoding in ("gb18030", "gbk", "utf-16", "utf-32"):
        c.catalog(f"encoded_{encoding}", CATALOG.encode(encoding), "ok")
    c.catalog("bom_utf8", codecs.BOM_UTF8 + CATALOG.encode(), "ok")
    c.catalog("bom_utf16_be", codecs.BOM_UTF16_BE + CATALOG.encode("utf-16-be"), "ok")
    c.catalog("crlf", CATALOG.replace("\n", "\r\n"), "ok")
    c.catalog("cr_only", CATALOG.replace("\n", "\r"), "ok")
    c.catalog("tab_separated", CATALOG.replace(",", "\t"), "ok")
    c.catalog("semicolon_separated", CATALOG.replace(",", ";"), "ok")
    c.catalog("utf16_without_bom", CATALOG.encode("utf-16-le"), whole_file=True)
    c.catalog("bom_utf8_twice", codecs.BOM_UTF8 * 2 + CATALOG.encode(), "ok")
    c.catalog("bom_utf8_then_gbk", codecs.BOM_UTF8 + CATALOG.encode("gbk"), whole_file=True)
    c.catalog("utf8_with_one_gbk_row", body.encode() + last.encode("gbk"))
    c.catalog("latin1_mojibake", CATALOG.encode().decode("latin-1").encode("utf-8"))
    c.catalog("bom_only", codecs.BOM_UTF8, whole_file=True)
    c.catalog("empty", b"", whole_file=True)
    c.catalog("whitespace_only", b" \n\t\n  \r\n", whole_file=True)
    c.catalog("newlines_only", b"\n" * 10_000, whole_file=True)
    c.catalog("commas_only", b",,,,,,\n" * 50, whole_file=True)
    # NULs and control characters.
    c.catalog("nul_at_start", b"\x00" + CATALOG.encode(), whole_file=True)
    c.catalog("nul_in_cell", CATALOG.replace("消防安全检查", "消防\x00安全检查"))
    c.catalog("nuls_everywhere", CATALOG.encode().replace(b",", b",\x00"), whole_file=True)
    c.catalog("bell_in_cell", CATALOG.replace("消防安全检查", "消防\x07安全检查"), "ok")
    c.catalog("random_bytes", bytes(range(256)) * 40, whole_file=True)
    c.catalog("a_zip_named_csv", _xlsx([HEADER, _good_row(1)]), whole_file=True)
    c.catalog(
        "an_ole_file_named_csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, whole_file=True
    )
    # Huge cells, columns and rows.
    for size in (100_001, 200_000, 2_000_000):
        c.catalog(
            f"huge_cell_{size}", CATALOG + _rows(_good_row(4, 事项名称="长" * size)), column=True
        )
    c.catalog("huge_unterminated_quote", CATALOG + '4,T-004,"' + "长" * 300_000)
    for width in (300, 16_384, 18_279, 30_000):
        extra = [f"列{j}" for j in range(width - len(HEADER))]
        text = _rows(HEADER + extra, _good_row(1) + [""] * len(extra))
        c.catalog(f"columns_{width}", text, "ok" if width <= 16_384 else "error", column=True)
    wide_value = _rows(HEADER, _good_row(1) + [""] * 20_000 + ["x"])
    c.catalog("value_in_column_20008_without_header", wide_value, column=True)
    c.catalog(
        "header_of_200_kib", ",".join([*HEADER, "头" * 200_000]) + "\n" + _rows(_good_row(1)), "ok"
    )
    c.catalog("long_line_no_newline", "1," * 500_000, whole_file=True)
    # Headers.
    c.catalog(
        "duplicate_header", _rows([*HEADER, "事项名称"], [*_good_row(1), "重复"]), column=True
    )
    c.catalog(
        "duplicate_header_spelling",
        _rows([*HEADER, "事项名称 "], [*_good_row(1), "x"]),
        column=True,
    )
    c.catalog(
        "no_item_name_column",
        _rows(HEADER[:2] + HEADER[3:], _good_row(1)[:2] + _good_row(1)[3:]),
        whole_file=True,
    )
    c.catalog("headers_unknown", _rows(["甲", "乙", "丙"], ["1", "2", "3"]), whole_file=True)
    c.catalog("header_blank_value_set", _rows([*HEADER, ""], [*_good_row(1), "孤儿"]), column=True)
    # Formula cells (CSV injection), wrong types, blank required cells.
    c.catalog(
        "formula_in_basis", CATALOG + _rows(_good_row(4, 实施依据="=cmd|' /C calc'!A0")), "ok"
    )
    c.catalog(
        "formula_in_name", CATALOG + _rows(_good_row(4, 事项名称='=HYPERLINK("http://x")')), "ok"
    )
    c.catalog(
        "plus_formula_in_basis",
        CATALOG + _rows(_good_row(4, 实施依据="+1+cmd|' /C calc'!A0")),
        "ok",
    )
    c.catalog("unknown_item_type", CATALOG + _rows(_good_row(4, 事项类型="行政魔法")), column=True)
    c.catalog("blank_item_code", CATALOG + _rows(_good_row(4, 事项编码="")), "ok")
    c.catalog("blank_item_name", CATALOG + _rows(_good_row(4, 事项名称="")), column=True)
    c.catalog(
        "unknown_department",
        CATALOG + _rows(_good_row(4, 原实施部门="不存在局")),
        column=True,
        notes="names are checked against the graph before anything is written (the rehearsal)",
    )
    c.catalog("duplicate_item_code", CATALOG + _rows(_good_row(4, 事项编码="T-001")), column=True)
    c.catalog("number_as_item_type", CATALOG + _rows(_good_row(4, 事项类型="12")), column=True)


# ---- workbooks (XLSX) -------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main">'
)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[list[str]], *, dimension: str | None = None, extra: str = "") -> str:
    cells = "".join(
        f'<row r="{r + 1}">'
        + "".join(_cell(f"{column_letters(j)}{r + 1}", v) for j, v in enumerate(row) if v)
        + "</row>"
        for r, row in enumerate(rows)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{_SHEET_HEAD}{dim}<sheetData>{cells}{extra}</sheetData></worksheet>"


def xlsx_bytes(
    sheet: str | bytes, *, members: dict[str, bytes] | None = None, stored: bool = False
) -> bytes:
    """A minimal workbook with one sheet (its XML given), built member by member."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx(rows: list[list[str]], **kw: object) -> bytes:
    return xlsx_bytes(sheet_xml(rows, **kw))


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The workbook with `member`'s declared uncompressed size changed (in both headers)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    out = bytearray(data)
    out[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    central = out.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(out[central + 28 : central + 30], "little")
        if out[central + 46 : central + 46 + name_length] == member.encode():
            out[central + 24 : central + 28] = size.to_bytes(4, "little")
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def _catalog_rows() -> list[list[str]]:
    return [line.split(",") for line in CATALOG.splitlines()]


def _xlsx_variants(c: _Corpus) -> None:
    good = _catalog_rows()
    c.xlsx("good", _xlsx(good), "ok")
    c.xlsx("good_with_dimension", _xlsx(good, dimension="A1:G4"), "ok")
    last_cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    c.xlsx("only_cell_at_XFD1048576", xlsx_bytes(sheet_xml([], extra=last_cell)), whole_file=True)
    c.xlsx(
        "data_then_cell_at_XFD1048576",
        xlsx_bytes(sheet_xml(good, extra=last_cell)),
        whole_file=True,
    )
    far_row = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    c.xlsx("cell_at_A1048576", xlsx_bytes(sheet_xml(good, extra=far_row)), whole_file=True)
    far_col = '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>'
    c.xlsx("cell_at_XFD5", xlsx_bytes(sheet_xml(good, extra=far_col)), whole_file=True)
    c.xlsx(
        "declared_dimension_A1_XFD1048576",
        _xlsx(good, dimension="A1:XFD1048576"),
        "ok",
        notes="a declared dimension alone is not cells: the real ones are read",
    )
    c.xlsx(
        "cell_beyond_excel_limits",
        xlsx_bytes(sheet_xml(good, extra='<row r="2000000"><c r="ZZZZ2000000"><v>1</v></c></row>')),
        whole_file=True,
    )
    # Zip bombs: a sheet inflating to hundreds of MB from a small file.
    padding = " " * (300 * 1024 * 1024)
    bomb_sheet = sheet_xml(good).replace("<sheetData>", padding + "<sheetData>", 1)
    c.xlsx("zip_bomb_300_mb_sheet", xlsx_bytes(bomb_sheet), whole_file=True)
    c.xlsx(
        "zip_bomb_extra_member",
        xlsx_bytes(sheet_xml(good), members={"xl/media/pad.bin": b"\0" * (300 * 1024 * 1024)}),
        whole_file=True,
    )
    shared = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        + "长" * (40 * 1024 * 1024)
        + "</t></si></sst>"
    )
    c.xlsx(
        "zip_bomb_shared_string",
        xlsx_bytes(sheet_xml(good), members={"xl/sharedStrings.xml": shared.encode()}),
        whole_file=True,
    )
    small = xlsx_bytes(sheet_xml(good))
    c.xlsx(
        "declared_size_understated",
        _lie_about_size(small, "xl/worksheets/sheet1.xml", 10),
        whole_file=True,
    )
    c.xlsx(
        "declared_size_4_gib",
        _lie_about_size(small, "xl/worksheets/sheet1.xml", 2**32 - 1),
        whole_file=True,
    )
    # Damage.
    for cut in (0.3, 0.6, 0.9, 0.99):
        c.xlsx(f"truncated_at_{int(cut * 100)}pct", small[: int(len(small) * cut)], whole_file=True)
    c.xlsx("zip_magic_then_junk", b"PK\x03\x04" + b"\xff" * 2000, whole_file=True)
    c.xlsx("csv_text_named_xlsx", CATALOG.encode(), whole_file=True)
    c.xlsx("empty_zip", _empty_zip(), whole_file=True)
    c.xlsx("sheet_xml_broken", xlsx_bytes(sheet_xml(good)[:-40]), whole_file=True)
    c.xlsx("sheet_xml_not_xml", xlsx_bytes(b"\x00\x01\x02 not xml"), whole_file=True)
    entity_bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
        + sheet_xml(good)[len('<?xml version="1.0" encoding="UTF-8"?>') :].replace(
            "事项1", "&lol9;"
        )
    )
    # calamine does not expand entities, and the formula scan's expat limits their growth.
    c.xlsx("xml_entity_bomb", xlsx_bytes(entity_bomb), "ok")
    # Cells.
    c.xlsx("huge_cell", _xlsx([*good, _good_row(4, 事项名称="长" * 200000)]), column=True)
    c.xlsx("duplicate_header", _xlsx([[*HEADER, "事项名称"], [*_good_row(1), "x"]]), column=True)
    c.xlsx(
        "formula_cell_without_value",
        xlsx_bytes(sheet_xml(good, extra='<row r="5"><c r="C5"><f>1+1</f></c></row>')),
        column=False,
    )
    c.xlsx(
        "error_value",
        xlsx_bytes(sheet_xml(good, extra='<row r="5"><c r="C5" t="e"><v>#N/A</v></c></row>')),
        column=False,
    )
    c.xlsx(
        "formula_text_in_basis", _xlsx([*good, _good_row(4, 实施依据="=cmd|' /C calc'!A0")]), "ok"
    )
    wide = [HEADER + [f"列{j}" for j in range(17_000)], _good_row(1) + ["v"] * 17_000]
    c.xlsx("columns_17007", _xlsx(wide), column=True)
    # A sheet's short row is blank cells (a cut workbook is a broken archive): rows judge it.
    c.xlsx("short_last_row", _xlsx([*good, _good_row(4)[:3]]), "ok")
    c.xlsx("unknown_item_type", _xlsx([*good, _good_row(4, 事项类型="行政魔法")]), column=True)
    c.xlsx(
        "number_cells",
        xlsx_bytes(
            sheet_xml(
                good,
                extra='<row r="5"><c r="A5"><v>4</v></c><c r="B5"><v>1e308</v></c><c r="C5"><v>NaN</v></c></row>',
            )
        ),
        "ok",
    )
    c.xlsx("only_header", _xlsx([HEADER]), whole_file=True)
    c.xlsx(
        "rows_out_of_order",
        xlsx_bytes(
            sheet_xml(
                [],
                extra="".join(
                    f'<row r="{r}">'
                    + "".join(_cell(f"{column_letters(j)}{r}", v) for j, v in enumerate(row))
                    + "</row>"
                    for r, row in [(4, good[3]), (1, good[0]), (2, good[1]), (3, good[2])]
                ),
            )
        ),
        "ok",
    )


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return buffer.getvalue()


# ---- YAML: metadata, organisation, cases ------------------------------------------------


def _yaml_variants(c: _Corpus, group: str, good: str) -> None:
    """The same hostile shapes for each kind of YAML file."""
    add = (
        c.meta
        if group == "meta"
        else lambda name, data, expect="error", **kw: c.data(group, name, data, expect, **kw)
    )
    add("good", good, "ok")
    add("bom_utf8", codecs.BOM_UTF8 + good.encode(), "ok")
    add("crlf", good.replace("\n", "\r\n"), "ok")
    add("gbk", good.encode("gbk"), notes="not UTF-8")
    add("utf16", good.encode("utf-16"), notes="not UTF-8")
    # Empty metadata is no metadata: `--check` needs none, a load wants the effective date.
    empty = {"check_expect": "ok"} if group == "meta" else {}
    add("empty", b"", whole_file=True, **empty)
    add("whitespace_only", b"\n  \n", whole_file=True, **empty)
    add("nul_inside", good.encode().replace(b"\n", b"\n\x00", 1))
    add("tab_indent", "kind: x\n\tkey: 1\n" if group != "meta" else "series: x\n\teffective: 1\n")
    add("unclosed_quote", good + 'notes: "never closed\n')
    add("unclosed_flow", good.rstrip("\n") + "\nzzz: [1, 2, {a: 1\n")
    add("a_list", "- 1\n- 2\n", whole_file=True)
    add("a_scalar", "just text\n", whole_file=True)
    add("python_tag", good + "x: !!python/object/apply:os.system ['true']\n")
    add("binary_junk", bytes(range(1, 256)) * 30)
    add("deep_flow_nesting_10000", good + "notes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    add("deep_flow_nesting_100000", good + "notes: " + "[" * 100_000 + "]" * 100_000 + "\n")
    add("deep_mapping_nesting_2000", good + "notes: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n")
    block = "".join("  " * i + "- \n" for i in range(300))
    add("deep_block_nesting_300", good + "notes:\n" + block)
    laughs = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    add("billion_laughs", "l0: &l0 lol\n" + laughs + good)
    add(
        "billion_laughs_in_a_field",
        good.replace("\n", "\n", 1) + "l0: &l0 [a]\n" + laughs.replace("l9:", "notes:"),
    )
    add("many_aliases", good + "a0: &a0 x\n" + "".join(f"a{i}: *a0\n" for i in range(1, 20_000)))
    add(
        "huge_scalar_20mb",
        good + "notes: [" + "长" * (7 * 1024 * 1024) + "]\n",
        "ok" if group == "meta" else "error",
    )
    add("long_key", good + "k" * 1_000_000 + ": 1\n")
    twice = "effective: 2030-01-01\n" if group == "meta" else f"kind: {group}\n"
    add("duplicate_key_top", good + twice, column=True)
    for k, cut in enumerate((0.35, 0.7)):
        # Cut inside a quoted value: no parser reads an unclosed quote as a whole document.
        text = good.replace("\n", '\nzz_quoted: "一段被截断的\n', 1)
        add(f"truncated_in_quote_{k}", text[: int(len(text) * cut)] + ' "unterminated')
    add(
        "impossible_date",
        good + "zz_date: 2025-02-30\n"
        if group != "meta"
        else good.replace("2024-09-11", "2025-02-30"),
        column=True,
    )
    add(
        "invalid_timestamp",
        good + "zz: 2025-13-45T99:99:99\n"
        if group != "meta"
        else good.replace("2024-09-11", "2025-13-45"),
        column=True,
    )
    add("control_chars", good.replace("\n", "\n\x07", 1))
    add("invalid_utf8_tail", good.encode() + b"notes: [\xff\xfe]\n")


def _meta_variants(c: _Corpus) -> None:
    base = META.replace("effective: 2024-09-11\n", "")
    c.meta("effective_text", base + "effective: soon\n", column=True)
    c.meta("effective_number", base + "effective: 20240911000\n", column=True)
    c.meta("effective_list", base + "effective: [2024-09-11]\n", column=True)
    c.meta("effective_missing", base, check_expect="ok", whole_file=True)
    c.meta("effective_year_0", base + 'effective: "0000-01-01"\n', column=True)
    c.meta("effective_in_year_10000", base + 'effective: "10000-01-01"\n', column=True)
    c.meta("effective_datetime", base + "effective: 2024-09-11T10:00:00\n", column=True)
    c.meta("unknown_key", META + "colour: blue\n", column=True)
    c.meta("kind_unknown", META + "kind: 神秘目录\n", column=True)
    c.meta("mode_unknown", META.replace("mode: 赋权", "mode: 借调"), column=True)
    c.meta("streets_number", META.replace("streets: all", "streets: 5"), column=True)
    c.meta("streets_mapping", META.replace("streets: all", "streets: {a: 1}"), column=True)
    c.meta("series_list", META.replace("series: county-delegation", "series: [a, b]"), column=True)
    c.meta(
        "region_number",
        META.replace('region: "990101"', "region: 990101"),
        column=True,
        notes="a code written as a number loses its leading zeros",
    )
    c.meta("categories_list", META + "categories: [a, b]\n", column=True)
    c.meta("notes_mapping", META + "notes: {a: 1}\n", column=True)
    c.meta("header_map_missing_file", META + "header_map: missing.yaml\n", column=True)
    c.meta("header_map_is_a_folder", META + "header_map: .\n", column=True)
    c.meta("title_huge", META.replace("title:", "title: " + "长" * 2_000_000 + "#"), "ok")
    c.meta("title_twice", META + "title: 另一个标题\n", column=True)


def _organisation_and_case_variants(c: _Corpus) -> None:
    org, cases = ORGANISATION, CASES
    c.data("organisation", "kind_missing", org.replace("kind: organisation\n", ""), whole_file=True)
    c.data(
        "organisation",
        "kind_unknown",
        org.replace("kind: organisation", "kind: people"),
        whole_file=True,
    )
    c.data(
        "organisation",
        "region_missing",
        "\n".join(line for line in org.splitlines() if not line.startswith("region:")) + "\n",
        column=True,
    )
    c.data(
        "organisation",
        "street_kind_unknown",
        org.replace("kind: 镇, mode", "kind: 村, mode"),
        column=True,
    )
    c.data(
        "organisation",
        "street_code_number",
        org.replace('code: "990101002"', "code: 990101002"),
        column=True,
    )
    c.data(
        "organisation",
        "officer_date_impossible",
        org.replace("valid_to: 2027-12-31", "valid_to: 2027-02-30"),
        column=True,
    )
    c.data(
        "organisation",
        "officer_date_text",
        org.replace("valid_to: 2027-12-31", "valid_to: someday"),
        column=True,
    )
    c.data(
        "organisation",
        "unknown_field",
        org.replace("aliases: [县城管局]", "aliases: [县城管局], colour: red"),
        column=True,
    )
    c.data(
        "organisation",
        "departments_mapping",
        org.replace("departments:\n", "departments: {}\nx:\n"),
        column=True,
    )
    c.data(
        "organisation",
        "policy_threshold_text",
        org.replace("threshold: 1", "threshold: many"),
        column=True,
    )
    c.data(
        "organisation",
        "street_list_of_numbers",
        org.replace("streets: [东街道, 西街道]", "streets: [1, [2]]"),
        column=True,
    )
    c.data(
        "organisation",
        "roles_unknown",
        org.replace("roles: [法制审核人员]", "roles: [国王]"),
        column=True,
    )
    c.data(
        "organisation",
        "ten_thousand_streets",
        org
        + "".join(
            f'  - {{code: "9{i:08d}", name: 街{i}, kind: 火星}}\n' for i in range(10_000)
        ).join(["streets2:\n", ""]),
        column=True,
    )
    c.data("cases", "kind_only", "kind: cases\n", "ok")
    c.data(
        "cases",
        "sent_at_impossible",
        cases.replace("2024-10-16T10:00:00+08:00", "2024-02-30T10:00:00+08:00"),
        column=True,
    )
    c.data(
        "cases",
        "occurred_on_impossible",
        cases.replace("occurred_on: 2024-10-15", "occurred_on: 2024-02-30"),
        column=True,
    )
    c.data(
        "cases",
        "filed_at_quoted_impossible",
        cases.replace('"2024-10-16T09:30:00+08:00"', '"2024-10-36T09:30:00+08:00"'),
        column=True,
    )
    c.data("cases", "status_unknown", cases.replace("status: 立案", "status: 未知"), column=True)
    c.data(
        "cases",
        "officers_string",
        cases.replace('officers: ["T0001"]', "officers: T0001"),
        column=True,
    )
    c.data(
        "cases",
        "urgent_text",
        cases.replace("sent_at: 2024", "urgent: perhaps, sent_at: 2024"),
        column=True,
    )
    c.data("cases", "transfer_without_id", cases.replace("id: T-TR-1, ", ""), column=True)
    c.data("cases", "cases_a_mapping", "kind: cases\ncases: {a: 1}\n", column=True)
    c.data("cases", "case_id_list", cases.replace("id: T-CASE-1", "id: [T-CASE-1]"), column=True)
    c.data(
        "cases",
        "dispute_claimant_stance",
        cases
        + "disputes:\n  - {id: D1, case: T-CASE-1, raised_at: 2024-10-17T09:00:00, claimants: [{body: T-CGJ, stance: maybe}]}\n",
        column=True,
    )


def iter_groups() -> Iterator[tuple[str, int]]:
    """How many variants each group has (for a summary line)."""
    from collections import Counter

    yield from sorted(Counter(v.group for v in variants()).items())
