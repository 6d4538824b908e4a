"""Loading files into the graph (加载): law texts, organisation data, catalogs, cases — in that order.

Every file is validated (`plan_load`), then the whole plan is rehearsed against the graph
(`loaders.rehearsal`), before anything is written; one error anywhere writes nothing. Then
each file is written in one managed transaction: it lands whole or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError

from authreg.driver import session as open_session
from authreg.errors import InputError
from loaders.catalog_meta import (
    CatalogMeta,
    attachment_of,
    is_notice_file,
    meta_path,
    read_meta,
    read_notice,
    street_days,
)
from loaders.catalogs import CatalogOutcome, CatalogPlan, unknown_names, write_catalog
from loaders.citations import document_key
from loaders.discretion import (
    DiscretionOutcome,
    DiscretionPlan,
    is_discretion_file,
    plan_discretion,
    write_discretion,
)
from loaders.duty_lists import DutyListPlan, is_duty_list, plan_duty_list, write_duty_list
from loaders.headers import HeaderMap
from loaders.law_texts import LawText, parse_law_text
from loaders.organisation import CasesFile, DataFile, OrganisationFile, read_data_file
from loaders.read import CSV_SUFFIXES, XLSX_SUFFIXES, read_tables
from loaders.records import CasesOutcome, write_cases, write_law, write_organisation
from loaders.report import LoadReport
from loaders.rows import CatalogRow, validate_table
from loaders.staffing import (
    StaffingFile,
    is_staffing_file,
    read_staffing_file,
    unknown_units,
    write_staffing,
)
from loaders.workers import fork_pool
from loaders.write import audit_entry, bumping, create_audit_entry, refresh_statistics
from schema.models import Catalog

LAW_SUFFIXES = frozenset({".md"})
DATA_SUFFIXES = frozenset({".yaml", ".yml"})
T = TypeVar("T")
STATISTICS_WAIT_S = 600  # index resampling after a load; a national graph takes seconds


@dataclass
class LoadPlan:
    """What a run will write, in order, after validation."""

    laws: list[LawText] = field(default_factory=list)
    organisations: list[tuple[Path, OrganisationFile]] = field(default_factory=list)
    catalogs: list[CatalogPlan] = field(default_factory=list)
    cases: list[tuple[Path, CasesFile]] = field(default_factory=list)
    duty_lists: list[DutyListPlan] = field(default_factory=list)  # after catalogs: names items
    discretion: list[DiscretionPlan] = field(default_factory=list)  # after the catalogs: links
    staffing: list[tuple[Path, StaffingFile]] = field(default_factory=list)  # 核定编制
    # Each file's SHA-256, taken when it was read and validated: the audit trail names the bytes
    # that were checked, not whatever the file holds by the time its transaction runs.
    checksums: dict[Path, str] = field(default_factory=dict)

    def files(self) -> list[Path]:
        """Every file of the plan, in the order `write_plan` writes them."""
        return [
            *(law.path for law in self.laws),
            *(path for path, _ in self.organisations),
            *(path for path, _ in self.staffing),
            *(catalog.file for catalog in self.catalogs),
            *(path for path, _ in self.cases),
            *(duty.file for duty in self.duty_lists),
            *(listed.file for listed in self.discretion),
        ]

    def manifest(self) -> dict[str, object]:
        """For an audit entry covering the whole plan (a bulk import): how many files, and one
        SHA-256 over each file's name and SHA-256 in write order (a changed byte changes it)."""
        files = self.files()
        lines = "".join(f"{path.name}\t{self.checksums[path]}\n" for path in files)
        return {
            "files": len(files),
            "manifest_sha256": hashlib.sha256(lines.encode()).hexdigest(),
        }


@dataclass(frozen=True)
class FileOutcome:
    """What loading one file did, and what it noticed on the way."""

    text: str
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        return self.text


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder means every loadable file under it (metadata files excluded)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and _loadable(p))
        else:
            found.append(path)
    return found


