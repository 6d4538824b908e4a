"""Catalog files of a synthetic county (目录文件): list versions, notices and their .meta.yaml.

Counties publish differently: header spellings (事项名称 / 职权名称 / 权力事项名称 …), a title
row above the header, 行政\\n处罚 broken over two lines, short department names, UTF-8 with or
without BOM or GB18030, now and then an .xlsx. A list goes to every street (`streets: all`) or
names them per row in a street column (`streets: column`, 各乡镇(街道) or names joined by 、).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schema.enums import CatalogKind
from synthetic.county_plan import END, CountyPlan, ListVersion, Notice, Row
from synthetic.departments import BY_ABBR, department_name
from synthetic.workbook import write_workbook
from synthetic.yaml_text import document

HEADER_STYLES: tuple[dict[str, str], ...] = (
    {"seq": "序号", "code": "事项编码", "name": "事项名称", "type": "事项类型",
     "basis": "实施依据", "department": "原实施部门", "domain": "执法领域", "remarks": "备注"},
    {"seq": "序号", "code": "职权编码", "name": "职权名称", "type": "职权类型",
     "basis": "设立依据", "department": "原实施主体", "domain": "所属领域", "remarks": "备注"},
    {"seq": "序号", "code": "权力编码", "name": "权力事项名称", "type": "权力类型",
     "basis": "法律法规依据", "department": "原行使部门", "domain": "执法领域", "remarks": "备注"},
    {"seq": "序号", "code": "事项代码", "name": "赋权事项名称", "type": "事项类别",
     "basis": "执法依据", "department": "赋权部门", "domain": "领域", "level": "赋权\n层级",
     "remarks": "备注"},
)  # fmt: skip
STREET_HEADERS = ("赋权乡镇", "承接街道", "乡镇(街道)", "赋权街镇")
EVERY_STREET = ("各乡镇(街道)", "各乡镇街道", "全部")  # 各乡镇 alone is 乡 and 镇, not 街道
ENCODINGS = (("utf-8", 70), ("utf-8-sig", 18), ("gb18030", 12))
_TYPE_SHORT = {"行政处罚": "处罚", "行政检查": "检查", "行政强制": "强制"}


@dataclass(frozen=True)
class FileStyle:
    """How one county writes its catalogs."""

    headers: dict[str, str]
    street_header: str
    encoding: str
    workbook: bool
    title_row: bool
    aliases: bool  # some rows name the department by a short alias (县城管局)
    type_form: str  # full 行政处罚, broken 行政\n处罚, short 处罚

    @classmethod
    def draw(cls, rng: random.Random) -> FileStyle:
        encodings, weights = zip(*ENCODINGS, strict=True)
        return cls(
            headers=rng.choice(HEADER_STYLES),
            street_header=rng.choice(STREET_HEADERS),
            encoding=rng.choices(encodings, weights=weights)[0],
            workbook=rng.random() < 0.05,
            title_row=rng.random() < 0.3,
            aliases=rng.random() < 0.3,
            type_form=rng.choices(("full", "broken", "short"), weights=(8, 1, 1))[0],
        )


def write_catalogs(folder: Path, plan: CountyPlan) -> list[Path]:
    """Every list version and notice of the county, each with its metadata file."""
    rng = random.Random(f"{plan.seed}:{plan.place.code}:files")
    style = FileStyle.draw(rng)
    written = [_write_version(folder, plan, version, style, rng) for version in plan.versions]
    for notice in plan.notices():
        written.append(_write_notice(folder, plan, notice, rng))
    return written


# -- list versions --------------------------------------------------------------------------


def _write_version(
    folder: Path, plan: CountyPlan, version: ListVersion, style: FileStyle, rng: random.Random
) -> Path:
    headers = list(style.headers.values())
    if plan.shape == "column":
        headers.insert(-1, style.street_header)
    rows = [headers] + [
        _list_cells(plan, style, rng, n, row) for n, row in enumerate(version.rows, start=1)
    ]
    stem = f"{plan.place.code}-{version.effective.year}"
    title = version.title if style.title_row or style.workbook else None
    if style.workbook:
        path = write_workbook(folder / f"{stem}.xlsx", "赋权事项目录", title, rows)
    else:
        path = _write_csv(folder / f"{stem}.csv", rows, style.encoding, title)
    meta = {
        "series": plan.series,
        "title": version.title,
        "issuer": f"{plan.place.name}人民政府办公室",
        "doc_number": version.doc_number,
        "kind": CatalogKind.COUNTY_LIST.value,
        "effective": version.effective,
        "published": version.effective.replace(day=10),
        "region": plan.place.code,
        "streets": plan.shape,
        "mode": plan.mode,
    }
    _write_meta(path, {k: v for k, v in meta.items() if v is not None})
    return path


def _list_cells(
    plan: CountyPlan, style: FileStyle, rng: random.Random, number: int, row: Row
) -> list[str]:
    cells = {
        "seq": str(number),
        "code": row.code,
        "name": row.template.name,
        "type": _type_cell(style, row.template.type.value),
        "basis": row.cell,
        "department": _department_cell(plan, style, rng, row),
        "domain": BY_ABBR[row.department].domain or "",
        "level": "乡镇\n街道",
        "remarks": row.remark,
    }
    found = [cells[field] for field in style.headers]
    if plan.shape == "column":
        found.insert(-1, _streets_cell(plan, rng, row.streets))
    return found


def _type_cell(style: FileStyle, item_type: str) -> str:
    if style.type_form == "broken":
        return item_type[:2] + "\n" + item_type[2:]
    if style.type_form == "short":
        return _TYPE_SHORT.get(item_type, item_type)
    return item_type


def _department_cell(plan: CountyPlan, style: FileStyle, rng: random.Random, row: Row) -> str:
    name, aliases = department_name(plan.place.name, plan.place.city_name, BY_ABBR[row.department])
    if style.aliases and aliases and rng.random() < 0.15:
        return rng.choice(aliases)
    return name


def _streets_cell(plan: CountyPlan, rng: random.Random, streets: tuple[str, ...] | None) -> str:
    if streets is None:
        return rng.choice(EVERY_STREET)
    return "、".join(plan.street(code).name for code in streets)


# -- notices --------------------------------------------------------------------------------


def _write_notice(folder: Path, plan: CountyPlan, notice: Notice, rng: random.Random) -> Path:
    adjustment = notice.kind == CatalogKind.ADJUSTMENT
    kind = "adjustment" if adjustment else "withdrawal"
    path = folder / f"{plan.place.code}-{kind}-{notice.effective.year}.csv"
    header = ["序号", "事项编码", "事项名称", "事项类型", "实施依据", "原实施部门", "执法领域"]
    header = ["序号", "调整类型", *header[1:], "街道", "备注"] if adjustment else [*header, "备注"]
    rows = [header]
    for n, (action, row, streets) in enumerate(notice.rows, start=1):
        cells = [
            row.code,
            row.template.name,
            row.template.type.value,
            row.cell,
            department_name(plan.place.name, plan.place.city_name, BY_ABBR[row.department])[0],
            BY_ABBR[row.department].domain or "",
        ]
        if adjustment:
            word = "新增" if action != END else rng.choice(("收回", "调出"))
            rows.append([str(n), word, *cells, _streets_cell(plan, rng, streets), ""])
        else:
            street = plan.street(streets[0]).name if streets else ""
            day = notice.effective
            remark = f"自{day.year}年{day.month}月{day.day}日起收回{street}行使"
            rows.append([str(n), *cells, remark])
    _write_csv(path, rows, "utf-8", None)
    meta: dict[str, Any] = {
        "series": f"{plan.place.code}-{kind}-{notice.effective.year}",
        "title": notice.title,
        "issuer": f"{plan.place.name}人民政府办公室",
        "doc_number": notice.doc_number,
        "kind": notice.kind.value,
        "effective": notice.effective,
        "region": plan.place.code,
        "streets": "column"
        if adjustment
        else [plan.street(code).name for _, _, s in notice.rows for code in s or ()],
        "mode": plan.mode,
    }
    _write_meta(path, {k: v for k, v in meta.items() if v is not None})
    return path


# -- files ----------------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[list[str]], encoding: str, title: str | None) -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        if title:
            writer.writerow([title] + [""] * (len(rows[0]) - 1))
        writer.writerows(rows)
    return path


def _write_meta(catalog: Path, meta: dict[str, Any]) -> None:
    path = catalog.with_name(catalog.stem + ".meta.yaml")
    comment = "Synthetic catalog metadata written by `authreg synth`; the catalog is invented."
    path.write_text(document([comment], meta), encoding="utf-8")
