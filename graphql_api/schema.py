"""The GraphQL schema (接口模式): the questions, lookups, search and mutations, with the limits.

Every request runs under the limits from settings: tokens (while parsing), then fields once
fragments are expanded, depth and aliases (graphql_api.query_cost, measured before validation
expands anything), the maximum page size (graphql_api.connections) and the per-call and
per-request timeouts (graphql_api.context, graphql_api.app). Parsed and validated documents are
cached, so a repeated query costs only its execution.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.extensions.validation_cache import _get_validate_cache

from authreg.settings import Settings
from graphql_api.errors import ErrorMasking
from graphql_api.lookups import Lookups
from graphql_api.mutations import AuditQueries, Mutation
from graphql_api.query_cost import Limits, refusal
from graphql_api.questions import Questions
from graphql_api.routing import Routing
from graphql_api.search import Search

CACHED_DOCUMENTS = 512


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
    """Validation, cached per document, after the document's cost is within the limits: a
    query over them is refused here (QUERY_TOO_COMPLEX) and no validation rule sees it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.validate = _get_validate_cache(CACHED_DOCUMENTS)  # shared by every request

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # parsed: a syntax error never reaches validation
        refused = _measured_refusal(document, self.limits)
        if refused is not None:
            context.pre_execution_errors = [refused]
        else:
            context.pre_execution_errors = self.validate(
                context.schema._schema, document, context.validation_rules
            )
        yield


def _measured_refusal(document: Any, limits: Limits) -> GraphQLError | None:
    """A fresh error each time (ErrorMasking adds this request's id to it)."""
    refused = _measured(document, limits)
    return None if refused is None else GraphQLError(refused[0], extensions=dict(refused[1]))


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _measured(document: Any, limits: Limits) -> tuple[str, dict[str, Any]] | None:
    refused = refusal(document, limits)
    return None if refused is None else (refused.message, refused.extensions or {})


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with this deployment's limits and error masking."""
    limits = Limits(
        fields=settings.api_max_fields,
        depth=settings.api_max_depth,
        aliases=settings.api_max_aliases,
    )
    return _Schema(
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
