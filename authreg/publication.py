"""Several answers published as one report (合并发布): the zone division with its officer lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import SerializeAsAny

from queries.answers import Answer, Sheet


class Publication(Answer):
    """Several answers published together, their sheets in order."""

    parts: list[SerializeAsAny[Answer]]

    def sheets(self) -> list[Sheet]:
        return [sheet for part in self.parts for sheet in part.sheets()]


def publication(tx: Any, *, parts: tuple[Callable[..., Answer], ...], **params: Any) -> Publication:
    """Ask each part with the same parameters in one transaction."""
    return Publication(parts=[part(tx, **params) for part in parts])
