"""Catalog semantics (目录版本与赋权): a catalog version starts, continues and ends delegations.

A county list applied to streets creates a Delegation from the original department to each
street, valid from the catalog's effective date. A newer version of the same series ends what it
no longer lists (valid_to = its effective date) and starts what it adds; loading the same file
again changes nothing. A withdrawal notice (收回) ends the named delegations on its date; an
adjustment notice (动态调整) ends the rows it withdraws the same way and starts the rows it adds,
from its date, without ending anything else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from neo4j import ManagedTransaction

from authreg.errors import InputError
from loaders.catalog_meta import CatalogMeta
from loaders.citation_text import half_width, simplified
from loaders.citations import Citation
from loaders.graph_writes import CypherWrites, GraphWrites
from loaders.numerals import chinese_numeral
from loaders.organisation import OrganisationFile
from loaders.redelegation import refuse_redelegation
from loaders.row_scope import ScopeError, StreetRef, receivers
from loaders.rows import CatalogRow
from schema.enums import CatalogKind, DelegationMode, DocumentRank
from schema.models import Catalog, Provision

_NOTICES = {CatalogKind.WITHDRAWAL}  # every row ends delegations
GUARDS_FILE = Path(__file__).with_name("load_guards.yaml")


@dataclass(frozen=True)
class CatalogPlan:
    file: Path
    meta: CatalogMeta
    catalog: Catalog
    rows: list[CatalogRow]


@dataclass
class CatalogOutcome:
    catalog_id: str
    unchanged: bool = False
    items: int = 0
    started: int = 0
    continued: int = 0
    ended: int = 0
    warnings: list[str] = field(default_factory=list)

    def detail(self) -> dict[str, object]:
        """What the audit entry of this catalog's load records (an upload's or `authreg load`'s)."""
        return {
            "catalog": self.catalog_id,
            "items": self.items,
            "started": self.started,
            "continued": self.continued,
            "ended": self.ended,
            "unchanged": self.unchanged,
        }

    def describe(self) -> str:
        if self.unchanged:
            return f"{self.catalog_id}: already loaded from this file, nothing changed"
        return (
            f"{self.catalog_id}: {self.items} items; delegations started {self.started}, "
            f"continued {self.continued}, ended {self.ended}"
        )


class NameProblem(NamedTuple):
    message: str
    row: int | None
    column: str | None
    value: str
    suggestion: str | None


def write_catalog(
    tx: ManagedTransaction, plan: CatalogPlan, allow_mass_withdrawal: bool = False
) -> CatalogOutcome:
    """One catalog file, all or nothing, in the caller's write transaction."""
    return build_catalog(CypherWrites(tx), plan, allow_mass_withdrawal)


def build_catalog(
    w: GraphWrites, plan: CatalogPlan, allow_mass_withdrawal: bool = False
) -> CatalogOutcome:
    """One catalog file through the loaders' graph operations (a transaction, a bulk graph, or
    a rehearsal). A new version that would end most of what its series holds in force is
    refused (`MassWithdrawal`) unless `allow_mass_withdrawal`."""
    outcome = CatalogOutcome(plan.catalog.id)
    stored = w.lock_catalog(plan.catalog.to_properties())
    if stored is not None and not stored["created"]:
        if stored["checksum"] != plan.catalog.checksum:
            raise InputError(
                plan.file,
                f"catalog {plan.catalog.id} was loaded before from a "
                "different file; give the corrected version its own effective date",
            )
        outcome.unchanged = True
        return outcome
    later = w.later_versions(plan.catalog.series, plan.catalog.effective, plan.catalog.id)
    if later:
        raise InputError(
            plan.file,
            f"a later version of {plan.catalog.series} is loaded "
            f"({later[0]}); load catalog versions in date order",
        )
    w.link_previous_version(plan.catalog.series, plan.catalog.id)
    # Without a region the catalog stands alone: its departments are its own, no streets.
    org = (
        w.known_organisation(plan.meta.region)
        if plan.meta.region
        else {"departments": [], "streets": []}
    )
    refuse_redelegation(plan, org["streets"])  # 转授权 (loaders/redelegation.py)
    departments = _resolve_departments(w, plan, org["departments"])
    _write_items(w, plan, departments, outcome)
    streets = _resolve_streets(plan, org["streets"])
    if plan.meta.kind in _NOTICES:
        _withdraw(w, plan, plan.rows, streets, outcome)
    elif plan.meta.kind == CatalogKind.ADJUSTMENT:
        _adjust(w, plan, departments, streets, org["streets"], outcome)
    else:
        _delegate(w, plan, departments, streets, org["streets"], outcome, allow_mass_withdrawal)
    return outcome


