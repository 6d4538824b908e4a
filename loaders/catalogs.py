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
from loaders.catalog_meta import CatalogMeta, Scope, StreetDay
from loaders.citation_text import half_width, simplified
from loaders.citations import Citation
from loaders.graph_writes import CypherWrites, GraphWrites
from loaders.guide import build_guide
from loaders.handling import handling_properties
from loaders.numerals import chinese_numeral
from loaders.organisation import OrganisationFile
from loaders.redelegation import refuse_redelegation
from loaders.row_scope import ScopeError, StreetRef, receivers
from loaders.rows import CatalogRow
from loaders.street_names import (
    StreetsOfDay,
    departments_of_day,
    name_history,
    notice_words,
    streets_of_day,
)
from loaders.zone_lists import zone_list_links
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
    # 承接确认书 dates (`street_dates:`): each named street's delegations start or end that day.
    street_days: list[StreetDay] = field(default_factory=list)
    # No `effective:` was given with them: it is the earliest, and every street needs its own.
    every_street_dated: bool = False


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
    if (
        plan.meta.kind == CatalogKind.PROVINCE_GUIDE
    ):  # guide items, no delegation (loaders/guide.py)
        return build_guide(w, plan, outcome)
    # Without a region the catalog stands alone: its departments are its own, no streets.
    org = (
        w.known_organisation(plan.meta.region)
        if plan.meta.region
        else {"departments": [], "streets": []}
    )
    refuse_redelegation(plan, org["streets"])  # 转授权 (loaders/redelegation.py)
    departments = _resolve_departments(w, plan, org["departments"], outcome.warnings)
    zone_links = zone_list_links(plan, org["departments"])  # 牵头部门, 提请, 审查同意
    _write_items(w, plan, departments, outcome, zone_links)
    streets = _resolve_streets(plan, org["streets"], outcome.warnings)
    scopes = _scope_streets(plan, org["streets"], outcome.warnings)
    days = _street_dates(plan, org["streets"], streets, scopes, outcome.warnings)
    if plan.meta.kind in _NOTICES:
        _withdraw(w, plan, plan.rows, streets, days, outcome)
        _withdraw_scopes(w, plan, org, scopes, days, outcome)
    elif plan.meta.kind == CatalogKind.ADJUSTMENT:
        _adjust(w, plan, departments, streets, org["streets"], days, outcome)
        _withdraw_scopes(w, plan, org, scopes, days, outcome)
        _grant_scopes(w, plan, org, scopes, days, outcome)
    else:
        _delegate(
            w, plan, departments, streets, org["streets"], days, outcome, allow_mass_withdrawal
        )
    return outcome


def unknown_names(plan: CatalogPlan, orgs: list[OrganisationFile]) -> list[NameProblem]:
    """For `--check`: departments and streets not in the organisation files given with it."""
    if not orgs:
        return []
    known = {
        "departments": [department for o in orgs for department in _file_departments(o)],
        "streets": [street for o in orgs for street in _file_streets(o)],
    }
    return name_problems(plan, known)


def _file_departments(org: OrganisationFile) -> list[dict[str, Any]]:
    """An organisation file's departments as `GraphWrites.known_organisation` gives them, with
    their dated names and merger (机构改革: loaders/street_names.py)."""
    words = _notice_words(org)
    found = {d.name: d for d in org.departments} | {d.id: d for d in org.departments}
    departments = []
    for d in org.departments:
        merged = None
        if d.merged_into is not None and d.merged_into.department in found:
            into = found[d.merged_into.department]
            merged = _merger(into.id, into.name, d.merged_into, words)
        names = name_history([p.model_dump() for p in d.names], words)
        departments.append(
            {"id": d.id, "name": d.name, "aliases": d.aliases, "names": names, "merged": merged}
        )
    return departments


