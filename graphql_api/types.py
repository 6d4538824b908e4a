"""The graph as GraphQL types (图谱类型): each node label with its relationships as fields.

Every type is its schema model's type (`graphql_type`, so properties and their descriptions come
from schema/models.py and glossary.yaml) plus one field per relationship, made by a small factory
(`_link`, `_answer`, `_dated`, `_paged`, `_related`). A resolver gets the pydantic node as its root
and asks a DataLoader (graphql_api.dataloaders), so a relationship costs one database read per
request level however many nodes ask for it. Links that change over time take `asOf` (today,
Beijing time, when omitted). A relationship's own properties (a catalog row, a citation, a
posting's mode) sit on a small edge type beside the node it leads to. Other modules must use
these types for graph nodes, never `graphql_type(models.X)` again (one name, one type).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import Info

from graphql_api.connections import Connection, Fetch, paged
from graphql_api.context import Context
from graphql_api.dataloaders import load
from graphql_api.pydantic_types import graphql_type
from graphql_api.questions import AS_OF, today
from queries import graph
from queries.department_of_day import DepartmentOfDay as DepartmentOfDayModel
from queries.department_of_day import department_of_day_read
from queries.graph import BatchRead, Dated, Window
from queries.zone_item_lists import ZoneItemList as ZoneItemListModel
from queries.zone_item_lists import zone_item_lists
from schema import models

GRAPH_MODELS = (
    models.Region,
    models.Street,
    models.Zone,
    models.Department,
    models.Unit,
    models.Category,
    models.EnforcementItem,
    models.LegalDocument,
    models.Provision,
    models.Catalog,
    models.Delegation,
    models.Officer,
    models.Case,
    models.Transfer,
    models.Dispute,
    models.Policy,
)
# The models' own fields, built first so the edge models below nest these, not a second copy.
_BASES = {model: graphql_type(model, f"{model.__name__}Fields") for model in GRAPH_MODELS}

AsOf = Annotated[date | None, strawberry.argument(description=AS_OF)]
First = Annotated[
    int | None, strawberry.argument(description="How many rows after `after` (前N条); default 20")
]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor (起始游标)")]
Last = Annotated[
    int | None, strawberry.argument(description="How many rows before `before` (后N条)")
]
Before = Annotated[str | None, strawberry.argument(description="End before this cursor (截止游标)")]


def _about(model: type) -> str:
    """A model's docstring's first paragraph, on one line: the type's description."""
    return " ".join((model.__doc__ or "").split("\n\n")[0].split())


def _is(model: type) -> Any:
    """`is_type_of` for a type whose values are `model` instances (unions need it)."""
    return classmethod(lambda cls, value, info: isinstance(value, model))


def _link(
    read: BatchRead[str, Any], returns: str, description: str, *, name: str | None = None
) -> Any:
    """A field showing the part of `read`'s answer for the node that has the field's own name.

    `parent = _link(graph.region_parts, "Region | None", …)` on Region shows RegionParts.parent.
    `returns` is the GraphQL type as a string: strawberry resolves it in this module once every
    type exists, so a type may link to one defined further down.
    """

    async def resolve(root: models.Node, info: Info[Context, None]) -> Any:
        found = await load(info.context, read, root.key_value)
        return getattr(found, info.python_name)

    resolve.__annotations__["return"] = returns
    return strawberry.field(resolver=resolve, name=name, description=description)


def _answer(read: BatchRead[str, Any], returns: str, description: str) -> Any:
    """A field showing `read`'s whole answer for the node."""

    async def resolve(root: models.Node, info: Info[Context, None]) -> Any:
        return await load(info.context, read, root.key_value)

    resolve.__annotations__["return"] = returns
    return strawberry.field(resolver=resolve, description=description)


def _dated(read: BatchRead[Dated, Any], returns: str, description: str) -> Any:
    """A field taking `asOf` (today when omitted): `read`'s answer for the node on that day."""

    async def resolve(root: models.Node, info: Info[Context, None], as_of: AsOf = None) -> Any:
        return await load(info.context, read, Dated(root.key_value, _day(as_of)))

    resolve.__annotations__["return"] = returns
    return strawberry.field(resolver=resolve, description=description)


