"""Staffing establishment documents (核定编制): the 编办's approvals of posts, loaded beside the
organisation file they refer to.

A `kind: staffing` YAML file holds one or more approvals (批复 / 通知), each with its document,
number and date, and one row per unit as a 编办's table has it: 单位, 行政编制, 事业编制, 实有人数,
持证执法人员, 协管人员. Units are named by the id or the exact name the organisation file gives
them (a department may be named too, for a department's own posts). A later approval of the same
unit replaces the earlier one from its own date (queries/staffing.py); nothing is deleted.
协管 / 执法辅助人员 are counted apart: they are never officers (seed 004: 整合相应的执法辅助人员,
制定全区统一的行政执法辅助人员管理办法; only certified officers enforce, 持证上岗).

Written after the organisation files of the same run (loaders/load.py), in one transaction: a
unit the graph does not hold is refused, naming the file, line and column, and nothing is written.
"""

from __future__ import annotations

import re
import reprlib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from authreg.errors import InputError
from loaders.organisation import OrganisationFile
from loaders.yaml_files import line_of, read_yaml
from schema.models import Establishment, Provenance

if TYPE_CHECKING:
    from loaders.bulk_graph import BulkGraph

MAX_POSTS = 100_000  # more posts for one unit is a typing mistake, not an establishment
MAX_APPROVALS = 1_000
MAX_ROWS = 10_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EstablishmentRowIn(_Strict):
    """One unit's line of a 编办 table (the Chinese headers are the names it is read by)."""

    unit: str = Field(alias="单位", min_length=1, max_length=200)  # unit or department id or name
    administrative: int = Field(0, alias="行政编制", ge=0, le=MAX_POSTS)
    institution: int = Field(0, alias="事业编制", ge=0, le=MAX_POSTS)
    actual: int | None = Field(None, alias="实有人数", ge=0, le=MAX_POSTS)
    certified: int | None = Field(None, alias="持证执法人员", ge=0, le=MAX_POSTS)
    auxiliary: int = Field(0, alias="协管人员", ge=0, le=MAX_POSTS)


class ApprovalIn(_Strict):
    """A dated approval (编制批复): its document, number, issuer and the units it sets."""

    document: str = Field(alias="文件", min_length=1, max_length=500)
    doc_number: str | None = Field(None, alias="文号", max_length=100)
    issuer: str | None = Field(None, alias="发文机关", max_length=200)
    approved_on: date = Field(alias="日期")
    rows: list[EstablishmentRowIn] = Field(alias="核定", min_length=1, max_length=MAX_ROWS)


class StaffingFile(_Strict):
    kind: Literal["staffing"]
    region: str = Field(max_length=20)  # the county the units belong to (GB/T 2260 code)
    approvals: list[ApprovalIn] = Field(min_length=1, max_length=MAX_APPROVALS)
    _path: Path | None = PrivateAttr(None)

    def line(self, approval: int, row: int | None = None, field: str | None = None) -> int:
        loc: list[str | int] = ["approvals", approval]
        loc += [self._rows_key(approval), row] if row is not None else []
        loc += [field] if field else []
        return (line_of(self._path, loc) if self._path else None) or 1

    def _rows_key(self, approval: int) -> str:
        raw = read_yaml(self._path) if self._path else None
        try:
            return "rows" if "rows" in raw["approvals"][approval] else "核定"  # type: ignore[index]
        except (TypeError, KeyError, IndexError):
            return "核定"

    def row_lines(self) -> dict[tuple[int, int], int]:
        """Each row's line in the file, (approval, row) → line, from one parse (for provenance)."""
        if self._path is None:
            return {}
        root = yaml.compose(self._path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
        found: dict[tuple[int, int], int] = {}
        approvals = _child(root, "approvals")
        for a, approval in enumerate(approvals.value if approvals is not None else []):
            rows = _child(approval, "核定") or _child(approval, "rows")
            for r, row in enumerate(rows.value if rows is not None else []):
                found[(a, r)] = row.start_mark.line + 1
        return found


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if k.value == key), None)


# A top-level `kind: staffing` line: found in the text, so telling the kinds of YAML apart does not
# parse a large organisation file twice.
_KIND_LINE = re.compile(rb"^kind:[ \t]*[\"']?staffing[\"']?[ \t\r]*(#.*)?$", re.MULTILINE)


def is_staffing_file(path: Path) -> bool:
    """Whether a YAML file says `kind: staffing` at its top level."""
    return _KIND_LINE.search(path.read_bytes()) is not None


def read_staffing_file(path: Path) -> StaffingFile:
    """Parse and validate one staffing file; errors name the file, line and field."""
    raw = read_yaml(path)
    if not isinstance(raw, dict) or raw.get("kind") != "staffing":
        raise InputError(path, "a staffing file starts with `kind: staffing`", row=1)
    try:
        data = StaffingFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        shown = reprlib.repr(err.get("input"))
        row = line_of(path, list(err["loc"])) or 1
        raise InputError(path, f"{err['msg']} (value {shown})", row=row, column=where) from None
    data._path = path
    _refuse_repeats(path, data)
    return data


def _refuse_repeats(path: Path, data: StaffingFile) -> None:
    """One approval sets a unit once; the same document and date twice is one approval typed twice."""
    seen_approvals: set[tuple[str, date]] = set()
    for a, approval in enumerate(data.approvals):
        key = (approval.doc_number or approval.document, approval.approved_on)
        if key in seen_approvals:
            raise InputError(
                path,
                f"approval {key[0]} of {key[1]} is given twice",
                row=data.line(a),
                column="文件",
            )
        seen_approvals.add(key)
        units: set[str] = set()
        for r, row in enumerate(approval.rows):
            if row.unit in units:
                raise InputError(
                    path,
                    f"「{row.unit}」 appears twice in one approval: one unit has one establishment",
                    row=data.line(a, r, "单位"),
                    column="单位",
                )
            units.add(row.unit)


