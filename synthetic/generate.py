"""Write a whole synthetic dataset (生成合成数据集): laws once, then one folder per county, then README.

    generate(Path("/tmp/nation"), counties=2844, streets_per_county=14, items=120, seed=7)

Files are streamed county by county (nothing national is held but the summary), so a
nation-sized run stays within memory and takes minutes. Same arguments, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from authreg.errors import RegistryError
from synthetic.cases_file import write_cases
from synthetic.casework import county_cases
from synthetic.catalogs import write_catalogs
from synthetic.county_plan import plan_county
from synthetic.duty_lists import write_duty_list
from synthetic.establishment import write_establishment
from synthetic.evaluation_expected import expected_evaluation
from synthetic.expected import authority_examples, catalog_plants, delegation_counts
from synthetic.guide_list import CountyItems, county_items, write_guide
from synthetic.item_pool import item_pool
from synthetic.laws import Law, national_laws, provincial_laws, write_law_texts
from synthetic.names import MAX_STREETS
from synthetic.notice_shapes import notice_style, write_notice_shapes
from synthetic.organisation_file import UNUSED_MONTHS, write_organisation
from synthetic.planted import Planted
from synthetic.readme import write_readme
from synthetic.reform_targets import plan_targets, target_plants, write_power_list
from synthetic.regions import MAX_COUNTIES, CountyPlace, county_places
from synthetic.staffing import staff_county
from synthetic.zone_lists import write_zone_list


class SynthError(RegistryError):
    """Arguments a synthetic dataset cannot be made from, or a folder it must not overwrite."""


@dataclass
class CountySummary:
    """One county as written: what a benchmark needs to ask about it."""

    code: str
    name: str
    folder: str  # relative to the dataset
    mode: str
    shape: str
    streets: list[str]
    stations: list[str]  # 派驻 streets
    zones: list[str]
    items: list[str]  # every item code of its catalogs and notices
    files: list[str]
    officers: int
    cases: int
    delegations: dict[str, int]  # in force on BEFORE_DAY and CHECK_DAY


@dataclass
class Summary:
    out: Path
    seed: int
    streets_per_county: int
    items_per_county: int
    notice_shapes: bool = False  # also the notices as published (synthetic.notice_shapes)
    laws: list[str] = field(default_factory=list)
    counties: list[CountySummary] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    transfers: list[dict] = field(default_factory=list)
    # per province, its counties' items on CHECK_DAY: the guide list is written after them
    guide_counties: dict[str, list[CountyItems]] = field(default_factory=dict)
    guide_uptake: dict[str, dict] = field(default_factory=dict)  # county → expected answer
    evaluation: dict[str, dict] = field(default_factory=dict)  # county → expected answer

    def total(self, what: str) -> int:
        return sum(len(getattr(c, what)) for c in self.counties)

    def delegations(self, day: str) -> int:
        return sum(c.delegations[day] for c in self.counties)


def generate(
    out: Path,
    *,
    counties: int,
    streets_per_county: int,
    items: int,
    seed: int,
    progress: Callable[[CountySummary], None] | None = None,
    notice_shapes: bool = False,
) -> Summary:
    """Write the dataset into `out` (new or empty); returns what was written. With
    `notice_shapes`, each county also gets the notices as offices publish them, all in force
    after CHECK_DAY (synthetic.notice_shapes)."""
    places = _checked(out, counties, streets_per_county, items)
    summary = Summary(out, seed, streets_per_county, items, notice_shapes)
    laws = write_law_texts(out / "laws", _laws(places))
    summary.laws = [path.relative_to(out).as_posix() for path in laws]
    for place in places:
        county = _write_county(out, place, summary)
        summary.counties.append(county)
        if progress:
            progress(county)
    for counties_of_province in summary.guide_counties.values():  # 省级指导目录 (issue 17.6)
        planted, expected = write_guide(out, counties_of_province)
        summary.planted += planted
        summary.guide_uptake |= expected
    (out / "manifest.json").write_text(manifest(summary), encoding="utf-8")
    write_readme(out / "README.md", summary)
    return summary


def manifest(summary: Summary) -> str:
    """The machine-readable record of the dataset: counts, planted gaps, expected answers."""
    body = {
        "seed": summary.seed,
        "counties": len(summary.counties),
        "streets_per_county": summary.streets_per_county,
        "items_per_county": summary.items_per_county,
        "totals": {
            "streets": summary.total("streets"),
            "items": summary.total("items"),
            "officers": sum(c.officers for c in summary.counties),
            "cases": sum(c.cases for c in summary.counties),
            "delegations_in_force": {
                day: summary.delegations(day) for day in summary.counties[0].delegations
            },
        },
        "laws": summary.laws,
        "county_list": [
            {
                "code": c.code,
                "name": c.name,
                "folder": c.folder,
                "mode": c.mode,
                "shape": c.shape,
                "streets": c.streets,
                "stations": c.stations,
                "zones": c.zones,
                "items": len(c.items),
                "files": c.files,
                "delegations_in_force": c.delegations,
            }
            for c in summary.counties
        ],
        "planted": [p.as_json() for p in summary.planted],
        "authority_examples": summary.examples,
        "transfers": summary.transfers,
        "guide_uptake": summary.guide_uptake,
        "evaluation": summary.evaluation,
    }
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def _checked(out: Path, counties: int, streets: int, items: int) -> list[CountyPlace]:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SynthError(f"{out} is not an empty folder; give a new or empty folder for --out")
    if not 1 <= counties <= MAX_COUNTIES:
        raise SynthError(f"--counties must be between 1 and {MAX_COUNTIES}")
    if not 1 <= streets <= MAX_STREETS:
        raise SynthError(f"--streets-per-county must be between 1 and {MAX_STREETS}")
    places = county_places(counties)
    provinces = {(p.province_name, p.province_code) for p in places}
    most = min(len(item_pool(*province).regular) for province in provinces)
    if not 1 <= items <= most * 9 // 10:
        raise SynthError(f"--items must be between 1 and {most * 9 // 10} (the invented laws)")
    out.mkdir(parents=True, exist_ok=True)
    return places


def _laws(places: list[CountyPlace]) -> list[Law]:
    provinces = dict.fromkeys((p.province_name, p.province_code) for p in places)
    return [
        *national_laws(),
        *(law for name, code in provinces for law in provincial_laws(name, code)),
    ]


def _write_county(out: Path, place: CountyPlace, summary: Summary) -> CountySummary:
    folder = out / place.province_code / place.code
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_county(
        place, streets=summary.streets_per_county, items=summary.items_per_county, seed=summary.seed
    )
    staffing = staff_county(plan)
    work = county_cases(plan, staffing)
    targets = plan_targets(plan)  # seed 004's reform targets (权责清单, 专业执法队伍)
    files = [write_organisation(folder, plan, staffing, targets), *write_catalogs(folder, plan)]
    power_list = write_power_list(folder, plan, targets)
    files += [power_list] if power_list is not None else []
    establishment, establishment_plants = write_establishment(folder, plan, staffing)
    files += [establishment] if establishment is not None else []
    if summary.notice_shapes:
        files += write_notice_shapes(folder, plan, notice_style(plan))
    zone_list, zone_plants = write_zone_list(folder, plan)  # 片区联合执法基础事项清单
    files += zone_list
    cases = write_cases(folder, plan, work)
    if cases is not None:
        files.append(cases)
    duty_list, duty_gaps = write_duty_list(folder, plan)
    files += [duty_list] if duty_list is not None else []
    summary.planted += [*catalog_plants(plan), *staffing.planted, *work.planted, *zone_plants]
    summary.planted += [*duty_gaps, *establishment_plants, *target_plants(plan, targets)]
    summary.evaluation[place.code] = expected_evaluation(plan, staffing, work.cases, UNUSED_MONTHS)
    summary.examples += authority_examples(plan) if place.index < 2 else []
    summary.transfers += work.transfers
    summary.guide_counties.setdefault(place.province_code, []).append(county_items(plan))
    return CountySummary(
        code=place.code,
        name=place.name,
        folder=folder.relative_to(out).as_posix(),
        mode=plan.mode,
        shape=plan.shape,
        streets=[s.code for s in plan.streets],
        stations=[s.code for s in plan.streets if s.mode == "派驻"],
        zones=[z.id for z in plan.zones],
        items=[row.code for row in [*plan.rows_ever(), *targets.kept]],
        files=[path.name for path in files],
        officers=len(staffing.officers),
        cases=len(work.cases),
        delegations=delegation_counts(plan),
    )
