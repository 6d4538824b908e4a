"""The terminal (终端输出): rich consoles for answers (stdout) and messages (stderr), each made on
first use, so that `authreg --help` never imports rich's console."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    """Standard output; a long line wraps softly (a copied table cell stays whole)."""
    from rich.console import Console

    return Console(soft_wrap=True)


@cache
def err() -> Console:
    """Standard error: errors, warnings and not-found notes."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)
