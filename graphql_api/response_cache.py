"""Whole responses from the answer cache (整份答复缓存): a query asked again, answered without
executing it.

Only a query whose root fields are all questions answered from the answer cache (authority,
legalBasis, caseChecks; `__typename` too) is kept, only when it ran without errors, and under a
key holding the query text, its variables, the operation's name, the caller's role and today's
date (the day an omitted asOf means). So a masked answer (a viewer's, with FORBIDDEN errors) is
never kept, a role never gets another role's response, and a caller without a valid key never
gets one at all. The rule of `graphql_api.answer_cache` applies: a response is kept under the
stamp taken before it was executed and served only while that stamp is current.

Two ways out: `cached_response`, inside the GraphQL router (it reads the graph's counter when
the check is due, and keeps what ran), and `KeptResponses`, an ASGI middleware in front of
FastAPI that answers a kept response straight from the request's bytes while the counter's last
reading is recent, skipping routing, dependencies and strawberry; anything else goes on.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Hashable
from functools import lru_cache
from typing import Any, NamedTuple

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.types import ExecutionResult

from graphql_api.answer_cache import MISSING, AnswerCache
from graphql_api.auth import Caller, KeyRing
from graphql_api.context import Context
from graphql_api.questions import CACHED_QUESTIONS, today

KEPT_ROOT_FIELDS = CACHED_QUESTIONS | {"__typename"}
PARSED_QUERIES = 512  # query texts whose root fields are remembered
LARGEST_KEPT_REQUEST = 64 * 1024  # bytes: a larger request body always goes the long way


class KeptResponse(NamedTuple):
    data: dict[str, Any]
    data_json: str  # `data` as strawberry encodes it
    answers: int  # the cached questions it answers (counted as hits when it is served)


def response_key(
    answers: AnswerCache | None,
    caller: Caller | None,
    request: dict[str, Any],
    enabled: bool = True,
) -> Hashable | None:
    """The key a response to this request ({query, variables, operationName}) is kept under,
    or None if it is not to be kept."""
    if not enabled or answers is None or not answers.enabled or caller is None:
        return None
    query, variables, operation = (request.get(k) for k in ("query", "variables", "operationName"))
    if not isinstance(query, str) or not isinstance(variables, dict | None):
        return None
    if not isinstance(operation, str | None) or not asks_only_cached_questions(query, operation):
        return None
    variables_json = json.dumps(variables or {}, sort_keys=True, ensure_ascii=False)
    return ("response", query, variables_json, operation, caller.role, today())


async def cached_response(
    context: Context, key: Hashable, execute: Callable[[], Awaitable[ExecutionResult]]
) -> ExecutionResult:
    """The response kept under `key` while current, else `execute`'s (kept if clean)."""
    answers = context.answers
    assert answers is not None  # response_key gave a key
    kept = await answers.lookup(key, context.read)
    if kept is not MISSING:
        context.answer_cache_use["hits"] += kept.answers
        return ExecutionResult(data=kept.data, errors=None, extensions=served(context))
    stamp = answers.stamp()
    result = await execute()
    if not result.errors and result.data is not None:
        data_json = json.dumps(result.data, separators=(",", ":"))
        asked = sum(context.answer_cache_use.values())
        answers.keep(key, stamp, KeptResponse(result.data, data_json, asked))
    return result


def served(context: Context) -> dict[str, Any]:
    """The `extensions` of a kept response (RoundTrips does not run for it)."""
    return {
        "roundTrips": context.round_trips,
        "answerCache": {**context.answer_cache_use, "response": "hit"},
    }


class KeptResponses:
    """ASGI middleware: a JSON POST to `path` whose response is kept and current is answered
    here, as strawberry would answer it; everything else goes on to the app unchanged."""

    def __init__(
        self, app: ASGIApp, *, path: str, keys: KeyRing, answers: AnswerCache, enabled: bool
    ) -> None:
        self.app, self.path, self.keys, self.answers = app, path, keys, answers
        self.enabled = enabled and answers.enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._may_be_kept(scope):
            await self.app(scope, receive, send)
            return
        body = await _whole_body(receive)
        if body is None:
            return  # the client went away before it finished asking
        if not await self._answered(scope, body, send):
            await self.app(scope, _replayed(body, receive), send)

    def _may_be_kept(self, scope: Scope) -> bool:
        if not self.enabled or scope["type"] != "http" or scope["method"] != "POST":
            return False
        if scope["path"] != self.path:
            return False
        headers = Headers(scope=scope)
        size = headers.get("content-length", "")
        return (
            headers.get("content-type", "").startswith("application/json")
            and size.isdigit()
            and int(size) <= LARGEST_KEPT_REQUEST
        )

    async def _answered(self, scope: Scope, body: bytes, send: Send) -> bool:
        """Send the kept response if there is one; whether it was sent."""
        try:
            request = json.loads(body)
        except ValueError:
            return False
        caller, _ = self.keys.caller(Headers(scope=scope))
        if not isinstance(request, dict) or caller is None:
            return False
        key = response_key(self.answers, caller, request)
        kept = MISSING if key is None else self.answers.peek(key)
        if kept is MISSING:
            return False
        use = {"hits": kept.answers, "misses": 0}
        state = scope.setdefault("state", {})  # what the request log reports
        state["role"], state["answer_cache"] = caller.role.value, use
        extensions = {"roundTrips": 0, "answerCache": {**use, "response": "hit"}}
        text = f'{{"data":{kept.data_json},"extensions":{json.dumps(extensions, separators=(",", ":"))}}}'
        await _send_json(send, text.encode())
        return True


@lru_cache(maxsize=PARSED_QUERIES)
def asks_only_cached_questions(query: str, operation_name: str | None) -> bool:
    """Whether the operation run is a query whose root fields are all in KEPT_ROOT_FIELDS
    (a fragment at the root is not looked into: not kept)."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        )
    ]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return False
    return all(
        isinstance(selection, FieldNode) and selection.name.value in KEPT_ROOT_FIELDS
        for selection in operations[0].selection_set.selections
    )


async def _whole_body(receive: Receive) -> bytes | None:
    """The request's body, or None if the client went away first."""
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


def _replayed(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then what the client sends next."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def _send_json(send: Send, body: bytes) -> None:
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
