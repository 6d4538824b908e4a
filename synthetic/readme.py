"""The dataset's README.md (说明): what is in it, how to load it, and every gap planted on purpose."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from synthetic.timeline import (
    ADJUSTMENT,
    BEFORE_DAY,
    CERTIFICATES_LAPSE,
    CHECK_DAY,
    FIRST_LIST,
    LIST_2024,
    LIST_2025,
    WITHDRAWAL,
)

if TYPE_CHECKING:
    from synthetic.generate import Summary

KIND_TEXT = {
    "duty_lead_without_delegation": "a town with 主体责任 for a matter of the duty list "
    "(`<code>-duties.csv`) whose item it holds by neither 赋权 nor 委托 (seed 002: 权责一致)",
    "zone_without_reviewer": "a zone with no certified 法制审核人员 (sometimes only a 执法监督员)",
    "zone_short_of_linked_officers": "a zone with 1 certified officer linked (挂钩) for a "
    "department that delegates penalties to it (policy: 2)",
    "team_below_minimum": "a street team of 2 whose second certificate lapses on "
    f"{CERTIFICATES_LAPSE} (policy: at least 2 certified)",
    "lapsed_certificate_in_post": f"an officer still posted whose certificate ended {CERTIFICATES_LAPSE}",
    "unparseable_basis": "an item whose 实施依据 cites nothing resolvable (详见相关法律法规)",
    "repealed_basis": "an item citing only a regulation the county records as repealed",
    "uncovered_domain": "an inspection (文化市场) that no certified officer's domains cover",
    "article_missing": "an item citing an article the loaded law text does not hold "
    "(legal-basis flag and a load warning, not a coverage gap)",
    "withdrawn_from_one_street": f"a 收回通知 ({WITHDRAWAL}) withdraws one item from one street; "
    "the rest of its zone keeps it (two gaps: catalog item not delegated, zone item sets differ)",
    "void_risk_case": "a case a street handles after its item was withdrawn (Art. 38 void risk)",
    "uncertified_officer_case": "a case worked by an officer whose certificate had lapsed",
    "overdue_transfer": "a transfer received 20 days (urgent: 30 hours) after it was sent",
    "border_dispute": "two streets of one zone both claim a case (open dispute)",
    "missed_joint_meeting": "a town team that held no 统筹指挥 meeting in the quarter before the "
    "check day (policy: 1 a quarter, seed 003)",
    "guide_code_match": "a county item the province guide (省级指导目录) prints by its code, in full "
    "width with a space, under another name: taken up by code (guide-uptake)",
    "guide_name_match": "a county item the guide prints as 对…行为的行政处罚, with no code: taken up by name",
    "guide_ambiguous": "a county item the guide prints twice (two departments): both rows shown, none chosen",
    "guide_not_taken_up": "a guide row the county's items do not take up (未承接)",
    "zone_item_not_approved": "an item of the 片区联合执法基础事项清单 proposed by its department and "
    "never approved by the 城管局 the policy names (seed 000 四(二))",
    "team_above_maximum": "a town team of 9 certified officers (policy: at most 8, seed 004)",
    "retained_domains": "a 权责清单 (`<code>-powers-2024.csv`) of four departments that keep their "
    "items: fewer than 70 % of the county's domains in comprehensive enforcement (seed 004)",
    "domains": "fewer than 70 % of the county's domains in comprehensive enforcement (seed 004)",
    "retained_inspection": "a 行政检查 the 权责清单 leaves with its department: not 100 % of "
    "inspections in comprehensive enforcement (seed 004)",
    "inspection_dropped_from_list": "a 行政检查 the 2025 list dropped, so its department keeps it: "
    "not 100 % of inspections in comprehensive enforcement (seed 004)",
    "too_many_professional_teams": "nine departments declared 专业执法部门 (policy: at most 8, seed 004)",
    "evaluation_keep": "an item × street with a case in the evaluation's year and two or more "
    "certified officers of its domain: 保留 (`authreg query evaluation`)",
    "evaluation_support": "an item × street with a case but one certified officer of its domain "
    "(the street's team holds none; the zone is short of linked officers): 加强承接力量",
    "evaluation_return": "an item × street no case ever concerned, delegated before the year: "
    "建议评估收回 (besides it, every such pair; the manifest's `evaluation` lists them all)",
}


def write_readme(path: Path, summary: Summary) -> None:
    path.write_text("\n".join(_lines(summary)) + "\n", encoding="utf-8")


def _lines(summary: Summary) -> list[str]:
    counties = summary.counties
    stations = sum(len(c.stations) for c in counties)
    shapes = Counter(c.shape for c in counties)
    modes = Counter(c.mode for c in counties)
    lines = [
        "# Synthetic dataset (合成数据) — INVENTED, not official data",
        "",
        "Written by `authreg synth "
        f"--counties {len(counties)} --streets-per-county {summary.streets_per_county} "
        f"--items {summary.items_per_county} --seed {summary.seed}`. The same command writes the "
        "same bytes. Every region, street, department, person, item, law and case is invented; "
        "the shapes follow `data/sample/` and `data/real-catalogs/`.",
        "",
        "Load it with `authreg load <this folder>` (check only: `authreg load --check <folder>`).",
        "`manifest.json` holds the same facts as this file in machine-readable form.",
        "",
        "## Contents",
        "",
        "| what | count |",
        "|---|---|",
        f"| counties (one folder each: `<province code>/<county code>/`) | {len(counties)} |",
        f"| streets / towns | {summary.total('streets')} (派驻: {stations}) |",
        f"| zones (2–6 streets) | {summary.total('zones')} |",
        f"| enforcement items | {summary.total('items')} |",
        f"| delegations in force on {BEFORE_DAY} | {summary.delegations(BEFORE_DAY.isoformat())} |",
        f"| delegations in force on {CHECK_DAY} | {summary.delegations(CHECK_DAY.isoformat())} |",
        f"| officers | {sum(c.officers for c in counties)} |",
        f"| cases | {sum(c.cases for c in counties)} (transfers: {len(summary.transfers)}) |",
        f"| law texts (`laws/`, invented, one copy for all counties) | {len(summary.laws)} |",
        f"| counties whose lists name streets per row (`streets: column`) | {shapes['column']} |",
        f"| counties whose lists are 委托 rather than 赋权 | {modes['委托']} |",
        "",
        "Each county folder holds `organisation.yaml` (region, departments, streets with their "
        "mode, units, zones, categories, officers with postings and certificates, policies), "
        "its list versions `<code>-<year>.csv` (or `.xlsx`) with `.meta.yaml`, a "
        "`<code>-adjustment-2025.csv` 动态调整通知 and a `<code>-withdrawal-2025.csv` 收回通知 "
        "where it has them, `cases.yaml` (cases, transfers, disputes), and `<code>-duties.csv`, "
        "its 属地管理事项责任清单 (seed 002).",
        "",
        "## Timeline",
        "",
        "| day | what |",
        "|---|---|",
        f"| {FIRST_LIST} | an older list version (some counties) |",
        f"| {LIST_2024} | the 2024 list; zones, postings and policies start |",
        f"| {BEFORE_DAY} | a day to ask about: the 2024 (or older) lists in force |",
        f"| {LIST_2025} | the 2025 list: a few items dropped, as many added |",
        f"| {ADJUSTMENT} | 动态调整通知: 新增 one item everywhere, 收回 one item from one zone |",
        f"| {CERTIFICATES_LAPSE} | last valid day of the lapsing certificates |",
        f"| {WITHDRAWAL} | 收回通知: one item from one street |",
        f"| {CHECK_DAY} | a day to ask about: every planted gap is visible |",
        "",
        "## Expected load warnings",
        "",
        "- `citation kept as raw text` for each `unparseable_basis` row, once per list version "
        "listing it;",
        "- `第X条 not in 《…》` when a list with an `article_missing` row is written;",
        "- nothing else: every other cell parses to provisions of the texts in `laws/` (or of "
        "《村镇规划建设管理规定》, cited but deliberately without a text).",
        "",
        "## Planted gaps",
        "",
        f"As of {CHECK_DAY}; `rule` is the rule `authreg query coverage-gaps` reports. Nothing "
        "else is missing on purpose: a county's coverage gaps on that day are exactly its rows "
        "with a rule below.",
        "",
        "| kind | count | what |",
        "|---|---|---|",
    ]
    kinds = Counter(p.kind for p in summary.planted)
    lines += [f"| {kind} | {n} | {KIND_TEXT.get(kind, '')} |" for kind, n in sorted(kinds.items())]
    lines += ["", "| county | kind | rule | subjects | note |", "|---|---|---|---|---|"]
    lines += [
        f"| {p.county} | {p.kind} | {p.rule or '—'} | "
        f"{'; '.join(f'{kind} {key}' for kind, key in p.keys)} | {p.note} |"
        for p in summary.planted
    ]
    lines += ["", "## Authority questions with known answers", ""]
    lines += [
        f"- {e['case']}: `authreg query authority --item {e['item']} --street {e['street']} "
        f"--as-of {e['as_of']}` → {e['subject_kind']} {e['subject_key']}"
        for e in summary.examples
    ]
    verdicts = Counter(t["verdict"] for t in summary.transfers)
    lines += [
        "",
        "## Transfers",
        "",
        f"{verdicts['on_time']} on time, {verdicts['overdue']} overdue (each overdue one is "
        "listed above as `overdue_transfer`; `manifest.json` gives every transfer's verdict).",
    ]
    return lines
