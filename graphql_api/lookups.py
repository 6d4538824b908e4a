"""Root fields that find one node by its business key (按编码查找): null when there is none.

Every look-up goes through the request's node DataLoader, so `{ street(code: …) region(code: …) }`
costs one database read however many look-ups (and labels) the request has.
"""

from typing import Annotated, Any

import strawberry
from strawberry import Info

from graphql_api.auth import CanRead
from graphql_api.context import Context
from graphql_api.dataloaders import load_node, load_nodes
from graphql_api.errors import BadUserInput
from graphql_api.types import (
    Case,
    Catalog,
    Category,
    Delegation,
    Department,
    Dispute,
    EnforcementItem,
    LegalDocument,
    Officer,
    Policy,
    Provision,
    Region,
    Street,
    Transfer,
    Unit,
    Zone,
)
from schema.labels import Label


def _lookup(label: Label, node_type: type, argument: str, what: str) -> Any:
    """A root field `<name>(<argument>: String!): <node_type>` (null when absent)."""

    async def resolve(
        info: Info[Context, None],
        key: Annotated[str, strawberry.argument(name=argument, description=what)],
    ) -> node_type | None:  # type: ignore[valid-type]
        return await load_node(info.context, label, key)

    return strawberry.field(
        resolver=resolve,
        description=f"The {label.value} with this {argument}, or null when there is none: {what}",
        permission_classes=[CanRead],
    )


@strawberry.type(description="Nodes of the graph by business key (按编码查找)")
class Lookups:
    region = _lookup(Label.REGION, Region, "code", "GB/T 2260 region code (行政区划代码)")
    street = _lookup(Label.STREET, Street, "code", "Street or town code (街道 / 乡镇编码)")
    zone = _lookup(Label.ZONE, Zone, "id", "Zone id (片区编号)")
    department = _lookup(Label.DEPARTMENT, Department, "id", "Department id (部门编号)")
    unit = _lookup(Label.UNIT, Unit, "id", "Unit id (执法单位编号)")
    category = _lookup(Label.CATEGORY, Category, "id", "Item category id (执法类别编号)")
    item = _lookup(Label.ENFORCEMENT_ITEM, EnforcementItem, "code", "Item code (事项编码)")
    document = _lookup(
        Label.LEGAL_DOCUMENT,
        LegalDocument,
        "id",
        "Normalised title key, e.g. 行政处罚法 (文件编号)",
    )
    provision = _lookup(
        Label.PROVISION, Provision, "id", "Provision id, e.g. 行政处罚法#24 (条款编号)"
    )
    catalog = _lookup(Label.CATALOG, Catalog, "id", "Catalog id (目录编号)")
    delegation = _lookup(Label.DELEGATION, Delegation, "id", "Delegation id (赋权编号)")
    officer = _lookup(Label.OFFICER, Officer, "id", "Certificate number (执法证号)")
    case = _lookup(Label.CASE, Case, "id", "Case id (案件编号)")
    transfer = _lookup(Label.TRANSFER, Transfer, "id", "Transfer id (移送编号)")
    dispute = _lookup(Label.DISPUTE, Dispute, "id", "Dispute id (争议编号)")
    policy = _lookup(Label.POLICY, Policy, "id", "Local rule id (规则编号)")

    @strawberry.field(
        description="Items by code, in the order given, null where no item has the code "
        "(按编码批量查找事项); at most the API's page size",
        permission_classes=[CanRead],
    )
    async def items_by_code(
        self,
        info: Info[Context, None],
        codes: Annotated[list[str], strawberry.argument(description="Item codes (事项编码)")],
    ) -> list[EnforcementItem | None]:
        most = info.context.settings.api_max_page_size
        if len(codes) > most:
            raise BadUserInput(f"at most {most} codes per request (asked for {len(codes)})")
        return await load_nodes(info.context, Label.ENFORCEMENT_ITEM, codes)
