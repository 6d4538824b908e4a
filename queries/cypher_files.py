"""Reading the named Cypher files of queries/ (查询文件), once each."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
# `// params:` and its continuation lines, up to the next header field (`// returns:` …).
_PARAMS_HEADER = re.compile(r"^//\s*params:\s*(.*?)(?=^//\s*\w+:|^[^/])", re.MULTILINE | re.DOTALL)


@cache
def cypher(name: str) -> str:
    """The text of queries/<name>.cypher (header comments included; Neo4j ignores them)."""
    return (QUERIES_DIR / f"{name}.cypher").read_text(encoding="utf-8")


def header_params(text: str) -> set[str]:
    """Parameter names a file's `// params:` header declares ($name TYPE, ...)."""
    match = _PARAMS_HEADER.search(text)
    if match is None or match.group(1).strip() in {"", "none"}:
        return set()
    return set(re.findall(r"\$(\w+)", match.group(1)))
