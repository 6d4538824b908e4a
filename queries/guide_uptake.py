"""Guide uptake (省级指导目录承接情况, issue 17.6): per county, the province's guide items it has not
taken up, the items it added beyond the guide, and how each taken-up item matched.

The links are made when the question is asked (`queries/guide_match.py`), from the guide lists
and the county delegations in force on the day: loading a new guide or county list changes the
answer at once, with no links to recompute (docs/DESIGN.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from authreg.errors import RegistryError
from loaders.rows import derived_item_code
from queries.answers import Answer, Cell, Sheet, record_natives
from queries.cypher_files import cypher
from queries.guide_match import Side, link
from queries.lookups import region_code

GUIDE_UPTAKE = cypher("guide_uptake")
MATCH_WORDS = {"code": "编码", "name": "名称", "name+article": "名称+条文"}
NOT_TAKEN_UP, AMBIGUOUS = "未承接", "待确认"


class GuideListRef(BaseModel):
    """A guide list version in force (省级指导目录)."""

    id: str
    series: str
    title: str | None = None
    doc_number: str | None = None
    effective: date
    source_file: str | None = None


class GuideItemRef(BaseModel):
    """A guide item and where the guide lists it (指导事项)."""

    id: str
    code: str | None = None
    name: str
    type: str | None = None
    domain: str | None = None
    department: str | None = None
    catalog_id: str = Field(description="The guide list version (目录)")
    source_file: str | None = None
    row: int | None = Field(default=None, description="Its row in the guide list's file (行)")


class CountyItemRef(BaseModel):
    """A county item delegated to its streets on the day, with the catalog row that did it."""

    code: str
    name: str
    type: str | None = None
    catalog_id: str | None = None
    source_file: str | None = None
    row: int | None = None


class GuideLink(BaseModel):
    """A county item that takes up a guide item, and how they were matched (对应方式)."""

    county_item: CountyItemRef
    guide_item: GuideItemRef
    match: str = Field(description="code (编码), name (名称) or name+article (名称+条文)")


class AmbiguousLink(BaseModel):
    """A county item that fits two or more guide items: shown, never guessed (待确认)."""

    county_item: CountyItemRef
    candidates: list[GuideItemRef]


class CountyUptake(BaseModel):
    """One county against the guide (县级承接情况)."""

    code: str
    name: str | None = None
    items: int = Field(description="Items delegated to its streets on the day (事项数)")
    matched: list[GuideLink] = Field(default_factory=list)
    ambiguous: list[AmbiguousLink] = Field(default_factory=list)
    not_taken_up: list[GuideItemRef] = Field(default_factory=list)
    added: list[CountyItemRef] = Field(default_factory=list)


class UptakeCell(BaseModel):
    """One county's column in a guide item's row: the match kind, 待确认 or 未承接."""

    county_code: str
    status: str = Field(description="编码 / 名称 / 名称+条文, 待确认, or 未承接")
    county_items: list[str] = Field(default_factory=list, description="Its items' codes")


class UptakeRow(BaseModel):
    """A guide item across the province's counties (对照表的一行)."""

    guide_item: GuideItemRef
    cells: list[UptakeCell]


class GuideUptake(Answer):
    """A province's guide against its counties on a day (省级指导目录承接情况)."""

    asked: str
    as_of: date
    found: bool
    province_code: str | None = None
    province_name: str | None = None
    guides: list[GuideListRef] = Field(default_factory=list)
    counties: list[CountyUptake] = Field(default_factory=list)
    table: list[UptakeRow] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        names = [c.name or c.code for c in self.counties]
        table = Sheet(
            title="对照表 (指导事项 × 县)",
            columns=["目录", "行", "事项编码", "指导事项", *names],
            rows=[
                [r.guide_item.catalog_id, r.guide_item.row, r.guide_item.code, r.guide_item.name]
                + [_cell_text(cell) for cell in r.cells]
                for r in self.table
            ],
        )
        return [
            table,
            *self._county_sheets(),
            Sheet(title="说明", columns=["说明"], rows=[[n] for n in self.notes]),
        ]

    def _county_sheets(self) -> list[Sheet]:
        missing: list[list[Cell]] = []
        added: list[list[Cell]] = []
        matched: list[list[Cell]] = []
        for c in self.counties:
            county = c.name or c.code
            missing += [[county, g.catalog_id, g.row, g.code, g.name] for g in c.not_taken_up]
            added += [[county, i.code, i.name, i.catalog_id, i.row] for i in c.added]
            matched += [
                [
                    county,
                    m.county_item.code,
                    m.county_item.name,
                    MATCH_WORDS[m.match],
                    m.guide_item.catalog_id,
                    m.guide_item.row,
                    m.guide_item.name,
                ]
                for m in c.matched
            ]
            matched += [
                [
                    county,
                    a.county_item.code,
                    a.county_item.name,
                    AMBIGUOUS,
                    g.catalog_id,
                    g.row,
                    g.name,
                ]
                for a in c.ambiguous
                for g in a.candidates
            ]
        return [
            Sheet(
                title="未承接的指导事项",
                columns=["县", "目录", "行", "事项编码", "指导事项"],
                rows=missing,
            ),
            Sheet(
                title="超出目录的事项",
                columns=["县", "事项编码", "事项名称", "依据目录", "行"],
                rows=added,
            ),
            Sheet(
                title="对应明细",
                columns=["县", "县事项编码", "县事项名称", "对应方式", "目录", "行", "指导事项"],
                rows=matched,
            ),
        ]


def _cell_text(cell: UptakeCell) -> str:
    return (
        cell.status if not cell.county_items else f"{cell.status} ({'、'.join(cell.county_items)})"
    )


