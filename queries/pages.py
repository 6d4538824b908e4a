"""A page of a longer list (分页): the rows asked for and how many there are in all."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from queries.lookups import QueryInputError

T = TypeVar("T")

MAX_PAGE_SIZE = 500  # the most rows one read returns; the API caps its page size below this


class Page(BaseModel, Generic[T]):
    """Rows `skip`…`skip + len(nodes)` of a list ordered stably, and the list's total length."""

    total: int = Field(description="How many rows the whole list has (总数)")
    skip: int = Field(description="How many rows come before this page (偏移)")
    nodes: list[T] = Field(description="This page's rows, in the list's order (本页)")

    @property
    def has_next(self) -> bool:
        return self.skip + len(self.nodes) < self.total


def check_window(skip: int, limit: int) -> None:
    """A page window must be non-negative and at most MAX_PAGE_SIZE rows long (a ValueError)."""
    if skip < 0 or limit < 0:
        raise QueryInputError(f"skip ({skip}) and limit ({limit}) cannot be negative")
    if limit > MAX_PAGE_SIZE:
        raise QueryInputError(f"at most {MAX_PAGE_SIZE} rows per page (asked for {limit})")
