"""`authreg synth` as the user sees it (生成命令): a progress bar over counties, then a summary."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from synthetic.generate import Summary, generate
from synthetic.timeline import BEFORE_DAY, CHECK_DAY


def run_synth(
    out: Path,
    *,
    counties: int,
    streets_per_county: int,
    items: int,
    seed: int,
    console: Console,
    notice_shapes: bool = False,
) -> Summary:
    """Generate with a progress bar; print what was written, how big, how long."""
    started = time.perf_counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("counties"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"writing {out}", total=counties)
        summary = generate(
            out,
            counties=counties,
            streets_per_county=streets_per_county,
            items=items,
            seed=seed,
            progress=lambda _: bar.advance(task),
            notice_shapes=notice_shapes,
        )
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    console.print(
        f"wrote {len(summary.counties)} counties, {summary.total('streets')} streets, "
        f"{summary.total('items')} items, {len(summary.laws)} law texts into {out} "
        f"({size / 2**20:.1f} MiB in {seconds:.1f} s); delegations in force: "
        f"{summary.delegations(BEFORE_DAY.isoformat()):,} on {BEFORE_DAY}, "
        f"{summary.delegations(CHECK_DAY.isoformat()):,} on {CHECK_DAY}; "
        f"{len(summary.planted)} planted gaps, cases and transfers listed in README.md",
        highlight=False,
    )
    console.print(f"load it with: authreg load {out}", highlight=False)
    return summary
