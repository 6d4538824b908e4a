"""Graph writes (写入): every loader write, as `UNWIND $rows` batches in the caller's transaction.

Each function takes a ManagedTransaction, so one file's writes commit or roll back together
(a killed process leaves an open transaction that Neo4j rolls back). Every statement MERGEs on
a constrained business key, so a retried transaction and a reloaded file change nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, NamedTuple

from neo4j import ManagedTransaction, Session

from loaders.street_names import known_department, known_street
from schema.graph_rows import KEYS
from schema.labels import Label, Rel
from schema.models import AuditEntry

BATCH = 5_000  # rows per statement: large enough to amortise, small enough for a 1 GiB heap


def batches(rows: Sequence[dict[str, Any]], size: int = BATCH) -> Iterator[Sequence[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# Whoever watches a long load (`authreg load`'s progress bar) learns here how many rows each
# UNWIND statement has sent, inside a file's still-open transaction; None: nobody watches.
ROWS_SENT: ContextVar[Callable[[int], None] | None] = ContextVar("rows_sent", default=None)


def _unwind(
    tx: ManagedTransaction, cypher: str, rows: Sequence[dict[str, Any]], **extra: Any
) -> int:
    written = 0
    for chunk in batches(rows):
        summary = tx.run(cypher, rows=list(chunk), **extra).consume()
        written += summary.counters.nodes_created + summary.counters.relationships_created
        if (sent := ROWS_SENT.get()) is not None:
            sent(len(chunk))
    return written


# -- catalogs ---------------------------------------------------------------------------------


def lock_catalog(tx: ManagedTransaction, props: dict[str, Any]) -> dict[str, Any] | None:
    """MERGE the catalog node first: it locks the key, so a concurrent load of the same file
    waits here and then finds it. Returns the stored checksum and whether it was new."""
    record = tx.run(
        "MERGE (c:Catalog {id: $props.id}) "
        "ON CREATE SET c += $props, c.created = true "
        "WITH c, c.created AS created REMOVE c.created "
        "RETURN c.checksum AS checksum, coalesce(created, false) AS created",
        props=props,
    ).single()
    return None if record is None else record.data()


def stored_catalog(tx: ManagedTransaction, catalog_id: str) -> dict[str, Any] | None:
    """The stored catalog of this id (its checksum), read without a lock: what `lock_catalog`
    would find, for a rehearsal of the load (loaders.rehearsal)."""
    record = tx.run(
        "MATCH (c:Catalog {id: $id}) RETURN c.checksum AS checksum", id=catalog_id
    ).single()
    return None if record is None else record.data()


def region_exists(tx: ManagedTransaction, code: str) -> bool:
    """Whether the region is in the graph (departments a catalog creates join it only then)."""
    return tx.run("MATCH (r:Region {code: $code}) RETURN r.code", code=code).single() is not None


def later_versions(tx: ManagedTransaction, series: str, effective: Any, catalog_id: str) -> list:
    result = tx.run(
        "MATCH (c:Catalog {series: $series}) WHERE c.effective > $effective AND c.id <> $id "
        "RETURN c.id AS id ORDER BY c.effective",
        series=series,
        effective=effective,
        id=catalog_id,
    )
    return [record["id"] for record in result]


def link_previous_version(tx: ManagedTransaction, series: str, catalog_id: str) -> None:
    tx.run(
        "MATCH (new:Catalog {id: $id}) "
        "MATCH (old:Catalog {series: $series}) WHERE old.id <> $id AND old.effective < new.effective "
        "WITH new, old ORDER BY old.effective DESC LIMIT 1 "
        "MERGE (new)-[:SUPERSEDES]->(old)",
        id=catalog_id,
        series=series,
    ).consume()


def catalogs_named(tx: ManagedTransaction, names: list[str]) -> list[dict[str, Any]]:
    """Every version of each series a name calls by its series, title or 文号 (a list a notice
    takes items from, or lists a new one replaces), with the name that found it."""
    return tx.run(
        "UNWIND $names AS name MATCH (c:Catalog) "
        "WHERE c.series = name OR c.doc_number = name OR c.title = name "
        "WITH DISTINCT name, c.series AS series "
        "MATCH (v:Catalog) USING INDEX v:Catalog(series, effective) "
        "WHERE v.series = series AND v.effective IS NOT NULL "
        "RETURN name, v.id AS id, v.series AS series, v.effective AS effective, v.kind AS kind "
        "ORDER BY name, v.effective, v.id",
        names=names,
    ).data()


def catalog_items(tx: ManagedTransaction, catalog_id: str) -> list[dict[str, Any]]:
    """The items a catalog version lists, with their domain and original departments (HELD_BY):
    what a notice granting a whole domain or department takes from the list it names."""
    return tx.run(
        "MATCH (:Catalog {id: $id})-[:LISTS]->(i:EnforcementItem) "
        "RETURN i.code AS code, i.domain AS domain, "
        "COLLECT { MATCH (i)-[:HELD_BY]->(d:Department) RETURN d.id ORDER BY d.id } AS departments "
        "ORDER BY code",
        id=catalog_id,
    ).data()


def delegations_in_force_to(tx: ManagedTransaction, streets: list[str]) -> list[dict[str, Any]]:
    """The open delegations (no end) to these streets, from any catalog or notice, with the item's
    domain: what a notice withdrawing a department's or a domain's items chooses from."""
    return tx.run(
        "UNWIND $streets AS code MATCH (:Street {code: code})<-[:TO]-(d:Delegation) "
        "WHERE d.valid_to IS NULL "
        "MATCH (d)-[:OF]->(i:EnforcementItem), (d)-[:FROM]->(dep:Department) "
        "RETURN d.id AS id, i.code AS item, code AS street, dep.id AS department, "
        "d.mode AS mode, d.valid_from AS valid_from, i.domain AS domain ORDER BY id",
        streets=streets,
    ).data()


def link_replaced(tx: ManagedTransaction, catalog_id: str, replaced: list[str]) -> None:
    """A list that replaces lists of other series SUPERSEDES each one's newest version: the
    questions then hold none of them in force from its date."""
    tx.run(
        "MATCH (new:Catalog {id: $id}) UNWIND $replaced AS old_id "
        "MATCH (old:Catalog {id: old_id}) MERGE (new)-[:SUPERSEDES]->(old)",
        id=catalog_id,
        replaced=replaced,
    ).consume()


# The two fixed starts of known_organisation's reads: a region's parts, or every one.
_IN_REGION = "MATCH (:Region {code: $region})<-[:PART_OF]-"
_ANYWHERE = "MATCH "
# A department with its dated names and merger (机构改革: loaders/street_names.py reads them).
_DEPARTMENTS = "(d:Department) "
_DEPARTMENT_HISTORY = (
    "CALL (d) { OPTIONAL MATCH (d)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'}) "
    "OPTIONAL MATCH (f)-[:DEFINED_IN]->(doc:LegalDocument) "
    "RETURN collect(f {name: f.value, .valid_from, .valid_to, basis: f.basis, "
    "doc_number: doc.doc_number, title: doc.title}) AS names } "
    "CALL (d) { OPTIONAL MATCH (d)-[m:MERGED_INTO]->(into:Department) "
    "OPTIONAL MATCH (doc:LegalDocument {id: m.basis}) "
    "RETURN CASE WHEN m IS NULL THEN null ELSE {into: into.id, into_name: into.name, "
    "valid_from: m.valid_from, basis: m.basis, doc_number: doc.doc_number, "
    "title: doc.title} END AS merged LIMIT 1 } "
    "RETURN d.id AS id, d.name AS name, coalesce(d.aliases, []) AS aliases, names, merged "
    "ORDER BY d.id"
)


def known_organisation(tx: ManagedTransaction, region: str | None) -> dict[str, list[dict]]:
    """Departments and streets the writer resolves names against (of a region, or all).

    Of a region: found from the region (one seek, then its PART_OF): a catalog file's cost does
    not grow with the nation's departments and streets. All (no region): every one."""
    start = _IN_REGION if region is not None else _ANYWHERE
    rows = tx.run(start + _DEPARTMENTS + _DEPARTMENT_HISTORY, region=region).data()
    departments = [known_department(d) for d in rows]
    streets = tx.run(start + "(s:Street) " + _STREET_HISTORY, region=region).data()
    return {"departments": departments, "streets": [known_street(s) for s in streets]}


