"""The graph's nodes and their links, read for many nodes at once (批量读取节点与关系).

The GraphQL types resolve every relationship through a DataLoader: all the keys one request level
asks for go to ONE read here, so a page of 100 items with their departments costs one read for the
departments, not 100. Each `graph_*.cypher` file starts from `UNWIND $keys AS asked`, seeks the
anchor on its unique business key and walks only that node's own relationships, so a read costs
the same per key however large the graph grows. Every asked key gets exactly one row (the anchor is
OPTIONAL MATCHed), numbered by `asked.at`; the answer is validated into the schema's node models and
the small edge models below, whose properties (row, raw, role, mode, validity) live on the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from neo4j import ManagedTransaction
from neo4j.graph import Node as GraphNode
from pydantic import BaseModel, Field, TypeAdapter, model_validator

from queries.answers import native, natives
from queries.cypher_files import cypher
from queries.pages import Page
from schema.labels import Label
from schema.models import (
    NODE_MODELS,
    Case,
    Catalog,
    Category,
    Delegation,
    Department,
    Dispute,
    EnforcementItem,
    LegalDocument,
    Node,
    Officer,
    Provenance,
    Provision,
    Region,
    Street,
    Transfer,
    Unit,
    Zone,
)

K = TypeVar("K")
V = TypeVar("V")
M = TypeVar("M", bound=Node)
MODELS: dict[str, type[Node]] = {model.label.value: model for model in NODE_MODELS}
NODES = cypher("graph_nodes")


class NodeKey(NamedTuple):
    """A node by its label and business key (Street + code, Officer + certificate number …)."""

    label: Label
    key: str


class Dated(NamedTuple):
    """A node's key and the day its links must be in force on (查询日期)."""

    key: str
    as_of: date


class Window(NamedTuple):
    """One page of a node's long list of links: rows skip … skip + limit, in force on as_of."""

    key: str
    as_of: date | None
    skip: int
    limit: int


# -- edge models: a relationship's own properties beside the node it leads to ---------------------


class ItemListing(BaseModel):
    """A catalog row listing an item (目录行): (:Catalog)-[:LISTS {row, raw}]->(:EnforcementItem)."""

    row: int | None = Field(None, description="Spreadsheet row in the catalog file (行号)")
    raw: str | None = Field(None, description="The row's cells as read (原文)")
    catalog: Catalog
    item: EnforcementItem


class ItemBasis(BaseModel):
    """One legal basis of an item (实施依据): (:EnforcementItem)-[:BASED_ON {role, raw}]->(…)."""

    role: str | None = Field(None, description="What the provision is for the item (依据类别)")
    raw: str | None = Field(None, description="The citation as the catalog wrote it (引用原文)")
    item: EnforcementItem
    provision: Provision | None = None  # None: the citation names a whole document
    document: LegalDocument | None = None


class Posting(BaseModel):
    """An officer posted to a street or zone (人员下沉 / 挂钩): POSTED_TO {mode, valid_from, valid_to}."""

    mode: str = Field(description="How the officer serves there: 常驻, 挂钩 or 下沉 (派驻方式)")
    valid_from: date | None = Field(None, description="First day of the posting (起始日)")
    valid_to: date | None = Field(None, description="Last day of the posting; null: open (截止日)")
    officer: Officer
    target: Street | Zone
    department: Department | None = None  # the delegating department the officer is linked for


class DocumentRelation(BaseModel):
    """A document amending, repealing or replacing another (修改 / 废止 / 替代), with its date."""

    kind: str = Field(description="AMENDS, REPEALS or REPLACES (关系类型)")
    effective: date | None = Field(None, description="When the change took effect (生效日)")
    document: LegalDocument


class DelegationSource(BaseModel):
    """What authorized a delegation (赋权依据): (:Delegation)-[:AUTHORIZED_BY {row}]->(…)."""

    row: int | None = Field(None, description="Row of the catalog that lists it (目录行号)")
    source: Catalog | LegalDocument


class DisputeClaim(BaseModel):
    """A party to a jurisdiction dispute and its stance (争议当事方): CLAIMANT {stance}."""

    stance: str | None = Field(None, description="claims or disclaims the case (主张 / 推诿)")
    body: Street | Department


# -- what one anchor's links read at once (internal: the types pick their fields) -----------------


class RegionParts(BaseModel):
    parent: Region | None = None
    regions: list[Region] = []
    streets: list[Street] = []
    zones: list[Zone] = []
    departments: list[Department] = []