@unit_of_work(metadata={"query": "guide_uptake"})
def guide_uptake(
    tx: ManagedTransaction, *, province: str, as_of: date, county: str | None = None
) -> GuideUptake:
    """The province (code or exact name) and optionally one county of it, on `as_of`."""
    code = region_code(tx, province)
    county_code = region_code(tx, county) if county is not None else None
    if code is None or (county is not None and county_code is None):
        return GuideUptake(asked=province, as_of=as_of, found=False)
    if county_code is not None and county_code[:2] != code[:2]:
        raise RegistryError(f"{county} ({county_code}) is not a county of {province} ({code})")
    record = tx.run(GUIDE_UPTAKE, provinceCode=code, asOf=as_of, countyCode=county_code).single()
    data = record_natives(record)
    if data["province"]["level"] != "province":
        raise RegistryError(
            f"{province} is a {data['province']['level']}, not a province: a guide list "
            "(省级指导目录) is the province's; give the province (e.g. 福建省 or 350000)"
        )
    return build_answer(province, as_of, data)


def build_answer(asked: str, as_of: date, data: dict[str, Any]) -> GuideUptake:
    """The answer from the read's record: each county linked against every guide item."""
    guide_refs = {
        item["id"]: _guide_ref(guide, item) for guide in data["guides"] for item in guide["items"]
    }
    guide_sides = [
        Side(i["id"], i["name"], i["type"], i["code"], frozenset(i["articles"] or []))
        for guide in data["guides"]
        for i in guide["items"]
    ]
    counties = [_county(c, guide_sides, guide_refs) for c in data["counties"]]
    return GuideUptake(
        asked=asked,
        as_of=as_of,
        found=True,
        province_code=data["province"]["code"],
        province_name=data["province"]["name"],
        guides=[
            GuideListRef(
                **{k: g[k] for k in ("id", "series", "title", "effective")},
                doc_number=g["docNumber"],
                source_file=g["sourceFile"],
            )
            for g in data["guides"]
        ],
        counties=counties,
        table=_table(list(guide_refs.values()), counties),
        notes=_notes(data, counties),
    )


def _county(data: dict[str, Any], guide: list[Side], refs: dict[str, GuideItemRef]) -> CountyUptake:
    items = {i["code"]: i for i in data["items"]}
    sides = [
        Side(
            i["code"],
            i["name"],
            i["type"],
            None if i["code"] == derived_item_code(data["code"], i["name"]) else i["code"],
            frozenset(i["articles"] or []),
        )
        for i in data["items"]
    ]
    links = link(guide, sides)
    uptake = CountyUptake(code=data["code"], name=data["name"], items=len(sides))
    if not sides:  # nothing delegated that day: no list to compare, not "took up nothing"
        return uptake
    ref = {code: _county_ref(item) for code, item in items.items()}
    uptake.matched = [
        GuideLink(county_item=ref[c.key], guide_item=refs[g.key], match=kind)
        for c, g, kind in links.matched
    ]
    uptake.ambiguous = [
        AmbiguousLink(county_item=ref[c.key], candidates=[refs[g.key] for g in gs])
        for c, gs in links.ambiguous
    ]
    uptake.not_taken_up = [refs[g.key] for g in links.not_taken_up]
    uptake.added = [ref[c.key] for c in links.added]
    return uptake


def _table(guide: list[GuideItemRef], counties: list[CountyUptake]) -> list[UptakeRow]:
    rows = []
    for item in guide:
        cells = []
        for county in counties:
            taken = [m for m in county.matched if m.guide_item.id == item.id]
            maybe = [a for a in county.ambiguous if any(g.id == item.id for g in a.candidates)]
            if not county.items:
                status, codes = "无赋权", []
            elif taken:
                kinds = sorted({MATCH_WORDS[m.match] for m in taken})
                status, codes = "、".join(kinds), [m.county_item.code for m in taken]
            elif maybe:
                status, codes = AMBIGUOUS, [a.county_item.code for a in maybe]
            else:
                status, codes = NOT_TAKEN_UP, []
            cells.append(UptakeCell(county_code=county.code, status=status, county_items=codes))
        rows.append(UptakeRow(guide_item=item, cells=cells))
    return rows


def _notes(data: dict[str, Any], counties: list[CountyUptake]) -> list[str]:
    notes = [
        "对应规则: 事项编码相同(忽略全半角、空格、连字符), 否则名称相同(忽略标点、括号, 对…的处罚只比行为)"
        "且类型相同; 同名并引用同一条文为「名称+条文」; 仍对应两项以上为「待确认」, 不作猜测。",
        "县已承接 = 当日有效的赋权(任一方式)到本县任一街镇的事项。",
    ]
    if not data["guides"]:
        notes.append(f"{data['province']['name']} 当日没有生效的省级指导目录。")
    notes += [
        f"{c.name or c.code}: 当日没有赋权到街镇的事项, 不作比较。" for c in counties if not c.items
    ]
    return notes


def _guide_ref(guide: dict[str, Any], item: dict[str, Any]) -> GuideItemRef:
    return GuideItemRef(
        id=item["id"],
        code=item["code"],
        name=item["name"],
        type=item["type"],
        domain=item["domain"],
        department=item["department"],
        catalog_id=guide["id"],
        source_file=guide["sourceFile"],
        row=item["row"],
    )


def _county_ref(item: dict[str, Any]) -> CountyItemRef:
    evidence = item["evidence"] or {}
    return CountyItemRef(
        code=item["code"],
        name=item["name"],
        type=item["type"],
        catalog_id=evidence.get("catalogId"),
        source_file=evidence.get("sourceFile"),
        row=evidence.get("row"),
    )
