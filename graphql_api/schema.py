"""The GraphQL schema (接口模式): the questions, lookups, search and mutations, with the limits.

Every request runs under the limits from settings: query depth, tokens and aliases (checked
before anything executes), the maximum page size (graphql_api.connections) and the per-call
database timeout (graphql_api.context). Parsed and validated documents are cached, so a
repeated query costs only its execution.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from authreg.settings import Settings
from graphql_api.errors import ErrorMasking
from graphql_api.lookups import Lookups
from graphql_api.mutations import AuditQueries, Mutation
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


def _limit_rules(settings: Settings) -> list[Any]:
    """The depth and alias rules, built ONCE: the validation cache is keyed by the rule classes,
    and each QueryDepthLimiter / MaxAliasesLimiter made per request makes new ones (0 hits)."""
    depth = QueryDepthLimiter(max_depth=settings.api_max_depth)
    aliases = MaxAliasesLimiter(max_alias_count=settings.api_max_aliases)
    return [*depth.validation_rules, *aliases.validation_rules]


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with this deployment's limits and error masking."""
    return _Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            # factories: a fresh extension per request (the caches live at module level)
            ErrorMasking.per_request(settings.api_production),
            lambda: MaxTokensLimiter(max_token_count=settings.api_max_tokens),
            partial(AddValidationRules, _limit_rules(settings)),
            lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
            lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
            RoundTrips,
        ],
    )
