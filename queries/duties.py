"""Who leads and who assists for a matter in a town (属地管理事项责任清单, seed 002 四、三).

The county's duty list in force for the town's region (queries/duties.cypher) is searched by the
matter's words as complaints are (queries/route.py: bigrams, everyday words read as statutory
ones); the best matter gives the body with 主体责任 and the bodies with 配合责任, each with its
duties, and the list and row they come from. Several close matters are all shown and the answer
says so; no matter holding the words is said, never guessed.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from loaders.duty_lists import ASSIST, LEAD
from loaders.handling import tier_label
from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet, body_ids, departments_of_day
from queries.lookups import QueryInputError
from queries.route import matched_words, search_terms
from schema.enums import DelegationMode

DUTIES = cypher("duties")
ACTING = [DelegationMode.GRANT.value, DelegationMode.ENTRUST.value]  # the town acts itself
MAX_MATTER_CHARS = 100  # a matter is named in a phrase, not described in a page
SIMILAR_SCORE = 0.75  # as route: matters within 75 % of the best are shown as close
DUTIES_WEIGHT = 0.5  # words found only in the duties text count half

DutiesOutcome = Literal["found", "ambiguous", "no_match", "no_list", "street_not_found"]


class DutyBody(BaseModel):
    """A town or county department's part in a matter: 主体责任 or 配合责任, and its duties."""

    kind: Literal["Street", "Department"]
    key: str
    name: str
    role: str
    duties: str | None = None


class DutyItem(BaseModel):
    """An enforcement item the list names for the matter, whether the town holds it by 赋权 on
    the day, and its 办理层级 with the catalog row that gives it (seed 002 二、二)."""

    code: str
    name: str
    delegated: bool
    handling: str | None = None  # town / county_team
    handling_label: str | None = None
    handling_source: str | None = None  # 《catalog》(file) 第N行


class DutyListRef(BaseModel):
    """The duty list an answer comes from (责任清单): title, issuer, date, file."""

    id: str
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    effective: date
    source_file: str | None = None


class MatterDuties(BaseModel):
    """One matter of the list: who leads, who assists, the words that matched, its row."""

    id: str
    row: int
    seq: str | None = None
    name: str
    basis: str | None = None
    lead: list[DutyBody]
    assist: list[DutyBody]
    items: list[DutyItem] = Field(default_factory=list)
    matched: list[str] = Field(default_factory=list)
    score: float = 0.0
    source: str  # 《list》(file) 第N行


class DutiesAnswer(Answer):
    """For a matter in a town on a day: the leading and assisting bodies, or why none is named."""

    outcome: DutiesOutcome
    as_of: date
    street_code: str | None = None
    street_name: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    words: str
    duty_list: DutyListRef | None = None
    matter: MatterDuties | None = None  # the best match
    similar: list[MatterDuties] = Field(default_factory=list)  # close to the best: also shown
    explanation: str
    notes: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        matters = [m for m in [self.matter, *self.similar] if m is not None]
        rows = [
            [m.name, b.role, b.name, b.duties, m.source]
            for m in matters
            for b in [*m.lead, *m.assist]
        ]
        return [
            Sheet(
                title=f"属地管理责任 {self.street_name or ''} {self.as_of.isoformat()}",
                columns=["事项", "责任", "单位", "具体职责", "依据清单"],
                rows=rows,
            ),
            Sheet(
                title="说明", columns=["说明"], rows=[[n] for n in [self.explanation, *self.notes]]
            ),
        ]


@unit_of_work(metadata={"query": "duties"})
def duties(tx: ManagedTransaction, *, street: str, matter: str, as_of: date) -> DutiesAnswer:
    """Who leads (主体责任) and who assists (配合责任) for `matter` (words) in `street` (code or
    exact name) on `as_of`, by the county's duty list in force then."""
    words = _check(street, matter)
    rows = [
        record_natives(r) for r in tx.run(DUTIES, street=street.strip(), asOf=as_of, acting=ACTING)
    ]
    if len(rows) != 1:
        return _street_problem(street, words, as_of, rows)
    found = rows[0]
    base = {
        "as_of": as_of,
        "street_code": found["streetCode"],
        "street_name": found["streetName"],
        "region_code": found["regionCode"],
        "region_name": found["regionName"],
        "words": words,
    }
    if found["list"] is None:
        return DutiesAnswer(
            outcome="no_list",
            explanation=f"{found['regionName']}在{as_of}没有已载入的属地管理事项责任清单",
            **base,
        )
    duty_list = DutyListRef(**_snake(found["list"]))
    terms, _ = search_terms(words, place=found["streetName"])
    # 机构改革: each department of the list as on as_of (its successor from a merger day), named
    # as that day: one read for every matter's departments.
    sheet = departments_of_day(
        tx, [b for m in found["matters"] for b in body_ids(m["bodies"])], as_of
    )
    matters = [{**m, "bodies": _bodies_of_day(sheet, m["bodies"])} for m in found["matters"]]
    scored = sorted(
        (_matter(row, terms, duty_list) for row in matters),
        key=lambda m: (-m.score, m.row),
    )
    scored = [m for m in scored if m.score > 0]
    if not scored:
        return DutiesAnswer(
            outcome="no_match",
            duty_list=duty_list,
            explanation=f"《{duty_list.title}》({duty_list.effective}起)没有含「{words}」字词的事项;"
            "请换用清单中的说法",
            **base,
        )
    best, close = scored[0], [m for m in scored[1:] if m.score >= SIMILAR_SCORE * scored[0].score]
    return DutiesAnswer(
        outcome="ambiguous" if close else "found",
        duty_list=duty_list,
        matter=best,
        similar=close,
        explanation=_explain(best, close, found["streetName"]),
        notes=_notes(best, found["streetName"]) + _reform_notes(sheet, best),
        **base,
    )


