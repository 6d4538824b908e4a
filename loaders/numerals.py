"""Chinese numerals (汉字数字) ↔ int, as laws number articles: 第一百一十八条 ↔ 118."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an

# Forms cn2an rejects or returns oddly, rewritten to forms it takes.
# 卅/卌 (30/40) appear in older texts; cn2an knows 廿 but not these two.
_REWRITES = str.maketrans({"卅": "三十", "卌": "四十"})
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # pure, and cn2an is slow: cells repeat the same few numbers
def parse_numeral(text: str) -> int:
    """Read a non-negative integer written in Chinese or Arabic digits: '一百零一' → 101.

    Takes 〇/零, 两, 廿/卅/卌, full-width digits (１２), mixed forms (1百零1) and
    spaces inside the number (catalog copies have '1993 年', '第 116号'). Raises
    ValueError for anything that is not a whole number.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(f"not a numeral: {text!r}")
    if cleaned.isascii() and cleaned.isdigit():
        return int(cleaned)
    try:
        value = cn2an.cn2an(cleaned, "smart")
    # cn2an reports some malformed mixes ('一21') with a KeyError or IndexError from its tables.
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a numeral: {text!r}") from exc
    # cn2an also reads decimals and negatives ('1.5', '负一'); neither numbers an article.
    if value < 0 or value != int(value):
        raise ValueError(f"not a whole non-negative numeral: {text!r}")
    return int(value)


def chinese_numeral(n: int) -> str:
    """Write n as laws number articles: 10 → 十, 101 → 一百零一, 118 → 一百一十八."""
    if n < 0:
        raise ValueError(f"article numbers are not negative: {n}")
    # cn2an writes the legal form: a bare 十 for 10–19, 一十 inside larger numbers (一百一十八).
    return cn2an.an2cn(n)


def _clean(text: str) -> str:
    # NFKC turns full-width digits into ASCII ones: cn2an would return a float for '１２'.
    normalised = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub("", normalised).translate(_REWRITES)
