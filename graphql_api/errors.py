"""The API's error codes and masking (接口错误): what a caller may see when something fails.

Raise an `ApiError` subclass in a resolver and the GraphQL error carries its message and
`extensions.code` (graphql-core copies an original exception's `extensions` dict). Everything
else raised while resolving a field is a bug or an outage: `ErrorMasking` in production hides
it behind "Internal server error (内部错误); request id …" and logs it with its traceback.

Codes: BAD_USER_INPUT (an argument is wrong), NOT_FOUND (an argument names something the
registry does not hold, e.g. a mutation's target; a query answers null or an outcome type
instead, per STYLE §7), UNAUTHENTICATED (no or unknown API key), FORBIDDEN (the key's role may
not do this), INTERNAL_SERVER_ERROR (masked). Syntax and validation errors keep graphql-core's
messages. Every error gets `extensions.requestId`, the id in the request log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from authreg.errors import RegistryError
from graphql_api.request_log import LOGGER_NAME, current_request_id, log_event

MASKED_MESSAGE = "Internal server error (内部错误); request id {request_id}"
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
        if not is_unexpected(error):
            error.extensions = {**(error.extensions or {}), "requestId": request_id}
            return error
        log_event(
            log,
            "unexpected error while resolving a field",
            level=logging.ERROR,
            exc_info=error.original_error,
            request_id=request_id,
            path=".".join(str(key) for key in error.path or ()),
        )
        if not self.production:
            error.extensions = {
                **(error.extensions or {}),
                "code": "INTERNAL_SERVER_ERROR",
                "requestId": request_id,
            }
            return error
        return GraphQLError(
            MASKED_MESSAGE.format(request_id=request_id),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
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
