"""The legal-basis parser on long cells (实施依据解析基准): is the time linear in the length?

    .venv/bin/python bench/citation_parser.py [--sizes 1000 10000 100000 1000000]
                                              [--shapes real numerals …] [--turns 3]
                                              [--give-up 120]

Each shape is a piece of text repeated to a cell of each size (cut to the exact length) and
parsed with `loaders.citations.parse_basis`, its cache cleared before every turn. Printed per
shape: the best of --turns seconds for each size, side by side, and the ratio of each size's
time to the one before it (a linear parser gives the ratio of the sizes, 10x for 1k → 10k).
A shape whose time passes --give-up seconds is not tried at larger sizes. The machine's load
average is printed before and after: the machine is shared, so read ratios, not seconds.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

from loaders.citations import parse_basis

REAL_CATALOGS = Path(__file__).resolve().parents[1] / "data" / "real-catalogs"
BASIS_HEADERS = {"实施依据", "设定依据", "执法依据", "執法依據", "检查依据"}


def real_cells() -> str:
    """Every legal-basis cell of the real catalogs, one after the other (line-separated)."""
    cells = []
    for path in sorted(REAL_CATALOGS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        columns = [n for n, name in enumerate(rows[0]) if name.strip() in BASIS_HEADERS]
        cells += [row[n] for row in rows[1:] for n in columns if n < len(row) and row[n].strip()]
    return "\n".join(cells) + "\n"


SHAPES = {
    "real": real_cells,  # what catalogs hold: titles, article lists, quoted article text
    "quoted": lambda: (
        "《消防法》第十五条 " + "公众聚集场所投入使用、营业前消防安全检查实行告知承诺管理。"
    ),
    "numerals": lambda: "一二三四五六七八九十",  # a run of numerals with no 条 after it
    "lists": lambda: "1、",  # a list that never reaches its 条
    "items": lambda: "(一)",  # enumerated items that never reach 项
    "titles": lambda: "《《",  # openings that never close
    "ranges": lambda: "第一条至第五百条、",  # each range names 500 articles
    "prose": lambda: "违反规定的由县级人民政府责令改正，",  # no citation at all
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=120.0, help="seconds; skip larger sizes")
    args = parser.parse_args()
    print(f"load average before: {_load()}")
    sizes = " ".join(f"{_size(n):>9}" for n in args.sizes)
    print(f"\n{'shape':<9} {sizes}   ratios (time of each size / the size before)")
    for name in args.shapes:
        piece = SHAPES[name]()
        seconds = _series(piece, args.sizes, args.turns, args.give_up)
        cells = " ".join(f"{s:>8.3f}s" if s is not None else f"{'—':>9}" for s in seconds)
        print(f"{name:<9} {cells}   {_ratios(args.sizes, seconds)}", flush=True)
    print(f"\nload average after: {_load()}")


def _series(piece: str, sizes: list[int], turns: int, give_up: float) -> list[float | None]:
    seconds: list[float | None] = []
    for size in sizes:
        if seconds and (seconds[-1] is None or seconds[-1] > give_up):
            seconds.append(None)
            continue
        cell = (piece * (size // len(piece) + 1))[:size]
        seconds.append(min(_parse_seconds(cell) for _ in range(turns)))
    return seconds


def _parse_seconds(cell: str) -> float:
    parse_basis.cache_clear()
    start = time.perf_counter()
    parse_basis(cell)
    return time.perf_counter() - start


def _ratios(sizes: list[int], seconds: list[float | None]) -> str:
    steps = [(sizes[n], seconds[n], sizes[n + 1], seconds[n + 1]) for n in range(len(sizes) - 1)]
    return "  ".join(
        f"{_size(b)}/{_size(a)} {t_b / t_a:5.1f}x (size {b / a:.0f}x)"
        for a, t_a, b, t_b in steps
        if t_a and t_b is not None
    )


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k" if n >= 1000 else str(n)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"


if __name__ == "__main__":
    main()
