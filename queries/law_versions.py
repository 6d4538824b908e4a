"""Which version of a law a citation means, and which is in force on a day (法律版本).

A law's versions are LawVersion nodes (loaders.records.build_law): the day each text was passed
(公布 / 修正 / 修订), the day it took effect (施行; the passing day where no file says), and where
the previous version's articles went (`previous_articles`, with its source). Resolution happens
when a question is asked, so a catalog loaded before a new version needs no reload:

- a citation's version is the one its version note names — by date (2009年8月27日), by year
  (2017年修正: the version passed that year) or, for a note on 施行, the one in force at the end of
  that year — else the version in force on the citing catalog's effective date;
- the version in force on a day is the last whose `effective_from` is on or before it;
- a citation of a version since replaced needs updating (依据需更新); its article is followed
  through each later version's `previous_articles`, and is unknown where a step has none.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, Field

from loaders.numerals import chinese_numeral

_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(\d{4})\s*年")


class LawVersionInfo(BaseModel):
    """One version of a law as the graph records it (LawVersion)."""

    id: str
    version_date: date = Field(description="The day it was passed (通过 / 修正 / 修订)")
    kind: str = Field(description="公布, 修正, 修订 (修改 when the header does not say)")
    note: str | None = None
    effective_from: date = Field(description="The day it took effect (施行)")
    effective_known: bool = False  # False: effective_from is the passing day, no 施行 date given
    text_loaded: bool = False
    previous_articles: dict[int, int] = Field(default_factory=dict)
    previous_articles_source: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> LawVersionInfo:
        pairs = (pair.split(":") for pair in row.get("previous_articles") or [])
        return cls(
            id=row["id"],
            version_date=row["version_date"],
            kind=row.get("kind") or "公布",
            note=row.get("note"),
            effective_from=row.get("effective_from") or row["version_date"],
            effective_known=bool(row.get("effective_known")),
            text_loaded=bool(row.get("text_loaded")),
            previous_articles={int(old): int(new) for old, new in pairs},
            previous_articles_source=row.get("previous_articles_source"),
        )

    def label(self) -> str:
        """2017年修正本, 2021年修订本, 1996年公布本 (the way catalogs name versions)."""
        return f"{self.version_date.year}年{self.kind}本"


def in_force(versions: list[LawVersionInfo], day: date) -> LawVersionInfo | None:
    """The version in force on `day`: the last to take effect on or before it (versions oldest
    first); None before the first took effect."""
    started = [v for v in versions if v.effective_from <= day]
    return max(started, key=lambda v: (v.effective_from, v.version_date), default=None)


def cited_version(
    versions: list[LawVersionInfo], note: str | None, catalog_effective: date | None
) -> tuple[LawVersionInfo | None, str]:
    """The version a citation means, and how that was decided (a sentence)."""
    if not versions:
        return None, "未载入该法的版本信息"
    if note and (by_note := _by_note(versions, note)) is not None:
        return by_note
    if catalog_effective is not None:
        found = in_force(versions, catalog_effective)
        if found is None:
            return None, f"目录施行日 {catalog_effective} 早于已知最早版本的施行日"
        return found, f"未注明版本,按目录施行日 {catalog_effective} 时有效的{found.label()}"
    latest = versions[-1]
    return latest, f"未注明版本且目录日期未知,按最新的{latest.label()}"


def follow_article(
    versions: list[LawVersionInfo], start: LawVersionInfo, end: LawVersionInfo, article: int
) -> int | None:
    """Where `article` of version `start` is in version `end`: through each later version's
    previous_articles; None where a step does not say (the new number is not known)."""
    later = [v for v in versions if start.version_date < v.version_date <= end.version_date]
    for version in sorted(later, key=lambda v: v.version_date):
        if article not in version.previous_articles:
            return None
        article = version.previous_articles[article]
    return article


def update_sentence(
    title: str,
    cited: LawVersionInfo,
    current: LawVersionInfo,
    article: int | None,
    new_article: int | None,
) -> str:
    """依据需更新: what the citation names, what replaced it and since when, where it went."""
    cited_as = f"《{title}》({cited.label()})"
    if article is not None:
        cited_as += f"第{chinese_numeral(article)}条"
    text = f"依据需更新: {cited_as}已被{current.label()}取代({current.effective_from} 起施行)"
    if article is None:
        return text
    if new_article is None:
        return text + ";新版本中的对应条文未知,请核对新文本"
    if new_article == article:
        return text + f";对应新版本第{chinese_numeral(new_article)}条(条号未变)"
    return text + f";该条已移至新版本第{chinese_numeral(new_article)}条"


def _by_note(versions: list[LawVersionInfo], note: str) -> tuple[LawVersionInfo | None, str] | None:
    """The version a note names, or (None, why) when it names one not recorded; None when the
    note names no date at all (修正, 现行有效)."""
    full = _FULL_DATE.search(note)
    year_match = _YEAR.search(note)
    if year_match is None:
        return None
    year = int(year_match.group(1))
    if "施行" in note:
        day = date(*(int(n) for n in full.groups())) if full else date(year, 12, 31)
        found = in_force(versions, day)
        if found is not None:
            return found, f"按版本注明「{note}」,即 {day} 时有效的{found.label()}"
        return None, f"版本注明「{note}」早于已知最早版本"
    if full is not None:
        day = date(*(int(n) for n in full.groups()))
        exact = [v for v in versions if v.version_date == day]
        if exact:
            return exact[0], f"按版本注明「{note}」"
    of_year = [v for v in versions if v.version_date.year == year]
    if of_year:
        return of_year[-1], f"按版本注明「{note}」"
    known = "、".join(v.label() for v in versions)
    return None, f"版本注明「{note}」与已知版本({known})均不符"
