"""Invented law texts (合成法律文本) and the enforcement items their articles define.

No law here is real: titles, numbers and texts are made up, in the shape of the Markdown files in
data/sample/laws (# title, a Version line, `## 第X条` sections, 款 as blocks, 项 as （一）…).
Each article of a penalty law lists violations as 项; every 项 becomes one item template
(对{actor}{act}的处罚) citing exactly that 条/款/项, so catalog cells built from the templates
resolve to provisions whose text is loaded. The corpus depends on no seed: every dataset shares it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from loaders.numerals import chinese_numeral
from schema.enums import ItemType
from synthetic.departments import BY_ABBR, DepartmentKindSpec
from synthetic.law_specs import LOCAL_LAWS, NATIONAL_LAWS, LawSpec, local_spec


@dataclass(frozen=True)
class Paragraph:
    """A 款: its lead text and its 项 (without the （一） markers)."""

    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    number: int
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Cite:
    """One provision a catalog cell cites: article, and 款 / 项 where given."""

    law: str  # slug
    article: int
    paragraph: int | None = None
    item: int | None = None


@dataclass(frozen=True)
class ItemTemplate:
    """An enforcement item as the law defines it: name, type, holder and the provisions cited."""

    key: str
    name: str
    type: ItemType
    department: str  # abbr
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Law:
    spec: LawSpec
    articles: tuple[Article, ...]
    templates: tuple[ItemTemplate, ...] = field(default=())

    def article(self, number: int) -> Article | None:
        offset = number - self.spec.first
        return self.articles[offset] if 0 <= offset < len(self.articles) else None


_FINES = (
    ("五百元", "五千元"),
    ("一千元", "一万元"),
    ("二千元", "二万元"),
    ("五千元", "五万元"),
    ("一万元", "十万元"),
    ("二万元", "二十万元"),
)


@cache
def national_laws() -> tuple[Law, ...]:
    return _national_corpus()[0]


@cache
def provincial_laws(province: str, code: str) -> tuple[Law, ...]:
    """A province's own regulations; their 项 use violations no national law of the dept used."""
    combos = {abbr: list(pairs) for abbr, pairs in _national_corpus()[1].items()}
    return tuple(build_law(local_spec(*row, province, code), combos) for row in LOCAL_LAWS)


@cache
def _national_corpus() -> tuple[tuple[Law, ...], dict[str, tuple[tuple[str, str], ...]]]:
    combos: dict[str, list[tuple[str, str]]] = {}
    laws = tuple(build_law(spec, combos) for spec in NATIONAL_LAWS)
    return laws, {abbr: tuple(pairs) for abbr, pairs in combos.items()}


def build_law(spec: LawSpec, combos: dict[str, list[tuple[str, str]]]) -> Law:
    """Articles and item templates of one law, the same every time (seeded by its slug).

    `combos` holds each department's unused (actor, act) pairs: a violation is a 项 of one law
    only, so item names never repeat within a department.
    """
    rng = random.Random(f"law:{spec.slug}")
    department = BY_ABBR[spec.department]
    unused = combos.setdefault(spec.department, _combos(department))
    articles: list[Article] = []
    templates: list[ItemTemplate] = []
    for number in range(spec.first, spec.last + 1):
        article, found = _article(rng, spec, department, number, unused)
        articles.append(article)
        templates += found
    law = Law(spec, tuple(articles))
    return Law(spec, law.articles, tuple(_with_extra_cites(rng, law, t) for t in templates))


def law_markdown(law: Law) -> str:
    """The law as a Markdown text file the loader reads (loaders/law_texts.py)."""
    spec = law.spec
    lines = [
        f"# {spec.title}",
        "",
        f"- Version / dates: {spec.enacted}",
        "- Source: invented by `authreg synth` (synthetic/laws.py) for tests and benchmarks; "
        "NOT a real law and not to be cited",
        "",
    ]
    for article in law.articles:
        heading = f"第{chinese_numeral(article.number)}条"
        lines += [f"## {heading}", ""]
        for n, paragraph in enumerate(article.paragraphs):
            lines += [f"{heading} {paragraph.text}" if n == 0 else paragraph.text, ""]
            for k, item in enumerate(paragraph.items, start=1):
                lines += [f"（{chinese_numeral(k)}）{item}", ""]
    return "\n".join(lines)


