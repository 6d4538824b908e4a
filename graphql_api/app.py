"""The HTTP application (服务): /graphql with GraphiQL, /healthz and /readyz, with request logs.

Every answer of /graphql is a GraphQL response with coded errors, refusals made before GraphQL
runs included (graphql_api.request_gate, `_GraphQL.run`). Swagger UI and ReDoc are off: they
load their files from a CDN, and every page the app serves uses only its own files.
"""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, nullcontext
from functools import lru_cache, partial
from typing import Any

import anyio
from cross_web import HTTPException
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from authreg.driver import open_driver
from authreg.driver import session as open_session
from authreg.settings import Settings, load_settings
from desk.routes import mount_desk
from graphql_api.answer_cache import AnswerCache
from graphql_api.auth import KeyRing
from graphql_api.context import Context
from graphql_api.errors import error_body, with_codes
from graphql_api.graphiql import assets_present, graphiql_page, mount_graphiql
from graphql_api.request_gate import RequestGate
from graphql_api.request_log import RequestLogMiddleware, configure_logging
from graphql_api.response_cache import KeptResponses, cached_response, response_key
from graphql_api.schema import build_schema
from graphql_api.serving import workers_starting
from queries.schema_version import schema_version
from schema.migrate import expected_version

GRAPHQL_PATH = "/graphql"
ASSETS_PATH = "/graphiql-assets"
EXAMPLE_QUERY = """# 谁是执法主体? Who may enforce item LC-CG-001 in 海滨街道 on 2025-07-01, and why?
# Put your key in the headers below: {"X-API-Key": "…"} (or "Authorization": "Bearer …")
query {
  authority(item: "LC-CG-001", street: "海滨街道", asOf: "2025-07-01") {
    outcome
    explanation
    subject { kind key name }
    delegation { mode validFrom catalogs { title docNumber row } }
    basis { title article text }
  }
}
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for these settings (read at start-up, never at import)."""
    settings = settings or load_settings()
    configure_logging()
    keys = KeyRing(settings)
    answers = AnswerCache.from_settings(settings)  # this process's (each worker has its own)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.driver = open_driver(settings, verify=False)
        with settled_heap() if settings.api_settled_heap else nullcontext():
            yield
        app.state.driver.close()

    app = FastAPI(
        title="Enforcement authority registry (综合行政执法事项登记)",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc come from a CDN: blank offline
        redoc_url=None,
    )
    app.add_middleware(  # the innermost: only requests the gate let through
        KeptResponses,
        path=GRAPHQL_PATH,
        keys=keys,
        answers=answers,
        enabled=settings.api_answer_cache_responses,
    )
    app.add_middleware(  # before anything reads a body
        RequestGate,
        path=GRAPHQL_PATH,
        keys=keys,
        max_body=settings.api_max_body_bytes,
        max_upload=settings.api_max_upload_bytes,
    )
    app.add_middleware(RequestLogMiddleware)  # the outermost: every request is logged

    async def context(request: Request, response: Response) -> Context:
        caller, problem = keys.caller(request.headers)
        if caller is not None:
            request.state.role = caller.role.value
        context = Context(
            driver=request.app.state.driver,
            settings=settings,
            caller=caller,
            auth_problem=problem,
            request_id=getattr(request.state, "request_id", "-"),
            answers=answers,
            deadline=time.monotonic() + settings.api_request_timeout_s,
        )
        request.state.answer_cache = context.answer_cache_use  # counted on, logged at the end
        return context

    app.state.answers = answers
    app.include_router(_GraphQL(settings, context), prefix=GRAPHQL_PATH)
    mount_graphiql(app, path=ASSETS_PATH)
    _health_routes(app, settings)
    mount_desk(app, settings)  # the desk's pages at / (desk/), signed in with the same keys
    return app


