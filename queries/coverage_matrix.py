"""A region's streets × items with each cell's enforcement subject on a day (赋权覆盖矩阵)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Cell, Sheet, record_natives
from queries.authority import (
    Body,
    CatalogRef,
    DelegationEvidence,
    Outcome,
    StreetRef,
    delegation_evidence,
    subject_of_cell,
    town_mode,
)
from queries.cypher_files import cypher
from queries.lookups import region_code

COVERAGE_MATRIX = cypher("coverage_matrix")

# The subject's short form per rule of queries/authority_rules.yaml, and the per-street tallies.
SHORT_FORMS = {
    "grant": "街道(赋权)",
    "station": "部门(派驻)",
    "entrust": "部门(委托)",
    "not_delegated": "部门(未赋权)",
    "conflict": "冲突",
    "unknown": "无法认定",
}
COUNT_LABELS = {
    "grant": "赋权",
    "station": "派驻",
    "entrust": "委托",
    "not_delegated": "区级部门",
    "conflict": "冲突",
    "unknown": "无法认定",
}


class MatrixItem(BaseModel):
    """A row of the matrix: an item held by a department of the region (原实施部门)."""

    code: str
    name: str
    type: str | None = None
    domain: str | None = None
    departments: list[Body] = Field(default_factory=list)  # every HELD_BY, any region


class MatrixCell(BaseModel):
    """Who enforces one item in one street on the day, by authority()'s rules, with evidence."""

    item_code: str
    street_code: str
    outcome: Outcome
    rule: str  # the key of queries/authority_rules.yaml applied
    subject: Body | None = None  # None: conflict or unknown
    mode: str | None = None  # the in-force delegations' modes (赋权 / 派驻 / 委托), 、-joined
    delegation_ids: list[str] = Field(default_factory=list)  # in force; two or more: conflict
    evidence: list[CatalogRef] = Field(default_factory=list)  # the catalog row cited on the day

    @property
    def short(self) -> str:
        return SHORT_FORMS[self.rule]


class StreetCounts(BaseModel):
    """How a street's cells split by rule (赋权 / 派驻 / 委托 / 区级部门 / 冲突 / 无法认定)."""

    street_code: str
    street_name: str
    grant: int = 0
    station: int = 0
    entrust: int = 0
    not_delegated: int = 0
    conflict: int = 0
    unknown: int = 0


class CoverageMatrix(Answer):
    """Streets × items of a region on `as_of`. `found` is False when no region has the code or
    exact name asked; an ambiguous name raises queries.lookups.AmbiguousName."""

    region: str
    as_of: date
    found: bool
    region_code: str | None = None
    region_name: str | None = None
    streets: list[StreetRef] = Field(default_factory=list)
    items: list[MatrixItem] = Field(default_factory=list)
    cells: list[MatrixCell] = Field(default_factory=list)  # item-major, both in code order
    counts: list[StreetCounts] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def cell(self, item_code: str, street_code: str) -> MatrixCell:
        return next(
            c for c in self.cells if (c.item_code, c.street_code) == (item_code, street_code)
        )

    def sheets(self) -> list[Sheet]:
        return [self._matrix_sheet(), self._long_sheet(), self._counts_sheet()]

    def _matrix_sheet(self) -> Sheet:
        by_key = {(c.item_code, c.street_code): c for c in self.cells}
        rows: list[list[Cell]] = [
            [item.code, item.name, "、".join(d.name for d in item.departments)]
            + [by_key[(item.code, s.code)].short for s in self.streets]
            for item in self.items
        ]
        return Sheet(
            title=f"赋权覆盖矩阵 {self.region_name or self.region} {self.as_of}",
            columns=["编码", "名称", "原实施部门"] + [s.name for s in self.streets],
            rows=rows,
        )

    def _long_sheet(self) -> Sheet:
        items = {i.code: i for i in self.items}
        streets = {s.code: s for s in self.streets}
        columns = ["事项编码", "事项名称", "街道编码", "街道", "认定", "执法主体", "主体类型"]
        columns += ["方式", "赋权编号", "依据目录", "文号", "行"]
        rows: list[list[Cell]] = [
            [
                c.item_code,
                items[c.item_code].name,
                c.street_code,
                streets[c.street_code].name,
                c.short,
                c.subject.name if c.subject else None,
                {"Street": "街道", "Department": "部门"}[c.subject.kind] if c.subject else None,
                c.mode,
                "、".join(c.delegation_ids) or None,
                "; ".join(e.title for e in c.evidence) or None,
                "; ".join(e.doc_number or "" for e in c.evidence) or None,
                _rows(c.evidence),
            ]
            for c in self.cells
        ]
        return Sheet(title="覆盖明细", columns=columns, rows=rows)

    def _counts_sheet(self) -> Sheet:
        keys = list(COUNT_LABELS)
        return Sheet(
            title="各街道统计",
            columns=["街道编码", "街道"] + [COUNT_LABELS[k] for k in keys],
            rows=[
                [n.street_code, n.street_name] + [getattr(n, k) for k in keys] for n in self.counts
            ],
        )


