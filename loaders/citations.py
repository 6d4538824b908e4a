"""Parse legal-basis cells (实施依据 / 设定依据) into citations: 《行政处罚法》第二十二条 → 22."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

import opencc

from loaders.numerals import parse_numeral
from schema.enums import DocumentRank

Status = Literal["parsed", "partial", "unparsed", "empty"]


@dataclass(frozen=True)
class Citation:
    """One provision cited in a cell: a document and, where given, its article, 款 and 项."""

    document_key: str  # identity of the document: one law = one key (see document_key)
    title: str  # as written, in simplified characters, without the version note
    version_note: str | None  # '2021年修正', '1993年国务院令第116号', …
    rank: DocumentRank | None  # from a tag such as 【行政法规】; None when the cell has none
    article: int | None
    paragraph: int | None
    item: int | None
    raw: str  # the exact substring of the cell this citation came from
    text: str | None  # the article's own text quoted after the citation, if any


@dataclass(frozen=True)
class BasisParse:
    """What one legal-basis cell says, and what of it could not be read."""

    raw: str
    citations: list[Citation]
    unparsed: list[str]  # fragments that look like a citation but were not resolved
    status: Status


def parse_basis(cell: str) -> BasisParse:
    """Read every citation in one legal-basis cell; keep what cannot be resolved in `unparsed`."""
    if not cell.strip():
        return BasisParse(raw=cell, citations=[], unparsed=[], status="empty")
    scanner = _Scanner(cell)
    scanner.run()
    citations, unparsed = scanner.citations, scanner.unparsed
    if not citations and not unparsed:
        unparsed = [cell.strip()]  # nothing that looks like a citation: keep the cell, drop nothing
    return BasisParse(cell, citations, unparsed, _status(citations, unparsed))


def normalise_title(title: str) -> tuple[str, str | None]:
    """Split a title into its display form and version note: 《消防法(2021年修正)》 → 消防法."""
    text = _unwrap(_collapse(_half_width(_simplified(title))))
    version = None
    group = _trailing_group(text)
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


def _unwrap(title: str) -> str:
    """Drop the 《》 around a title (also a stray one), not those inside it."""
    while title.startswith("《") and _closing(title, 0) == len(title) - 1:
        title = title[1:-1].strip()
    return title.strip("《》 ")


def _status(citations: list[Citation], unparsed: list[str]) -> Status:
    if not citations:
        return "unparsed"
    if unparsed or any(c.article is None for c in citations):
        return "partial"
    return "parsed"


# ── text preparation: every step keeps the cell's length, so offsets index the raw cell ──────

_T2S = opencc.OpenCC("t2s")
_KEY_DROP = re.compile(r"[\s《》<>〈〉「」“”\"']")
_WHITESPACE = re.compile(r"\s+")
_ASCII_GAP = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])")


def _simplified(text: str) -> str:
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length: convert char by char so offsets still hold.
    return "".join(_T2S.convert(char) if len(_T2S.convert(char)) == 1 else char for char in text)


def _half_width(text: str) -> str:
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


def _collapse(text: str) -> str:
    """Drop whitespace in Chinese text (line breaks, '1993 年'); keep one between ASCII words."""
    return _WHITESPACE.sub("", _ASCII_GAP.sub("\x00", text)).replace("\x00", " ").strip()


# ── patterns, on the prepared (simplified, half-width) text ──────────────────────────────────

_NUM = r"[0-9零〇一二两三四五六七八九十百千廿卅]+"
_PNUM = rf"(?:\(\s*{_NUM}\s*\)|{_NUM})"
_TO = r"(?:至|到|~|-|—|–)"


def _num_list(num: str) -> str:
    one = rf"{num}(?:\s*{_TO}\s*第?\s*{num})?"
    # (一)(二) need no separator: the brackets keep the numbers apart.
    return rf"{one}(?:(?:\s*[、,]\s*第?|(?<=\))(?=\s*\())\s*{one})*"


_LEVELS = ("article", "paragraph", "item")
_UNIT = {
    "article": re.compile(
        rf"(?P<di>第)?\s*(?P<nums>{_num_list(_NUM)})\s*条(?!例)(?:\s*之\s*(?P<sub>{_NUM}))?"
    ),
    "paragraph": re.compile(rf"(?P<di>第)?\s*(?P<nums>{_num_list(_NUM)})\s*款"),
    "item": re.compile(rf"(?P<di>第)?\s*(?P<nums>{_num_list(_PNUM)})\s*项"),
}
# 第四十二条(三) without 项: only where a separator or the end follows, else it opens quoted text.
_BARE_ITEM = re.compile(rf"\(\s*(?P<nums>{_NUM})\s*\)(?=\s*(?:[、,;。]|和|及|{_TO}|$))")
_RANGE = re.compile(rf"\s*{_TO}\s*")
_LIST_SEP = re.compile(r"(?:\s|[、,;:。]|以及|及|和|与|或者|或|并)*")
_WEAK_SEP = re.compile(
    r"[、,]|及|和|与|或"
)  # 第二十六条、二十七条: a missing 第 is read only after these
_GAP = re.compile(r"[ \t\u3000]*")
_SPACE = re.compile(r"\s*")

_RANK_WORDS = {
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
_RANK_ALTERNATION = "|".join(sorted(_RANK_WORDS, key=len, reverse=True))
# 【行政法规】 ranks the one title after it; a heading 法律： ranks all titles up to the next
# heading, and a heading with no rank (法律依据：, 法规：, 其他：) ends that.
_TAG = re.compile(
    rf"【\s*(?P<word>[^【】\d]{{1,12}}?)\s*】|\[(?P<word2>{_RANK_ALTERNATION})\]"
    rf"|(?<![\u4e00-\u9fff])(?P<heading>{_RANK_ALTERNATION}|[\u4e00-\u9fff]{{0,6}}依据|法规|规章|其他)"
    r"\s*:"
)
_DOC_BACKREF = re.compile(
    r"(?:同|该|本|上述|前述)(?:法律|法规|条例|规定|办法|细则|规则|规章|决定|法)"
)
_ARTICLE_BACKREF = re.compile(r"(?:同|该|本)条(?!例)")
_PARAGRAPH_BACKREF = re.compile(r"(?:前|同|该|本)款")

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
_LEAD_IN = re.compile(r".*(?:依据|根据|依照|按照|参照|遵照|违反|适用|详见|参见)")
# Prose that ends like a title: 依法第十条 is not a law called 依法; 本法 is a back-reference.
_NOT_A_TITLE = re.compile(
    r"(?:依法|违法|合法|守法|执法|非法|方法|办法规定|^(?:同|该|本|上述|前述)(?:法律|法规|条例|规定|办法|法))$"
)
_LEADING_JOIN = re.compile(r"^(?:以及|及|和|与|并|或者|或)")
_NUMBERING = re.compile(
    r"\s*(?:\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*\)|\d{1,2}\s*[、.．]"
    r"|[一二三四五六七八九十]{1,3}\s*、|[①-⑳⑴-⒇⒈-⒛]|\d{1,2}(?=\s*[《【]))\s*"
)
_PAIRS = {"《": "》", "(": ")", "〔": "〕", "[": "]", "【": "】"}
_BOUNDARY = set(" \t\n\r\u3000。;:")
# After 第X条 in quoted text these mean a cross-reference (第四十四条的规定), not a new citation.
_REFERENCE_TAIL = re.compile(r"\s*(?:的|之规定|规定|所|中|以外|以上|以下|另有)")
_TEXT_LEAD = re.compile(
    r"^[\s:,、。;]*(?:等\s*(?:有关|相关)?\s*(?:规定|条款|法律法规)?)?(?:的?规定\s*[:,]?)?\s*"
)
_QUOTES = (("“", "”"), ("「", "」"), ('"', '"'))
_ENUMERATED = re.compile(r"\(([一二三四五六七八九十]+)\)")


@dataclass(frozen=True)
class _Doc:
    key: str
    title: str
    version: str | None
    rank: DocumentRank | None


@dataclass(frozen=True)
class _Ref:
    article: int | None
    paragraph: int | None
    item: int | None
    start: int
    end: int
    supplement: bool = False  # 第二十条之一: an inserted article that an int cannot number


@dataclass(frozen=True)
class _Tag:
    start: int
    rank: DocumentRank | None
    heading: bool  # 法律： ranks every title under it, 【法律】 only the next one
    used: bool = False


@dataclass(frozen=True)
class _Head:
    start: int
    end: int
    doc: _Doc


_ANY = _LEVELS
_ARTICLE = ("article",)


class _Scanner:
    """Walks one prepared cell left to right, emitting citations as it recognises them."""

    def __init__(self, cell: str) -> None:
        self.raw = cell
        self.src = _simplified(cell)  # simplified, widths as written: source of quoted text
        self.t = _half_width(self.src)  # simplified and half-width: what the patterns read
        self.i = 0
        self.junk_start = 0  # start of text not yet recognised as anything
        self.doc: _Doc | None = None  # the document a bare 第X条 belongs to
        self.unused_head: _Head | None = None  # a document named with no article yet
        self.tag: _Tag | None = None  # the rank tag or heading over the next title
        self.citations: list[Citation] = []
        self.unparsed: list[str] = []

    def run(self) -> None:
        while self.i < len(self.t):
            if not (self._tag() or self._head() or self._backref() or self._bare_refs()):
                self.i += 1
        self._flush_junk(len(self.t))
        self._flush_unused_head()

    # ── the elements the main loop recognises ──

    def _tag(self) -> bool:
        match = _TAG.match(self.t, self.i)
        if not match:
            return False
        self._flush_junk(self.i)
        word = match.group("word") or match.group("word2") or match.group("heading")
        self.tag = _Tag(self.i, _RANK_WORDS.get(word), heading=bool(match.group("heading")))
        self.i = self.junk_start = match.end()
        return True

    def _head(self) -> bool:
        head = self._match_head(self.i)
        if head is None:
            return False
        self._flush_junk(head.start)
        self._flush_unused_head()
        start = self._take_document(head.doc, head.start)
        self.unused_head = replace(head, start=start, doc=self.doc)
        self.i = self.junk_start = head.end
        refs, end = self._ref_list(_SPACE.match(self.t, head.end).end(), None, _ARTICLE)
        if refs:
            self._emit(refs, start)
            self._after_refs(end)
        return True

    def _backref(self) -> bool:
        for pattern, first in _BACKREFS:
            match = pattern.match(self.t, self.i)
            if match is None:
                continue
            at = _SPACE.match(self.t, match.end()).end()
            if self._chain_at(at, first, bare_ok=True) is None:
                continue
            if _bare_title(self.t[self.junk_start : match.end()]):
                return False  # 资本法第十条: 本法 ends a title written without 《》
            self._flush_junk(self.i)
            self._refs_from_context(match.start(), at, first)
            return True
        return False

    def _bare_refs(self) -> bool:
        if self._chain_at(self.i, _ANY, bare_ok=False) is None:
            return False
        bare = _bare_title(self.t[self.junk_start : self.i])
        if bare is None:
            self._flush_junk(self.i)
            self._refs_from_context(self.i, self.i, _ANY)
            return True
        offset, title, version = bare
        start = self.junk_start + offset
        self._flush_junk(start)
        self._flush_unused_head()
        start = self._take_document(_Doc(document_key(title), title, version, None), start)
        refs, end = self._ref_list(self.i, None, _ANY)
        self._emit(refs, start)
        self._after_refs(end)
        return True

    def _take_document(self, doc: _Doc, start: int) -> int:
        """Make `doc` current, with the rank of a tag just before it; return where it starts."""
        tag = self.tag
        if tag is not None:
            doc = replace(doc, rank=tag.rank)
            # The raw keeps a tag that ranks (【法律】), not a bare heading (法律依据：).
            start = tag.start if tag.rank is not None and not tag.used else start
            self.tag = replace(tag, used=True) if tag.heading else None
        self.doc = doc
        return start

    # ── references and what follows them ──

    def _refs_from_context(self, start: int, at: int, first: tuple[str, ...]) -> None:
        """同法第X条, 本条第X款, 前款第X项, or a bare 第X款: fill in from the last citation."""
        last = self.citations[-1] if self.citations else None
        context = None
        if last is not None and last.document_key == (self.doc and self.doc.key):
            # 前款 in a cell points at the 款 just cited: a cell has no 款 of its own.
            context = _Ref(last.article, last.paragraph, None, start, at)
        refs, end = self._ref_list(at, context, first)
        needs_article = refs[0].article is None
        if self.doc is None or (needs_article and context is None):
            self.unparsed.append(self.raw[start:end].strip())
            self.i = self.junk_start = end
            return
        self._emit(refs, start)
        self._after_refs(end)

    def _emit(self, refs: list[_Ref], start: int | None = None) -> None:
        assert self.doc is not None
        self.unused_head = None
        for n, ref in enumerate(refs):
            begin = start if n == 0 and start is not None else ref.start
            if ref.supplement:
                self.unparsed.append(self.raw[ref.start : ref.end].strip())
            citation = self._citation(self.doc, ref, begin, ref.end)
            if not self._repeats_last(citation):
                self.citations.append(citation)

    def _repeats_last(self, citation: Citation) -> bool:
        # 《消防法》第十五条 第十五条 公众聚集场所…: the number is repeated before the quoted
        # text; the text then belongs to the citation already made.
        if not self.citations or self.citations[-1].text is not None:
            return False
        last = self.citations[-1]
        return (last.document_key, last.article, last.paragraph, last.item) == (
            citation.document_key,
            citation.article,
            citation.paragraph,
            citation.item,
        ) and citation.article is not None

    def _citation(self, doc: _Doc, ref: _Ref | None, start: int, end: int) -> Citation:
        article = ref.article if ref is not None and not ref.supplement else None
        return Citation(
            document_key=doc.key,
            title=doc.title,
            version_note=doc.version,
            rank=doc.rank,
            article=article,
            paragraph=ref.paragraph if ref is not None and article else None,
            item=ref.item if ref is not None and article else None,
            raw=self.raw[start:end],
            text=None,
        )

    def _after_refs(self, end: int) -> None:
        """After 第X条: a late version note, the next citation, or the article's quoted text."""
        end = self._late_version(end)
        self.i = self.junk_start = end
        after = _LIST_SEP.match(self.t, end).end()
        if after >= len(self.t) or self._starts_citation(after):
            return
        stop = self._text_end(end)
        text = _quoted_text(self.src[end:stop])
        if text:
            self.citations[-1] = _with_text(self.citations[-1], text)
        self.i = self.junk_start = stop

    def _late_version(self, end: int) -> int:
        # 《消防法》第三十一条(2021年修正): the version note after the article, not the title.
        found = self._bracketed_version(end)
        if found is None or self.doc is None:
            return end
        after_note, version = found
        self.doc = replace(self.doc, version=self.doc.version or version)
        for n in range(len(self.citations) - 1, -1, -1):
            cited = self.citations[n]
            if cited.document_key != self.doc.key or cited.version_note:
                break
            self.citations[n] = replace(cited, version_note=version)
        return after_note

    def _ref_list(
        self, at: int, context: _Ref | None, first: tuple[str, ...]
    ) -> tuple[list[_Ref], int]:
        """A list of references: 第十条、第十二条; 第五条至第七条; 第一项、第二项."""
        refs: list[_Ref] = []
        chain = self._chain_at(at, first, bare_ok=True)
        end = at
        while chain is not None:
            refs.extend(_resolve(chain, refs[-1] if refs else context))
            end = chain[-1].end
            chain = self._range_end(end, refs) or self._next_in_list(end)
        return refs, end

    def _range_end(self, end: int, refs: list[_Ref]) -> list[_Ref] | None:
        """The chain after 至 in 第五条至第七条; what lies between is added to `refs`."""
        to = _RANGE.match(self.t, end)
        right = self._chain_at(to.end(), _ANY, bare_ok=True) if to else None
        if right is None:
            return None
        left = refs[-1]
        between = _between(left, right[0], left.start, right[-1].end)
        if between is None:
            # 第十七条至第十五条: both ends stand as written; what lies between is unknown.
            self.unparsed.append(self.raw[left.start : right[-1].end].strip())
            return right
        refs[-1] = replace(left, end=right[-1].end)
        refs.extend(between)
        return [replace(ref, start=left.start) for ref in right]

    def _next_in_list(self, end: int) -> list[_Ref] | None:
        """The chain after a separator: 、第十二条; 、二十七条; ;\n第三十一条."""
        sep = _LIST_SEP.match(self.t, end)
        gap = self.t[end : sep.end()]
        # 第二十六条、二十七条: a missing 第 is read only after a list separator on the same line.
        bare_ok = bool(_WEAK_SEP.search(gap)) and "\n" not in gap
        chain = self._chain_at(sep.end(), _ANY, bare_ok=bare_ok)
        if chain is None or (not gap and not self.t.startswith("第", end)):
            return None
        return chain

    def _chain_at(self, at: int, first: tuple[str, ...], *, bare_ok: bool) -> list[_Ref] | None:
        """第三十七条第一款第(三)项 at `at` → refs, None where a level is not given."""
        parts: dict[str, list[int]] = {}
        pos, supplement = at, False
        for level in _LEVELS:
            if not parts and level not in first:
                continue
            start = _GAP.match(self.t, pos).end() if parts else pos
            match = _UNIT[level].match(self.t, start)
            if match is None and level == "item" and (start == pos if parts else bare_ok):
                match = _BARE_ITEM.match(self.t, start)
            if match is None or (not parts and not bare_ok and not match.group("di")):
                continue
            parts[level] = _numbers(match.group("nums"))
            supplement = supplement or bool(match.groupdict().get("sub"))
            pos = match.end()
        if not parts or not all(parts.values()):
            return None
        return _expand(parts, at, pos, supplement)

    def _match_head(self, at: int) -> _Head | None:
        """《title》 with an optional version note: the document part of a citation."""
        if not self.t.startswith("《", at):
            return None
        close = _closing(self.t, at)
        if close is None:
            return None
        title, inner_version = normalise_title(self.src[at : close + 1])
        end, version = self._version_after(close + 1)
        doc = _Doc(document_key(title), title, version or inner_version, None)
        return _Head(at, end, doc)

    def _version_after(self, end: int) -> tuple[int, str | None]:
        found = self._bracketed_version(end)
        if found is not None:
            return found
        bare = _BARE_VERSION.match(self.t, end)
        if bare:
            return bare.end(), _collapse(bare.group(1))
        return end, None

    def _bracketed_version(self, end: int) -> tuple[int, str] | None:
        """(2021年修正), 〔2013年国务院令第641号〕, 【2021年修正】 → (end, note).

        A rank tag such as 【行政法规】 has no 年 or 令, so it is not taken for a version.
        """
        at = _SPACE.match(self.t, end).end()
        if at >= len(self.t) or self.t[at] not in "(〔[【":
            return None
        close = _closing(self.t, at)
        if close is None or not _looks_like_version(self.t[at + 1 : close]):
            return None
        return close + 1, _collapse(self.t[at + 1 : close])

    # ── where a citation starts, and where quoted article text ends ──

    def _starts_citation(self, at: int) -> bool:
        at = self._after_numbering(at)
        if at >= len(self.t):
            return False
        if self.t[at] in "《【" or _TAG.match(self.t, at):
            return True
        chain = self._backref_chain_at(at) or self._chain_at(at, _ANY, bare_ok=False)
        return chain is not None or self._bare_title_chain_at(at)

    def _text_end(self, start: int) -> int:
        for at in range(start + 1, len(self.t)):
            if self._restarts_at(at):
                return at
        return len(self.t)

    def _restarts_at(self, at: int) -> bool:
        """A new citation inside quoted text: after a sentence break, or a 《title》 then 第X条."""
        boundary = self.t[at - 1] in _BOUNDARY
        if self.t[at] == "《":
            return self._title_starts_citation(at, boundary)
        if not boundary or self.t[at] in _BOUNDARY:
            return False
        begin = self._after_numbering(at)
        if begin < len(self.t) and (self.t[begin] == "【" or _TAG.match(self.t, begin)):
            return True
        if begin < len(self.t) and self.t[begin] == "《":
            return self._title_starts_citation(begin, True)
        chain = self._backref_chain_at(begin) or self._chain_at(begin, _ANY, bare_ok=False)
        if chain is not None:
            return not _REFERENCE_TAIL.match(self.t, chain[-1].end)
        return self._bare_title_chain_at(begin)

    def _title_starts_citation(self, at: int, boundary: bool) -> bool:
        # Quoted article text names laws too (依照《土壤污染防治法》的有关规定): only a title
        # followed by its articles, or one standing alone after a sentence break, starts a citation.
        head = self._match_head(at)
        if head is None:
            return False
        after = _SPACE.match(self.t, head.end).end()
        chain = self._chain_at(after, _ARTICLE, bare_ok=False)
        if chain is not None:
            lead_in = _LEAD_IN.fullmatch(self.t[max(0, at - 2) : at])
            return not _REFERENCE_TAIL.match(self.t, chain[-1].end) and (boundary or not lead_in)
        return boundary and (after >= len(self.t) or self.t[after] in "、,;。\n《【")

    def _backref_chain_at(self, at: int) -> list[_Ref] | None:
        """同法第X条, 本条第X款, 前款第X项 at `at`."""
        for pattern, first in _BACKREFS:
            match = pattern.match(self.t, at)
            if match is not None:
                after = _SPACE.match(self.t, match.end()).end()
                chain = self._chain_at(after, first, bare_ok=True)
                if chain is not None:
                    return chain
        return None

    def _bare_title_chain_at(self, at: int) -> bool:
        match = _BARE_TITLE_BEFORE_ARTICLE.match(self.t, at)
        if match is None:
            return False
        quote = len(match.group()) - len(match.group().lstrip("“\"'「"))
        bare = _bare_title(match.group())
        return bare is not None and bare[0] == quote

    def _after_numbering(self, at: int) -> int:
        """Past a number (1、 (2) ③) that opens a citation."""
        match = _NUMBERING.match(self.t, at)
        return match.end() if match else at

    # ── what is left over ──

    def _flush_junk(self, end: int) -> None:
        """Text between recognised parts: kept in `unparsed` if it looks like a citation."""
        for segment in re.split(r"[;；。\n]", self.raw[self.junk_start : end]):
            prepared = _half_width(_simplified(segment))
            # A lone bracket left over is noise; a fragment with words in it is kept.
            if re.sub(r"[\W_]", "", prepared) and _CITATION_LIKE.search(prepared):
                self.unparsed.append(segment.strip())
        self.junk_start = max(self.junk_start, end)

    def _flush_unused_head(self) -> None:
        # A document named without an article (《城市建筑垃圾管理规定》) stays, with article None.
        head, self.unused_head = self.unused_head, None
        if head is not None:
            self.citations.append(self._citation(head.doc, None, head.start, head.end))


