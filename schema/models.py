"""The graph model as pydantic models (图模型): one class per label and per relationship type.

These models are the single source of truth: loaders validate into them, writers dump them into
Cypher parameters, GraphQL types are built from them, and a test checks that
`schema/constraints/` holds a uniqueness constraint on every node's business key.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schema.enums import (
    CaseStatus,
    CatalogKind,
    DelegationMode,
    DelegationStatus,
    DepartmentKind,
    DiscretionKind,
    DisputeStatus,
    DocumentRank,
    DocumentStatus,
    ItemType,
    OfficerRole,
    PostingMode,
    RegionLevel,
    StreetKind,
    UnitKind,
)
from schema.labels import Label, Rel


class Provenance(BaseModel):
    """Where a fact came from (来源): the catalog (or data file) and the row in it."""

    model_config = ConfigDict(frozen=True)
    catalog: str | None = None  # Catalog.id, or the data file's id for organisation data
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


class GraphModel(BaseModel):
    """Shared behaviour: flatten to Neo4j properties (no nested maps in Neo4j)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)
    source: Provenance | None = None

    def to_properties(self) -> dict[str, Any]:
        props = self.model_dump(exclude={"source"}, mode="python")
        if self.source is not None:
            props.update({f"source_{k}": v for k, v in self.source.model_dump().items()})
        return props


class Node(GraphModel):
    label: ClassVar[Label]
    key: ClassVar[str] = "id"

    @property
    def key_value(self) -> str:
        return str(getattr(self, self.key))


class Temporal(BaseModel):
    """A validity interval (有效期): valid_to None means still in force."""

    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Temporal:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


# -- nodes ------------------------------------------------------------------------------------


class Region(Node):
    """行政区划: a province, city or county, keyed by its GB/T 2260 code."""

    label: ClassVar[Label] = Label.REGION
    key: ClassVar[str] = "code"
    code: str
    name: str
    level: RegionLevel


class Street(Node):
    """街道 / 乡镇: a sub-district or township."""

    label: ClassVar[Label] = Label.STREET
    key: ClassVar[str] = "code"
    code: str
    name: str
    kind: StreetKind
    delegation_mode: DelegationMode | None = None  # how the town takes county powers (seed 004)


class StreetFact(Node, Temporal):
    """组织沿革: one dated fact of a street — its working mode (赋权 / 派驻) or its name for a
    period (valid_from through valid_to, both days included; None: open), with the notice that
    set it; `(:Street)-[:HAS_FACT]->(:StreetFact)-[:DEFINED_IN]->(:LegalDocument)`.
    A street with no fact of a kind keeps its undated property (delegation_mode, name)."""

    label: ClassVar[Label] = Label.STREET_FACT
    id: str  # street code + '|' + fact + '|' + the first day (or '-' when always)
    fact: str  # mode / name
    value: str
    basis: str | None = None  # LegalDocument.id of the notice


class DepartmentFact(Node, Temporal):
    """机构改革: a department's name for a period (valid_from through valid_to, both days
    included; None: open), with the notice that set it, as a street's StreetFact:
    `(:Department)-[:HAS_FACT]->(:DepartmentFact)-[:DEFINED_IN]->(:LegalDocument)`.
    A department with no name fact keeps its undated `name`."""

    label: ClassVar[Label] = Label.DEPARTMENT_FACT
    id: str  # department id + '|name|' + the first day (or '-' when always)
    fact: str  # name
    value: str
    basis: str | None = None  # LegalDocument.id of the notice


class Zone(Node, Temporal):
    """片区: a joint-enforcement zone grouping several streets (seed 000)."""

    label: ClassVar[Label] = Label.ZONE
    id: str
    name: str


class Department(Node):
    """部门: a county (or higher) department, e.g. 城市管理和综合执法局, 司法局, 区委编办."""

    label: ClassVar[Label] = Label.DEPARTMENT
    id: str
    name: str
    level: RegionLevel | None = None
    kind: DepartmentKind | None = None


