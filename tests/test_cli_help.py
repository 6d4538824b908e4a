"""Every command and subcommand explains itself in `--help`."""

from __future__ import annotations

from typing import Any

import typer.main
from typer.testing import CliRunner

from authreg.cli import app


def walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if hasattr(command, "commands"):  # a group (typer vendors its own click)
        for name, sub in command.commands.items():
            found += walk(sub, (*path, name))
    return found


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    paths = walk(root)
    assert ("db", "start") in paths and ("migrate",) in paths
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        summary = (command.help or "").strip()
        assert len(summary) > 15, f"`authreg {' '.join(path)}` needs a sentence of help"