_BACKREFS = (
    (_DOC_BACKREF, _ARTICLE),
    (_ARTICLE_BACKREF, ("paragraph", "item")),
    (_PARAGRAPH_BACKREF, ("item",)),
)
_BARE_TITLE_BEFORE_ARTICLE = re.compile(rf"[^\s第《》;。,、:]{{1,60}}?(?=\s*第\s*{_NUM}\s*条)")
_CITATION_LIKE = re.compile(rf"[《》]|第\s*{_NUM}\s*[条款项章节编]")


# ── helpers on plain values ──────────────────────────────────────────────────────────────────


def _numbers(listed: str) -> list[int]:
    """'三十、三十二' → [30, 32]; '五至七' → [5, 6, 7]; '(六)至(十)' → [6, …, 10]."""
    numbers: list[int] = []
    for piece in re.split(r"[、,]|(?<=\))\s*(?=\()", listed):
        try:
            ends = [parse_numeral(n) for n in re.findall(_NUM, piece)]
        except ValueError:
            return []  # 百, 十十: numeral characters that spell no number
        if len(ends) == 2 and 0 < ends[1] - ends[0] <= 500:
            numbers.extend(range(ends[0], ends[1] + 1))
        elif len(ends) == 1:
            numbers.append(ends[0])
        else:
            return []  # a backwards or absurd range: not a reference we can trust
    return numbers


