"""Staffing establishment against staff (编制与实有人员): per street team and 派驻 station, the posts
the 编办 approved (核定编制, 行政/事业), the staff there (实有), the certified officers the graph
holds on the day, and the auxiliary staff (协管, never officers) — each figure with its source —
and the findings: 超编, 编随事走 not followed (posts did not move with the items), and streets
holding delegated items no certified officer of their domain covers.

The rules and their sources are data (queries/staffing_rules.yaml). The domain gap is the coverage
report's own check (queries.gap_checks_certificates.uncovered_items), shown here per street and
domain, not computed a second time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, natives
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet, departments_of_day
from queries.gap_checks_certificates import uncovered_items, uncovered_rows
from queries.gap_scope import Scope, resolve_scope
from schema.enums import UnitKind

STAFFING = cypher("staffing")
ITEM_MOVES = cypher("staffing_item_moves")
RULES_FILE = Path(__file__).with_name("staffing_rules.yaml")
# The units a staffing answer lists even without an approval on record: the street's own teams
# and the stations posted there (per team and per 派驻 station); others only with an approval.
LISTED_KINDS = {UnitKind.STREET_TEAM, UnitKind.STREET_CENTER, UnitKind.STATION}
OFFICERS_SOURCE = "登记系统: 隶属该单位、当日执法证有效的执法人员 (持证上岗)"

FindingKind = Literal[
    "over_establishment",
    "posts_not_moved_to_street",
    "department_posts_not_reduced",
    "domain_without_certified_officer",
]


@cache
def staffing_rules() -> dict[str, Any]:
    """queries/staffing_rules.yaml, read once."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


class EstablishmentSource(BaseModel):
    """The approval a unit's figures come from (编制批复)."""

    document: str = Field(description="The approving document (文件)")
    doc_number: str | None = Field(None, description="Its number (文号)")
    issuer: str | None = Field(None, description="Who issued it (发文机关)")
    approved_on: date = Field(description="Its date, from which it is in force (日期)")
    file: str | None = Field(None, description="The staffing file it was loaded from")
    row: int | None = Field(None, description="The line of the unit's row in that file")

    def cite(self) -> str:
        number = f" ({self.doc_number})" if self.doc_number else ""
        return f"《{self.document}》{number}, {self.approved_on}"


class UnitStaffing(BaseModel):
    """One team, station or department: posts, staff, certified officers and auxiliaries."""

    unit_id: str = Field(description="Unit or department id (单位编号)")
    unit_name: str = Field(description="Its name (单位)")
    unit_kind: str = Field(description="街镇综合执法队, 派驻机构, 中队, … or 部门")
    owner_kind: str = Field(description="Street or Department: whom the unit belongs to")
    owner_key: str = Field(description="The street's code or the department's id (所属)")
    owner_name: str | None = Field(None, description="Its name (所属街道/部门)")
    administrative_posts: int | None = Field(None, description="核定行政编制; none: no approval")
    institution_posts: int | None = Field(None, description="核定事业编制")
    approved: int | None = Field(None, description="核定编制 in all (行政 + 事业)")
    actual: int | None = Field(None, description="实有人数 (在编), as the approval reports it")
    vacancies: int | None = Field(None, description="空编: approved − actual, when positive")
    over_establishment: int | None = Field(None, description="超编: actual − approved, if positive")
    certified_officers: int = Field(
        description="Officers of the unit with a certificate valid on the day (持证执法人员, graph)"
    )
    certified_reported: int | None = Field(
        None, description="持证执法人员 as the approval's table reports it"
    )
    auxiliary: int | None = Field(
        None, description="协管 / 执法辅助人员 (never officers, never counted as certified)"
    )
    establishment_source: EstablishmentSource | None = Field(
        None, description="The approval in force on the day (核定依据)"
    )
    officers_source: str = Field(
        OFFICERS_SOURCE, description="Where the certified count comes from"
    )
    explanation: str = Field(description="The unit's figures in one sentence (说明)")


