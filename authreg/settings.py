"""Settings (配置) from the environment and an optional .env file, built by load_settings()."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LOCAL_HOME = PROJECT_ROOT / ".local" / "neo4j"


class ApiKey(BaseModel):
    """One API key (接口密钥): who holds it (recorded in the audit trail) and its role."""

    name: str = Field(min_length=1)
    role: Literal["viewer", "editor", "reviewer", "admin"]
    key: SecretStr
    # Issue 17.7: an editor's or reviewer's key may write only in these regions (GB/T 2260 codes,
    # a county takes its streets, a city its counties); reads are unchanged. Empty: everywhere.
    regions: list[Annotated[str, Field(pattern=r"^\d{6}$")]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _regions_for_writers(self) -> ApiKey:
        if self.regions and self.role not in ("editor", "reviewer"):
            raise ValueError(
                f"regions limit what a key writes: only an editor's or reviewer's key takes them "
                f"(this key has the role {self.role})"
            )
        return self

    @field_validator("key")
    @classmethod
    def _long_key(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("an API key must have at least 16 characters")
        return value


class Settings(BaseSettings):
    """Where the graph lives and how the local Neo4j runs.

    `NEO4J_URI` / `NEO4J_USER` / `NEO4J_PASSWORD` point at any Neo4j 5.26 (docker-compose,
    Aura, a cluster through neo4j://). Without `NEO4J_URI` the registry uses the local Neo4j
    that `authreg db start` runs from Maven Central jars.
    """

    model_config = SettingsConfigDict(
        env_prefix="AUTHREG_", env_file=".env", extra="ignore", populate_by_name=True
    )

    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_URI", "AUTHREG_NEO4J_URI"),
        description="Bolt or neo4j:// URI of an external Neo4j; unset = the local Neo4j",
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "AUTHREG_NEO4J_USER")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr("authreg-local"),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "AUTHREG_NEO4J_PASSWORD"),
    )
    neo4j_database: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "AUTHREG_NEO4J_DATABASE"),
    )
    connection_timeout_s: float = 5.0
    query_timeout_s: float = 30.0

    sample_dir: Path = PROJECT_ROOT / "data" / "sample"  # what `authreg load --sample` loads

    # The API (graphql_api/): who may call it, and the limits every request runs under.
    api_keys: list[ApiKey] = Field(
        default_factory=list,
        description="AUTHREG_API_KEYS: a JSON list of {name, role, key[, regions]}; role is "
        "viewer, editor, reviewer or admin; the key is sent in the X-API-Key header; regions "
        "(county or city codes) limit where an editor's or reviewer's key may write",
    )
    api_anonymous_read: bool = Field(
        default=False, description="let callers without a key read as viewers (匿名只读)"
    )
    api_production: bool = Field(
        default=True, description="mask unexpected errors (no stack traces or Cypher)"
    )
    api_query_timeout_s: float = 10.0  # every database call made for one request
    api_request_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="the most time one GraphQL request may take, database calls included",
    )
    api_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="the largest request body; a catalog upload may be larger by "
        "AUTHREG_API_MAX_UPLOAD_BYTES",
    )
    api_max_fields: int = Field(
        default=1000,
        ge=1,
        description="the most fields one query may ask once its fragments are expanded",
    )
    api_max_depth: int = 12
    api_max_tokens: int = 2000
    api_max_aliases: int = 15
    api_max_page_size: int = 100
    api_max_upload_bytes: int = 20 * 1024 * 1024
    api_answer_cache_size: int = Field(
        default=4096,
        ge=0,
        description="answers (authority, legalBasis, caseChecks) and whole responses each API "
        "process keeps in memory, least recently used out; 0 = off",
    )
    api_answer_cache_check_ms: float = Field(
        default=1000,
        ge=0,
        description="how often (at most) the answer cache re-reads the graph's write counter: a "
        "write by another process is served stale for at most this long",
    )
    api_settled_heap: bool = Field(
        default=True,
        description="freeze what the started API holds out of the garbage collector's passes "
        "while it serves (0.4 ms less an uncached request); off where one process starts many "
        "apps, as the tests do: each start collects the whole process first",
    )
    api_answer_cache_responses: bool = Field(
        default=True,
        description="the answer cache also keeps whole responses of queries that ask only "
        "cached questions (per query, variables and role)",
    )

    load_workers: int = Field(
        default_factory=lambda: min(2, os.cpu_count() or 1),
        ge=1,
        description="processes that read and validate files in `authreg load` and `authreg db "
        "import` (forked; 1 = all in the command's own process); the bulk import also writes "
        "its CSV files with as many",
    )

    local_home: Path = DEFAULT_LOCAL_HOME
    local_port: int = 7687
    local_heap: str = "1g"
    local_pagecache: str = "256m"
    local_start_timeout_s: float = 180.0
    local_jit: Literal["quick", "full"] = Field(
        default="quick",
        description="the local Neo4j's JIT compilers: quick (C1 only: ready and loaded sooner, "
        "smaller; for the demo and short runs) or full (C1 and C2: slower to warm up, faster "
        "after; for a server that stays up)",
    )

    @field_validator("neo4j_password")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        # Neo4j refuses initial passwords shorter than 8 characters (dbms set-initial-password).
        if len(value.get_secret_value()) < 8:
            raise ValueError("NEO4J_PASSWORD must have at least 8 characters")
        return value

    @field_validator("local_port")
    @classmethod
    def _valid_port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("AUTHREG_LOCAL_PORT must be between 1 and 65535")
        return value

    @property
    def uses_local_neo4j(self) -> bool:
        return not self.neo4j_uri


def load_settings(**overrides: object) -> Settings:
    """Read settings now (never at import), so a test run can point at its own Neo4j."""
    from pydantic import ValidationError

    from authreg.errors import ConfigError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"Bad setting {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