def _expand(parts: dict[str, list[int]], start: int, end: int, supplement: bool) -> list[_Ref]:
    return [
        _Ref(article, paragraph, item, start, end, supplement)
        for article in parts.get("article", [None])
        for paragraph in parts.get("paragraph", [None])
        for item in parts.get("item", [None])
    ]


def _resolve(chain: list[_Ref], context: _Ref | None) -> list[_Ref]:
    """Fill the levels a chain leaves out (第二款 after 第十条) from the reference before it."""
    if context is None or chain[0].article is not None:
        return chain
    if chain[0].paragraph is not None:
        return [replace(ref, article=context.article) for ref in chain]
    return [replace(ref, article=context.article, paragraph=context.paragraph) for ref in chain]


def _between(left: _Ref, right: _Ref, start: int, end: int) -> list[_Ref] | None:
    """What a range leaves unsaid: 第五条至第八条 → articles 6 and 7; None if not a range."""
    level = next(name for name in _LEVELS if getattr(right, name) is not None)
    low, high = getattr(left, level), getattr(right, level)
    if low is None or high is None or not 0 < high - low <= 500:
        return None
    # Items range within the article and 款 on the left; 款 within its article.
    outer = {
        "article": left.article if level != "article" else None,
        "paragraph": left.paragraph if level == "item" else None,
        "item": None,
    }
    return [_Ref(**{**outer, level: n}, start=start, end=end) for n in range(low + 1, high)]


