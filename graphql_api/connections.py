"""Cursor-paginated lists (分页连接): Relay-style connections over `queries.pages.Page`.

A cursor is an opaque token for a row's position in the list's stable order. `first`/`after`
walk forwards, `last`/`before` backwards; a page is never longer than the API's maximum page
size (settings.api_max_page_size), and asking for more is an error, not a silent cut.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import Info

from graphql_api.errors import BadUserInput
from queries.pages import Page

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
_PREFIX = "offset:"

Fetch = Callable[[int, int], Awaitable[Page[Any]]]


@strawberry.type(description="Where a page sits in its list (分页信息)")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More rows follow this page (有下一页)")
    has_previous_page: bool = strawberry.field(description="Rows come before this page (有上一页)")
    start_cursor: str | None = strawberry.field(description="Cursor of the page's first row")
    end_cursor: str | None = strawberry.field(description="Cursor of the page's last row")


@strawberry.type(description="One row of a list and its cursor (条目)")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position of this row (游标)")
    node: T = strawberry.field(description="The row itself (内容)")


@strawberry.type(description="A page of a longer list, with the list's total length (分页列表)")
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="Rows in the whole list (总数)")
    page_info: PageInfo = strawberry.field(description="Where this page sits (分页信息)")
    edges: list[Edge[T]] = strawberry.field(description="This page's rows with cursors")

    @strawberry.field(description="This page's rows without cursors (本页内容)")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX) and (position := int(text[len(_PREFIX) :])) >= 0:
            return position
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadUserInput(f"not a cursor of this API: {cursor!r}")


async def connection(
    fetch: Fetch,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    max_page_size: int,
) -> Connection[Any]:
    """Fetch the page the Relay arguments ask for: `fetch(skip, limit)` reads one window."""
    skip, limit = await _window(fetch, first, after, last, before, max_page_size)
    page = await fetch(skip, limit)
    edges = [Edge(cursor=encode_cursor(page.skip + i), node=n) for i, n in enumerate(page.nodes)]
    info = PageInfo(
        has_next_page=page.skip + len(page.nodes) < page.total,
        has_previous_page=page.skip > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(total_count=page.total, page_info=info, edges=edges)


async def paged(
    info: Info[Any, Any],
    fetch: Fetch,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """The page a field's Relay arguments ask for, within this deployment's maximum page size."""
    return await connection(
        fetch,
        first=first,
        after=after,
        last=last,
        before=before,
        max_page_size=info.context.settings.api_max_page_size,
    )


async def _window(
    fetch: Fetch,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    max_page_size: int,
) -> tuple[int, int]:
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_page_size:
            raise BadUserInput(f"{name} must be between 0 and {max_page_size} (got {size})")
    if first is not None and last is not None:
        raise BadUserInput("give first (with after) or last (with before), not both")
    start = decode_cursor(after) + 1 if after else 0
    if last is None:
        return start, DEFAULT_PAGE_SIZE if first is None else first
    end = decode_cursor(before) if before else (await fetch(0, 0)).total
    begin = max(start, end - last)
    return begin, max(0, end - begin)
