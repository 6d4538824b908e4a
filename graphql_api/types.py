"""The graph as GraphQL types (图谱类型): each node label with its relationships as fields.

Every type is its schema model's type (`graphql_type`, so properties and their descriptions come
from schema/models.py and glossary.yaml) plus one field per relationship. A resolver gets the
pydantic node as `self` and asks a DataLoader (graphql_api.dataloaders), so a relationship costs one
database read per request level however many nodes ask for it. Links that change over time take
`asOf` (today, Beijing time, when omitted). A relationship's own properties (a catalog row, a
citation, a posting's mode) sit on a small edge type beside the node it leads to. Other modules
must use these types for graph nodes, never `graphql_type(models.X)` again (one name, one type).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import Info

from graphql_api.connections import Connection, connection
from graphql_api.context import Context
from graphql_api.dataloaders import load
from graphql_api.pydantic_types import graphql_type
from graphql_api.questions import AS_OF, today
from queries import graph
from queries.graph import BatchRead, Dated, Window
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


async def _page(
    info: Info[Context, None],
    read: BatchRead[Window, Any],
    key: str,
    as_of: date | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """A Relay page of a long relationship; every node's page of one step shares one read."""

    async def fetch(skip: int, limit: int) -> Any:
        return await load(info.context, read, Window(key, as_of, skip, limit))

    return await connection(
        fetch,
        first=first,
        after=after,
        last=last,
        before=before,
        max_page_size=info.context.settings.api_max_page_size,
    )


def _day(as_of: date | None) -> date:
    return as_of or today()


# -- places and bodies -----------------------------------------------------------------------------


@strawberry.type(name="Region", description=_about(models.Region))
class Region(_BASES[models.Region]):  # type: ignore[misc]
    is_type_of = _is(models.Region)

    @strawberry.field(description="The region it is part of (上级行政区)")
    async def parent(self, info: Info[Context, None]) -> Region | None:
        return (await load(info.context, graph.region_parts, self.code)).parent

    @strawberry.field(description="Regions directly under it (下辖行政区)")
    async def regions(self, info: Info[Context, None]) -> list[Region]:
        return (await load(info.context, graph.region_parts, self.code)).regions

    @strawberry.field(description="Its streets and towns (街道 / 乡镇)")
    async def streets(self, info: Info[Context, None]) -> list[Street]:
        return (await load(info.context, graph.region_parts, self.code)).streets

    @strawberry.field(description="Its joint-enforcement zones (联合执法片区)")
    async def zones(self, info: Info[Context, None]) -> list[Zone]:
        return (await load(info.context, graph.region_parts, self.code)).zones

    @strawberry.field(description="Its departments (部门)")
    async def departments(self, info: Info[Context, None]) -> list[Department]:
        return (await load(info.context, graph.region_parts, self.code)).departments


@strawberry.type(name="Street", description=_about(models.Street))
class Street(_BASES[models.Street]):  # type: ignore[misc]
    is_type_of = _is(models.Street)

    @strawberry.field(description="The county-level region it belongs to (所属行政区)")
    async def region(self, info: Info[Context, None]) -> Region | None:
        return (await load(info.context, graph.street_parts, self.code)).region

    @strawberry.field(description="Its own enforcement team or center (街道综合执法队伍)")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return (await load(info.context, graph.street_parts, self.code)).units

    @strawberry.field(description="The zones it belongs to on that day (所属片区)")
    async def zones(self, info: Info[Context, None], as_of: AsOf = None) -> list[Zone]:
        return await load(info.context, graph.street_zones, Dated(self.code, _day(as_of)))

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
        read = graph.street_delegations
        return await _page(info, read, self.code, _day(as_of), first, after, last, before)

    @strawberry.field(description="Officers posted here on that day (下沉 / 挂钩 / 常驻人员)")
    async def posted_officers(self, info: Info[Context, None], as_of: AsOf = None) -> list[Posting]:
        return await load(info.context, graph.street_postings, Dated(self.code, _day(as_of)))

    @strawberry.field(description="Cases that occurred here (发生地案件), by id")
    async def cases(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Case]:
        return await _page(info, graph.street_cases, self.code, None, first, after, last, before)