def unknown_units(
    path: Path, data: StaffingFile, organisations: list[OrganisationFile]
) -> list[InputError]:
    """Before anything is written: units the region's organisation file, given in the same run,
    does not define (by id or exact name; departments by id, name or alias). Without that file
    the graph is asked when the file is written (`write_staffing`)."""
    orgs = [org for org in organisations if org.region.code == data.region]
    if not orgs:
        return []
    names = {
        name
        for org in orgs
        for name in [
            *(n for u in org.units for n in (u.id, u.name)),
            *(n for d in org.departments for n in (d.id, d.name, *d.aliases)),
        ]
    }
    return [
        InputError(
            path,
            f"no unit or department 「{row.unit}」 in the organisation file of region "
            f"{data.region}: give the id or the exact name it has there",
            row=data.line(a, r, "单位"),
            column="单位",
        )
        for a, approval in enumerate(data.approvals)
        for r, row in enumerate(approval.rows)
        if row.unit not in names
    ]


# -- writing --------------------------------------------------------------------------------------

_RESOLVE = (
    "UNWIND $refs AS ref "
    "OPTIONAL MATCH (u:Unit)-[:PART_OF*1..4]->(owner)-[:PART_OF]->(:Region {code: $region}) "
    "WHERE (u.id = ref OR u.name = ref) AND (owner:Street OR owner:Department) "
    "WITH ref, collect(DISTINCT u.id) AS units "
    "OPTIONAL MATCH (d:Department)-[:PART_OF]->(:Region {code: $region}) "
    "WHERE d.id = ref OR d.name = ref OR ref IN coalesce(d.aliases, []) "
    "RETURN ref, units, collect(DISTINCT d.id) AS departments"
)
_WRITE = (
    "UNWIND $rows AS row "
    "MERGE (e:Establishment {id: row.props.id}) SET e = row.props "
    "WITH e, row "
    "OPTIONAL MATCH (u:Unit {id: row.target}) "
    "OPTIONAL MATCH (d:Department {id: row.target}) "
    "WITH e, coalesce(u, d) AS target "
    "OPTIONAL MATCH (e)-[old:OF]->() DELETE old "
    "WITH e, target MERGE (e)-[:OF]->(target)"
)


def write_staffing(tx: ManagedTransaction, data: StaffingFile, file: str) -> int:
    """Every approval's rows as Establishment nodes linked to their unit; refused whole when a
    unit is unknown in the file's region or its name fits two."""
    refs = sorted({row.unit for approval in data.approvals for row in approval.rows})
    found = {
        r["ref"]: [("Unit", u) for u in r["units"]] + [("Department", d) for d in r["departments"]]
        for r in tx.run(_RESOLVE, refs=refs, region=data.region)
    }
    rows = _rows(data, file, found)
    tx.run(_WRITE, rows=[{"target": key, "props": props} for _, key, props in rows])
    return len(rows)


def build_staffing(graph: BulkGraph, data: StaffingFile, file: str) -> int:
    """`write_staffing` on the in-memory graph of a first bulk load (`authreg db import`): the
    same nodes and links; units and departments found by id or exact name (departments of the
    file's region also by alias), as loaded by the organisation files before it."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit_id, unit in graph.nodes["Unit"].items():
        for name in {unit_id, unit.get("name")}:
            found[name].append(("Unit", unit_id))
    for department in graph.known_organisation(data.region)["departments"]:
        for name in {department["id"], department["name"], *department["aliases"]}:
            found[name].append(("Department", department["id"]))
    rows = _rows(data, file, found)
    for label, key, props in rows:
        graph._merge_node("Establishment", props["id"], set_=props)
        graph._merge_rel("OF", ("Establishment", props["id"]), (label, key))
    return len(rows)


def _rows(
    data: StaffingFile, file: str, found: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str, dict[str, object]]]:
    """(target label, target key, Establishment properties) per row; the first row whose unit is
    unknown or ambiguous refuses the file."""
    lines = data.row_lines()
    rows = []
    for a, approval in enumerate(data.approvals):
        for r, row in enumerate(approval.rows):
            targets = found.get(row.unit, [])
            if len(targets) != 1:
                raise _unresolved(data, file, a, r, row.unit, [key for _, key in targets])
            label, key = targets[0]
            at = Provenance(file=file, row=lines.get((a, r)))
            rows.append((label, key, _props(approval, row, key, at)))
    return rows


def _unresolved(
    data: StaffingFile, file: str, a: int, r: int, unit: str, targets: list[str]
) -> InputError:
    problem = (
        f"「{unit}」 names {len(targets)} units or departments ({', '.join(targets)}); give the id"
        if targets
        else f"no unit or department 「{unit}」 in region {data.region}: load the organisation "
        "file that defines it first, or give the id it has there"
    )
    return InputError(data._path or file, problem, row=data.line(a, r, "单位"), column="单位")


def _props(
    approval: ApprovalIn, row: EstablishmentRowIn, target: str, at: Provenance
) -> dict[str, object]:
    document = approval.doc_number or approval.document
    node = Establishment(
        id=f"{document}@{approval.approved_on}#{target}",
        approved_on=approval.approved_on,
        document=approval.document,
        doc_number=approval.doc_number,
        issuer=approval.issuer,
        administrative_posts=row.administrative,
        institution_posts=row.institution,
        actual=row.actual,
        certified_reported=row.certified,
        auxiliary=row.auxiliary,
        source=at,
    )
    return node.to_properties()