class Unit(Node):
    """执法单位: a brigade, squad, street team or center, or a posted station."""

    label: ClassVar[Label] = Label.UNIT
    id: str
    name: str
    kind: UnitKind
    joint_meetings: list[date] = Field(default_factory=list)  # 统筹指挥会议 held (seed 003)


class Category(Node):
    """执法类别: an item category led by a sector department (seed 000: 应急管理, 市场监管, …)."""

    label: ClassVar[Label] = Label.CATEGORY
    id: str
    name: str


class LegalDocument(Node):
    """法律文件: a law, regulation, rule or normative document, in one version."""

    label: ClassVar[Label] = Label.LEGAL_DOCUMENT
    id: str  # normalised title key (loaders.citations.document_key)
    title: str
    rank: DocumentRank = DocumentRank.UNKNOWN
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    promulgated: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    version_date: date | None = None
    current_version_date: date | None = None  # the newest LawVersion whose text is loaded
    status: DocumentStatus = DocumentStatus.UNKNOWN
    text_loaded: bool = False
    text_excerpt: bool = False  # the loaded text holds only some articles (loaders.law_texts)
    last_article: int | None = None  # the law's last article, where known


class LawVersion(Node):
    """法律版本: one dated text of a law (公布 / 修正 / 修订), `(:LawVersion)-[:VERSION_OF]->(:LegalDocument)`.

    Known from any loaded text's version line (修改沿革), with its own articles only when a file
    holds that version's text; its articles are provisions whose document_id is the version's
    id. A later version AMENDS (修正) or REPLACES (修订) the one before it; a version is in
    force from its `effective_from` until the next version's (queries.law_versions)."""

    label: ClassVar[Label] = Label.LAW_VERSION
    id: str  # document id + '@' + the version's date: 行政处罚法@2017-09-01
    document_id: str
    version_date: date  # the day it was passed (通过) or amended (修正 / 修订)
    kind: str  # 通过 / 公布 / 修正 / 修订, as the version line says
    note: str | None = None  # the version line's words for it
    effective_from: date | None = None  # 施行; the version date when no file says otherwise
    effective_known: bool = False  # a 施行 date was given (else effective_from is the version date)
    text_loaded: bool = False
    text_excerpt: bool = False
    last_article: int | None = None
    # Where the previous version's articles went in this one ("15:17"), with the source.
    previous_articles: list[str] | None = None
    previous_articles_source: str | None = None
    source_file: str | None = None


class Provision(Node):
    """条款: one article (条), paragraph (款) or item (项) of a legal document."""

    label: ClassVar[Label] = Label.PROVISION
    id: str  # see make_id: 行政处罚法#24, 行政处罚法#118.1.3 (article.paragraph.item)
    document_id: str
    article: int
    paragraph: int | None = None
    item: int | None = None
    text: str | None = None

    @staticmethod
    def make_id(document_id: str, article: int, paragraph: int | None, item: int | None) -> str:
        """Article-level ids are `doc#N`; below it `doc#N.P.I`, 0 where a level is not given."""
        if paragraph is None and item is None:
            return f"{document_id}#{article}"
        return f"{document_id}#{article}.{paragraph or 0}.{item or 0}"


class EnforcementItem(Node):
    """执法事项: one administrative power, e.g. a penalty for a named violation."""

    label: ClassVar[Label] = Label.ENFORCEMENT_ITEM
    key: ClassVar[str] = "code"
    code: str
    name: str
    type: ItemType
    domain: str | None = None
    basis_raw: str | None = None  # the legal-basis cell exactly as published


class GuideItem(Node):
    """指导事项: one row of a province's guide list (省级指导目录). A county takes it up by listing
    an item of its own; the guide delegates nothing and grounds no authority (issue 17.6)."""

    label: ClassVar[Label] = Label.GUIDE_ITEM
    id: str  # the guide list version's id + "#" + the row
    region: str  # the province's code (GB/T 2260)
    code: str | None = None  # 事项编码 as published; None when the row gives none
    name: str
    type: ItemType
    domain: str | None = None
    department: str | None = None  # 实施部门 / 主管部门 as the row names it (text only)
    basis_raw: str | None = None
    articles: list[str] = Field(default_factory=list)  # cited articles, "document key#article"
    raw: str  # the row's cells as JSON keyed by header


