"""The data-format examples in the README validate against the loaders' models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.catalog_meta import read_meta
from loaders.organisation import read_data_file
from loaders.staffing import is_staffing_file, read_staffing_file

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.startswith("kind:")])
def test_readme_data_file_example_is_valid(block: str, tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    if is_staffing_file(path):  # the 编办's approvals: their own reader (loaders/staffing.py)
        assert read_staffing_file(path).approvals
    else:
        assert read_data_file(path).kind in {"organisation", "cases"}


def test_readme_catalog_metadata_example_is_valid(tmp_path: Path) -> None:
    [block] = [b for b in BLOCKS if b.startswith("series:")]
    (tmp_path / "x.meta.yaml").write_text(block, encoding="utf-8")
    meta = read_meta(tmp_path / "x.csv")
    assert meta.streets == "all" and meta.effective is not None
