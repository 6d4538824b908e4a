"""Discretion lists (裁量基准 / 不予处罚清单): read a published list, link its rows to items.

A benchmark (行政处罚裁量基准) gives each violation its tiers (违法情节: 轻微 / 一般 / 较重 / 严重)
and their standards (裁量标准); a no-penalty list (不予处罚事项清单, 首违不罚清单, 轻微违法行为
免罚清单; 行政处罚法 第三十三条) gives when a violation is not penalised. A list is a CSV or XLSX
file with a `.meta.yaml` beside it, as a catalog has (`kind: 裁量基准` or `kind: 不予处罚清单`,
series, title, issuer, doc_number, effective, region, rests_on). A newer version of a series
replaces the older from its effective date (queries/discretion.cypher decides, on the day asked).

Each row links to enforcement items: by 事项编码 where the row gives one that the graph holds,
else by its normalised name together with an article both cite. The match kind is written on
the link; a row two items fit links to both as `ambiguous` (shown, never guessed), and a row no
item fits is a load warning that says what was looked for.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from authreg.errors import InputError
from loaders.catalog_meta import meta_path
from loaders.citations import parse_basis
from loaders.headers import ColumnMap, HeaderMap
from loaders.read import read_tables
from loaders.report import LoadReport
from loaders.tables import SourceRow, Table
from loaders.yaml_files import line_of, read_yaml
from schema.enums import DiscretionKind
from schema.labels import Label, Rel
from schema.models import DiscretionEntry, DiscretionList, Provision

if TYPE_CHECKING:
    from loaders.bulk_graph import BulkGraph

HEADERS_FILE = Path(__file__).with_name("discretion_headers.yaml")
# How published lists name their kind; each means one of the two (schema.enums.DiscretionKind).
KIND_SPELLINGS = {
    "裁量基准": DiscretionKind.BENCHMARK,
    "行政处罚裁量基准": DiscretionKind.BENCHMARK,
    "裁量权基准": DiscretionKind.BENCHMARK,
    "不予处罚清单": DiscretionKind.NO_PENALTY,
    "不予处罚事项清单": DiscretionKind.NO_PENALTY,
    "首违不罚清单": DiscretionKind.NO_PENALTY,
    "轻微违法行为免罚清单": DiscretionKind.NO_PENALTY,
    "免罚清单": DiscretionKind.NO_PENALTY,
}
REQUIRED = {
    DiscretionKind.BENCHMARK: ("violation", "circumstance", "standard"),
    DiscretionKind.NO_PENALTY: ("violation", "condition"),
}
READ = ("seq", "item_code", "violation", "basis", "penalty_basis", "circumstance", "standard")
READ += ("condition", "department")
# A benchmark's violation spans its tier rows (merged cells; a CSV keeps the top one): a row
# without its own 序号 carries these from the row above.
CARRIED = ("seq", "item_code", "violation", "basis", "penalty_basis", "department")
MATCH_CODE, MATCH_NAME, MATCH_AMBIGUOUS, MATCH_NONE = (
    "code",
    "name_and_article",
    "ambiguous",
    "none",
)
_PUNCTUATION = re.compile(r"[\s，。、；：,.;:（）()“”\"'《》〈〉「」【】\[\]·—\-]+")
_NAME_EDGES = (("对",), ("的行政处罚", "的处罚", "处罚", "的行为", "行为", "的"))


class DiscretionMeta(BaseModel):
    """What a discretion list is, from the `.meta.yaml` beside it."""

    model_config = ConfigDict(extra="forbid")
    kind: DiscretionKind
    series: str | None = None  # default: the file name without suffix
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    effective: date | None = None
    published: date | None = None
    region: str | None = None  # the issuer's region (GB/T 2260): rows link to items held there
    rests_on: str | None = (
        None  # the article the list applies: 《中华人民共和国行政处罚法》第三十三条
    )
    notes: list[str] = Field(default_factory=list)

    @field_validator("kind", mode="before")
    @classmethod
    def _spelt(cls, value: object) -> object:
        return KIND_SPELLINGS.get(str(value).strip(), value)


@dataclass(frozen=True)
class PlannedEntry:
    """One validated row, and the articles (document#article) its basis cells cite."""

    entry: DiscretionEntry
    articles: frozenset[str]


@dataclass
class DiscretionPlan:
    """A discretion list ready to write: its node and its rows."""

    file: Path
    meta: DiscretionMeta
    node: DiscretionList
    entries: list[PlannedEntry] = field(default_factory=list)


@dataclass
class DiscretionOutcome:
    """What writing a list did: rows per match kind, and the rows a person should look at."""

    title: str
    kind: str
    matched: dict[str, int]
    warnings: list[str]

    def describe(self) -> str:
        counts = ", ".join(f"{kind} {n}" for kind, n in self.matched.items() if n)
        return f"{self.kind}《{self.title}》: {sum(self.matched.values())} rows ({counts})"

    def detail(self) -> dict[str, object]:
        return {"kind": self.kind, **{f"rows_{k}": n for k, n in self.matched.items()}}


def is_discretion_file(path: Path) -> bool:
    """A table whose `.meta.yaml` says `kind:` 裁量基准 or 不予处罚清单 (or another spelling of
    them): a discretion list, not a catalog. Read from the metadata's first lines only."""
    meta = meta_path(path)
    if meta is None:
        return False
    with meta.open("rb") as handle:
        head = handle.read(16_384).decode("utf-8", errors="replace")
    found = re.search(r"^kind:[ \t]*[\"']?([^\"'#\s]+)", head, flags=re.MULTILINE)
    return found is not None and found[1] in KIND_SPELLINGS


def plan_discretion(path: Path, report: LoadReport, overrides: dict) -> DiscretionPlan | None:
    """Read and validate a discretion list; problems go to the report (None: it has errors)."""
    meta = read_discretion_meta(path, overrides)
    if meta.effective is None:
        raise InputError(path, "no effective date: put `effective: YYYY-MM-DD` in its .meta.yaml")
    headers = HeaderMap.load(HEADERS_FILE)
    errors_before = len(report.errors)
    entries: list[PlannedEntry] = []
    list_id = f"{_series(meta, path)}@{meta.effective.isoformat()}"
    for table in read_tables(path, header_map=headers):
        columns = headers.map_columns(table, required=REQUIRED[meta.kind], used=READ)
        for row in _carried(table, columns, meta.kind).rows:
            planned = _entry(row, columns, meta.kind, list_id, report)
            if planned is not None:
                entries.append(planned)
    if len(report.errors) > errors_before:
        return None
    return DiscretionPlan(file=path, meta=meta, node=_list_node(path, meta), entries=entries)


def read_discretion_meta(path: Path, overrides: dict) -> DiscretionMeta:
    """The `.meta.yaml` beside a list, with the CLI's options (those a list has) on top."""
    file = meta_path(path)
    raw = read_yaml(file) if file else None
    if not isinstance(raw, dict):
        raise InputError(file or path, "metadata must be a mapping (kind: 裁量基准, effective: …)")
    given = {k: v for k, v in overrides.items() if k in DiscretionMeta.model_fields and v}
    try:
        return DiscretionMeta.model_validate(raw | given)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = [str(part) for part in err["loc"]]
        raise InputError(
            file or path,
            f"{'.'.join(where)}: {err['msg']}",
            row=line_of(file, where) if file else None,
            column=f"{'.'.join(where)} (metadata)",
        ) from None


def write_discretion(tx: ManagedTransaction, plan: DiscretionPlan) -> DiscretionOutcome:
    """Write the list, its rows, and each row's links to items (replacing the links an earlier
    load of the same version wrote). Items are read in the same transaction, so a link is made
    against the graph as it is when the list commits."""
    linked = decide_links(plan, _candidates(tx, plan))
    tx.run(WRITE_LIST, list=plan.node.to_properties()).consume()
    rows = [entry.to_properties() for entry in linked.entries]
    tx.run(WRITE_ENTRIES, list=plan.node.id, entries=rows).consume()
    tx.run(WRITE_LINKS, links=linked.links).consume()
    return linked.outcome


def build_discretion(graph: BulkGraph, plan: DiscretionPlan) -> DiscretionOutcome:
    """The same list written into the in-memory graph of a first import (loaders.bulk_load):
    candidates as CANDIDATES finds them, then the nodes and links write_discretion writes."""
    linked = decide_links(plan, bulk_candidates(graph, plan))
    graph._merge_node(Label.DISCRETION_LIST, plan.node.id, set_=plan.node.to_properties())
    for entry in linked.entries:
        graph._merge_node(Label.DISCRETION_ENTRY, entry.id, set_=entry.to_properties())
        ends = ((Label.DISCRETION_ENTRY, entry.id), (Label.DISCRETION_LIST, plan.node.id))
        graph._merge_rel(Rel.IN, *ends)
    for row in linked.links:
        ends = ((Label.DISCRETION_ENTRY, row["entry"]), (Label.ENFORCEMENT_ITEM, row["item"]))
        if graph._node(Label.ENFORCEMENT_ITEM, row["item"]) is not None:
            graph._merge_rel(Rel.APPLIES_TO, *ends, set_={"match": row["match"]})
    return linked.outcome


@dataclass(frozen=True)
class Linked:
    """A list's rows with their match decided, the links to write, and the outcome."""

    entries: list[DiscretionEntry]
    links: list[dict[str, Any]]
    outcome: DiscretionOutcome


def decide_links(plan: DiscretionPlan, candidates: Sequence[dict[str, Any]]) -> Linked:
    """Each row's match (`link`), one warning per violation that needs a look."""
    written: list[DiscretionEntry] = []
    links: list[dict[str, Any]] = []
    warnings: list[str] = []
    matched = dict.fromkeys((MATCH_CODE, MATCH_NAME, MATCH_AMBIGUOUS, MATCH_NONE), 0)
    for group in _groups(plan.entries):
        kind, codes, note = link(group[0], candidates)
        if note:
            warnings.append(f"{_rows(group)} (违法行为 「{group[0].entry.violation}」): {note}")
        matched[kind] += len(group)
        for planned in group:
            entry = planned.entry.model_copy(update={"match": kind, "match_note": note})
            written.append(entry)
            links += [{"entry": entry.id, "item": code, "match": kind} for code in codes]
    written.sort(key=lambda entry: entry.row)
    outcome = DiscretionOutcome(plan.node.title, plan.meta.kind.value, matched, warnings)
    return Linked(written, links, outcome)


def link(
    planned: PlannedEntry, candidates: Sequence[dict[str, Any]]
) -> tuple[str, list[str], str | None]:
    """How one row links: (match kind, item codes, what a person should know, if anything).

    By code when the row's 事项编码 is an item the graph holds; else the items whose normalised
    name is the row's and which cite an article the row cites: one is `name_and_article`, two or
    more are `ambiguous` (each linked, none chosen). Otherwise none, with what was looked for."""
    entry = planned.entry
    by_code = [c for c in candidates if entry.item_code and c["code"] == entry.item_code]
    if by_code:
        return MATCH_CODE, [entry.item_code or ""], None
    wrong_code = f"事项编码 {entry.item_code} is no item in the graph; " if entry.item_code else ""
    name = normal_name(entry.violation)
    sharing = [c for c in candidates if planned.articles & set(c["articles"])]
    fits = [c for c in sharing if normal_name(c["name"]) == name]
    if len(fits) == 1:
        note = f"{wrong_code}linked by name and article instead" if wrong_code else None
        return MATCH_NAME, [fits[0]["code"]], note
    if fits:
        codes = sorted(c["code"] for c in fits)
        return (
            MATCH_AMBIGUOUS,
            codes,
            (
                f"{wrong_code}{len(codes)} items have its name and cite its article "
                f"({', '.join(codes)}): linked to each as ambiguous (匹配不唯一); give 事项编码 to say which"
            ),
        )
    return MATCH_NONE, [], wrong_code + _why_unmatched(planned, sharing, candidates, name)


def normal_name(text: str) -> str:
    """A violation or item name for comparison: NFKC, no spaces or punctuation, without the
    catalog's frame (对…的处罚, …的行为): 「对随意倾倒生活垃圾的处罚」 → 「随意倾倒生活垃圾」."""
    name = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))
    changed = True
    while changed and name:
        before = name
        name = next((name[len(p) :] for p in _NAME_EDGES[0] if name.startswith(p)), name)
        name = next((name[: -len(s)] for s in _NAME_EDGES[1] if name.endswith(s)), name)
        changed = name != before
    return name


