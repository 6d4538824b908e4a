"""How a catalog row's department and street names find the organisation's (名称匹配)."""

from __future__ import annotations

import pytest

from loaders.catalogs import _match_name, _same_name

SPELLINGS = {  # spelling → department id, as the writer builds it from names, aliases and ids
    "测试县市场监督管理局": "D1",
    "市場監督管理局": "D1",  # a Traditional alias of the same department
    "测试县城市管理局": "D2",
    "测试县城管局": "D2",
    "测试县卫生健康局": "D3",
    "测试市卫生健康局": "D4",
}


@pytest.mark.parametrize(
    ("name", "department"),
    [
        ("测试县市场监督管理局", "D1"),  # exact
        ("測試縣市場監督管理局", "D1"),  # Traditional
        ("测试县 市场监督管理局", "D1"),  # a stray space
        ("县市場監督管理局", "D1"),  # the stem rule, through a name and its alias alike
        ("区市场监督管理局", "D1"),
        ("城市管理局", "D2"),
        ("卫生健康局", None),  # two departments end so: refused, not guessed
        ("测试县税务局", None),
    ],
)
def test_a_name_finds_one_department_or_none(name: str, department: str | None) -> None:
    found = _match_name(name, SPELLINGS)
    assert (SPELLINGS[found] if found else None) == department


def test_a_street_matches_exactly_or_folded_never_by_its_ending() -> None:
    streets = {"东街道": "001", "西街道": "002", "001": "001", "002": "002"}
    assert streets[_same_name("東街道", streets) or ""] == "001"
    assert _same_name("街道", streets) is None
