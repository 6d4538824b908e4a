"""Organisation, case and law-text records into graph rows (机构、案件、法律文本入图), then written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from neo4j import ManagedTransaction

from authreg.errors import InputError
from loaders.citations import document_key, normalise_title
from loaders.graph_writes import CypherWrites, GraphWrites
from loaders.law_texts import LawText, Version
from loaders.org_history import department_fact_rows, fact_rows, member_period, unit_parents
from loaders.organisation import CaseIn, CasesFile, OrganisationFile
from loaders.street_names import departments_of_day, streets_of_day
from queries.working_days import china_today
from schema.enums import DisputeStatus, DocumentStatus, ItemType
from schema.models import Provision


def build_law(w: GraphWrites, law: LawText) -> int:
    """A law's text: the document (rank, issuer, version date) and one provision per article,
    paragraph and item, so a citation at any depth finds its text; then its versions.

    The document's own provisions (行政处罚法#20, what catalogs cite) hold the newest loaded
    version's text: an older version's file does not overwrite them (loaders.write). Every
    version's text is also kept on its own provisions (行政处罚法@2017-09-01#18)."""
    title, _version = normalise_title(law.title)
    doc_id = document_key(title)
    own = law.version.date if law.version else None
    document = {
        "id": doc_id,
        "title": title,
        "rank": law.rank.value,
        "issuer": law.issuer,
        "version_date": law.version_date or law.path_date,
        "current_version_date": own,
        "text_loaded": True,
        "text_excerpt": law.excerpt,  # only some articles: others are not missing from the law
        "last_article": law.last_article,
        "source_file": law.path.name,
    }
    written = w.write_law_text(document, _provisions(doc_id, law, own))
    if law.version is None:
        return written
    version_id = law_version_id(doc_id, law.version.date)
    versions = [_version_row(doc_id, v, law) for v in law.versions]
    links = [
        {
            "new": law_version_id(doc_id, new.date),
            "old": law_version_id(doc_id, old.date),
            "type": "REPLACES" if new.kind == "修订" else "AMENDS",
        }
        for old, new in zip(law.versions, law.versions[1:], strict=False)
    ]
    provisions = _provisions(version_id, law, own)
    return written + w.write_law_versions(doc_id, version_id, versions, links, provisions)


def law_version_id(document_id: str, version_date: date) -> str:
    """A version's key: the law's id and the day it was passed (行政处罚法@2017-09-01)."""
    return f"{document_id}@{version_date.isoformat()}"


def _version_row(doc_id: str, version: Version, law: LawText) -> dict[str, Any]:
    own = law.version is not None and version.date == law.version.date
    props: dict[str, Any] = {
        "id": law_version_id(doc_id, version.date),
        "document_id": doc_id,
        "version_date": version.date,
        "kind": version.kind,
        "note": version.note,
        "effective_from": version.effective_from or version.date,
        "effective_known": version.effective_from is not None,
    }
    if own:
        props |= {
            "text_loaded": True,
            "text_excerpt": law.excerpt,
            "last_article": law.last_article,
            "source_file": law.path.name,
        }
        if law.previous_articles:
            props["previous_articles"] = [f"{a}:{b}" for a, b in law.previous_articles.items()]
            props["previous_articles_source"] = law.previous_articles_source
    return {"id": props["id"], "props": props, "own": own}


def _provisions(doc_id: str, law: LawText, version: date | None) -> list[dict[str, Any]]:
    provisions = []
    for article in law.articles:
        provisions.append(_provision(doc_id, article.number, None, None, article.text, law))
        for paragraph in article.paragraphs:
            provisions.append(
                _provision(doc_id, article.number, paragraph.number, None, paragraph.text, law)
            )
            for item in paragraph.items:
                provisions.append(
                    _provision(
                        doc_id, article.number, paragraph.number, item.number, item.text, law
                    )
                )
    return [{**p, "version_date": version} for p in provisions]