def streets_of_codes(tx: ManagedTransaction, codes: list[str]) -> list[dict[str, Any]]:
    """These streets as `known_organisation` gives them (a cases file's, by the codes found)."""
    rows = tx.run(
        "UNWIND $codes AS code MATCH (s:Street {code: code}) " + _STREET_HISTORY, codes=codes
    )
    return [known_street(s) for s in rows.data()]


def departments_of_ids(tx: ManagedTransaction, ids: list[str]) -> list[dict[str, Any]]:
    """These departments as `known_organisation` gives them (a cases file's, by the ids found)."""
    rows = tx.run("UNWIND $ids AS id MATCH (d:Department {id: id}) " + _DEPARTMENT_HISTORY, ids=ids)
    return [known_department(d) for d in rows.data()]


# A street with its dated names and merger (更名 / 撤并: loaders/street_names.py).
_STREET_HISTORY = (
    "CALL (s) { OPTIONAL MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'}) "
    "OPTIONAL MATCH (f)-[:DEFINED_IN]->(doc:LegalDocument) "
    "RETURN collect(f {name: f.value, .valid_from, .valid_to, basis: f.basis, "
    "doc_number: doc.doc_number, title: doc.title}) AS names } "
    "CALL (s) { OPTIONAL MATCH (s)-[m:MERGED_INTO]->(into:Street) "
    "OPTIONAL MATCH (doc:LegalDocument {id: m.basis}) "
    "RETURN CASE WHEN m IS NULL THEN null ELSE {into: into.code, into_name: into.name, "
    "valid_from: m.valid_from, basis: m.basis, doc_number: doc.doc_number, "
    "title: doc.title} END AS merged LIMIT 1 } "
    "RETURN s.code AS code, s.name AS name, s.kind AS kind, s.delegation_mode AS mode, "
    "names, merged ORDER BY s.code"
)


def write_departments(
    tx: ManagedTransaction, rows: list[dict[str, Any]], region: str | None
) -> int:
    return _unwind(
        tx,
        "UNWIND $rows AS row MERGE (d:Department {id: row.id}) ON CREATE SET d += row.props "
        "WITH d WHERE $region IS NOT NULL MATCH (r:Region {code: $region}) "
        "MERGE (d)-[:PART_OF]->(r)",
        rows,
        region=region,
    )


