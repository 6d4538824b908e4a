"""The HTTP application (服务): /graphql with GraphiQL, /healthz and /readyz, with request logs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from authreg.driver import open_driver
from authreg.driver import session as open_session
from authreg.settings import Settings, load_settings
from desk.routes import mount_desk
from graphql_api.answer_cache import AnswerCache
from graphql_api.auth import API_KEY_HEADER, KeyRing
from graphql_api.context import Context
from graphql_api.graphiql import assets_present, graphiql_page, mount_graphiql
from graphql_api.request_log import RequestLogMiddleware, configure_logging
from graphql_api.response_cache import KeptResponses, cached_response, response_key
from graphql_api.schema import build_schema
from queries.schema_version import schema_version
from schema.migrate import expected_version

GRAPHQL_PATH = "/graphql"
ASSETS_PATH = "/graphiql-assets"
EXAMPLE_QUERY = """# 谁是执法主体? Who may enforce item LC-CG-001 in 海滨街道 on 2025-07-01, and why?
# Put your key in the headers below: {"X-API-Key": "…"}
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
        yield
        app.state.driver.close()

    app = FastAPI(title="Enforcement authority registry (综合行政执法事项登记)", lifespan=lifespan)
    app.add_middleware(  # inside the request log (added after it: the outer one)
        KeptResponses,
        path=GRAPHQL_PATH,
        keys=keys,
        answers=answers,
        enabled=settings.api_answer_cache_responses,
    )
    app.add_middleware(RequestLogMiddleware)

    async def context(request: Request, response: Response) -> Context:
        caller, problem = keys.identify(request.headers.get(API_KEY_HEADER))
        if caller is not None:
            request.state.role = caller.role.value
        context = Context(
            driver=request.app.state.driver,
            settings=settings,
            caller=caller,
            auth_problem=problem,
            request_id=getattr(request.state, "request_id", "-"),
            answers=answers,
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
    """strawberry's router, with GraphiQL served from the app's own files (no CDN), and whole
    responses of questions-only queries kept in the answer cache (graphql_api.response_cache)."""

    def __init__(self, settings: Settings, context: object) -> None:
        super().__init__(
            build_schema(settings),
            context_getter=context,
            multipart_uploads_enabled=True,
            allow_queries_via_get=False,  # a GET never runs a query (no CSRF through links)
        )
        self.max_upload_bytes = settings.api_max_upload_bytes

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
        if key is None:
            return await execute()
        return await cached_response(context, key, execute)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        if not assets_present():
            return HTMLResponse(
                "<p>GraphiQL's files are not installed here: run <code>make graphiql</code>. "
                f"The API itself answers POST requests at {GRAPHQL_PATH}.</p>",
                status_code=503,
            )
        return HTMLResponse(graphiql_page(ASSETS_PATH, GRAPHQL_PATH, EXAMPLE_QUERY))


def _health_routes(app: FastAPI, settings: Settings) -> None:
    @app.get("/healthz", summary="The process is up (进程存活)")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Neo4j is reachable and migrated (数据库就绪)")
    def readyz() -> JSONResponse:
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