def build_organisation(w: GraphWrites, org: OrganisationFile, file: str) -> int:
    source = {"source_file": file}
    region = org.region
    parent = region.parent.model_dump(exclude={"parent"}) if region.parent else None
    w.write_region({**region.model_dump(exclude={"parent"}), **source}, parent)
    # The city's own parent (the province), so a province's counties are found from it.
    above = region.parent
    while above is not None and above.parent is not None:
        w.write_region(
            above.model_dump(exclude={"parent"}), above.parent.model_dump(exclude={"parent"})
        )
        above = above.parent
    count = _write_documents(w, org, file)
    facts = fact_rows(org.streets, partial(_policy_document_id, org), file)
    department_facts = department_fact_rows(
        org.departments, partial(_policy_document_id, org), file
    )
    nodes = {
        "Department": [
            {**d.model_dump(exclude={"names", "merged_into"}), "level": "county", **source}
            for d in org.departments
        ],
        "DepartmentFact": [row["props"] for row in department_facts],
        "Street": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind.value,
                "delegation_mode": s.mode.value if s.mode else None,
                **source,
            }
            for s in org.streets
        ],
        "StreetFact": [row["props"] for row in facts],
        "Zone": [
            {**z.model_dump(exclude={"streets", "coordinated_by"}), **source} for z in org.zones
        ],
        "Unit": [{**u.model_dump(exclude={"part_of"}), **source} for u in org.units],
        "Category": [{"id": c.id, "name": c.name, **source} for c in org.categories],
        "Officer": [{**o.model_dump(exclude={"unit", "postings"}), **source} for o in org.officers],
        "Policy": [
            {
                **p.model_dump(exclude={"source", "applies_to", "quote"}),
                "source_document": _document_title(org, p.source),
                "source_quote": p.quote,
                **source,
            }
            for p in org.policies
        ],
    }
    keys = {"Street": "code"}
    for label, rows in nodes.items():
        count += w.write_org_nodes(label, keys.get(label, "id"), rows, region.code)
    links = _org_links(org, file) + _history_links(org, facts, file)
    links += _department_history_links(org, department_facts, file)
    return count + w.write_org_links(links)


@dataclass(frozen=True)
class CasesOutcome:
    """What writing a cases file did: how much it wrote, and the warnings a person should read
    (a case about an item no loaded catalog lists, 事项未列入任何目录)."""

    written: int
    warnings: tuple[str, ...] = ()

    def detail(self) -> dict[str, Any]:
        return {"written": self.written, "cases_about_unlisted_items": len(self.warnings)}


def build_cases(w: GraphWrites, data: CasesFile, file: str) -> CasesOutcome:
    """Cases, transfers and disputes; item, street and body references resolved in the graph.

    A case about an item no loaded catalog lists is kept (cases happen whatever the catalogs
    say): its item is recorded as an EnforcementItem of its own, listed by no catalog, and the
    load warns with the file, the line and the item. A later catalog listing that code makes it
    an ordinary listed item; answers tell the two apart by whether any catalog LISTS it."""
    refs, unlisted, warnings = _case_references(w, data, file)
    source = {"source_file": file}
    cases = [
        {
            **c.model_dump(
                exclude={
                    "item",
                    "item_name",
                    "item_type",
                    "occurred_in",
                    "handled_by",
                    "officers",
                    "transfers",
                }
            ),
            **source,
        }
        for c in data.cases
    ]
    transfers = [
        {**t.model_dump(exclude={"sender", "receiver"}), **source}
        for c in data.cases
        for t in c.transfers
    ]
    disputes = [
        {
            **d.model_dump(exclude={"case", "claimants", "resolved_by"}),
            "status": DisputeStatus.OPEN.value,
            **source,
        }
        for d in data.disputes
    ]
    count = w.write_case_nodes("EnforcementItem", unlisted)
    count += w.write_case_nodes("Case", cases)
    count += w.write_case_nodes("Transfer", transfers)
    count += w.write_case_nodes("Dispute", disputes)
    count += w.write_org_links(_case_links(data, refs))
    matters = _build_matters(w, data, file)
    return CasesOutcome(count + matters.written, (*warnings, *matters.warnings))


