"""Search and lists as root fields (检索): Chinese full text through Neo4j's cjk indexes, paged.

Each field is a cursor connection over one `queries/search.py` read (one round trip per page,
the total included); with text the order is by relevance, else by business key.
"""

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import Info

from graphql_api.auth import CanRead
from graphql_api.connections import Connection, Fetch, paged
from graphql_api.context import Context
from graphql_api.pydantic_types import graphql_type
from graphql_api.types import EnforcementItem, LegalDocument, Officer, Street
from queries import search
from queries.search import OrganisationHit, ProvisionHit

ProvisionHitType = graphql_type(ProvisionHit)
OrganisationHitType = graphql_type(OrganisationHit)

Text = Annotated[
    str | None,
    strawberry.argument(description="Words to find, any Chinese fragment (检索词), e.g. 垃圾"),
]
First = Annotated[int | None, strawberry.argument(description="Rows after `after` (前N条)")]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor (游标)")]
Last = Annotated[int | None, strawberry.argument(description="Rows before `before` (后N条)")]
Before = Annotated[str | None, strawberry.argument(description="End before this cursor (游标)")]


def _rows(info: Info[Context, None], read: Any, **params: Any) -> Fetch:
    """One window of a root list: `read` with skip and limit, and the total, in one round trip."""

    async def fetch(skip: int, limit: int) -> Any:
        return await info.context.read(read, skip=skip, limit=limit, **params)

    return fetch


@strawberry.type(description="Search the registry (检索)")
class Search:
    @strawberry.field(
        description="Enforcement items by name fragment, domain, type and region (事项检索)",
        permission_classes=[CanRead],
    )
    async def items(
        self,
        info: Info[Context, None],
        text: Text = None,
        domain: Annotated[
            str | None, strawberry.argument(description="执法领域, e.g. 城市管理")
        ] = None,
        item_type: Annotated[
            str | None, strawberry.argument(description="事项类型, e.g. 行政处罚")
        ] = None,
        region: Annotated[
            str | None,
            strawberry.argument(description="Only items a catalog of this region lists (地区代码)"),
        ] = None,
        as_of: Annotated[
            date | None,
            strawberry.argument(description="With region: catalogs in force that day (查询日期)"),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[EnforcementItem]:
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info,
            _rows(
                info,
                search.search_items,
                text=text,
                domain=domain,
                item_type=item_type,
                region=region,
                as_of=as_of,
            ),
            **window,
        )

    @strawberry.field(
        description="Streets and towns of a region (街道 / 乡镇列表), optionally by name",
        permission_classes=[CanRead],
    )
    async def streets(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description="Region code (行政区划代码)")],
        text: Text = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Street]:
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info, _rows(info, search.streets_in_region, region=region, text=text), **window
        )

    @strawberry.field(
        description="Officers of a unit (执法人员), with certificates valid on the day if given",
        permission_classes=[CanRead],
    )
    async def officers(
        self,
        info: Info[Context, None],
        unit: Annotated[str, strawberry.argument(description="Unit id (执法单位编号)")],
        as_of: Annotated[
            date | None,
            strawberry.argument(description="Only certificates valid that day (持证日期)"),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Officer]:
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info, _rows(info, search.officers_in_unit, unit=unit, as_of=as_of), **window
        )

    @strawberry.field(
        description="Laws and regulations by title (法律文件检索), with or without 中华人民共和国",
        permission_classes=[CanRead],
    )
    async def documents(
        self,
        info: Info[Context, None],
        text: Annotated[str, strawberry.argument(description="Title words (标题检索词)")],
        rank: Annotated[str | None, strawberry.argument(description="效力位阶, e.g. 法律")] = None,
        status: Annotated[
            str | None, strawberry.argument(description="时效, e.g. 现行有效")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LegalDocument]:
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info,
            _rows(info, search.search_documents, text=text, rank=rank, status=status),
            **window,
        )

    @strawberry.field(
        description="Articles by their text (条文检索), with the law's title and a snippet",
        permission_classes=[CanRead],
    )
    async def provisions(
        self,
        info: Info[Context, None],
        text: Annotated[str, strawberry.argument(description="Words of the article (条文检索词)")],
        document_id: Annotated[
            str | None, strawberry.argument(description="Only this law (法律文件编号)")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ProvisionHitType]:  # type: ignore[valid-type]
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info,
            _rows(info, search.search_provisions, text=text, document_id=document_id),
            **window,
        )

    @strawberry.field(
        description="Streets, departments, units, zones and regions by name (机构检索)",
        permission_classes=[CanRead],
    )
    async def organisations(
        self,
        info: Info[Context, None],
        text: Annotated[str, strawberry.argument(description="Name words (名称检索词)")],
        kind: Annotated[
            str | None,
            strawberry.argument(description="Street, Department, Unit, Zone or Region (类别)"),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[OrganisationHitType]:  # type: ignore[valid-type]
        window = {"first": first, "after": after, "last": last, "before": before}
        return await paged(
            info, _rows(info, search.search_organisations, text=text, kind=kind), **window
        )