def _bare_title(segment: str) -> tuple[int, str, str | None] | None:
    """A title written without 《》 at the end of `segment`: '依据森林法' → (2, '森林法', None)."""
    text = segment.rstrip().rstrip("》>〉”\"'」").rstrip()
    version = None
    group = _trailing_group(text)
    if group is not None and _looks_like_version(text[group + 1 : -1]):
        version = _collapse(text[group + 1 : -1])
        text = text[:group].rstrip()
    run = re.search(r"[\u4e00-\u9fff〇<>〈〉]+(?:\((?:试行|暂行)\))?$", text)
    if run is None:
        return None
    offset = run.start()
    lead = _LEAD_IN.match(text, offset)
    offset = lead.end() if lead else offset
    join = _LEADING_JOIN.match(text[offset:])
    offset += join.end() if join else 0
    title = text[offset:]
    if not _BARE_TITLE.fullmatch(title) or len(title) < 2 or _NOT_A_TITLE.search(title):
        return None
    if offset and text[offset - 1] in "“\"'「":  # “森林法”第十五条: the quote is part of the raw
        offset -= 1
    return offset, title, version


def _closing(text: str, at: int) -> int | None:
    """Index of the bracket closing the one at `at`; nested pairs count, 《…《…》…》 is one."""
    opening = text[at]
    depth = 0
    for n in range(at, len(text)):
        if text[n] == opening:
            depth += 1
        elif text[n] == _PAIRS[opening]:
            depth -= 1
            if depth == 0:
                return n
    return None


