"""A province's guide list (省级指导目录) with planted uptake findings (承接情况), and the answer
guide-uptake must give for each county, worked out from how the rows were made.

Per province, after its counties are planned: two rows name items of its first county in
another spelling (对…行为的行政处罚, no code: matched by **name**); one item of it is printed
twice under two departments (**ambiguous**); each county gets one row carrying its own item's
code typed in full width with a space (matched by **code** only: the row's name is its own);
two rows name items no county has (**not taken up**). Every other item in force is **added**
beyond the guide. The expectations follow the construction (which template, which code), not
the matcher's normalisation, so a test comparing them checks the matcher.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from schema.enums import CatalogKind, ItemType
from synthetic.county_plan import CountyPlan
from synthetic.delegations import in_force, rows_by_code
from synthetic.laws import ItemTemplate
from synthetic.planted import Planted
from synthetic.regions import CountyPlace
from synthetic.timeline import CHECK_DAY
from synthetic.yaml_text import document

GUIDE_DAY = date(2024, 1, 1)  # in force before every list version CHECK_DAY compares
HEADER = ["序号", "事项编码", "权力事项名称", "权力类型", "设定依据", "原实施部门"]


@dataclass(frozen=True)
class CountyItems:
    """A county's items delegated to a street on CHECK_DAY, by code, with their template."""

    place: CountyPlace
    items: tuple[tuple[str, ItemTemplate], ...]


@dataclass
class GuideRows:
    rows: list[list[str]] = field(default_factory=list)
    by_template: dict[str, list[int]] = field(default_factory=dict)  # template key → rows
    by_code: dict[str, int] = field(default_factory=dict)  # county item code → its row


def county_items(plan: CountyPlan) -> CountyItems:
    rows = rows_by_code(plan)
    codes = sorted({item for item, _ in in_force(plan, CHECK_DAY)})
    return CountyItems(plan.place, tuple((code, rows[code].template) for code in codes))


def write_guide(out: Path, counties: list[CountyItems]) -> tuple[list[Planted], dict[str, dict]]:
    """The province's guide list beside its counties; the planted findings and, per county,
    the whole expected answer (matched, ambiguous, not_taken_up, added)."""
    place = counties[0].place
    guide = _rows(counties)
    folder = out / place.province_code / "guide"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{place.province_code}-guide"
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *guide.rows])
    meta = {
        "series": name,
        "title": f"{place.province_name}乡镇(街道)综合行政执法事项指导目录(合成)",
        "kind": CatalogKind.PROVINCE_GUIDE.value,
        "effective": GUIDE_DAY.isoformat(),
        "region": place.province_code,
        "region_name": place.province_name,
    }
    notes = [
        "Synthetic province guide list (synthetic.guide_list): invented rows, planted findings."
    ]
    (folder / f"{name}.meta.yaml").write_text(document(notes, meta), encoding="utf-8")
    expected = {c.place.code: _expected(guide, c) for c in counties}
    return _planted(expected), expected


def _rows(counties: list[CountyItems]) -> GuideRows:
    guide = GuideRows()
    penalties = [t for _, t in counties[0].items if _penalty_form(t)]
    named, doubled = penalties[:2], penalties[2:3]
    cite = f"《{counties[0].place.province_name}乡镇街道综合执法指导规定》第三条"
    for template in named:
        _add(
            guide,
            template.key,
            [_respelled(template.name), template.type.value, cite, "县级主管部门"],
        )
    for template in doubled:
        for department in ("县级城市管理部门", "县级自然资源部门"):
            _add(
                guide,
                template.key,
                [_respelled(template.name), template.type.value, cite, department],
            )
    chosen = {t.key for t in (*named, *doubled)}
    for index, county in enumerate(counties, start=1):
        mine = next((code for code, t in county.items if t.key not in chosen), None)
        if mine is not None:
            guide.by_code[mine] = len(guide.rows) + 2
            _add(
                guide,
                None,
                [f"编码对应的指导事项{index}", ItemType.OTHER.value, cite, ""],
                _typed(mine),
            )
    for index in (1, 2):
        _add(
            guide, None, [f"对合成指导目录第{index}项事项的处罚", ItemType.PENALTY.value, cite, ""]
        )
    return guide


def _add(guide: GuideRows, template: str | None, cells: list[str], code: str = "") -> None:
    row = len(guide.rows) + 2  # the header is row 1
    guide.rows.append([str(row - 1), code, *cells])
    if template is not None:
        guide.by_template.setdefault(template, []).append(row)


def _expected(guide: GuideRows, county: CountyItems) -> dict:
    found: dict[str, list] = {"matched": [], "ambiguous": [], "added": []}
    reached: set[int] = set()
    for code, template in county.items:
        rows = (
            [guide.by_code[code]]
            if code in guide.by_code
            else guide.by_template.get(template.key, [])
        )
        kind = "code" if code in guide.by_code else "name"
        reached |= set(rows)
        if len(rows) == 1:
            found["matched"].append([code, rows[0], kind])
        elif rows:
            found["ambiguous"].append([code, rows])
        else:
            found["added"].append(code)
    every = range(2, len(guide.rows) + 2)
    return found | {"not_taken_up": [row for row in every if row not in reached]}


def _planted(expected: dict[str, dict]) -> list[Planted]:
    planted = []
    for county, found in expected.items():
        for code, row, kind in found["matched"]:
            keys = (("指导事项行", str(row)), ("事项", code))
            planted.append(
                Planted(f"guide_{kind}_match", county, keys, f"{code} takes up row {row}")
            )
        for code, rows in found["ambiguous"]:
            keys = (("事项", code), *(("指导事项行", str(r)) for r in rows))
            planted.append(Planted("guide_ambiguous", county, keys, f"{code} fits rows {rows}"))
        for row in found["not_taken_up"]:
            planted.append(
                Planted("guide_not_taken_up", county, (("指导事项行", str(row)),), "未承接")
            )
    return planted


def _penalty_form(template: ItemTemplate) -> bool:
    return template.name.startswith("对") and template.name.endswith("的处罚")


def _respelled(name: str) -> str:
    """对X的处罚 → 对X行为的行政处罚: the same item as guide lists often print it."""
    return name.removesuffix("的处罚") + "行为的行政处罚"


def _typed(code: str) -> str:
    """990101-CGJ-001 → ９９０１０１－ＣＧＪ －００１: full width, with a space, as typed in Word."""
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code)
    return wide[:-4] + " " + wide[-4:]
