"""Loading 属地管理事项责任清单 (county–township duty lists, seed 002 四、三): per matter, who leads
(主体责任) and who assists (配合责任), the town's and the county departments' duties, and the basis.

A list is a CSV or XLSX file whose `.meta.yaml` says `kind: 属地管理事项责任清单`; its headers are
in duty_list_headers.yaml. Each row becomes a DutyMatter of the DutyList (dated by `effective`),
with DUTY_OF to every town the list covers (`streets: all` or names) and to each department its
row names; a row may name the enforcement items it concerns (对应执法事项, codes), which the
coverage check compares with the town's delegations (queries/duties_gaps.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from authreg.errors import InputError
from loaders.bulk_graph import BulkGraph
from loaders.catalog_meta import meta_path
from loaders.headers import ColumnMap, HeaderMap, normalise_header
from loaders.read import read_tables
from loaders.report import LoadReport
from loaders.row_scope import split_receivers
from loaders.tables import SourceRow
from loaders.yaml_files import read_yaml
from schema.models import DutyList

DUTY_LIST_KIND = "属地管理事项责任清单"
HEADERS_FILE = Path(__file__).with_name("duty_list_headers.yaml")
LEAD, ASSIST = "主体责任", "配合责任"
REQUIRED = ("matter", "town_role", "departments")


@dataclass(frozen=True)
class DutyRow:
    """One matter as the list gives it, with its spreadsheet row."""

    row: int
    seq: str | None
    name: str
    town_role: str
    town_duties: str | None
    departments: tuple[str, ...]
    department_role: str
    department_duties: str | None
    items: tuple[str, ...]
    basis: str | None


@dataclass(frozen=True)
class DutyListPlan:
    """A validated duty list: its node, region, the towns it covers and its rows."""

    file: Path
    duty_list: DutyList
    region: str
    streets: tuple[str, ...] | None  # None: every town of the region
    rows: tuple[DutyRow, ...]


def is_duty_list(path: Path) -> bool:
    """Whether a table file is a duty list: its metadata says `kind: 属地管理事项责任清单`."""
    meta = meta_path(path)
    if meta is None:
        return False
    data = read_yaml(meta)
    return isinstance(data, dict) and data.get("kind") == DUTY_LIST_KIND


def plan_duty_list(path: Path, report: LoadReport) -> DutyListPlan | None:
    """The list's rows validated; a problem goes to the report (file, row, column) and the
    list is not planned, so nothing of it is written."""
    meta_file = meta_path(path)
    assert meta_file is not None
    meta = read_yaml(meta_file)
    duty_list, region, streets = _meta(meta_file, meta, path)
    headers = _header_map()
    errors_before = len(report.errors)
    rows: list[DutyRow] = []
    for table in read_tables(path, header_map=headers):
        columns = headers.map_columns(table, required=REQUIRED)
        for warning in columns.warnings:
            report.warning(table.file, warning, sheet=table.sheet, row=table.header_row)
        rows += [r for row in table.rows if (r := _row(row, columns, report)) is not None]
    if len(report.errors) > errors_before:
        return None
    if not rows:
        report.error(path, "the duty list holds no matter (事项名称)")
        return None
    report.counts["duty_matters"] += len(rows)
    return DutyListPlan(path, duty_list, region, streets, tuple(rows))


WRITE = (
    "MERGE (l:DutyList {id: $list.id}) SET l += $list "
    "WITH l MATCH (r:Region {code: $region}) MERGE (l)-[:COVERS]->(r) "
    "WITH l UNWIND $rows AS row "
    "MERGE (m:DutyMatter {id: row.matter.id}) SET m += row.matter "
    "MERGE (m)-[in:MATTER_IN]->(l) SET in.row = row.row "
    "WITH m, row OPTIONAL MATCH (m)-[old:DUTY_OF|MATTER_ITEM]->() DELETE old "
    "WITH DISTINCT m, row "
    "CALL (m, row) { UNWIND row.streets AS code MATCH (s:Street {code: code}) "
    "  CREATE (m)-[:DUTY_OF {role: row.townRole, duties: row.townDuties}]->(s) } "
    "CALL (m, row) { UNWIND row.departments AS id MATCH (d:Department {id: id}) "
    "  CREATE (m)-[:DUTY_OF {role: row.departmentRole, duties: row.departmentDuties}]->(d) } "
    "CALL (m, row) { UNWIND row.items AS code MATCH (i:EnforcementItem {code: code}) "
    "  CREATE (m)-[:MATTER_ITEM]->(i) }"
)


def write_duty_list(tx: ManagedTransaction, plan: DutyListPlan) -> int:
    """The list, its matters and their DUTY_OF / MATTER_ITEM links, in one transaction; a town,
    department or item the graph does not hold is an InputError naming the row and column.
    A reload replaces each matter's links (the list's file is the whole truth of its date)."""
    towns = _towns(tx, plan.region)
    rows = duty_rows(plan, towns, _departments(tx, plan.region), _items(tx, plan))
    tx.run(WRITE, list=plan.duty_list.to_properties(), region=plan.region, rows=rows).consume()
    return len(rows)


def build_duty_list(graph: BulkGraph, plan: DutyListPlan) -> int:
    """The same writes on the in-memory graph of a first bulk load (loaders.bulk_load), with the
    semantics of WRITE (MERGE on keys; SET += drops null values). It uses the graph's own MERGE
    helpers: the loaders' writers are the only callers of both."""
    towns, departments = _organisation_names(graph.known_organisation(plan.region))
    items = {
        code for row in plan.rows for code in row.items if graph._node("EnforcementItem", code)
    }
    rows = duty_rows(plan, towns, departments, items)
    key = plan.duty_list.id
    graph._merge_node("DutyList", key, set_=plan.duty_list.to_properties())
    if graph._node("Region", plan.region) is not None:
        graph._merge_rel("COVERS", ("DutyList", key), ("Region", plan.region))
    for row in rows:
        matter = ("DutyMatter", row["matter"]["id"])
        graph._merge_node(*matter, set_=row["matter"])
        graph._merge_rel("MATTER_IN", matter, ("DutyList", key), {"row": row["row"]})
        for code in row["streets"]:
            duty = {"role": row["townRole"], "duties": row["townDuties"]}
            graph._merge_rel("DUTY_OF", matter, ("Street", code), duty)
        for department in row["departments"]:
            duty = {"role": row["departmentRole"], "duties": row["departmentDuties"]}
            graph._merge_rel("DUTY_OF", matter, ("Department", department), duty)
        for code in row["items"]:
            graph._merge_rel("MATTER_ITEM", matter, ("EnforcementItem", code))
    return len(rows)