class StaffingFinding(BaseModel):
    """A finding of the staffing question, with the facts and the rule behind it."""

    kind: FindingKind = Field(
        description="over_establishment (超编), posts_not_moved_to_street (街道编制未随事增加), "
        "department_posts_not_reduced (部门编制未核减), domain_without_certified_officer "
        "(赋权领域无持证人员)"
    )
    rule: str = Field(description="The rule applied (规则)")
    street_code: str | None = Field(None, description="The street concerned (街道编码)")
    street_name: str | None = Field(None, description="Its name (街道)")
    department_id: str | None = Field(None, description="The department concerned (部门编号)")
    department_name: str | None = Field(None, description="Its name (部门)")
    unit_id: str | None = Field(None, description="The unit concerned (单位编号)")
    unit_name: str | None = Field(None, description="Its name (单位)")
    day: date | None = Field(None, description="The day the items took effect (事项下沉日)")
    domain: str | None = Field(None, description="The enforcement domain (执法领域)")
    items: list[str] = Field(default_factory=list, description="Item codes concerned (事项)")
    before: int | None = Field(None, description="核定编制 before (事项下沉前)")
    after: int | None = Field(None, description="核定编制 after (事项下沉后)")
    explanation: str = Field(description="Why it is a finding, in one sentence (说明)")
    sources: list[str] = Field(default_factory=list, description="The rule's sources, quoted")


class Staffing(Answer):
    """A county's staffing establishment against its staff on a day, with the findings."""

    query: str = Field(description="The region as asked (查询地区)")
    found: bool
    region_code: str | None = None
    region_name: str | None = None
    as_of: date
    units: list[UnitStaffing] = Field(default_factory=list, description="Per unit (分单位)")
    findings: list[StaffingFinding] = Field(default_factory=list, description="发现的问题")
    notes: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        where = self.region_name or self.query
        units = Sheet(
            title=f"{where} 编制与实有人员 {self.as_of}",
            columns=UNIT_COLUMNS,
            rows=[_unit_row(u) for u in self.units],
        )
        findings = Sheet(
            title="发现的问题",
            columns=["类别", "街道", "部门", "单位", "事项下沉日", "执法领域", "说明", "依据"],
            rows=[
                [
                    FINDING_NAMES[f.kind],
                    f.street_name,
                    f.department_name,
                    f.unit_name,
                    f.day,
                    f.domain,
                    f.explanation,
                    "; ".join(f.sources),
                ]
                for f in self.findings
            ],
        )
        notes = Sheet(title="说明", columns=["说明"], rows=[[n] for n in self.notes])
        return [units, findings, notes]


FINDING_NAMES: dict[str, str] = {
    "over_establishment": "超编",
    "posts_not_moved_to_street": "编随事走: 街道编制未随事项增加",
    "department_posts_not_reduced": "编随事走: 部门编制未核减",
    "domain_without_certified_officer": "赋权领域无持证人员",
}
UNIT_COLUMNS = [
    "单位",
    "类别",
    "所属",
    "行政编制",
    "事业编制",
    "核定编制",
    "实有人数",
    "空编",
    "超编",
    "持证执法人员(登记)",
    "持证执法人员(编办表)",
    "协管人员",
    "核定依据",
]


