"""Where a new citation starts in a legal-basis cell (引文起点), so where quoted article text ends.

A cell often quotes the article after citing it (《消防法》第十五条 公众聚集场所…); the quote
runs until something that starts a citation: a 《title》 with its articles, a rank tag, 同法第X条,
or 第X条 after a sentence break. `t` is the prepared cell and `src` the cell only simplified
(loaders.citation_text).
"""

from __future__ import annotations

import re

from loaders.citation_refs import ANY, ARTICLE, NUM, backref_chain_at, chain_at
from loaders.citation_text import SPACE
from loaders.citation_titles import LEAD_IN, TAG, bare_title, match_head

_NUMBERING = re.compile(
    r"\s*(?:\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*\)|\d{1,2}\s*[、.．]"
    r"|[一二三四五六七八九十]{1,3}\s*、|[①-⑳⑴-⒇⒈-⒛]|\d{1,2}(?=\s*[《【]))\s*"
)
_BOUNDARY = set(" \t\n\r\u3000。;:")
# After 第X条 in quoted text these mean a cross-reference (第四十四条的规定), not a new citation.
_REFERENCE_TAIL = re.compile(r"\s*(?:的|之规定|规定|所|中|以外|以上|以下|另有)")
_BARE_TITLE_BEFORE_ARTICLE = re.compile(rf"[^\s第《》;。,、:]{{1,60}}?(?=\s*第\s*{NUM}\s*条)")


def starts_citation(t: str, at: int) -> bool:
    """Does a citation start at `at` (past a numbering mark such as 1、 or ③)?"""
    at = _after_numbering(t, at)
    if at >= len(t):
        return False
    if t[at] in "《【" or TAG.match(t, at):
        return True
    chain = backref_chain_at(t, at) or chain_at(t, at, ANY, bare_ok=False)
    return chain is not None or _bare_title_chain_at(t, at)


def text_end(src: str, t: str, start: int) -> int:
    """Where the article text quoted from `start` on ends: where a new citation starts."""
    for at in range(start + 1, len(t)):
        if _restarts_at(src, t, at):
            return at
    return len(t)


def _restarts_at(src: str, t: str, at: int) -> bool:
    """A new citation inside quoted text: after a sentence break, or a 《title》 then 第X条."""
    boundary = t[at - 1] in _BOUNDARY
    if t[at] == "《":
        return _title_starts_citation(src, t, at, boundary)
    if not boundary or t[at] in _BOUNDARY:
        return False
    begin = _after_numbering(t, at)
    if begin < len(t) and (t[begin] == "【" or TAG.match(t, begin)):
        return True
    if begin < len(t) and t[begin] == "《":
        return _title_starts_citation(src, t, begin, True)
    chain = backref_chain_at(t, begin) or chain_at(t, begin, ANY, bare_ok=False)
    if chain is not None:
        return not _REFERENCE_TAIL.match(t, chain[-1].end)
    return _bare_title_chain_at(t, begin)


def _title_starts_citation(src: str, t: str, at: int, boundary: bool) -> bool:
    # Quoted article text names laws too (依照《土壤污染防治法》的有关规定): only a title
    # followed by its articles, or one standing alone after a sentence break, starts a citation.
    head = match_head(src, t, at)
    if head is None:
        return False
    after = SPACE.match(t, head.end).end()
    chain = chain_at(t, after, ARTICLE, bare_ok=False)
    if chain is not None:
        lead_in = LEAD_IN.fullmatch(t[max(0, at - 2) : at])
        return not _REFERENCE_TAIL.match(t, chain[-1].end) and (boundary or not lead_in)
    return boundary and (after >= len(t) or t[after] in "、,;。\n《【")


def _bare_title_chain_at(t: str, at: int) -> bool:
    match = _BARE_TITLE_BEFORE_ARTICLE.match(t, at)
    if match is None:
        return False
    quote = len(match.group()) - len(match.group().lstrip("“\"'「"))
    bare = bare_title(match.group())
    return bare is not None and bare[0] == quote


def _after_numbering(t: str, at: int) -> int:
    """Past a number (1、 (2) ③) that opens a citation."""
    match = _NUMBERING.match(t, at)
    return match.end() if match else at