def write_items(tx: ManagedTransaction, catalog_id: str, rows: list[dict[str, Any]]) -> int:
    """Items, the catalog's LISTS row, their category (IN_CATEGORY, when the metadata maps
    its domain to one that exists) and the original department (HELD_BY)."""
    return _unwind(
        tx,
        "UNWIND $rows AS row "
        "MERGE (i:EnforcementItem {code: row.item.code}) SET i += row.item "
        "WITH i, row MATCH (c:Catalog {id: $catalogId}) "
        "MERGE (c)-[l:LISTS]->(i) SET l += row.lists "
        "WITH i, row CALL (i, row) { "
        "  WITH i, row WHERE row.category IS NOT NULL "
        "  MATCH (k:Category {id: row.category}) MERGE (i)-[:IN_CATEGORY]->(k) } "
        "WITH i, row WHERE row.department IS NOT NULL "
        "MATCH (d:Department {id: row.department}) MERGE (i)-[:HELD_BY]->(d)",
        rows,
        catalogId=catalog_id,
    )


def write_guide_items(
    tx: ManagedTransaction, catalog_id: str, items: list[dict[str, Any]], province: dict[str, Any]
) -> int:
    """A province guide list's items (省级指导目录, loaders/guide.py) and the list's GUIDES link to
    each, with its row, and the province's Region when no organisation file has written it:
    nothing else, so a guide delegates nothing."""
    tx.run(
        "MERGE (r:Region {code: $province.code}) ON CREATE SET r += $province", province=province
    ).consume()
    return _unwind(
        tx,
        "UNWIND $rows AS row MERGE (g:GuideItem {id: row.id}) SET g += row "
        "WITH g, row MATCH (c:Catalog {id: $catalogId}) "
        "MERGE (c)-[l:GUIDES]->(g) SET l.row = row.source_row",
        items,
        catalogId=catalog_id,
    )


def write_basis(
    tx: ManagedTransaction,
    documents: list[dict[str, Any]],
    provisions: list[dict[str, Any]],
    links: list[dict[str, Any]],
) -> int:
    """Documents and provisions once each, then the items' BASED_ON links (citation kept)."""
    written = _unwind(
        tx,
        "UNWIND $rows AS row MERGE (doc:LegalDocument {id: row.id}) ON CREATE SET doc += row "
        "WITH doc, row WHERE doc.rank = '未知' AND row.rank <> '未知' SET doc.rank = row.rank",
        documents,
    )
    written += _unwind(
        tx,
        "UNWIND $rows AS row MERGE (p:Provision {id: row.id}) ON CREATE SET p += row "
        "WITH p, row MATCH (doc:LegalDocument {id: row.document_id}) MERGE (p)-[:IN]->(doc)",
        provisions,
    )
    return written + _unwind(
        tx,
        "UNWIND $rows AS row MATCH (i:EnforcementItem {code: row.itemCode}) "
        "OPTIONAL MATCH (p:Provision {id: row.provisionId}) "
        "OPTIONAL MATCH (doc:LegalDocument {id: row.documentId}) "
        "WITH i, row, coalesce(p, doc) AS basis "
        "MERGE (i)-[b:BASED_ON]->(basis) SET b += row.link",
        links,
    )


def missing_articles(tx: ManagedTransaction, provision_ids: list[str]) -> list[dict[str, Any]]:
    """Cited provisions absent from a law whose text is loaded ("第九十九条 not in 《…》"): a
    款 or 项 its article's text lacks; an article a whole text lacks; of an excerpt (节选), only
    an article beyond the law's last one (loaders.law_texts)."""
    return tx.run(
        "UNWIND $ids AS pid MATCH (p:Provision {id: pid})-[:IN]->(doc:LegalDocument) "
        "WHERE doc.text_loaded AND p.text IS NULL "
        "WITH p, doc, EXISTS { "
        "  MATCH (a:Provision {document_id: doc.id, article: p.article}) WHERE a.text IS NOT NULL "
        "} AS articleHeld "
        "WHERE articleHeld OR NOT coalesce(doc.text_excerpt, false) "
        "   OR p.article > doc.last_article "
        "RETURN DISTINCT p.id AS id, p.article AS article, "
        "CASE WHEN articleHeld THEN p.paragraph END AS paragraph, "
        "CASE WHEN articleHeld THEN p.item END AS item, doc.title AS title, "
        "doc.version_date AS version",
        ids=provision_ids,
    ).data()


# -- delegations ------------------------------------------------------------------------------


def active_delegations_of_series(tx: ManagedTransaction, series: str) -> list[dict[str, Any]]:
    """The open delegations any version of the series authorised, each once.

    Every catalog has an effective date: saying so lets the (series, effective) index find the
    series' versions (a composite index answers only predicates on all its properties; without
    it, every catalog of the nation was scanned per file). A delegation every version confirmed
    is AUTHORIZED_BY each of them: DISTINCT before expanding reads it once, not once a version.
    """
    return tx.run(
        "MATCH (c:Catalog) USING INDEX c:Catalog(series, effective) "
        "WHERE c.series = $series AND c.effective IS NOT NULL "
        "MATCH (c)<-[:AUTHORIZED_BY]-(d:Delegation) WHERE d.valid_to IS NULL "
        "WITH DISTINCT d "
        "MATCH (d)-[:OF]->(i:EnforcementItem), (d)-[:TO]->(s:Street), (d)-[:FROM]->(dep) "
        "RETURN d.id AS id, i.code AS item, s.code AS street, dep.id AS department, "
        "d.mode AS mode",
        series=series,
    ).data()


