"""Rehearsing a load before writing it (预演): every refusal writing would make, found first.

`authreg load` writes one transaction per file. A refusal that only writing found (a street the
graph does not hold, a catalog version loaded before from another file, a case naming an item no
catalog lists, a name too long for an index) came after earlier files had committed. Here the
whole plan runs first through the very builders that write it (`build_law`,
`build_organisation`, `build_catalog`, `build_cases`), on a `Rehearsal`: reads are answered from
the graph as it stands (read transactions; no graph at all for `--check` without a database)
together with what the invocation's earlier files will add, which is kept in memory (a
`BulkGraph`, the MERGE semantics `db import` uses, for catalogs, items, departments and streets;
the delegations started and ended in plain maps): only what later decisions read. Every write is
checked against the index key limit. Each refusal becomes an error naming file, row and column;
`load` writes nothing when there is one, and `--check` reports the same ones.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver

from authreg.driver import session as open_session
from authreg.errors import InputError
from loaders import write
from loaders.bulk_graph import BulkGraph
from loaders.catalogs import CatalogPlan, build_catalog, name_problems
from loaders.duty_lists import check_duty_list
from loaders.load import LoadPlan
from loaders.records import build_cases, build_law, build_organisation
from loaders.report import LoadReport
from loaders.rows import CatalogRow
from schema.migrate import CONSTRAINTS_DIR

# Neo4j's range indexes (and the uniqueness constraints behind business keys) hold a key of at
# most about 8 KB; a longer value fails the write ("Property value is too large to index"; the
# test of this bound writes 4,000 bytes and sees 15,000 refused by the server).
# 1,000 characters are at most 4,000 bytes in UTF-8, which leaves room for the other half of a
# composite key (Catalog series + effective). The longest item name in data/real-catalogs has 69
# characters; an official item name of 1,000 is not one, it is a cell pasted into the wrong column.
MAX_INDEXED_CHARS = 1_000

Reader = Callable[..., Any]  # runs a `loaders.write` read function in a read transaction


def rehearse(
    plan: LoadPlan,
    report: LoadReport,
    read: Reader | None,
    *,
    allow_mass_withdrawal: bool = False,
    warn: bool = False,
) -> None:
    """Run the plan, in write order, through a `Rehearsal` on the graph `read` answers from
    (None: an empty graph); every refusal goes to the report. Files that already have errors
    are left out (they will not be written, and their errors are known). With `warn` (`load
    --check`, which writes nothing after it), the warnings only building a file can give — a
    case about an item no catalog lists — go to the report too; a load gives them as it
    writes."""
    rehearsal = Rehearsal(read, warn=warn)
    for law in plan.laws:
        rehearsal.run(report, law.path, build_law, law)
    for path, org in plan.organisations:
        rehearsal.run(report, path, build_organisation, org, path.name)
    for catalog in plan.catalogs:
        rehearsal.run_catalog(report, catalog, allow_mass_withdrawal)
    for path, cases in plan.cases:
        rehearsal.run(report, path, build_cases, cases, path.name)
    for duty in plan.duty_lists:  # after the catalogs: it names their items
        rehearsal.run(report, duty.file, check_duty_list, duty)


@contextmanager
def graph_reader(driver: Driver, database: str) -> Iterator[Reader]:
    """A `Reader` on one session: each read is its own managed read transaction."""
    with open_session(driver, database) as session:

        def read(work: Callable[..., Any], *args: Any) -> Any:
            return session.execute_read(work, *args)

        yield read


class Rehearsal:
    """`GraphWrites` that writes nothing: reads see the graph plus the rehearsed files."""

    def __init__(self, read: Reader | None, *, warn: bool = False) -> None:
        self.read = read
        self.warn = warn
        self.overlay = BulkGraph()
        # Delegations the rehearsed files start (id → ends, mode, start), by series and by
        # (item, street); and the ids they end, of the graph's and their own.
        self.started: dict[str, dict[str, Any]] = {}
        self.series: dict[str, dict[str, None]] = defaultdict(dict)
        self.pairs: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
        self.ended: set[str] = set()
        self.file: Path = Path()
        self.catalog: CatalogPlan | None = None
        self.documents: dict[str, dict[str, Any]] = {}  # a rehearsed file's, by id
        # Streets copied from the graph: their dated names and merger (更名 / 撤并) as it holds them
        self.histories: dict[str, dict[str, Any]] = {}
        self.department_histories: dict[str, dict[str, Any]] = {}  # and departments' (机构改革)

    # -- running files ------------------------------------------------------------------------

    def run(self, report: LoadReport, path: Path, build: Callable, *args: Any) -> None:
        if report.errors_in(path):
            return
        self.file, self.catalog = path, None
        try:
            built = build(self, *args)
            for warning in getattr(built, "warnings", ()) if self.warn else ():
                report.warning(path.name, warning)
        except InputError as exc:
            report.input_error(exc)
        except ValueError as exc:  # a MERGE on a null key, which the server refuses too
            report.error(path, str(exc))

    def run_catalog(self, report: LoadReport, plan: CatalogPlan, allow: bool) -> None:
        if report.errors_in(plan.file):
            return
        self.file, self.catalog = plan.file, plan
        region = plan.meta.region
        alone: dict[str, list[dict]] = {"departments": [], "streets": []}  # as the writer takes it
        problems = name_problems(plan, self.known_organisation(region) if region else alone)
        for problem in problems:
            report.error(
                plan.file,
                problem.message,
                row=problem.row,
                column=problem.column or _name_column(plan, problem.row, problem.value),
                value=problem.value,
                suggestion=problem.suggestion,
            )
        if problems:
            return
        try:
            built = build_catalog(self, plan, allow)
            for warning in built.warnings if self.warn else ():  # a former street name …
                report.warning(plan.file.name, warning)
        except InputError as exc:
            report.input_error(exc)
        except ValueError as exc:
            report.error(plan.file, str(exc))

    # -- reads: the graph, then what the rehearsed files add ----------------------------------

    def _graph(self, work: Callable[..., Any], *args: Any) -> Any:
        return None if self.read is None else self.read(work, *args)

    def lock_catalog(self, props: dict[str, Any]) -> dict[str, Any] | None:
        self._fits("Catalog", props, column="series (metadata)")
        if self.overlay._node("Catalog", props["id"]) is None:
            stored = self._graph(write.stored_catalog, props["id"])
            if stored is not None:
                return {"checksum": stored["checksum"], "created": False}
        return self.overlay.lock_catalog(props)

    def later_versions(self, series: str, effective: Any, catalog_id: str) -> list:
        if effective == date.min:  # `--check` of a catalog without a date: no order to check
            return []
        stored = self._graph(write.later_versions, series, effective, catalog_id) or []
        return stored + self.overlay.later_versions(series, effective, catalog_id)

    def link_previous_version(self, series: str, catalog_id: str) -> None:
        self.overlay.link_previous_version(series, catalog_id)

    def known_organisation(self, region: str | None) -> dict[str, list[dict]]:
        """The graph's departments and streets and the rehearsed ones (those win, as a later
        SET does); the graph's are copied into memory, so delegations to them are rehearsed."""
        stored = self._graph(write.known_organisation, region) or {"departments": [], "streets": []}
        if region is not None and (
            stored["departments"] or stored["streets"] or self._graph(write.region_exists, region)
        ):
            self.overlay.write_region({"code": region}, None)
        mine = self.overlay.known_organisation(region)
        have = {d["id"] for d in mine["departments"]}
        copied = [
            {"id": d["id"], "name": d["name"], "aliases": d["aliases"]}
            for d in stored["departments"]
            if d["id"] not in have
        ]
        self.overlay.write_org_nodes("Department", "id", copied, region or "")
        # A copied department keeps the graph's dated names and merger, as a copied street.
        self.department_histories |= {
            d["id"]: {"names": d["names"], "merged": d["merged"]}
            for d in stored["departments"]
            if d["id"] not in have
        }
        have = {s["code"] for s in mine["streets"]}
        copied = [
            {"code": s["code"], "name": s["name"], "kind": s["kind"], "delegation_mode": s["mode"]}
            for s in stored["streets"]
            if s["code"] not in have
        ]
        self.overlay.write_org_nodes("Street", "code", copied, region or "")
        known = (
            _merged(stored, self.overlay.known_organisation(None))  # no region: everything
            if region is None
            else self.overlay.known_organisation(region)
        )
        # A copied street keeps the graph's dated names and merger (the overlay has no facts).
        self.histories |= {
            s["code"]: {"names": s["names"], "merged": s["merged"]}
            for s in stored["streets"]
            if s["code"] not in have
        }
        known["streets"] = [s | self.histories.get(s["code"], {}) for s in known["streets"]]
        known["departments"] = [
            d | self.department_histories.get(d["id"], {}) for d in known["departments"]
        ]
        return known

    def catalogs_named(self, names: list[str]) -> list[dict[str, Any]]:
        stored = self._graph(write.catalogs_named, names) or []
        mine = self.overlay.catalogs_named(names)
        seen = {(c["name"], c["id"]) for c in mine}
        both = [c for c in stored if (c["name"], c["id"]) not in seen] + mine
        return sorted(both, key=lambda c: (c["name"], c["effective"], c["id"]))

    def catalog_items(self, catalog_id: str) -> list[dict[str, Any]]:
        if self.overlay._node("Catalog", catalog_id) is not None:
            return self.overlay.catalog_items(catalog_id)
        return self._graph(write.catalog_items, catalog_id) or []

    def delegations_in_force_to(self, streets: list[str]) -> list[dict[str, Any]]:
        stored = self._graph(write.delegations_in_force_to, streets) or []
        wanted = set(streets)
        mine = [
            {"id": key, **{k: v for k, v in started.items() if k != "valid_from"}}
            | {"valid_from": started["valid_from"], "domain": started.get("domain")}
            for key, started in self.started.items()
            if started["street"] in wanted and key not in self.ended
        ]
        return self._in_force(stored, mine)

    def link_replaced(self, catalog_id: str, replaced: list[str]) -> None:
        return None  # no decision of this invocation reads it

    def missing_articles(self, provision_ids: list[str]) -> list[dict[str, Any]]:
        return []  # warnings only, given by the load itself

    def active_delegations_of_series(self, series: str) -> list[dict[str, Any]]:
        stored = self._graph(write.active_delegations_of_series, series) or []
        mine = [
            {"id": key, **self.started[key]}
            for key in self.series.get(series, {})
            if key not in self.ended
        ]
        return self._in_force(stored, mine)

    def active_delegations_of(self, pairs: list[dict[str, Any]], on: Any) -> list:
        stored = self._graph(write.active_delegations_of, pairs, on) or []
        mine = {
            (key, pair["item"], pair["street"], pair.get("row")): None
            for pair in pairs
            for key in self.pairs.get((pair["item"], pair["street"]), {})
            if key not in self.ended and self.started[key]["valid_from"] <= on
        }
        found = [dict(zip(("id", "item", "street", "row"), key, strict=True)) for key in mine]
        return self._in_force(stored, found)

    def _in_force(self, stored: list[dict], mine: list[dict]) -> list[dict]:
        seen = {d["id"] for d in mine}
        return [d for d in stored if d["id"] not in self.ended and d["id"] not in seen] + mine

    def find_ids(self, label: str, keys: list[str]) -> dict[str, str]:
        found = self.overlay.find_ids(label, keys)
        rest = [key for key in keys if key not in found]
        if rest:
            found |= self._graph(write.find_ids, label, rest) or {}
        return found

    def streets_of_codes(self, codes: list[str]) -> list[dict[str, Any]]:
        """The rehearsed file's street where it gave a history (a street the overlay copied
        from the graph has none of its own), else the graph's."""
        return _with_histories(
            self.overlay.streets_of_codes(codes), self._graph(write.streets_of_codes, codes), "code"
        )

    def departments_of_ids(self, ids: list[str]) -> list[dict[str, Any]]:
        """The rehearsed file's department where it gave a history, else the graph's."""
        return _with_histories(
            self.overlay.departments_of_ids(ids), self._graph(write.departments_of_ids, ids), "id"
        )

    # -- writes: checked, then kept in memory -------------------------------------------------

    def write_departments(self, rows: list[dict[str, Any]], region: str | None) -> int:
        for row in rows:
            name = row["props"]["name"]
            listed = self.catalog.rows if self.catalog else []
            at = next((r.at.row for r in listed if r.department == name), None)
            self._fits("Department", row["props"], row=at, value=name)
        return self.overlay.write_departments(rows, region)

    def write_items(self, catalog_id: str, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            self._fits("EnforcementItem", row["item"], row=row["lists"]["row"])
        # Kept: what later decisions read (items by code or name, the domain and department a
        # notice granting or withdrawing a whole domain chooses by), not the rows' texts.
        kept = [
            {"item": _only(row["item"], "code", "name", "domain"), "lists": {}, "category": None}
            | {"department": row["department"]}
            for row in rows
        ]
        return self.overlay.write_items(catalog_id, kept)

    def write_guide_items(
        self, catalog_id: str, items: list[dict[str, Any]], province: dict[str, Any]
    ) -> int:
        for item in items:
            self._fits("GuideItem", item, row=item["source_row"])
        return len(items)  # nothing later in a load reads a guide's items

    def write_basis(self, documents: list[dict], provisions: list[dict], links: list) -> int:
        rows = {link["documentId"]: link["link"]["source_row"] for link in reversed(links)}
        for document in documents:
            self._fits("LegalDocument", document, row=rows.get(document["id"]))
        for provision in provisions:
            self._fits("Provision", provision, row=rows.get(provision["document_id"]))
        return len(documents) + len(provisions) + len(links)  # no decision reads them

    def start_delegations(self, catalog_id: str, rows: list[dict[str, Any]]) -> int:
        series = self._series_of(catalog_id)
        for row in rows:
            key = row["props"]["id"]
            if key not in self.started:  # MERGE … ON CREATE: a delegation stays as it started
                props = row["props"]
                item = self.overlay._node("EnforcementItem", row["item"]) or {}
                self.started[key] = {
                    "item": row["item"],
                    "street": row["street"],
                    "department": row["department"],
                    "mode": props["mode"],
                    "valid_from": props["valid_from"],
                    "domain": item.get("domain"),
                }
            self.series[series][key] = None
            self.pairs[(row["item"], row["street"])][key] = None
        return len(rows)

    def confirm_delegations(self, catalog_id: str, rows: list[dict]) -> int:
        series = self._series_of(catalog_id)
        for row in rows:
            if row["id"] in self.started:  # the graph's own are found by their series already
                self.series[series][row["id"]] = None
        return len(rows)

    def end_delegations(self, catalog_id: str, ids: list[str], on: Any) -> int:
        self.ended.update(ids)
        return len(ids)

    def _series_of(self, catalog_id: str) -> str:
        catalog = self.overlay._node("Catalog", catalog_id) or {}
        return str(catalog.get("series"))

    def write_law_text(self, document: dict[str, Any], provisions: list[dict]) -> int:
        self._fits("LegalDocument", document, column="title")
        for provision in provisions:
            self._fits("Provision", provision, column="title")
        return 1 + len(provisions)  # no decision reads law texts

    def write_law_versions(
        self,
        document_id: str,
        version_id: str,
        versions: list[dict],
        links: list[dict],
        provisions: list[dict],
    ) -> int:
        for version in versions:
            self._fits("LawVersion", version["props"], column="title")
        for provision in provisions:
            self._fits("Provision", provision, column="title")
        return len(versions) + len(provisions)  # no decision reads law versions

    def document_replacements(self, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            self._fits("LegalDocument", row, column="documents")
            self.documents[row["id"]] = {
                "id": row["id"],
                "title": row["title"],
                "doc_number": row["props"].get("doc_number"),
            }
        return len(rows)

    def write_region(self, region: dict[str, Any], parent: dict | None) -> None:
        for node in (region, parent or {}):
            self._fits("Region", node, column="region")
        self.overlay.write_region(region, parent)

    def write_org_nodes(self, label: str, key: str, rows: list[dict], region: str) -> int:
        for row in rows:
            self._fits(label, row, column=_SECTIONS.get(label, label))
        if label not in _DECIDING:
            return len(rows)
        return self.overlay.write_org_nodes(label, key, rows, region)

    def write_org_links(self, rows: list[dict[str, Any]]) -> int:
        """Kept: a street's (a department's) dated names and merger, which decide the names a
        list may use and the streets it may reach (loaders/street_names.py) and what a former
        department name is told; no decision reads the rest."""
        history = [
            row
            for row in rows
            if row["type"] in _HISTORY_LINKS and row["start"] in {"Street", "Department"}
        ] + [
            row
            for row in rows
            if row["type"] == "DEFINED_IN" and row["start"] in {"StreetFact", "DepartmentFact"}
        ]
        cited = {row["b"] for row in history if row["type"] == "DEFINED_IN"} - {None}
        cited |= {row["props"].get("basis") for row in history if row["type"] == "MERGED_INTO"}
        documents = [self.documents[key] for key in sorted(cited - {None}) if key in self.documents]
        self.overlay.write_org_nodes("LegalDocument", "id", documents, "")
        self.overlay.write_org_links(history)
        return len(rows)

    def write_case_nodes(self, label: str, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            self._fits(label, row, column=_SECTIONS.get(label, label))
        return len(rows)

    # -- the index key limit ------------------------------------------------------------------

    def _fits(
        self,
        label: str,
        props: dict[str, Any],
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Every indexed property of the node within MAX_INDEXED_CHARS, else an InputError
        naming the row and column it came from."""
        for name in INDEXED.get(label, ()):
            text = props.get(name)
            if not isinstance(text, str) or len(text) <= MAX_INDEXED_CHARS:
                continue
            where = column or _name_column(self.catalog, row, value or text)
            raise InputError(
                self.file,
                f"{label}.{name} of {len(text):,} characters is longer than the "
                f"{MAX_INDEXED_CHARS:,} a name or key may have (its index holds at most "
                "8 KB); is a whole cell pasted into the wrong column?",
                row=row,
                column=where,
                sheet=_sheet(self.catalog, row),
            )


def indexed_properties() -> dict[str, frozenset[str]]:
    """Per label, the properties a range index or a uniqueness constraint covers, read from
    schema/constraints/ (full-text indexes split their text into terms: no such limit)."""
    found: dict[str, set[str]] = {}
    for path in sorted(CONSTRAINTS_DIR.glob("*.cypher")):
        for statement in path.read_text(encoding="utf-8").split(";"):
            if "FULLTEXT" in statement:
                continue
            match = re.search(
                r"FOR \(\w+:(\w+)\) (?:REQUIRE|ON) \(?([^)]*?)\)?(?: IS|$)", statement
            )
            if match:
                names = re.findall(r"\w+\.(\w+)", match.group(2))
                found.setdefault(match.group(1), set()).update(names)
    return {label: frozenset(names) for label, names in found.items()}


INDEXED = indexed_properties()
# The organisation nodes later decisions read (names a catalog or a case resolves); the rest
# are checked and let go, so a large load's rehearsal holds little more than its delegations.
_DECIDING = frozenset({"Department", "Street", "StreetFact", "DepartmentFact"})
# 更名 / 撤并 / 机构改革, and the facts' notices
_HISTORY_LINKS = frozenset({"HAS_FACT", "MERGED_INTO"})
# Where an organisation or cases file (YAML) holds each kind of node.
_SECTIONS = {
    "Department": "departments",
    "Street": "streets",
    "Zone": "zones",
    "Unit": "units",
    "Category": "categories",
    "Officer": "officers",
    "Policy": "policies",
    "Case": "cases",
    "Transfer": "cases.transfers",
    "Dispute": "disputes",
}


def _merged(stored: dict[str, list[dict]], mine: dict[str, list[dict]]) -> dict[str, list[dict]]:
    departments = {d["id"]: d for d in stored["departments"]} | {
        d["id"]: d for d in mine["departments"]
    }
    streets = {s["code"]: s for s in stored["streets"]} | {s["code"]: s for s in mine["streets"]}
    return {
        "departments": [departments[k] for k in sorted(departments)],
        "streets": [streets[k] for k in sorted(streets)],
    }


def _only(props: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: props[name] for name in names if name in props}


def _row(plan: CatalogPlan | None, row: int | None) -> CatalogRow | None:
    if plan is None or row is None:
        return None
    return next((r for r in plan.rows if r.at.row == row), None)


def _sheet(plan: CatalogPlan | None, row: int | None) -> str | None:
    found = _row(plan, row)
    return None if found is None else found.at.sheet


def _name_column(plan: CatalogPlan | None, row: int | None, value: str | None) -> str | None:
    """The header of the cell that holds `value` in that row (the longest cell if none does)."""
    found = _row(plan, row)
    if found is None:
        return None
    cells: dict[str, str] = json.loads(found.raw)
    wanted = "".join((value or "").split())[:40]
    for header, cell in cells.items():
        if wanted and wanted in "".join(cell.split()):
            return header
    return max(cells, key=lambda header: len(cells[header]), default=None)


def _with_histories(
    mine: list[dict[str, Any]], stored: list[dict[str, Any]] | None, key: str
) -> list[dict[str, Any]]:
    """Streets or departments (by `key`) as the graph holds them, replaced by the rehearsed
    file's where that file gave a history (dated names or a merger) or the graph lacks them."""
    found = {row[key]: row for row in stored or []}
    for value, row in ((row[key], row) for row in mine):
        if value not in found or row["names"] or row["merged"]:
            found[value] = row
    return [found[value] for value in sorted(found)]
