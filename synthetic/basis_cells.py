"""Legal-basis cells (实施依据) in the shapes published catalogs use (data/real-catalogs).

One cell cites one or more provisions; the same provisions come out in many shapes: titles with
or without 《》 and 中华人民共和国, rank tags 【行政法规】 or headings 法律：, version notes
(2021年修正) inside or after the title, 第X条第X款第（X）项 with full- or half-width brackets,
several articles (、 or 同法 / 本条例 / 本条 back-references), several laws on lines, numbered
1、 / （1） / ①, and a cited paragraph's text quoted after it. Every shape parses back
(loaders.citations.parse_basis) to exactly the provisions given.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import groupby

from loaders import numerals
from schema.enums import DocumentRank
from synthetic.laws import Cite, Law

# Cells that cite nothing a parser can resolve (依据待核): planted, each becomes a gap.
UNPARSEABLE = ("详见相关法律法规", "依据有关法律、法规和规章的规定", "按照国家和省有关规定执行")
RANK_TAGS = {
    DocumentRank.LAW: "法律",
    DocumentRank.ADMINISTRATIVE_REGULATION: "行政法规",
    DocumentRank.LOCAL_REGULATION: "地方性法规",
    DocumentRank.DEPARTMENTAL_RULE: "部门规章",
}


@dataclass(frozen=True)
class CellStyle:
    """A county's habits: bracket and punctuation width, how it separates laws."""

    wide: bool  # full-width （）；，： as published, or half-width as in NFKC copies
    numbering: bool  # numbers the laws of a cell (1、 …)
    headings: bool  # 法律：… 行政法规：… instead of 【】 tags

    @classmethod
    def draw(cls, rng: random.Random) -> CellStyle:
        return cls(rng.random() < 0.6, rng.random() < 0.25, rng.random() < 0.15)

    def brackets(self, text: str) -> str:
        return f"（{text}）" if self.wide else f"({text})"

    @property
    def semicolon(self) -> str:
        return "；" if self.wide else ";"

    @property
    def comma(self) -> str:
        return "，" if self.wide else ","

    @property
    def colon(self) -> str:
        return "：" if self.wide else ":"


def basis_cell(
    rng: random.Random, cites: tuple[Cite, ...], laws: dict[str, Law], style: CellStyle
) -> str:
    """The cell citing `cites` (in order), in a shape drawn from `rng`."""
    groups = [(slug, list(group)) for slug, group in groupby(cites, key=lambda c: c.law)]
    parts = []
    for n, (slug, group) in enumerate(groups):
        last = n == len(groups) - 1
        parts.append(_law_part(rng, laws[slug], group, style, first=n == 0, last=last))
    if style.headings and len(groups) > 1:
        return style.semicolon.join(
            f"{RANK_TAGS.get(laws[slug].spec.rank, '其他')}{style.colon}{part}"
            for (slug, _), part in zip(groups, parts, strict=True)
        )
    return _join(rng, parts, style)


@cache
def chinese_numeral(number: int) -> str:
    """loaders.numerals.chinese_numeral, cached: cells repeat the same few hundred numbers."""
    return numerals.chinese_numeral(number)


def unparseable_cell(rng: random.Random) -> str:
    return rng.choice(UNPARSEABLE)


# -- one law's part of a cell -----------------------------------------------------------------


def _law_part(
    rng: random.Random, law: Law, cites: list[Cite], style: CellStyle, *, first: bool, last: bool
) -> str:
    spec = law.spec
    title, version_after_refs = _title(rng, law, style)
    if style.headings:
        pass  # the heading before the part ranks it
    elif rng.random() < 0.2 and spec.rank in RANK_TAGS:
        title = f"【{RANK_TAGS[spec.rank]}】{title}"
    elif first and rng.random() < 0.08:
        title = "依据" + title
    refs = _refs_with_backrefs(rng, law, cites, style)
    text = title + refs
    if version_after_refs and len(cites) == 1:
        text += style.brackets(spec.version_note or "")
    elif last and len(cites) == 1 and spec.has_text and rng.random() < 0.1:
        text += _quoted_text(law, cites[0])
    return text


