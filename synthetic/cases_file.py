"""A county's cases.yaml (案件数据): cases with their transfers, and disputes."""

from __future__ import annotations

from pathlib import Path

from synthetic.casework import Casework
from synthetic.county_plan import CountyPlan
from synthetic.yaml_text import document


def write_cases(folder: Path, plan: CountyPlan, work: Casework) -> Path | None:
    if not work.cases:
        return None
    path = folder / "cases.yaml"
    comments = [
        f"{plan.place.name}: SYNTHETIC cases written by `authreg synth` (invented). Transfers are",
        "on time or overdue against the county's 3-working-day / 24-hour policies (seed 003).",
    ]
    body = {"kind": "cases", "cases": work.cases}
    if work.disputes:
        body["disputes"] = work.disputes
    path.write_text(document(comments, body), encoding="utf-8")
    return path