def _trailing_group(text: str) -> int | None:
    """Start of the parenthesised group ending `text`, if it ends with one."""
    if not text.endswith(")"):
        return None
    depth = 0
    for n in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[n], 0)
        if depth == 0:
            return n
    return None


def _looks_like_version(note: str) -> bool:
    return bool(_VERSION_HINT.search(note)) and len(note) <= 120


def _quoted_text(source: str) -> str | None:
    text = _collapse(source)
    lead = _TEXT_LEAD.match(_half_width(text))  # same length: the match indexes `text` too
    text = text[lead.end() if lead else 0 :].strip().rstrip(";；,，、").rstrip()
    for opening, closing in _QUOTES:
        if len(text) > 2 and text.startswith(opening) and text.endswith(closing):
            text = text[1:-1].strip()
    return text or None


def _with_text(citation: Citation, text: str) -> Citation:
    item = citation.item
    # A cell that quotes the lead-in and then one enumerated item ('…:\n(四)工程施工单位…')
    # cites that item: catalogs copy only the 项 that the power rests on.
    enumerated = _ENUMERATED.findall(unicodedata.normalize("NFKC", text))
    if item is None and citation.article is not None and len(enumerated) == 1:
        head = unicodedata.normalize("NFKC", text).split(f"({enumerated[0]})")[0].rstrip()
        if not head or head.endswith(":"):
            item = parse_numeral(enumerated[0])
    return replace(citation, text=text, item=item)
