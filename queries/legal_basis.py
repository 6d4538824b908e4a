"""The legal basis of an enforcement item (实施依据): provisions, documents and their status."""

from __future__ import annotations

from datetime import date
from typing import Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from loaders.numerals import chinese_numeral
from queries.answers import Answer, Sheet, natives
from queries.cypher_files import cypher
from queries.lookups import item_code
from schema.enums import DocumentStatus

LEGAL_BASIS = cypher("legal_basis")

TextState = Literal["loaded", "article_missing", "provision_missing", "not_loaded"]
TEXT_STATE_LABELS = {
    "loaded": "条文已载入",
    "article_missing": "已载入文本中无此条",
    "provision_missing": "已载入文本中无此款/项",
    "not_loaded": "text not loaded (文本未载入)",
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
        columns += ["时效性", "版本日期", "废止文件"]
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
            ]
            for link in self.links
        ]
        return [item, Sheet(title="依据条款与文件", columns=columns, rows=rows)]


@unit_of_work(metadata={"query": "legal_basis"})
def legal_basis(tx: ManagedTransaction, *, item: str) -> LegalBasis:
    """The item (by code or exact name), its published basis cell and every BASED_ON link."""
    code = item_code(tx, item)
    record = tx.run(LEGAL_BASIS, itemCode=code).single() if code else None
    if record is None:
        return LegalBasis(asked=item, found=False)
    row = natives(record.data())
    return LegalBasis(
        asked=item,
        found=True,
        item_code=row["code"],
        item_name=row["name"],
        item_type=row["type"],
        domain=row["domain"],
        basis_raw=row["basisRaw"],
        links=[_link(link) for link in row["links"]],
    )


def _link(row: dict) -> BasisLink:
    return BasisLink(
        raw=row["raw"],
        role=row["role"],
        provision_id=row["provisionId"],
        article=row["article"],
        paragraph=row["paragraph"],
        item=row["item"],
        text=row["text"],
        text_state=_text_state(row),
        document_id=row["documentId"],
        title=row["title"],
        rank=row["rank"],
        status=row["status"] or DocumentStatus.UNKNOWN.value,
        version_date=row["versionDate"],
        effective_to=row["effectiveTo"],
        repealed_by=[Repeal(**repeal) for repeal in row["repealedBy"]],
    )


def _text_state(row: dict) -> TextState:
    if row["text"] is not None:
        return "loaded"
    if not row["textLoaded"]:
        return "not_loaded"
    if row["provisionId"] is None:
        return "loaded"  # a whole document cited: its text is loaded, no article to look for
    return "provision_missing" if row["articleInText"] else "article_missing"