@unit_of_work(metadata={"query": "staffing"})
def staffing(tx: ManagedTransaction, *, region: str, as_of: date) -> Staffing:
    """The staffing of `region` (a county's code or exact name) on as_of."""
    rows = [natives(r.data()) for r in tx.run(STAFFING, region=region, asOf=as_of)]
    if not rows:
        note = f"登记系统中没有代码或名称为“{region}”的地区"
        return Staffing(query=region, found=False, as_of=as_of, notes=[note])
    row = rows[0]
    rule = staffing_rules()["posts_follow_items"]
    moves = [
        natives(r.data())
        for r in tx.run(ITEM_MOVES, region=row["regionCode"], modes=rule["modes"], asOf=as_of)
    ]
    # 机构改革: each department as on as_of (its successor from a merger day), in one read with
    # the county's (the domain check's scope reads name them; it shares this sheet).
    scope = resolve_scope(tx, row["regionCode"], None, as_of)
    ids = [b["departmentId"] for b in row["units"]] + [m["departmentId"] for m in moves]
    sheet = departments_of_day(tx, ids + scope.department_ids, as_of)
    scope.sheet = sheet
    bodies = [_body_of_day(sheet, body) for body in row["units"]]
    moves = [sheet.apply(m, "departmentId", "departmentName") for m in moves]
    units = [_unit(body, as_of) for body in bodies if _listed(body, as_of)]
    findings = [_over(u) for u in units if u.over_establishment]
    moved, notes = _posts_follow_items(rule, moves, bodies, as_of)
    findings += moved
    notes += sheet.notes()
    findings += _domain_gaps(scope)
    if not any(u.establishment_source for u in units):
        notes.append("本地区无核定编制记录 (staffing 文件): 只列出登记的持证执法人员")
    return Staffing(
        query=region,
        found=True,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        as_of=as_of,
        units=units,
        findings=findings,
        notes=notes,
    )


# -- per unit -------------------------------------------------------------------------------------


def _in_force(body: dict[str, Any], day: date) -> dict[str, Any] | None:
    """The approval in force on `day`: the latest dated on or before it (a later one replaces)."""
    dated = [e for e in body["establishments"] if e["approvedOn"] <= day]
    return max(dated, key=lambda e: (e["approvedOn"], e["id"])) if dated else None


def _listed(body: dict[str, Any], as_of: date) -> bool:
    return body["kind"] in LISTED_KINDS or _in_force(body, as_of) is not None


def _unit(body: dict[str, Any], as_of: date) -> UnitStaffing:
    approval = _in_force(body, as_of)
    base = {
        "unit_id": body["id"],
        "unit_name": body["name"],
        "unit_kind": body["kind"],
        "owner_kind": body["ownerKind"],
        "owner_key": body["ownerKey"],
        "owner_name": body["ownerName"],
        "certified_officers": body["certified"],
    }
    if approval is None:
        text = f"{body['name']}: 无核定编制记录; 登记的持证执法人员 {body['certified']} 名"
        return UnitStaffing(**base, explanation=text)
    approved = approval["administrative"] + approval["institution"]
    actual = approval["actual"]
    gap = None if actual is None else approved - actual
    source = EstablishmentSource(
        document=approval["document"],
        doc_number=approval["docNumber"],
        issuer=approval["issuer"],
        approved_on=approval["approvedOn"],
        file=approval["file"],
        row=approval["row"],
    )
    return UnitStaffing(
        **base,
        administrative_posts=approval["administrative"],
        institution_posts=approval["institution"],
        approved=approved,
        actual=actual,
        vacancies=gap if gap is not None and gap > 0 else None,
        over_establishment=-gap if gap is not None and gap < 0 else None,
        certified_reported=approval["certifiedReported"],
        auxiliary=approval["auxiliary"],
        establishment_source=source,
        explanation=_unit_text(body, approved, actual, approval["auxiliary"], source),
    )


def _unit_text(
    body: dict[str, Any], approved: int, actual: int | None, auxiliary: int, source: Any
) -> str:
    staff = "实有人数未报" if actual is None else f"实有 {actual} 名"
    if actual is not None and actual != approved:
        staff += f" ({'空编' if actual < approved else '超编'} {abs(approved - actual)} 名)"
    return (
        f"{body['name']}核定编制 {approved} 名 (依据 {source.cite()}), {staff}; 登记的持证执法人员 "
        f"{body['certified']} 名; 协管人员 {auxiliary} 名 (不计入执法人员, 不得单独执法)"
    )


