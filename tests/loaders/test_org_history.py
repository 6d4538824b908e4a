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
]  # fmt: skip


def test_the_fixture_reads_with_its_dates() -> None:
    org = read_data_file(GOOD)
    assert isinstance(org, OrganisationFile)
    qingshan = org.streets[1]
    assert [m.mode.value for m in qingshan.modes] == ["派驻", "赋权"]
    assert org.streets[0].name == "城东街道"  # the name now: the newest dated one
    assert org.streets[2].merged_into is not None
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
