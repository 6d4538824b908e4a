"""The department as it was on the day asked (机构改革, issue 14.12), for answers made of several reads.

A department renamed (更名) is named by its name of the day; from a merger day (MERGED_INTO) its
successor stands for it, its powers having passed to it by the notice (划入). One read,
department_of_day.cypher, for every department id an answer carries (`departments_of_day`);
`DaySheet.apply` then rewrites an answer's `{id, name}` maps and `DaySheet.notes` says what
changed, quoting the notices. authority.cypher, coverage_matrix.cypher and
responsibility_chain.cypher hold the same rule inline, each in its one statement (issue 16.4:
Cypher has no functions, and a second round trip is what they were made one statement to avoid).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import ManagedTransaction
from pydantic import BaseModel, Field

from queries.answers import record_natives
from queries.cypher_files import cypher

DEPARTMENT_OF_DAY = cypher("department_of_day")


class ReformNotice(BaseModel):
    """The notice a merger or rename rests on (文号《标题》)."""

    doc_number: str | None = None
    title: str | None = None

    def cite(self) -> str:
        title = f"《{self.title}》" if self.title else ""
        return f"{self.doc_number or ''}{title}"


class DepartmentMerger(BaseModel):
    """A merger on the way from the asked department to the one standing for it (撤并, 划入)."""

    id: str
    name: str
    into: str
    into_name: str
    since: date
    basis: ReformNotice | None = None


class DepartmentRename(BaseModel):
    """The rename notice that gave the standing department its name of the day (更名)."""

    name: str
    since: date
    basis: ReformNotice | None = None


class DepartmentOfDay(BaseModel):
    """Who stands for a department on a day, named as that day, and why (组织沿革)."""

    asked: str = Field(description="The department asked about (部门编号)")
    own_name: str = Field(
        description="Its own name that day (当日名称; merged by then: the last name it had)"
    )
    id: str = Field(description="The department standing for it that day: itself or its successor")
    name: str = Field(description="That department's name of the day (承继部门当日名称)")
    kind: str | None = Field(None, description="That department's kind (部门类别)")
    mergers: list[DepartmentMerger] = Field(
        default_factory=list, description="The mergers by that day on the way (撤并, 职责划入)"
    )
    renamed: DepartmentRename | None = Field(
        None, description="The rename notice that gave the name of the day, if any (更名)"
    )
    notes: list[str] = Field(
        default_factory=list, description="The mergers and rename, said as answers say them"
    )

    def model_post_init(self, _: Any) -> None:
        self.notes = [t for t in (self.note(), self.rename_note()) if t]

    @property
    def merged(self) -> bool:
        return self.id != self.asked

    def note(self) -> str | None:
        """The merger, as authority's explanation says it (组织沿革), or None when not merged."""
        if not self.mergers:
            return None
        said = []
        for m in self.mergers:
            into = self.name if m.into == self.id else m.into_name
            name = self.own_name if m.id == self.asked else m.name
            basis = f",依据{m.basis.cite()}" if m.basis else ""
            said.append(f"{name}({m.id})自{m.since}起并入{into}(机构改革,职责划入){basis}")
        return ";".join(said)

    def rename_note(self) -> str | None:
        """更名: 清溪县卫生健康局(qx-wjj)自2024-04-01起用此名,依据清编委〔2024〕5号《…》."""
        r = self.renamed
        if r is None:
            return None
        basis = f",依据{r.basis.cite()}" if r.basis else ""
        return f"{r.name}({self.id})自{r.since}起用此名(更名){basis}"


