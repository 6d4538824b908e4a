"""The API's answer cache (答案缓存): the same question answered again from memory while the graph
is unchanged.

One cache per process (per uvicorn worker): a bounded LRU of `queries/` answers keyed by the
question and its parameters, the day asked about included. An answer is filed under a stamp:
the graph's write counter (queries.graph_generation, bumped by every write transaction) as last
read, and the count of writes made through this process. It is served only while its stamp is
the current one. The counter is read again at most every `api_answer_cache_check_ms`, by the
first question that finds its last reading that old: a write by another process (a CLI load,
another worker) is served stale for at most that long (plus one read). A write through this
process (`graph_changed`) clears the cache at once, and an answer whose read overlapped such a
write is not kept.

Why a stamp read BEFORE the answer is safe: the answer is then at least as new as every write
the stamp counts, and any later write changes the counter, which the next check sees. When a
check is due and the question is not cached, the counter and the answer are read in one
transaction (counter first), so a miss costs one round trip as without the cache. On a cluster
the driver's shared bookmarks make each read wait for the writes the previous one saw.

Answers are the pydantic objects `queries/` returns, shared between requests and never changed:
field selection, role checks and personal-data masking still run on every request. The same
cache, under the same rule, also holds whole responses (graphql_api.response_cache), through
`lookup`, `peek` and `keep`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from neo4j import ManagedTransaction

from authreg.settings import Settings
from queries.graph_generation import GraphGeneration, graph_generation

Stamp = tuple[GraphGeneration | None, int]  # the counter last read; writes made by this process
Read = Callable[..., Awaitable[Any]]  # runs a `queries/` function in a read transaction
MISSING = object()  # what `lookup` gives for nothing current


class AnswerCache:
    """A bounded LRU of answers, each valid while the graph's stamp is unchanged."""

    def __init__(
        self, size: int, check_ms: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.size = size
        self.check_s = check_ms / 1000
        self.hits = 0
        self.misses = 0
        self._clock = clock
        self._answers: OrderedDict[Hashable, tuple[Stamp, Any]] = OrderedDict()
        self._generation: GraphGeneration | None = None
        self._checked_at = float("-inf")  # when the last reading of the counter began
        self._own_writes = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerCache:
        return cls(settings.api_answer_cache_size, settings.api_answer_cache_check_ms)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def __len__(self) -> int:
        return len(self._answers)

    async def answer(
        self, read: Read, work: Callable[..., Any], params: dict[str, Any]
    ) -> tuple[Any, bool]:
        """`work`'s answer for `params`, from the cache if its stamp is current, else read
        through `read` (and kept); and whether it came from the cache."""
        key = (work.__name__, *sorted(params.items()))
        if self._check_due() and key not in self._answers:  # a miss: counter and answer at once
            began, own_writes = self._clock(), self._own_writes
            generation, fresh = await read(_after_generation(work), **params)
            self._checked(began, generation)
            self.misses += 1
            self.keep(key, (generation, own_writes), fresh)
            return fresh, False
        found = await self.lookup(key, read)
        if found is not MISSING:
            return found, True
        stamp = self.stamp()
        fresh = await read(work, **params)
        self.keep(key, stamp, fresh)
        return fresh, False

    async def lookup(self, key: Hashable, read: Read) -> Any:
        """What is filed under `key` if its stamp is current, else MISSING; the counter is read
        again first (through `read`) if the key is there and the check is due."""
        if key in self._answers and self._check_due():
            began = self._clock()
            self._checked(began, await read(graph_generation))
        entry = self._answers.get(key)
        if entry is None or entry[0] != self.stamp():
            self.misses += 1
            return MISSING
        self.hits += 1
        self._answers.move_to_end(key)
        return entry[1]

    def peek(self, key: Hashable) -> Any:
        """What is filed under `key` if its stamp is current and the counter was read within
        the interval, else MISSING; never reads anything (for a path without the database)."""
        if self._check_due():
            return MISSING
        entry = self._answers.get(key)
        if entry is None or entry[0] != self.stamp():
            return MISSING
        self.hits += 1
        self._answers.move_to_end(key)
        return entry[1]

    def stamp(self) -> Stamp:
        """The stamp to file something under that is read from now on (see `keep`)."""
        return (self._generation, self._own_writes)

    def keep(self, key: Hashable, stamp: Stamp, value: Any) -> None:
        """File `value`, read after `stamp` was taken, unless the stamp is no longer current
        (the graph changed meanwhile: the value may be older than that)."""
        if not self.enabled or stamp != self.stamp():
            return
        self._answers[key] = (stamp, value)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def graph_changed(self) -> None:
        """This process wrote to the graph: forget every answer, and every read in flight."""
        self._own_writes += 1
        self._answers.clear()

    def _check_due(self) -> bool:
        return self._clock() - self._checked_at >= self.check_s

    def _checked(self, began: float, generation: GraphGeneration) -> None:
        if began < self._checked_at:
            return  # a slower reading that began earlier never overwrites a newer one
        if generation != self._generation:
            self._answers.clear()
        self._generation, self._checked_at = generation, began


def _after_generation(work: Callable[..., Any]) -> Callable[..., tuple[GraphGeneration, Any]]:
    """`work` preceded, in its own transaction, by a reading of the graph's write counter."""

    def generation_then_work(tx: ManagedTransaction, **params: Any) -> tuple[GraphGeneration, Any]:
        return graph_generation(tx), work(tx, **params)

    generation_then_work.metadata = getattr(work, "metadata", None)  # type: ignore[attr-defined]
    return generation_then_work