class Catalog(Node):
    """目录 / 清单: a published list of items, or a withdrawal / adjustment notice."""

    label: ClassVar[Label] = Label.CATALOG
    id: str
    series: str  # versions of one catalog share a series; a newer one supersedes the older
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    kind: CatalogKind
    effective: date
    published: date | None = None
    source_file: str
    checksum: str  # sha256 of the file's bytes


class Delegation(Node, Temporal):
    """赋权: a county power handed to a street for a period (赋权 / 委托 / 派驻)."""

    label: ClassVar[Label] = Label.DELEGATION
    id: str
    mode: DelegationMode
    status: DelegationStatus = DelegationStatus.ACTIVE
    confirmation: str | None = None  # 赋权确认书 (seed 001)


class Officer(Node, Temporal):
    """执法人员: keyed by certificate number (执法证号); valid_* is the certificate's validity."""

    label: ClassVar[Label] = Label.OFFICER
    id: str = Field(json_schema_extra={"personal": True})  # the certificate number: personal data
    name: str = Field(json_schema_extra={"personal": True})
    certificate_issuer: str | None = None
    domains: list[str] = Field(default_factory=list)
    roles: list[OfficerRole] = Field(default_factory=list)


class Establishment(Node):
    """核定编制: the posts a 编办 approved for a unit or department by a dated document, with the
    staff it reported there (实有) and the auxiliary staff (协管/辅助, never officers). A later
    approval of the same unit replaces it from its own date; nothing is deleted.
    `(:Establishment)-[:OF]->(:Unit or :Department)`; `source` names the file and line."""

    label: ClassVar[Label] = Label.ESTABLISHMENT
    id: str  # the document's number or title + "#" + the unit or department id
    approved_on: date  # 日期: the approval's date, from which it is in force
    document: str  # 文件名称 or 文号 as published
    doc_number: str | None = None
    issuer: str | None = None
    administrative_posts: int = 0  # 行政编制
    institution_posts: int = 0  # 事业编制
    actual: int | None = None  # 实有人数 (在编)
    certified_reported: int | None = None  # 持证执法人员, as the table reports it
    auxiliary: int = 0  # 协管 / 执法辅助人员: never counted as officers


class Case(Node):
    """案件: a case, from its lead to its closing."""

    label: ClassVar[Label] = Label.CASE
    id: str
    filed_at: datetime | None = None
    occurred_on: date | None = None
    status: CaseStatus = CaseStatus.LEAD
    closed_on: date | None = Field(
        None, description="办结日期: the day the case was finished (结案), if recorded"
    )
    # 案情摘要: free text about people and places (a complainant's words, a shop, an address) —
    # personal data, shown only to the roles that may see it, like an officer's name.
    summary: str | None = Field(None, json_schema_extra={"personal": True})


class Transfer(Node):
    """移送: a case handed to the competent body (3 working days, 24 h if urgent; seed 003)."""

    label: ClassVar[Label] = Label.TRANSFER
    id: str
    sent_at: datetime
    received_at: datetime | None = None
    urgent: bool = False
    reason: str | None = None


class Dispute(Node):
    """管辖争议: a jurisdiction dispute over a case (行政处罚法 Art. 25)."""

    label: ClassVar[Label] = Label.DISPUTE
    id: str
    raised_at: datetime
    status: DisputeStatus = DisputeStatus.OPEN
    note: str | None = None  # 争议说明, as raised
    decision: str | None = None
    basis: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None


class Policy(Node, Temporal):
    """地方规则: a local rule as data — its kind, scope, threshold and source document."""

    label: ClassVar[Label] = Label.POLICY
    id: str
    rule: str  # e.g. min_legal_reviewers_per_zone, transfer_deadline_working_days
    threshold: float | None = None
    value: str | None = None  # a non-numeric setting, e.g. the dispute resolver's department id
    description: str
    source_document: str  # the document's title as published (e.g. 泉鲤政办〔2024〕25号)
    source_quote: str | None = None  # the sentence of the source that states the rule


class AuditEntry(Node):
    """审计记录: who wrote what, when, in which role, from which source, and to which record.

    Written in the same transaction as the write it records: one exists exactly when the write
    committed. Entries older than role/source/target have them as None.
    """

    label: ClassVar[Label] = Label.AUDIT_ENTRY
    id: str
    at: datetime
    actor: str
    action: str  # e.g. recordCase, raiseDispute, recordDecision, loadCatalog
    role: str | None = None  # the actor's role when writing (editor, reviewer, admin)
    # Where the write came from: "graphql:<operation>", "upload:<file> sha256:<hex>", "cli".
    # A plain string here, not the Provenance of the other nodes (no catalog row to name).
    source: str | None = None  # type: ignore[assignment]
    target: str | None = None  # the id of what was written (case, transfer, dispute, catalog)
    detail: str | None = None  # JSON of what was submitted

    def to_properties(self) -> dict[str, Any]:
        return self.model_dump(mode="python")


class SchemaMigration(Node):
    """The schema version `authreg migrate` applied (模式版本)."""

    label: ClassVar[Label] = Label.SCHEMA_MIGRATION
    key: ClassVar[str] = "version"
    version: int
    checksum: str
    applied_at: datetime


GRAPH_STATE_ID = "graph"  # the one GraphState node's key


class GraphState(Node):
    """The graph's write counter (图版本号): the writes folded so far.

    Every write transaction CREATEs a GraphWrite marker ({at}: its time) instead of updating a
    shared node; now and then a writer folds the old markers into this node (loaders/write.py
    fold_graph_writes). `generation` + the markers left count committed writes; the newest
    marker's time (else `changed_at`) is the last one's. The API's answer cache keeps an answer
    only while both are what they were when it was read (queries/generation.cypher).
    """

    label: ClassVar[Label] = Label.GRAPH_STATE
    id: str = GRAPH_STATE_ID
    generation: int
    changed_at: datetime


class DutyList(Node):
    """属地管理事项责任清单: a county's list of matters with the town's and departments' duties."""

    label: ClassVar[Label] = Label.DUTY_LIST
    id: str
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    effective: date
    source_file: str
    checksum: str


class DiscretionList(Node):
    """裁量基准 / 不予处罚事项清单: one version of a published list; a newer version of the same
    series (in force on the day asked) replaces the older (queries/discretion.cypher)."""

    label: ClassVar[Label] = Label.DISCRETION_LIST
    id: str  # series + '@' + effective
    series: str
    kind: DiscretionKind
    title: str
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    effective: date
    published: date | None = None
    region: str | None = None  # the issuer's region code: entries link to items held there
    rests_on: list[str] = Field(default_factory=list)  # provision ids (行政处罚法#33)
    source_file: str
    checksum: str


class DutyMatter(Node):
    """One matter (事项) of a duty list: who leads (主体责任) and who assists (配合责任)."""

    label: ClassVar[Label] = Label.DUTY_MATTER
    id: str  # list id + "#" + row
    name: str
    seq: str | None = None  # 序号 as printed
    basis: str | None = None  # 依据, as published


class DiscretionEntry(Node):
    """One row of a discretion list: a violation with its tier (违法情节) and standard (裁量标准),
    or its no-penalty condition (不予处罚的情形); `match` says how it was linked to an item."""

    label: ClassVar[Label] = Label.DISCRETION_ENTRY
    id: str  # list id + '#' + the spreadsheet row (sheet + '!' + row in a workbook)
    row: int
    violation: str
    item_code: str | None = None
    basis: str | None = None
    penalty_basis: str | None = None
    circumstance: str | None = None
    standard: str | None = None
    condition: str | None = None
    department: str | None = None
    match: str  # code / name_and_article / ambiguous / none
    match_note: str | None = None


