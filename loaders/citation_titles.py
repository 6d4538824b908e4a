"""Document titles in legal-basis cells (法律文件名称): 《》 and bare titles, version notes, ranks.

A title's key makes one law one document however it is written (with or without 中华人民共和国,
《》 or a version note such as 2021年修正); a tag (【行政法规】) or heading (法律：) gives the rank.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from loaders.citation_text import (
    SPACE,
    closing_bracket,
    collapse,
    half_width,
    simplified,
    trailing_group,
)
from schema.enums import DocumentRank

_KEY_DROP = re.compile(r"[\s《》<>〈〉「」“”\"']")
RANK_WORDS = {
    "宪法": DocumentRank.CONSTITUTION,
    "法律": DocumentRank.LAW,
    "行政法规": DocumentRank.ADMINISTRATIVE_REGULATION,
    "地方性法规": DocumentRank.LOCAL_REGULATION,
    "地方法规": DocumentRank.LOCAL_REGULATION,
    "自治条例": DocumentRank.LOCAL_REGULATION,
    "单行条例": DocumentRank.LOCAL_REGULATION,
    "部门规章": DocumentRank.DEPARTMENTAL_RULE,
    "政府规章": DocumentRank.LOCAL_GOVERNMENT_RULE,  # 【政府规章】 in catalogs = 地方政府规章
    "地方政府规章": DocumentRank.LOCAL_GOVERNMENT_RULE,
    "规范性文件": DocumentRank.NORMATIVE_DOCUMENT,
}
_RANK_ALTERNATION = "|".join(sorted(RANK_WORDS, key=len, reverse=True))
# 【行政法规】 ranks the one title after it; a heading 法律： ranks all titles up to the next
# heading, and a heading with no rank (法律依据：, 法规：, 其他：) ends that.
TAG = re.compile(
    rf"【\s*(?P<word>[^【】\d]{{1,12}}?)\s*】|\[(?P<word2>{_RANK_ALTERNATION})\]"
    rf"|(?<![\u4e00-\u9fff])(?P<heading>{_RANK_ALTERNATION}|[\u4e00-\u9fff]{{0,6}}依据|法规|规章|其他)"
    r"\s*:"
)
_VERSION_HINT = re.compile(
    r"\d\s*年|[〇零一二三四五六七八九]{4}\s*年|令|号|修正|修订|修改|施行|公布|发布|通过|颁布"
)
_BARE_VERSION = re.compile(r"\s*(\d{4}\s*年\s*(?:修正|修订|修改)(?:本|版)?)")
_BARE_VERSION_AT_END = re.compile(r"(\d{4}年(?:修正|修订|修改)(?:本|版)?)$")
_DOC_SUFFIX = (
    r"(?:法|条例|规定|办法|细则|规则|决定|规章|意见|通知|标准|规范|章程|目录|解释|决议|纲要|准则)"
)
_BARE_TITLE = re.compile(rf"[\u4e00-\u9fff〇<>〈〉]*?{_DOC_SUFFIX}(?:\((?:试行|暂行)\))?$")
# Words that introduce a citation in free text (依据《…》); a bare title starts after the last one.
LEAD_IN = re.compile(r".*(?:依据|根据|依照|按照|参照|遵照|违反|适用|详见|参见)")
# Prose that ends like a title: 依法第十条 is not a law called 依法; 本法 is a back-reference.
_NOT_A_TITLE = re.compile(
    r"(?:依法|违法|合法|守法|执法|非法|方法|办法规定|^(?:同|该|本|上述|前述)(?:法律|法规|条例|规定|办法|法))$"
)
_LEADING_JOIN = re.compile(r"^(?:以及|及|和|与|并|或者|或)")
_TITLE_CHAR = re.compile(r"[\u4e00-\u9fff〇<>〈〉]")
MAX_BARE_SEGMENT = 200  # a bare title and its version note: the longest real one is ~40
MAX_TITLE = 200  # characters inside 《》: longer is quoted text, not a document's name
MAX_VERSION_NOTE = 2000  # a revision chain of a dozen decisions is under 1,000
# A revision chain opens with a date and says what happened on it, within its first clause.
_REVISION_CHAIN = re.compile(
    r"\s*(?:根据\s*)?\d{4}\s*年[^;。]{0,80}?(?:通过|修正|修订|修改|公布|发布|施行)"
)


@dataclass(frozen=True)
class Doc:
    """A document as a citation names it: its key, title, version note and rank tag."""

    key: str
    title: str
    version: str | None
    rank: DocumentRank | None


@dataclass(frozen=True)
class Head:
    """Where a 《title》 and its version note stand in the cell, and the document it names."""

    start: int
    end: int
    doc: Doc


def normalise_title(title: str) -> tuple[str, str | None]:
    """Split a title into its display form and version note: 《消防法(2021年修正)》 → 消防法."""
    text = _unwrap(collapse(half_width(simplified(title))))
    version = None
    group = trailing_group(text)
    if group is not None and _looks_like_version(text[group + 1 : -1]):
        text, version = text[:group].rstrip(), text[group + 1 : -1].strip()
    elif match := _BARE_VERSION_AT_END.search(text):
        text, version = text[: match.start()].rstrip(), match.group(1)
    return _unwrap(text), version


def document_key(title: str) -> str:
    """The identity of a document: 《中华人民共和国森林法》 and 《森林法》 give the same key."""
    display, _ = normalise_title(title)
    key = _KEY_DROP.sub("", unicodedata.normalize("NFKC", display))
    # 中华人民共和国 goes wherever it stands, not only in front: local 实施办法 cite the national
    # law both ways (实施<中华人民共和国土地管理法>办法 / 实施<土地管理法>办法).
    return key.replace("中华人民共和国", "") or key


def match_head(src: str, t: str, at: int) -> Head | None:
    """《title》 with an optional version note at `at`: the document part of a citation.

    `src` is the cell simplified, `t` the same also half-width (citation_text): the title is
    taken from `src`, brackets and the version note are found in `t`.
    """
    if not t.startswith("《", at):
        return None
    close = closing_bracket(t, at)
    if close is None or close - at > MAX_TITLE:
        return None
    title, inner_version = normalise_title(src[at : close + 1])
    end, version = _version_after(t, close + 1)
    doc = Doc(document_key(title), title, version or inner_version, None)
    return Head(at, end, doc)


def bare_title(segment: str) -> tuple[int, str, str | None] | None:
    """A title written without 《》 at the end of `segment`: '依据森林法' → (2, '森林法', None).

    Only the segment's last MAX_BARE_SEGMENT characters are read: the scanner asks this of the
    text since the last citation, which in a hostile cell is the whole cell, again and again.
    """
    skipped = max(0, len(segment) - MAX_BARE_SEGMENT)
    found = _bare_title(segment[skipped:])
    return None if found is None else (skipped + found[0], found[1], found[2])


def _bare_title(segment: str) -> tuple[int, str, str | None] | None:
    text = segment.rstrip().rstrip("》>〉”\"'」").rstrip()
    version = None
    group = trailing_group(text)
    if group is not None and _looks_like_version(text[group + 1 : -1]):
        version = collapse(text[group + 1 : -1])
        text = text[:group].rstrip()
    offset = _title_run_start(text)
    if offset is None:
        return None
    lead = LEAD_IN.match(text, offset)
    offset = lead.end() if lead else offset
    join = _LEADING_JOIN.match(text[offset:])
    offset += join.end() if join else 0
    title = text[offset:]
    if not _BARE_TITLE.fullmatch(title) or len(title) < 2 or _NOT_A_TITLE.search(title):
        return None
    if offset and text[offset - 1] in "“\"'「":  # “森林法”第十五条: the quote is part of the raw
        offset -= 1
    return offset, title, version


def bracketed_version(t: str, end: int) -> tuple[int, str] | None:
    """(2021年修正), 〔2013年国务院令第641号〕, 【2021年修正】 after `end` → (end, note).

    A rank tag such as 【行政法规】 has no 年 or 令, so it is not taken for a version.
    """
    at = SPACE.match(t, end).end()
    if at >= len(t) or t[at] not in "(〔[【":
        return None
    close = closing_bracket(t, at)
    if close is None or not _looks_like_version(t[at + 1 : close]):
        return None
    return close + 1, collapse(t[at + 1 : close])


def _title_run_start(text: str) -> int | None:
    """Start of the run of title characters ending `text` (with a (试行) after it), if any.

    Walked backwards: a regex search for a run anchored at the end tries every start."""
    end = len(text)
    if text.endswith(("(试行)", "(暂行)")):
        end -= 4
    start = end
    while start > 0 and _TITLE_CHAR.match(text, start - 1):
        start -= 1
    return start if start < end else None


def _looks_like_version(note: str) -> bool:
    """Does bracketed text read as a version note (2021年修正, 国务院令第641号)?

    A long one must read as a revision chain (2009年2月28日…通过 根据…《…的决定》修正): it
    names decisions in 《》 of its own, and those are part of the note, not citations."""
    if len(note) <= 120:
        return bool(_VERSION_HINT.search(note))
    return len(note) <= MAX_VERSION_NOTE and bool(_REVISION_CHAIN.match(note))


def _unwrap(title: str) -> str:
    """Drop the 《》 around a title (also a stray one), not those inside it."""
    while title.startswith("《") and closing_bracket(title, 0) == len(title) - 1:
        title = title[1:-1].strip()
    return title.strip("《》 ")


def _version_after(t: str, end: int) -> tuple[int, str | None]:
    found = bracketed_version(t, end)
    if found is not None:
        return found
    bare = _BARE_VERSION.match(t, end)
    if bare:
        return bare.end(), collapse(bare.group(1))
    return end, None