def active_delegations_of(tx: ManagedTransaction, pairs: list[dict[str, str]], on: Any) -> list:
    """Delegations of these (item, street) pairs in force on a date, from any catalog."""
    return tx.run(
        "UNWIND $pairs AS pair "
        "MATCH (d:Delegation)-[:OF]->(:EnforcementItem {code: pair.item}) "
        "MATCH (d)-[:TO]->(:Street {code: pair.street}) "
        "WHERE d.valid_to IS NULL AND d.valid_from <= $on "
        "RETURN DISTINCT d.id AS id, pair.item AS item, pair.street AS street, pair.row AS row",
        pairs=pairs,
        on=on,
    ).data()


def start_delegations(tx: ManagedTransaction, catalog_id: str, rows: list[dict[str, Any]]) -> int:
    return _unwind(
        tx,
        "UNWIND $rows AS row "
        "MATCH (c:Catalog {id: $catalogId}), (i:EnforcementItem {code: row.item}), "
        "(s:Street {code: row.street}), (dep:Department {id: row.department}) "
        "MERGE (d:Delegation {id: row.props.id}) ON CREATE SET d += row.props "
        "MERGE (d)-[:OF]->(i) MERGE (d)-[:TO]->(s) MERGE (d)-[:FROM]->(dep) "
        "MERGE (d)-[a:AUTHORIZED_BY]->(c) SET a.row = row.row",
        rows,
        catalogId=catalog_id,
    )


def confirm_delegations(tx: ManagedTransaction, catalog_id: str, rows: list[dict]) -> int:
    """Delegations a newer version lists again: they go on, with the new version as evidence."""
    return _unwind(
        tx,
        "UNWIND $rows AS row MATCH (d:Delegation {id: row.id}), (c:Catalog {id: $catalogId}) "
        "MERGE (d)-[a:AUTHORIZED_BY]->(c) SET a.row = row.row",
        rows,
        catalogId=catalog_id,
    )


def end_delegations(tx: ManagedTransaction, catalog_id: str, ids: list[str], on: Any) -> int:
    """End on a date (valid_to), by this catalog version or notice; nothing is deleted."""
    rows = [{"id": delegation_id} for delegation_id in ids]
    return _unwind(
        tx,
        "UNWIND $rows AS row MATCH (d:Delegation {id: row.id}), (c:Catalog {id: $catalogId}) "
        "SET d.valid_to = $on, d.status = '已终止' MERGE (d)-[:ENDED_BY]->(c)",
        rows,
        catalogId=catalog_id,
        on=on,
    )


def set_node_properties(tx: ManagedTransaction, label: str, rows: list[dict[str, Any]]) -> int:
    """After a neo4j-admin import: the properties CSV cannot carry (`admin_import.not_carried`) ({key, props})."""
    name = Label(label)  # labels and keys only from schema/, never from input
    key = KEYS[name]
    return _unwind(
        tx, f"UNWIND $rows AS row MATCH (n:{name} {{{key}: row.key}}) SET n += row.props", rows
    )


def set_rel_properties(tx: ManagedTransaction, group: tuple, rows: list[dict[str, Any]]) -> int:
    """The same for relationships ({a, b, props}) of one (type, start label, end label)."""
    rel, start, end = Rel(group[0]), Label(group[1]), Label(group[2])
    return _unwind(
        tx,
        f"UNWIND $rows AS row MATCH (a:{start} {{{KEYS[start]}: row.a}})-[r:{rel}]->"
        f"(b:{end} {{{KEYS[end]}: row.b}}) SET r += row.props",
        rows,
    )


# -- law texts --------------------------------------------------------------------------------


def write_law_text(tx: ManagedTransaction, document: dict[str, Any], provisions: list[dict]) -> int:
    """The law and its own provisions, unless a newer version of it is loaded already (its
    `current_version_date`): an older text never overwrites a newer one. A newer text takes
    the text from provisions an older version wrote (its article 15 is another rule)."""
    newest = tx.run(
        "MERGE (doc:LegalDocument {id: $document.id}) "
        "WITH doc, doc.current_version_date IS NULL OR $document.current_version_date IS NULL "
        "  OR doc.current_version_date <= $document.current_version_date AS newest "
        "FOREACH (_ IN CASE WHEN newest THEN [1] ELSE [] END | SET doc += $document) "
        "RETURN newest",
        document=document,
    ).single(strict=True)["newest"]
    if not newest:
        return 0
    tx.run(
        "MATCH (p:Provision {document_id: $document.id}) "
        "WHERE p.article IS NOT NULL AND p.version_date < $document.current_version_date "
        "SET p.text = null, p.version_date = null",
        document=document,
    ).consume()
    return _unwind(
        tx,
        "UNWIND $rows AS row MERGE (p:Provision {id: row.id}) SET p += row "
        "WITH p MATCH (doc:LegalDocument {id: $docId}) MERGE (p)-[:IN]->(doc)",
        provisions,
        docId=document["id"],
    )