@unit_of_work(metadata={"query": "coverage_matrix"})
def coverage_matrix(tx: ManagedTransaction, *, region: str, as_of: date) -> CoverageMatrix:
    """Every street × item of `region` (code or exact name) on `as_of`, in one read."""
    code = region_code(tx, region)
    if code is None:
        return CoverageMatrix(region=region, as_of=as_of, found=False)
    record = tx.run(COVERAGE_MATRIX, regionCode=code, asOf=as_of).single()
    found = record_natives(record)
    streets = [_street(row, found["region"]) for row in found["streets"]]
    items = [_item(row) for row in found["items"]]
    in_force, notes = _delegations_by_cell(found["delegations"], items)
    departments = {row["code"]: row["departments"] for row in found["items"]}
    cells = [
        _cell(item, street, in_force[(item.code, street.code)], departments[item.code], as_of)
        for item in items
        for street in streets
    ]
    return CoverageMatrix(
        region=region,
        as_of=as_of,
        found=True,
        region_code=code,
        region_name=found["region"]["name"],
        streets=streets,
        items=items,
        cells=cells,
        counts=_counts(streets, cells),
        notes=notes + _empty_notes(streets, items),
    )


def _cell(
    item: MatrixItem,
    street: StreetRef,
    in_force: list[DelegationEvidence],
    departments: list[dict[str, Any]],
    as_of: date,
) -> MatrixCell:
    in_force = [town_mode(d, street) for d in in_force]  # a dated 派驻 day (组织沿革)
    outcome, subject, rule = subject_of_cell(in_force, departments, street)
    evidence = [cited for d in in_force if (cited := _catalog_on(d, as_of)) is not None]
    return MatrixCell(
        item_code=item.code,
        street_code=street.code,
        outcome=outcome,
        rule=rule,
        subject=subject,
        mode="、".join(d.mode for d in in_force) or None,
        delegation_ids=[d.id for d in in_force],
        evidence=evidence,
    )


def _catalog_on(delegation: DelegationEvidence, as_of: date) -> CatalogRef | None:
    """The catalog version in force on the day that lists the delegation (as authority cites)."""
    listed = [c for c in delegation.catalogs if c.effective <= as_of] or delegation.catalogs[:1]
    return listed[-1] if listed else None


def _delegations_by_cell(
    rows: list[dict[str, Any]], items: list[MatrixItem]
) -> tuple[defaultdict[tuple[str, str], list[DelegationEvidence]], list[str]]:
    held = {item.code for item in items}
    by_cell: defaultdict[tuple[str, str], list[DelegationEvidence]] = defaultdict(list)
    notes = []
    for row in rows:
        if row["item"] not in held:
            notes.append(
                f"赋权记录 {row['id']}({row['street']})的事项 {row['item']} "
                "不由本区部门持有,不在矩阵中"
            )
            continue
        by_cell[(row["item"], row["street"])].append(delegation_evidence(row))
    return by_cell, notes


def _counts(streets: list[StreetRef], cells: list[MatrixCell]) -> list[StreetCounts]:
    tally = Counter((c.street_code, c.rule) for c in cells)
    return [
        StreetCounts(
            street_code=s.code,
            street_name=s.name,
            **{rule: tally[(s.code, rule)] for rule in COUNT_LABELS},
        )
        for s in streets
    ]


def _empty_notes(streets: list[StreetRef], items: list[MatrixItem]) -> list[str]:
    notes = []
    if not streets:
        notes.append("该区划下没有街道/乡镇 (no Street PART_OF the region)")
    if not items:
        notes.append("该区划的部门不持有任何执法事项 (no item HELD_BY its departments)")
    return notes


def _rows(evidence: list[CatalogRef]) -> Cell:
    """The catalog row cited: a number for one delegation, joined for a conflict's several."""
    if len(evidence) == 1:
        return evidence[0].row
    return "; ".join(str(e.row or "?") for e in evidence) or None


def _street(row: dict[str, Any], region: dict[str, Any]) -> StreetRef:
    period = row.pop("modePeriod", None)
    return StreetRef(**row, mode_period=period, region=region["code"], region_name=region["name"])


def _item(row: dict[str, Any]) -> MatrixItem:
    return MatrixItem(
        code=row["code"],
        name=row["name"],
        type=row.get("type"),
        domain=row.get("domain"),
        departments=[
            Body(kind="Department", key=d["id"], name=d["name"]) for d in row["departments"]
        ],
    )