@strawberry.type(name="Zone", description=_about(models.Zone))
class Zone(_BASES[models.Zone]):  # type: ignore[misc]
    is_type_of = _is(models.Zone)

    @strawberry.field(description="The region it belongs to (所属行政区)")
    async def region(self, info: Info[Context, None]) -> Region | None:
        return (await load(info.context, graph.zone_links, self.id)).region

    @strawberry.field(description="The squad that coordinates it (片区协调中队)")
    async def coordinated_by(self, info: Info[Context, None]) -> list[Unit]:
        return (await load(info.context, graph.zone_links, self.id)).coordinated_by

    @strawberry.field(description="Its streets on that day (片区内街道)")
    async def streets(self, info: Info[Context, None], as_of: AsOf = None) -> list[Street]:
        return await load(info.context, graph.zone_streets, Dated(self.id, _day(as_of)))

    @strawberry.field(description="Officers posted to the zone itself on that day (片区挂钩人员)")
    async def posted_officers(self, info: Info[Context, None], as_of: AsOf = None) -> list[Posting]:
        return await load(info.context, graph.zone_postings, Dated(self.id, _day(as_of)))


@strawberry.type(name="Department", description=_about(models.Department))
class Department(_BASES[models.Department]):  # type: ignore[misc]
    is_type_of = _is(models.Department)

    @strawberry.field(description="The region it belongs to (所属行政区)")
    async def region(self, info: Info[Context, None]) -> Region | None:
        return (await load(info.context, graph.department_parts, self.id)).region

    @strawberry.field(description="Units directly under it, e.g. its brigade (下属单位)")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return (await load(info.context, graph.department_parts, self.id)).units

    @strawberry.field(description="Items it originally holds (原实施部门的事项), by code")
    async def items(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[EnforcementItem]:
        read = graph.department_items
        return await _page(info, read, self.id, None, first, after, last, before)


@strawberry.type(name="Unit", description=_about(models.Unit))
class Unit(_BASES[models.Unit]):  # type: ignore[misc]
    is_type_of = _is(models.Unit)

    @strawberry.field(description="What it is part of: a department, a street or a unit (隶属)")
    async def parent(self, info: Info[Context, None]) -> UnitParent | None:
        return (await load(info.context, graph.unit_parts, self.id)).parent

    @strawberry.field(description="Units directly under it, e.g. a brigade's squads (下属单位)")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return (await load(info.context, graph.unit_parts, self.id)).units

    @strawberry.field(description="Its members (执法人员), by certificate number")
    async def officers(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Officer]:
        return await _page(info, graph.unit_officers, self.id, None, first, after, last, before)


@strawberry.type(name="Officer", description=_about(models.Officer))
class Officer(_BASES[models.Officer]):  # type: ignore[misc]
    is_type_of = _is(models.Officer)

    @strawberry.field(description="The units it is a member of (所在单位)")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return (await load(info.context, graph.officer_links, self.id)).units

    @strawberry.field(description="Every posting to a street or zone, past ones too (下沉 / 挂钩)")
    async def postings(self, info: Info[Context, None]) -> list[Posting]:
        return (await load(info.context, graph.officer_links, self.id)).postings


# -- items, catalogs, law --------------------------------------------------------------------------


@strawberry.type(name="Category", description=_about(models.Category))
class Category(_BASES[models.Category]):  # type: ignore[misc]
    is_type_of = _is(models.Category)

    @strawberry.field(description="The department that leads the category (牵头部门)")
    async def led_by(self, info: Info[Context, None]) -> list[Department]:
        return (await load(info.context, graph.category_links, self.id)).led_by


@strawberry.type(name="EnforcementItem", description=_about(models.EnforcementItem))
class EnforcementItem(_BASES[models.EnforcementItem]):  # type: ignore[misc]
    is_type_of = _is(models.EnforcementItem)

    @strawberry.field(description="The departments that originally hold it (原实施部门)")
    async def departments(self, info: Info[Context, None]) -> list[Department]:
        return (await load(info.context, graph.item_links, self.code)).departments

    @strawberry.field(description="Its category (执法类别); null until a loader records one")
    async def category(self, info: Info[Context, None]) -> Category | None:
        return (await load(info.context, graph.item_links, self.code)).category

    @strawberry.field(description="Its legal basis (实施依据): provisions, documents, citations")
    async def based_on(self, info: Info[Context, None]) -> list[ItemBasis]:
        return await load(info.context, graph.item_basis, self.code)

    @strawberry.field(description="The catalog rows that list it (目录行), oldest catalog first")
    async def catalogs(self, info: Info[Context, None]) -> list[ItemListing]:
        return await load(info.context, graph.item_listings, self.code)

    @strawberry.field(description="Its delegations in force on that day (赋权), by street code")
    async def delegations(self, info: Info[Context, None], as_of: AsOf = None) -> list[Delegation]:
        return await load(info.context, graph.item_delegations, Dated(self.code, _day(as_of)))


@strawberry.type(name="LegalDocument", description=_about(models.LegalDocument))
class LegalDocument(_BASES[models.LegalDocument]):  # type: ignore[misc]
    is_type_of = _is(models.LegalDocument)

    @strawberry.field(
        description="Its provisions in text order (条款): articles, paragraphs, items"
    )
    async def provisions(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Provision]:
        read = graph.document_provisions
        return await _page(info, read, self.id, None, first, after, last, before)

    @strawberry.field(description="Documents it amends (修改)")
    async def amends(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "AMENDS", outgoing=True)

    @strawberry.field(description="Documents it repeals (废止)")
    async def repeals(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "REPEALS", outgoing=True)

    @strawberry.field(description="Documents it replaces (替代)")
    async def replaces(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "REPLACES", outgoing=True)

    @strawberry.field(description="Documents that amend it (被修改)")
    async def amended_by(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "AMENDS", outgoing=False)

    @strawberry.field(description="Documents that repeal it (被废止)")
    async def repealed_by(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "REPEALS", outgoing=False)

    @strawberry.field(description="Documents that replace it (被替代)")
    async def replaced_by(self, info: Info[Context, None]) -> list[DocumentRelation]:
        return await _relations(info, self.id, "REPLACES", outgoing=False)


async def _relations(
    info: Info[Context, None], document_id: str, kind: str, *, outgoing: bool
) -> list[graph.DocumentRelation]:
    links = await load(info.context, graph.document_links, document_id)
    return [link for link in (links.outgoing if outgoing else links.incoming) if link.kind == kind]


@strawberry.type(name="Provision", description=_about(models.Provision))
class Provision(_BASES[models.Provision]):  # type: ignore[misc]
    is_type_of = _is(models.Provision)

    @strawberry.field(description="The document it belongs to (所属法律文件)")
    async def document(self, info: Info[Context, None]) -> LegalDocument | None:
        return await load(info.context, graph.provision_document, self.id)

    @strawberry.field(description="Items that rest on it (以此为依据的事项), with the citation")
    async def items(self, info: Info[Context, None]) -> list[ItemBasis]:
        return await load(info.context, graph.provision_items, self.id)


@strawberry.type(name="Catalog", description=_about(models.Catalog))
class Catalog(_BASES[models.Catalog]):  # type: ignore[misc]
    is_type_of = _is(models.Catalog)

    @strawberry.field(description="Its rows in row order (目录所列事项), each with its item")
    async def items(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ItemListing]:
        return await _page(info, graph.catalog_items, self.id, None, first, after, last, before)

    @strawberry.field(description="The older versions of its series it replaces (被取代的旧版)")
    async def supersedes(self, info: Info[Context, None]) -> list[Catalog]:
        return (await load(info.context, graph.catalog_versions, self.id)).supersedes

    @strawberry.field(description="The newer versions that replace it (新版目录)")
    async def superseded_by(self, info: Info[Context, None]) -> list[Catalog]:
        return (await load(info.context, graph.catalog_versions, self.id)).superseded_by


@strawberry.type(name="Delegation", description=_about(models.Delegation))
class Delegation(_BASES[models.Delegation]):  # type: ignore[misc]
    is_type_of = _is(models.Delegation)

    @strawberry.field(description="The county department whose power it hands down (赋权部门)")
    async def department(self, info: Info[Context, None]) -> Department | None:
        return (await load(info.context, graph.delegation_links, self.id)).department

    @strawberry.field(description="The street or town that takes the power (承接街道 / 乡镇)")
    async def street(self, info: Info[Context, None]) -> Street | None:
        return (await load(info.context, graph.delegation_links, self.id)).street

    @strawberry.field(description="The item delegated (赋权事项)")
    async def item(self, info: Info[Context, None]) -> EnforcementItem | None:
        return (await load(info.context, graph.delegation_links, self.id)).item

    @strawberry.field(
        description="The catalogs (or documents) that authorize it, with row (赋权依据)"
    )
    async def authorized_by(self, info: Info[Context, None]) -> list[DelegationSource]:
        return (await load(info.context, graph.delegation_links, self.id)).authorized_by

    @strawberry.field(description="The catalog version or notice that ended it (终止依据)")
    async def ended_by(self, info: Info[Context, None]) -> list[Catalog]:
        return (await load(info.context, graph.delegation_links, self.id)).ended_by


# -- cases and rules -------------------------------------------------------------------------------


@strawberry.type(name="Case", description=_about(models.Case))
class Case(_BASES[models.Case]):  # type: ignore[misc]
    is_type_of = _is(models.Case)

    @strawberry.field(description="The item the violation falls under (涉及事项)")
    async def item(self, info: Info[Context, None]) -> EnforcementItem | None:
        return (await load(info.context, graph.case_links, self.id)).item

    @strawberry.field(description="Where it occurred (发生地)")
    async def street(self, info: Info[Context, None]) -> Street | None:
        return (await load(info.context, graph.case_links, self.id)).street

    @strawberry.field(description="The street or department handling it (办案主体)")
    async def handled_by(self, info: Info[Context, None]) -> StreetOrDepartment | None:
        return (await load(info.context, graph.case_links, self.id)).handled_by

    @strawberry.field(description="The officers on it (办案人员)")
    async def officers(self, info: Info[Context, None]) -> list[Officer]:
        return (await load(info.context, graph.case_links, self.id)).officers

    @strawberry.field(description="Its transfers (移送), oldest first")
    async def transfers(self, info: Info[Context, None]) -> list[Transfer]:
        return (await load(info.context, graph.case_links, self.id)).transfers

    @strawberry.field(description="Jurisdiction disputes about it (管辖争议)")
    async def disputes(self, info: Info[Context, None]) -> list[Dispute]:
        return (await load(info.context, graph.case_links, self.id)).disputes


@strawberry.type(name="Transfer", description=_about(models.Transfer))
class Transfer(_BASES[models.Transfer]):  # type: ignore[misc]
    is_type_of = _is(models.Transfer)

    @strawberry.field(description="The case transferred (移送案件)")
    async def case(self, info: Info[Context, None]) -> Case | None:
        return (await load(info.context, graph.transfer_links, self.id)).case

    @strawberry.field(name="from", description="Who sent it (移送方)")
    async def sender(self, info: Info[Context, None]) -> StreetOrDepartment | None:
        return (await load(info.context, graph.transfer_links, self.id)).sender

    @strawberry.field(name="to", description="Who receives it (接收方)")
    async def receiver(self, info: Info[Context, None]) -> StreetOrDepartment | None:
        return (await load(info.context, graph.transfer_links, self.id)).receiver


@strawberry.type(name="Dispute", description=_about(models.Dispute))
class Dispute(_BASES[models.Dispute]):  # type: ignore[misc]
    is_type_of = _is(models.Dispute)

    @strawberry.field(description="The case disputed (争议案件)")
    async def case(self, info: Info[Context, None]) -> Case | None:
        return (await load(info.context, graph.dispute_links, self.id)).case

    @strawberry.field(description="The parties and their stance (争议当事方)")
    async def claimants(self, info: Info[Context, None]) -> list[DisputeClaim]:
        return (await load(info.context, graph.dispute_links, self.id)).claimants

    @strawberry.field(description="Who is to settle it (协调 / 决定机关)")
    async def resolved_by(self, info: Info[Context, None]) -> list[Department]:
        return (await load(info.context, graph.dispute_links, self.id)).resolved_by

    @strawberry.field(description="Who it was decided for, once decided (决定管辖方)")
    async def decided_for(self, info: Info[Context, None]) -> StreetOrDepartment | None:
        return (await load(info.context, graph.dispute_links, self.id)).decided_for


@strawberry.type(name="Policy", description=_about(models.Policy))
class Policy(_BASES[models.Policy]):  # type: ignore[misc]
    is_type_of = _is(models.Policy)

    @strawberry.field(description="Where the rule applies: a region, zone or street (适用范围)")
    async def applies_to(self, info: Info[Context, None]) -> list[PolicyScope]:
        return (await load(info.context, graph.policy_links, self.id)).applies_to

    @strawberry.field(description="The document that states the rule (规则出处)")
    async def document(self, info: Info[Context, None]) -> LegalDocument | None:
        return (await load(info.context, graph.policy_links, self.id)).document


# -- edges: a relationship's properties beside the node it leads to -------------------------------


@strawberry.type(name="ItemListing", description=_about(graph.ItemListing))
class ItemListing(graphql_type(graph.ItemListing, "ItemListingFields")):  # type: ignore[misc]
    is_type_of = _is(graph.ItemListing)
    catalog: Catalog = strawberry.field(description="The catalog (目录)")
    item: EnforcementItem = strawberry.field(description="The item listed (事项)")


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
