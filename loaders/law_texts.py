"""Read a law text file (法律文本, Markdown as in data/sample/laws/) into articles, 款 and 项.

A file may hold the whole law or an excerpt (节选) of some articles: the files in data/sample/laws
are excerpts, each holding the articles some catalog cites (their PROVENANCE.md). A file says
which in an optional front matter block before its title:

    ---
    excerpt: true      # only some articles; false: the whole law
    last_article: 74   # the law's last article, where known (第七十四条 also reads)
    ---

Without `excerpt`, a file whose articles run 第一条, 第二条 … without a gap is the whole law and
any other is an excerpt. A citation of an article a whole text lacks is a problem; of one an
excerpt lacks, only beyond the law's last article.

Versions (法律版本): the Version line lists the law's history (通过 / 公布, then each 修正 and
修订, with a 施行 date where the header gives one); each passed text is a version, and the file
holds the last one, or the one its heading's version note names (`# 中华人民共和国行政处罚法
(2017年修正)`: the same law, in its 2017 text — not a second document). Front matter may add:

    effective: 2021-07-15          # the day this version took effect (施行), where known
    previous_articles: {15: 17}    # the previous version's article → this version's (renumbering)
    previous_articles_source: …    # where that correspondence comes from (required with it)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from authreg.errors import InputError
from loaders.numerals import parse_numeral
from schema.enums import DocumentRank


@dataclass(frozen=True)
class Item:
    """A 项: an enumerated point （一）… of a paragraph."""

    number: int
    text: str  # without the （一） marker


@dataclass(frozen=True)
class Paragraph:
    """A 款: one block of an article, numbered from 1, with the 项 that follow it."""

    number: int
    text: str  # the block itself, without its items (and without the 第X条 heading)
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Article:
    """A 条: its number and full text (paragraphs and items, one per line)."""

    number: int
    text: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Version:
    """One passed text of a law: the day (通过 / 修正 / 修订) and the version line's words."""

    date: date
    kind: str  # 公布 (the first text), 修正 or 修订; 修改 when the line does not say which
    note: str
    effective_from: date | None = None  # 施行, where the header or front matter says


@dataclass(frozen=True)
class LawText:
    """One law text file: what it is, which version, and the articles it holds."""

    path: Path
    title: str
    version_date: date | None  # the latest date in the Version line
    path_date: date | None  # the date in the source repository path, '(2021-01-22)'
    rank: DocumentRank
    issuer: str | None
    articles: tuple[Article, ...]
    excerpt: bool = False  # holds only some of the law's articles
    last_article: int | None = None  # the law's last article: the file's own when whole
    versions: tuple[Version, ...] = ()  # the law's history as far as the Version line lists it
    version: Version | None = None  # the version this file's articles are the text of
    previous_articles: dict[int, int] = field(default_factory=dict)  # old article → this one's
    previous_articles_source: str | None = None

    def article(self, number: int) -> Article:
        """The article numbered `number`; KeyError if the file does not hold it."""
        for article in self.articles:
            if article.number == number:
                return article
        raise KeyError(f"{self.title} has no article {number} in {self.path.name}")


def parse_law_text(path: Path) -> LawText:
    """Read one law text file; InputError names the file and line of what is missing or broken."""
    lines = path.read_text(encoding="utf-8").splitlines()
    front, lines = _front_matter(path, lines)
    title = _title(path, lines)
    version_line = next((line for line in lines if line.startswith(_VERSION_PREFIX)), "")
    rank, issuer = infer_rank_and_issuer(title, version_line)
    articles = _articles(path, lines)
    numbers = [article.number for article in articles]
    excerpt = front.get("excerpt", numbers != list(range(1, len(numbers) + 1)))
    last = front.get("last_article", None if excerpt else max(numbers))
    if last is not None and last < max(numbers):
        raise InputError(path, f"last_article {last} is below article {max(numbers)}", row=1)
    versions = law_versions(version_line)
    own = _own_version(path, title, versions, front.get("effective"))
    if own is not None:
        versions = tuple(own if v.date == own.date else v for v in versions) or (own,)
    return LawText(
        path=path,
        title=title,
        version_date=_latest_date(version_line),
        path_date=_path_date(lines),
        rank=rank,
        issuer=issuer,
        articles=articles,
        excerpt=excerpt,
        last_article=last,
        versions=versions,
        version=own,
        previous_articles=front.get("previous_articles", {}),
        previous_articles_source=front.get("previous_articles_source"),
    )