def plan_load(
    paths: Sequence[Path],
    report: LoadReport,
    *,
    need_metadata: bool,
    overrides: dict | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> LoadPlan:
    """Read and validate every file; problems go to the report, nothing touches the graph.

    With `workers` > 1 (and fork available), files are read and validated in that many forked
    processes: each file on its own, as it is here, merged back in file order — the same plan
    and the same problems in the same order as in one process (tests compare them). After each
    file, `progress(files done, files in all)`: called first only once the workers have forked
    (a caller may start a progress display's thread then, not before)."""
    plan = LoadPlan()
    files = _without_attachments(expand(paths))
    planned = _each_planned(files, need_metadata, overrides or {}, workers)
    for done, (part, problems) in enumerate(planned, start=1):
        report.counts["files"] += 1
        plan.laws += part.laws
        plan.organisations += part.organisations
        plan.catalogs += part.catalogs
        plan.cases += part.cases
        plan.duty_lists += part.duty_lists
        plan.discretion += part.discretion
        plan.staffing += part.staffing
        plan.checksums |= part.checksums
        report.problems += problems.problems
        report.counts.update(problems.counts)
        if progress:
            progress(done, len(files))
    plan.catalogs.sort(key=lambda c: (c.catalog.effective, c.catalog.id))
    _check_organisation_names(plan, report)
    for path, staffing in plan.staffing:
        for refused in unknown_units(path, staffing, [org for _, org in plan.organisations]):
            report.input_error(refused)
    return plan


def _without_attachments(files: list[Path]) -> list[Path]:
    """A notice's attachment (附件1.xlsx) and a table of street dates (承接确认书签订日期.csv) are
    read with the catalog that names them, never on their own: a folder holding both loads the
    catalog once."""
    attached = set()
    for path in files:
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in DATA_SUFFIXES and is_notice_file(path):
            metadata: Path | None = path
        elif suffix in CSV_SUFFIXES | XLSX_SUFFIXES:
            metadata = meta_path(path)
        else:
            continue
        try:
            attached |= (
                {found.resolve() for found in attachment_of(metadata)} if metadata else set()
            )
        except InputError:
            continue  # the catalog's own planning reports it
    return [path for path in files if path.resolve() not in attached]


def _each_planned(
    files: list[Path], need_metadata: bool, overrides: dict, workers: int
) -> Iterator[tuple[LoadPlan, LoadReport]]:
    """Each file's plan and problems, in file order."""
    plan_one = partial(_plan_one, need_metadata=need_metadata, overrides=overrides)
    pool = fork_pool(workers, len(files))
    if pool is None:
        yield from map(plan_one, files)
        return
    chunk = max(1, min(16, len(files) // (workers * 4)))
    with pool:
        yield from pool.map(plan_one, files, chunksize=chunk)


def _plan_one(path: Path, *, need_metadata: bool, overrides: dict) -> tuple[LoadPlan, LoadReport]:
    plan, report = LoadPlan(), LoadReport()
    try:
        _plan_file(path, plan, report, need_metadata, overrides)
    except InputError as exc:
        report.input_error(exc)
        return plan, report
    if plan.catalogs:  # its checksum was taken from the bytes it was read from
        plan.checksums[path] = plan.catalogs[0].catalog.checksum
    elif (
        plan.laws
        or plan.organisations
        or plan.cases
        or plan.duty_lists
        or plan.discretion
        or plan.staffing
    ):
        plan.checksums[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return plan, report


@dataclass(frozen=True)
class LoadAudit:
    """Who runs a load, for the audit entry each file's transaction then writes (审计记录):
    `authreg load` gives the operating-system user and source "cli"."""

    actor: str
    source: str = "cli"


# The audit trail's action for each kind of file (loadCatalog is also what an upload records).
LOAD_ACTIONS = {
    "law": "loadLawText",
    "organisation": "loadOrganisation",
    "catalog": "loadCatalog",
    "cases": "loadCases",
    "duty_list": "loadDutyList",
    "discretion": "loadDiscretionList",  # 裁量基准 / 不予处罚清单 (loaders/discretion.py)
    "staffing": "loadStaffing",
    "import": "importGraph",  # `authreg db import`: one entry for the whole bulk first load
}


def write_plan(
    driver: Driver,
    database: str,
    plan: LoadPlan,
    progress: Callable[[str, int], None] | None = None,
    audit: LoadAudit | None = None,
    allow_mass_withdrawal: bool = False,
) -> list[tuple[str, FileOutcome]]:
    """Write each file in its own transaction; the first failure stops the run. After each
    file commits, `progress(file name, its catalog rows)` (0 for a file that is no catalog).
    With `audit`, each file's transaction also writes one AuditEntry: who, which file (its
    SHA-256), what it wrote — so the entry exists exactly when the file's write committed.

    Whatever writing refuses is found before by `loaders.rehearsal.rehearse`, which `authreg
    load` runs first; a refusal here (someone else wrote in between) stops at that file."""
    outcomes: list[tuple[str, FileOutcome]] = []

    def done(name: str, outcome: FileOutcome, rows: int = 0) -> None:
        outcomes.append((name, outcome))
        if progress:
            progress(name, rows)

    def run(kind: str, path: Path, target: str | None, work: Callable[..., T], *args: object) -> T:
        audited = _audited(work, audit, kind, path, target, plan.checksums[path])
        return session.execute_write(bumping(audited), *args)

    with open_session(driver, database) as session:
        for law in plan.laws:
            count = run("law", law.path, document_key(law.title), write_law, law)
            done(law.path.name, FileOutcome(f"{len(law.articles)} articles, {count} written"))
        for path, org in plan.organisations:
            count = run("organisation", path, org.region.code, write_organisation, org, path.name)
            done(path.name, FileOutcome(f"organisation of {org.region.name}, {count} written"))
        for path, staffing in plan.staffing:  # units exist by now; catalogs do not need them
            count = run("staffing", path, staffing.region, write_staffing, staffing, path.name)
            done(path.name, FileOutcome(f"establishment of {staffing.region}, {count} rows"))
        for catalog in plan.catalogs:
            result = run(
                "catalog",
                catalog.file,
                catalog.catalog.id,
                write_catalog,
                catalog,
                allow_mass_withdrawal,
            )
            outcome = FileOutcome(result.describe(), tuple(result.warnings))
            done(catalog.file.name, outcome, len(catalog.rows))
        for path, cases in plan.cases:
            written = run("cases", path, None, write_cases, cases, path.name)
            text = f"{len(cases.cases)} cases, {written.written} written"
            done(path.name, FileOutcome(text, written.warnings))
        for duty in plan.duty_lists:
            count = run("duty_list", duty.file, duty.duty_list.id, write_duty_list, duty)
            done(duty.file.name, FileOutcome(f"duty list of {duty.region}, {count} matters"))
        for listed in plan.discretion:
            result = run("discretion", listed.file, listed.node.id, write_discretion, listed)
            done(listed.file.name, FileOutcome(result.describe(), tuple(result.warnings)))
    return outcomes


def _audited(
    work: Callable[..., T],
    audit: LoadAudit | None,
    kind: str,
    path: Path,
    target: str | None,
    checksum: str,
) -> Callable[..., T]:
    """`work`, then (with `audit`) its audit entry, in the same transaction. The file's SHA-256
    is the one the plan took when reading it (`LoadPlan.checksums`)."""
    if audit is None:
        return work

    def work_then_record(tx: ManagedTransaction, *args: object) -> T:
        result = work(tx, *args)
        detail = {"file": path.name, **_described(result)}
        source = f"{audit.source}:{path.name} sha256:{checksum}"
        entry = audit_entry(audit.actor, None, LOAD_ACTIONS[kind], source, target, detail)
        create_audit_entry(tx, entry)
        return result

    work_then_record.__name__ = getattr(work, "__name__", "work")
    return work_then_record


def _described(result: object) -> dict[str, object]:
    if isinstance(result, CatalogOutcome | CasesOutcome | DiscretionOutcome):
        return result.detail()
    return {"written": result}


def refresh_query_plans(
    driver: Driver, database: str, seconds: int = STATISTICS_WAIT_S
) -> str | None:
    """After a run of loads: the server's index statistics resampled and its cached plans
    dropped, so every query is planned for the graph as loaded (loaders.write.refresh_statistics).
    `authreg load` and `authreg db import` end with it; a single upload does not (statistics
    drift little, and dropping every plan would cost each query one planning).

    Returns None, or why it could not be done — the load itself has committed by then, so this
    is a warning, not a failure: the procedure may be refused to a user without admin rights on
    a server, or outlast `seconds`; the background sampling then catches up by itself, later.
    """
    try:
        with open_session(driver, database) as session:
            refresh_statistics(session, seconds)
    except Neo4jError as exc:
        return (
            f"index statistics were not resampled ({exc.code}: {exc.message}); queries may be "
            "planned from older statistics until the server's background sampling catches up"
        )
    return None


def _plan_file(
    path: Path, plan: LoadPlan, report: LoadReport, need_metadata: bool, overrides: dict
) -> None:
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in LAW_SUFFIXES:
        plan.laws.append(parse_law_text(path))
    elif suffix in DATA_SUFFIXES and is_notice_file(path):
        planned = plan_notice(path, report, need_metadata=need_metadata, overrides=overrides)
        if planned is not None:
            plan.catalogs.append(planned)
    elif suffix in DATA_SUFFIXES and is_staffing_file(path):
        plan.staffing.append((path, read_staffing_file(path)))
    elif suffix in DATA_SUFFIXES:
        data = read_data_file(path)
        if isinstance(data, OrganisationFile):
            for said in data.former_name_warnings:  # 更名: a former name read as its street
                report.warning(path, said.message, row=said.row, column=said.column)
        _plan_data_file(path, data, plan)
    elif suffix in CSV_SUFFIXES | XLSX_SUFFIXES and is_duty_list(path):
        if (duty := plan_duty_list(path, report)) is not None:
            plan.duty_lists.append(duty)
    elif suffix in CSV_SUFFIXES | XLSX_SUFFIXES and is_discretion_file(path):
        listed = plan_discretion(path, report, overrides)
        plan.discretion += [listed] if listed else []
    elif suffix in CSV_SUFFIXES | XLSX_SUFFIXES:
        planned = plan_catalog(path, report, need_metadata=need_metadata, overrides=overrides)
        if planned is not None:
            plan.catalogs.append(planned)
    else:
        raise InputError(path, f"unknown kind of file {suffix!r}: expected .csv, .xlsx, .md, .yaml")


def _plan_data_file(path: Path, data: DataFile, plan: LoadPlan) -> None:
    if isinstance(data, OrganisationFile):
        plan.organisations.append((path, data))
    else:
        plan.cases.append((path, data))


def plan_catalog(
    path: Path, report: LoadReport, *, need_metadata: bool, overrides: dict
) -> CatalogPlan | None:
    return _planned(path, path, read_meta(path, **overrides), report, need_metadata)


def plan_notice(
    path: Path, report: LoadReport, *, need_metadata: bool, overrides: dict
) -> CatalogPlan | None:
    """A notice published as a document (通知.yaml), its items in the attachment it names (or
    none: a notice withdrawing or granting by department or domain). The notice is the catalog:
    it authorises or ends every change; the attachment's rows are its rows, named by their file."""
    meta = read_notice(path, **overrides)
    return _planned(path, meta.attachment, meta, report, need_metadata)


def _planned(
    path: Path, table_file: Path | None, meta: CatalogMeta, report: LoadReport, need_metadata: bool
) -> CatalogPlan | None:
    days = street_days(meta, path)
    every_street_dated = bool(days) and meta.effective is None
    if every_street_dated:  # 自签订承接确认书之日起施行: from the first signature on
        meta = meta.model_copy(update={"effective": min(day.on for day in days)})
        meta._file = meta_file_of(path, table_file)
    if need_metadata and meta.effective is None:
        where = "the notice" if table_file != path else f"{path.stem}.meta.yaml beside it"
        raise InputError(
            path,
            f"no effective date: put `effective: YYYY-MM-DD` in {where}, or pass --effective",
        )
    headers = HeaderMap.load(meta.header_map)
    errors_before = len(report.errors)
    rows: list[CatalogRow] = []
    for table in read_tables(table_file, header_map=headers) if table_file else []:
        rows += validate_table(table, meta, headers, report)
    if len(report.errors) > errors_before:
        return None
    if meta.streets == "column" and not any(row.streets for row in rows):
        report.error(path, "metadata says `streets: column`, but no row names a street")
        return None
    if table_file is None and not (meta.withdraw or meta.grant):
        report.error(
            path,
            "the notice names no items: give `attachment:` (its 附件 beside it), or what it "
            "withdraws or grants by department or domain (`withdraw:` / `grant:`)",
            row=1,
        )
        return None
    files = [path] if table_file in (None, path) else [path, table_file]
    return CatalogPlan(
        file=path,
        meta=meta,
        catalog=_catalog_node(path, meta, files),
        rows=rows,
        street_days=days,
        every_street_dated=every_street_dated,
    )


def meta_file_of(path: Path, table_file: Path | None) -> Path | None:
    """The YAML file a catalog's metadata came from (a notice is its own)."""
    return path if table_file != path else meta_path(path)


def _catalog_node(path: Path, meta: CatalogMeta, files: list[Path] | None = None) -> Catalog:
    return Catalog(
        id=meta.catalog_id(path),
        series=meta.series_of(path),
        title=meta.title or path.stem,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        kind=meta.kind,
        effective=meta.effective or date.min,  # only `--check` plans lack a date; never written
        published=meta.published,
        source_file=path.name,
        checksum=_checksum(files or [path]),
    )


def _checksum(files: list[Path]) -> str:
    """The file's SHA-256; a notice's covers the notice and its attachment (either changed is
    another notice)."""
    if len(files) == 1:
        return hashlib.sha256(files[0].read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in files:
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _check_organisation_names(plan: LoadPlan, report: LoadReport) -> None:
    """Departments and streets a catalog names must exist in organisation data given alongside.

    As the load does it: a catalog's names are checked against its own region's organisation;
    a catalog without a region stands alone (its departments become its own), which is said.
    """
    for catalog in plan.catalogs:
        region = catalog.meta.region
        if region is None:
            if plan.organisations:
                report.warning(
                    catalog.file,
                    "no region (地区) in its metadata: it will load standing alone, its "
                    "departments created as its own; give `region` (or --region) to check and "
                    "load them against the organisation data",
                )
            continue
        orgs = [org for _, org in plan.organisations if org.region.code == region]
        for problem in unknown_names(catalog, orgs):
            report.error(
                catalog.file,
                problem.message,
                row=problem.row,
                column=problem.column,
                value=problem.value,
                suggestion=problem.suggestion,
            )


def _loadable(path: Path) -> bool:
    name = path.name.lower()
    if (
        name.endswith(".meta.yaml")
        or name.startswith(".")
        or name in {"readme.md", "provenance.md"}
    ):
        return False
    return path.suffix.lower() in LAW_SUFFIXES | DATA_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES
