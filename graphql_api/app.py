"""The HTTP application (服务): health and readiness now; the GraphQL endpoint builds on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from authreg.driver import open_driver
from authreg.settings import Settings, load_settings
from queries.schema_version import schema_version
from schema.migrate import expected_version


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for these settings (read at start-up, never at import)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.driver = open_driver(settings, verify=False)
        yield
        app.state.driver.close()

    app = FastAPI(title="Enforcement authority registry (综合行政执法事项登记)", lifespan=lifespan)

    @app.get("/healthz", summary="The process is up (进程存活)")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Neo4j is reachable and migrated (数据库就绪)")
    def readyz() -> JSONResponse:
        expected, _ = expected_version()
        try:
            with app.state.driver.session(database=settings.neo4j_database) as session:
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

    return app
