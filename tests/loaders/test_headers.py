"""Header mapping (表头映射): known spellings, two-row headers, user mapping files, bad tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from authreg.errors import InputError
from loaders.headers import SPELLINGS_FILE, HeaderMap, normalise_header
from loaders.read import read_tables
from loaders.tables import SourceRow, Table
from loaders.yaml_files import read_yaml

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "catalogs" / "bad"

# The spellings the registry promises to know (DOMAIN.md, "Catalogs in the wild").
KNOWN = {
    "seq": "序号",
    "item_code": "事项编码 编码 职权编码 项目编码 权力编码 事项代码",
    "item_name": "事项名称 赋权事项名称 职权名称 权力事项名称 权力名称 项目名称 赋权事项 "
    "行政处罚事项名称 抽查事项 事项",
    "sub_item": "子项 子项名称",
    "item_type": "事项类型 职权类别 职权类型 权力类型 权利类型 事项类别 类型",
    "basis": "实施依据 法律依据 设定依据 设立依据 执法依据 法定依据 检查依据 权力依据 "
    "法律法规依据 行政处罚设定依据 依据",
    "department": "原实施部门 原行使部门 赋权部门 原实施主体 原实施单位 单位名称 实施部门 主管部门",
    # 执法主体 is the department in a 委托 list and the street in a 赋权 list: read by nothing.
    "subject": "执法主体 实施机构 责任主体 检查主体 承办机构",
    # The receiving bodies (承接主体, DOMAIN.md): each row's streets.
    "street": "承接主体 实施主体 赋权范围 赋权对象 委托对象 承接单位 赋权街镇 承接街道 街道 乡镇 "
    "乡镇(街道) 赋权乡镇",
    "mode": "赋权方式 委托方式 下放方式 方式",
    "level": "赋权层级 赋权的原实施层级 实施层级",
    "domain": "执法领域 领域 所属领域",
    "category": "抽查类别 类别 执法类别",
    "remarks": "备注",
    "standard": "行政处罚标准 处罚标准 裁量基准",
    "duties": "责任事项",
    "accountability": "追责情形 追责对象范围",
    "check_target": "检查对象",
    "check_method": "检查方式",
}
PAIRS = [(field, spelling) for field, spellings in KNOWN.items() for spelling in spellings.split()]


def table(*headers: str, rows: int = 1, file: str = "x.csv") -> Table:
    cells = tuple(f"cell {i}" for i in range(len(headers)))
    source = [SourceRow(Path(file), None, 2 + i, cells) for i in range(rows)]
    return Table(Path(file), None, 1, list(headers), list(headers), source)


def mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my_headers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("field", "spelling"), PAIRS)
def test_every_promised_spelling_maps_to_its_field(field: str, spelling: str) -> None:
    assert HeaderMap.default().match(normalise_header(spelling)) == field


def test_the_spellings_are_data_in_a_yaml_file() -> None:
    assert SPELLINGS_FILE.name == "header_spellings.yaml"
    assert set(KNOWN) <= set(HeaderMap.default().fields)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("事项\n类型", "事项类型"),
        ("赋权 街镇", "赋权街镇"),
        ("赋权\r\n层级", "赋权层级"),
        ("\ufeff序号", "序号"),
        ("执法依据\u3000", "执法依据"),
        ("執法依據", "执法依据"),
        ("乡镇（街道）", "乡镇(街道)"),
        ("ＡＢＣ１", "ABC1"),
    ],
)
def test_headers_are_normalised(raw: str, normalised: str) -> None:
    assert normalise_header(raw) == normalised


@given(st.sampled_from([spelling for _, spelling in PAIRS]))
def test_normalising_a_known_spelling_changes_nothing(spelling: str) -> None:
    assert normalise_header(spelling) == spelling


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("抽查项目/抽查事项", "item_name"),
        ("抽查项目/抽查类别", "category"),
        ("事项信息/事项名称", "item_name"),
        ("职责边界换分/乡镇(街道)", None),  # ignored: duty text, not a street
        ("职责边界划分/县级部门", None),
        ("名称", None),
        ("", None),
    ],
)
def test_combined_headers_match_on_their_last_part(header: str, field: str | None) -> None:
    assert HeaderMap.default().match(header) == field


def test_map_columns_gives_field_indexes_and_keeps_unknown_columns_as_extras() -> None:
    columns = HeaderMap.default().map_columns(
        table("序号", "职权名称", "设立依据", "发布机关"), required=["item_name", "basis"]
    )
    assert dict(columns.fields) == {"seq": 0, "item_name": 1, "basis": 2}
    assert dict(columns.extras) == {"发布机关": 3}
    assert columns.header("basis") == "设立依据"
    assert "street" not in columns and columns.get("street") is None


def test_column_map_reads_cells_and_names_them_for_errors() -> None:
    data = table("事项名称", "实施依据")
    columns = HeaderMap.default().map_columns(data)
    row = data.rows[0]
    assert columns.cell(row, "basis") == "cell 1"
    assert columns.cell(row, "street") == ""
    assert str(columns.at(row, "basis").error("no article")) == (
        "x.csv, row 2, column 「实施依据」: no article"
    )


def test_a_missing_required_field_names_headers_found_and_closest_spellings() -> None:
    """The refusal lists each header with what it maps to, and the mapping line that fixes it."""
    with pytest.raises(InputError) as caught:
        HeaderMap.default().map_columns(table("序号", "名称", "依据说明"), required=["basis"])
    assert str(caught.value) == (
        "x.csv: no column for 实施依据 (basis); headers found: 序号 → seq, 名称 → (nothing), "
        "依据说明 → (nothing); closest known spellings: 依据, 实施依据; to name the column(s), "
        "put `fields: {basis: [依据说明]}` in a header mapping file and give it as "
        "`header_map:` in the metadata"
    )


def test_the_missing_column_file_in_the_bad_samples() -> None:
    [bad] = read_tables(BAD / "missing_basis_column.csv")
    with pytest.raises(InputError) as caught:
        HeaderMap.default().map_columns(bad, required=["item_name", "basis"])
    message = str(caught.value)
    assert message.startswith("missing_basis_column.csv: no column for 事项名称 (item_name), ")
    assert "实施依据 (basis)" in message
    assert "headers found: 序号 → seq, 名称 → (nothing), 依据说明 → (nothing)" in message
    assert (
        "closest known spellings: for item_name 项目名称, 职权名称, 事项名称; "
        "for basis 依据, 实施依据; "
    ) in message
    assert "`fields: {item_name: [名称], basis: [依据说明]}`" in message


def test_asking_for_a_field_the_map_does_not_know_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="basiss"):
        HeaderMap.default().map_columns(table("事项名称"), required=["basiss"])


def test_two_columns_for_one_field_name_both_headers() -> None:
    [bad] = read_tables(BAD / "two_item_name_columns.csv")
    with pytest.raises(InputError) as caught:
        HeaderMap.default().map_columns(bad, required=["item_name"])
    assert str(caught.value).startswith(
        "two_item_name_columns.csv, row 1: columns 「事项名称」 and 「项目名称」 both map to "
        "事项名称 (item_name)"
    )


def test_a_user_mapping_says_which_of_two_columns_wins(tmp_path: Path) -> None:
    user = HeaderMap.load(mapping(tmp_path, "prefer:\n  item_name: 项目名称\n"))
    [two] = read_tables(BAD / "two_item_name_columns.csv")
    columns = user.map_columns(two, required=["item_name"])
    assert columns["item_name"] == 2
    assert columns.extras["事项名称"] == 1


def test_a_user_mapping_adds_spellings_without_code_changes(tmp_path: Path) -> None:
    user = HeaderMap.load(
        mapping(tmp_path, "fields:\n  basis: [依据说明]\n  street_code: [街道代码]\n")
    )
    assert user.match("依据说明") == "basis"
    assert user.match("街道代码") == "street_code"
    assert user.match("实施依据") == "basis"  # the defaults stay
    assert HeaderMap.default().match("依据说明") is None  # and are not changed


def test_a_user_mapping_moves_a_spelling_to_another_field(tmp_path: Path) -> None:
    user = HeaderMap.load(mapping(tmp_path, "fields:\n  category: [类型]\n"))
    assert user.match("类型") == "category"
    assert "类型" not in user.spellings("item_type")


def test_relisting_a_fields_own_spelling_keeps_its_name_in_messages(tmp_path: Path) -> None:
    user = HeaderMap.load(mapping(tmp_path, "fields:\n  basis: [实施依据, 依据说明]\n"))
    assert user.label("basis") == "实施依据"
    assert user.spellings("basis")[-1] == "依据说明"


def test_a_user_mapping_can_ignore_a_header(tmp_path: Path) -> None:
    user = HeaderMap.load(mapping(tmp_path, "ignore: [事项]\n"))
    assert user.match("事项") is None
    assert user.match("事项名称") == "item_name"


def test_no_user_mapping_is_the_default() -> None:
    assert HeaderMap.load(None) is HeaderMap.default()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("fields: [a\n", "row 2: not valid YAML"),
        ("columns: {}\n", "only the keys fields, prefer and ignore"),
        ("fields:\n  Basis: [依据]\n", "lower_case field names"),
        ("fields:\n  basis: 依据\n", "lists of spellings"),
        ("fields:\n  basis: [依据]\n  remarks: [依据]\n", "「依据」 is listed under both basis"),
        ("prefer:\n  basis: [a, b]\n", "prefer: must map field names to one header each"),
        ("ignore: 备注\n", "ignore: must be a list of headers"),
    ],
)
def test_a_bad_user_mapping_file_is_an_input_error(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        HeaderMap.load(mapping(tmp_path, text))
    assert str(caught.value).startswith("my_headers.yaml")
    assert problem in str(caught.value)


LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdef", "bcdefg", strict=True)
)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (LAUGHS.encode(), "once its aliases (*name) are expanded"),
        ("fields:\n  basis: [依据]\n".encode("gbk"), "is not UTF-8 text"),
        (b"fields:\n  basis: [\x00]\n", "U+0000 is not allowed"),
    ],
    ids=["billion-laughs", "gbk", "nul"],
)
def test_a_user_mapping_file_is_read_within_the_yaml_bounds(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "my_headers.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(problem)) as caught:
        HeaderMap.load(path)
    assert str(caught.value).startswith("my_headers.yaml")


def test_the_registrys_own_spellings_have_no_repeated_key() -> None:
    # A repeated top-level key (two `meanings:` blocks) was once silently read as the last one.
    assert set(read_yaml(SPELLINGS_FILE)) == {"fields", "meanings", "ignore"}


def test_a_missing_user_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="header mapping file not found"):
        HeaderMap.load(tmp_path / "nope.yaml")


def test_an_empty_user_mapping_file_changes_nothing(tmp_path: Path) -> None:
    user = HeaderMap.load(mapping(tmp_path, ""))
    assert user.match("实施依据") == "basis"