def _merger(into_key: str, into_name: str, merger: Any, words: dict[str, str]) -> dict[str, Any]:
    """A street's 撤并 or a department's 机构改革 merger as `known_organisation` gives it: the
    successor's key and name, the day, and the notice as a message quotes it."""
    return {
        "into": into_key,
        "into_name": into_name,
        "valid_from": merger.valid_from,
        "basis": words.get(merger.basis or "", merger.basis),
    }


def _notice_words(org: OrganisationFile) -> dict[str, str]:
    """Each document of the file (by id and by title) as a message quotes it: 文号《标题》."""
    found = {
        key: notice_words(d.doc_number, d.title, d.id)
        for d in org.documents
        for key in (d.id, d.title)
        if key
    }
    return {key: words for key, words in found.items() if words}


def _file_streets(org: OrganisationFile) -> list[dict[str, Any]]:
    """An organisation file's streets as `GraphWrites.known_organisation` gives them, with their
    dated names and merger (loaders/street_names.py)."""
    words = _notice_words(org)
    codes = {s.name: s for s in org.streets} | {s.code: s for s in org.streets}
    streets = []
    for s in org.streets:
        merged = None
        if s.merged_into is not None and s.merged_into.street in codes:
            into = codes[s.merged_into.street]
            merged = _merger(into.code, into.name, s.merged_into, words)
        history = name_history([p.model_dump() for p in s.names], words)
        streets.append(
            {"code": s.code, "name": s.name, "kind": s.kind.value}
            | {"names": history, "merged": merged}
        )
    return streets