NODE_MODELS: tuple[type[Node], ...] = (
    Region,
    Street,
    Zone,
    Department,
    Unit,
    Category,
    LegalDocument,
    LawVersion,
    Provision,
    EnforcementItem,
    GuideItem,
    Catalog,
    Delegation,
    Officer,
    Establishment,
    Case,
    Transfer,
    Dispute,
    Policy,
    StreetFact,
    DepartmentFact,
    AuditEntry,
    SchemaMigration,
    GraphState,
    DutyList,
    DutyMatter,
    DiscretionList,
    DiscretionEntry,
)


# -- relationships ----------------------------------------------------------------------------


class Relationship(GraphModel):
    type: ClassVar[Rel]
    start: ClassVar[tuple[Label, ...]]
    end: ClassVar[tuple[Label, ...]]


class PartOf(Relationship):
    type: ClassVar[Rel] = Rel.PART_OF
    start: ClassVar[tuple[Label, ...]] = (
        Label.STREET,
        Label.ZONE,
        Label.DEPARTMENT,
        Label.UNIT,
        Label.REGION,
    )
    end: ClassVar[tuple[Label, ...]] = (Label.REGION, Label.DEPARTMENT, Label.STREET, Label.UNIT)


class InZone(Relationship, Temporal):
    type: ClassVar[Rel] = Rel.IN_ZONE
    start: ClassVar[tuple[Label, ...]] = (Label.STREET,)
    end: ClassVar[tuple[Label, ...]] = (Label.ZONE,)


class CoordinatedBy(Relationship):
    type: ClassVar[Rel] = Rel.COORDINATED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.ZONE,)
    end: ClassVar[tuple[Label, ...]] = (Label.UNIT,)


class Amends(Relationship):
    """A later text amends an earlier one: documents, or versions of one law (修正)."""

    type: ClassVar[Rel] = Rel.AMENDS
    start: ClassVar[tuple[Label, ...]] = (Label.LEGAL_DOCUMENT, Label.LAW_VERSION)
    end: ClassVar[tuple[Label, ...]] = (Label.LEGAL_DOCUMENT, Label.LAW_VERSION)
    effective: date | None = None


class Repeals(Amends):
    type: ClassVar[Rel] = Rel.REPEALS


class Replaces(Amends):
    type: ClassVar[Rel] = Rel.REPLACES


class In(Relationship):
    type: ClassVar[Rel] = Rel.IN
    start: ClassVar[tuple[Label, ...]] = (Label.PROVISION, Label.DISCRETION_ENTRY)
    end: ClassVar[tuple[Label, ...]] = (
        Label.LEGAL_DOCUMENT,
        Label.LAW_VERSION,
        Label.DISCRETION_LIST,
    )


class VersionOf(Relationship):
    type: ClassVar[Rel] = Rel.VERSION_OF
    start: ClassVar[tuple[Label, ...]] = (Label.LAW_VERSION,)
    end: ClassVar[tuple[Label, ...]] = (Label.LEGAL_DOCUMENT,)


class BasedOn(Relationship):
    """An item rests on a provision; raw keeps the citation text the parser read."""

    type: ClassVar[Rel] = Rel.BASED_ON
    start: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)
    end: ClassVar[tuple[Label, ...]] = (Label.PROVISION, Label.LEGAL_DOCUMENT)
    role: str = "实施依据"
    raw: str


class HeldBy(Relationship):
    type: ClassVar[Rel] = Rel.HELD_BY
    start: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)
    end: ClassVar[tuple[Label, ...]] = (Label.DEPARTMENT,)


class InCategory(Relationship):
    type: ClassVar[Rel] = Rel.IN_CATEGORY
    start: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)
    end: ClassVar[tuple[Label, ...]] = (Label.CATEGORY,)


class LedBy(Relationship):
    type: ClassVar[Rel] = Rel.LED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.CATEGORY,)
    end: ClassVar[tuple[Label, ...]] = (Label.DEPARTMENT,)