class _GraphQL(GraphQLRouter):
    """strawberry's router, with GraphiQL served from the app's own files (no CDN), whole
    responses of questions-only queries kept in the answer cache (graphql_api.response_cache),
    a time limit per request, and its HTTP refusals (not JSON, a batch, …) as GraphQL errors."""

    def __init__(self, settings: Settings, context: object) -> None:
        super().__init__(
            build_schema(settings),
            context_getter=context,
            multipart_uploads_enabled=True,
            allow_queries_via_get=False,  # a GET never runs a query (no CSRF through links)
        )
        self.max_upload_bytes = settings.api_max_upload_bytes
        self.max_tokens = settings.api_max_tokens
        self.request_timeout_s = settings.api_request_timeout_s

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as refused:
            request_id = getattr(request.state, "request_id", "-")
            body = error_body(_http_reason(refused), "BAD_REQUEST", request_id)
            return Response(body, refused.status_code, media_type="application/json")

    def parse_json(self, data: str | bytes) -> Any:
        try:
            parsed = self.decode_json(data)
        except ValueError as exc:  # not JSON, or not UTF-8
            raise HTTPException(400, f"the request body is not JSON in UTF-8 ({exc})") from exc
        if isinstance(parsed, list):
            raise HTTPException(
                400, "batched requests (a JSON array) are not supported: send one object each"
            )
        if not isinstance(parsed, dict):
            raise HTTPException(
                400, 'the request body must be a JSON object: {"query", "variables", …}'
            )
        return parsed

    async def execute_single(  # type: ignore[override]
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        execute = partial(
            super().execute_single,
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )
        asked = {
            "query": request_data.query,
            "variables": request_data.variables,
            "operationName": request_data.operation_name,
        }
        enabled = context.settings.api_answer_cache_responses
        key = response_key(context.answers, context.caller, asked, enabled)
        if key is not None:
            execute = partial(cached_response, context, key, execute)
        result = await self._within_time(execute, context, request_data)
        if result.errors:
            result.errors = with_codes(result.errors, context.request_id)
        return result

    async def _within_time(
        self, execute: Any, context: Context, request_data: GraphQLRequestData
    ) -> ExecutionResult:
        if _is_mutation(request_data.query, request_data.operation_name, self.max_tokens):
            # A write is not cut off half-way: each of its transactions has the time left
            # (Context.deadline), and Neo4j rolls back one that runs over.
            return await execute()  # type: ignore[no-any-return]
        try:
            with anyio.fail_after(self.request_timeout_s):
                return await execute()  # type: ignore[no-any-return]
        except TimeoutError:
            return _timed_out(context, self.request_timeout_s)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        if not assets_present():
            return HTMLResponse(
                "<p>GraphiQL's files are not installed here: run <code>make graphiql</code>. "
                f"The API itself answers POST requests at {GRAPHQL_PATH}.</p>",
                status_code=503,
            )
        return HTMLResponse(graphiql_page(ASSETS_PATH, GRAPHQL_PATH, EXAMPLE_QUERY))


def _timed_out(context: Context, limit: float) -> ExecutionResult:
    error = GraphQLError(
        f"the request did not finish within {limit:g} s (请求超时); ask for less, or narrow it",
        extensions={"code": "QUERY_TIMEOUT", "requestId": context.request_id},
    )
    return ExecutionResult(
        data=None, errors=[error], extensions={"roundTrips": context.round_trips}
    )


def _http_reason(refused: HTTPException) -> str:
    if refused.status_code == 405 or "GET" in refused.reason:
        return f"{refused.reason}: send queries as POST with a JSON body (请使用POST)"
    return refused.reason


@lru_cache(maxsize=512)
def _is_mutation(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """Whether the operation to run is a mutation (unparsable: no, GraphQL will say why)."""
    try:
        document = parse(query or "", max_tokens=max_tokens)
    except GraphQLError:
        return False
    return any(
        isinstance(definition, OperationDefinitionNode)
        and definition.operation is OperationType.MUTATION
        and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        )
        for definition in document.definitions
    )


@contextmanager
def settled_heap() -> Iterator[None]:
    """What the process holds once started (modules, schema, app, driver) is left out of the
    garbage collector's passes while it serves, and put back when it stops.

    A request makes and drops thousands of objects, so the collector runs every few requests,
    and its older passes walked every long-lived object of the started API (~190,000) again:
    0.64 ms of collector time an uncached authority execution, 0.25 ms with them frozen
    (issue 16.4, BENCHMARKS.md).
    Unfrozen on the way out, so a test process that starts many apps frees the earlier ones.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _health_routes(app: FastAPI, settings: Settings) -> None:
    @app.get("/healthz", summary="The process is up (进程存活)")
    async def healthz() -> dict[str, str]:  # on the event loop: no thread it must wait for
        return {"status": "ok"}

    @app.get(
        "/readyz",
        summary="Neo4j is reachable and migrated, and every worker process is up (就绪)",
    )
    def readyz() -> JSONResponse:
        if (starting := workers_starting()) is not None:
            return JSONResponse({"status": "unavailable", "reason": starting}, 503)
        expected, _ = expected_version()
        try:
            with open_session(app.state.driver, settings.neo4j_database) as session:
                found = session.execute_read(schema_version)
        except (ServiceUnavailable, Neo4jError, OSError):
            return JSONResponse({"status": "unavailable", "reason": "Neo4j not reachable"}, 503)
        if found is None or found.version < expected:
            return JSONResponse(
                {
                    "status": "unavailable",
                    "reason": "schema not migrated",
                    "expected_version": expected,
                },
                503,
            )
        return JSONResponse({"status": "ready", "schema_version": found.version})
