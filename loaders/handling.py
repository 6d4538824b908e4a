"""Who handles an item's violations (办理层级, 县乡衔接): the town's team or the county's professional team.

Seed 002 二、二: simple, clear-cut violations are handled by the township team itself; technical
ones, or ones needing several departments, go to the county department's professional team. A
catalog says which per row (column 办理层级 / 承办层级, header_spellings.yaml `handling`); the words
and the seed's sentence are data in handling_words.yaml. The tier is kept on the catalog's LISTS
row, so its source is that catalog and row.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from loaders.headers import normalise_header
from loaders.yaml_files import read_yaml

WORDS_FILE = Path(__file__).with_name("handling_words.yaml")
Tier = Literal["town", "county_team"]
TIERS: tuple[Tier, ...] = ("town", "county_team")
_BRACKETS = re.compile(r"[()（）]")


def handling_tier(cell: str) -> Tier | None:
    """专业性技术性强 / 县级专业队伍 → county_team; 简易 / 乡镇(街道) → town; None if unknown."""
    word = _BRACKETS.sub("", normalise_header(cell))
    return _words().get(word)


def handling_properties(row: Any) -> dict[str, str]:
    """The LISTS properties of a catalog row's tier: none when the row gives none (a newer
    version without the column leaves the older row's tier where it was, on its own LISTS)."""
    return {"handling": row.handling} if getattr(row, "handling", None) else {}


def tier_words() -> list[str]:
    return list(_words())


def tier_label(tier: str) -> str:
    """The tier in the seed's words (乡镇(街道)综合执法队伍直接处置 / 移交县级部门专业执法队伍处置)."""
    return str(_vocabulary()["tiers"][tier]["label"])


def handling_source() -> dict[str, str]:
    """The seed the tiers come from: document, section and its sentence."""
    return {key: str(value) for key, value in _vocabulary()["source"].items()}


@cache
def _vocabulary() -> dict[str, Any]:
    data = read_yaml(WORDS_FILE)
    if set(data["tiers"]) != set(TIERS):
        raise ValueError(f"{WORDS_FILE.name}: tiers must be {', '.join(TIERS)}")
    return data


@cache
def _words() -> dict[str, Tier]:
    return {
        _BRACKETS.sub("", normalise_header(word)): tier
        for tier in TIERS
        for word in _vocabulary()["tiers"][tier]["words"]
    }