def _over(unit: UnitStaffing) -> StaffingFinding:
    rule = staffing_rules()["within_establishment"]
    source = unit.establishment_source
    assert source is not None and unit.over_establishment is not None
    return StaffingFinding(
        kind="over_establishment",
        rule="within_establishment",
        street_code=unit.owner_key if unit.owner_kind == "Street" else None,
        street_name=unit.owner_name if unit.owner_kind == "Street" else None,
        department_id=unit.owner_key if unit.owner_kind == "Department" else None,
        department_name=unit.owner_name if unit.owner_kind == "Department" else None,
        unit_id=unit.unit_id,
        unit_name=unit.unit_name,
        before=unit.approved,
        after=unit.actual,
        explanation=f"{unit.unit_name}实有 {unit.actual} 名, 超过核定编制 {unit.approved} 名 "
        f"{unit.over_establishment} 名 (核定依据 {source.cite()}; {rule['title']})",
        sources=_cited(rule),
    )


def _cited(rule: dict[str, Any]) -> list[str]:
    return [f"seed {s['seed']}《{s['document']}》: {s['quote']}" for s in rule["sources"]]


# -- 编随事走 -------------------------------------------------------------------------------------


def _body_of_day(sheet: DaySheet, body: dict[str, Any]) -> dict[str, Any]:
    """A unit or department counted for the department standing for its owner on the day (a
    merged department's brigade for the successor), each named as that day."""
    day = sheet.of(body["departmentId"])
    if day is None:
        return body
    own = body["id"] == body["departmentId"]  # the department itself (部门编制)
    return {
        **body,
        "name": day.own_name if own else body["name"],
        "ownerKey": day.id,
        "ownerName": day.name,
        "departmentId": day.id,
    }


def _posts_follow_items(
    rule: dict[str, Any],
    moves: list[dict[str, Any]],
    bodies: list[dict[str, Any]],
    as_of: date,
) -> tuple[list[StaffingFinding], list[str]]:
    lead, follow = timedelta(days=rule["lead_days"]), timedelta(days=rule["follow_days"])
    findings: list[StaffingFinding] = []
    notes: list[str] = []
    by_street: dict[tuple[str, date], list[dict[str, Any]]] = defaultdict(list)
    by_department: dict[tuple[str, date], list[dict[str, Any]]] = defaultdict(list)
    for move in moves:
        by_street[(move["streetCode"], move["day"])].append(move)
        if move["departmentId"]:
            by_department[(move["departmentId"], move["day"])].append(move)
    for (street, day), group in by_street.items():
        if day + follow > as_of:
            notes.append(_pending(group[0]["streetName"], day, day + follow))
            continue
        owned = [b for b in bodies if b["ownerKind"] == "Street" and b["ownerKey"] == street]
        before, after = _posts(owned, day - lead - timedelta(days=1)), _posts(owned, day + follow)
        items = sorted({code for move in group for code in move["items"]})
        name = group[0]["streetName"]
        if after is None:
            notes.append(
                f"{name}于{day}承接赋权事项 {len(items)} 项, 无核定编制记录, 未核查编随事走"
            )
        elif after <= (before or 0):
            findings.append(_street_finding(rule, group, day, items, before or 0, after))
    for (department, day), group in by_department.items():
        if day + follow > as_of:
            continue  # the street's note already says the window is open
        owned = [b for b in bodies if b["departmentId"] == department]
        before, after = _posts(owned, day - lead - timedelta(days=1)), _posts(owned, day + follow)
        if before is None or after is None:
            name = group[0]["departmentName"]
            notes.append(f"{name}于{day}下放赋权事项, 无该部门核定编制记录, 未核查编随事走")
        elif after >= before:
            findings.append(_department_finding(rule, group, day, before, after))
    return findings, notes


def _posts(bodies: list[dict[str, Any]], day: date) -> int | None:
    """The approved posts in force on `day` summed over the bodies; None if none has one."""
    approvals = [a for a in (_in_force(b, day) for b in bodies) if a is not None]
    if not approvals:
        return None
    return sum(a["administrative"] + a["institution"] for a in approvals)


def _pending(street: str, day: date, until: date) -> str:
    return f"{street}于{day}承接赋权事项; 编随事走的核查期至{until}止, 尚未届满"


