"""Article references in legal-basis cells (条 / 款 / 项): 第三十七条第一款第(三)项 → 37, 1, 3.

Numbers in Chinese or Arabic numerals, lists (第十条、第十二条), ranges (第五条至第七条), a
missing level filled from the reference before, and back-references (同法 / 本条 / 前款).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.citation_text import SPACE
from loaders.numerals import parse_numeral

_NUMERAL = r"[0-9零〇一二两三四五六七八九十百千廿卅]"
# A number is at most 12 numerals (民法典's last article, 一千二百六十, has 6), taken whole
# (possessive): the patterns are tried at every position of a cell, and an unbounded run that
# backtracks made a cell of numerals quadratic.
NUM = rf"{_NUMERAL}{{1,12}}+"
_NUMBERS_IN = re.compile(rf"{_NUMERAL}+")
_PNUM = rf"(?:\(\s*{NUM}\s*\)|{NUM})"
_TO = r"(?:至|到|~|-|—|–)"
_MAX_LISTED = 60  # numbers sharing one 条/款/项 (第三十、三十二…条): real lists have about 10


def _num_list(num: str) -> str:
    one = rf"(?>{num}(?:\s*{_TO}\s*第?\s*{num})?)"
    # (一)(二) need no separator: the brackets keep the numbers apart. Bounded and possessive,
    # as NUM: what follows a list (条 款 项) can never be part of it, so nothing is lost.
    return rf"{one}(?:(?:\s*[、,]\s*第?|(?<=\))(?=\s*\())\s*{one}){{0,{_MAX_LISTED}}}+"


LEVELS = ("article", "paragraph", "item")
_UNIT = {
    "article": re.compile(
        rf"(?P<di>第)?\s*(?P<nums>{_num_list(NUM)})\s*条(?!例)(?:\s*之\s*(?P<sub>{NUM}))?"
    ),
    "paragraph": re.compile(rf"(?P<di>第)?\s*(?P<nums>{_num_list(NUM)})\s*款"),
    "item": re.compile(rf"(?P<di>第)?\s*(?P<nums>{_num_list(_PNUM)})\s*项"),
}
# 第四十二条(三) without 项: only where a separator or the end follows, else it opens quoted text.
_BARE_ITEM = re.compile(rf"\(\s*(?P<nums>{NUM})\s*\)(?=\s*(?:[、,;。]|和|及|{_TO}|$))")
RANGE = re.compile(rf"\s*{_TO}\s*")
LIST_SEP = re.compile(r"(?:\s|[、,;:。]|以及|及|和|与|或者|或|并)*")
WEAK_SEP = re.compile(r"[、,]|及|和|与|或")  # 第二十六条、二十七条: a bare 二十七 only after these
_GAP = re.compile(r"[ \t\u3000]*")
_DOC_BACKREF = re.compile(
    r"(?:同|该|本|上述|前述)(?:法律|法规|条例|规定|办法|细则|规则|规章|决定|法)"
)
_ARTICLE_BACKREF = re.compile(r"(?:同|该|本)条(?!例)")
_PARAGRAPH_BACKREF = re.compile(r"(?:前|同|该|本)款")
ANY = LEVELS  # a reference may start at any level (第二款 after 第十条) …
ARTICLE = ("article",)  # … or must name an article (after a title or 同法)
ITEM = ("item",)  # … or an item of an attachment's list (附件1第28项)
# 附件1 after a policy document's title, with the attachment's own title if it is given.
ATTACHMENT = re.compile(rf"附件\s*(?P<number>{NUM})\s*(?:[:,]?\s*《[^《》\n]{{1,100}}》)?\s*")
# A back-reference and the levels that may follow it: 同法第X条, 本条第X款, 前款第X项.
BACKREFS = (
    (_DOC_BACKREF, ARTICLE),
    (_ARTICLE_BACKREF, ("paragraph", "item")),
    (_PARAGRAPH_BACKREF, ("item",)),
)


@dataclass(frozen=True)
class Ref:
    """One provision referred to, None where a level is not given, and where it stands."""

    article: int | None
    paragraph: int | None
    item: int | None
    start: int
    end: int
    supplement: bool = False  # 第二十条之一: an inserted article that an int cannot number


def chain_at(t: str, at: int, first: tuple[str, ...], *, bare_ok: bool) -> list[Ref] | None:
    """第三十七条第一款第(三)项 at `at` → refs, None where a level is not given.

    `first` names the levels the chain may start at; without `bare_ok` it must start with 第.
    """
    parts: dict[str, list[int]] = {}
    pos, supplement = at, False
    for level in LEVELS:
        if not parts and level not in first:
            continue
        start = _GAP.match(t, pos).end() if parts else pos
        match = _UNIT[level].match(t, start)
        if match is None and level == "item" and (start == pos if parts else bare_ok):
            match = _BARE_ITEM.match(t, start)
        if match is None or (not parts and not bare_ok and not match.group("di")):
            continue
        parts[level] = _numbers(match.group("nums"))
        supplement = supplement or bool(match.groupdict().get("sub"))
        pos = match.end()
    if not parts or not all(parts.values()):
        return None
    return _expand(parts, at, pos, supplement)


def backref_chain_at(t: str, at: int) -> list[Ref] | None:
    """同法第X条, 本条第X款, 前款第X项 at `at`."""
    for pattern, first in BACKREFS:
        match = pattern.match(t, at)
        if match is not None:
            after = SPACE.match(t, match.end()).end()
            chain = chain_at(t, after, first, bare_ok=True)
            if chain is not None:
                return chain
    return None


def _numbers(listed: str) -> list[int]:
    """'三十、三十二' → [30, 32]; '五至七' → [5, 6, 7]; '(六)至(十)' → [6, …, 10]."""
    numbers: list[int] = []
    for piece in re.split(r"[、,]|(?<=\))\s*(?=\()", listed):
        try:
            ends = [parse_numeral(n) for n in _NUMBERS_IN.findall(piece)]
        except ValueError:
            return []  # 百, 十十: numeral characters that spell no number
        if len(ends) == 2 and 0 < ends[1] - ends[0] <= 500:
            numbers.extend(range(ends[0], ends[1] + 1))
        elif len(ends) == 1:
            numbers.append(ends[0])
        else:
            return []  # a backwards or absurd range: not a reference we can trust
    return numbers


def _expand(parts: dict[str, list[int]], start: int, end: int, supplement: bool) -> list[Ref]:
    return [
        Ref(article, paragraph, item, start, end, supplement)
        for article in parts.get("article", [None])
        for paragraph in parts.get("paragraph", [None])
        for item in parts.get("item", [None])
    ]


def fill_levels(chain: list[Ref], context: Ref | None) -> list[Ref]:
    """Fill the levels a chain leaves out (第二款 after 第十条) from the reference before it."""
    if context is None or chain[0].article is not None:
        return chain
    if chain[0].paragraph is not None:
        return [replace(ref, article=context.article) for ref in chain]
    return [replace(ref, article=context.article, paragraph=context.paragraph) for ref in chain]


def refs_between(left: Ref, right: Ref, start: int, end: int, most: int = 500) -> list[Ref] | None:
    """What a range leaves unsaid: 第五条至第八条 → articles 6 and 7; None if not a range, or
    if it would add more than `most` (and never more than 500) references."""
    level = next(name for name in LEVELS if getattr(right, name) is not None)
    low, high = getattr(left, level), getattr(right, level)
    if low is None or high is None or not 0 < high - low <= min(500, most + 1):
        return None
    # Items range within the article and 款 on the left; 款 within its article.
    outer = {
        "article": left.article if level != "article" else None,
        "paragraph": left.paragraph if level == "item" else None,
        "item": None,
    }
    return [Ref(**{**outer, level: n}, start=start, end=end) for n in range(low + 1, high)]