def _build_matters(w: GraphWrites, data: CasesFile, file: str) -> CasesOutcome:
    """Matters (首问登记): written as cases, then who received them, when and how, and the reply."""
    if not data.matters:
        return CasesOutcome(0)
    plain = [
        CaseIn.model_construct(**{k: getattr(m, k) for k in CaseIn.model_fields})
        for m in data.matters
    ]
    cases = build_cases(
        w, CasesFile.model_construct(kind="cases", cases=plain, disputes=[], matters=[]), file
    )
    names = sorted(
        {m.received_by for m in data.matters} | {m.replied_by for m in data.matters if m.replied_by}
    )
    streets, departments = w.find_ids("Street", names), w.find_ids("Department", names)
    for name in sorted(set(names) - streets.keys() - departments.keys()):
        raise InputError(
            file, f"{name!r} is neither a loaded street nor a department", column="matters"
        )

    def body(name: str) -> tuple[str, str]:
        return ("Street", streets[name]) if name in streets else ("Department", departments[name])

    props = [
        {"id": m.id, "received_at": m.received_at, "channel": m.channel, "urgent": m.urgent,
         "replied_at": m.replied_at, "source_file": file}
        for m in data.matters
    ]  # fmt: skip
    links = [_rel("RECEIVED_BY", "Case", m.id, *body(m.received_by)) for m in data.matters]
    links += [
        _rel("REPLIED_BY", "Case", m.id, *body(m.replied_by)) for m in data.matters if m.replied_by
    ]
    written = w.write_case_nodes("Case", props) + w.write_org_links(links)
    return CasesOutcome(cases.written + written, cases.warnings)


def write_law(tx: ManagedTransaction, law: LawText) -> int:
    """`build_law` in the caller's write transaction."""
    return build_law(CypherWrites(tx), law)


def write_organisation(tx: ManagedTransaction, org: OrganisationFile, file: str) -> int:
    """`build_organisation` in the caller's write transaction."""
    return build_organisation(CypherWrites(tx), org, file)


def write_cases(tx: ManagedTransaction, data: CasesFile, file: str) -> CasesOutcome:
    """`build_cases` in the caller's write transaction."""
    return build_cases(CypherWrites(tx), data, file)


# -- helpers ----------------------------------------------------------------------------------


def _provision(
    doc: str, article: int, paragraph: int | None, item: int | None, text: str, law: LawText
) -> dict[str, Any]:
    return {
        "id": Provision.make_id(doc, article, paragraph, item),
        "document_id": doc,
        "article": article,
        "paragraph": paragraph,
        "item": item,
        "text": text,
        "source_file": law.path.name,
    }


def _write_documents(w: GraphWrites, org: OrganisationFile, file: str) -> int:
    rows = []
    for doc in org.documents:
        props = {
            k: v for k, v in doc.model_dump(exclude={"id", "repealed_by"}).items() if v is not None
        }
        props["status"] = (doc.status or DocumentStatus.IN_FORCE).value
        props["source_file"] = file
        repealed_by = None
        if doc.repealed_by:
            repealed_by = {"id": document_key(doc.repealed_by), "title": doc.repealed_by}
        rows.append(
            {
                "id": _document_id(doc.id, doc.title),
                "title": doc.title,
                "rank": doc.rank.value,
                "props": props,
                "repealedBy": repealed_by,
            }
        )
    return w.document_replacements(rows)


def _document_id(given: str | None, title: str) -> str:
    return given or document_key(title)