def check_duty_list(writes: Any, plan: DutyListPlan) -> int:
    """For loaders.rehearsal: every name resolved as writing resolves it (against the graph and
    the files loaded before it), nothing written; a refusal is the InputError writing would raise."""
    towns, departments = _organisation_names(writes.known_organisation(plan.region))
    named = sorted({code for row in plan.rows for code in row.items})
    found = writes.find_ids("EnforcementItem", named) if named else {}
    items = {code for code, key in found.items() if code == key}
    return len(duty_rows(plan, towns, departments, items))


def _organisation_names(org: dict[str, list[dict]]) -> tuple[dict[str, str], dict[str, str]]:
    """A region's streets (code → name) and departments (folded id, name or alias → id)."""
    towns = {s["code"]: s["name"] for s in org["streets"]}
    departments = {
        normalise_header(name): d["id"]
        for d in org["departments"]
        for name in (d["id"], d["name"], *(d.get("aliases") or []))
        if name
    }
    return towns, departments


def duty_rows(
    plan: DutyListPlan, towns: dict[str, str], departments: dict[str, str], items: set[str]
) -> list[dict[str, Any]]:
    """The plan's rows as write parameters, every name resolved: `towns` code → name of the
    region's streets, `departments` folded name or alias → id, `items` the codes that exist."""
    if not towns:
        raise InputError(plan.file, f"region {plan.region} holds no town: load its organisation")
    codes = list(towns)
    if plan.streets is not None:
        codes = []
        for wanted in plan.streets:
            code = next((c for c, n in towns.items() if wanted in (c, n)), None)
            if code is None:
                raise InputError(plan.file, f"`streets:` names {wanted}, no town of {plan.region}")
            codes.append(code)
    return [_matter_row(plan, row, codes, departments, items) for row in plan.rows]


# -- planning ---------------------------------------------------------------------------------