def law_versions(version_line: str) -> tuple[Version, ...]:
    """The passed texts the Version line lists, oldest first.

    通过 then 发布 / 公布 of the same text are one version (dated by the first); each 修正 or
    修订 is a new one; a 施行 date belongs to the version before it."""
    versions: list[Version] = []
    for segment in re.split(r"[;；]", version_line.split(":", 1)[-1]):
        dates = _DATE.findall(segment)
        if not dates:
            continue
        day = date(*(int(n) for n in dates[0]))
        note = segment.strip().rstrip("）)　 ")
        kind = "修订" if "修订" in segment else "修正" if "修正" in segment else None
        if (
            kind is None
            and versions
            and ("施行" in segment or "发布" in segment or "公布" in segment)
        ):
            if "施行" in segment:
                last = versions[-1]
                versions[-1] = Version(last.date, last.kind, last.note, effective_from=day)
            continue
        # A later text whose line names no kind (the header split it over two lines): 修改.
        versions.append(Version(day, kind or ("修改" if versions else "公布"), note))
    return tuple(versions)


def _own_version(
    path: Path, title: str, versions: tuple[Version, ...], effective: date | None
) -> Version | None:
    """The version this file holds: the one its heading's note names, else the last listed."""
    named = _HEADING_NOTE.search(title)
    own = versions[-1] if versions else None
    if named is not None:
        year = int(named.group("year"))
        of_year = [v for v in versions if v.date.year == year]
        if not of_year and versions:
            raise InputError(
                path, f"the heading names a {year} version the Version line does not list", row=1
            )
        own = of_year[-1] if of_year else None
    if own is None:
        return None
    return Version(own.date, own.kind, own.note, effective or own.effective_from)


def infer_rank_and_issuer(title: str, version_line: str = "") -> tuple[DocumentRank, str | None]:
    """效力层级 and 制定机关 from who passed the text (its Version line), else from its title.

    The enacting body decides: 户口登记条例 is named like a State Council regulation but was
    passed by the NPC Standing Committee in 1958, so it is a law.
    """
    enacted = version_line.split(":", 1)[-1].split(";")[0]
    if match := _LOCAL_CONGRESS.search(enacted):
        return DocumentRank.LOCAL_REGULATION, f"{match.group('place')}人民代表大会常务委员会"
    if "全国人民代表大会常务委员会" in enacted:
        return DocumentRank.LAW, "全国人民代表大会常务委员会"
    if "全国人民代表大会" in enacted:
        return DocumentRank.LAW, "全国人民代表大会"
    if "国务院" in enacted:
        return DocumentRank.ADMINISTRATIVE_REGULATION, "国务院"
    return _rank_from_title(title)


_VERSION_PREFIX = "- Version"
_HEADING_NOTE = re.compile(r"[（(]\s*(?P<year>\d{4})\s*年[^）)]*[）)]\s*$")
_FRONT_KEYS = {
    "excerpt",
    "last_article",
    "effective",
    "previous_articles",
    "previous_articles_source",
}
_HEADING = re.compile(r"^##\s*第\s*(?P<number>[^条\s]+)\s*条\s*$")
_ARTICLE_LEAD = re.compile(r"^第\s*(?P<number>[^条\s]+)\s*条[\s\u3000]*")
_ITEM = re.compile(r"^[（(]\s*(?P<number>[一二三四五六七八九十百]+)\s*[）)]\s*")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PATH_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")
_PLACE = r"(?P<place>[\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|州|县|盟))"
_LOCAL_CONGRESS = re.compile(rf"{_PLACE}第[一二三四五六七八九十]+届人民代表大会常务委员会")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆"
)
# A title names its place first (重庆市…条例); a province list, since 城市市容… also has a 市.
_LOCAL_TITLE = re.compile(rf"^(?P<place>(?:{_PROVINCES})[\u4e00-\u9fff]*?(?:省|自治区|市))")
_IMPLEMENTS_LAW = re.compile(r"实施[《<〈]?[\u4e00-\u9fff]+法[》>〉]?办法$")


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The `---` block opening a file, read; the lines after it (blank in its place, so rows
    keep their numbers)."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), None)
    if end is None:
        raise InputError(path, "the front matter opened with '---' is not closed", row=1)
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise InputError(path, f"front matter is not YAML: {exc}", row=1) from None
    if not isinstance(front, dict) or set(front) - _FRONT_KEYS:
        raise InputError(path, f"front matter takes only {', '.join(sorted(_FRONT_KEYS))}", row=1)
    if not isinstance(front.get("excerpt", False), bool):
        raise InputError(path, "excerpt is true or false", row=1)
    if "last_article" in front:
        front["last_article"] = _number(path, str(front["last_article"]).strip("第条"), 1)
    if "effective" in front and not isinstance(front["effective"], date):
        raise InputError(path, "effective is a date, YYYY-MM-DD", row=1)
    if "previous_articles" in front:
        front["previous_articles"] = _article_map(path, front)
    return front, [""] * (end + 1) + lines[end + 1 :]