def _document_title(org: OrganisationFile, ref: str) -> str:
    for doc in org.documents:
        if ref in {doc.id, doc.title, _document_id(doc.id, doc.title)}:
            return doc.doc_number or doc.title
    return ref


def _org_links(org: OrganisationFile, file: str) -> list[dict[str, Any]]:
    streets = {s.name: s.code for s in org.streets} | {s.code: s.code for s in org.streets}
    zones = {z.id for z in org.zones}
    departments = {d.id for d in org.departments}
    units = {u.id for u in org.units}

    def street(name: str, where: str) -> str:
        if name not in streets:
            raise InputError(file, f"unknown street {name!r}", column=where)
        return streets[name]

    links: list[dict[str, Any]] = []
    for unit in org.units:
        for parent, period in unit_parents(unit):  # 机构调整: one dated PART_OF per period
            end = "Department" if parent in departments else "Unit" if parent in units else "Street"
            target = street(parent, f"units.{unit.id}.part_of") if end == "Street" else parent
            if period.get("basis"):
                period = {**period, "basis": _policy_document_id(org, period["basis"])}
            props = {**period, "source_file": file} if period else None
            links.append(_rel("PART_OF", "Unit", unit.id, end, target, props))
    for zone in org.zones:
        for member in zone.streets:
            name, period = member_period(zone, member)
            code = street(name, f"zones.{zone.id}.streets")
            links.append(_rel("IN_ZONE", "Street", code, "Zone", zone.id, period))
        if zone.coordinated_by:
            links.append(_rel("COORDINATED_BY", "Zone", zone.id, "Unit", zone.coordinated_by))
    for category in org.categories:
        links.append(_rel("LED_BY", "Category", category.id, "Department", category.led_by))
    for officer in org.officers:
        links.append(_rel("MEMBER_OF", "Officer", officer.id, "Unit", officer.unit))
        for post in officer.postings:
            end = "Zone" if post.to in zones else "Street"
            target = post.to if end == "Zone" else street(post.to, f"officers.{officer.id}")
            props = post.model_dump(exclude={"to"}) | {"source_file": file}
            links.append(_rel("POSTED_TO", "Officer", officer.id, end, target, props))
    for policy in org.policies:
        scope = policy.applies_to or org.region.code
        end = "Region" if scope == org.region.code else "Zone" if scope in zones else "Street"
        target = street(scope, f"policies.{policy.id}") if end == "Street" else scope
        links.append(_rel("APPLIES_TO", "Policy", policy.id, end, target))
        links.append(
            _rel(
                "DEFINED_IN",
                "Policy",
                policy.id,
                "LegalDocument",
                _policy_document_id(org, policy.source),
            )
        )
    return links


def _history_links(
    org: OrganisationFile, facts: list[dict[str, Any]], file: str
) -> list[dict[str, Any]]:
    """A street to its dated facts, each fact to its notice, a merged street to its successor."""
    codes = {s.name: s.code for s in org.streets} | {s.code: s.code for s in org.streets}
    links = []
    for fact in facts:
        links.append(_rel("HAS_FACT", "Street", fact["street"], "StreetFact", fact["props"]["id"]))
        if fact["basis"]:
            links.append(
                _rel(
                    "DEFINED_IN", "StreetFact", fact["props"]["id"], "LegalDocument", fact["basis"]
                )
            )
    for s in org.streets:
        if s.merged_into is not None:
            basis = _policy_document_id(org, s.merged_into.basis) if s.merged_into.basis else None
            props = {"valid_from": s.merged_into.valid_from, "basis": basis, "source_file": file}
            target = codes[s.merged_into.street]
            links.append(_rel("MERGED_INTO", "Street", s.code, "Street", target, props))
    return links