def _window(rule: dict[str, Any], day: date) -> str:
    start = day - timedelta(days=rule["lead_days"])
    end = day + timedelta(days=rule["follow_days"])
    return f"{start}至{end}"


def _street_finding(
    rule: dict[str, Any],
    group: list[dict[str, Any]],
    day: date,
    items: list[str],
    before: int,
    after: int,
) -> StaffingFinding:
    street = group[0]["streetName"]
    departments = "、".join(sorted({m["departmentName"] or "(未注明部门)" for m in group}))
    return StaffingFinding(
        kind="posts_not_moved_to_street",
        rule="posts_follow_items",
        street_code=group[0]["streetCode"],
        street_name=street,
        day=day,
        items=items,
        before=before,
        after=after,
        explanation=f"{departments}自{day}起向{street}赋权 {len(items)} 项 ({'、'.join(items)}), "
        f"{street}各执法单位核定编制在{_window(rule, day)}前为 {before} 名、之后为 {after} 名, "
        f"未随事项增加 ({rule['street_finding']}; {rule['title']})",
        sources=_cited(rule),
    )


def _department_finding(
    rule: dict[str, Any], group: list[dict[str, Any]], day: date, before: int, after: int
) -> StaffingFinding:
    department = group[0]["departmentName"]
    streets = "、".join(sorted({m["streetName"] for m in group}))
    items = sorted({code for move in group for code in move["items"]})
    return StaffingFinding(
        kind="department_posts_not_reduced",
        rule="posts_follow_items",
        department_id=group[0]["departmentId"],
        department_name=department,
        day=day,
        items=items,
        before=before,
        after=after,
        explanation=f"{department}自{day}起向{streets}赋权 {len(items)} 项, 部门及其所属单位核定编制"
        f"在{_window(rule, day)}前为 {before} 名、之后为 {after} 名, 未相应核减 "
        f"({rule['department_finding']}; {rule['title']})",
        sources=_cited(rule),
    )


# -- domain gaps: the coverage report's own check ----------------------------------------------------


def _domain_gaps(scope: Scope) -> list[StaffingFinding]:
    """Per street and domain, the delegated items no certified officer of that domain covers: the
    coverage report's check (uncovered_items, rule delegated_item_without_certified_officer) on
    the same read, grouped by street and domain for a 编办. The scope shares the answer's
    departments of the day (its reads look up only those it has not met)."""
    gaps = uncovered_items(scope)
    if not gaps:
        return []
    source = gaps[0].source
    cited = source.document + (f": {source.quote}" if source.quote else "")
    rows = uncovered_rows(scope)  # the rows the check was made from (its reads cached on the scope)
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["streetCode"], row["domain"] or "(未注明)")].append(row)
    return [
        _domain_finding(street, domain, found, gaps[0].rule, cited)
        for (street, domain), found in sorted(grouped.items())
    ]


def _domain_finding(
    street: str, domain: str, rows: list[dict[str, Any]], rule: str, cited: str
) -> StaffingFinding:
    name = rows[0]["streetName"]
    items = sorted({row["itemCode"] for row in rows})
    return StaffingFinding(
        kind="domain_without_certified_officer",
        rule=rule,
        street_code=street,
        street_name=name,
        domain=domain,
        items=items,
        explanation=f"{name}承接执法领域“{domain}”的赋权事项 {len(items)} 项 ({'、'.join(items)}), "
        f"当日无执法领域含“{domain}”的持证执法人员 (协管人员不计入)",
        sources=[cited],
    )


def _unit_row(u: UnitStaffing) -> list[Any]:
    return [
        u.unit_name,
        u.unit_kind,
        u.owner_name,
        u.administrative_posts,
        u.institution_posts,
        u.approved,
        u.actual,
        u.vacancies,
        u.over_establishment,
        u.certified_officers,
        u.certified_reported,
        u.auxiliary,
        u.establishment_source.cite() if u.establishment_source else None,
    ]