def _title(rng: random.Random, law: Law, style: CellStyle) -> tuple[str, bool]:
    """The title as a cell writes it, and whether the version note goes after the article."""
    spec = law.spec
    name = spec.short if spec.short and rng.random() < 0.3 else spec.title
    roll = rng.random()
    if spec.version_note and roll < 0.15:
        return f"《{name}》{style.brackets(spec.version_note)}", False
    if spec.version_note and roll < 0.22:
        return f"《{name}{style.brackets(spec.version_note)}》", False
    if spec.version_note and roll < 0.26:
        return f"《{name}》", True
    if spec.order_note and roll < 0.4:
        spaced = spec.order_note.replace("第", "第 ") if rng.random() < 0.3 else spec.order_note
        return f"《{name}》{style.brackets(spaced)}", False
    if roll > 0.93 and not style.numbering:
        # No 《》 at all: 中华人民共和国城乡环境卫生法第四十五条. Not after ①②: the parser drops
        # a bare title that follows 「；②」 without a word (reported, loaders/citations.py).
        return name, False
    return f"《{name}》", False


def _refs_with_backrefs(rng: random.Random, law: Law, cites: list[Cite], style: CellStyle) -> str:
    """第X条… for every cite; a later article may come as 同法第X条 / 本条例第X条."""
    if len(cites) > 1 and cites[1].article != cites[0].article and rng.random() < 0.35:
        word = rng.choice(("同法", "该法")) if law.spec.form == "法" else f"本{law.spec.form}"
        rest = _refs(rng, cites[1:], style)
        return f"{_refs(rng, cites[:1], style)}{style.semicolon}{word}{rest}"
    if (
        len(cites) == 2
        and cites[1].article == cites[0].article
        and cites[1].paragraph
        and cites[1].item is None
        and rng.random() < 0.3
    ):
        return f"{_refs(rng, cites[:1], style)}{style.comma}本条{_paragraph(cites[1].paragraph)}"
    return _refs(rng, cites, style)


def _refs(rng: random.Random, cites: list[Cite], style: CellStyle) -> str:
    if len(cites) > 1 and _same_paragraph_items(cites) and rng.random() < 0.5:
        head = cites[0]
        numbers = "、".join(style.brackets(chinese_numeral(c.item or 0)) for c in cites)
        return f"{_article(head.article)}{_paragraph(head.paragraph)}第{numbers}项"
    parts: list[str] = []
    previous: Cite | None = None
    for cite in cites:
        same_article = previous is not None and previous.article == cite.article
        if same_article and cite.paragraph:
            parts.append(_paragraph(cite.paragraph) + _item(rng, cite.item, style))
        else:
            parts.append(_cite(rng, cite, style))
        previous = cite
    return "、".join(parts)


def _same_paragraph_items(cites: list[Cite]) -> bool:
    head = cites[0]
    return all(
        c.item and c.article == head.article and c.paragraph == head.paragraph for c in cites
    )


def _cite(rng: random.Random, cite: Cite, style: CellStyle) -> str:
    article = f"第{cite.article}条" if rng.random() < 0.03 else _article(cite.article)
    if cite.paragraph is None:
        return article
    return article + _paragraph(cite.paragraph) + _item(rng, cite.item, style)


def _article(number: int) -> str:
    return f"第{chinese_numeral(number)}条"


def _paragraph(number: int | None) -> str:
    return f"第{chinese_numeral(number)}款" if number else ""


def _item(rng: random.Random, number: int | None, style: CellStyle) -> str:
    if not number:
        return ""
    numeral = chinese_numeral(number)
    return f"第{numeral}项" if rng.random() < 0.2 else f"第{style.brackets(numeral)}项"


def _quoted_text(law: Law, cite: Cite) -> str:
    """The cited 款's own words after the citation, as some catalogs print them."""
    article = law.article(cite.article)
    if article is None or not cite.paragraph or cite.item:
        return ""
    return " " + article.paragraphs[cite.paragraph - 1].text


# -- several laws in one cell -----------------------------------------------------------------


def _join(rng: random.Random, parts: list[str], style: CellStyle) -> str:
    if len(parts) == 1:
        return parts[0]
    if style.numbering:
        form = rng.choice(("{n}、", "{n}.", "（{n}）", "circled"))
        circled = "①②③④⑤⑥⑦⑧⑨"
        marks = [
            circled[n - 1] if form == "circled" else form.format(n=n)
            for n in range(1, len(parts) + 1)
        ]
        separator = "\n" if form in ("{n}、", "{n}.") else style.semicolon
        return separator.join(mark + part for mark, part in zip(marks, parts, strict=True))
    separator = rng.choice(("\n", style.semicolon, style.semicolon + "\n", "\n", style.comma))
    return separator.join(parts)