def unknown_names(plan: CatalogPlan, orgs: list[OrganisationFile]) -> list[NameProblem]:
    """For `--check`: departments and streets not in the organisation files given with it."""
    if not orgs:
        return []
    known = {
        "departments": [
            {"id": d.id, "name": d.name, "aliases": d.aliases} for o in orgs for d in o.departments
        ],
        "streets": [
            {"code": s.code, "name": s.name, "kind": s.kind.value} for o in orgs for s in o.streets
        ],
    }
    return name_problems(plan, known)


def name_problems(plan: CatalogPlan, known: dict[str, list[dict]]) -> list[NameProblem]:
    """Every department and street name the writer could not resolve, each with its row, in
    the organisation `known` (`GraphWrites.known_organisation`'s shape), as the writer resolves
    them: departments only where the region has any (else the catalog defines its own); streets
    as the metadata's `streets:` and each row's receivers choose them (`_street_scope`,
    `_row_streets`)."""
    departments = {d["name"]: d["id"] for d in known["departments"]}
    departments |= {a: d["id"] for d in known["departments"] for a in d["aliases"]}
    departments |= {d["id"]: d["id"] for d in known["departments"]}
    problems = []
    for row in plan.rows:
        if departments and row.department and _match_name(row.department, departments) is None:
            problems.append(_name_problem("department", row.department, row, departments))
    try:
        scope = _street_scope(plan, known["streets"])
    except InputError as exc:  # the metadata's `streets:` names what the region lacks
        return [*problems, _street_problem(exc)._replace(column="streets (metadata)")]
    for row in plan.rows if scope is not None else []:
        try:
            _row_streets(plan, row, *scope)
        except InputError as exc:
            problems.append(_street_problem(exc))
    return problems


def _street_problem(exc: InputError) -> NameProblem:
    problem, _, closest = exc.problem.partition("; closest: ")
    quoted = re.search(r"「(.+?)」", problem)
    suggestion = f"closest: {closest}" if closest else None
    return NameProblem(problem, exc.row, exc.column, quoted[1] if quoted else "", suggestion)


def _closest_streets(problem: str, refs: list[StreetRef]) -> str:
    """「城东街直」 … → "; closest: 城东街道, …" (or nothing) for a street error's message."""
    quoted = re.search(r"「(.+?)」", problem)
    names = sorted(s.name for s in refs)
    close = get_close_matches(quoted[1], names, n=3, cutoff=0.3) if quoted else []
    return f"; closest: {', '.join(close)}" if close else ""


# -- items and legal basis --------------------------------------------------------------------


def _write_items(
    w: GraphWrites, plan: CatalogPlan, departments: dict[str, str], outcome: CatalogOutcome
) -> None:
    rows = []
    for row in plan.rows:
        item = row.item.to_properties()
        if plan.meta.kind in _NOTICES or row.action == "end":
            item = {"code": item["code"]}  # a notice names an item; it does not redefine it
        elif row.action == "start":  # an added item: what the notice says, nothing erased
            item = {key: value for key, value in item.items() if value is not None}
        rows.append(
            {
                "item": item,
                "lists": {
                    "row": row.at.row,
                    "raw": row.raw,
                    "sheet": row.at.sheet,
                    "source_catalog": plan.catalog.id,
                    "source_row": row.at.row,
                },
                "department": departments.get(row.department or ""),
                "category": None
                if "domain" not in item
                else plan.meta.category_of(row.item.domain),
            }
        )
    w.write_items(plan.catalog.id, rows)
    outcome.items = len(rows)
    basis = [_basis_row(plan, row, c) for row in plan.rows for c in row.basis.citations]
    documents = {b["document"]["id"]: b["document"] for b in basis}
    provisions = {b["provision"]["id"]: b["provision"] for b in basis if b["provision"]}
    links = [
        {
            "itemCode": b["itemCode"],
            "documentId": b["document"]["id"],
            "provisionId": b["provision"]["id"] if b["provision"] else None,
            "link": b["link"],
        }
        for b in basis
    ]
    w.write_basis(list(documents.values()), list(provisions.values()), links)
    cited = sorted(provisions)
    for missing in w.missing_articles(cited):
        version = f"({missing['version'].year})" if missing["version"] else ""
        cited_as = "".join(
            f"第{chinese_numeral(missing[level])}{unit}"
            for level, unit in (("article", "条"), ("paragraph", "款"), ("item", "项"))
            if missing.get(level) is not None
        )
        outcome.warnings.append(f"{cited_as} not in 《{missing['title']}》{version}")


