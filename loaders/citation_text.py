"""Legal-basis text made ready to parse (繁转简 / 全角转半角): every step keeps the cell's length.

So an offset found in the prepared text indexes the raw cell too. Also here: matching brackets,
whitespace collapsed for display, and the article text a cell quotes after a citation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_WHITESPACE = re.compile(r"\s+")
_ASCII_GAP = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])")
SPACE = re.compile(r"\s*")
_PAIRS = {"《": "》", "(": ")", "〔": "〕", "[": "]", "【": "】"}
_OPENING_OF = {closing: opening for opening, closing in _PAIRS.items()}
_TEXT_LEAD = re.compile(
    r"^[\s:,、。;]*(?:等\s*(?:有关|相关)?\s*(?:规定|条款|法律法规)?)?(?:的?规定\s*[:,]?)?\s*"
)
_QUOTES = (("“", "”"), ("「", "」"), ('"', '"'))


def simplified(text: str) -> str:
    """Traditional characters as simplified (繁转简), one character for one."""
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length: convert char by char so offsets still hold.
    return "".join(_T2S.convert(char) if len(_T2S.convert(char)) == 1 else char for char in text)


def half_width(text: str) -> str:
    """Full-width forms as ASCII (全角转半角) and «» or <<>> as 《》, one character for one."""
    narrowed = "".join(_narrow(char) for char in text)
    # <<森林法>> and 〈〈森林法〉〉 stand for 《森林法》; the padding space keeps offsets.
    for opening, closing in (("<<", ">>"), ("〈〈", "〉〉")):
        narrowed = narrowed.replace(opening, "《 ").replace(closing, " 》")
    return narrowed


@lru_cache(maxsize=4096)
def _narrow(char: str) -> str:
    # NFKC maps full-width forms to ASCII; where it would change the length (⑴ → (1)) keep the char.
    if "①" <= char <= "⑳":  # a numbering mark: NFKC would make ② the digit 2 of a title
        return char
    normal = unicodedata.normalize("NFKC", char)
    return {"«": "《", "»": "》"}.get(normal, normal) if len(normal) == 1 else char


def collapse(text: str) -> str:
    """Drop whitespace in Chinese text (line breaks, '1993 年'); keep one between ASCII words."""
    return _WHITESPACE.sub("", _ASCII_GAP.sub("\x00", text)).replace("\x00", " ").strip()


def closing_bracket(text: str, at: int) -> int | None:
    """Index of the bracket closing the one at `at`; nested pairs count, 《…《…》…》 is one."""
    return _bracket_pairs(text).get(at)


@lru_cache(maxsize=32)
def _bracket_pairs(text: str) -> dict[int, int]:
    """Every bracket in `text` paired with its closer, in one pass: a scan from each opening
    to its closer made a cell of 《《《… quadratic. An unclosed opening has no entry."""
    pairs: dict[int, int] = {}
    open_at: dict[str, list[int]] = {opening: [] for opening in _PAIRS}
    for n, char in enumerate(text):
        if char in open_at:
            open_at[char].append(n)
        elif char in _OPENING_OF and open_at[_OPENING_OF[char]]:
            pairs[open_at[_OPENING_OF[char]].pop()] = n
    return pairs


def trailing_group(text: str) -> int | None:
    """Start of the parenthesised group ending `text`, if it ends with one."""
    if not text.endswith(")"):
        return None
    depth = 0
    for n in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[n], 0)
        if depth == 0:
            return n
    return None


def quoted_text(source: str) -> str | None:
    """The article text quoted after a citation, without its lead-in (的规定：) and quotes."""
    text = collapse(source)
    lead = _TEXT_LEAD.match(half_width(text))  # same length: the match indexes `text` too
    text = text[lead.end() if lead else 0 :].strip().rstrip(";；,，、").rstrip()
    for opening, closing in _QUOTES:
        if len(text) > 2 and text.startswith(opening) and text.endswith(closing):
            text = text[1:-1].strip()
    return text or None
