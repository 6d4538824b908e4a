"""Notices as offices publish them (通知的真实形态), for `authreg synth --notice-shapes`.

Per county, after CHECK_DAY (so every planted gap and expected answer of the dataset stands):
a 收回通知 of everything one department delegated (no table); a 动态调整通知 granting that
department's domain back to one street, its items taken from the county's list; an adjustment
in force 30 days after issue (自印发之日起30日后施行); one whose rows sit in an attachment beside
the notice, each town on the day it signs its 承接确认书; and a new list of another series that
replaces the county's list. The dates are in NOTICE_DAYS; README.md of the dataset lists them.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from schema.enums import CatalogKind
from synthetic.catalogs import FileStyle, _write_csv, _write_meta, _write_version
from synthetic.county_plan import CountyPlan, ListVersion, Row
from synthetic.departments import BY_ABBR, department_name
from synthetic.yaml_text import document

DEPARTMENT_WITHDRAWAL = date(2025, 10, 1)
DOMAIN_GRANT = date(2025, 11, 1)
ISSUED = date(2025, 11, 15)  # in force ISSUED + DAYS_AFTER_ISSUE
DAYS_AFTER_ISSUE = 30
SIGNED = (date(2026, 1, 5), date(2026, 1, 20))  # 承接确认书, one town each
REPLACING_LIST = date(2026, 2, 1)
NOTICE_DAYS = (
    DEPARTMENT_WITHDRAWAL,
    DOMAIN_GRANT,
    ISSUED + timedelta(days=DAYS_AFTER_ISSUE),
    *SIGNED,
    REPLACING_LIST,
)
COMMENT = "Synthetic notice written by `authreg synth --notice-shapes`; the notice is invented."


def write_notice_shapes(folder: Path, plan: CountyPlan, style: FileStyle) -> list[Path]:
    """The five notice shapes of one county (nothing when no department of its list has a
    domain: there is nothing to withdraw or grant by department and domain)."""
    latest = plan.versions[-1]
    chosen = _department(latest.rows)
    if chosen is None:
        return []
    name = department_name(plan.place.name, plan.place.city_name, BY_ABBR[chosen])[0]
    items = [row for row in latest.rows if row.department == chosen]
    streets = [plan.streets[i % len(plan.streets)] for i in range(3)]
    code = plan.place.code
    return [
        _notice(
            folder / f"{code}-收回{BY_ABBR[chosen].domain}事项的通知.yaml",
            plan,
            kind=CatalogKind.WITHDRAWAL,
            effective=DEPARTMENT_WITHDRAWAL,
            title=f"关于收回{name}赋权事项的通知",
            withdraw=[{"department": name}],
            text=f"收回{name}赋予各乡镇(街道)的全部行政执法事项。",
        ),
        _notice(
            folder / f"{code}-按领域赋权的通知.yaml",
            plan,
            kind=CatalogKind.ADJUSTMENT,
            effective=DOMAIN_GRANT,
            title=f"关于向{streets[0].name}赋予{BY_ABBR[chosen].domain}领域执法事项的通知",
            grant=[{"domain": BY_ABBR[chosen].domain, "streets": [streets[0].name]}],
            items_from=plan.series,
            mode=plan.mode,
        ),
        _adjustment(
            folder / f"{code}-三十日后施行的调整通知.csv",
            plan,
            [(items[0], streets[1].name)],
            {"published": ISSUED, "effective_after_days": DAYS_AFTER_ISSUE},
        ),
        _attached(folder, plan, items[-1], [streets[1].name, streets[2].name]),
        _replacing(folder, plan, style, latest, chosen),
    ]


def _department(rows: list[Row]) -> str | None:
    """The department with a domain holding most rows of the list (ties: by abbreviation)."""
    counts = Counter(row.department for row in rows if BY_ABBR[row.department].domain)
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ranked[0][0] if ranked else None


def _notice(path: Path, plan: CountyPlan, **fields: Any) -> Path:
    kind = fields.pop("kind")
    effective = fields.pop("effective")
    meta = {
        "kind": kind.value,
        "title": fields.pop("title"),
        "issuer": f"{plan.place.name}人民政府",
        "published": effective - timedelta(days=10),
        "effective": effective,
        "region": plan.place.code,
        **fields,
    }
    path.write_text(document([COMMENT], meta), encoding="utf-8")
    return path


def _rows(plan: CountyPlan, added: list[tuple[Row, str]]) -> list[list[str]]:
    header = ["序号", "调整类型", "事项编码", "事项名称", "事项类型", "实施依据", "原实施部门"]
    rows = [[*header, "执法领域", "承接主体"]]
    for number, (row, street) in enumerate(added, start=1):
        department = department_name(plan.place.name, plan.place.city_name, BY_ABBR[row.department])
        domain = BY_ABBR[row.department].domain or ""
        item = [row.code, row.template.name, row.template.type.value, row.cell]
        rows.append([str(number), "新增", *item, department[0], domain, street])
    return rows


def _adjustment(
    path: Path, plan: CountyPlan, added: list[tuple[Row, str]], dates: dict[str, Any]
) -> Path:
    """A 动态调整通知 as a table with its .meta.yaml: the department's item back to one street."""
    _write_csv(path, _rows(plan, added), "utf-8", None)
    meta = {
        "series": f"{plan.place.code}-adjustment-days-after",
        "title": "关于动态调整乡镇(街道)综合执法赋权事项的通知",
        "kind": CatalogKind.ADJUSTMENT.value,
        "region": plan.place.code,
        "streets": "column",
        "mode": plan.mode,
        **dates,
    }
    _write_meta(path, meta)
    return path