class StreetName(BaseModel):
    """A name a street had (原名, 更名) and its days; `note` says it as answers do."""

    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    renamed_by: str | None = None  # the rename notice (更名文件): 文号, else title
    note: str = ""  # 原名 X (至 D)

    @model_validator(mode="after")
    def _said(self) -> StreetName:
        self.note = former_name_note(self.name, self.valid_to)
        return self


def former_name_note(name: str, until: date | None) -> str:
    """原名 城关镇 (至 2023-06-30): how an answer names a street by a name it had (更名)."""
    return f"原名 {name}" + (f" (至 {until.isoformat()})" if until else "")


class StreetParts(BaseModel):
    region: Region | None = None
    units: list[Unit] = []
    former_names: list[StreetName] = []


class ZoneLinks(BaseModel):
    region: Region | None = None
    coordinated_by: list[Unit] = []


class DepartmentName(StreetName):
    """A name a department had (原名, 机构改革: 更名) and its days; `note` says it as answers do."""


class DepartmentParts(BaseModel):
    region: Region | None = None
    units: list[Unit] = []
    former_names: list[DepartmentName] = []


class UnitParts(BaseModel):
    parent: Department | Street | Unit | None = None
    units: list[Unit] = []


class ItemLinks(BaseModel):
    departments: list[Department] = []
    category: Category | None = None


class CategoryLinks(BaseModel):
    led_by: list[Department] = []


class DocumentLinks(BaseModel):
    outgoing: list[DocumentRelation] = []  # this document amends / repeals / replaces these
    incoming: list[DocumentRelation] = []  # these amend / repeal / replace this document


class CatalogVersions(BaseModel):
    supersedes: list[Catalog] = []
    superseded_by: list[Catalog] = []


class DelegationLinks(BaseModel):
    department: Department | None = None
    street: Street | None = None
    item: EnforcementItem | None = None
    authorized_by: list[DelegationSource] = []
    ended_by: list[Catalog] = []


class OfficerLinks(BaseModel):
    units: list[Unit] = []
    postings: list[Posting] = []


class CaseLinks(BaseModel):
    item: EnforcementItem | None = None
    street: Street | None = None
    handled_by: Street | Department | None = None
    officers: list[Officer] = []
    transfers: list[Transfer] = []
    disputes: list[Dispute] = []


class TransferLinks(BaseModel):
    case: Case | None = None
    sender: Street | Department | None = None
    receiver: Street | Department | None = None


class DisputeLinks(BaseModel):
    case: Case | None = None
    claimants: list[DisputeClaim] = []
    resolved_by: list[Department] = []
    decided_for: Street | Department | None = None


class PolicyLinks(BaseModel):
    applies_to: list[Region | Zone | Street] = []
    document: LegalDocument | None = None


class BatchRead(Generic[K, V]):
    """One `queries/<name>.cypher` read for many keys: `read(tx, keys=[…])` → {key: answer}."""

    def __init__(self, name: str, answer: Any) -> None:
        self.name = name
        self.text = cypher(name)
        self.answer: TypeAdapter[V] = TypeAdapter(answer)
        self.metadata = {"query": name}  # read by the driver as unit_of_work metadata
        self.timeout: float | None = None

    def __call__(self, tx: ManagedTransaction, *, keys: list[K]) -> dict[K, V]:
        asked = [{**_fields(key), "at": at} for at, key in enumerate(keys)]
        found = {row["at"]: row["found"] for row in tx.run(self.text, keys=asked)}
        return {
            key: self.answer.validate_python(as_models(found[at])) for at, key in enumerate(keys)
        }


def nodes(tx: ManagedTransaction, *, keys: list[NodeKey]) -> dict[NodeKey, Node | None]:
    """Nodes by label and key (one unique-index seek each); None where no such node exists."""
    by_label: dict[str, list[str]] = {label.value: [] for label in Label}
    for label, key in keys:
        by_label[label].append(key)
    found = {(row["label"], row["key"]): row["node"] for row in tx.run(NODES, keys=by_label)}
    return {key: as_models(found.get((key.label.value, key.key))) for key in keys}


def as_models(value: Any) -> Any:
    """A read's value with every graph node turned into its schema model (recursing into
    lists and maps) and Neo4j's dates into Python's."""
    if isinstance(value, GraphNode):
        return as_node(value)
    if isinstance(value, list):
        return [as_models(v) for v in value]
    if isinstance(value, dict):
        return {k: as_models(v) for k, v in value.items()}
    return native(value)


