"""Every YAML file the registry ships (rules, vocabularies, sample data, compose) reads through
the bounded YAML reader: no repeated key (which PyYAML's plain loader silently resolves to the
last one), no impossible date, UTF-8. Test fixtures, some malformed on purpose, are left out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from loaders.yaml_files import read_yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = [
    path
    for path in subprocess.run(  # -z: paths as they are (no quoting of Chinese file names)
        ["git", "ls-files", "-z", "*.yaml", "*.yml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    if path and not path.startswith("tests/")
]


def test_the_repository_ships_yaml_files() -> None:
    assert len(SHIPPED) > 10, SHIPPED


@pytest.mark.parametrize("path", SHIPPED)
def test_a_shipped_yaml_file_reads_clean(path: str) -> None:
    assert read_yaml(REPO / path) is not None