def name_problems(plan: CatalogPlan, known: dict[str, list[dict]]) -> list[NameProblem]:
    """Every department and street name the writer could not resolve, each with its row, in
    the organisation `known` (`GraphWrites.known_organisation`'s shape), as the writer resolves
    them: departments only where the region has any (else the catalog defines its own); streets
    as the metadata's `streets:` and each row's receivers choose them (`_street_scope`,
    `_row_streets`)."""
    departments = department_spellings(known["departments"])
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
    w: GraphWrites,
    plan: CatalogPlan,
    departments: dict[str, str],
    outcome: CatalogOutcome,
    zone_links: dict[int, dict] | None = None,
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
                "lists": (zone_links or {}).get(row.at.row, {})
                | {
                    "row": row.at.row,
                    "raw": row.raw,
                    "sheet": row.at.sheet,
                    "source_catalog": plan.catalog.id,
                    "source_row": row.at.row,
                    **handling_properties(row),
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


def department_spellings(known: list[dict[str, Any]]) -> dict[str, str]:
    """Every way a list may name a department → its id: the name it had (机构改革: 更名, where
    no department bears that name now), its name now, its aliases and its id."""
    spellings = {p["name"]: d["id"] for d in known for p in d.get("names") or []}
    spellings |= {d["name"]: d["id"] for d in known}
    spellings |= {a: d["id"] for d in known for a in d["aliases"]}
    return spellings | {d["id"]: d["id"] for d in known}


def _resolve_departments(
    w: GraphWrites,
    plan: CatalogPlan,
    known: list[dict[str, Any]],
    warnings: list[str] | None = None,
) -> dict[str, str]:
    """Department names in the rows → ids; unknown ones are errors once the region has any.
    A row naming a department by a name it had (机构改革: 更名), or one merged into another by
    the list's date (划入), finds it, and `warnings` say so with the row, column and notice."""
    names = sorted({row.department for row in plan.rows if row.department})
    if not known:  # no organisation data for this region: the catalog defines its departments
        scope = plan.meta.region or plan.catalog.series
        created = {name: f"{scope}:{name}" for name in names}
        w.write_departments(
            [{"id": i, "props": {"id": i, "name": n}} for n, i in created.items()],
            plan.meta.region,
        )
        return created
    spellings = department_spellings(known)
    resolved, missing, notes = {}, [], {}
    of_day = departments_of_day(known, plan.catalog.effective)
    for name in names:
        match = _match_name(name, spellings)
        if match is None:
            missing.append(name)
        else:
            resolved[name] = spellings[match]
            notes[name] = of_day.note(name, match, spellings[match])
    if missing:
        close = get_close_matches(missing[0], list(spellings), n=3, cutoff=0.3)
        raise InputError(
            plan.file,
            f"department {missing[0]!r} is not in the organisation data "
            f"of region {plan.meta.region}" + (f"; closest: {', '.join(close)}" if close else ""),
        )
    for row in plan.rows if warnings is not None else []:
        note = notes.get(row.department or "")
        if note is not None:  # the file is named by whoever prints it
            place = [f"sheet 「{row.at.sheet}」"] if row.at.sheet else []
            place += [f"row {row.at.row}"]
            place += [f"column 「{row.department_column}」"] if row.department_column else []
            warnings.append(f"{', '.join(place)}: {note}")
    return resolved


def _resolve_streets(
    plan: CatalogPlan, known: list[dict[str, Any]], warnings: list[str] | None = None
) -> dict[int, list[str]]:
    """Per row number, the street codes the row applies to: the metadata's `streets:` (the
    default), narrowed by the row's receiving-body cell (承接主体) when it names any. A former
    name (更名) finds its street with a warning in `warnings`."""
    scope = _street_scope(plan, known, warnings)
    if scope is None:
        return {}
    return {row.at.row: _row_streets(plan, row, *scope, warnings) for row in plan.rows}


def _street_scope(
    plan: CatalogPlan, known: list[dict[str, Any]], warnings: list[str] | None = None
) -> tuple[StreetsOfDay, list[str]] | None:
    """The region's streets on the catalog's date and the codes of the metadata's `streets:`
    (None: no delegations). A list that starts delegations reaches only the streets that exist
    that day: `all` and phrases leave out a street merged away (撤并), and naming one is refused."""
    chosen = plan.meta.streets
    if chosen is None:
        return None
    day = streets_of_day(known, plan.catalog.effective)
    if (chosen == "all" or chosen == "column") and not day.refs:
        raise InputError(
            plan.file,
            f"metadata says `streets: {chosen}`, but no streets of region "
            f"{plan.meta.region} are loaded; load its organisation file first",
        )
    starts = plan.meta.kind not in _NOTICES
    every = day.every if starts else [s["code"] for s in known]
    if isinstance(chosen, str):
        return day, every
    _check_named(day, chosen, starts, plan.meta.where(plan.file, "streets"), warnings)
    try:
        return day, receivers(chosen, day.refs, every, _same_name)
    except ScopeError as exc:
        problem = f"metadata streets: {exc}"
        raise InputError(plan.file, problem + _closest_streets(problem, day.refs)) from None


def _check_named(
    day: StreetsOfDay,
    parts: tuple[str, ...] | list[str],
    starts: bool,
    where: dict[str, Any],
    warnings: list[str] | None,
) -> None:
    """A part naming a street merged away by the catalog's date is refused where it starts a
    delegation (`where`: InputError's file, row, column); one naming a street by a former name
    is said in `warnings`, placed the same way."""
    for part in parts:
        refusal = day.merger_refusal(part, _same_name) if starts else None
        if refusal is not None:
            raise InputError(problem=f"「{part}」: {refusal}", **where)
        note = day.former_name_note(part, _same_name)
        if note is not None and warnings is not None:  # the file is named by who prints it
            place = [f"sheet 「{where['sheet']}」"] if where.get("sheet") else []
            place += [f"row {where['row']}"] if where.get("row") is not None else []
            place += [f"column 「{where['column']}」"] if where.get("column") else []
            warnings.append(f"{', '.join(place)}: {note}")


def _row_streets(
    plan: CatalogPlan,
    row: CatalogRow,
    day: StreetsOfDay,
    default: list[str],
    warnings: list[str] | None = None,
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
    starts = plan.meta.kind not in _NOTICES and row.action != "end"
    _check_named(day, row.streets, starts, {"file": plan.file, **where}, warnings)
    refs = day.refs
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
    days: StreetDates,
    outcome: CatalogOutcome,
    allow_mass_withdrawal: bool = False,
) -> None:
    wanted = _wanted(plan, plan.rows, departments, streets, known)
    if streets and not wanted:
        outcome.warnings.append("no row names an original department: no delegations created")
    # What the lists it replaces hold in force counts as its own: what it lists again goes on
    # (now also authorised by it), what it does not list ends on its date.
    in_force = w.active_delegations_of_series(plan.catalog.series)
    for series in _replaced_series(w, plan):
        in_force += w.active_delegations_of_series(series)
    existing = {(d["item"], d["street"], d["department"], d["mode"]): d["id"] for d in in_force}
    new = [
        _delegation_row(plan, key, wanted[key]["row"], days.of(key[1]))
        for key in wanted
        if key not in existing
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
    streets_of = {existing[key]: key[1] for key in existing}
    _end_on_their_days(w, plan, gone, streets_of, days)
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
    days: StreetDates,
    outcome: CatalogOutcome,
) -> None:
    pairs = [
        {"item": row.item.code, "street": street, "row": row.at.row}
        for row in rows
        for street in streets.get(row.at.row, [])
    ]
    ended: set[tuple[str, str]] = set()
    for on, group in days.grouped(pairs):
        active = w.active_delegations_of(group, on)
        w.end_delegations(plan.catalog.id, [d["id"] for d in active], on)
        outcome.ended += len(active)
        ended |= {(d["item"], d["street"]) for d in active}
    for pair in pairs:
        if (pair["item"], pair["street"]) not in ended:
            outcome.warnings.append(
                f"row {pair['row']}: no delegation of {pair['item']} to "
                f"{pair['street']} in force on {days.of(pair['street'])}"
            )


def _adjust(
    w: GraphWrites,
    plan: CatalogPlan,
    departments: dict[str, str],
    streets: dict[int, list[str]],
    known: list[dict[str, Any]],
    days: StreetDates,
    outcome: CatalogOutcome,
) -> None:
    """动态调整: 收回 rows end like a withdrawal; 新增 rows start, and nothing else ends."""
    _withdraw(w, plan, [row for row in plan.rows if row.action == "end"], streets, days, outcome)
    added = [row for row in plan.rows if row.action == "start"]
    wanted = _wanted(plan, added, departments, streets, known)
    _start_unless_in_force(w, plan, wanted, days, outcome)


def _start_unless_in_force(
    w: GraphWrites,
    plan: CatalogPlan,
    wanted: dict[tuple, dict[str, Any]],
    days: StreetDates,
    outcome: CatalogOutcome,
) -> None:
    """Start each wanted delegation on its street's day, unless the item is delegated to that
    street then already: never two in force (a change of department or mode is 收回 first)."""
    pairs = [{"item": key[0], "street": key[1], "row": v["row"]} for key, v in wanted.items()]
    active: dict[tuple[str, str], str] = {}
    for on, group in days.grouped(pairs):
        active |= {(d["item"], d["street"]): d["id"] for d in w.active_delegations_of(group, on)}
    new = []
    for key, value in wanted.items():
        on = days.of(key[1])
        if (key[0], key[1]) in active:
            where = f"row {value['row']}" if value["row"] is not None else value["why"]
            outcome.warnings.append(
                f"{where}: {key[0]} is already delegated to {key[1]} on {on} "
                f"({active[key[0], key[1]]}); not started again"
            )
        else:
            new.append(_delegation_row(plan, key, value["row"], on))
    w.start_delegations(plan.catalog.id, new)
    outcome.started += len(new)


# -- dates per street, and notices by department or domain ------------------------------------


@dataclass(frozen=True)
class StreetDates:
    """The day each street's delegations start or end: its own (承接确认书签订之日), else the
    catalog's effective date."""

    default: date
    own: dict[str, date] = field(default_factory=dict)

    def of(self, street: str) -> date:
        return self.own.get(street, self.default)

    def grouped(self, pairs: list[dict[str, Any]]) -> list[tuple[date, list[dict[str, Any]]]]:
        """Pairs ({item, street, …}) by their street's day, earliest first."""
        groups: dict[date, list[dict[str, Any]]] = {}
        for pair in pairs:
            groups.setdefault(self.of(pair["street"]), []).append(pair)
        return sorted(groups.items())


def _street_dates(
    plan: CatalogPlan,
    known: list[dict[str, Any]],
    rows: dict[int, list[str]],
    scopes: list[list[str]],
    warnings: list[str] | None = None,
) -> StreetDates:
    """`street_dates:` resolved to street codes. Each must be a street of the region the
    catalog reaches, on or after its effective date; with no `effective:` given, every street
    it reaches needs its own date."""
    dates = StreetDates(plan.catalog.effective)
    if not plan.street_days:
        return dates
    of_day = streets_of_day(known, plan.catalog.effective)
    spellings = {s.name: s.code for s in of_day.refs} | {s["code"]: s["code"] for s in known}
    names = {s["code"]: s["name"] for s in known}
    reached = {code for codes in [*rows.values(), *scopes] for code in codes}
    for day in plan.street_days:
        note = of_day.former_name_note(day.street, _same_name)
        if note is not None and warnings is not None:
            warnings.append(str(day.error(note)))
        match = _same_name(day.street, spellings)
        if match is None:
            close = get_close_matches(day.street, sorted(names.values()), n=3, cutoff=0.3)
            raise day.error(
                f"「{day.street}」 is not a street of region {plan.meta.region}"
                + (f"; closest: {', '.join(close)}" if close else "")
            )
        code = spellings[match]
        if code in dates.own:
            raise day.error(f"「{day.street}」 is given a date twice")
        if code not in reached:
            raise day.error(f"「{day.street}」 is given a date, but the catalog does not reach it")
        if day.on < plan.catalog.effective:
            raise day.error(
                f"{day.on} for 「{day.street}」 is before the catalog takes effect "
                f"({plan.catalog.effective})"
            )
        dates.own[code] = day.on
    undated = sorted(reached - set(dates.own)) if plan.every_street_dated else []
    if undated:
        raise InputError(
            problem=f"no date for {', '.join(names.get(c, c) for c in undated[:5])}"
            f"{' …' if len(undated) > 5 else ''}: with `street_dates:` and no `effective:`, "
            "every street the catalog reaches needs its own (承接确认书签订日期); give it, or an "
            "`effective:` for the streets without one",
            **plan.meta.where(plan.file, "street_dates"),
        )
    return dates


def _scope_streets(
    plan: CatalogPlan, known: list[dict[str, Any]], warnings: list[str] | None = None
) -> list[list[str]]:
    """Per `withdraw:` then `grant:` entry, its street codes: its own `streets:`, else the
    notice's, else every street of the region (that still exists on the notice's date, for a
    grant: loaders/street_names.py)."""
    day = streets_of_day(known, plan.catalog.effective)
    refs = day.refs
    found = []
    for section, scopes in (("withdraw", plan.meta.withdraw), ("grant", plan.meta.grant)):
        every = day.every if section == "grant" else [s["code"] for s in known]
        for index, scope in enumerate(scopes):
            where = plan.meta.where(plan.file, section, index, "streets")
            chosen = scope.streets
            if chosen is None:
                chosen = plan.meta.streets if isinstance(plan.meta.streets, list) else None
                where = plan.meta.where(plan.file, "streets")
            if not refs:
                raise InputError(
                    problem=f"no streets of region {plan.meta.region} are loaded; load its "
                    "organisation file first",
                    **where,
                )
            _check_named(day, chosen or [], section == "grant", where, warnings)
            try:
                found.append(receivers(chosen, refs, every, _same_name) if chosen else every)
            except ScopeError as exc:
                problem = f"{exc} (region {plan.meta.region})"
                raise InputError(
                    problem=problem + _closest_streets(problem, refs), **where
                ) from None
    return found


def _scope_department(
    plan: CatalogPlan, scope: Scope, known: list[dict[str, Any]], where: tuple
) -> str | None:
    """The department id a scope names (by name, alias or id), or an error naming it."""
    if scope.department is None:
        return None
    spellings = department_spellings(known)
    match = _match_name(scope.department, spellings)
    if match is None:
        close = get_close_matches(scope.department, list(spellings), n=3, cutoff=0.3)
        raise InputError(
            problem=f"department 「{scope.department}」 is not in the organisation data of "
            f"region {plan.meta.region}" + (f"; closest: {', '.join(close)}" if close else ""),
            **plan.meta.where(plan.file, *where, "department"),
        )
    return spellings[match]


def _and_merged(department: str | None, known: list[dict[str, Any]], day: date) -> set[str]:
    """The department and those merged into it by `day` (机构改革: their powers 划入 it): a
    notice naming the successor reaches the delegations and items of the merged ones."""
    found = {department} if department else set()
    while found:
        more = {
            d["id"]
            for d in known
            if d.get("merged") and d["merged"]["into"] in found and d["merged"]["valid_from"] <= day
        }
        if more <= found:
            break
        found |= more
    return found


def _same_domain(scope: Scope, domain: str | None) -> bool:
    return scope.domain is None or folded_name(domain or "") == folded_name(scope.domain)


def _withdraw_scopes(
    w: GraphWrites,
    plan: CatalogPlan,
    org: dict[str, list[dict]],
    scopes: list[list[str]],
    days: StreetDates,
    outcome: CatalogOutcome,
) -> None:
    """收回…赋权的全部事项: every delegation in force, on each street's day, to the scope's
    streets, from its department and/or of its domain. A scope that matches nothing in force
    is an error naming it: a notice that withdraws nothing is misread, not a no-op."""
    for index, scope in enumerate(plan.meta.withdraw):
        department = _scope_department(plan, scope, org["departments"], ("withdraw", index))
        reached = _and_merged(department, org["departments"], plan.catalog.effective)
        in_force = [
            d
            for d in w.delegations_in_force_to(scopes[index])
            if d["valid_from"] <= days.of(d["street"])
        ]
        chosen = [
            d
            for d in in_force
            if (department is None or d["department"] in reached)
            and _same_domain(scope, d["domain"])
        ]
        if not chosen:
            held = sorted({d["domain"] or "(无)" for d in in_force})
            raise InputError(
                problem=f"收回 {scope.describe()}: no delegation of it is in force in the "
                f"{len(scopes[index])} streets it names on {days.default}"
                + (f" (domains in force there: {', '.join(held)})" if held else ""),
                **plan.meta.where(plan.file, "withdraw", index),
            )
        streets_of = {d["id"]: d["street"] for d in chosen}
        outcome.ended += _end_on_their_days(w, plan, list(streets_of), streets_of, days)


def _grant_scopes(
    w: GraphWrites,
    plan: CatalogPlan,
    org: dict[str, list[dict]],
    scopes: list[list[str]],
    days: StreetDates,
    outcome: CatalogOutcome,
) -> None:
    """赋予…领域的事项: the items of a domain and/or department that the list named by
    `items_from:` holds in force on the notice's date, each from its original department."""
    if not plan.meta.grant:
        return
    listing = _list_in_force(w, plan)
    items = w.catalog_items(listing)
    modes = {s["code"]: s["mode"] for s in org["streets"]}
    offset = len(plan.meta.withdraw)
    wanted: dict[tuple, dict[str, Any]] = {}
    for index, scope in enumerate(plan.meta.grant):
        department = _scope_department(plan, scope, org["departments"], ("grant", index))
        reached = _and_merged(department, org["departments"], plan.catalog.effective)
        chosen = [
            item
            for item in items
            if _same_domain(scope, item["domain"])
            and (department is None or reached & set(item["departments"]))
        ]
        if not chosen:
            domains = sorted({i["domain"] or "(无)" for i in items})
            raise InputError(
                problem=f"赋权 {scope.describe()}: the list {listing} holds no such item"
                + (f" (its domains: {', '.join(domains)})" if domains else ""),
                **plan.meta.where(plan.file, "grant", index),
            )
        for item in chosen:
            held = [department] if department else item["departments"]
            if len(held) != 1:
                raise InputError(
                    problem=f"item {item['code']} of {listing} has "
                    f"{'no' if not held else len(held)} original departments; name one in "
                    "`department:`",
                    **plan.meta.where(plan.file, "grant", index),
                )
            for street in scopes[offset + index]:
                station = modes.get(street) == DelegationMode.STATION.value
                mode = DelegationMode.STATION.value if station else plan.meta.mode.value
                why = f"grant[{index}] ({scope.describe()})"
                wanted[(item["code"], street, held[0], mode)] = {"row": None, "why": why}
    _start_unless_in_force(w, plan, wanted, days, outcome)


def _list_in_force(w: GraphWrites, plan: CatalogPlan) -> str:
    """The id of the version of the `items_from:` list in force on the notice's date."""
    name = str(plan.meta.items_from)
    versions = w.catalogs_named([name])
    where = plan.meta.where(plan.file, "items_from")
    series = {v["series"] for v in versions}
    if len(series) > 1:
        raise InputError(
            problem=f"「{name}」 names {len(series)} lists ({', '.join(sorted(series))}); "
            "give its series",
            **where,
        )
    in_force = [v for v in versions if v["effective"] <= plan.catalog.effective]
    if not in_force:
        problem = (
            f"「{name}」 names no list loaded (by series, title or 文号)"
            if not versions
            else f"no version of 「{name}」 is in force on {plan.catalog.effective}"
        )
        raise InputError(problem=problem, **where)
    return max(in_force, key=lambda v: (v["effective"], v["id"]))["id"]


def _replaced_series(w: GraphWrites, plan: CatalogPlan) -> list[str]:
    """The series of the lists `replaces:` names (by series, title or 文号); each must name one
    loaded list of another series. Links the new list to each one's newest version."""
    if not plan.meta.replaces:
        return []
    versions = w.catalogs_named(list(plan.meta.replaces))
    found: list[str] = []
    newest: dict[str, str] = {}
    for index, name in enumerate(plan.meta.replaces):
        mine = [v for v in versions if v["name"] == name]
        series = sorted({v["series"] for v in mine})
        where = plan.meta.where(plan.file, "replaces", index)
        if len(series) != 1 or series[0] == plan.catalog.series:
            problem = (
                f"「{name}」 names no list loaded (by series, title or 文号)"
                if not series
                else f"「{name}」 names {len(series)} lists ({', '.join(series)}); give its series"
                if len(series) > 1
                else f"「{name}」 is this list's own series (a newer version ends the older)"
            )
            raise InputError(problem=problem, **where)
        found.append(series[0])
        before = [v for v in mine if v["effective"] <= plan.catalog.effective]
        if before:
            newest[series[0]] = max(before, key=lambda v: (v["effective"], v["id"]))["id"]
    w.link_replaced(plan.catalog.id, sorted(newest.values()))
    return found


def _end_on_their_days(
    w: GraphWrites,
    plan: CatalogPlan,
    ids: list[str],
    streets_of: dict[str, str],
    days: StreetDates,
) -> int:
    """End delegations, each on its street's day."""
    pairs = [{"id": i, "street": streets_of[i]} for i in ids]
    for on, group in days.grouped(pairs):
        w.end_delegations(plan.catalog.id, [p["id"] for p in group], on)
    return len(ids)
