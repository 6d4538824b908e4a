"""One request's context (请求上下文): the caller, the request id, DataLoaders and database calls.

This is the only place in `graphql_api/` that touches the driver. Every read runs one query
function from `queries/` in a managed read transaction on a worker thread (the driver is
synchronous; the event loop stays free), under the API's per-call timeout cut to the time left
before the request's deadline, and is counted so a test can check how many round trips a
request cost. A read whose request has given up (the per-request timeout) is abandoned to its
thread, which Neo4j stops at its transaction timeout; a write is always waited for. Questions asked through `answer` may be
served from the process's answer cache (graphql_api.answer_cache); every write through `write`
bumps the graph's write counter in its own transaction and clears that cache.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from neo4j import Driver
from neo4j.exceptions import ClientError
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from authreg.driver import read, write
from authreg.errors import DatabaseError, RegistryError
from authreg.settings import Settings
from graphql_api.answer_cache import AnswerCache
from graphql_api.auth import Caller
from graphql_api.errors import ApiError, BadUserInput
from loaders.write import bump_generation, bumping

T = TypeVar("T")
_TIMED_OUT = "the database did not answer within the API's time limit (查询超时)"
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Context(BaseContext):
    """What every resolver of one request shares; DataLoaders are built per request."""

    def __init__(
        self,
        *,
        driver: Driver,
        settings: Settings,
        caller: Caller | None,
        auth_problem: str | None,
        request_id: str,
        answers: AnswerCache | None = None,
        deadline: float | None = None,
    ) -> None:
        super().__init__()
        self.driver = driver
        self.settings = settings
        self.caller = caller
        self.auth_problem = auth_problem
        self.request_id = request_id
        self.answers = answers  # this process's answer cache; None: every question is read
        self.deadline = deadline  # time.monotonic() by which the request must be answered
        self.round_trips = 0  # database transactions run for this request
        self.answer_cache_use = {"hits": 0, "misses": 0}  # this request's questions
        self._loaders: dict[str, DataLoader[Any, Any]] = {}

    async def read(self, work: Callable[..., T], /, **params: Any) -> T:
        """Run a `queries/` function in a read transaction; input problems become BAD_USER_INPUT."""
        return await self._run(read, work, params, abandon=True)

    async def answer(self, work: Callable[..., T], /, **params: Any) -> T:
        """A question's answer as `read` gives it, or from the answer cache while the graph is
        unchanged (params must be hashable: the cache's key is the question and its params)."""
        if self.answers is None or not self.answers.enabled:
            return await self.read(work, **params)
        found, hit = await self.answers.answer(self.read, work, params)
        self.answer_cache_use["hits" if hit else "misses"] += 1
        return found  # type: ignore[no-any-return]

    async def write(self, work: Callable[..., T], /, **params: Any) -> T:
        """Run a `loaders/` writer in a write transaction (all or nothing) that also bumps the
        graph's write counter; this process's cached answers are forgotten at once."""
        try:
            return await self._run(write, bumping(work), params)
        finally:
            self._graph_changed()

    async def in_thread(self, work: Callable[..., T], /, *args: Any, **params: Any) -> T:
        """Run blocking work that opens its own transactions (a catalog load) off the loop.
        Writes made so must be counted with `count_write` once they commit."""
        self.round_trips += 1
        try:
            with _translated_errors():
                return await anyio.to_thread.run_sync(partial(work, *args, **params))
        finally:
            self._graph_changed()

    async def count_write(self) -> None:
        """Bump the graph's write counter for writes committed in transactions not made here."""
        try:
            await self._run(write, bump_generation, {})
        finally:
            self._graph_changed()

    def loader(self, name: str, batch: Callable[[list[K]], Awaitable[list[V]]]) -> DataLoader[K, V]:
        """This request's DataLoader called `name` (made on first use, shared afterwards)."""
        if name not in self._loaders:
            self._loaders[name] = DataLoader(load_fn=batch)
        return self._loaders[name]

    async def _run(
        self, run: Callable[..., T], work: Callable[..., Any], params: Any, abandon: bool = False
    ) -> T:
        self.round_trips += 1
        call = partial(run, self.driver, self.settings, work, timeout=self._time_left(), **params)
        with _translated_errors():
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=abandon)

    def _time_left(self) -> float:
        """The per-call timeout, or less if the request's deadline comes sooner."""
        limit = self.settings.api_query_timeout_s
        if self.deadline is None:
            return limit
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ApiError(_TIMED_OUT, code="QUERY_TIMEOUT")
        return min(limit, left)

    def _graph_changed(self) -> None:
        if self.answers is not None:
            self.answers.graph_changed()


class _translated_errors:
    """The registry's own input errors as BAD_USER_INPUT; a timed-out query as QUERY_TIMEOUT."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None or isinstance(exc, ApiError):
            return
        if isinstance(exc, RegistryError) and not isinstance(exc, DatabaseError):
            raise BadUserInput(str(exc)) from exc
        if isinstance(exc, ClientError) and "TransactionTimedOut" in (exc.code or ""):
            raise ApiError(_TIMED_OUT, code="QUERY_TIMEOUT") from exc