def write_law_texts(folder: Path, laws: list[Law]) -> list[Path]:
    """One .md file per law that has a text, plus a PROVENANCE.md saying they are invented."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for law in laws:
        if law.spec.has_text:
            path = folder / f"{law.spec.slug}.md"
            path.write_text(law_markdown(law), encoding="utf-8")
            written.append(path)
    (folder / "PROVENANCE.md").write_text(_provenance(laws), encoding="utf-8")
    return written


# -- articles ---------------------------------------------------------------------------------


def _combos(department: DepartmentKindSpec) -> list[tuple[str, str]]:
    """Every (actor, act) pair of the department in a fixed order, consumed as articles use them."""
    pairs = [(actor, act) for act in department.acts for actor in department.actors]
    random.Random(f"combos:{department.abbr}").shuffle(pairs)
    return pairs


def _article(
    rng: random.Random,
    spec: LawSpec,
    department: DepartmentKindSpec,
    number: int,
    combos: list[tuple[str, str]],
) -> tuple[Article, list[ItemTemplate]]:
    offset = number - spec.first
    if offset == 0:
        return _duty(spec, department, number), []
    if offset in (1, 6) or (offset > 6 and rng.random() < 0.08):
        return _inspection(rng, spec, department, number)
    if number == spec.last and combos:
        return _coercion(spec, department, number, combos)
    if len(combos) < 2:
        return _duty(spec, department, number), []
    if rng.random() < 0.3:
        return _single_penalty(rng, spec, department, number, combos)
    return _listed_penalty(rng, spec, department, number, combos)


def _duty(spec: LawSpec, department: DepartmentKindSpec, number: int) -> Article:
    text = f"{department.authority}应当建立健全本{spec.form}规定事项的监督管理制度，依法履行职责。"
    return Article(number, (Paragraph(text),))


def _inspection(
    rng: random.Random, spec: LawSpec, department: DepartmentKindSpec, number: int
) -> tuple[Article, list[ItemTemplate]]:
    actor = department.actors[number % len(department.actors)]
    paragraphs = [
        Paragraph(
            f"{department.authority}应当对{actor}遵守本{spec.form}的情况进行监督检查，"
            "被检查单位和个人应当如实提供有关资料，不得拒绝、阻碍。"
        )
    ]
    if rng.random() < 0.5:
        paragraphs.append(Paragraph("执法人员进行监督检查时，应当出示行政执法证件。"))
    name = f"对{actor}遵守{spec.short or spec.title}情况的行政检查"
    cite = Cite(spec.slug, number, 1 if len(paragraphs) > 1 else None)
    template = ItemTemplate(
        f"{spec.slug}#{number}", name, ItemType.INSPECTION, spec.department, (cite,)
    )
    return Article(number, tuple(paragraphs)), [template]


def _coercion(
    spec: LawSpec, department: DepartmentKindSpec, number: int, combos: list[tuple[str, str]]
) -> tuple[Article, list[ItemTemplate]]:
    actor, act = combos.pop()
    text = (
        f"{actor}{act}，经责令改正拒不改正的，{department.authority}"
        "可以依法查封、扣押有关工具、设施。"
    )
    name = f"对{actor}{act}经责令改正拒不改正的查封、扣押"
    template = ItemTemplate(
        f"{spec.slug}#{number}",
        name,
        ItemType.COERCION,
        spec.department,
        (Cite(spec.slug, number),),
    )
    return Article(number, (Paragraph(text),)), [template]


def _single_penalty(
    rng: random.Random,
    spec: LawSpec,
    department: DepartmentKindSpec,
    number: int,
    combos: list[tuple[str, str]],
) -> tuple[Article, list[ItemTemplate]]:
    actor, act = combos.pop()
    tier = rng.randrange(len(_FINES) - 1)
    low, high = _FINES[tier]
    paragraphs = [
        Paragraph(
            f"违反本{spec.form}规定，{actor}{act}的，由{department.authority}责令限期改正，"
            f"处{low}以上{high}以下罚款。"
        )
    ]
    paragraphs += _later_paragraphs(rng, tier)
    cite = Cite(spec.slug, number, 1 if len(paragraphs) > 1 else None)
    template = _penalty(spec, number, 0, actor, act, (cite,))
    return Article(number, tuple(paragraphs)), [template]


def _listed_penalty(
    rng: random.Random,
    spec: LawSpec,
    department: DepartmentKindSpec,
    number: int,
    combos: list[tuple[str, str]],
) -> tuple[Article, list[ItemTemplate]]:
    count = min(len(combos), rng.choice((2, 3, 3, 4, 4, 5, 6)))
    picked = [combos.pop() for _ in range(count)]
    tier = rng.randrange(len(_FINES) - 1)
    low, high = _FINES[tier]
    lead = (
        f"违反本{spec.form}规定，有下列行为之一的，由{department.authority}责令改正，"
        f"处{low}以上{high}以下罚款："
    )
    items = tuple(
        f"{actor}{act}的{'。' if n == count else '；'}"
        for n, (actor, act) in enumerate(picked, start=1)
    )
    paragraphs = [Paragraph(lead, items), *_later_paragraphs(rng, tier)]
    templates = [
        _penalty(spec, number, n, actor, act, (Cite(spec.slug, number, 1, n),))
        for n, (actor, act) in enumerate(picked, start=1)
    ]
    return Article(number, tuple(paragraphs)), templates


def _later_paragraphs(rng: random.Random, tier: int) -> list[Paragraph]:
    """Sometimes a 第二款 for serious cases (a higher fine) and a 第三款 deferring to other law."""
    paragraphs = []
    if rng.random() < 0.45:
        low, high = _FINES[rng.randrange(tier + 1, len(_FINES))]
        paragraphs.append(Paragraph(f"有前款规定行为，情节严重的，处{low}以上{high}以下罚款。"))
        if rng.random() < 0.3:
            paragraphs.append(
                Paragraph("法律、行政法规对前两款规定的行为另有处罚规定的，从其规定。")
            )
    return paragraphs


def _penalty(
    spec: LawSpec, number: int, item: int, actor: str, act: str, cites: tuple[Cite, ...]
) -> ItemTemplate:
    return ItemTemplate(
        f"{spec.slug}#{number}.{item}",
        f"对{actor}{act}的处罚",
        ItemType.PENALTY,
        spec.department,
        cites,
    )


def _with_extra_cites(rng: random.Random, law: Law, template: ItemTemplate) -> ItemTemplate:
    """Some items also cite the article's 第二款 or the next article (several articles in a cell)."""
    first = template.cites[0]
    article = law.article(first.article)
    roll = rng.random()
    extra: list[Cite] = []
    if roll < 0.15 and article is not None and len(article.paragraphs) > 1 and first.paragraph:
        extra.append(Cite(first.law, first.article, 2))
    elif roll < 0.25 and first.article < law.spec.last:
        extra.append(Cite(first.law, first.article + 1))
    if not extra:
        return template
    return ItemTemplate(
        template.key, template.name, template.type, template.department, (*template.cites, *extra)
    )


def _provenance(laws: list[Law]) -> str:
    rows = "\n".join(
        f"| `{law.spec.slug}.md` | {law.spec.title} | {law.spec.rank.value} | "
        f"第{chinese_numeral(law.spec.first)}条–第{chinese_numeral(law.spec.last)}条 |"
        if law.spec.has_text
        else f"| (no file) | {law.spec.title} | {law.spec.rank.value} | cited, text not loaded |"
        for law in laws
    )
    return (
        "# laws — provenance\n\n"
        "Every text in this folder is INVENTED by `authreg synth` (synthetic/laws.py). No title, "
        "article or number is a real law; they exist so that the synthetic catalogs' legal-basis "
        "cells resolve to loaded provisions. Do not cite them.\n\n"
        "| file | title | rank | articles |\n|---|---|---|---|\n" + rows + "\n"
    )
