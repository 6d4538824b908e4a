"""The GraphQL schema (接口模式): the questions, lookups, search and mutations, with the limits.

Every request runs under the limits from settings: tokens (while parsing), then fields once
fragments are expanded, depth and aliases (graphql_api.query_cost, measured before validation
expands anything), the maximum page size (graphql_api.connections) and the per-call and
per-request timeouts (graphql_api.context, graphql_api.app). Parsed and validated documents are
cached, so a repeated query costs only its execution.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.schema.schema_converter import GraphQLCoreConverter

from authreg.settings import Settings
from graphql_api.errors import ErrorMasking
from graphql_api.lookups import Lookups
from graphql_api.mutations import AuditQueries, Mutation
from graphql_api.query_cost import Limits, refusal
from graphql_api.questions import Questions
from graphql_api.routing import Routing
from graphql_api.search import Search

CACHED_DOCUMENTS = 512
DEFINITION_BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF  # GraphQLField -> strawberry field


@strawberry.type(description="Read the registry (查询登记簿)")
class Query(Questions, Routing, Lookups, Search, AuditQueries):
    pass


class RoundTrips(SchemaExtension):
    """Report in the response's `extensions` how many database transactions the request ran,
    and, when it asked cacheable questions, how many the answer cache answered (`answerCache`:
    hits and misses)."""

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        results: dict[str, Any] = {"roundTrips": getattr(context, "round_trips", 0)}
        use = getattr(context, "answer_cache_use", None)
        if use and any(use.values()):
            results["answerCache"] = dict(use)
        return results


class _Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log nothing here: ErrorMasking logs the unexpected errors as JSON with the request
        id, and the caller's own mistakes are not the server's to log (strawberry's default
        would log every message, Cypher included, as plain text)."""


class MeasuredValidation(SchemaExtension):
    """Validation, cached per query text, after the document's cost is within the limits: a
    query over them is refused here (QUERY_TOO_COMPLEX) and no validation rule sees it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # parsed: a syntax error never reaches validation
        refused, errors = CHECKED.checked(
            context.query or "", document, context.schema, context.validation_rules, self.limits
        )
        if refused is not None:  # a fresh error each time (ErrorMasking adds the request id)
            context.pre_execution_errors = [GraphQLError(refused[0], extensions=dict(refused[1]))]
        else:
            context.pre_execution_errors = errors
        yield


class CheckedDocuments:
    """What measuring and validating a query text found, remembered per text (LRU).

    Keyed by the text, not the parsed document: a document's hash walks its whole tree, which
    cost more than the rest of a cached lookup (bench/api_throughput.py's profile). The same
    text always parses to the same document, so the text decides the outcome; the schema and
    the rules are in the key too."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._found: OrderedDict[Hashable, tuple[Any, list[GraphQLError]]] = OrderedDict()

    def checked(
        self, query: str, document: Any, schema: Any, rules: Any, limits: Limits
    ) -> tuple[tuple[str, dict[str, Any]] | None, list[GraphQLError]]:
        """(the refusal's message and extensions, or None; the validation errors)."""
        key = (query, schema, tuple(rules), limits)  # the schema by identity, kept alive
        found = self._found.get(key)
        if found is not None:
            self.hits += 1
            self._found.move_to_end(key)
            return found
        self.misses += 1
        refused = refusal(document, limits)
        if refused is not None:
            found = ((refused.message, refused.extensions or {}), [])
        else:
            found = (None, validate_document(schema._schema, document, tuple(rules)))
        self._found[key] = found
        while len(self._found) > self.size:
            self._found.popitem(last=False)
        return found


CHECKED = CheckedDocuments(CACHED_DOCUMENTS)  # shared by every request and schema


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with this deployment's limits and error masking."""
    limits = Limits(
        fields=settings.api_max_fields,
        depth=settings.api_max_depth,
        aliases=settings.api_max_aliases,
    )
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            # factories: a fresh extension per request (the caches live at module level)
            ErrorMasking.per_request(settings.api_production),
            lambda: MaxTokensLimiter(max_token_count=settings.api_max_tokens),
            lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
            lambda: MeasuredValidation(limits),
            RoundTrips,
        ],
    )
    lean_resolvers(schema)
    return schema


def lean_resolvers(schema: strawberry.Schema) -> int:
    """Let graphql-core call the resolvers of plain pydantic fields directly (how many).

    strawberry wraps every resolver it is given in its own per-field machinery: an Info object,
    argument conversion, the field-extension chain; for the 20-odd fields of an authority answer
    that was a larger share of a request than parsing, validating and encoding together. A field
    made by graphql_api.pydantic_types whose resolver never reads `info` (not personal data:
    `plain`), without arguments, permission classes or field extensions, gets the same function
    called straight from graphql-core instead: the same value, without the wrapping."""
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            definition = (field.extensions or {}).get(DEFINITION_BACKREF)
            resolver = getattr(definition, "base_resolver", None)
            function = getattr(resolver, "wrapped_func", None)
            if (
                getattr(function, "plain", False) is True
                and not field.args
                and not definition.permission_classes
                and not definition.extensions
            ):
                field.resolve = _direct(function)
                replaced += 1
    return replaced


def _direct(resolve: Any) -> Any:
    def direct(source: Any, info: Any) -> Any:
        return resolve(source, None)

    return direct
