"""Every .cypher file uses only the model's labels and types, and declares exactly its params."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries.cypher_files import QUERIES_DIR, header_params
from schema.labels import Label, Rel

CYPHER_FILES = sorted(QUERIES_DIR.glob("*.cypher"))
# Labels in patterns like (n:Label) or (:Label|Other); types in [r:TYPE] or [:A|B*1..3].
_LABELS = re.compile(r"\(\s*\w*\s*:\s*([A-Za-z|:&]+)")
_TYPES = re.compile(r"\[\s*\w*\s*:\s*([A-Z_|]+)")


def code_of(path: Path) -> str:
    return "\n".join(ln for ln in path.read_text().splitlines() if not ln.lstrip().startswith("//"))


@pytest.mark.parametrize("path", CYPHER_FILES, ids=lambda p: p.name)
def test_cypher_file_uses_only_known_labels_and_types(path: Path) -> None:
    code = code_of(path)
    labels = {name for group in _LABELS.findall(code) for name in re.split(r"[|:&]", group) if name}
    types = {name for group in _TYPES.findall(code) for name in group.split("|") if name}
    assert labels <= {label.value for label in Label}, labels - {label.value for label in Label}
    assert types <= {rel.value for rel in Rel}, types - {rel.value for rel in Rel}


@pytest.mark.parametrize("path", CYPHER_FILES, ids=lambda p: p.name)
def test_cypher_file_header_declares_exactly_the_params_it_uses(path: Path) -> None:
    text = path.read_text()
    assert text.startswith("// "), "a query file starts with a comment naming what it answers"
    for field in ("params:", "returns:", "rule:"):
        assert f"// {field}" in text, f"{path.name} header lacks {field}"
    assert header_params(text) == set(re.findall(r"\$(\w+)", code_of(path)))


def test_there_are_query_files_to_check() -> None:
    assert CYPHER_FILES
