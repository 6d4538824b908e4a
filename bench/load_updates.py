"""An update workload for the loader (更新负载): what most real loads are.

For every county of an `authreg synth` dataset, beside it in `out`: a new version of the
county's newest list with a share of its rows changed (a third renamed and given another
basis, a third dropped, a third new), and a withdrawal notice (收回) of two of its items in one
street. `bench/load_benchmark.py --update` loads the dataset, then these files;
tests/loaders/test_load_changes.py checks the graph they make against the in-memory loader.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import yaml

from loaders.headers import HeaderMap
from loaders.read import read_tables

NEW_EFFECTIVE = "2026-03-01"
WITHDRAWN_EFFECTIVE = "2026-06-01"


def write_updates(data: Path, out: Path, share: float = 0.1, seed: int = 7) -> list[Path]:
    """The update files of every county list in `data`, written under `out`; their paths."""
    rng = random.Random(seed)
    written: list[Path] = []
    for county in sorted(p for p in data.rglob("*") if p.is_dir()):
        newest = _newest_list(county)
        if newest is not None:
            written += _county_updates(newest, out / county.relative_to(data), share, rng)
    return written


def _newest_list(county: Path) -> Path | None:
    """The newest version of the county's list (`streets:` all or column, no notice kind)."""
    lists = []
    for meta_file in sorted(county.glob("*.meta.yaml")):
        meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
        if meta.get("kind") == "县级赋权清单" and meta.get("effective"):
            stem = meta_file.name.removesuffix(".meta.yaml")
            table = next(p for p in county.iterdir() if p.stem == stem and p.suffix != ".yaml")
            lists.append((str(meta["effective"]), table))
    return max(lists)[1] if lists else None


def _county_updates(newest: Path, out: Path, share: float, rng: random.Random) -> list[Path]:
    meta = yaml.safe_load(newest.with_name(newest.stem + ".meta.yaml").read_text("utf-8"))
    table = read_tables(newest)[0]
    headers = list(table.raw_headers)
    fields = [HeaderMap.default().match(header) for header in headers]
    code, name, basis = (fields.index(f) for f in ("item_code", "item_name", "basis"))
    rows = [list(row.cells) for row in table.rows]
    changed = rng.sample(range(len(rows)), max(3, round(len(rows) * share)))
    kept: list[list[str]] = []
    for index, row in enumerate(rows):
        if index not in changed:
            kept.append(row)
            continue
        kind = changed.index(index) % 3
        if kind == 0:  # renamed, cited differently
            row[name] = row[name] + "（2026年修订）"
            row[basis] = rows[(index + 1) % len(rows)][basis]
            kept.append(row)
        elif kind == 2:  # a new item beside it
            kept.append(row)
            new = list(row)
            new[code] = f"{row[code]}-N"
            new[name] = f"{row[name]}（新增）"
            kept.append(new)
        # kind 1: dropped
    for number, row in enumerate(kept, start=1):
        row[0] = str(number) if headers[0] == "序号" else row[0]
    out.mkdir(parents=True, exist_ok=True)
    region = str(meta["region"])
    listed = out / f"{region}-2026.csv"
    _write_csv(listed, headers, kept)
    new_meta = meta | {
        "title": f"{meta['title']}（2026年版）",
        "doc_number": f"{meta.get('doc_number', region)}-2026",
        "effective": NEW_EFFECTIVE,
        "published": NEW_EFFECTIVE,
    }
    _write_yaml(listed.with_name(listed.stem + ".meta.yaml"), new_meta)
    unchanged = [row for index, row in enumerate(rows) if index not in changed]
    notice = out / f"{region}-withdrawal-2026.csv"
    withdrawn = [list(row) for row in unchanged[:2]]
    for row in withdrawn:  # the notice's own street, not the list's
        if "street" in fields:
            row[fields.index("street")] = ""
    _write_csv(notice, headers, withdrawn)
    street = _a_street(newest)
    _write_yaml(
        notice.with_name(notice.stem + ".meta.yaml"),
        {
            "series": f"{region}-withdrawal-2026",
            "title": f"关于收回{street}部分事项的通知（2026）",
            "issuer": meta.get("issuer"),
            "kind": "收回通知",
            "effective": WITHDRAWN_EFFECTIVE,
            "region": region,
            "streets": [street],
            "mode": meta.get("mode", "赋权"),
        },
    )
    return [listed, notice]


def _a_street(newest: Path) -> str:
    """The first street of the county's organisation file (synth writes one per county)."""
    org = yaml.safe_load((newest.parent / "organisation.yaml").read_text(encoding="utf-8"))
    return str(org["streets"][0]["name"])


def _write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def _write_yaml(path: Path, data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for day in (NEW_EFFECTIVE, WITHDRAWN_EFFECTIVE):
        text = text.replace(f"'{day}'", day)
    path.write_text(text, encoding="utf-8")