# -- reading rows -------------------------------------------------------------------------------


def _carried(table: Table, columns: ColumnMap, kind: DiscretionKind) -> Table:
    """A benchmark's rows with the violation's cells carried down to its tier rows (rows with no
    序号 of their own); a no-penalty list has one row per violation and carries nothing."""
    if kind != DiscretionKind.BENCHMARK:
        return table
    carried = [columns[f] for f in CARRIED if f in columns]
    seq = columns.get("seq")
    groups: list[list[SourceRow]] = []
    for row in table.rows:
        if seq is None or row.cells[seq] or not groups:
            groups.append([])
        groups[-1].append(row)
    rows = [r for group in groups for r in _fill(group, carried)]
    return Table(table.file, table.sheet, table.header_row, table.headers, table.raw_headers, rows)


def _fill(group: list[SourceRow], carried: list[int]) -> list[SourceRow]:
    part = Table(group[0].file, group[0].sheet, 0, [], [], group)
    return part.fill_down(carried).rows


def _entry(
    row: SourceRow, columns: ColumnMap, kind: DiscretionKind, list_id: str, report: LoadReport
) -> PlannedEntry | None:
    cell = {f: columns.cell(row, f) or None for f in READ}
    missing = [f for f in REQUIRED[kind] if not cell[f]]
    for f in missing:
        report.input_error(columns.at(row, f).error(f"「{columns.header(f)}」 is empty"))
    if missing:
        return None
    cited = parse_basis("\n".join(filter(None, [cell["basis"], cell["penalty_basis"]])))
    articles = frozenset(
        Provision.make_id(c.document_key, c.article, None, None)
        for c in cited.citations
        if c.article is not None
    )
    entry = DiscretionEntry(
        id=f"{list_id}#{row.sheet + '!' if row.sheet else ''}{row.row}",  # a sheet's own rows
        row=row.row,
        violation=cell["violation"] or "",
        item_code=cell["item_code"],
        basis=cell["basis"],
        penalty_basis=cell["penalty_basis"],
        circumstance=cell["circumstance"],
        standard=cell["standard"],
        condition=cell["condition"],
        department=cell["department"],
        match=MATCH_NONE,
    )
    return PlannedEntry(entry, articles)


