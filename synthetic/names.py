"""Invented names (虚构名称): provinces, cities, counties, streets and people; none is a real place."""

from __future__ import annotations

import random
from functools import cache

PROVINCES = ("东岚", "西岭", "南屏", "北溟", "云泽", "青梧", "星川", "澄岳", "碧霞")
_PLACE_FIRST = "合清澄岚枫栖梧桐杉柏榆槐芷蘅汀渚沅澧涧淇溱洧漪澜潆湄汐泠沣淼琅瑜瑾璜珂琳"
_PLACE_SECOND = "溪川原阳丰宁安平昌源泽兴和乐盛隆康泰文德"
_STREET_FIRST = "东西南北青石龙凤金银桃柳松梅竹兰清福安永新古白黄"
_STREET_SECOND = "山湖桥塘岭溪口坪源湾埠港庄田岗"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰志海燕建国文斌晓东红梅春林"
MAX_STREETS = len(_STREET_FIRST) * len(_STREET_SECOND)


@cache
def place_names() -> tuple[str, ...]:
    """Two-character place names in a fixed shuffled order (the same list for every seed)."""
    names = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND if a != b]
    random.Random("synthetic-place-names").shuffle(names)
    return tuple(names)


def county_name(index: int) -> str:
    """The index-th county's name: 合溪县, 栖原区 … (unique for the first few thousand)."""
    names = place_names()
    suffix = ("县", "区", "县", "市")[(index // len(names)) % 4]
    return names[index % len(names)] + suffix


def city_name(index: int) -> str:
    """The index-th city's name, drawn from the end of the list so it rarely echoes a county."""
    names = place_names()
    return names[len(names) - 1 - index % len(names)] + "市"


def province_name(index: int) -> str:
    return PROVINCES[index % len(PROVINCES)] + "省"


def street_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct two-character street stems for one county (东山, 青湖 …)."""
    if count > MAX_STREETS:
        raise ValueError(f"at most {MAX_STREETS} streets per county")
    stems = [a + b for a in _STREET_FIRST for b in _STREET_SECOND]
    return rng.sample(stems, count)


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
