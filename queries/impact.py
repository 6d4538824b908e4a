"""What a law amendment breaks (法律修改影响): totals, counts per county and mode, items by page.

A national law's article can rest under thousands of items and tens of thousands of delegations,
so the answer is a summary whose size does not grow with them: the totals, a line per county
(地区) and per delegation mode, and one page of the items (by code) with what each needs — its
catalog rows, how many delegations it has in force and where, its open cases. The delegations
themselves are listed for one item at a time, also by page (`item`, `offset`, `limit`); asked
about one item, the whole answer is about that item, so drilling down costs the item's size.
"""

from __future__ import annotations

from datetime import date, datetime

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from loaders.citations import document_key
from loaders.numerals import chinese_numeral
from queries.answers import Answer, Cell, Sheet, record_natives
from queries.cypher_files import cypher
from queries.law_versions import (
    LawVersionInfo,
    cited_version,
    follow_article,
    in_force,
    update_sentence,
)
from queries.lookups import QueryInputError
from queries.pages import MAX_PAGE_SIZE
from schema.enums import DocumentStatus

IMPACT = cypher("impact")
IMPACT_DELEGATIONS = cypher("impact_delegations")
IMPACT_VERSIONS = cypher("impact_versions")
VERSION = "version"  # a change kind: the recorded version of the text itself (版本日期)
DEFAULT_LIMIT = 50  # items (or one item's delegations) per page


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
    """An item resting on the document: its citations, catalog rows, counts and open cases."""

    code: str
    name: str
    type: str | None = None
    cited: list[str]  # provision ids (or the document id) the item's BASED_ON links reach
    citations: list[str]  # the citation texts as read from the catalog cell
    only_basis: bool  # every BASED_ON of the item reaches this document
    catalogs: list[CatalogListing] = Field(default_factory=list)
    delegation_count: int = Field(
        description="Its delegations in force on the day asked (在行赋权数)"
    )
    street_count: int = Field(description="Streets holding one of them (涉及街道数)")
    amended_after_delegation: int = Field(
        description="Of those, begun before the document's latest change or version (赋权后修改)"
    )
    open_cases: list[OpenCase] = Field(default_factory=list)
    needs_update: list[str] = Field(
        default_factory=list,
        description="Its citations of a version since replaced, with the new article where "
        "known (依据需更新)",
    )
    delegations: list[DelegationInForce] = Field(
        default_factory=list,
        description="A page of its delegations in force, by street code (在行赋权明细); listed "
        "only when this item is asked for (`item`), else empty: see delegation_count",
    )


class ImpactTotals(BaseModel):
    """Counts over everything resting on the document or article (合计), never cut by a page;
    with an item asked for, over that item alone."""

    items: int = Field(description="Items resting on it (受影响事项)")
    only_basis_items: int = Field(description="Of those, resting on this document alone (唯一依据)")
    catalog_listings: int = Field(
        description="Catalog rows listing them, effective by then (目录行)"
    )
    delegations: int = Field(description="Their delegations in force on the day asked (在行赋权)")
    amended_after_delegation: int = Field(
        description="Of those, begun before the document's latest change or version (赋权后修改)"
    )
    streets: int = Field(description="Streets holding one of those delegations (涉及街道)")
    regions: int = Field(description="Counties of those streets (涉及地区)")
    open_cases: int = Field(description="Cases about the items not yet closed (未结案件)")


class RegionImpact(BaseModel):
    """One county's share of the impact (按地区): its streets' delegations in force."""

    code: str | None = Field(description="Region code (区划编码); none: streets in no region")
    name: str | None = Field(description="Region name (区划名称)")
    items: int = Field(description="Items with a delegation in force there (事项)")
    delegations: int = Field(description="Delegations in force to its streets (在行赋权)")
    streets: int = Field(description="Its streets holding one (街道)")
    amended_after_delegation: int = Field(
        description="Of those delegations, begun before the document's latest change (赋权后修改)"
    )


class ModeImpact(BaseModel):
    """Delegations in force of one mode (按赋权方式): 赋权, 委托 or 派驻."""

    mode: str = Field(description="How the power is handed down (赋权方式)")
    delegations: int = Field(description="Delegations in force of that mode (在行赋权)")