class Lists(Relationship):
    type: ClassVar[Rel] = Rel.LISTS
    start: ClassVar[tuple[Label, ...]] = (Label.CATALOG,)
    end: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)
    row: int
    raw: str  # the catalog row's cells, as read
    handling: str | None = None  # 办理层级: town / county_team (loaders/handling.py, seed 002)


class Supersedes(Relationship):
    """A newer version of a catalog replaces an older one of the same series."""

    type: ClassVar[Rel] = Rel.SUPERSEDES
    start: ClassVar[tuple[Label, ...]] = (Label.CATALOG,)
    end: ClassVar[tuple[Label, ...]] = (Label.CATALOG,)


class DelegationFrom(Relationship):
    type: ClassVar[Rel] = Rel.FROM
    start: ClassVar[tuple[Label, ...]] = (Label.DELEGATION, Label.TRANSFER)
    end: ClassVar[tuple[Label, ...]] = (Label.DEPARTMENT, Label.STREET)


class DelegationTo(Relationship):
    type: ClassVar[Rel] = Rel.TO
    start: ClassVar[tuple[Label, ...]] = (Label.DELEGATION, Label.TRANSFER)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)


class Of(Relationship):
    type: ClassVar[Rel] = Rel.OF
    start: ClassVar[tuple[Label, ...]] = (Label.DELEGATION,)
    end: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)


class AuthorizedBy(Relationship):
    type: ClassVar[Rel] = Rel.AUTHORIZED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.DELEGATION,)
    end: ClassVar[tuple[Label, ...]] = (Label.CATALOG, Label.LEGAL_DOCUMENT)
    row: int | None = None


class EndedBy(Relationship):
    """The catalog version or notice (收回 / 动态调整) that ended a delegation."""

    type: ClassVar[Rel] = Rel.ENDED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.DELEGATION,)
    end: ClassVar[tuple[Label, ...]] = (Label.CATALOG,)


class MemberOf(Relationship):
    type: ClassVar[Rel] = Rel.MEMBER_OF
    start: ClassVar[tuple[Label, ...]] = (Label.OFFICER,)
    end: ClassVar[tuple[Label, ...]] = (Label.UNIT,)


class PostedTo(Relationship, Temporal):
    type: ClassVar[Rel] = Rel.POSTED_TO
    start: ClassVar[tuple[Label, ...]] = (Label.OFFICER,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.ZONE)
    mode: PostingMode
    department_id: str | None = None  # the delegating department the officer is linked for


class Concerns(Relationship):
    type: ClassVar[Rel] = Rel.CONCERNS
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)


class OccurredIn(Relationship):
    type: ClassVar[Rel] = Rel.OCCURRED_IN
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET,)


class HandledBy(Relationship):
    type: ClassVar[Rel] = Rel.HANDLED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    filed_at: datetime | None = None


class HandledByOfficer(Relationship):
    type: ClassVar[Rel] = Rel.HANDLED_BY_OFFICER
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.OFFICER,)


class HasTransfer(Relationship):
    type: ClassVar[Rel] = Rel.HAS_TRANSFER
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.TRANSFER,)


class ReceivedBy(Relationship):
    """A matter (首问) to the body that received it; the time and channel are on the case."""

    type: ClassVar[Rel] = Rel.RECEIVED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)


class RepliedBy(Relationship):
    """A matter to the body that replied to the complainant (答复); the time is on the case."""

    type: ClassVar[Rel] = Rel.REPLIED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.CASE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)


class About(Relationship):
    type: ClassVar[Rel] = Rel.ABOUT
    start: ClassVar[tuple[Label, ...]] = (Label.DISPUTE,)
    end: ClassVar[tuple[Label, ...]] = (Label.CASE,)