@dataclass
class DaySheet:
    """The departments of one answer as on its day: look up, rewrite, and say what changed."""

    as_of: date
    found: dict[str, DepartmentOfDay] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)  # ids looked up through `of`, in order
    asked: set[str] = field(default_factory=set)  # ids read (found or not)
    pending: set[str] = field(default_factory=set)  # ids to read with the next read it makes

    def extend(self, tx: ManagedTransaction, ids: Iterable[str | None]) -> DaySheet:
        """The sheet with the ids it has not read yet read (one read; none if it has them all):
        an answer made of several reads keeps one sheet (queries/gap_scope.py). The first read
        takes the `pending` ids too (a county's departments: later reads rarely miss one)."""
        missing = {i for i in ids if i} - self.asked
        if missing:
            missing |= self.pending - self.asked
            self.pending = set()
            self.found |= departments_of_day(tx, missing, self.as_of).found
            self.asked |= missing
        return self

    def of(self, department_id: str | None) -> DepartmentOfDay | None:
        """Who stands for `department_id` that day (None: not read, or no such department)."""
        if department_id is None:
            return None
        day = self.found.get(department_id)
        if day is not None and department_id not in self.used:
            self.used.append(department_id)
        return day

    def id(self, department_id: str | None) -> str | None:
        """The id of the department standing for `department_id` that day (itself if unknown)."""
        day = self.of(department_id)
        return day.id if day else department_id

    def apply(self, value: Any, id_key: str = "id", name_key: str = "name") -> Any:
        """`value` with each map holding a department id under `id_key` (and its name under
        `name_key`) made the department of the day; lists and nested maps walked."""
        if isinstance(value, list):
            return [self.apply(v, id_key, name_key) for v in value]
        if not isinstance(value, dict):
            return value
        out = {k: self.apply(v, id_key, name_key) for k, v in value.items()}
        key = out.get(id_key)
        # a {kind, key, name} body is a department's only when its kind says so
        department = id_key != "key" or out.get("kind", "Department") == "Department"
        day = self.of(key) if department and isinstance(key, str) else None
        if day is not None:
            out[id_key] = day.id
            out[name_key] = day.name
        return out

    def notes(self, *, renames: bool = False) -> list[str]:
        """组织沿革 of the departments looked up: each merger (and rename, if asked) once."""
        said: list[str] = []
        for department_id in self.used:
            day = self.found[department_id]
            for text in (day.note(), day.rename_note() if renames else None):
                if text and text not in said:
                    said.append(text)
        return said


def department_ids(value: Any, id_key: str = "id") -> list[str]:
    """Every string under `id_key` in the maps of `value` (lists and nested maps walked)."""
    if isinstance(value, list):
        return [i for v in value for i in department_ids(v, id_key)]
    if not isinstance(value, dict):
        return []
    found = [value[id_key]] if isinstance(value.get(id_key), str) else []
    return found + [i for v in value.values() for i in department_ids(v, id_key)]


def body_ids(*bodies: Any, id_key: str = "key") -> list[str]:
    """The department ids of {kind, key, name} bodies (or lists of them): kind Department."""
    found: list[str] = []
    for body in bodies:
        for b in body if isinstance(body, list) else [body]:
            if (
                isinstance(b, dict)
                and b.get("kind", "Department") == "Department"
                and b.get(id_key)
            ):
                found.append(b[id_key])
    return found


def departments_of_day(tx: ManagedTransaction, ids: Iterable[str | None], as_of: date) -> DaySheet:
    """department_of_day.cypher for every distinct id (one read; none when there is no id)."""
    asked = sorted({i for i in ids if i})
    sheet = DaySheet(as_of=as_of, asked=set(asked))
    if not asked:
        return sheet
    for record in tx.run(DEPARTMENT_OF_DAY, ids=asked, asOf=as_of):
        row = record_natives(record)
        department = row["department"]
        sheet.found[row["asked"]] = DepartmentOfDay(
            asked=row["asked"],
            own_name=row["ownName"],
            id=department["id"],
            name=department["name"],
            kind=department.get("kind"),
            mergers=[
                DepartmentMerger(
                    id=m["id"],
                    name=m["name"],
                    into=m["into"],
                    into_name=m["intoName"],
                    since=m["since"],
                    basis=ReformNotice(**m["basis"]) if m.get("basis") else None,
                )
                for m in row["mergers"]
            ],
            renamed=DepartmentRename(
                name=row["renamed"]["name"],
                since=row["renamed"]["since"],
                basis=ReformNotice(**row["renamed"]["basis"])
                if row["renamed"].get("basis")
                else None,
            )
            if row["renamed"]
            else None,
        )
    return sheet


class DepartmentsOfDay:
    """department_of_day.cypher for GraphQL's DataLoader (`Department.ofDay`): the keys of one
    request step, (department id, day) each, read once per distinct day."""

    def __init__(self) -> None:
        self.name = "department_of_day"
        self.metadata = {"query": self.name}  # read by the driver as unit_of_work metadata
        self.timeout: float | None = None

    def __call__(self, tx: ManagedTransaction, *, keys: list[Any]) -> dict[Any, Any]:
        days: dict[date, list[str]] = {}
        for key in keys:
            days.setdefault(key.as_of, []).append(key.key)
        sheets = {day: departments_of_day(tx, ids, day) for day, ids in days.items()}
        return {key: sheets[key.as_of].found.get(key.key) for key in keys}


department_of_day_read = DepartmentsOfDay()