class Impact(Answer):
    """Impact of a document (or one article). `found` is False when no document has the id or
    the normalised title asked for (中华人民共和国 and 《》 optional)."""

    asked: str
    article: int | None = None
    as_of: date
    item: str | None = Field(
        default=None,
        description="The one item asked about, by code (事项编码): the totals, breakdowns and "
        "page are then about it alone; none: every item",
    )
    offset: int = Field(
        default=0, description="Rows before this page: of the items, or of the item's delegations"
    )
    limit: int = Field(default=DEFAULT_LIMIT, description="Most rows this page may hold (每页)")
    found: bool
    document_id: str | None = None
    title: str | None = None
    rank: str | None = None
    status: str = DocumentStatus.UNKNOWN.value
    version_date: date | None = None
    effective_to: date | None = None
    changes: list[DocumentChange] = Field(default_factory=list)
    versions: list[LawVersionInfo] = Field(
        default_factory=list, description="The law's versions, oldest first (法律版本)"
    )
    version_in_force: LawVersionInfo | None = Field(
        default=None, description="Its version in force on the day asked (现行版本)"
    )
    totals: ImpactTotals | None = Field(default=None, description="Counts over all (合计)")
    by_region: list[RegionImpact] = Field(
        default_factory=list, description="Each county's share, by code (按地区)"
    )
    by_mode: list[ModeImpact] = Field(
        default_factory=list, description="Delegations in force per mode (按赋权方式)"
    )
    items: list[ImpactedItem] = Field(
        default_factory=list,
        description="This page of the items resting on it, by code (受影响事项); with `item`, "
        "that item alone",
    )

    @computed_field
    @property
    def repealed(self) -> bool:
        return self.status == DocumentStatus.REPEALED.value or any(
            change.kind == "REPEALS" for change in self.changes
        )

    @computed_field
    @property
    def left_without_basis(self) -> int:
        """Items whose ONLY basis is this document, when it is repealed (依据已废止): a count."""
        return self.totals.only_basis_items if self.repealed and self.totals else 0

    @computed_field
    @property
    def page_total(self) -> int:
        """Rows of the list this page cuts (本页所在列表总数): the items, or the item's delegations."""
        if self.item is None:
            return self.totals.items if self.totals else 0
        return self.items[0].delegation_count if self.items else 0

    @computed_field
    @property
    def next_offset(self) -> int | None:
        """The offset of the next page (下一页); none when this page is the last."""
        shown = len(self.items[0].delegations if self.item and self.items else self.items)
        following = self.offset + shown
        return following if shown and following < self.page_total else None

    @computed_field
    @property
    def flags(self) -> list[str]:
        """Not found, repealed sole basis, amended after delegation: as sentences (提示)."""
        notes = [] if self.found else [f"未找到文件 {self.asked!r}"]
        if self.found and self.item and not self.items:
            notes.append(f"事项 {self.item} 不以本文件(条款)为依据")
        if self.left_without_basis:
            notes.append(f"仅以本文件为依据且本文件已废止: {self.left_without_basis} 项事项")
        if self.totals and self.totals.amended_after_delegation:
            count = self.totals.amended_after_delegation
            notes.append(f"赋权开始后文件又有修改或新版本: {count} 项赋权")
        outdated = [i.code for i in self.items if i.needs_update]
        if outdated:
            notes.append(f"本页 {len(outdated)} 项事项的依据需更新: " + "、".join(outdated))
        return notes

    @computed_field
    @property
    def explanation(self) -> str:
        """The totals and what this page shows, in a sentence or three (说明)."""
        if not self.found or self.totals is None:
            return f"未找到文件 {self.asked!r}。"
        t = self.totals
        if self.item is not None and not self.items:
            return f"{self._scope_name()}:事项 {self.item} 不以其为依据。"
        if not t.items:
            return f"{self._scope_name()}:没有执法事项以其为依据。"
        if self.item is not None:
            only = "(唯一依据)" if t.only_basis_items else ""
            text = f"{self._scope_name()}:事项 {self.item} 以其为依据{only},目录行 {t.catalog_listings} 条;"
        else:
            text = (
                f"{self._scope_name()}:{t.items} 项执法事项以其为依据(其中 {t.only_basis_items} 项"
                f"仅以其为依据),目录行 {t.catalog_listings} 条;"
            )
        text += (
            f"{self.as_of} 在行赋权 {t.delegations} 项,涉及 {t.regions} 个地区、{t.streets} 个街道;"
            f"未结案件 {t.open_cases} 件。"
        )
        return text + self._showing()

    def sheets(self) -> list[Sheet]:
        return [
            self._document_sheet(),
            Sheet(title="说明", columns=["说明"], rows=[[self.explanation]]),
            self._totals_sheet(),
            self._regions_sheet(),
            self._modes_sheet(),
            self._items_sheet(),
            self._catalogs_sheet(),
            self._delegations_sheet(),
            self._cases_sheet(),
        ]

    def _scope_name(self) -> str:
        scope = f"第{chinese_numeral(self.article)}条" if self.article else ""
        return f"《{self.title or self.asked}》{scope}"

    def _showing(self) -> str:
        """ "Showing a–b of n" for the page, and how to get the next one (分页说明)."""
        what = "事项按编码排列" if self.item is None else "其在行赋权按街道编码排列"
        shown = len(self.items[0].delegations if self.item else self.items)
        if not self.page_total:
            return ""
        if not shown:
            return f"{what},共 {self.page_total} 项;本页(offset {self.offset},limit {self.limit})无内容。"
        text = (
            f"{what},本页显示第 {self.offset + 1}–{self.offset + shown} 项,共 {self.page_total} 项"
        )
        if self.next_offset is None:
            return text + "。"
        return text + f";下一页用 offset {self.next_offset}。"

    def _document_sheet(self) -> Sheet:
        scope = f"第{chinese_numeral(self.article)}条" if self.article else "全文"
        changes = "、".join(f"{c.kind} {c.title or ''} {c.on or '日期未知'}" for c in self.changes)
        columns = ["文件", "范围", "效力层级", "时效性", "版本日期", "修改/废止记录", "查询日期"]
        row: list[Cell] = [self.title or self.asked, scope, self.rank, self.status]
        row += [self.version_date, changes, self.as_of, ";".join(self.flags)]
        return Sheet(title="法律文件", columns=[*columns, "提示"], rows=[row])

    def _totals_sheet(self) -> Sheet:
        columns = ["受影响事项", "唯一依据事项", "目录行", "在行赋权", "赋权后修改"]
        columns += ["涉及街道", "涉及地区", "未结案件"]
        t = self.totals
        rows: list[list[Cell]] = []
        if t is not None:
            rows.append([t.items, t.only_basis_items, t.catalog_listings, t.delegations])
            rows[0] += [t.amended_after_delegation, t.streets, t.regions, t.open_cases]
        return Sheet(title="合计", columns=columns, rows=rows)

    def _regions_sheet(self) -> Sheet:
        columns = ["区划编码", "区划名称", "事项", "在行赋权", "街道", "赋权后修改"]
        rows = [
            [r.code, r.name, r.items, r.delegations, r.streets, r.amended_after_delegation]
            for r in self.by_region
        ]
        return Sheet(title="按地区", columns=columns, rows=rows)

    def _modes_sheet(self) -> Sheet:
        rows = [[m.mode, m.delegations] for m in self.by_mode]
        return Sheet(title="按赋权方式", columns=["方式", "在行赋权"], rows=rows)

    def _items_sheet(self) -> Sheet:
        columns = ["事项编码", "事项名称", "引用条款", "唯一依据", "在行赋权数", "涉及街道数"]
        rows = [
            [
                i.code,
                i.name,
                "、".join(i.cited),
                i.only_basis,
                i.delegation_count,
                i.street_count,
                len(i.open_cases),
                ";".join(i.needs_update),
            ]
            for i in self.items
        ]
        title = "受影响事项" if self.item else f"受影响事项({self._page_range(len(self.items))})"
        return Sheet(title=title, columns=[*columns, "未结案件数", "依据需更新"], rows=rows)

    def _page_range(self, shown: int) -> str:
        if not shown:
            return f"共 {self.page_total} 项,本页无"
        return f"第 {self.offset + 1}–{self.offset + shown} 项,共 {self.page_total} 项"

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
        shown = sum(len(i.delegations) for i in self.items)
        title = f"在行赋权({self._page_range(shown)})" if self.item and self.items else "在行赋权"
        return Sheet(title=title, columns=[*columns, "赋权后修改"], rows=rows)

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
    tx: ManagedTransaction,
    *,
    document: str,
    article: int | None = None,
    as_of: date,
    item: str | None = None,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Impact:
    """What rests on a document (by id or title) or one of its articles on as_of: totals, counts
    per county and mode, and items offset…offset+limit by code — or, given an item code, the
    same about that item alone, with its delegations in force offset…offset+limit by street code."""
    check_page(offset, limit)
    record = tx.run(
        IMPACT,
        document=document,
        documentKey=document_key(document),
        article=article,
        asOf=as_of,
        item=item,
        offset=offset,
        limit=limit,
    ).single()
    asked = {"asked": document, "article": article, "as_of": as_of, "item": item}
    asked |= {"offset": offset, "limit": limit}
    if record is None:
        return Impact(**asked, found=False)
    row = record_natives(record)
    changes = [DocumentChange(**change) for change in row["changes"]]
    if row["versionDate"] is not None:
        changes.append(DocumentChange(kind=VERSION, on=row["versionDate"]))
    items = [_item(found) for found in row["page"]]
    if item is not None and items:
        listed = _delegations(tx, item, as_of, offset, limit, changes)
        items = [items[0].model_copy(update={"delegations": listed})]
    versions, items = _read_versions(tx, row["documentId"], row["title"], article, as_of, items)
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
        versions=versions,
        version_in_force=in_force(versions, as_of),
        totals=ImpactTotals(**_snake(row["totals"])),
        by_region=[RegionImpact(**_snake(r)) for r in row["byRegion"]],
        by_mode=[ModeImpact(**m) for m in row["byMode"]],
        items=items,
    )


def _read_versions(
    tx: ManagedTransaction,
    document_id: str,
    title: str | None,
    article: int | None,
    as_of: date,
    items: list[ImpactedItem],
) -> tuple[list[LawVersionInfo], list[ImpactedItem]]:
    """The law's versions, and each page item's citations of a version replaced by as_of."""
    codes = [i.code for i in items]
    record = tx.run(
        IMPACT_VERSIONS, documentId=document_id, itemCodes=codes, article=article
    ).single()
    if record is None:
        return [], items
    row = record_natives(record)
    versions = [LawVersionInfo.from_row(v) for v in row["versions"]]
    current = in_force(versions, as_of)
    if current is None:
        return versions, items
    notes: dict[str, list[str]] = {}
    for citation in row["citations"]:
        cited, _how = cited_version(versions, citation["versionNote"], citation["catalogEffective"])
        if cited is None or cited.version_date >= current.version_date:
            continue
        moved = follow_article(versions, cited, current, citation["article"])
        note = update_sentence(title or document_id, cited, current, citation["article"], moved)
        if note not in notes.setdefault(citation["itemCode"], []):
            notes[citation["itemCode"]].append(note)
    return versions, [i.model_copy(update={"needs_update": notes.get(i.code, [])}) for i in items]


def check_page(offset: int, limit: int) -> None:
    """offset ≥ 0 and 0 ≤ limit ≤ MAX_PAGE_SIZE, else a QueryInputError saying which."""
    if offset < 0:
        raise QueryInputError(f"offset must be 0 or more (got {offset})")
    if not 0 <= limit <= MAX_PAGE_SIZE:
        raise QueryInputError(f"limit must be between 0 and {MAX_PAGE_SIZE} (got {limit})")


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


