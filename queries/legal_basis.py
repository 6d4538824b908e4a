"""The legal basis of an enforcement item (实施依据): provisions, documents and their status.

Asked for a day (`as_of`, default today): each citation is read against the law's versions
(queries.law_versions) — the version it cites (by its note, else the one in force on the citing
catalog's effective date), the text of that version's article, and when a later version is in
force on the day, 依据需更新 with the article's new number where the data says.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from loaders.numerals import chinese_numeral
from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.law_versions import (
    LawVersionInfo,
    cited_version,
    follow_article,
    in_force,
    update_sentence,
)
from queries.lookups import item_code
from queries.working_days import china_today
from schema.enums import DocumentStatus
from schema.models import Provision

LEGAL_BASIS = cypher("legal_basis")
LAW_VERSION_TEXTS = cypher("law_version_texts")

TextState = Literal[
    "loaded", "article_missing", "provision_missing", "not_loaded", "version_not_loaded"
]
TEXT_STATE_LABELS = {
    "loaded": "条文已载入",
    "article_missing": "已载入文本中无此条",
    "provision_missing": "已载入文本中无此款/项",
    "not_loaded": "text not loaded (文本未载入)",
    "version_not_loaded": "所引版本的文本未载入 (text of the cited version not loaded)",
}


class Repeal(BaseModel):
    """A document recorded as repealing another ((:LegalDocument)-[:REPEALS]->(doc))."""

    id: str
    title: str | None = None
    effective: date | None = None


class BasisLink(BaseModel):
    """One BASED_ON link: the citation as read, the provision it names, and its document."""

    raw: str | None
    role: str | None = None
    provision_id: str | None = None  # None when the citation names a whole document
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    text: str | None = None
    text_state: TextState
    document_id: str
    title: str | None = None
    rank: str | None = None
    status: str = DocumentStatus.UNKNOWN.value  # 现行有效 / 已修改 / 已废止, 未知 if not recorded
    version_date: date | None = None
    effective_to: date | None = None
    repealed_by: list[Repeal] = Field(default_factory=list)
    version_note: str | None = Field(
        default=None, description="The citation's version note (版本注明)"
    )
    cited_version: LawVersionInfo | None = Field(
        default=None, description="The version the citation means (所引版本)"
    )
    cited_version_how: str | None = Field(
        default=None, description="How that version was decided (版本判定)"
    )
    version_in_force: LawVersionInfo | None = Field(
        default=None, description="The law's version in force on the day asked (现行版本)"
    )
    needs_update: bool = Field(
        default=False, description="A later version replaced the cited one by then (依据需更新)"
    )
    new_article: int | None = Field(
        default=None, description="The cited article's number in the version in force (新条号)"
    )
    new_text: str | None = Field(
        default=None, description="That article's text in the version in force (新条文)"
    )
    update_note: str | None = Field(default=None, description="依据需更新, as a sentence")

    @computed_field
    @property
    def repealed(self) -> bool:
        return self.status == DocumentStatus.REPEALED.value or bool(self.repealed_by)

    def cite(self) -> str:
        parts = [f"第{chinese_numeral(self.article)}条"] if self.article else []
        parts += [f"第{chinese_numeral(self.paragraph)}款"] if self.paragraph else []
        parts += [f"第({chinese_numeral(self.item)})项"] if self.item else []
        return f"《{self.title or self.document_id}》" + "".join(parts)


class LegalBasis(Answer):
    """An item's legal basis. `found` is False for an unknown item (no exception: a typo is an
    answer, not an error); an exact name shared by several items raises AmbiguousName."""

    asked: str
    found: bool
    item_code: str | None = None
    item_name: str | None = None
    item_type: str | None = None
    domain: str | None = None
    basis_raw: str | None = None  # the 实施依据 cell exactly as published
    as_of: date | None = None  # the day citations are read against the law's versions
    links: list[BasisLink] = Field(default_factory=list)

    @computed_field
    @property
    def no_parseable_basis(self) -> bool:
        """No BASED_ON link: the cell names no provision the loader could read (e.g. 详见相关法律法规)."""
        return self.found and not self.links

    @computed_field
    @property
    def only_repealed_basis(self) -> bool:
        """Every document the item rests on is recorded as repealed."""
        return bool(self.links) and all(link.repealed for link in self.links)

    @computed_field
    @property
    def missing_from_text(self) -> list[str]:
        """Cited provisions absent from a document whose text is loaded (第三十六条 not in 《…》)."""
        return [link.cite() for link in self._missing()]

    @computed_field
    @property
    def flags(self) -> list[str]:
        """Every problem above, as sentences (提示)."""
        notes = []
        if not self.found:
            notes.append(f"未找到事项 {self.asked!r} (no item with this code or exact name)")
        if self.no_parseable_basis:
            notes.append(f"无可解析的实施依据: 原文「{self.basis_raw or ''}」")
        if self.only_repealed_basis:
            notes.append(
                "实施依据均已废止: " + "、".join(sorted({link.cite() for link in self.links}))
            )
        for link in self._missing():
            notes.append(
                f"{link.cite()} 不在已载入的文本中 (cited provision missing from the loaded text)"
            )
        notes += sorted({link.update_note for link in self.links if link.update_note})
        return notes

    def _missing(self) -> list[BasisLink]:
        missing = ("article_missing", "provision_missing")
        return [link for link in self.links if link.text_state in missing]

    def sheets(self) -> list[Sheet]:
        item = Sheet(
            title="执法事项",
            columns=["事项编码", "事项名称", "事项类型", "执法领域", "实施依据(原文)", "提示"],
            rows=[
                [
                    self.item_code,
                    self.item_name,
                    self.item_type,
                    self.domain,
                    self.basis_raw,
                    ";".join(self.flags),
                ]
            ],
        )
        columns = ["引用原文", "条款编号", "条", "款", "项", "条文", "文件", "效力层级"]
        columns += [
            "时效性",
            "版本日期",
            "废止文件",
            "所引版本",
            "版本判定",
            "依据需更新",
            "新条号",
        ]
        rows = [
            [
                link.raw,
                link.provision_id,
                link.article,
                link.paragraph,
                link.item,
                link.text or TEXT_STATE_LABELS[link.text_state],
                link.title or link.document_id,
                link.rank,
                link.status,
                link.version_date,
                "、".join(
                    f"{r.title or r.id}({r.effective or '日期未知'})" for r in link.repealed_by
                ),
                link.cited_version.label() if link.cited_version else None,
                link.cited_version_how,
                link.update_note or ("否" if link.cited_version else None),
                link.new_article,
            ]
            for link in self.links
        ]
        return [item, Sheet(title="依据条款与文件", columns=columns, rows=rows)]


@unit_of_work(metadata={"query": "legal_basis"})
def legal_basis(tx: ManagedTransaction, *, item: str, as_of: date | None = None) -> LegalBasis:
    """The item (by code or exact name), its published basis cell and every BASED_ON link, each
    read against the law's versions on `as_of` (default today)."""
    day = as_of or china_today()
    code = item_code(tx, item)
    record = tx.run(LEGAL_BASIS, itemCode=code).single() if code else None
    if record is None:
        return LegalBasis(asked=item, found=False, as_of=day)
    row = record_natives(record)
    links = [_versioned(link, day) for link in row["links"]]
    texts = _version_texts(tx, links)
    return LegalBasis(
        asked=item,
        found=True,
        item_code=row["code"],
        item_name=row["name"],
        item_type=row["type"],
        domain=row["domain"],
        basis_raw=row["basisRaw"],
        as_of=day,
        links=[_link(link, texts) for link in links],
    )