def write_law_versions(
    tx: ManagedTransaction,
    document_id: str,
    version_id: str,
    versions: list[dict],
    links: list[dict],
    provisions: list[dict],
) -> int:
    """A law's versions (VERSION_OF), each later one AMENDS (修正) or REPLACES (修订) the one
    before, and the text of the file's own version on its provisions (IN the version).
    A version another file only mentions is created, never overwritten."""
    written = _unwind(
        tx,
        "UNWIND $rows AS row MERGE (v:LawVersion {id: row.id}) "
        "ON CREATE SET v += row.props "
        "FOREACH (_ IN CASE WHEN row.own THEN [1] ELSE [] END | SET v += row.props) "
        "WITH v MATCH (doc:LegalDocument {id: $docId}) MERGE (v)-[:VERSION_OF]->(doc)",
        versions,
        docId=document_id,
    )
    for rel in (Rel.AMENDS, Rel.REPLACES):
        written += _unwind(
            tx,
            f"UNWIND $rows AS row MATCH (new:LawVersion {{id: row.new}}), "
            f"(old:LawVersion {{id: row.old}}) MERGE (new)-[:{rel}]->(old)",
            [link for link in links if link["type"] == rel],
        )
    return written + _unwind(
        tx,
        "UNWIND $rows AS row MERGE (p:Provision {id: row.id}) SET p += row "
        "WITH p MATCH (v:LawVersion {id: $versionId}) MERGE (p)-[:IN]->(v)",
        provisions,
        versionId=version_id,
    )


