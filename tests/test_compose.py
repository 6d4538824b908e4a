"""docker-compose.yml cannot run here (no Docker engine), so it is checked by reading."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import typer.main
import yaml

from authreg.cli import app

REPO = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_neo4j_service_is_526_community_with_a_named_volume_and_healthcheck() -> None:
    spec = compose()
    neo4j = spec["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    mounts = dict(volume.split(":", 1) for volume in neo4j["volumes"])
    assert mounts["neo4j-data"] == "/data" and "neo4j-data" in spec["volumes"]
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert "127.0.0.1:7687:7687" in neo4j["ports"]
    assert neo4j["env_file"] == ".env" and "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]


def test_api_waits_for_healthy_neo4j_and_a_finished_loader() -> None:
    services = compose()["services"]
    api = services["api"]
    assert api["build"] == "." and (REPO / "Dockerfile").is_file()
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["depends_on"]["loader"]["condition"] == "service_completed_successfully"
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    assert services["loader"]["restart"] == "no"


def test_compose_commands_exist_in_the_cli() -> None:
    root = typer.main.get_command(app)
    for name in ("api", "loader"):
        command = compose()["services"][name]["command"]
        line = command[-1] if command[0] == "sh" else shlex.join(command)
        for step in line.split("&&"):
            words = shlex.split(step)
            assert words[0] == "authreg", step
            assert words[1] in root.commands, f"compose runs `authreg {words[1]}`, which is unknown"


def test_env_example_names_every_variable_compose_requires() -> None:
    example = (REPO / ".env.example").read_text()
    assert "NEO4J_PASSWORD=" in example
    assert ".env" in (REPO / ".gitignore").read_text().split()


def test_the_image_copies_every_package_the_wheel_ships_and_fetches_every_vendored_asset() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    project = (REPO / "pyproject.toml").read_text()
    packages = yaml.safe_load(project.split("packages = ", 1)[1].split("\n", 1)[0])
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile, package
    # Browser files are git-ignored and fetched at build time (no CDN at run time).
    assert "python -m graphql_api.graphiql fetch" in dockerfile
    assert "python -m desk.assets fetch" in dockerfile