def as_node(found: GraphNode) -> Node:
    """A graph node as the model of its label (see `node_model`)."""
    [model] = [MODELS[label] for label in found.labels if label in MODELS]
    return node_model(model, dict(found.items()))


def node_model(model: type[M], properties: Mapping[str, Any]) -> M:
    """A schema model from a node's properties: Neo4j dates made Python's, loader provenance
    (source_catalog, source_file, source_sheet, source_row) gathered into `source`, and
    properties the model does not declare (aliases, …) left out."""
    values = natives(dict(properties))
    fields = model.model_fields
    known = {key: value for key, value in values.items() if key in fields}
    provenance = {
        key.removeprefix("source_"): value
        for key, value in values.items()
        if key.startswith("source_")
        and key not in fields  # Catalog.source_file, Policy.source_document are the model's own
        and key.removeprefix("source_") in Provenance.model_fields
    }
    if provenance and "source" in fields:
        known["source"] = Provenance(**provenance)
    return model.model_validate(known)


def _fields(key: Any) -> dict[str, Any]:
    return {"key": key} if isinstance(key, str) else key._asdict()


# -- the reads, one per .cypher file ---------------------------------------------------------------

region_parts = BatchRead[str, RegionParts]("graph_region_parts", RegionParts)
street_parts = BatchRead[str, StreetParts]("graph_street_parts", StreetParts)
street_zones = BatchRead[Dated, list[Zone]]("graph_street_zones", list[Zone])
street_postings = BatchRead[Dated, list[Posting]]("graph_street_postings", list[Posting])
street_delegations = BatchRead[Window, Page[Delegation]](
    "graph_street_delegations", Page[Delegation]
)
street_cases = BatchRead[Window, Page[Case]]("graph_street_cases", Page[Case])
zone_links = BatchRead[str, ZoneLinks]("graph_zone_links", ZoneLinks)
zone_streets = BatchRead[Dated, list[Street]]("graph_zone_streets", list[Street])
zone_postings = BatchRead[Dated, list[Posting]]("graph_zone_postings", list[Posting])
department_parts = BatchRead[str, DepartmentParts]("graph_department_parts", DepartmentParts)
department_items = BatchRead[Window, Page[EnforcementItem]](
    "graph_department_items", Page[EnforcementItem]
)
unit_parts = BatchRead[str, UnitParts]("graph_unit_parts", UnitParts)
unit_officers = BatchRead[Window, Page[Officer]]("graph_unit_officers", Page[Officer])
category_links = BatchRead[str, CategoryLinks]("graph_category_links", CategoryLinks)
item_links = BatchRead[str, ItemLinks]("graph_item_links", ItemLinks)
item_basis = BatchRead[str, list[ItemBasis]]("graph_item_basis", list[ItemBasis])
item_listings = BatchRead[str, list[ItemListing]]("graph_item_listings", list[ItemListing])
item_delegations = BatchRead[Dated, list[Delegation]]("graph_item_delegations", list[Delegation])
document_links = BatchRead[str, DocumentLinks]("graph_document_links", DocumentLinks)
document_provisions = BatchRead[Window, Page[Provision]](
    "graph_document_provisions", Page[Provision]
)
provision_document = BatchRead[str, LegalDocument | None](
    "graph_provision_document", LegalDocument | None
)
provision_items = BatchRead[str, list[ItemBasis]]("graph_provision_items", list[ItemBasis])
catalog_items = BatchRead[Window, Page[ItemListing]]("graph_catalog_items", Page[ItemListing])
catalog_versions = BatchRead[str, CatalogVersions]("graph_catalog_versions", CatalogVersions)
delegation_links = BatchRead[str, DelegationLinks]("graph_delegation_links", DelegationLinks)
officer_links = BatchRead[str, OfficerLinks]("graph_officer_links", OfficerLinks)
case_links = BatchRead[str, CaseLinks]("graph_case_links", CaseLinks)
transfer_links = BatchRead[str, TransferLinks]("graph_transfer_links", TransferLinks)
dispute_links = BatchRead[str, DisputeLinks]("graph_dispute_links", DisputeLinks)
policy_links = BatchRead[str, PolicyLinks]("graph_policy_links", PolicyLinks)
