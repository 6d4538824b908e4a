"""Batch loaders (批量加载): every key a request level asks a relationship for, in ONE read.

A field asks `load(context, graph.street_zones, Dated(code, day))`; the request's DataLoader for
that read collects the keys of every Street resolved in the same step and runs the read once for
all of them (`queries.graph`). Loaders live as long as one request (`Context.loader`), so nothing
cached outlives it and a key asked twice in a request is read once.
"""

from __future__ import annotations

from functools import partial
from typing import TypeVar

from graphql_api.context import Context
from queries import graph
from queries.graph import BatchRead, NodeKey
from schema.labels import Label
from schema.models import Node

K = TypeVar("K")
V = TypeVar("V")


async def load(context: Context, read: BatchRead[K, V], key: K) -> V:
    """What `read` answers for one key, batched with every other key of this request step."""
    return await context.loader(read.name, partial(_batch, context, read)).load(key)


async def load_node(context: Context, label: Label, key: str) -> Node | None:
    """The node with this label and business key (None when absent), batched across labels."""
    return await context.loader("graph_nodes", partial(_nodes, context)).load(NodeKey(label, key))


async def load_nodes(context: Context, label: Label, keys: list[str]) -> list[Node | None]:
    """Several nodes of one label in key order, in the same batch as any other node lookup."""
    loader = context.loader("graph_nodes", partial(_nodes, context))
    return await loader.load_many([NodeKey(label, key) for key in keys])


async def _batch(context: Context, read: BatchRead[K, V], keys: list[K]) -> list[V]:
    found = await context.read(read, keys=list(keys))
    return [found[key] for key in keys]


async def _nodes(context: Context, keys: list[NodeKey]) -> list[Node | None]:
    found = await context.read(graph.nodes, keys=list(keys))
    return [found[key] for key in keys]
