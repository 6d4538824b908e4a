"""Complaint routing as a root field (投诉分拨): `route(complaint, street, asOf, limit)`.

The answer is `queries.route.RouteAnswer`: candidate items found by the complaint's words, ranked
with why each matched, each with its enforcement subject by the authority rules (the same
`Authority` type as the `authority` field). Several candidates of similar score are all shown and
`ambiguous` says so; the answer carries no officers. It goes through the answer cache: it depends
on the graph and its arguments alone (the day resolved).
"""

from datetime import date
from typing import Annotated

import strawberry
from strawberry import Info

from graphql_api.auth import CanRead
from graphql_api.context import Context
from graphql_api.pydantic_types import graphql_type
from graphql_api.questions import AS_OF, STREET, AuthorityType, today
from queries.route import (
    DEFAULT_CANDIDATES,
    MAX_CANDIDATES,
    MAX_COMPLAINT_CHARS,
    RouteAnswer,
    route,
)

assert AuthorityType is not None  # built first: a candidate's authority reuses the `Authority` type
RouteType = graphql_type(RouteAnswer, "Route")


@strawberry.type(description="Route a complaint (投诉分拨)")
class Routing:
    @strawberry.field(
        description="The items a complaint in a street may concern (候选事项), found by its words "
        "in item names and cited provision text, ranked with why each matched, each with who "
        "enforces it there on that day by the authority rules; several of similar score are all "
        "shown and the answer says it is ambiguous",
        permission_classes=[CanRead],
    )
    async def route(
        self,
        info: Info[Context, None],
        complaint: Annotated[
            str,
            strawberry.argument(
                description=f"The complaint's words (投诉内容), at most {MAX_COMPLAINT_CHARS} "
                "characters, e.g. 有人在路边占道摆摊卖水果"
            ),
        ],
        street: Annotated[str, strawberry.argument(description=STREET)],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
        limit: Annotated[
            int,
            strawberry.argument(description=f"Candidate items to show, 1 to {MAX_CANDIDATES}"),
        ] = DEFAULT_CANDIDATES,
    ) -> RouteType:  # type: ignore[valid-type]
        day = as_of or today()
        return await info.context.answer(
            route, complaint=complaint, street=street, as_of=day, limit=limit
        )