def document_replacements(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> int:
    """Status of laws (已废止 …) and REPEALS links, from organisation files' `documents:`."""
    return _unwind(
        tx,
        "UNWIND $rows AS row MERGE (doc:LegalDocument {id: row.id}) "
        "ON CREATE SET doc.title = row.title, doc.rank = row.rank "
        "SET doc += row.props "
        "WITH doc, row WHERE row.repealedBy IS NOT NULL "
        "MERGE (by:LegalDocument {id: row.repealedBy.id}) "
        "ON CREATE SET by.title = row.repealedBy.title, by.rank = '未知', by.status = '现行有效' "
        "MERGE (by)-[:REPEALS]->(doc)",
        rows,
    )


# -- organisation -----------------------------------------------------------------------------


def write_region(tx: ManagedTransaction, region: dict[str, Any], parent: dict | None) -> None:
    tx.run(
        "MERGE (r:Region {code: $region.code}) SET r += $region "
        "WITH r WHERE $parent IS NOT NULL "
        "MERGE (p:Region {code: $parent.code}) SET p += $parent MERGE (r)-[:PART_OF]->(p)",
        region=region,
        parent=parent,
    ).consume()


def write_org_nodes(
    tx: ManagedTransaction, label: str, key: str, rows: list[dict], region: str
) -> int:
    """Departments, streets, zones (PART_OF the region) or units, categories, officers."""
    statements = {
        # A department's dated names and merger (机构改革) are the file's too.
        "Department": "MERGE (n:Department {id: row.key}) WITH n, row "
        "CALL (n) { MATCH (n)-[:HAS_FACT]->(old:DepartmentFact) DETACH DELETE old } "
        "CALL (n) { MATCH (n)-[m:MERGED_INTO]->() DELETE m } WITH n, row",
        "DepartmentFact": "MERGE (n:DepartmentFact {id: row.key})",
        # A street's dated facts and merger are the file's: a reload replaces them (a corrected
        # date must not leave the old period beside the new one).
        "Street": "MERGE (n:Street {code: row.key}) WITH n, row "
        "CALL (n) { MATCH (n)-[:HAS_FACT]->(old:StreetFact) DETACH DELETE old } "
        "CALL (n) { MATCH (n)-[m:MERGED_INTO]->() DELETE m } WITH n, row",
        "StreetFact": "MERGE (n:StreetFact {id: row.key})",
        "Zone": "MERGE (n:Zone {id: row.key})",
        # A unit's place (PART_OF, dated periods: 机构调整) is the file's: a reload replaces it.
        "Unit": "MERGE (n:Unit {id: row.key}) WITH n, row "
        "CALL (n) { MATCH (n)-[p:PART_OF]->() DELETE p } WITH n, row",
        "Category": "MERGE (n:Category {id: row.key})",
        "Officer": "MERGE (n:Officer {id: row.key})",
        "Policy": "MERGE (n:Policy {id: row.key})",
    }
    part_of_region = label in {"Department", "Street", "Zone"}
    tail = (
        " WITH n MATCH (r:Region {code: $region}) MERGE (n)-[:PART_OF]->(r)"
        if part_of_region
        else ""
    )
    keyed = [{"key": row[key], "props": row} for row in rows]
    return _unwind(
        tx,
        f"UNWIND $rows AS row {statements[label]} SET n += row.props{tail}",
        keyed,
        region=region,
    )


def write_org_links(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> int:
    """Typed links between already written nodes: {type, from: [label, key], to: [label, key]}."""
    written = 0
    for link in ORG_LINKS:
        chosen = [
            row
            for row in rows
            if (row["type"], row["start"], row["end"]) == (link.rel, link.start, link.end)
        ]
        if chosen:
            written += _unwind(tx, link.cypher, chosen)
    return written


class OrgLink(NamedTuple):
    """One kind of organisation or case link; `props`: the row's properties go on it."""

    rel: str
    start: str
    end: str
    props: bool
    cypher: str


def _link(
    rel: str, start: str, start_key: str, end: str, end_key: str, props: bool = False
) -> OrgLink:
    set_props = " SET r += row.props" if props else ""
    return OrgLink(
        rel,
        start,
        end,
        props,
        f"UNWIND $rows AS row MATCH (a:{start} {{{start_key}: row.a}}), (b:{end} {{{end_key}: row.b}}) "
        f"MERGE (a)-[r:{rel}]->(b){set_props}",
    )


# The fixed list of organisation links (labels and types from schema/labels.py, never input).
ORG_LINKS = (
    _link("PART_OF", "Unit", "id", "Department", "id", props=True),  # {valid_from, valid_to}
    _link("PART_OF", "Unit", "id", "Unit", "id", props=True),
    _link("PART_OF", "Unit", "id", "Street", "code", props=True),
    _link("IN_ZONE", "Street", "code", "Zone", "id", props=True),
    _link("COORDINATED_BY", "Zone", "id", "Unit", "id"),
    _link("LED_BY", "Category", "id", "Department", "id"),
    _link("MEMBER_OF", "Officer", "id", "Unit", "id"),
    _link("POSTED_TO", "Officer", "id", "Street", "code", props=True),
    _link("POSTED_TO", "Officer", "id", "Zone", "id", props=True),
    _link("APPLIES_TO", "Policy", "id", "Region", "code"),
    _link("APPLIES_TO", "Policy", "id", "Zone", "id"),
    _link("APPLIES_TO", "Policy", "id", "Street", "code"),
    _link("DEFINED_IN", "Policy", "id", "LegalDocument", "id"),
    _link("HAS_FACT", "Street", "code", "StreetFact", "id"),
    _link("DEFINED_IN", "StreetFact", "id", "LegalDocument", "id"),
    _link("MERGED_INTO", "Street", "code", "Street", "code", props=True),
    _link("HAS_FACT", "Department", "id", "DepartmentFact", "id"),
    _link("DEFINED_IN", "DepartmentFact", "id", "LegalDocument", "id"),
    _link("MERGED_INTO", "Department", "id", "Department", "id", props=True),
    _link("CONCERNS", "Case", "id", "EnforcementItem", "code"),
    _link("OCCURRED_IN", "Case", "id", "Street", "code"),
    _link("HANDLED_BY", "Case", "id", "Street", "code", props=True),
    _link("HANDLED_BY", "Case", "id", "Department", "id", props=True),
    _link("HANDLED_BY_OFFICER", "Case", "id", "Officer", "id"),
    _link("HAS_TRANSFER", "Case", "id", "Transfer", "id"),
    _link("FROM", "Transfer", "id", "Street", "code"),
    _link("FROM", "Transfer", "id", "Department", "id"),
    _link("TO", "Transfer", "id", "Street", "code"),
    _link("TO", "Transfer", "id", "Department", "id"),
    _link("RECEIVED_BY", "Case", "id", "Street", "code"),
    _link("RECEIVED_BY", "Case", "id", "Department", "id"),
    _link("REPLIED_BY", "Case", "id", "Street", "code"),
    _link("REPLIED_BY", "Case", "id", "Department", "id"),
    _link("ABOUT", "Dispute", "id", "Case", "id"),
    _link("CLAIMANT", "Dispute", "id", "Street", "code", props=True),
    _link("CLAIMANT", "Dispute", "id", "Department", "id", props=True),
    _link("RESOLVED_BY", "Dispute", "id", "Department", "id"),
)


def write_case_nodes(tx: ManagedTransaction, label: str, rows: list[dict[str, Any]]) -> int:
    """Cases, transfers, disputes, and the items cases name that no catalog lists (their code,
    name and type set only when the node is new: a catalog's own wording is never overwritten)."""
    statements = {
        "EnforcementItem": "UNWIND $rows AS row MERGE (n:EnforcementItem {code: row.code}) "
        "ON CREATE SET n += row",
        "Case": "UNWIND $rows AS row MERGE (n:Case {id: row.id}) SET n += row",
        "Transfer": "UNWIND $rows AS row MERGE (n:Transfer {id: row.id}) SET n += row",
        # A reloaded cases file never reopens a dispute that was decided since.
        "Dispute": "UNWIND $rows AS row MERGE (n:Dispute {id: row.id}) "
        "SET n += row {.*, status: coalesce(n.status, row.status)}",
    }
    return _unwind(tx, statements[label], rows)


def find_ids(tx: ManagedTransaction, label: str, keys: list[str]) -> dict[str, str]:
    """Resolve codes, ids or exact names of items, streets, departments, officers to keys."""
    lookups = {
        "EnforcementItem": "UNWIND $keys AS k MATCH (n:EnforcementItem) WHERE n.code = k OR n.name = k "
        "RETURN k, n.code AS key",
        # Only items some catalog or notice lists (a case about any other item is kept as unlisted).
        "ListedEnforcementItem": "UNWIND $keys AS k MATCH (n:EnforcementItem) "
        "WHERE (n.code = k OR n.name = k) AND EXISTS { (:Catalog)-[:LISTS]->(n) } "
        "RETURN k, n.code AS key",
        # A street by code or name, then by a former name (更名: a case file of its days).
        "Street": "UNWIND $keys AS k CALL (k) { MATCH (n:Street) WHERE n.code = k OR n.name = k "
        "RETURN n.code AS key, 0 AS rank UNION MATCH (:StreetFact {value: k, fact: 'name'})"
        "<-[:HAS_FACT]-(n:Street) RETURN n.code AS key, 1 AS rank } "
        "RETURN k, key ORDER BY rank",
        # A department by id or name, then by a former name (机构改革: a case file of its days).
        "Department": "UNWIND $keys AS k CALL (k) { MATCH (n:Department) WHERE n.id = k "
        "OR n.name = k RETURN n.id AS key, 0 AS rank UNION MATCH (:DepartmentFact {value: k, "
        "fact: 'name'})<-[:HAS_FACT]-(n:Department) RETURN n.id AS key, 1 AS rank } "
        "RETURN k, key ORDER BY rank",
        "Officer": "UNWIND $keys AS k MATCH (n:Officer {id: k}) RETURN k, n.id AS key",
    }
    found: dict[str, str] = {}
    for record in tx.run(lookups[label], keys=keys):
        found.setdefault(record["k"], record["key"])
    return found


# -- decisions --------------------------------------------------------------------------------


def dispute_parties(tx: ManagedTransaction, dispute_id: str) -> dict[str, Any] | None:
    """A dispute's status and the keys of its claimants, for validating a decision."""
    record = tx.run(
        "MATCH (d:Dispute {id: $id}) OPTIONAL MATCH (d)-[:CLAIMANT]->(body) "
        "RETURN d.status AS status, d.decided_by AS decidedBy, "
        "collect(coalesce(body.code, body.id)) AS claimants",
        id=dispute_id,
    ).single()
    return None if record is None else record.data()


def record_dispute_decision(tx: ManagedTransaction, decision: dict[str, Any]) -> bool:
    """Mark a dispute decided for a street or department, and leave its audit entry
    (`decision["audit"]`, from `audit_entry`) in the same statement: both or neither."""
    record = tx.run(
        "MATCH (d:Dispute {id: $row.dispute}) "
        "OPTIONAL MATCH (s:Street {code: $row.body}) OPTIONAL MATCH (dep:Department {id: $row.body}) "
        "WITH d, coalesce(s, dep) AS winner WHERE winner IS NOT NULL "
        "SET d.status = $row.status, d.decision = $row.decision, d.basis = $row.basis, "
        "d.decided_at = $row.at, d.decided_by = $row.by "
        "MERGE (d)-[:DECIDED_FOR]->(winner) "
        "CREATE (a:AuditEntry) SET a = $row.audit "
        "RETURN d.id AS id",
        row=decision,
    ).single()
    return record is not None


# -- records from the API, and the audit trail ------------------------------------------------


def audit_entry(
    actor: str,
    role: str | None,
    action: str,
    source: str | None,
    target: str | None,
    detail: dict[str, Any],
) -> dict[str, Any]:
    """The properties of one AuditEntry (审计记录): a fresh id, the time now, the detail as JSON.

    Give them to `create_audit_entry` (or a writer that creates the entry itself) inside the
    transaction of the write it records, so the entry exists exactly when the write committed.
    """
    return AuditEntry(
        id=f"AUD-{uuid.uuid4().hex[:16]}",
        at=datetime.now(UTC),
        actor=actor,
        role=role,
        action=action,
        source=source,
        target=target,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
    ).to_properties()


def create_audit_entry(tx: ManagedTransaction, entry: dict[str, Any]) -> str:
    """CREATE, never MERGE: an audit entry is written once and never changed."""
    tx.run("CREATE (a:AuditEntry) SET a = $entry", entry=entry).consume()
    return str(entry["id"])


def existing_keys(tx: ManagedTransaction, label: str, keys: list[str]) -> set[str]:
    """Which of these business keys exist, by key only (no names): items, streets, departments,
    officers, cases, transfers, disputes."""
    lookups = {
        "EnforcementItem": "UNWIND $keys AS k MATCH (n:EnforcementItem {code: k}) RETURN k",
        "Street": "UNWIND $keys AS k MATCH (n:Street {code: k}) RETURN k",
        "Department": "UNWIND $keys AS k MATCH (n:Department {id: k}) RETURN k",
        "Officer": "UNWIND $keys AS k MATCH (n:Officer {id: k}) RETURN k",
        "Case": "UNWIND $keys AS k MATCH (n:Case {id: k}) RETURN k",
        "Transfer": "UNWIND $keys AS k MATCH (n:Transfer {id: k}) RETURN k",
        "Dispute": "UNWIND $keys AS k MATCH (n:Dispute {id: k}) RETURN k",
    }
    return {record["k"] for record in tx.run(lookups[label], keys=keys)}


def create_record_node(tx: ManagedTransaction, label: str, props: dict[str, Any]) -> None:
    """One case, transfer or dispute from the API. CREATE, so a key recorded meanwhile by
    someone else fails on the uniqueness constraint instead of being overwritten."""
    statements = {
        "Case": "CREATE (n:Case) SET n = $props",
        "Transfer": "CREATE (n:Transfer) SET n = $props",
        "Dispute": "CREATE (n:Dispute) SET n = $props",
    }
    tx.run(statements[label], props=props).consume()


def open_disputes(tx: ManagedTransaction, case_id: str, status: str) -> list[str]:
    """Ids of the disputes about a case still in `status` (待决)."""
    return tx.run(
        "MATCH (d:Dispute {status: $status})-[:ABOUT]->(:Case {id: $case}) "
        "RETURN d.id AS id ORDER BY id",
        case=case_id,
        status=status,
    ).value("id")


def matter_receipts(tx: ManagedTransaction, case_ids: list[str]) -> dict[str, tuple[Any, Any]]:
    """Matters (cases RECEIVED_BY a body) among `case_ids`: id → (received_at, replied_at)."""
    rows = tx.run(
        "UNWIND $ids AS id MATCH (c:Case {id: id})-[:RECEIVED_BY]->() "
        "RETURN DISTINCT c.id AS id, c.received_at AS received, c.replied_at AS replied",
        ids=case_ids,
    )
    return {row["id"]: (_native(row["received"]), _native(row["replied"])) for row in rows}


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def dispute_resolvers(tx: ManagedTransaction, case_id: str, rule: str, on: Any) -> list[str]:
    """Departments the case's region names, by a policy in force on `on`, to settle disputes."""
    return tx.run(
        "MATCH (:Case {id: $case})-[:OCCURRED_IN]->(:Street)-[:PART_OF]->(r:Region) "
        "MATCH (p:Policy {rule: $rule})-[:APPLIES_TO]->(r) "
        "WHERE (p.valid_from IS NULL OR p.valid_from <= $on) "
        "AND (p.valid_to IS NULL OR p.valid_to > $on) "
        "MATCH (dep:Department {id: p.value}) "
        "RETURN DISTINCT dep.id AS id ORDER BY id",
        case=case_id,
        rule=rule,
        on=on,
    ).value("id")


# -- the graph's write counter (图版本号) ------------------------------------------------------


FOLD_WRITES_AT = 1000  # markers beyond which a writer folds the old ones into GraphState
FOLD_OLDER_THAN_S = 600  # only markers this old are folded: recent ones stay as they are


def bump_generation(
    tx: ManagedTransaction,
    fold_at: int = FOLD_WRITES_AT,
    fold_older_than_s: float = FOLD_OLDER_THAN_S,
) -> None:
    """Count this transaction as one more write to the graph (图版本号 +1), as its LAST statement.

    The API's answer cache (graphql_api.answer_cache) drops what it read before a change of the
    count (queries/generation.cypher). Each write CREATEs a marker node of its own: no writer
    reads, locks or changes anything another writer touches, so concurrent loads and API writes
    never queue here (a single counter node every writer SET was one lock they all waited on).
    When more than `fold_at` markers exist, this writer also folds the old ones into the
    GraphState node's count (fold_graph_writes): a rare write, not one on every transaction.
    """
    made = tx.run(
        "CREATE (:GraphWrite {at: datetime.realtime()}) "
        "WITH 1 AS one MATCH (w:GraphWrite) RETURN count(w) AS made"
    ).single(strict=True)["made"]
    if made > fold_at:
        fold_graph_writes(tx, fold_older_than_s)


def fold_graph_writes(tx: ManagedTransaction, older_than_s: float = FOLD_OLDER_THAN_S) -> int:
    """Move the count of markers older than `older_than_s` into the GraphState node and delete
    them (how many): the sum the graph's generation is read as does not change.

    The GraphState node's lock is taken first, in a statement of its own: a second writer
    folding at the same time waits for it, then reads the markers the first left (Neo4j reads
    what is committed), so no marker is counted twice. The newest marker is never folded."""
    from schema.models import GRAPH_STATE_ID  # here: this section is appended to the module

    tx.run(
        "MERGE (g:GraphState {id: $id}) SET g.folded_at = datetime.realtime()",
        id=GRAPH_STATE_ID,
    ).consume()
    return tx.run(
        "MATCH (g:GraphState {id: $id}) "
        "WITH g, COLLECT { MATCH (n:GraphWrite) RETURN n.at ORDER BY n.at DESC LIMIT 1 }[0] "
        "     AS newest "
        "OPTIONAL MATCH (w:GraphWrite) "
        "WHERE w.at < datetime.realtime() - duration({seconds: $older}) AND w.at < newest "
        "WITH g, collect(w) AS old, max(w.at) AS last "
        "FOREACH (w IN old | DELETE w) "
        "SET g.generation = coalesce(g.generation, 0) + size(old), "
        "    g.changed_at = CASE WHEN g.changed_at IS NULL OR last > g.changed_at "
        "                        THEN last ELSE g.changed_at END "
        "RETURN size(old) AS folded",
        id=GRAPH_STATE_ID,
        older=older_than_s,
    ).single(strict=True)["folded"]


def bumping(work: Any) -> Any:
    """`work` (a function of a write transaction) followed by bump_generation in the same
    transaction: what `execute_write` runs for every write to the graph."""

    def work_then_bump(tx: ManagedTransaction, *args: Any, **kwargs: Any) -> Any:
        result = work(tx, *args, **kwargs)
        bump_generation(tx)
        return result

    work_then_bump.__name__ = getattr(work, "__name__", "work")
    return work_then_bump


# -- the server's picture of the graph (索引统计) ---------------------------------------------------


def await_indexes(session: Session, seconds: int) -> None:
    """Wait until every index is online (after the schema is built on an imported store)."""
    session.run("CALL db.awaitIndexes($seconds)", seconds=seconds).consume()


def refresh_statistics(session: Session, seconds: int) -> None:
    """Resample every index, wait for it, and drop the cached query plans, so that the next plan
    of every query is made from the graph as it now is.

    Why: Neo4j samples indexes in the background. Right after a load, an index may still be
    sampled as empty, and a plan made then (a scan of that "empty" index: cheap on paper) is
    cached and kept until the statistics drift far enough to replan. Seen in CI: the impact read
    planned a NodeIndexScan over every EnforcementItem just after the sample loaded.

    `db.prepareForReplanning` alone resamples only the indexes the server thinks outdated (over
    `db.index_sampling.update_percentage`, 5 % by default, of updates since their last sample): an
    index the background sampling caught mid-load (327 of the 337 provisions) kept its stale
    figure. So every sampled index is asked for a new sample first, and the call waits for all.
    """
    names = [
        record["name"]
        for record in session.run(
            "SHOW INDEXES YIELD name, type, state "
            "WHERE type IN ['RANGE', 'TEXT', 'POINT'] AND state = 'ONLINE' RETURN name"
        )
    ]
    for name in names:
        session.run("CALL db.resampleIndex($name)", name=name).consume()
    session.run("CALL db.prepareForReplanning($seconds)", seconds=seconds).consume()
