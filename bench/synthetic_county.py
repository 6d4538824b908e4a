"""A synthetic county (合成县区) for the benchmarks: one county of `authreg synth` (package synthetic/).

    .venv/bin/python bench/synthetic_county.py OUT_DIR [--streets 100] [--items 300] [--seed 7]

Writes region 990101 into OUT_DIR/990000/990101/ (organisation.yaml, list versions of 2023–2025,
a 动态调整 and a 收回 notice, cases) and the invented law texts it cites into OUT_DIR/laws/,
exactly as `authreg synth --counties 1` does; OUT_DIR/README.md lists the planted gaps. Same seed,
same files. Everything is invented.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from synthetic.generate import generate


@dataclass
class County:
    """Everything generated, kept for the benchmark: codes to pick random questions from."""

    folder: Path
    street_codes: list[str] = field(default_factory=list)
    zone_ids: list[str] = field(default_factory=list)
    item_codes: list[str] = field(default_factory=list)  # every version's and notice's items
    files: list[Path] = field(default_factory=list)


def write_county(folder: Path, *, streets: int = 100, items: int = 300, seed: int = 7) -> County:
    """Write one synthetic county (and its law texts) into `folder`, a new or empty folder."""
    summary = generate(folder, counties=1, streets_per_county=streets, items=items, seed=seed)
    [county] = summary.counties
    return County(
        folder=folder,
        street_codes=county.streets,
        zone_ids=county.zones,
        item_codes=county.items,
        files=[folder / county.folder / name for name in county.files],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="new or empty folder to write the files into")
    parser.add_argument("--streets", type=int, default=100, help="streets of the county")
    parser.add_argument("--items", type=int, default=300, help="items per catalog version")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same files)")
    args = parser.parse_args()
    county = write_county(args.out_dir, streets=args.streets, items=args.items, seed=args.seed)
    for path in county.files:
        print(path)


if __name__ == "__main__":
    main()
