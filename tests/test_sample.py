"""The bundled sample loads clean but for the warnings data/sample/README.md lists as deliberate."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from authreg.cli import app
from tests.conftest import Graph

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def deliberate_warnings(*, check_only: bool) -> Counter[str]:
    """File name → warnings the README's "Load warnings (deliberate)" table lists for it (only
    those `--check` sees, or all)."""
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    table = text.split("## Load warnings (deliberate)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| \d+ \| `([^`]+)` \| (yes|no) \|", table, flags=re.MULTILINE)
    return Counter(Path(file).name for file, seen in rows if seen == "yes" or not check_only)


def printed_warnings(output: str) -> Counter[str]:
    return Counter(re.findall(r"^warning: ([^,:]+)[,:]", output, flags=re.MULTILINE))


def graph_env(graph: Graph) -> dict[str, str]:
    """`--check` rehearses the load against this graph (without one it warns it could not)."""
    return {
        "NEO4J_URI": str(graph.settings.neo4j_uri),
        "NEO4J_USER": graph.settings.neo4j_user,
        "NEO4J_PASSWORD": graph.settings.neo4j_password.get_secret_value(),
    }


def test_the_sample_checks_with_exactly_its_deliberate_warnings_and_exits_0(graph: Graph) -> None:
    result = CliRunner().invoke(
        app, ["load", "--check", str(SAMPLE), "--json"], env=graph_env(graph)
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    expected = deliberate_warnings(check_only=True)
    assert summary["errors"] == 0 and summary["warnings"] == sum(expected.values()) == 2
    assert printed_warnings(result.output) == expected, result.output


def test_the_sample_loads_with_exactly_its_deliberate_warnings_and_exits_0(graph: Graph) -> None:
    result = CliRunner().invoke(app, ["load", str(SAMPLE), "--json"], env=graph_env(graph))
    assert result.exit_code == 0, result.output
    expected = deliberate_warnings(check_only=False)
    assert sum(expected.values()) == 3  # the third: a discretion row linked at writing (18.4)
    assert printed_warnings(result.output) == expected, result.output


EXAMPLES = SAMPLE.parents[1] / "examples"


def test_the_readme_upload_example_names_a_file_in_examples_that_validates(
    sample_graph: Graph,
) -> None:
    readme = (SAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    [named] = re.findall(r"-F 0=@(\S+)", readme)
    example = SAMPLE.parents[1] / named
    assert example.parent == EXAMPLES and example.is_file()
    fixture = SAMPLE.parents[1] / "tests" / "catalogs" / "adjustment" / example.name
    assert example.read_bytes() == fixture.read_bytes()  # the tests exercise the same file
    # it adjusts the sample's 鲤城区 list: checked against a graph holding the sample
    result = CliRunner().invoke(app, ["load", "--check", str(example)], env=graph_env(sample_graph))
    assert result.exit_code == 0, result.output