def _series(meta: DiscretionMeta, path: Path) -> str:
    return meta.series or re.sub(r"\.(csv|tsv|txt|xlsx|xlsm)$", "", path.name)


def _list_node(path: Path, meta: DiscretionMeta) -> DiscretionList:
    rests_on = parse_basis(meta.rests_on or "").citations
    return DiscretionList(
        id=f"{_series(meta, path)}@{(meta.effective or date.min).isoformat()}",
        series=_series(meta, path),
        kind=meta.kind,
        title=meta.title or path.stem,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        effective=meta.effective or date.min,
        published=meta.published,
        region=meta.region,
        rests_on=[
            Provision.make_id(c.document_key, c.article, c.paragraph, c.item)
            for c in rests_on
            if c.article is not None
        ],
        source_file=path.name,
        checksum=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


# -- linking ------------------------------------------------------------------------------------


def _groups(entries: Iterable[PlannedEntry]) -> list[list[PlannedEntry]]:
    """Rows of one violation (its tier rows) together: they link alike and warn once."""
    groups: dict[tuple[object, ...], list[PlannedEntry]] = {}
    for planned in entries:
        e = planned.entry
        groups.setdefault((e.violation, e.item_code, planned.articles), []).append(planned)
    return list(groups.values())


def _rows(group: list[PlannedEntry]) -> str:
    rows = [planned.entry.row for planned in group]
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}–{rows[-1]}"


