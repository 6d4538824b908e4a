"""The organisation file's dated facts (组织沿革, issue 14.12) are refused when they cannot be a
street's history, naming the file, the line and the field; undated files read as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from authreg.errors import InputError
from loaders.organisation import OrganisationFile, read_data_file

GOOD = Path(__file__).resolve().parents[1] / "queries" / "data" / "orgdates" / "organisation.yaml"

# (what the file says instead, the field the error names, words of the reason)
BAD = [
    (
        ("{mode: 赋权, from: 2025-01-01, basis: QX-2024-35}",
         "{mode: 赋权, from: 2024-12-01, basis: QX-2024-35}"),
        "streets.1.modes.1.from",
        "overlaps",
    ),
    (
        ("{mode: 赋权, from: 2025-01-01, basis: QX-2024-35}",
         "{mode: 赋权, from: 2025-02-01, basis: QX-2024-35}"),
        "streets.1.modes.1.from",
        "gap",
    ),
    (
        ("{mode: 赋权, from: 2025-01-01, basis: QX-2024-35}",
         "{mode: 赋权, from: 2025-01-01, basis: 清政发〔2024〕99号}"),
        "streets.1.modes.1.basis",
        "unknown document",
    ),
    (
        ("{street: 青山镇, from: 2025-07-01", "{street: 青峰镇, from: 2025-07-01"),
        "streets.2.merged_into.street",
        "unknown street",
    ),
    (
        ("{name: 城关镇, to: 2023-06-30}", "{name: 城关镇}"),
        "streets.0.names.0.to",
        "no end",
    ),
    (
        ("    name: 白沙乡\n    kind: 乡\n    mode: 赋权\n",
         "    name: 白沙乡\n    kind: 乡\n    mode: 赋权\n    modes: [{mode: 派驻}]\n"),
        "streets.2.modes",
        "not both",
    ),
    (
        ("{street: 白沙乡, to: 2025-06-30}", "{street: 白沙乡, from: 2021-01-01}"),
        "zones.0.streets.1.from",
        "before the zone",
    ),
    (  # 机构调整: a squad in two brigades on the same days
        ("{parent: qx-u-dd-e, from: 2025-01-01, basis: QX-BB-2024-12}",
         "{parent: qx-u-dd-e, from: 2024-10-01, basis: QX-BB-2024-12}"),
        "units.2.part_of.1.from",
        "overlaps",
    ),
    (
        ("{parent: qx-u-dd-e, from: 2025-01-01, basis: QX-BB-2024-12}",
         "{parent: qx-u-dd-e, from: 2025-01-01, basis: 清编办〔2024〕99号}"),
        "units.2.part_of.1.basis",
        "unknown document",
    ),
    # 机构改革: a department's dated names and its merger, refused as a street's are.
    (
        ("{name: 清溪县卫生健康局, from: 2024-04-01, basis: QX-BW-2024-5}",
         "{name: 清溪县卫生健康局, from: 2024-03-01, basis: QX-BW-2024-5}"),
        "departments.2.names.1.from",
        "overlaps",
    ),
    (
        ("{name: 清溪县卫生健康局, from: 2024-04-01, basis: QX-BW-2024-5}",
         "{name: 清溪县卫生健康局, from: 2024-05-01, basis: QX-BW-2024-5}"),
        "departments.2.names.1.from",
        "gap",
    ),
    (
        ("{name: 清溪县卫生健康局, from: 2024-04-01, basis: QX-BW-2024-5}",
         "{name: 清溪县卫生健康局, from: 2024-04-01, basis: 清编委〔2024〕9号}"),
        "departments.2.names.1.basis",
        "unknown document",
    ),
    (
        ("{department: qx-yjj, from: 2024-07-01", "{department: qx-ajj, from: 2024-07-01"),
        "departments.4.merged_into.department",
        "cannot be merged into itself",
    ),
    (
        ("{department: qx-yjj, from: 2024-07-01", "{department: 清溪县消防救援大队, from: 2024-07-01"),
        "departments.4.merged_into.department",
        "unknown department",
    ),
    (
        ("from: 2024-07-01, basis: QX-JG-2024-3}", "from: 2024-07-01, basis: 清委发〔2024〕9号}"),
        "departments.4.merged_into.basis",
        "unknown document",
    ),
    (  # a name of its own from the day its powers passed to the successor
        ("    name: 清溪县安全生产监督管理局\n",
         "    names:\n      - {name: 清溪县安全生产监督管理局, to: 2024-06-30}\n"
         "      - {name: 清溪县安全生产应急管理局, from: 2024-07-01}\n"),
        "departments.4.names.1.from",
        "on or after the merger",
    ),
]  # fmt: skip


def test_the_fixture_reads_with_its_dates() -> None:
    org = read_data_file(GOOD)
    assert isinstance(org, OrganisationFile)
    qingshan = org.streets[1]
    assert [m.mode.value for m in qingshan.modes] == ["派驻", "赋权"]
    assert org.streets[0].name == "城东街道"  # the name now: the newest dated one
    assert org.streets[2].merged_into is not None
    health, safety = org.departments[2], org.departments[4]
    assert health.name == "清溪县卫生健康局"  # the newest dated name (机构改革: 更名)
    assert [p.name for p in health.names] == ["清溪县卫生和计划生育局", "清溪县卫生健康局"]
    assert safety.merged_into is not None and safety.merged_into.department == "qx-yjj"
    squad = next(u for u in org.units if u.id == "qx-u-zd-qs")
    assert [p.parent for p in squad.part_of] == ["qx-u-dd", "qx-u-dd-e"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("swap", "field", "reason"), BAD)
def test_an_impossible_history_is_refused_with_file_line_and_field(
    tmp_path: Path, swap: tuple[str, str], field: str, reason: str
) -> None:
    text = GOOD.read_text(encoding="utf-8")
    assert swap[0] in text
    bad = tmp_path / "organisation.yaml"
    bad.write_text(text.replace(swap[0], swap[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_data_file(bad)
    error = caught.value
    assert error.column == field and reason in error.problem
    # The line named is the one the change put the wrong value on.
    wrong = swap[1].strip().splitlines()[-1].strip()
    lines = bad.read_text(encoding="utf-8").splitlines()
    assert wrong in lines[error.row - 1], str(error)
    assert "organisation.yaml" in str(error)


# 更名 inside the organisation file: a street named by a name it had on the reference's days.
FORMER = [
    ('part_of: "330998001"}', "part_of: 城关镇}", "units.3.part_of"),
    (
        '{to: "330998001", mode: 常驻, department: qx-zhzf, valid_from: 2022-01-01}',
        "{to: 城关镇, mode: 常驻, department: qx-zhzf, valid_from: 2022-01-01}",
        "officers.0.postings.0.to",
    ),
    ("      - 城东街道\n", "      - 城关镇\n", "zones.0.streets.0"),
]


@pytest.mark.parametrize(("old", "new", "field"), FORMER)
def test_a_former_name_of_the_period_finds_its_street_with_a_warning(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "organisation.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    org = read_data_file(path)
    assert isinstance(org, OrganisationFile)
    [said] = org.former_name_warnings
    assert said.column == field
    assert "城关镇" in path.read_text(encoding="utf-8").splitlines()[said.row - 1]  # type: ignore[operator]
    assert "「城关镇」 is a former name of 城东街道 (330998001)" in said.message
    assert "its name until 2023-06-30" in said.message
    assert "清政发〔2023〕18号《清溪县人民政府关于同意城关镇更名为城东街道的批复》" in said.message
    # Read as the street: the reference now holds its code.
    refs = [org.units[3].part_of, org.officers[0].postings[0].to, org.zones[0].streets[0]]
    assert "330998001" in refs


def test_a_former_name_the_street_did_not_have_then_is_refused(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    old = '{to: "330998001", mode: 常驻, department: qx-zhzf, valid_from: 2022-01-01}'
    path = tmp_path / "organisation.yaml"
    path.write_text(
        text.replace(old, "{to: 城关镇, mode: 常驻, department: qx-zhzf, valid_from: 2023-07-01}"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_data_file(path)
    error = caught.value
    assert error.column == "officers.0.postings.0.to"
    assert "「城关镇」 was not a street's name from 2023-07-01" in error.problem
    assert "城东街道 (330998001)" in error.problem and "to 2023-06-30" in error.problem
    assert "renamed by 清政发〔2023〕18号《" in error.problem
    assert "to: 城关镇" in path.read_text(encoding="utf-8").splitlines()[error.row - 1]
