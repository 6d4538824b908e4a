"""The loaders' writes on a graph held in memory (内存图), for a first load by neo4j-admin import.

`BulkGraph` carries out every operation of `loaders.graph_writes.GraphWrites` with the semantics
of its Cypher in `loaders.write`, statement by statement:

- `MERGE (n:L {key: k})` finds or creates the node; `ON CREATE SET n += m` sets the non-null
  values of m on a new node only; `SET n += m` sets each value and REMOVES a property whose
  value is null (Cypher's rule);
- `MERGE (a)-[r:T]->(b)` keeps at most one T from a to b; a `MATCH` that finds no node skips
  the row, as the statement would.

It also answers the reads the loaders make to decide (a catalog's versions, the delegations in
force, organisation names), from indexes it keeps as it writes. Only a first load into an empty
database goes this way; a test loads one dataset through both and compares the graphs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

from loaders.street_names import known_department, known_street
from loaders.write import ORG_LINKS
from schema.graph_rows import KEYS, GraphRows
from schema.labels import Label, Rel

Props = dict[str, Any]
NO_PROPERTIES: Mapping[str, Any] = MappingProxyType({})  # read-only: a link's props until set
NodeRef = tuple[str, Any]  # (label, business key)


class BulkGraph:
    """Nodes by label and key; relationships by (type, start, end) and their ends' keys."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[Any, Props]] = defaultdict(dict)
        self.rels: dict[tuple[str, str, str], dict[tuple[Any, Any], Mapping[str, Any]]] = (
            defaultdict(dict)
        )
        self._members: dict[tuple[str, str], list[Any]] = defaultdict(list)  # PART_OF a region
        self._series: dict[str, list[str]] = defaultdict(list)  # catalog series → ids
        self._series_delegations: dict[str, dict[str, None]] = defaultdict(dict)
        self._pair_delegations: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
        self._delegation_ends: dict[str, dict[str, Any]] = {}
        self._articles: dict[tuple[str, int], dict[str, None]] = defaultdict(dict)
        self._provision_in: dict[str, dict[str, None]] = defaultdict(dict)  # IN → documents
        self._names: dict[str, dict[str, Any]] = {}  # find_ids: label → name → key (lazy)

    # -- the graph as rows ------------------------------------------------------------------

    def rows(self) -> GraphRows:
        graph = GraphRows()
        for label, nodes in self.nodes.items():
            if nodes:
                graph.nodes[Label(label)] = list(nodes.items())
        for (rel, start, end), rels in self.rels.items():
            if rels:
                graph.rels[(Rel(rel), Label(start), Label(end))] = [
                    (a, b, props) for (a, b), props in rels.items()
                ]
        return graph

    # -- MERGE and SET, as Cypher does them ---------------------------------------------------

    def _node(self, label: str, key: Any) -> Props | None:
        return None if key is None else self.nodes[label].get(key)

    def _merge_node(
        self, label: str, key: Any, *, on_create: Props | None = None, set_: Props | None = None
    ) -> Props:
        if key is None:
            raise ValueError(f"cannot MERGE a {label} on a null {KEYS[label]}")
        node = self.nodes[label].get(key)
        if node is None:
            node = self.nodes[label][key] = {KEYS[label]: key}
            _set(node, on_create or {}, create=True)
            self._names.pop(label, None)
        if set_:
            _set(node, set_)
            self._names.pop(label, None)
        if label == "Provision":
            self._note_article(node)
        return node

    def _merge_rel(
        self, rel: str, start: NodeRef, end: NodeRef, set_: Props | None = None
    ) -> Mapping[str, Any]:
        group = self.rels[(rel, start[0], end[0])]
        ends = (start[1], end[1])
        props = group.get(ends)
        if props is None:
            props = group[ends] = NO_PROPERTIES  # most links never get one: share one empty map
            if rel == "PART_OF" and end[0] == "Region":
                self._members[(start[0], end[1])].append(start[1])
            elif rel == "IN":
                self._provision_in[start[1]][end[1]] = None
        if set_:
            if props is NO_PROPERTIES:
                props = group[ends] = {}
            _set(props, set_)  # type: ignore[arg-type]
        return props

    def _note_article(self, provision: Props) -> None:
        document, article = provision.get("document_id"), provision.get("article")
        if document is not None and article is not None:
            self._articles[(document, article)][provision["id"]] = None

    # -- catalogs -------------------------------------------------------------------------------

    def lock_catalog(self, props: Props) -> Props | None:
        stored = self._node("Catalog", props["id"])
        if stored is not None:
            return {"checksum": stored.get("checksum"), "created": False}
        self._merge_node("Catalog", props["id"], on_create=props)
        if props.get("series") is not None:
            self._series[props["series"]].append(props["id"])
        return {"checksum": props.get("checksum"), "created": True}

    def _versions(self, series: str) -> list[Props]:
        return [self.nodes["Catalog"][i] for i in self._series.get(series, [])]

    def later_versions(self, series: str, effective: Any, catalog_id: str) -> list:
        later = [
            c
            for c in self._versions(series)
            if c["effective"] > effective and c["id"] != catalog_id
        ]
        return [c["id"] for c in sorted(later, key=lambda c: c["effective"])]

    def link_previous_version(self, series: str, catalog_id: str) -> None:
        new = self._node("Catalog", catalog_id)
        if new is None:
            return
        older = [
            c
            for c in self._versions(series)
            if c["id"] != catalog_id and c["effective"] < new["effective"]
        ]
        if older:
            old = max(older, key=lambda c: c["effective"])
            self._merge_rel("SUPERSEDES", ("Catalog", catalog_id), ("Catalog", old["id"]))

    def catalogs_named(self, names: list[str]) -> list[Props]:
        found = []
        for name in names:
            series = {
                c.get("series")
                for c in self.nodes["Catalog"].values()
                if name in (c.get("series"), c.get("doc_number"), c.get("title"))
            }
            for one in sorted(s for s in series if s is not None):
                found += [
                    {"name": name, "id": v["id"], "series": one}
                    | {"effective": v.get("effective"), "kind": v.get("kind")}
                    for v in sorted(self._versions(one), key=lambda v: (v["effective"], v["id"]))
                ]
        return found

    def catalog_items(self, catalog_id: str) -> list[Props]:
        listed = [
            b for (a, b) in self.rels[("LISTS", "Catalog", "EnforcementItem")] if a == catalog_id
        ]
        held = self.rels[("HELD_BY", "EnforcementItem", "Department")]
        return [
            {
                "code": code,
                "domain": self.nodes["EnforcementItem"][code].get("domain"),
                "departments": sorted(d for (i, d) in held if i == code),
            }
            for code in sorted(listed)
        ]

    def delegations_in_force_to(self, streets: list[str]) -> list[Props]:
        wanted, found = set(streets), []
        for delegation_id, ends in self._delegation_ends.items():
            node = self.nodes["Delegation"][delegation_id]
            if ends["street"] not in wanted or node.get("valid_to") is not None:
                continue
            item = self.nodes["EnforcementItem"].get(ends["item"], {})
            found.append(
                {"id": delegation_id, **ends, "mode": node.get("mode")}
                | {"valid_from": node.get("valid_from"), "domain": item.get("domain")}
            )
        return sorted(found, key=lambda d: d["id"])

    def link_replaced(self, catalog_id: str, replaced: list[str]) -> None:
        if self._node("Catalog", catalog_id) is None:
            return
        for old in replaced:
            if self._node("Catalog", old) is not None:
                self._merge_rel("SUPERSEDES", ("Catalog", catalog_id), ("Catalog", old))

    def known_organisation(self, region: str | None) -> dict[str, list[dict]]:
        departments = sorted(self._of_region("Department", region), key=lambda d: d["id"])
        streets = sorted(self._of_region("Street", region), key=lambda s: s["code"])
        return {
            "departments": self._known_departments(departments),
            "streets": self._known_streets(streets),
        }

    def departments_of_ids(self, ids: list[str]) -> list[Props]:
        nodes = self.nodes["Department"]
        return self._known_departments([nodes[i] for i in sorted(set(ids)) if i in nodes])

    def _known_departments(self, departments: list[Props]) -> list[Props]:
        histories = self._histories("Department", "DepartmentFact")
        return [
            known_department(
                {"id": d["id"], "name": d.get("name"), "aliases": d.get("aliases") or []}
                | histories.get(d["id"], {"names": [], "merged": None})
            )
            for d in departments
        ]

    def streets_of_codes(self, codes: list[str]) -> list[Props]:
        found = [self.nodes["Street"][c] for c in sorted(set(codes)) if c in self.nodes["Street"]]
        return self._known_streets(found)

    def _known_streets(self, streets: list[Props]) -> list[Props]:
        histories = self._street_histories()
        return [
            known_street(
                {
                    "code": s["code"],
                    "name": s.get("name"),
                    "kind": s.get("kind"),
                    "mode": s.get("delegation_mode"),
                }
                | histories.get(s["code"], {"names": [], "merged": None})
            )
            for s in streets
        ]

    def _street_histories(self) -> dict[str, Props]:
        return self._histories("Street", "StreetFact")

    def _histories(self, label: str, fact_label: str) -> dict[str, Props]:
        """Streets' (departments') dated names and mergers as `loaders.write.known_organisation`
        reads them."""
        documents = self.nodes["LegalDocument"]
        basis = {f: d for (f, d) in self.rels[("DEFINED_IN", fact_label, "LegalDocument")]}
        found: dict[str, Props] = defaultdict(lambda: {"names": [], "merged": None})
        for street, fact_id in self.rels[("HAS_FACT", label, fact_label)]:
            fact = self.nodes[fact_label].get(fact_id, {})
            if fact.get("fact") != "name":
                continue
            doc = documents.get(basis.get(fact_id), {})
            found[street]["names"].append(
                {"name": fact["value"], "valid_from": fact.get("valid_from")}
                | {"valid_to": fact.get("valid_to"), "basis": fact.get("basis")}
                | {"doc_number": doc.get("doc_number"), "title": doc.get("title")}
            )
        for (street, into), props in self.rels[("MERGED_INTO", label, label)].items():
            doc = documents.get(props.get("basis") or "", {})
            found[street]["merged"] = {
                "into": into,
                "into_name": self.nodes[label].get(into, {}).get("name"),
                "valid_from": props.get("valid_from"),
                "basis": props.get("basis"),
                "doc_number": doc.get("doc_number"),
                "title": doc.get("title"),
            }
        return dict(found)

    def _of_region(self, label: str, region: str | None) -> list[Props]:
        if region is None:
            return list(self.nodes[label].values())
        return [self.nodes[label][k] for k in self._members.get((label, region), [])]

    def write_departments(self, rows: list[Props], region: str | None) -> int:
        for row in rows:
            self._merge_node("Department", row["id"], on_create=row["props"])
            if region is not None and self._node("Region", region) is not None:
                self._merge_rel("PART_OF", ("Department", row["id"]), ("Region", region))
        return len(rows)

    def write_items(self, catalog_id: str, rows: list[Props]) -> int:
        for row in rows:
            code = row["item"]["code"]
            self._merge_node("EnforcementItem", code, set_=row["item"])
            if self._node("Catalog", catalog_id) is None:
                continue
            self._merge_rel(
                "LISTS", ("Catalog", catalog_id), ("EnforcementItem", code), row["lists"]
            )
            category = row["category"]
            if category is not None and self._node("Category", category) is not None:
                self._merge_rel("IN_CATEGORY", ("EnforcementItem", code), ("Category", category))
            department = row["department"]
            if department is not None and self._node("Department", department) is not None:
                self._merge_rel("HELD_BY", ("EnforcementItem", code), ("Department", department))
        return len(rows)

    def write_guide_items(self, catalog_id: str, items: list[Props], province: Props) -> int:
        self._merge_node("Region", province["code"], on_create=province)
        for item in items:
            self._merge_node("GuideItem", item["id"], set_=item)
            if self._node("Catalog", catalog_id) is not None:
                link = ("Catalog", catalog_id), ("GuideItem", item["id"])
                self._merge_rel("GUIDES", *link, {"row": item["source_row"]})
        return len(items)

    def write_basis(self, documents: list[Props], provisions: list[Props], links: list) -> int:
        for row in documents:
            doc = self._merge_node("LegalDocument", row["id"], on_create=row)
            if doc.get("rank") == "未知" and row.get("rank") not in (None, "未知"):
                doc["rank"] = row["rank"]
        for row in provisions:
            self._merge_node("Provision", row["id"], on_create=row)
            if self._node("LegalDocument", row["document_id"]) is not None:
                self._merge_rel(
                    "IN", ("Provision", row["id"]), ("LegalDocument", row["document_id"])
                )
        for row in links:
            if self._node("EnforcementItem", row["itemCode"]) is None:
                continue
            if self._node("Provision", row["provisionId"]) is not None:
                basis: NodeRef = ("Provision", row["provisionId"])
            elif self._node("LegalDocument", row["documentId"]) is not None:
                basis = ("LegalDocument", row["documentId"])
            else:
                raise ValueError(f"BASED_ON {row['documentId']}: neither provision nor document")
            self._merge_rel("BASED_ON", ("EnforcementItem", row["itemCode"]), basis, row["link"])
        return len(documents) + len(provisions) + len(links)

    def missing_articles(self, provision_ids: list[str]) -> list[Props]:
        missing: dict[tuple, Props] = {}
        for pid in provision_ids:
            provision = self._node("Provision", pid)
            if provision is None:
                continue
            for doc_id in self._provision_in.get(pid, {}):
                doc = self.nodes["LegalDocument"][doc_id]
                article = provision.get("article")
                held = self._has_text(doc_id, article)
                last = doc.get("last_article")
                # The same rule as loaders.write.missing_articles, in memory.
                if not doc.get("text_loaded") or provision.get("text") is not None:
                    continue
                if not held and doc.get("text_excerpt") and (last is None or article <= last):
                    continue
                row = {
                    "id": pid,
                    "article": article,
                    "paragraph": provision.get("paragraph") if held else None,
                    "item": provision.get("item") if held else None,
                    "title": doc.get("title"),
                    "version": doc.get("version_date"),
                }
                missing[tuple(row.values())] = row
        return list(missing.values())

    def _has_text(self, document: str, article: Any) -> bool:
        provisions = self.nodes["Provision"]
        return any(
            provisions[p].get("text") is not None
            for p in self._articles.get((document, article), {})
        )

    # -- delegations ----------------------------------------------------------------------------

    def active_delegations_of_series(self, series: str) -> list[Props]:
        found = []
        for delegation_id in self._series_delegations.get(series, {}):
            node = self.nodes["Delegation"][delegation_id]
            ends = self._delegation_ends.get(delegation_id)
            if node.get("valid_to") is None and ends is not None:
                found.append({"id": delegation_id, **ends, "mode": node.get("mode")})
        return found

    def active_delegations_of(self, pairs: list[Props], on: Any) -> list:
        found: dict[tuple, Props] = {}
        for pair in pairs:
            for delegation_id in self._pair_delegations.get((pair["item"], pair["street"]), {}):
                node = self.nodes["Delegation"][delegation_id]
                since = node.get("valid_from")
                if node.get("valid_to") is None and since is not None and since <= on:
                    row = {
                        "id": delegation_id,
                        "item": pair["item"],
                        "street": pair["street"],
                        "row": pair.get("row"),
                    }
                    found[tuple(row.values())] = row
        return list(found.values())

    def start_delegations(self, catalog_id: str, rows: list[Props]) -> int:
        for row in rows:
            ends = {
                "Catalog": catalog_id,
                "EnforcementItem": row["item"],
                "Street": row["street"],
                "Department": row["department"],
            }
            if any(self._node(label, key) is None for label, key in ends.items()):
                continue
            delegation_id = row["props"]["id"]
            self._merge_node("Delegation", delegation_id, on_create=row["props"])
            me = ("Delegation", delegation_id)
            self._merge_rel("OF", me, ("EnforcementItem", row["item"]))
            self._merge_rel("TO", me, ("Street", row["street"]))
            self._merge_rel("FROM", me, ("Department", row["department"]))
            self._authorize(delegation_id, catalog_id, row["row"])
            self._delegation_ends.setdefault(
                delegation_id,
                {"item": row["item"], "street": row["street"], "department": row["department"]},
            )
            self._pair_delegations[(row["item"], row["street"])][delegation_id] = None
        return len(rows)

    def _authorize(self, delegation_id: str, catalog_id: str, row: Any) -> None:
        self._merge_rel(
            "AUTHORIZED_BY", ("Delegation", delegation_id), ("Catalog", catalog_id), {"row": row}
        )
        series = self.nodes["Catalog"][catalog_id].get("series")
        if series is not None:
            self._series_delegations[series][delegation_id] = None

    def confirm_delegations(self, catalog_id: str, rows: list[Props]) -> int:
        for row in rows:
            if self._node("Delegation", row["id"]) and self._node("Catalog", catalog_id):
                self._authorize(row["id"], catalog_id, row["row"])
        return len(rows)

    def end_delegations(self, catalog_id: str, ids: list[str], on: Any) -> int:
        for delegation_id in ids:
            node = self._node("Delegation", delegation_id)
            if node is None or self._node("Catalog", catalog_id) is None:
                continue
            _set(node, {"valid_to": on, "status": "已终止"})
            self._merge_rel("ENDED_BY", ("Delegation", delegation_id), ("Catalog", catalog_id))
        return len(ids)

    # -- law texts, organisation, cases ---------------------------------------------------------

    def write_law_text(self, document: Props, provisions: list[Props]) -> int:
        stored = self._node("LegalDocument", document["id"]) or {}
        held, given = stored.get("current_version_date"), document.get("current_version_date")
        if held is not None and given is not None and held > given:
            return 0  # a newer version's text is loaded: the older one does not overwrite it
        self._merge_node("LegalDocument", document["id"], set_=document)
        for provision in self.nodes["Provision"].values():
            dated = provision.get("version_date")
            same_law = provision.get("document_id") == document["id"]
            if same_law and given is not None and dated is not None and dated < given:
                _set(provision, {"text": None, "version_date": None})
        for row in provisions:
            self._merge_node("Provision", row["id"], set_=row)
            if self._node("LegalDocument", document["id"]) is not None:
                self._merge_rel("IN", ("Provision", row["id"]), ("LegalDocument", document["id"]))
        return 1 + len(provisions)

    def write_law_versions(
        self,
        document_id: str,
        version_id: str,
        versions: list[Props],
        links: list[Props],
        provisions: list[Props],
    ) -> int:
        for row in versions:
            created = self._node("LawVersion", row["id"]) is None
            node = self._merge_node("LawVersion", row["id"])
            if created or row["own"]:
                _set(node, row["props"], create=created and not row["own"])
            if self._node("LegalDocument", document_id) is not None:
                self._merge_rel(
                    "VERSION_OF", ("LawVersion", row["id"]), ("LegalDocument", document_id)
                )
        for link in links:
            if self._node("LawVersion", link["new"]) and self._node("LawVersion", link["old"]):
                self._merge_rel(
                    link["type"], ("LawVersion", link["new"]), ("LawVersion", link["old"])
                )
        for row in provisions:
            self._merge_node("Provision", row["id"], set_=row)
            if self._node("LawVersion", version_id) is not None:
                self._merge_rel("IN", ("Provision", row["id"]), ("LawVersion", version_id))
        return len(versions) + len(provisions)

    def document_replacements(self, rows: list[Props]) -> int:
        for row in rows:
            self._merge_node(
                "LegalDocument",
                row["id"],
                on_create={"title": row["title"], "rank": row["rank"]},
                set_=row["props"],
            )
            by = row["repealedBy"]
            if by is not None:
                self._merge_node(
                    "LegalDocument",
                    by["id"],
                    on_create={"title": by["title"], "rank": "未知", "status": "现行有效"},
                )
                self._merge_rel(
                    "REPEALS", ("LegalDocument", by["id"]), ("LegalDocument", row["id"])
                )
        return len(rows)

    def write_region(self, region: Props, parent: Props | None) -> None:
        self._merge_node("Region", region["code"], set_=region)
        if parent is not None:
            self._merge_node("Region", parent["code"], set_=parent)
            self._merge_rel("PART_OF", ("Region", region["code"]), ("Region", parent["code"]))

    def write_org_nodes(self, label: str, key: str, rows: list[Props], region: str) -> int:
        part_of_region = label in {"Department", "Street", "Zone"}
        for row in rows:
            self._merge_node(label, row[key], set_=row)
            if part_of_region and self._node("Region", region) is not None:
                self._merge_rel("PART_OF", (label, row[key]), ("Region", region))
        return len(rows)

    def write_org_links(self, rows: list[Props]) -> int:
        for link in ORG_LINKS:
            for row in rows:
                if (row["type"], row["start"], row["end"]) != (link.rel, link.start, link.end):
                    continue
                if (
                    self._node(link.start, row["a"]) is None
                    or self._node(link.end, row["b"]) is None
                ):
                    continue
                props = row["props"] if link.props else None
                self._merge_rel(link.rel, (link.start, row["a"]), (link.end, row["b"]), props)
        return len(rows)

    def write_case_nodes(self, label: str, rows: list[Props]) -> int:
        if label == "EnforcementItem":  # an unlisted item: ON CREATE SET, as loaders.write does
            for row in rows:
                self._merge_node(label, row["code"], on_create=row)
            return len(rows)
        for row in rows:
            node = self._node(label, row["id"])
            settled = node.get("status") if label == "Dispute" and node is not None else None
            self._merge_node(label, row["id"], set_=row)
            if settled is not None:  # a reloaded cases file never reopens a decided dispute
                self.nodes[label][row["id"]]["status"] = settled
        return len(rows)

    def find_ids(self, label: str, keys: list[str]) -> dict[str, str]:
        if label == "ListedEnforcementItem":  # only items some catalog LISTS (loaders.write)
            listed = {code for _, code in self.rels[("LISTS", "Catalog", "EnforcementItem")]}
            found = self.find_ids("EnforcementItem", keys)
            return {words: code for words, code in found.items() if code in listed}
        key_name = KEYS[label]
        nodes = self.nodes[label]
        names = self._names.get(label)
        if names is None and label != "Officer":
            names = self._names[label] = {}
            for key, node in nodes.items():
                names.setdefault(node.get("name"), key)
            if label in {"Street", "Department"}:  # then former names (更名), as loaders.write
                facts = f"{label}Fact"
                for owner, fact in self.rels[("HAS_FACT", label, facts)]:
                    if self.nodes[facts][fact].get("fact") == "name":
                        names.setdefault(self.nodes[facts][fact]["value"], owner)
        found = {}
        for wanted in keys:
            if wanted in nodes:
                found[wanted] = nodes[wanted][key_name]
            elif names and wanted in names:
                found[wanted] = names[wanted]
        return found


def _set(target: Props, values: Props, *, create: bool = False) -> None:
    """`SET n += m` (null removes), or on create `ON CREATE SET n += m` (null sets nothing)."""
    for name, value in values.items():
        if isinstance(value, Enum):
            value = value.value
        if value is None:
            if not create:
                target.pop(name, None)
        else:
            target[name] = value