def _department_history_links(
    org: OrganisationFile, facts: list[dict[str, Any]], file: str
) -> list[dict[str, Any]]:
    """A department to its dated names, each name to its notice, a department merged in a
    机构改革 to its successor (MERGED_INTO {valid_from, basis}), as for streets."""
    ids = {d.name: d.id for d in org.departments} | {d.id: d.id for d in org.departments}
    links = []
    for fact in facts:
        key = fact["props"]["id"]
        links.append(_rel("HAS_FACT", "Department", fact["department"], "DepartmentFact", key))
        if fact["basis"]:
            links.append(_rel("DEFINED_IN", "DepartmentFact", key, "LegalDocument", fact["basis"]))
    for d in org.departments:
        if d.merged_into is not None:
            merger = d.merged_into
            basis = _policy_document_id(org, merger.basis) if merger.basis else None
            props = {"valid_from": merger.valid_from, "basis": basis, "source_file": file}
            target = ids[merger.department]
            links.append(_rel("MERGED_INTO", "Department", d.id, "Department", target, props))
    return links


def _policy_document_id(org: OrganisationFile, ref: str) -> str:
    for doc in org.documents:
        if ref in {doc.id, doc.title}:
            return _document_id(doc.id, doc.title)
    return ref


def _case_references(
    w: GraphWrites, data: CasesFile, file: str
) -> tuple[dict[str, dict], list[dict[str, Any]], list[str]]:
    """Each named item, street and body resolved to its key; items no catalog lists become
    unlisted items (their node rows, and the load's warnings)."""
    items = {c.item for c in data.cases}
    bodies = {c.occurred_in for c in data.cases} | {
        c.handled_by for c in data.cases if c.handled_by
    }
    bodies |= {t.sender for c in data.cases for t in c.transfers}
    bodies |= {t.receiver for c in data.cases for t in c.transfers}
    bodies |= {cl.body for d in data.disputes for cl in d.claimants}
    bodies |= {d.resolved_by for d in data.disputes if d.resolved_by}
    refs = {
        "item": w.find_ids("ListedEnforcementItem", sorted(items)),
        "street": w.find_ids("Street", sorted(bodies)),
        "department": w.find_ids("Department", sorted(bodies)),
    }
    unlisted, warnings = _unlisted_items(data, set(refs["item"]), file)
    warnings += _former_name_warnings(w, data, refs["street"])
    warnings += _department_name_warnings(w, data, refs["department"], set(refs["street"]))
    refs["item"] |= {words: row["code"] for words, row in unlisted.items()}
    for name in sorted(bodies - refs["street"].keys() - refs["department"].keys()):
        raise InputError(
            file, f"{name!r} is neither a loaded street nor a department", column="cases"
        )
    return refs, list(unlisted.values()), warnings


def _former_name_warnings(w: GraphWrites, data: CasesFile, streets: dict[str, str]) -> list[str]:
    """One warning per case field that names its street by a former name (更名), with the
    rename notice: the case is kept on that street (loaders/street_names.py)."""
    known = w.streets_of_codes(sorted(set(streets.values()))) if streets else []
    warnings = []
    for index, case in enumerate(data.cases):
        day = case.occurred_on or (case.filed_at.date() if case.filed_at else china_today())
        of_day = streets_of_day(known, day)
        for column in ("occurred_in", "handled_by"):
            words = getattr(case, column)
            note = of_day.former_name_note(words) if words in streets else None
            if note is None:
                continue
            line = data.line_of_case(index, column)
            at = f"line {line}, " if line else f"cases[{index}], "
            warnings.append(f"{at}column cases.{column}: case {case.id}: {note}")
    return warnings