def _cited_paragraph(citation: Citation) -> int | None:
    """第X条第（Y）项 with no 款 names an item of the article's first paragraph: items are cited
    without 款 only when the paragraph holding them is the article's first (as 消防法 第六十条:
    （一）…（七） under 第一款, then 第二款 refers back to them). The raw citation stays on the link."""
    if citation.paragraph is None and citation.item is not None:
        return 1
    return citation.paragraph


def _basis_row(plan: CatalogPlan, row: CatalogRow, citation: Citation) -> dict[str, Any]:
    document = {
        "id": citation.document_key,
        "title": citation.title,
        "rank": (citation.rank or DocumentRank.UNKNOWN).value,
    }
    provision = None
    if citation.article is not None:
        paragraph = _cited_paragraph(citation)
        provision = {
            "id": Provision.make_id(
                citation.document_key, citation.article, paragraph, citation.item
            ),
            "document_id": citation.document_key,
            "article": citation.article,
            "paragraph": paragraph,
            "item": citation.item,
        }
    link = {
        "raw": citation.raw,
        "role": "实施依据",
        "version_note": citation.version_note,
        "source_catalog": plan.catalog.id,
        "source_row": row.at.row,
    }
    return {"itemCode": row.item.code, "document": document, "provision": provision, "link": link}


# -- name resolution --------------------------------------------------------------------------


def _resolve_departments(
    w: GraphWrites, plan: CatalogPlan, known: list[dict[str, Any]]
) -> dict[str, str]:
    """Department names in the rows → ids; unknown ones are errors once the region has any."""
    names = sorted({row.department for row in plan.rows if row.department})
    if not known:  # no organisation data for this region: the catalog defines its departments
        scope = plan.meta.region or plan.catalog.series
        created = {name: f"{scope}:{name}" for name in names}
        w.write_departments(
            [{"id": i, "props": {"id": i, "name": n}} for n, i in created.items()],
            plan.meta.region,
        )
        return created
    spellings = {d["name"]: d["id"] for d in known}
    spellings |= {a: d["id"] for d in known for a in d["aliases"]} | {
        d["id"]: d["id"] for d in known
    }
    resolved, missing = {}, []
    for name in names:
        match = _match_name(name, spellings)
        if match is None:
            missing.append(name)
        else:
            resolved[name] = spellings[match]
    if missing:
        close = get_close_matches(missing[0], list(spellings), n=3, cutoff=0.3)
        raise InputError(
            plan.file,
            f"department {missing[0]!r} is not in the organisation data "
            f"of region {plan.meta.region}" + (f"; closest: {', '.join(close)}" if close else ""),
        )
    return resolved


def _resolve_streets(plan: CatalogPlan, known: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Per row number, the street codes the row applies to: the metadata's `streets:` (the
    default), narrowed by the row's receiving-body cell (承接主体) when it names any."""
    scope = _street_scope(plan, known)
    if scope is None:
        return {}
    return {row.at.row: _row_streets(plan, row, *scope) for row in plan.rows}


def _street_scope(
    plan: CatalogPlan, known: list[dict[str, Any]]
) -> tuple[list[StreetRef], list[str]] | None:
    """The region's streets and the codes of the metadata's `streets:` (None: no delegations)."""
    chosen = plan.meta.streets
    if chosen is None:
        return None
    refs = [StreetRef(s["code"], s["name"], s.get("kind")) for s in known]
    if (chosen == "all" or chosen == "column") and not refs:
        raise InputError(
            plan.file,
            f"metadata says `streets: {chosen}`, but no streets of region "
            f"{plan.meta.region} are loaded; load its organisation file first",
        )
    every = [s.code for s in refs]
    try:
        default = every if isinstance(chosen, str) else receivers(chosen, refs, every, _same_name)
    except ScopeError as exc:
        problem = f"metadata streets: {exc}"
        raise InputError(plan.file, problem + _closest_streets(problem, refs)) from None
    return refs, default


def _row_streets(
    plan: CatalogPlan, row: CatalogRow, refs: list[StreetRef], default: list[str]
) -> list[str]:
    """The default, or the streets the row's receiving-body cell names within it."""
    where = {"row": row.at.row, "column": row.street_column, "sheet": row.at.sheet}
    if not row.streets and plan.meta.streets == "column":
        raise InputError(
            plan.file,
            "the row names no receiving street, and the metadata says `streets: column`; "
            "name them (or 各镇街), or give `streets: all` for a default",
            **where,
        )
    try:
        return receivers(row.streets, refs, default, _same_name) if row.streets else default
    except ScopeError as exc:
        problem = f"{exc} (region {plan.meta.region})"
        raise InputError(plan.file, problem + _closest_streets(problem, refs), **where) from None


