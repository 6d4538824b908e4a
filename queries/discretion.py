"""What discretion lists say about an item on a day (裁量基准, 首违不罚): tiers, conditions, source.

The lists are loaded by loaders/discretion.py; which version of a series applies is decided here,
on the day asked (queries/discretion.cypher). The authority answer carries this for its item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from schema.enums import DiscretionKind

DISCRETION = cypher("discretion")
MATCH_LABELS = {
    "code": "按事项编码",
    "name_and_article": "按名称和条款",
    "ambiguous": "匹配不唯一",
    "none": "未匹配",
}


class DiscretionRow(BaseModel):
    """One row of a discretion list that applies to the item (裁量基准或免罚清单的一行)."""

    row: int
    violation: str
    circumstance: str | None = None  # 违法情节: 轻微 / 一般 / 较重 / 严重
    standard: str | None = None  # 裁量标准
    condition: str | None = None  # 不予处罚的情形
    department: str | None = None
    match: str  # code / name_and_article / ambiguous
    match_note: str | None = None


class RestsOn(BaseModel):
    """The article a no-penalty list applies (行政处罚法 第三十三条), quoted when its text is loaded."""

    id: str
    title: str | None = None
    text: str | None = None  # None: that article's text is not loaded


class DiscretionNote(BaseModel):
    """One list in force for the item on the day: what it says, and where it says it."""

    list_id: str
    kind: DiscretionKind
    title: str
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    effective: date
    source_file: str | None = None
    rests_on: list[RestsOn] = Field(default_factory=list)
    rows: list[DiscretionRow]
    summary: str  # 裁量基准: 轻微 …; 一般 … / 首违不罚: … — with the source

    def cite(self) -> str:
        number = f"({self.doc_number})" if self.doc_number else ""
        rows = "、".join(str(r.row) for r in self.rows)
        return f"《{self.title}》{number}第{rows}行"


class DiscretionAnswer(Answer):
    """The discretion lists in force for an item on a day (裁量基准与不予处罚清单)."""

    item_code: str
    as_of: date
    notes: list[DiscretionNote]

    def sheets(self) -> list[Sheet]:
        return [discretion_sheet(self.notes)]


@unit_of_work(metadata={"query": "discretion"})
def discretion(tx: ManagedTransaction, *, item: str, as_of: date) -> DiscretionAnswer:
    """What the discretion lists in force on `as_of` say about the item with code `item`."""
    return DiscretionAnswer(item_code=item, as_of=as_of, notes=discretion_notes(tx, item, as_of))


def discretion_notes(tx: ManagedTransaction, item_code: str, as_of: date) -> list[DiscretionNote]:
    """discretion.cypher's lists, each summed up in a line (the authority answer's field)."""
    rows = tx.run(DISCRETION, itemCode=item_code, asOf=as_of)
    return [discretion_note(record_natives(record)) for record in rows]


def discretion_sheet(notes: list[DiscretionNote]) -> Sheet:
    """The lists as one printable table: kind, tier or condition, source (document, 文号, row)."""
    return Sheet(
        title="裁量基准与免罚",
        columns=["类别", "违法行为", "情节", "裁量标准 / 不予处罚的情形", "来源", "匹配方式"],
        rows=[
            [
                note.kind,
                row.violation,
                row.circumstance,
                row.standard or row.condition,
                f"《{note.title}》{note.doc_number or ''} 第{row.row}行",
                MATCH_LABELS.get(row.match, row.match),
            ]
            for note in notes
            for row in note.rows
        ],
    )


def discretion_note(found: dict[str, Any]) -> DiscretionNote:
    """One list as discretion.cypher returns it (a row; authority.cypher: a map of `discretion`)."""
    rows = [DiscretionRow(**_snake(row)) for row in found["entries"]]
    kind = DiscretionKind(found["kind"])
    note = DiscretionNote(
        list_id=found["listId"],
        kind=kind,
        title=found["title"],
        issuer=found["issuer"],
        doc_number=found["docNumber"],
        effective=found["effective"],
        source_file=found["sourceFile"],
        rests_on=[RestsOn(**r) for r in found["restsOn"]],
        rows=rows,
        summary="",
    )
    return note.model_copy(update={"summary": _summary(note)})


def _summary(note: DiscretionNote) -> str:
    """裁量基准: 轻微 …; 一般 … or 首违不罚: …, then the source and how the rows were matched."""
    if note.kind == DiscretionKind.BENCHMARK:
        said = "裁量基准: " + "; ".join(
            f"{r.circumstance} {r.standard}" for r in note.rows if r.standard
        )
    else:
        said = "首违不罚: " + "; ".join(f"{r.condition}不予处罚" for r in note.rows)
    matches = "、".join(dict.fromkeys(MATCH_LABELS.get(r.match, r.match) for r in note.rows))
    text = f"{said}(来源:{note.cite()},{note.effective.isoformat()}起施行;{matches})"
    if any(r.match == "ambiguous" for r in note.rows):
        text += " 注意:该行与多个事项匹配,未能确定是否就是本事项。"
    return text


def _snake(row: dict[str, Any]) -> dict[str, Any]:
    return {"match_note" if k == "matchNote" else k: v for k, v in row.items()}
