"""YAML as text (YAML 文本): block mappings and one-line flow records, written fast and the same each run.

PyYAML's dumper is slow for thousands of organisation files; these files need only mappings,
lists, strings, numbers and dates. Strings are quoted unless they are plain Chinese or ASCII
words, so nothing is read back as a number, a date or a boolean.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

_PLAIN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\w（）]*|[a-z][a-z0-9_-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
# What JSON leaves raw but YAML refuses (DEL, C1 controls, U+FFFE/F) or reads as a line break.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def scalar(value: Any) -> str:
    """One value in YAML: dates and numbers bare, safe words plain, other strings quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return f'"{value.isoformat()}"'
    if isinstance(value, date | int | float):
        return value.isoformat() if isinstance(value, date) else repr(value)
    return _text(str(value))


@lru_cache(maxsize=65536)
def _text(text: str) -> str:
    # Cached: organisation files repeat the same names, codes and roles thousands of times.
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def flow(value: Any) -> str:
    """A value on one line: {key: value, …} and [a, b] for mappings and lists."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block(mapping: Mapping[str, Any], indent: int = 0) -> list[str]:
    """A mapping as block lines; lists become `- {…}` lines, nested mappings indent."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines += block(value, indent + 2)
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Mapping):
            lines.append(f"{pad}{key}:")
            lines += [f"{pad}  - {flow(item)}" for item in value]
        else:
            lines.append(f"{pad}{key}: {flow(value)}")
    return lines


def document(comments: Iterable[str], mapping: Mapping[str, Any]) -> str:
    """A whole YAML file: `# …` comment lines, then the mapping."""
    return "\n".join([*(f"# {line}" for line in comments), *block(mapping)]) + "\n"