def _match_name(name: str, spellings: dict[str, str]) -> str | None:
    """The same name (`_same_name`), else a spelling that ends with the name minus its
    县/区/市/旗 prefix (区城市管理局 → 城市管理局) when every such spelling names one department."""
    same = _same_name(name, spellings)
    if same is not None:
        return same
    stem = re.sub(r"^[县区市旗]", "", folded_name(name))
    ends = [s for s in spellings if folded_name(s).endswith(stem)] if len(stem) >= 3 else []
    return _the_one(ends, spellings)


def _same_name(name: str, spellings: dict[str, str]) -> str | None:
    """The spelling that is this name: exactly, else once both are folded (`folded_name`):
    a catalog mirrored in Traditional characters names 衛生健康局 for 卫生健康局."""
    if name in spellings:
        return name
    wanted = folded_name(name)
    return _the_one([s for s in spellings if folded_name(s) == wanted], spellings)


def _the_one(found: list[str], spellings: dict[str, str]) -> str | None:
    """A spelling among `found` if all of them name the same thing (a name and its alias may
    fold alike), else None: two departments or streets answer to it, or none does."""
    return found[0] if found and len({spellings[s] for s in found}) == 1 else None


@lru_cache(maxsize=65536)
def folded_name(name: str) -> str:
    """A name as compared: Traditional characters as Simplified (繁转简), full-width forms as
    half-width, no whitespace (`赋权 街镇` wraps; so do names)."""
    return re.sub(r"\s+", "", half_width(simplified(name)))


def _name_problem(
    kind: str, value: str, row: CatalogRow | None, known: dict[str, str]
) -> NameProblem:
    close = get_close_matches(value, sorted(known), n=3, cutoff=0.3)
    return NameProblem(
        f"{kind} not in the organisation data",
        None if row is None else row.at.row,
        None,
        value,
        f"closest: {', '.join(close)}" if close else None,
    )


# -- delegations ------------------------------------------------------------------------------


def _delegate(
    w: GraphWrites,
    plan: CatalogPlan,
    departments: dict[str, str],
    streets: dict[int, list[str]],
    known: list[dict[str, Any]],
    outcome: CatalogOutcome,
    allow_mass_withdrawal: bool = False,
) -> None:
    wanted = _wanted(plan, plan.rows, departments, streets, known)
    if streets and not wanted:
        outcome.warnings.append("no row names an original department: no delegations created")
    existing = {
        (d["item"], d["street"], d["department"], d["mode"]): d["id"]
        for d in w.active_delegations_of_series(plan.catalog.series)
    }
    on = plan.catalog.effective
    new = [
        _delegation_row(plan, key, wanted[key]["row"], on) for key in wanted if key not in existing
    ]
    kept = [{"id": existing[key], "row": wanted[key]["row"]} for key in wanted if key in existing]
    gone = [existing[key] for key in existing if key not in wanted]
    if not allow_mass_withdrawal:
        # A withdrawal takes a power from a street: an item × street this version no longer
        # delegates at all. A change of mode or department ends one delegation and starts its
        # successor in the same version; it strips no street of anything.
        still = {(key[0], key[1]) for key in wanted}
        withdrawn = [key for key in existing if key not in wanted and key[:2] not in still]
        _guard_mass_withdrawal(
            plan, in_force=len(existing), ending=len(withdrawn), starting=len(new)
        )
    w.start_delegations(plan.catalog.id, new)
    w.confirm_delegations(plan.catalog.id, kept)
    w.end_delegations(plan.catalog.id, gone, on)
    outcome.started, outcome.continued, outcome.ended = len(new), len(kept), len(gone)


def _wanted(
    plan: CatalogPlan,
    rows: list[CatalogRow],
    departments: dict[str, str],
    streets: dict[int, list[str]],
    known: list[dict[str, Any]],
) -> dict[tuple, dict[str, Any]]:
    """(item, street, department, mode) → its row, for the rows that delegate."""
    modes = {s["code"]: s["mode"] for s in known}
    wanted: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        department = departments.get(row.department or "")
        if department is None:
            continue
        for street in streets.get(row.at.row, []):
            # A 派驻 town keeps the county department as the enforcement subject (seed 004),
            # whatever the list says; elsewhere the row's or the list's mode (赋权 / 委托).
            # A row's own 赋权方式 wins over the metadata's `mode:` (a list may 委托 some rows).
            station = modes.get(street) == DelegationMode.STATION.value
            mode = DelegationMode.STATION.value if station else (row.mode or plan.meta.mode).value
            wanted[(row.item.code, street, department, mode)] = {"row": row.at.row}
    return wanted