def _meta(meta_file: Path, meta: Any, path: Path) -> tuple[DutyList, str, tuple[str, ...] | None]:
    if not isinstance(meta, dict):
        raise InputError(meta_file, "the metadata is not a mapping of `key: value`")
    for key in ("title", "effective", "region"):
        if not meta.get(key):
            raise InputError(meta_file, f"no `{key}:` — a duty list needs its title, date, region")
    if not isinstance(meta["effective"], date):
        raise InputError(meta_file, f"`effective: {meta['effective']}` is not a date YYYY-MM-DD")
    streets = meta.get("streets", "all")
    if streets != "all" and not (isinstance(streets, list) and all(streets)):
        raise InputError(meta_file, "`streets:` is `all` or a list of town names or codes")
    series = str(meta.get("series") or path.stem)
    node = DutyList(
        id=f"{series}@{meta['effective'].isoformat()}",
        title=str(meta["title"]),
        issuer=meta.get("issuer"),
        doc_number=meta.get("doc_number"),
        effective=meta["effective"],
        source_file=path.name,
        checksum=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    return node, str(meta["region"]), None if streets == "all" else tuple(map(str, streets))


def _row(row: SourceRow, columns: ColumnMap, report: LoadReport) -> DutyRow | None:
    name = " ".join(columns.cell(row, "matter").split())
    if not name:
        _problem(report, row, columns, "matter", "the matter has no name (事项名称)")
        return None
    town_role = _role(columns.cell(row, "town_role"))
    if town_role is None:
        _problem(
            report, row, columns, "town_role", "the town's duty is neither 主体责任 nor 配合责任"
        )
        return None
    given = columns.cell(row, "department_role")
    department_role = _role(given) if given.strip() else (ASSIST if town_role == LEAD else LEAD)
    if department_role is None:
        _problem(report, row, columns, "department_role", "neither 主体责任 nor 配合责任")
        return None
    departments = split_receivers(columns.cell(row, "departments"))
    if not departments:
        _problem(report, row, columns, "departments", "no county department (县级部门) named")
        return None
    return DutyRow(
        row=row.row,
        seq=columns.cell(row, "seq") or None,
        name=name,
        town_role=town_role,
        town_duties=columns.cell(row, "town_duties") or None,
        departments=departments,
        department_role=department_role,
        department_duties=columns.cell(row, "department_duties") or None,
        items=split_receivers(columns.cell(row, "items")),
        basis=columns.cell(row, "basis") or None,
    )


def _problem(report: LoadReport, row: SourceRow, columns: ColumnMap, field: str, text: str) -> None:
    header = columns.header(field) if field in columns else _header_map().label(field)
    value = columns.cell(row, field) or None
    report.error(row.file, text, sheet=row.sheet, row=row.row, column=header, value=value)


def _role(cell: str) -> str | None:
    return _roles().get(normalise_header(cell))


@cache
def _vocabulary() -> dict[str, Any]:
    data = read_yaml(HEADERS_FILE)
    assert isinstance(data, dict)
    return data


@cache
def _header_map() -> HeaderMap:
    return HeaderMap(_vocabulary()["fields"])


@cache
def _roles() -> dict[str, str]:
    return {normalise_header(word): role for word, role in _vocabulary()["roles"].items()}


# -- writing ----------------------------------------------------------------------------------


def _towns(tx: ManagedTransaction, region: str) -> dict[str, str]:
    return {
        r["code"]: r["name"]
        for r in tx.run(
            "MATCH (:Region {code: $region})<-[:PART_OF]-(s:Street) RETURN s.code AS code, "
            "s.name AS name ORDER BY code",
            region=region,
        )
    }


def _departments(tx: ManagedTransaction, region: str) -> dict[str, str]:
    """Each department's id, name and aliases (folded) → its id."""
    names: dict[str, str] = {}
    for r in tx.run(
        "MATCH (:Region {code: $region})<-[:PART_OF]-(d:Department) "
        "RETURN d.id AS id, d.name AS name, coalesce(d.aliases, []) AS aliases",
        region=region,
    ):
        for name in (r["id"], r["name"], *r["aliases"]):
            if name:
                names[normalise_header(name)] = r["id"]
    return names


def _items(tx: ManagedTransaction, plan: DutyListPlan) -> set[str]:
    """The item codes the list names that the graph holds."""
    named = sorted({code for row in plan.rows for code in row.items})
    return {
        r["code"]
        for r in tx.run(
            "UNWIND $codes AS code MATCH (i:EnforcementItem {code: code}) RETURN i.code AS code",
            codes=named,
        )
    }


def _matter_row(
    plan: DutyListPlan,
    row: DutyRow,
    towns: list[str],
    departments: dict[str, str],
    items: set[str],
) -> dict[str, Any]:
    missing = [code for code in row.items if code not in items]
    if missing:
        raise InputError(
            plan.file,
            f"no enforcement item {'、'.join(missing)} is loaded: load the catalog that lists it "
            "first, or correct the code",
            row=row.row,
            column=_header_map().label("items"),
        )
    ids = []
    for name in row.departments:
        found = departments.get(normalise_header(name))
        if found is None:
            raise InputError(
                plan.file,
                f"no department 「{name}」 in the organisation of {plan.region}",
                row=row.row,
                column=_header_map().label("departments"),
            )
        ids.append(found)
    return {
        "row": row.row,
        "matter": {
            "id": f"{plan.duty_list.id}#{row.row}",
            "name": row.name,
            "seq": row.seq,
            "basis": row.basis,
        },
        "streets": towns,
        "townRole": row.town_role,
        "townDuties": row.town_duties,
        "departments": list(dict.fromkeys(ids)),
        "departmentRole": row.department_role,
        "departmentDuties": row.department_duties,
        "items": list(row.items),
    }
