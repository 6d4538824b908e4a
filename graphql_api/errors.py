"""The API's error codes and masking (接口错误): what a caller may see when something fails.

Raise an `ApiError` subclass in a resolver and the GraphQL error carries its message and
`extensions.code` (graphql-core copies an original exception's `extensions` dict). Everything
else raised while resolving a field is a bug or an outage: `ErrorMasking` in production hides
it behind "Internal server error (内部错误); request id …" and logs it with its traceback.

Every error has `extensions.code` and `extensions.requestId` (the id in the request log):
BAD_USER_INPUT (an argument or variable is wrong: a date like "2025-02-30", a number out of
range), NOT_FOUND (an argument names something the registry does not hold, e.g. a mutation's
target; a query answers null or an outcome type instead, per STYLE §7), UNAUTHENTICATED (no or
unknown API key; HTTP 401), FORBIDDEN (the key's role may not do this), GRAPHQL_PARSE_FAILED (not
GraphQL), GRAPHQL_VALIDATION_FAILED (an unknown field or argument, a wrong operation name),
QUERY_TOO_COMPLEX (over the tokens, fields, depth or aliases limits), QUERY_TIMEOUT (a database
call or the whole request took too long), BAD_REQUEST (the HTTP request itself: not JSON, a
batch, a GET with a query; HTTP 400), PAYLOAD_TOO_LARGE (HTTP 413), INTERNAL_SERVER_ERROR
(masked). Syntax and validation errors keep graphql-core's messages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from authreg.errors import RegistryError
from graphql_api.request_log import LOGGER_NAME, current_request_id, log_event

MASKED_MESSAGE = "Internal server error (内部错误); request id {request_id}"
INTERNAL = "INTERNAL_SERVER_ERROR"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
log = logging.getLogger(LOGGER_NAME)


class ApiError(RegistryError):
    """An error meant for the caller: its message is shown as is, `code` in extensions.code."""

    code: str = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.extensions: dict[str, Any] = {**(extensions or {}), "code": self.code}


class BadUserInput(ApiError):
    """An argument the registry cannot use (输入有误)."""

    code = "BAD_USER_INPUT"


class NotFound(ApiError):
    """An argument names something the registry does not hold (查无此项)."""

    code = "NOT_FOUND"


class Unauthenticated(ApiError):
    """No API key, or one the registry does not know (未认证)."""

    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    """The caller's role may not do this (无权限)."""

    code = "FORBIDDEN"


class ErrorMasking(SchemaExtension):
    """Add requestId to every error; in production replace unexpected ones by a masked message.

    Give strawberry a factory, not an instance, so each request gets its own extension:
    `extensions=[ErrorMasking.per_request(production=True)]`.
    """

    def __init__(self, production: bool = True) -> None:
        self.production = production

    @classmethod
    def per_request(cls, production: bool) -> Callable[[], ErrorMasking]:
        return partial(cls, production=production)

    def on_operation(self) -> Iterator[None]:
        execution_context = self.execution_context  # this request's, taken before yielding
        yield
        result = execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            request_id = _request_id(execution_context.context)
            result.errors = [self._answer(error, request_id) for error in errors]  # type: ignore[union-attr]

    def _answer(self, error: GraphQLError, request_id: str) -> GraphQLError:
        """A copy of `error` with its code and the request id (a cached validation error is
        shared by requests: never changed in place)."""
        if not is_unexpected(error):
            return _coded(error, code_of(error), request_id, error.message)
        log_event(
            log,
            "unexpected error while resolving a field",
            level=logging.ERROR,
            exc_info=error.original_error,
            request_id=request_id,
            path=".".join(str(key) for key in error.path or ()),
        )
        if not self.production:
            return _coded(error, INTERNAL, request_id, error.message)
        return _coded(error, INTERNAL, request_id, MASKED_MESSAGE.format(request_id=request_id))


def code_of(error: GraphQLError) -> str:
    """The code of an error meant for the caller: its own, else by where it arose."""
    own = (error.extensions or {}).get("code")
    if own:
        return str(own)
    if error.message.startswith("Syntax Error: Document contains more than"):
        return TOO_COMPLEX  # graphql-core's token limit, reported as a syntax error
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.original_error is not None or _is_bad_value(error.message):
        return "BAD_USER_INPUT"  # a value a scalar refused ("2025-02-30"), a variable's type
    if error.path is not None:
        return "BAD_USER_INPUT"  # a permission class's or a resolver's GraphQLError
    return "GRAPHQL_VALIDATION_FAILED"


def with_codes(errors: list[GraphQLError], request_id: str) -> list[GraphQLError]:
    """The errors, each with a code and the request id (those strawberry reports outside the
    extensions' reach, e.g. syntax errors, have neither)."""
    return [
        error
        if {"code", "requestId"} <= set(error.extensions or {})
        else _coded(error, code_of(error), request_id, error.message)
        for error in errors
    ]


def _is_bad_value(message: str) -> bool:
    """graphql-core's words for a value of the wrong type, given inline or in a variable."""
    return (
        message.startswith("Variable '$")
        or "cannot represent" in message
        or message.startswith("Expected value of type")
    )


def error_body(message: str, code: str, request_id: str) -> bytes:
    """A GraphQL response holding one error, for refusals made before GraphQL runs."""
    error = {"message": message, "extensions": {"code": code, "requestId": request_id}}
    return json.dumps({"data": None, "errors": [error]}, ensure_ascii=False).encode()


def _coded(error: GraphQLError, code: str, request_id: str, message: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions={**(error.extensions or {}), "code": code, "requestId": request_id},
    )


def is_unexpected(error: GraphQLError) -> bool:
    """Raised while resolving a field (it has a path) by something other than an ApiError.

    Errors without a path are the request's own fault (syntax, validation, variable values)
    even when a scalar's parser raised them. A GraphQLError raised on purpose (strawberry's
    permission classes) is meant for the caller too.
    """
    original = error.original_error
    return (
        error.path is not None
        and original is not None
        and not isinstance(original, ApiError | GraphQLError)
    )


def _request_id(context: object) -> str:
    found = getattr(context, "request_id", None) or current_request_id()
    return found or "-"