def _delegation_row(plan: CatalogPlan, key: tuple, row: int, on: date) -> dict[str, Any]:
    item, street, department, mode = key
    digest = hashlib.sha1(
        "|".join([plan.catalog.series, *key, on.isoformat()]).encode()
    ).hexdigest()
    props = {
        "id": f"DLG-{digest[:16]}",
        "mode": mode,
        "valid_from": on,
        "valid_to": None,
        "status": "有效",
        "confirmation": plan.meta.confirmation,
        "source_catalog": plan.catalog.id,
        "source_file": plan.file.name,
        "source_row": row,
    }
    return {"props": props, "item": item, "street": street, "department": department, "row": row}


class MassWithdrawal(InputError):
    """A new version would end more of its series' delegations in force than the guard allows."""

    def __init__(self, plan: CatalogPlan, in_force: int, ending: int, starting: int) -> None:
        guard = mass_withdrawal_guard()
        super().__init__(
            plan.file,
            f"in force {in_force}, would end {ending}, would start {starting} (ended: item × "
            "street pairs this version no longer delegates at all; a change of mode or "
            "department is not counted): this version of "
            f"{plan.catalog.series} ends more than {guard['share']:.0%} of the delegations its "
            "series holds in force. Check that the file is the whole list (a bad export strips "
            "the streets of their powers); if the withdrawal is meant, load it again with "
            "--allow-mass-withdrawal (the API: allowMassWithdrawal: true)",
            column="(whole file)",
        )
        self.in_force, self.ending, self.starting = in_force, ending, starting


@lru_cache(maxsize=1)
def mass_withdrawal_guard() -> dict[str, Any]:
    """The guard's threshold and its reason: data, in loaders/load_guards.yaml."""
    guards = yaml.safe_load(GUARDS_FILE.read_text(encoding="utf-8"))
    return guards["mass_withdrawal"]


def _guard_mass_withdrawal(plan: CatalogPlan, *, in_force: int, ending: int, starting: int) -> None:
    if in_force and ending > mass_withdrawal_guard()["share"] * in_force:
        raise MassWithdrawal(plan, in_force, ending, starting)


def _withdraw(
    w: GraphWrites,
    plan: CatalogPlan,
    rows: list[CatalogRow],
    streets: dict[int, list[str]],
    outcome: CatalogOutcome,
) -> None:
    pairs = [
        {"item": row.item.code, "street": street, "row": row.at.row}
        for row in rows
        for street in streets.get(row.at.row, [])
    ]
    active = w.active_delegations_of(pairs, plan.catalog.effective)
    w.end_delegations(plan.catalog.id, [d["id"] for d in active], plan.catalog.effective)
    outcome.ended = len(active)
    ended = {(d["item"], d["street"]) for d in active}
    for pair in pairs:
        if (pair["item"], pair["street"]) not in ended:
            outcome.warnings.append(
                f"row {pair['row']}: no delegation of {pair['item']} to "
                f"{pair['street']} in force on {plan.catalog.effective}"
            )


def _adjust(
    w: GraphWrites,
    plan: CatalogPlan,
    departments: dict[str, str],
    streets: dict[int, list[str]],
    known: list[dict[str, Any]],
    outcome: CatalogOutcome,
) -> None:
    """动态调整: 收回 rows end like a withdrawal; 新增 rows start, and nothing else ends."""
    _withdraw(w, plan, [row for row in plan.rows if row.action == "end"], streets, outcome)
    added = [row for row in plan.rows if row.action == "start"]
    wanted = _wanted(plan, added, departments, streets, known)
    on = plan.catalog.effective
    pairs = [{"item": key[0], "street": key[1], "row": v["row"]} for key, v in wanted.items()]
    # Never two delegations of one item to one street in force: what is in force stays as it is.
    active = {(d["item"], d["street"]): d["id"] for d in w.active_delegations_of(pairs, on)}
    new = []
    for key, value in wanted.items():
        if (key[0], key[1]) in active:
            outcome.warnings.append(
                f"row {value['row']}: {key[0]} is already delegated to {key[1]} on {on} "
                f"({active[key[0], key[1]]}); not started again"
            )
        else:
            new.append(_delegation_row(plan, key, value["row"], on))
    w.start_delegations(plan.catalog.id, new)
    outcome.started = len(new)