def _versioned(row: dict, day: date) -> dict:
    """The link's row with its cited version, the version in force and the article's new number."""
    versions = [LawVersionInfo.from_row(v) for v in row.get("versions") or []]
    cited, how = cited_version(versions, row.get("versionNote"), row.get("catalogEffective"))
    current = in_force(versions, day)
    moved = None
    if cited is not None and current is not None and current.version_date > cited.version_date:
        if row["article"] is not None:
            moved = follow_article(versions, cited, current, row["article"])
        title = row["title"] or row["documentId"]
        note = update_sentence(title, cited, current, row["article"], moved)
    else:
        note = None
    return {
        **row,
        "citedVersion": cited,
        "citedHow": how if versions else None,
        "inForce": current,
        "newArticle": moved,
        "updateNote": note,
    }


def _version_ids(row: dict) -> tuple[str | None, str | None]:
    """The provision ids of the cited version's article and of its new place, where versioned."""
    cited, current = row["citedVersion"], row["inForce"]
    if cited is None or row["article"] is None:
        return None, None
    old = Provision.make_id(cited.id, row["article"], row["paragraph"], row["item"])
    new = None
    if row["newArticle"] is not None and current is not None:
        new = Provision.make_id(current.id, row["newArticle"], None, None)
    return old, new


def _version_texts(tx: ManagedTransaction, links: list[dict]) -> dict[str, str]:
    ids = sorted({pid for link in links for pid in _version_ids(link) if pid})
    if not ids:
        return {}
    result = tx.run(LAW_VERSION_TEXTS, provisionIds=ids)
    return {record["id"]: record["text"] for record in result if record["text"] is not None}


def _link(row: dict, texts: dict[str, str]) -> BasisLink:
    old_id, new_id = _version_ids(row)
    text = _cited_text(row, texts.get(old_id or ""))
    return BasisLink(
        raw=row["raw"],
        role=row["role"],
        provision_id=row["provisionId"],
        article=row["article"],
        paragraph=row["paragraph"],
        item=row["item"],
        text=text,
        text_state=_text_state(row, text),
        document_id=row["documentId"],
        title=row["title"],
        rank=row["rank"],
        status=row["status"] or DocumentStatus.UNKNOWN.value,
        version_date=row["versionDate"],
        effective_to=row["effectiveTo"],
        repealed_by=[Repeal(**repeal) for repeal in row["repealedBy"]],
        version_note=row.get("versionNote"),
        cited_version=row["citedVersion"],
        cited_version_how=row["citedHow"],
        version_in_force=row["inForce"],
        needs_update=row["updateNote"] is not None,
        new_article=row["newArticle"],
        new_text=texts.get(new_id or ""),
        update_note=row["updateNote"],
    )


def _cited_text(row: dict, versioned: str | None) -> str | None:
    """The cited version's text: its own provision's, else the document's provision's when that
    holds the cited version (the newest loaded); another version's text is never shown."""
    cited = row["citedVersion"]
    if versioned is not None or cited is None:
        return versioned if cited is not None else row["text"]
    current = row.get("currentVersionDate")
    return row["text"] if current is None or current == cited.version_date else None


def _text_state(row: dict, text: str | None) -> TextState:
    if text is not None:
        return "loaded"
    cited = row["citedVersion"]
    if cited is not None and row["article"] is not None:
        current = row.get("currentVersionDate")
        if current is not None and current != cited.version_date:
            return "version_not_loaded"
    if not row["textLoaded"]:
        return "not_loaded"
    if row["provisionId"] is None:
        return "loaded"  # a whole document cited: its text is loaded, no article to look for
    return "provision_missing" if row["articleInText"] else "article_missing"