def _article_map(path: Path, front: dict[str, Any]) -> dict[int, int]:
    """previous_articles: {old: new} article numbers, with the source that says so."""
    given = front["previous_articles"]
    if not isinstance(given, dict) or not given:
        raise InputError(path, "previous_articles maps old article numbers to new ones", row=1)
    if not str(front.get("previous_articles_source") or "").strip():
        raise InputError(path, "previous_articles needs previous_articles_source", row=1)
    return {
        _number(path, str(old).strip("第条"), 1): _number(path, str(new).strip("第条"), 1)
        for old, new in given.items()
    }


def _title(path: Path, lines: list[str]) -> str:
    for number, line in enumerate(lines, start=1):
        if line.startswith("# "):
            return line[2:].strip()
        if line.startswith("## "):
            raise InputError(path, "an article comes before the '# title' heading", row=number)
    raise InputError(path, "no '# title' heading", row=1)


def _latest_date(version_line: str) -> date | None:
    dates = [date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(version_line)]
    return max(dates, default=None)


def _path_date(lines: list[str]) -> date | None:
    for line in lines:
        if line.startswith("- Source") and (match := _PATH_DATE.search(line)):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def _articles(path: Path, lines: list[str]) -> tuple[Article, ...]:
    sections = _sections(path, lines)
    if not sections:
        raise InputError(path, "no article (a '## 第X条' heading)", row=len(lines) or 1)
    articles = [_article(path, number, row, body) for number, row, body in sections]
    seen: set[int] = set()
    for (_, row, _), article in zip(sections, articles, strict=True):
        if article.number in seen:
            raise InputError(path, f"article {article.number} appears twice", row=row)
        seen.add(article.number)
    return tuple(articles)


def _sections(path: Path, lines: list[str]) -> list[tuple[int, int, list[str]]]:
    """Split the file at '## 第X条' headings: (article number, heading line, lines under it)."""
    sections: list[tuple[int, int, list[str]]] = []
    for row, line in enumerate(lines, start=1):
        if line.startswith("## "):
            heading = _HEADING.match(line)
            if heading is None:
                raise InputError(path, f"not an article heading: {line!r}", row=row)
            sections.append((_number(path, heading.group("number"), row), row, []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def _article(path: Path, number: int, row: int, body: list[str]) -> Article:
    blocks = _blocks(body)
    if not blocks:
        raise InputError(path, f"article {number} has no text", row=row)
    lead = _ARTICLE_LEAD.match(blocks[0])
    if lead is not None:
        if _number(path, lead.group("number"), row) != number:
            raise InputError(path, f"heading says article {number}, text says otherwise", row=row)
        blocks[0] = blocks[0][lead.end() :]
    paragraphs = _paragraphs(blocks)
    return Article(number, "\n".join(blocks), paragraphs)


def _blocks(body: list[str]) -> list[str]:
    """Blank-line separated blocks; a block's own line breaks are joined."""
    text = "\n".join(body).strip()
    return [" ".join(b.split("\n")).strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _paragraphs(blocks: list[str]) -> tuple[Paragraph, ...]:
    # An item block （一）… belongs to the paragraph above it: laws cite 第一款第（一）项.
    paragraphs: list[tuple[str, list[Item]]] = []
    for block in blocks:
        item = _ITEM.match(block)
        if item is not None and paragraphs:
            paragraphs[-1][1].append(Item(parse_numeral(item.group("number")), block[item.end() :]))
        else:
            paragraphs.append((block, []))
    return tuple(
        Paragraph(number, text, tuple(items))
        for number, (text, items) in enumerate(paragraphs, start=1)
    )


def _number(path: Path, numeral: str, row: int) -> int:
    try:
        return parse_numeral(numeral)
    except ValueError:
        raise InputError(path, f"article number {numeral!r} is not a numeral", row=row) from None


def _rank_from_title(title: str) -> tuple[DocumentRank, str | None]:
    place = _LOCAL_TITLE.match(title)
    if place is None:
        if title.endswith("法"):
            return (
                DocumentRank.LAW,
                None,
            )  # 全国人民代表大会 or its 常务委员会: the title cannot say
        if title.endswith("条例"):
            return DocumentRank.ADMINISTRATIVE_REGULATION, "国务院"
        return DocumentRank.UNKNOWN, None
    congress = f"{place.group('place')}人民代表大会常务委员会"
    # 实施《…法》办法 are passed by the local congress; other local 办法/规定 by the government.
    if title.endswith("条例") or _IMPLEMENTS_LAW.search(title):
        return DocumentRank.LOCAL_REGULATION, congress
    if re.search(r"(办法|规定|细则)$", title):
        return DocumentRank.LOCAL_GOVERNMENT_RULE, f"{place.group('place')}人民政府"
    return DocumentRank.UNKNOWN, None
