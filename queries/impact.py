"""What a law amendment breaks (法律修改影响): items, catalog rows, delegations, streets, open cases."""

from __future__ import annotations

from datetime import date, datetime

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from loaders.citations import document_key
from loaders.numerals import chinese_numeral
from queries.answers import Answer, Cell, Sheet, natives
from queries.cypher_files import cypher
from schema.enums import DocumentStatus

IMPACT = cypher("impact")
VERSION = "version"  # a change kind: the recorded version of the text itself (版本日期)


class DocumentChange(BaseModel):
    """An amendment, repeal or replacement recorded for the document, or its version date."""

    kind: str  # AMENDS / REPEALS / REPLACES, or "version"
    id: str | None = None  # the amending document (None for "version")
    title: str | None = None
    on: date | None = None


class CatalogListing(BaseModel):
    """A catalog (or notice) row listing the item: the evidence (目录, 文号, 行)."""

    id: str
    title: str
    doc_number: str | None = None
    kind: str | None = None
    effective: date
    row: int | None = None
    superseded_on: date | None = (
        None  # a newer version of the series took over (on or before as_of)
    )


class DelegationInForce(BaseModel):
    """One delegation of the item in force on as_of (赋权 / 委托 / 派驻)."""

    id: str
    mode: str
    since: date
    until: date | None = None
    street_code: str
    street_name: str
    department_id: str | None = None
    department_name: str | None = None
    evidence: CatalogListing | None = None  # the latest version listing it, effective by as_of
    amended_after_start: list[DocumentChange] = Field(default_factory=list)


class OpenCase(BaseModel):
    """A case about the item that is not closed (未结案件): status, dates and street."""

    id: str
    status: str | None = None
    occurred_on: date | None = None
    filed_at: datetime | None = None
    street_code: str | None = None
    street_name: str | None = None


class ImpactedItem(BaseModel):
    """An item resting on the document, with everything that hangs on it."""

    code: str
    name: str
    type: str | None = None
    cited: list[str]  # provision ids (or the document id) the item's BASED_ON links reach
    citations: list[str]  # the citation texts as read from the catalog cell
    only_basis: bool  # every BASED_ON of the item reaches this document
    catalogs: list[CatalogListing] = Field(default_factory=list)
    delegations: list[DelegationInForce] = Field(default_factory=list)
    open_cases: list[OpenCase] = Field(default_factory=list)


class Impact(Answer):
    """Impact of a document (or one article). `found` is False when no document has the id or
    the normalised title asked for (中华人民共和国 and 《》 optional)."""

    asked: str
    article: int | None = None
    as_of: date
    found: bool
    document_id: str | None = None
    title: str | None = None
    rank: str | None = None
    status: str = DocumentStatus.UNKNOWN.value
    version_date: date | None = None
    effective_to: date | None = None
    changes: list[DocumentChange] = Field(default_factory=list)
    items: list[ImpactedItem] = Field(default_factory=list)

    @computed_field
    @property
    def repealed(self) -> bool:
        return self.status == DocumentStatus.REPEALED.value or any(
            change.kind == "REPEALS" for change in self.changes
        )

    @computed_field
    @property
    def streets(self) -> list[str]:
        """Streets holding a delegation in force of an affected item (涉及街道), as 'code name'."""
        found = {(d.street_code, d.street_name) for i in self.items for d in i.delegations}
        return [f"{code} {name}" for code, name in sorted(found)]

    @computed_field
    @property
    def left_without_basis(self) -> list[str]:
        """Items whose ONLY basis is this document, when it is repealed (依据已废止)."""
        return [item.code for item in self.items if item.only_basis] if self.repealed else []

    @computed_field
    @property
    def amended_after_delegation(self) -> list[str]:
        """Delegations (item @ street) that began before an amendment or version of the document."""
        return [
            f"{item.code} @ {d.street_name}"
            for item in self.items
            for d in item.delegations
            if d.amended_after_start
        ]

    def sheets(self) -> list[Sheet]:
        streets = Sheet(title="涉及街道", columns=["街道"], rows=[[s] for s in self.streets])
        return [
            self._document_sheet(),
            self._items_sheet(),
            self._catalogs_sheet(),
            self._delegations_sheet(),
            streets,
            self._cases_sheet(),
        ]

    @computed_field
    @property
    def flags(self) -> list[str]:
        """Not found, repealed sole basis, amended after delegation: as sentences (提示)."""
        notes = [] if self.found else [f"未找到文件 {self.asked!r}"]
        if self.left_without_basis:
            notes.append(f"仅以本文件为依据且本文件已废止: {'、'.join(self.left_without_basis)}")
        if self.amended_after_delegation:
            notes.append(
                f"赋权开始后文件又有修改或新版本: {len(self.amended_after_delegation)} 项赋权"
            )
        return notes

    def _document_sheet(self) -> Sheet:
        scope = f"第{chinese_numeral(self.article)}条" if self.article else "全文"
        changes = "、".join(f"{c.kind} {c.title or ''} {c.on or '日期未知'}" for c in self.changes)
        columns = [
            "文件",
            "范围",
            "效力层级",
            "时效性",
            "版本日期",
            "修改/废止记录",
            "查询日期",
            "提示",
        ]
        row: list[Cell] = [self.title or self.asked, scope, self.rank, self.status]
        row += [self.version_date, changes, self.as_of, ";".join(self.flags)]
        return Sheet(title="法律文件", columns=columns, rows=[row])

    def _items_sheet(self) -> Sheet:
        columns = ["事项编码", "事项名称", "引用条款", "唯一依据", "在行赋权数", "未结案件数"]
        rows = [
            [
                i.code,
                i.name,
                "、".join(i.cited),
                i.only_basis,
                len(i.delegations),
                len(i.open_cases),
            ]
            for i in self.items
        ]
        return Sheet(title="受影响事项", columns=columns, rows=rows)

    def _catalogs_sheet(self) -> Sheet:
        columns = ["事项编码", "目录", "文号", "行", "生效日期", "被新版本替代"]
        rows = [
            [i.code, c.title, c.doc_number, c.row, c.effective, c.superseded_on]
            for i in self.items
            for c in i.catalogs
        ]
        return Sheet(title="目录行", columns=columns, rows=rows)

    def _delegations_sheet(self) -> Sheet:
        columns = ["事项编码", "街道", "原实施部门", "方式", "起始日期", "依据目录", "文号", "行"]
        rows = [
            [
                i.code,
                d.street_name,
                d.department_name,
                d.mode,
                d.since,
                *_evidence_cells(d.evidence),
                "、".join(f"{c.title or '本版本'} {c.on}" for c in d.amended_after_start),
            ]
            for i in self.items
            for d in i.delegations
        ]
        return Sheet(title="在行赋权", columns=[*columns, "赋权后修改"], rows=rows)

    def _cases_sheet(self) -> Sheet:
        columns = ["案件编号", "事项编码", "状态", "发生街道", "发生日期"]
        rows = [
            [k.id, i.code, k.status, k.street_name, k.occurred_on]
            for i in self.items
            for k in i.open_cases
        ]
        return Sheet(title="未结案件", columns=columns, rows=rows)