def _attached(folder: Path, plan: CountyPlan, row: Row, towns: list[str]) -> Path:
    """A notice whose rows sit in 附件1.csv beside it, in force per town on the day it signs."""
    towns = list(dict.fromkeys(towns))
    attachment = folder / f"{plan.place.code}-承接确认书通知-附件1.csv"
    _write_csv(attachment, _rows(plan, [(row, "、".join(towns))]), "utf-8", None)
    return _notice(
        folder / f"{plan.place.code}-按承接确认书施行的通知.yaml",
        plan,
        kind=CatalogKind.ADJUSTMENT,
        effective=SIGNED[0],
        title="关于赋予乡镇(街道)综合执法事项的通知",
        streets="column",
        mode=plan.mode,
        confirmation="承接确认书",
        attachment=attachment.name,
        street_dates=dict(zip(towns, SIGNED, strict=False)),
    )


def _replacing(
    folder: Path, plan: CountyPlan, style: FileStyle, latest: ListVersion, withdrawn: str
) -> Path:
    """A list of a new series replacing the county's list: without the withdrawn department's
    items (its withdrawal stands) and without the last other row (ended on its date)."""
    kept = [row for row in latest.rows if row.department != withdrawn][:-1]
    version = ListVersion(REPLACING_LIST, f"{plan.place.name}综合行政执法事项目录", None, kept)
    path = _write_version(folder, plan, version, style, _SameChoice())
    meta = yaml.safe_load(path.with_name(path.stem + ".meta.yaml").read_text(encoding="utf-8"))
    meta |= {"series": f"{plan.place.code}-list-2026", "replaces": [plan.series]}
    _write_meta(path, meta)
    return path


def notice_style(plan: CountyPlan) -> FileStyle:
    """The county's own file style, as `write_catalogs` drew it (the same seed, the same draw)."""
    return FileStyle.draw(random.Random(f"{plan.seed}:{plan.place.code}:files"))


class _SameChoice:
    """The random choices a list file makes (aliases, 各乡镇(街道) spellings), made the same way
    each run: the first of each."""

    def choice(self, options: Any) -> Any:
        return options[0]

    def random(self) -> float:
        return 1.0