def _why_unmatched(
    planned: PlannedEntry,
    sharing: list[dict[str, Any]],
    candidates: Sequence[dict[str, Any]],
    name: str,
) -> str:
    named = [c for c in candidates if normal_name(c["name"]) == name]
    if named:
        codes = ", ".join(c["code"] for c in named)
        return (
            f"not linked: {codes} has its name but cites none of its articles "
            f"({_articles(planned)}); give 事项编码 to link it"
        )
    if sharing:
        listed = "; ".join(f"{c['code']} 「{c['name']}」" for c in sharing[:5])
        return (
            f"not linked: no item has its name (read as 「{name}」); items citing the same "
            f"article have other names ({listed}); give 事项编码 to link one"
        )
    return (
        f"not linked: no item has its name (read as 「{name}」) and cites "
        f"{_articles(planned)}, and it gives no 事项编码 the graph holds; it shows in no "
        "authority answer (load the catalog listing such an item, then this list again)"
    )


def _articles(planned: PlannedEntry) -> str:
    return "、".join(sorted(planned.articles)) or "no parseable article"


def _candidates(tx: ManagedTransaction, plan: DiscretionPlan) -> list[dict[str, Any]]:
    codes = sorted({p.entry.item_code for p in plan.entries if p.entry.item_code})
    articles = sorted({a for p in plan.entries for a in p.articles})
    rows = tx.run(CANDIDATES, codes=codes, articles=articles, region=plan.meta.region)
    return [row.data() for row in rows]


