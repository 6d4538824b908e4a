"""What a query would cost, measured before it is validated (查询代价): its fields once fragments
are expanded, its depth and its aliases.

graphql-core's validation and strawberry's limit rules walk a query with its fragments expanded.
A 1 KB document whose fragments each spread the previous one a few times, twenty levels down,
expands to millions of fields: validating it holds the process for minutes. `measure` counts the
same expanded tree without building it, each fragment once (memoised), so its time grows with the
document's length, not with the expansion; `refusal` turns a measure over the limits into the
error the caller gets (code QUERY_TOO_COMPLEX), before any validation rule runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from graphql_api.errors import TOO_COMPLEX


@dataclass(frozen=True)
class Cost:
    """A selection's size once expanded: fields asked, levels of fields below it, aliases."""

    fields: int = 0
    depth: int = 0  # levels of nested fields: `{ a { b } }` is 2 deep
    aliases: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.fields + other.fields, max(self.depth, other.depth), self.aliases + other.aliases
        )


@dataclass(frozen=True)
class Limits:
    fields: int
    depth: int  # as strawberry's QueryDepthLimiter counts: the root fields are depth 0
    aliases: int


def measure(document: DocumentNode) -> Cost:
    """The cost of all the document's operations together (each fragment measured once; a
    fragment that spreads itself counts nothing there: validation refuses the cycle)."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return _Measure(fragments).document(document)


def refusal(document: DocumentNode, limits: Limits) -> GraphQLError | None:
    """The error for a document over the limits, or None if it is within them."""
    try:
        cost = measure(document)
    except RecursionError:
        return _too_complex("the query's fragments nest too deeply (查询嵌套过深)")
    if cost.fields > limits.fields:
        return _too_complex(
            f"the query asks for {cost.fields:,} fields once its fragments are expanded; the "
            f"limit is {limits.fields:,} (查询字段过多)"
        )
    if cost.depth - 1 > limits.depth:
        return _too_complex(
            f"the query is {cost.depth - 1} levels deep, which exceeds maximum operation depth "
            f"of {limits.depth} (查询层级过深)"
        )
    if cost.aliases > limits.aliases:
        return _too_complex(
            f"the query uses {cost.aliases} aliases; no more than {limits.aliases} aliases are "
            "allowed (别名过多)"
        )
    return None


class _Measure:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.measured: dict[str, Cost] = {}
        self.measuring: set[str] = set()

    def document(self, document: DocumentNode) -> Cost:
        total = Cost()  # validation walks every operation, not only the one run
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                total += self.selections(definition.selection_set)
        return total

    def selections(self, selection_set: SelectionSetNode | None) -> Cost:
        total = Cost()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, field: FieldNode) -> Cost:
        below = self.selections(field.selection_set)
        # introspection (__schema, __type) and all below it adds no depth, as strawberry's
        # depth limiter counts: GraphiQL's schema query is 13 levels deep
        introspection = field.name.value.startswith("__")
        return Cost(
            fields=1 + below.fields,
            depth=0 if introspection else 1 + below.depth,
            aliases=below.aliases + (field.alias is not None),
        )

    def fragment(self, name: str) -> Cost:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return Cost()  # unknown or cyclic: validation says so
        self.measuring.add(name)
        cost = self.selections(definition.selection_set)
        self.measuring.discard(name)
        self.measured[name] = cost
        return cost


def _too_complex(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": TOO_COMPLEX})