def _paged(read: BatchRead[Window, Any], node: str, description: str) -> Any:
    """A Relay connection over a long relationship, `node` being the type of its rows."""

    async def resolve(
        root: models.Node,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Any:
        fetch = _window(info, read, root.key_value, None)
        return await paged(info, fetch, first=first, after=after, last=last, before=before)

    resolve.__annotations__["return"] = f"Connection[{node}]"
    return strawberry.field(resolver=resolve, description=description)


def _related(kind: str, description: str, *, outgoing: bool) -> Any:
    """A document's AMENDS, REPEALS or REPLACES links, outgoing or incoming."""

    async def resolve(root: models.LegalDocument, info: Info[Context, None]) -> Any:
        links = await load(info.context, graph.document_links, root.id)
        found = links.outgoing if outgoing else links.incoming
        return [link for link in found if link.kind == kind]

    resolve.__annotations__["return"] = "list[DocumentRelation]"
    return strawberry.field(resolver=resolve, description=description)


def _window(
    info: Info[Context, None], read: BatchRead[Window, Any], key: str, as_of: date | None
) -> Fetch:
    """One window of a node's long relationship; every node's window of one step shares a read."""

    async def fetch(skip: int, limit: int) -> Any:
        return await load(info.context, read, Window(key, as_of, skip, limit))

    return fetch


def _day(as_of: date | None) -> date:
    return as_of or today()


# -- places and bodies -----------------------------------------------------------------------------


@strawberry.type(name="Region", description=_about(models.Region))
class Region(_BASES[models.Region]):  # type: ignore[misc]
    is_type_of = _is(models.Region)

    parent = _link(graph.region_parts, "Region | None", "The region it is part of (上级行政区)")
    regions = _link(graph.region_parts, "list[Region]", "Regions directly under it (下辖行政区)")
    streets = _link(graph.region_parts, "list[Street]", "Its streets and towns (街道 / 乡镇)")
    zones = _link(graph.region_parts, "list[Zone]", "Its joint-enforcement zones (联合执法片区)")
    departments = _link(graph.region_parts, "list[Department]", "Its departments (部门)")


@strawberry.type(name="Street", description=_about(models.Street))
class Street(_BASES[models.Street]):  # type: ignore[misc]
    is_type_of = _is(models.Street)

    region = _link(
        graph.street_parts, "Region | None", "The county-level region it belongs to (所属行政区)"
    )
    units = _link(
        graph.street_parts, "list[Unit]", "Its own enforcement team or center (街道综合执法队伍)"
    )
    zones = _dated(
        graph.street_zones, "list[Zone]", "The zones it belongs to on that day (所属片区)"
    )
    former_names = _link(
        graph.street_parts,
        "list[StreetName]",
        "Names it had (原名, 更名), each with its days: a search finds it by them too",
    )

    @strawberry.field(description="Delegations it holds on that day (承接的赋权), by item code")
    async def delegations(
        self,
        info: Info[Context, None],
        as_of: AsOf = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Delegation]:
        fetch = _window(info, graph.street_delegations, self.code, _day(as_of))
        return await paged(info, fetch, first=first, after=after, last=last, before=before)

    posted_officers = _dated(
        graph.street_postings,
        "list[Posting]",
        "Officers posted here on that day (下沉 / 挂钩 / 常驻人员)",
    )
    cases = _paged(graph.street_cases, "Case", "Cases that occurred here (发生地案件), by id")


@strawberry.type(name="Zone", description=_about(models.Zone))
class Zone(_BASES[models.Zone]):  # type: ignore[misc]
    is_type_of = _is(models.Zone)

    region = _link(graph.zone_links, "Region | None", "The region it belongs to (所属行政区)")
    coordinated_by = _link(
        graph.zone_links, "list[Unit]", "The squad that coordinates it (片区协调中队)"
    )
    streets = _dated(graph.zone_streets, "list[Street]", "Its streets on that day (片区内街道)")
    posted_officers = _dated(
        graph.zone_postings,
        "list[Posting]",
        "Officers posted to the zone itself on that day (片区挂钩人员)",
    )
    item_lists = _dated(
        zone_item_lists,
        "list[ZoneItemList]",
        "Its county's joint-enforcement item lists in force that day, each item with its lead "
        "department, proposal and approval (片区联合执法基础事项清单; seed 000 四(二))",
    )


@strawberry.type(name="Department", description=_about(models.Department))
class Department(_BASES[models.Department]):  # type: ignore[misc]
    is_type_of = _is(models.Department)

    region = _link(graph.department_parts, "Region | None", "The region it belongs to (所属行政区)")
    units = _link(
        graph.department_parts, "list[Unit]", "Units directly under it, e.g. its brigade (下属单位)"
    )
    items = _paged(
        graph.department_items,
        "EnforcementItem",
        "Items it originally holds (原实施部门的事项), by code",
    )
    former_names = _link(
        graph.department_parts,
        "list[DepartmentName]",
        "Names it had (原名, 机构改革: 更名), each with its days: a search finds it by them too",
    )
    of_day = _dated(
        department_of_day_read,
        "DepartmentOfDay | None",
        "The department standing for it on that day (机构改革): itself by its name of the day, "
        "or from a merger day its successor (职责划入), with the notices",
    )


@strawberry.type(name="Unit", description=_about(models.Unit))
class Unit(_BASES[models.Unit]):  # type: ignore[misc]
    is_type_of = _is(models.Unit)

    parent = _link(
        graph.unit_parts,
        "UnitParent | None",
        "What it is part of: a department, a street or a unit (隶属)",
    )
    units = _link(
        graph.unit_parts,
        "list[Unit]",
        "Units directly under it, e.g. a brigade's squads (下属单位)",
    )
    officers = _paged(
        graph.unit_officers, "Officer", "Its members (执法人员), by certificate number"
    )


@strawberry.type(name="Officer", description=_about(models.Officer))
class Officer(_BASES[models.Officer]):  # type: ignore[misc]
    is_type_of = _is(models.Officer)

    units = _link(graph.officer_links, "list[Unit]", "The units it is a member of (所在单位)")
    postings = _link(
        graph.officer_links,
        "list[Posting]",
        "Every posting to a street or zone, past ones too (下沉 / 挂钩)",
    )


# -- items, catalogs, law --------------------------------------------------------------------------


@strawberry.type(name="Category", description=_about(models.Category))
class Category(_BASES[models.Category]):  # type: ignore[misc]
    is_type_of = _is(models.Category)

    led_by = _link(
        graph.category_links,
        "list[Department]",
        "The department that leads the category (牵头部门)",
    )


@strawberry.type(name="EnforcementItem", description=_about(models.EnforcementItem))
class EnforcementItem(_BASES[models.EnforcementItem]):  # type: ignore[misc]
    is_type_of = _is(models.EnforcementItem)

    departments = _link(
        graph.item_links, "list[Department]", "The departments that originally hold it (原实施部门)"
    )
    category = _link(
        graph.item_links,
        "Category | None",
        "Its category (执法类别); null until a loader records one",
    )
    based_on = _answer(
        graph.item_basis,
        "list[ItemBasis]",
        "Its legal basis (实施依据): provisions, documents, citations",
    )
    catalogs = _answer(
        graph.item_listings,
        "list[ItemListing]",
        "The catalog rows that list it (目录行), oldest catalog first",
    )
    delegations = _dated(
        graph.item_delegations,
        "list[Delegation]",
        "Its delegations in force on that day (赋权), by street code",
    )


@strawberry.type(name="LegalDocument", description=_about(models.LegalDocument))
class LegalDocument(_BASES[models.LegalDocument]):  # type: ignore[misc]
    is_type_of = _is(models.LegalDocument)

    provisions = _paged(
        graph.document_provisions,
        "Provision",
        "Its provisions in text order (条款): articles, paragraphs, items",
    )
    amends = _related("AMENDS", "Documents it amends (修改)", outgoing=True)
    repeals = _related("REPEALS", "Documents it repeals (废止)", outgoing=True)
    replaces = _related("REPLACES", "Documents it replaces (替代)", outgoing=True)
    amended_by = _related("AMENDS", "Documents that amend it (被修改)", outgoing=False)
    repealed_by = _related("REPEALS", "Documents that repeal it (被废止)", outgoing=False)
    replaced_by = _related("REPLACES", "Documents that replace it (被替代)", outgoing=False)


@strawberry.type(name="Provision", description=_about(models.Provision))
class Provision(_BASES[models.Provision]):  # type: ignore[misc]
    is_type_of = _is(models.Provision)

    document = _answer(
        graph.provision_document,
        "LegalDocument | None",
        "The document it belongs to (所属法律文件)",
    )
    items = _answer(
        graph.provision_items,
        "list[ItemBasis]",
        "Items that rest on it (以此为依据的事项), with the citation",
    )


@strawberry.type(name="Catalog", description=_about(models.Catalog))
class Catalog(_BASES[models.Catalog]):  # type: ignore[misc]
    is_type_of = _is(models.Catalog)

    items = _paged(
        graph.catalog_items,
        "ItemListing",
        "Its rows in row order (目录所列事项), each with its item",
    )
    supersedes = _link(
        graph.catalog_versions,
        "list[Catalog]",
        "The older versions of its series it replaces (被取代的旧版)",
    )
    superseded_by = _link(
        graph.catalog_versions, "list[Catalog]", "The newer versions that replace it (新版目录)"
    )


@strawberry.type(name="Delegation", description=_about(models.Delegation))
class Delegation(_BASES[models.Delegation]):  # type: ignore[misc]
    is_type_of = _is(models.Delegation)

    department = _link(
        graph.delegation_links,
        "Department | None",
        "The county department whose power it hands down (赋权部门)",
    )
    street = _link(
        graph.delegation_links,
        "Street | None",
        "The street or town that takes the power (承接街道 / 乡镇)",
    )
    item = _link(graph.delegation_links, "EnforcementItem | None", "The item delegated (赋权事项)")
    authorized_by = _link(
        graph.delegation_links,
        "list[DelegationSource]",
        "The catalogs (or documents) that authorize it, with row (赋权依据)",
    )
    ended_by = _link(
        graph.delegation_links,
        "list[Catalog]",
        "The catalog version or notice that ended it (终止依据)",
    )


# -- cases and rules -------------------------------------------------------------------------------


@strawberry.type(name="Case", description=_about(models.Case))
class Case(_BASES[models.Case]):  # type: ignore[misc]
    is_type_of = _is(models.Case)

    item = _link(
        graph.case_links, "EnforcementItem | None", "The item the violation falls under (涉及事项)"
    )
    street = _link(graph.case_links, "Street | None", "Where it occurred (发生地)")
    handled_by = _link(
        graph.case_links,
        "StreetOrDepartment | None",
        "The street or department handling it (办案主体)",
    )
    officers = _link(graph.case_links, "list[Officer]", "The officers on it (办案人员)")
    transfers = _link(graph.case_links, "list[Transfer]", "Its transfers (移送), oldest first")
    disputes = _link(graph.case_links, "list[Dispute]", "Jurisdiction disputes about it (管辖争议)")


@strawberry.type(name="Transfer", description=_about(models.Transfer))
class Transfer(_BASES[models.Transfer]):  # type: ignore[misc]
    is_type_of = _is(models.Transfer)

    case = _link(graph.transfer_links, "Case | None", "The case transferred (移送案件)")
    sender = _link(
        graph.transfer_links, "StreetOrDepartment | None", "Who sent it (移送方)", name="from"
    )
    receiver = _link(
        graph.transfer_links, "StreetOrDepartment | None", "Who receives it (接收方)", name="to"
    )


@strawberry.type(name="Dispute", description=_about(models.Dispute))
class Dispute(_BASES[models.Dispute]):  # type: ignore[misc]
    is_type_of = _is(models.Dispute)

    case = _link(graph.dispute_links, "Case | None", "The case disputed (争议案件)")
    claimants = _link(
        graph.dispute_links, "list[DisputeClaim]", "The parties and their stance (争议当事方)"
    )
    resolved_by = _link(
        graph.dispute_links, "list[Department]", "Who is to settle it (协调 / 决定机关)"
    )
    decided_for = _link(
        graph.dispute_links,
        "StreetOrDepartment | None",
        "Who it was decided for, once decided (决定管辖方)",
    )


@strawberry.type(name="Policy", description=_about(models.Policy))
class Policy(_BASES[models.Policy]):  # type: ignore[misc]
    is_type_of = _is(models.Policy)

    applies_to = _link(
        graph.policy_links,
        "list[PolicyScope]",
        "Where the rule applies: a region, zone or street (适用范围)",
    )
    document = _link(
        graph.policy_links, "LegalDocument | None", "The document that states the rule (规则出处)"
    )


# -- edges: a relationship's properties beside the node it leads to -------------------------------


@strawberry.type(name="ItemListing", description=_about(graph.ItemListing))
class ItemListing(graphql_type(graph.ItemListing, "ItemListingFields")):  # type: ignore[misc]
    is_type_of = _is(graph.ItemListing)
    catalog: Catalog = strawberry.field(description="The catalog (目录)")
    item: EnforcementItem = strawberry.field(description="The item listed (事项)")


ZoneItemList = graphql_type(ZoneItemListModel, "ZoneItemList")  # 片区联合执法基础事项清单
StreetName = graphql_type(graph.StreetName, "StreetName")  # 原名 (更名)
DepartmentName = graphql_type(graph.DepartmentName, "DepartmentName")  # 原名 (机构改革: 更名)
DepartmentOfDay = graphql_type(DepartmentOfDayModel, "DepartmentOfDay")  # 机构改革


@strawberry.type(name="ItemBasis", description=_about(graph.ItemBasis))
class ItemBasis(graphql_type(graph.ItemBasis, "ItemBasisFields")):  # type: ignore[misc]
    is_type_of = _is(graph.ItemBasis)
    item: EnforcementItem = strawberry.field(description="The item (事项)")
    provision: Provision | None = strawberry.field(
        description="The provision cited; null when the citation names a whole document (条款)"
    )
    document: LegalDocument | None = strawberry.field(
        description="The document cited, or the provision's document (法律文件)"
    )


@strawberry.type(name="Posting", description=_about(graph.Posting))
class Posting(graphql_type(graph.Posting, "PostingFields")):  # type: ignore[misc]
    is_type_of = _is(graph.Posting)
    officer: Officer = strawberry.field(description="The officer posted (执法人员)")
    target: StreetOrZone = strawberry.field(
        description="Where: a street or a zone (下沉 / 挂钩对象)"
    )
    department: Department | None = strawberry.field(
        description="The delegating department the officer is linked for (挂钩部门)"
    )


@strawberry.type(name="DocumentRelation", description=_about(graph.DocumentRelation))
class DocumentRelation(graphql_type(graph.DocumentRelation, "DocumentRelationFields")):  # type: ignore[misc]
    is_type_of = _is(graph.DocumentRelation)
    document: LegalDocument = strawberry.field(description="The other document (相关文件)")


@strawberry.type(name="DelegationSource", description=_about(graph.DelegationSource))
class DelegationSource(graphql_type(graph.DelegationSource, "DelegationSourceFields")):  # type: ignore[misc]
    is_type_of = _is(graph.DelegationSource)
    source: CatalogOrDocument = strawberry.field(
        description="The catalog or document that authorizes it (目录或文件)"
    )


@strawberry.type(name="DisputeClaim", description=_about(graph.DisputeClaim))
class DisputeClaim(graphql_type(graph.DisputeClaim, "DisputeClaimFields")):  # type: ignore[misc]
    is_type_of = _is(graph.DisputeClaim)
    body: StreetOrDepartment = strawberry.field(
        description="The party (当事方): street or department"
    )


# -- unions ----------------------------------------------------------------------------------------

StreetOrDepartment = Annotated[
    Street | Department,
    strawberry.union(
        "StreetOrDepartment", description="A street or a department (街道或部门): a body that acts"
    ),
]
StreetOrZone = Annotated[
    Street | Zone, strawberry.union("StreetOrZone", description="A street or a zone (街道或片区)")
]
UnitParent = Annotated[
    Department | Street | Unit,
    strawberry.union(
        "UnitParent", description="What a unit belongs to (上级): department, street, unit"
    ),
]
PolicyScope = Annotated[
    Region | Zone | Street,
    strawberry.union("PolicyScope", description="Where a local rule applies (适用范围)"),
]
CatalogOrDocument = Annotated[
    Catalog | LegalDocument,
    strawberry.union("CatalogOrDocument", description="A catalog or a legal document (目录或文件)"),
]