def _item(row: dict) -> ImpactedItem:
    return ImpactedItem(
        code=row["code"],
        name=row["name"],
        type=row["type"],
        cited=[c["target"] for c in row["cited"]],
        citations=sorted({c["raw"] for c in row["cited"] if c["raw"]}),
        only_basis=row["onlyBasis"],
        catalogs=[catalog_listing(c) for c in row["catalogs"]],
        delegation_count=row["delegations"],
        street_count=row["streets"],
        amended_after_delegation=row["amendedAfterDelegation"],
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


def _delegations(
    tx: ManagedTransaction,
    item: str,
    as_of: date,
    offset: int,
    limit: int,
    changes: list[DocumentChange],
) -> list[DelegationInForce]:
    """One page of the item's delegations in force, by street code then id (赋权明细)."""
    record = tx.run(IMPACT_DELEGATIONS, item=item, asOf=as_of, offset=offset, limit=limit).single()
    rows = record_natives(record)["delegations"] if record else []
    return [_delegation(d, changes) for d in rows]


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


def _snake(row: dict) -> dict:
    """camelCase keys of a Cypher map as the models' snake_case names."""
    return {"".join(f"_{c.lower()}" if c.isupper() else c for c in k): v for k, v in row.items()}


def _evidence_cells(evidence: CatalogListing | None) -> list[Cell]:
    if evidence is None:
        return ["未记录", None, None]
    return [evidence.title, evidence.doc_number, evidence.row]