def _department_name_warnings(
    w: GraphWrites, data: CasesFile, departments: dict[str, str], streets: set[str]
) -> list[str]:
    """One warning per case field that names its department by a name it had (机构改革: 更名),
    or names one merged into another by the case's day (划入), with the notice: the case is
    kept on that department (loaders/street_names.py)."""
    known = w.departments_of_ids(sorted(set(departments.values()))) if departments else []
    if not any(d["names"] or d["merged"] for d in known):
        return []
    warnings = []
    for index, case in enumerate(data.cases):
        day = case.occurred_on or (case.filed_at.date() if case.filed_at else china_today())
        of_day = departments_of_day(known, day)
        words = case.handled_by
        if words is None or words in streets or words not in departments:
            continue
        note = of_day.note(words, words, departments[words])
        if note is None:
            continue
        line = data.line_of_case(index, "handled_by")
        at = f"line {line}, " if line else f"cases[{index}], "
        warnings.append(f"{at}column cases.handled_by: case {case.id}: {note}")
    return warnings


def unlisted_item(
    code: str, name: str, item_type: ItemType | None, source_file: str | None
) -> dict[str, Any]:
    """The node row of an item a case names and no catalog lists (a cases file's or the API's)."""
    return {
        "code": code,
        "name": name,
        "type": (item_type or ItemType.PENALTY).value,
        "recorded_from": "case",  # not from a catalog: no catalog LISTS it
        "source_file": source_file,
    }


def _unlisted_items(
    data: CasesFile, known: set[str], file: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The items the graph does not hold (item words → node row), and one warning per case
    about one, naming the file, the line, the case and the item."""
    rows: dict[str, dict[str, Any]] = {}
    warnings = []
    for index, case in enumerate(data.cases):
        if case.item in known:
            continue
        name = case.item_name or case.item
        rows.setdefault(case.item, unlisted_item(case.item, name, case.item_type, file))
        line = data.line_of_case(index, "item")
        at = f"line {line}, " if line else f"cases[{index}], "
        shown = case.item if name == case.item else f"{case.item} {name}"
        warnings.append(  # the file is named by whoever prints it (as for a catalog's warnings)
            f"{at}column cases.item: case {case.id} names item 「{shown}」, which no "
            "loaded catalog lists (事项未列入任何目录); the case is kept and the item recorded "
            "as unlisted"
        )
    return rows, warnings


def _case_links(data: CasesFile, refs: dict[str, dict]) -> list[dict[str, Any]]:
    def body(name: str) -> tuple[str, str]:
        if name in refs["street"]:
            return "Street", refs["street"][name]
        return "Department", refs["department"][name]

    links: list[dict[str, Any]] = []
    for case in data.cases:
        links.append(_rel("CONCERNS", "Case", case.id, "EnforcementItem", refs["item"][case.item]))
        links.append(
            _rel("OCCURRED_IN", "Case", case.id, "Street", refs["street"][case.occurred_in])
        )
        if case.handled_by:
            links.append(
                _rel(
                    "HANDLED_BY",
                    "Case",
                    case.id,
                    *body(case.handled_by),
                    {"filed_at": case.filed_at},
                )
            )
        links += [_rel("HANDLED_BY_OFFICER", "Case", case.id, "Officer", o) for o in case.officers]
        for transfer in case.transfers:
            links.append(_rel("HAS_TRANSFER", "Case", case.id, "Transfer", transfer.id))
            links.append(_rel("FROM", "Transfer", transfer.id, *body(transfer.sender)))
            links.append(_rel("TO", "Transfer", transfer.id, *body(transfer.receiver)))
    for dispute in data.disputes:
        links.append(_rel("ABOUT", "Dispute", dispute.id, "Case", dispute.case))
        for claimant in dispute.claimants:
            links.append(
                _rel(
                    "CLAIMANT",
                    "Dispute",
                    dispute.id,
                    *body(claimant.body),
                    {"stance": claimant.stance},
                )
            )
        if dispute.resolved_by:
            links.append(_rel("RESOLVED_BY", "Dispute", dispute.id, *body(dispute.resolved_by)))
    return links


def _rel(rel: str, start: str, a: str, end: str, b: str, props: dict | None = None) -> dict:
    return {"type": rel, "start": start, "end": end, "a": a, "b": b, "props": props or {}}