def bulk_candidates(graph: BulkGraph, plan: DiscretionPlan) -> list[dict[str, Any]]:
    """What CANDIDATES answers, from the in-memory graph of a first import."""
    codes = {p.entry.item_code for p in plan.entries if p.entry.item_code}
    articles = {a for p in plan.entries for a in p.articles}
    cited: dict[str, dict[str, None]] = defaultdict(dict)
    for code, provision_id in graph.rels[(Rel.BASED_ON, Label.ENFORCEMENT_ITEM, Label.PROVISION)]:
        provision = graph.nodes[Label.PROVISION][provision_id]
        cited[code][f"{provision['document_id']}#{provision['article']}"] = None
    region = plan.meta.region
    inside = _departments_in(graph, region) if region else set()
    held: dict[str, set[str]] = defaultdict(set)
    for code, department in graph.rels[(Rel.HELD_BY, Label.ENFORCEMENT_ITEM, Label.DEPARTMENT)]:
        held[code].add(department)
    found = []
    for code, item in sorted(graph.nodes[Label.ENFORCEMENT_ITEM].items()):
        shares = bool(articles & cited[code].keys())
        if code in codes or (shares and (region is None or held[code] & inside)):
            found.append({"code": code, "name": item["name"], "articles": list(cited[code])})
    return found


def _departments_in(graph: BulkGraph, region: str) -> set[str]:
    """Departments PART_OF the region within four steps, as CANDIDATES's PART_OF*1..4."""
    parents: dict[tuple[str, Any], set[tuple[str, Any]]] = defaultdict(set)
    for (rel, start_label, end_label), links in graph.rels.items():
        if rel == Rel.PART_OF:
            for start, end in links:
                parents[(start_label, start)].add((end_label, end))
    inside = set()
    for department in graph.nodes[Label.DEPARTMENT]:
        reached = {(Label.DEPARTMENT.value, department)}
        for _ in range(4):
            reached = {parent for node in reached for parent in parents.get(node, ())}
            if (Label.REGION.value, region) in reached:
                inside.add(department)
                break
    return inside


# The items a list's rows may link to: those its codes name, and those citing an article it
# cites, held in its region (a list without a region: anywhere). A read inside the writing
# transaction, as loaders.write.missing_articles is: the links are made against what commits.
CANDIDATES = """
MATCH (item:EnforcementItem)
WHERE item.code IN $codes
   OR (EXISTS {
         MATCH (item)-[:BASED_ON]->(p:Provision)
         WHERE p.document_id + '#' + toString(p.article) IN $articles
       }
       AND ($region IS NULL OR EXISTS {
         MATCH (item)-[:HELD_BY]->(:Department)-[:PART_OF*1..4]->(:Region {code: $region})
       }))
RETURN item.code AS code, item.name AS name,
       COLLECT {
         MATCH (item)-[:BASED_ON]->(p:Provision)
         RETURN DISTINCT p.document_id + '#' + toString(p.article)
       } AS articles
ORDER BY code
"""
WRITE_LIST = """
MERGE (list:DiscretionList {id: $list.id})
SET list += $list
"""
WRITE_ENTRIES = """
MATCH (list:DiscretionList {id: $list})
UNWIND $entries AS row
MERGE (entry:DiscretionEntry {id: row.id})
SET entry += row
MERGE (entry)-[:IN]->(list)
WITH DISTINCT entry
OPTIONAL MATCH (entry)-[old:APPLIES_TO]->(:EnforcementItem)
DELETE old
"""
WRITE_LINKS = """
UNWIND $links AS row
MATCH (entry:DiscretionEntry {id: row.entry}), (item:EnforcementItem {code: row.item})
CREATE (entry)-[:APPLIES_TO {match: row.match}]->(item)
"""
