"""The repository is whole on its own: a user clones only it, so no test, script or default may
read a folder beside the checkout (`../shared` exists only next to a development checkout)."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE_FOLDERS = (
    "authreg",
    "schema",
    "loaders",
    "queries",
    "graphql_api",
    "synthetic",
    "bench",
    "tests",
)
OUTSIDE = re.compile(r"\.\./shared|/work/shared|parents\[[3-9]\]")


def test_no_code_or_test_reads_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for folder in CODE_FOLDERS
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_real_documents_the_tests_read_are_in_the_repository_with_provenance() -> None:
    real = REPO / "data" / "real-catalogs"
    laws = REPO / "data" / "sample" / "laws"
    assert len(list(real.glob("*.csv"))) >= 8 and (real / "PROVENANCE.md").is_file()
    assert len(list(laws.glob("*.md"))) >= 20 and (laws / "PROVENANCE.md").is_file()
