"""Linking a county's items to its province's guide items (事项对应): by code, else by name.

The rule, in order, for each county item:

1. **code** (编码): its 事项编码, normalised (`code_key`), equals a guide item's. A code the
   loader derived from the name (a list without 事项编码) is no code and links nothing.
2. **name** (名称): its name, normalised (`name_key`), equals a guide item's, and the two are of
   the same type (a penalty and an inspection of one conduct are two items; 其他 fits any).
   When both cite an article in common (the same law and 条, 款 and 项 aside) the match is
   **name+article** (名称+条文): the stronger evidence, and what picks one of several guide items
   of the same name.
3. Two or more guide items still fit: the link is **ambiguous** (待确认) and every candidate is
   shown; none is chosen, and none is reported as not taken up on the strength of a guess.

Nothing here reads the graph: `queries/guide_uptake.py` reads both sides and calls `link`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from loaders.citation_text import half_width, simplified

MatchKind = Literal["code", "name", "name+article"]
OTHER_TYPE = "其他"

# Dashes, underscores and spaces inside a code are how it was typed, not what it is.
_CODE_NOISE = re.compile(r"[\s\-‐‑‒–—―－_＿.·・/]+")
# Punctuation and brackets of every width: 、，。；：“”（）【】〔〕《》 and their ASCII forms.
_NAME_NOISE = re.compile(
    r"[\s、，,。.；;：:！!？?“”\"‘’'（）()【】\[\]〔〕｛｝{}《》<>〈〉·・…—\-－]+"
)
# 对…的处罚 / 对…行为的行政处罚 / …的处罚: the penalty's form, not its conduct.
_PENALTY_FORM = re.compile(r"(行为)?的(行政)?处罚$")


def code_key(code: str | None) -> str | None:
    """ＬＣ－ＣＧ 001, lc-cg-001 and LC_CG_001 → LCCG001; an empty code → None."""
    if not code:
        return None
    key = _CODE_NOISE.sub("", unicodedata.normalize("NFKC", code)).upper()
    return key or None


def name_key(name: str) -> str:
    """A name as compared: Simplified, half-width, no spaces or punctuation or brackets (their
    words kept), and the penalty form 对…(行为)的(行政)处罚 reduced to its conduct."""
    text = _NAME_NOISE.sub("", half_width(simplified(unicodedata.normalize("NFKC", name))))
    stripped = _PENALTY_FORM.sub("", text)
    if stripped != text:
        stripped = stripped.removeprefix("对")
    return stripped


@dataclass(frozen=True)
class Side:
    """One item of either side, as the matcher sees it."""

    key: str  # guide item id, or county item code
    name: str
    type: str | None
    code: str | None  # a published code, None when there is none
    articles: frozenset[str] = frozenset()


@dataclass
class Links:
    """One county's items against the guide: each item linked, ambiguous or added."""

    matched: list[tuple[Side, Side, MatchKind]] = field(default_factory=list)  # county, guide
    ambiguous: list[tuple[Side, list[Side]]] = field(default_factory=list)
    added: list[Side] = field(default_factory=list)
    not_taken_up: list[Side] = field(default_factory=list)


def link(guide: list[Side], county: list[Side]) -> Links:
    """Every county item linked by the module's rule; the guide items no link or candidate
    reaches are not taken up."""
    by_code: dict[str, list[Side]] = {}
    by_name: dict[str, list[Side]] = {}
    for item in guide:
        if (code := code_key(item.code)) is not None:
            by_code.setdefault(code, []).append(item)
        by_name.setdefault(name_key(item.name), []).append(item)
    links = Links()
    reached: set[str] = set()
    for item in county:
        code = code_key(item.code)
        fits = by_code.get(code, []) if code is not None else []
        kind: MatchKind = "code"
        if not fits:
            fits = [g for g in by_name.get(name_key(item.name), []) if _same_type(g, item)]
            fits, kind = _by_article(item, fits)
        reached |= {g.key for g in fits}
        if len(fits) == 1:
            links.matched.append((item, fits[0], kind))
        elif fits:
            links.ambiguous.append((item, fits))
        else:
            links.added.append(item)
    links.not_taken_up = [g for g in guide if g.key not in reached]
    return links


def _by_article(item: Side, fits: list[Side]) -> tuple[list[Side], MatchKind]:
    """Those of the name's candidates that share an article with the item, if any do."""
    sharing = [g for g in fits if g.articles & item.articles]
    return (sharing, "name+article") if sharing else (fits, "name")


def _same_type(guide: Side, county: Side) -> bool:
    kinds = {guide.type or OTHER_TYPE, county.type or OTHER_TYPE}
    return len(kinds) == 1 or OTHER_TYPE in kinds