class Claimant(Relationship):
    type: ClassVar[Rel] = Rel.CLAIMANT
    start: ClassVar[tuple[Label, ...]] = (Label.DISPUTE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    stance: str = "claims"  # claims / disclaims


class ResolvedBy(Relationship):
    type: ClassVar[Rel] = Rel.RESOLVED_BY
    start: ClassVar[tuple[Label, ...]] = (Label.DISPUTE,)
    end: ClassVar[tuple[Label, ...]] = (Label.DEPARTMENT,)


class DecidedFor(Relationship):
    type: ClassVar[Rel] = Rel.DECIDED_FOR
    start: ClassVar[tuple[Label, ...]] = (Label.DISPUTE,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)


class AppliesTo(Relationship):
    type: ClassVar[Rel] = Rel.APPLIES_TO
    start: ClassVar[tuple[Label, ...]] = (Label.POLICY, Label.DISCRETION_ENTRY)
    end: ClassVar[tuple[Label, ...]] = (
        Label.REGION,
        Label.ZONE,
        Label.STREET,
        Label.ENFORCEMENT_ITEM,  # a discretion entry's item, with `match` (loaders/discretion.py)
    )


class DefinedIn(Relationship):
    type: ClassVar[Rel] = Rel.DEFINED_IN
    start: ClassVar[tuple[Label, ...]] = (Label.POLICY, Label.STREET_FACT, Label.DEPARTMENT_FACT)
    end: ClassVar[tuple[Label, ...]] = (Label.LEGAL_DOCUMENT,)


class MatterIn(Relationship):
    type: ClassVar[Rel] = Rel.MATTER_IN
    start: ClassVar[tuple[Label, ...]] = (Label.DUTY_MATTER,)
    end: ClassVar[tuple[Label, ...]] = (Label.DUTY_LIST,)
    row: int


class DutyOf(Relationship):
    """主体责任 (lead) or 配合责任 (assist) of a street or department for a duty matter."""

    type: ClassVar[Rel] = Rel.DUTY_OF
    start: ClassVar[tuple[Label, ...]] = (Label.DUTY_MATTER,)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    role: str  # 主体责任 / 配合责任
    duties: str | None = None  # 具体职责, as published


class Covers(Relationship):
    type: ClassVar[Rel] = Rel.COVERS
    start: ClassVar[tuple[Label, ...]] = (Label.DUTY_LIST,)
    end: ClassVar[tuple[Label, ...]] = (Label.REGION,)


class MatterItem(Relationship):
    type: ClassVar[Rel] = Rel.MATTER_ITEM
    start: ClassVar[tuple[Label, ...]] = (Label.DUTY_MATTER,)
    end: ClassVar[tuple[Label, ...]] = (Label.ENFORCEMENT_ITEM,)


class HasFact(Relationship):
    type: ClassVar[Rel] = Rel.HAS_FACT
    start: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET_FACT, Label.DEPARTMENT_FACT)


class MergedInto(Relationship):
    """撤并: the street is part of `end` from valid_from on; its delegations end that day.
    机构改革: the department's powers pass to `end` (划入) from valid_from on: the successor
    answers for its items and delegations from that day."""

    type: ClassVar[Rel] = Rel.MERGED_INTO
    start: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    end: ClassVar[tuple[Label, ...]] = (Label.STREET, Label.DEPARTMENT)
    valid_from: date
    basis: str | None = None  # LegalDocument.id of the 撤并 / 机构改革 notice


RELATIONSHIP_MODELS: tuple[type[Relationship], ...] = (
    PartOf,
    InZone,
    CoordinatedBy,
    Amends,
    Repeals,
    Replaces,
    In,
    VersionOf,
    BasedOn,
    HeldBy,
    InCategory,
    LedBy,
    Lists,
    Supersedes,
    DelegationFrom,
    DelegationTo,
    Of,
    AuthorizedBy,
    EndedBy,
    MemberOf,
    PostedTo,
    Concerns,
    OccurredIn,
    HandledBy,
    HandledByOfficer,
    HasTransfer,
    ReceivedBy,
    RepliedBy,
    About,
    Claimant,
    ResolvedBy,
    DecidedFor,
    AppliesTo,
    DefinedIn,
    MatterIn,
    DutyOf,
    Covers,
    MatterItem,
    HasFact,
    MergedInto,
)
