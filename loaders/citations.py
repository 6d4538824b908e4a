"""Parse legal-basis cells (实施依据 / 设定依据) into citations: 《行政处罚法》第二十二条 → 22.

The scanner here walks a cell and assembles citations from the parts the other modules read:
loaders.citation_text prepares the text, loaders.citation_titles reads titles, version notes and
rank tags, loaders.citation_refs reads 第X条第X款第X项 and back-references, and
loaders.citation_starts finds where quoted article text ends.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from loaders.citation_refs import (
    ANY,
    ARTICLE,
    ATTACHMENT,
    BACKREFS,
    ITEM,
    LIST_SEP,
    NUM,
    RANGE,
    WEAK_SEP,
    Ref,
    chain_at,
    fill_levels,
    refs_between,
)
from loaders.citation_starts import starts_citation, text_end
from loaders.citation_text import SPACE, half_width, quoted_text, simplified
from loaders.citation_titles import (
    RANK_WORDS,
    TAG,
    Doc,
    Head,
    bare_title,
    bracketed_version,
    document_key,
    match_head,
    normalise_title,
)
from loaders.numerals import parse_numeral
from schema.enums import DocumentRank

__all__ = ["BasisParse", "Citation", "document_key", "normalise_title", "parse_basis"]

Status = Literal["parsed", "partial", "unparsed", "empty"]
# Provisions that ranges (第五条至第七条) may add to one cell: real cells add a few dozen; the
# bound keeps a hostile cell's citations in proportion to its length.
MAX_RANGE_MEMBERS = 2000


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
    # 附件1第28项: a policy document cited by its attachment and the item listed there; such a
    # citation has no article, its item numbers the attachment's list.
    attachment: int | None = None


@dataclass(frozen=True)
class BasisParse:
    """What one legal-basis cell says, and what of it could not be read."""

    raw: str
    citations: list[Citation]
    unparsed: list[str]  # fragments that look like a citation but were not resolved
    status: Status


@lru_cache(maxsize=1 << 16)
def parse_basis(cell: str) -> BasisParse:
    """Read every citation in one legal-basis cell; keep what cannot be resolved in `unparsed`.

    A pure function of the cell's text, remembered: the counties of a province copy one
    template, so the same cell comes back hundreds of times in a national load (the answer is
    frozen; nobody changes its lists)."""
    if not cell.strip():
        return BasisParse(raw=cell, citations=[], unparsed=[], status="empty")
    scanner = _Scanner(cell)
    scanner.run()
    citations, unparsed = scanner.citations, scanner.unparsed
    if not citations and not unparsed:
        unparsed = [cell.strip()]  # nothing that looks like a citation: keep the cell, drop nothing
    return BasisParse(cell, citations, unparsed, _status(citations, unparsed))


def _status(citations: list[Citation], unparsed: list[str]) -> Status:
    if not citations:
        return "unparsed"
    if unparsed or any(c.article is None and c.attachment is None for c in citations):
        return "partial"
    return "parsed"


@dataclass(frozen=True)
class _Tag:
    start: int
    rank: DocumentRank | None
    heading: bool  # 法律： ranks every title under it, 【法律】 only the next one
    used: bool = False


class _Scanner:
    """Walks one prepared cell left to right, emitting citations as it recognises them."""

    def __init__(self, cell: str) -> None:
        self.raw = cell
        self.src = simplified(cell)  # simplified, widths as written: source of quoted text
        self.t = half_width(self.src)  # simplified and half-width: what the patterns read
        self.i = 0
        self.junk_start = 0  # start of text not yet recognised as anything
        self.doc: Doc | None = None  # the document a bare 第X条 belongs to
        self.unused_head: Head | None = None  # a document named with no article yet
        self.tag: _Tag | None = None  # the rank tag or heading over the next title
        self.citations: list[Citation] = []
        self.unparsed: list[str] = []
        self.range_budget = MAX_RANGE_MEMBERS  # provisions ranges may still add to this cell
        self.attachment: int | None = None  # set while citing 附件1第28项

    def run(self) -> None:
        while self.i < len(self.t):
            if not (self._tag() or self._head() or self._backref() or self._bare_refs()):
                self._skip()
        self._flush_junk(len(self.t))
        self._flush_unused_head()

    def _skip(self) -> None:
        """On to the next place where something can start: every element above begins there."""
        found = _CAN_START.search(self.t, self.i + 1)
        self.i = found.start() if found else len(self.t)

    # ── the elements the main loop recognises ──

    def _tag(self) -> bool:
        match = TAG.match(self.t, self.i)
        if not match:
            return False
        self._flush_junk(self.i)
        word = match.group("word") or match.group("word2") or match.group("heading")
        self.tag = _Tag(self.i, RANK_WORDS.get(word), heading=bool(match.group("heading")))
        self.doc = None  # 【行政法规】第十条: a new tag needs a new title, not the last one
        self.i = self.junk_start = match.end()
        return True

    def _head(self) -> bool:
        head = match_head(self.src, self.t, self.i)
        if head is None:
            return False
        self._flush_junk(head.start)
        self._flush_unused_head()
        start = self._take_document(head.doc, head.start)
        self.unused_head = replace(head, start=start, doc=self.doc)
        self.i = self.junk_start = head.end
        refs, end = self._ref_list(SPACE.match(self.t, head.end).end(), None, ARTICLE)
        if refs:
            self._emit(refs, start)
            self._after_refs(end)
        else:
            self._attachment_items(head.end, start)
        return True

    def _attachment_items(self, at: int, start: int) -> None:
        """附件1第28项 after a title: the items of a policy document's attachment."""
        match = ATTACHMENT.match(self.t, SPACE.match(self.t, at).end())
        if match is None:
            return
        refs, end = self._ref_list(match.end(), None, ITEM)
        if not refs:
            return
        self.attachment = parse_numeral(match.group("number"))
        self._emit(refs, start)
        self.attachment = None
        self._after_refs(end)

    def _backref(self) -> bool:
        for pattern, first in BACKREFS:
            match = pattern.match(self.t, self.i)
            if match is None:
                continue
            at = SPACE.match(self.t, match.end()).end()
            if chain_at(self.t, at, first, bare_ok=True) is None:
                continue
            if bare_title(self.t[self.junk_start : match.end()]):
                return False  # 资本法第十条: 本法 ends a title written without 《》
            self._flush_junk(self.i)
            self._refs_from_context(match.start(), at, first)
            return True
        return False

    def _bare_refs(self) -> bool:
        if chain_at(self.t, self.i, ANY, bare_ok=False) is None:
            return False
        bare = bare_title(self.t[self.junk_start : self.i])
        if bare is None:
            if _NEW_ENTRY.search(self.t, max(self.junk_start, self.i - 20), self.i):
                self.doc = None  # 1.《A法》第一条\n2.第十条: a new entry without its title
            self._flush_junk(self.i)
            self._refs_from_context(self.i, self.i, ANY)
            return True
        offset, title, version = bare
        start = self.junk_start + offset
        self._flush_junk(start)
        self._flush_unused_head()
        start = self._take_document(Doc(document_key(title), title, version, None), start)
        refs, end = self._ref_list(self.i, None, ANY)
        self._emit(refs, start)
        self._after_refs(end)
        return True

    def _take_document(self, doc: Doc, start: int) -> int:
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
            context = Ref(last.article, last.paragraph, None, start, at)
        refs, end = self._ref_list(at, context, first)
        needs_article = refs[0].article is None
        if self.doc is None or (needs_article and context is None):
            self.unparsed.append(self.raw[start:end].strip())
            self.i = self.junk_start = end
            return
        self._emit(refs, start)
        self._after_refs(end)

    def _emit(self, refs: list[Ref], start: int | None = None) -> None:
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

    def _citation(self, doc: Doc, ref: Ref | None, start: int, end: int) -> Citation:
        article = ref.article if ref is not None and not ref.supplement else None
        attachment = self.attachment if ref is not None else None
        return Citation(
            document_key=doc.key,
            title=doc.title,
            version_note=doc.version,
            rank=doc.rank,
            article=article,
            paragraph=ref.paragraph if ref is not None and article else None,
            item=ref.item if ref is not None and (article or attachment) else None,
            raw=self.raw[start:end],
            text=None,
            attachment=attachment,
        )

    def _after_refs(self, end: int) -> None:
        """After 第X条: a late version note, the next citation, or the article's quoted text."""
        end = self._late_version(end)
        self.i = self.junk_start = end
        after = LIST_SEP.match(self.t, end).end()
        if after >= len(self.t) or starts_citation(self.t, after):
            return
        stop = text_end(self.src, self.t, end)
        text = quoted_text(self.src[end:stop])
        if text:
            self.citations[-1] = _with_text(self.citations[-1], text)
        self.i = self.junk_start = stop

    def _late_version(self, end: int) -> int:
        # 《消防法》第三十一条(2021年修正): the version note after the article, not the title.
        found = bracketed_version(self.t, end)
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
        self, at: int, context: Ref | None, first: tuple[str, ...]
    ) -> tuple[list[Ref], int]:
        """A list of references: 第十条、第十二条; 第五条至第七条; 第一项、第二项."""
        refs: list[Ref] = []
        chain = chain_at(self.t, at, first, bare_ok=True)
        end = at
        while chain is not None:
            refs.extend(fill_levels(chain, refs[-1] if refs else context))
            end = chain[-1].end
            chain = self._range_end(end, refs) or self._next_in_list(end)
        return refs, end

    def _range_end(self, end: int, refs: list[Ref]) -> list[Ref] | None:
        """The chain after 至 in 第五条至第七条; what lies between is added to `refs`."""
        to = RANGE.match(self.t, end)
        right = chain_at(self.t, to.end(), ANY, bare_ok=True) if to else None
        if right is None:
            return None
        left = refs[-1]
        between = refs_between(left, right[0], left.start, right[-1].end, self.range_budget)
        if between is None:
            # 第十七条至第十五条: both ends stand as written; what lies between is unknown. So
            # too past the cell's budget: 第一条至第五百条 a thousand times is no legal basis.
            self.unparsed.append(self.raw[left.start : right[-1].end].strip())
            return right
        self.range_budget -= len(between)
        refs[-1] = replace(left, end=right[-1].end)
        refs.extend(between)
        return [replace(ref, start=left.start) for ref in right]

    def _next_in_list(self, end: int) -> list[Ref] | None:
        """The chain after a separator: 、第十二条; 、二十七条; ;\n第三十一条."""
        sep = LIST_SEP.match(self.t, end)
        gap = self.t[end : sep.end()]
        # 第二十六条、二十七条: a missing 第 is read only after a list separator on the same line.
        bare_ok = bool(WEAK_SEP.search(gap)) and "\n" not in gap
        chain = chain_at(self.t, sep.end(), ANY, bare_ok=bare_ok)
        if chain is None or (not gap and not self.t.startswith("第", end)):
            return None
        return chain

    # ── what is left over ──

    def _flush_junk(self, end: int) -> None:
        """Text between recognised parts: kept in `unparsed` if it looks like a citation."""
        for segment in re.split(r"[;；。\n]", self.raw[self.junk_start : end]):
            prepared = half_width(simplified(segment))
            # A lone bracket left over is noise; a fragment with words in it is kept.
            if re.sub(r"[\W_]", "", prepared) and _CITATION_LIKE.search(prepared):
                self.unparsed.append(segment.strip())
        self.junk_start = max(self.junk_start, end)

    def _flush_unused_head(self) -> None:
        # A document named without an article (《城市建筑垃圾管理规定》) stays, with article None.
        head, self.unused_head = self.unused_head, None
        if head is not None:
            self.citations.append(self._citation(head.doc, None, head.start, head.end))


# Where the elements of _Scanner.run can start: 《title》, 【tag】 or [tag], 第X条, a back-reference
# (同法, 本条, 前款, 上述法律…), or a heading (法律：, 法律依据：) after a non-Han character.
# A numbered entry begins just before: a line break, then 2. or (2) or ②.
_NEW_ENTRY = re.compile(r"\n\s*(?:\d{1,2}\s*[、.]|\(\s*\d{1,2}\s*\)|[①-⑳])\s*$")
_CAN_START = re.compile(r"[《【\[第同该本上前]|(?<![\u4e00-\u9fff])[\u4e00-\u9fff]")
_CITATION_LIKE = re.compile(rf"[《》]|第\s*{NUM}\s*[条款项章节编]")
_ENUMERATED = re.compile(r"\(([一二三四五六七八九十]+)\)")


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