@unit_of_work(metadata={"query": "impact"})
def impact(
    tx: ManagedTransaction, *, document: str, article: int | None = None, as_of: date
) -> Impact:
    """Everything resting on a document (by id or title) or one of its articles, on as_of."""
    record = tx.run(
        IMPACT, document=document, documentKey=document_key(document), article=article, asOf=as_of
    ).single()
    asked = {"asked": document, "article": article, "as_of": as_of}
    if record is None:
        return Impact(**asked, found=False)
    row = natives(record.data())
    changes = [DocumentChange(**change) for change in row["changes"]]
    if row["versionDate"] is not None:
        changes.append(DocumentChange(kind=VERSION, on=row["versionDate"]))
    return Impact(
        **asked,
        found=True,
        document_id=row["documentId"],
        title=row["title"],
        rank=row["rank"],
        status=row["status"] or DocumentStatus.UNKNOWN.value,
        version_date=row["versionDate"],
        effective_to=row["effectiveTo"],
        changes=changes,
        items=[_item(item, changes) for item in row["items"]],
    )


def _item(row: dict, changes: list[DocumentChange]) -> ImpactedItem:
    return ImpactedItem(
        code=row["code"],
        name=row["name"],
        type=row["type"],
        cited=[c["target"] for c in row["cited"]],
        citations=sorted({c["raw"] for c in row["cited"] if c["raw"]}),
        only_basis=row["onlyBasis"],
        catalogs=[catalog_listing(c) for c in row["catalogs"]],
        delegations=[_delegation(d, changes) for d in row["delegations"]],
        open_cases=[
            OpenCase(
                id=k["id"],
                status=k["status"],
                occurred_on=k["occurredOn"],
                filed_at=k["filedAt"],
                street_code=k["streetCode"],
                street_name=k["streetName"],
            )
            for k in row["openCases"]
        ],
    )


def catalog_listing(row: dict | None) -> CatalogListing | None:
    """A catalog row as the queries return it (id, title, docNumber, kind, effective, row)."""
    if row is None:
        return None
    return CatalogListing(
        id=row["id"],
        title=row["title"],
        doc_number=row["docNumber"],
        kind=row["kind"],
        effective=row["effective"],
        row=row["row"],
        superseded_on=row.get("supersededOn"),
    )


def _delegation(row: dict, changes: list[DocumentChange]) -> DelegationInForce:
    # A change dated after the delegation began: the catalog cited a text that has since changed.
    after = [c for c in changes if c.on is not None and c.on > row["since"]]
    return DelegationInForce(
        id=row["id"],
        mode=row["mode"],
        since=row["since"],
        until=row["until"],
        street_code=row["streetCode"],
        street_name=row["streetName"],
        department_id=row["departmentId"],
        department_name=row["departmentName"],
        evidence=catalog_listing(row["evidence"]),
        amended_after_start=after,
    )


def _evidence_cells(evidence: CatalogListing | None) -> list[Cell]:
    if evidence is None:
        return ["未记录", None, None]
    return [evidence.title, evidence.doc_number, evidence.row]