def _bodies_of_day(sheet: DaySheet, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The matter's bodies with each department the one standing for it that day; a merged
    department and its successor in the same role are one body (their duties joined)."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for body in sheet.apply(bodies, "key"):
        key = (body["kind"], body["key"], body["role"])
        if key in found:
            duties = [d for d in (found[key].get("duties"), body.get("duties")) if d]
            found[key] = {**found[key], "duties": "\n".join(dict.fromkeys(duties)) or None}
        else:
            found[key] = body
    return list(found.values())


def _reform_notes(sheet: DaySheet, best: MatterDuties) -> list[str]:
    """The mergers behind the best matter's departments (组织沿革), quoting the notices."""
    keys = {b.key for b in [*best.lead, *best.assist] if b.kind == "Department"}
    said = [day.note() for day in sheet.found.values() if day.id in keys and day.merged]
    return [f"组织沿革:{text}" for text in dict.fromkeys(t for t in said if t)]


def _check(street: str, matter: str) -> str:
    if not (street or "").strip():
        raise QueryInputError("give the street or town (街道/乡镇) by code or exact name")
    words = (matter or "").strip()
    if not words:
        raise QueryInputError("give the matter's words (事项), e.g. 违法建设, 生活垃圾")
    if len(words) > MAX_MATTER_CHARS:
        raise QueryInputError(
            f"the matter has {len(words)} characters; give at most {MAX_MATTER_CHARS}: "
            "the words that name it, not a description"
        )
    return words


def _matter(row: dict[str, Any], terms: list[str], duty_list: DutyListRef) -> MatterDuties:
    bodies = [DutyBody(**b) for b in row["bodies"]]
    in_name = matched_words(terms, row["name"])
    duty_text = "\n".join(b.duties or "" for b in bodies)
    in_duties = [w for w in matched_words(terms, duty_text) if w not in in_name]
    score = sum(len(w) - 1 for w in in_name) + DUTIES_WEIGHT * sum(len(w) - 1 for w in in_duties)
    return MatterDuties(
        id=row["id"],
        row=row["row"],
        seq=row["seq"],
        name=row["name"],
        basis=row["basis"],
        lead=[b for b in bodies if b.role == LEAD],
        assist=[b for b in bodies if b.role == ASSIST],
        items=[_item(i) for i in row["items"]],
        matched=in_name + in_duties,
        score=round(score / max(len(terms), 1), 3),
        source=f"《{duty_list.title}》({duty_list.source_file}) 第{row['row']}行",
    )


def _item(row: dict[str, Any]) -> DutyItem:
    source = None
    if row["handling"]:
        source = f"《{row['handlingCatalog']}》({row['handlingFile']}) 第{row['handlingRow']}行"
    return DutyItem(
        code=row["code"],
        name=row["name"],
        delegated=row["delegated"],
        handling=row["handling"],
        handling_label=tier_label(row["handling"]) if row["handling"] else None,
        handling_source=source,
    )


def _explain(best: MatterDuties, close: list[MatterDuties], street: str) -> str:
    lead = "、".join(b.name for b in best.lead) or "(清单未列)"
    assist = "、".join(b.name for b in best.assist) or "(无)"
    text = f"「{best.name}」: 主体责任 {lead}; 配合责任 {assist} ({best.source})"
    if close:
        others = "、".join(f"「{m.name}」(第{m.row}行)" for m in close)
        text += f"; 另有相近事项 {others}, 一并列出, 请核对"
    return text


def _notes(best: MatterDuties, street: str) -> list[str]:
    """What a reader must also know: a lead the town holds without the power to punish, and
    items the county's professional team handles (seed 002 二、二)."""
    notes = []
    town_leads = any(b.kind == "Street" for b in best.lead)
    for item in best.items:
        if town_leads and not item.delegated:
            notes.append(
                f"{street}承担主体责任, 但{item.code}「{item.name}」当日未赋权或委托{street}: "
                "查处仍以县级部门名义 (权责不一致, 见覆盖缺口 duty_lead_without_delegation)"
            )
        if item.handling == "county_team":
            notes.append(f"{item.code}: {item.handling_label} ({item.handling_source})")
    return notes


def _street_problem(
    street: str, words: str, as_of: date, rows: list[dict[str, Any]]
) -> DutiesAnswer:
    if not rows:
        explanation = f"没有编码或名称为「{street}」的街道/乡镇"
    else:
        where = "、".join(f"{r['streetName']}({r['streetCode']},{r['regionName']})" for r in rows)
        explanation = f"「{street}」对应多个街道/乡镇: {where}; 请用编码"
    return DutiesAnswer(
        outcome="street_not_found", as_of=as_of, words=words, explanation=explanation
    )


def _snake(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "".join(f"_{c.lower()}" if c.isupper() else c for c in key): value
        for key, value in row.items()
    }
