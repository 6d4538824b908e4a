"""Zone joint-enforcement item lists (片区联合执法基础事项清单): each item's lead department
(牵头部门), who proposed it (提请), and its approval (审查同意), seed 000 四(二).

The seed's lifecycle: a county department proposes items (由主管部门提请), the body the region's
policy names approves them (区城市管理和综合执法局审查同意后方可纳入), the list is published with a
date, and each item's joint enforcement is led by its department (主管部门牵头并对结果负责). A list
is a Catalog of kind 片区联合执法清单, dated and versioned like every catalog; what this module
adds lives on its LISTS rows: `lead_department`, `proposed_by`, `proposed_on`, and once approved
`approved_by`, `approved_on` and how the approval was recorded (`approval`: the list's metadata,
or the audit entry of the API write). An item is in force on a day only when its list has taken
effect and it was approved by then (queries/zone_item_lists.cypher).

Approval through the API (`approve_zone_list`) is refused, with a code, when the approver is not
the body the region's policy `zone_item_list_approver` names, when the list or an item is
unknown, when an item is already approved (a record is never overwritten), or when it predates
the proposal. Nothing is written then; otherwise the approval and its audit entry commit together.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, model_validator

from authreg.errors import InputError, RecordError
from loaders import write
from loaders.headers import HeaderMap
from schema.enums import CatalogKind

if TYPE_CHECKING:
    from loaders.catalogs import CatalogPlan

APPROVE_ZONE_LIST = "approveZoneListItems"
APPROVER_RULE = "zone_item_list_approver"
SEED = "seed 000 四(二): 由主管部门提请区城市管理和综合执法局审查同意后方可纳入"
LEAD, PROPOSER = "lead_department", "proposer"  # fields of loaders/header_spellings.yaml
MAX_ITEMS = 500  # items one approval names: a county's list is dozens


class ZoneListMeta(BaseModel):
    """`zone_list:` in a 片区联合执法清单's metadata: when its items were proposed (提请日期) and
    the approval (审查同意) the published document records, if it records one. Without
    `approved_by`, every item is proposed only, until an approval is recorded through the API."""

    model_config = ConfigDict(extra="forbid")
    proposed: date | None = None  # 提请日期
    approved_by: str | None = None  # 审查同意的部门: name, alias or id
    approved: date | None = None  # 审查同意日期
    approved_items: list[str] | None = None  # the item codes approved; omitted: every item

    @model_validator(mode="after")
    def _whole_approval(self) -> ZoneListMeta:
        if (self.approved_by is None) != (self.approved is None):
            raise ValueError("an approval names both its body (approved_by) and its day (approved)")
        if self.approved_items is not None and self.approved_by is None:
            raise ValueError("approved_items needs approved_by and approved")
        if self.proposed and self.approved and self.approved < self.proposed:
            raise ValueError("approved (审查同意日期) is before proposed (提请日期)")
        return self


def zone_list_links(plan: CatalogPlan, departments: list[dict[str, Any]]) -> dict[int, dict]:
    """Per row number of a zone list, what its LISTS row records beyond the catalog's own:
    lead department, proposer and proposal day, and the metadata's approval. Other kinds: {}.

    The lead department is the row's 牵头部门 column, else its 主管部门 / 原实施部门 (the seed:
    主管部门牵头); the proposer is its 提请部门 column, else the lead department. Every name must
    be a department of the list's region; a row naming none is an error with its row and column."""
    if plan.meta.kind != CatalogKind.ZONE_LIST:
        return {}
    if not departments:
        raise InputError(
            plan.file,
            "a zone list (片区联合执法清单) names departments of its region: give `region:` and "
            "load the region's organisation file first",
        )
    zone = plan.meta.zone_list or ZoneListMeta()
    headers = HeaderMap.load(plan.meta.header_map)
    approver = _department(plan, departments, zone.approved_by, None, "zone_list.approved_by")
    approved = _approved_codes(plan, zone)
    links = {}
    for row in plan.rows:
        link = {"proposed_on": zone.proposed} | _row_bodies(plan, departments, headers, row)
        if approver is not None and row.item.code in approved:
            link |= {"approved_by": approver, "approved_on": zone.approved, "approval": "metadata"}
        links[row.at.row] = link
    return links


def _approved_codes(plan: CatalogPlan, zone: ZoneListMeta) -> set[str]:
    """The codes the metadata's approval covers: `approved_items`, each listed, else all."""
    listed = {row.item.code for row in plan.rows}
    for code in zone.approved_items or []:
        if code not in listed:
            raise InputError(
                plan.meta.file or plan.file,
                f"zone_list.approved_items names {code}, which the list does not hold",
                column="zone_list.approved_items",
            )
    return set(listed if zone.approved_items is None else zone.approved_items)


def _row_bodies(
    plan: CatalogPlan, departments: list[dict[str, Any]], headers: HeaderMap, row: Any
) -> dict[str, str | None]:
    """A row's lead department (牵头部门, else its 主管部门 / 原实施部门) and proposer (提请部门,
    else the lead department), as department ids."""
    cells = {headers.match(header): value for header, value in json.loads(row.raw).items()}
    lead_name = (cells.get(LEAD) or row.department or "").strip()
    if not lead_name:
        raise InputError(
            plan.file,
            "每个事项须注明牵头部门 (seed 000 四(二): 主管部门牵头并对联合执法结果负责); "
            "the row names no lead department (牵头部门) and no 主管部门 / 原实施部门",
            row=row.at.row,
            column=headers.label(LEAD),
            sheet=row.at.sheet,
        )
    lead = _department(plan, departments, lead_name, row, headers.label(LEAD))
    proposer_name = (cells.get(PROPOSER) or "").strip() or None
    proposer = _department(plan, departments, proposer_name, row, headers.label(PROPOSER))
    return {"lead_department": lead, "proposed_by": proposer or lead}


class ZoneListError(RecordError):
    """An approval refused: `reason` is a stable code (WRONG_APPROVER, UNKNOWN_LIST, …)."""

    def __init__(self, reason: str, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.reason, self.field = reason, field


class ZoneListApproval(BaseModel):
    """审查同意: the approving body's decision on items proposed for a zone list."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)
    list_id: str = Field(min_length=1, max_length=200, description="清单编号 (series@effective)")
    approved_by: str = Field(min_length=1, max_length=200, description="审查同意的部门 id")
    approved_on: date = Field(description="审查同意日期")
    items: list[str] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="事项编码; empty: every item of the list still awaiting approval",
    )
    note: str | None = Field(None, max_length=500, description="审查意见")


def approve_zone_list(
    tx: ManagedTransaction, approval: ZoneListApproval, *, actor: str, role: str, source: str
) -> str:
    """Record the approval of a zone list's items and its audit entry; returns the audit id."""
    found = _list_rows(tx, approval.list_id)
    items = _pending(found, approval)
    _check_approver(tx, found, approval)
    entry = write.audit_entry(
        actor,
        role,
        APPROVE_ZONE_LIST,
        source,
        approval.list_id,
        {
            "list": approval.list_id,
            "items": items,
            "approved_by": approval.approved_by,
            "approved_on": approval.approved_on.isoformat(),
            "note": approval.note,
        },
    )
    tx.run(
        "MATCH (c:Catalog {id: $list})-[l:LISTS]->(i:EnforcementItem) WHERE i.code IN $items "
        "SET l.approved_by = $by, l.approved_on = $on, l.approval = $audit, l.approval_note = $note",
        list=approval.list_id,
        items=items,
        by=approval.approved_by,
        on=approval.approved_on,
        audit=entry["id"],
        note=approval.note,
    ).consume()
    return write.create_audit_entry(tx, entry)


def _list_rows(tx: ManagedTransaction, list_id: str) -> dict[str, Any]:
    record = tx.run(
        "MATCH (c:Catalog {id: $id}) WHERE c.kind = $kind "
        "RETURN c.title AS title, c.effective AS effective, "
        "  COLLECT { MATCH (c)-[l:LISTS]->(i:EnforcementItem) "
        "    RETURN {code: i.code, approvedBy: l.approved_by, proposedOn: l.proposed_on, "
        "            lead: l.lead_department} AS item ORDER BY i.code } AS items, "
        "  COLLECT { MATCH (c)-[l:LISTS]->()-[:HELD_BY]->(:Department)-[:PART_OF]->(r:Region) "
        "    RETURN DISTINCT r.code AS code ORDER BY code } AS regions",
        id=list_id,
        kind=CatalogKind.ZONE_LIST.value,
    ).single()
    if record is None:
        raise ZoneListError(
            "UNKNOWN_LIST",
            "listId",
            f"no zone list (片区联合执法清单) {list_id} is loaded; its id is series@effective day",
        )
    return record.data()


def _pending(found: dict[str, Any], approval: ZoneListApproval) -> list[str]:
    """The item codes this approval covers: each must be listed and not yet approved."""
    by_code = {item["code"]: item for item in found["items"]}
    for code in approval.items:
        if code not in by_code:
            raise ZoneListError(
                "UNKNOWN_ITEM", "items", f"《{found['title']}》 does not list the item {code}"
            )
    chosen = approval.items or [c for c, item in by_code.items() if item["approvedBy"] is None]
    done = [code for code in chosen if by_code[code]["approvedBy"] is not None]
    if done:
        raise ZoneListError(
            "ALREADY_APPROVED",
            "items",
            f"{done[0]} was approved already (by {by_code[done[0]]['approvedBy']}); an approval "
            "is recorded once and never overwritten",
        )
    if not chosen:
        raise ZoneListError(
            "NOTHING_TO_APPROVE", "items", f"every item of 《{found['title']}》 is approved already"
        )
    proposed = {c: _native(by_code[c]["proposedOn"]) for c in chosen}
    early = [c for c in chosen if proposed[c] is not None and proposed[c] > approval.approved_on]
    if early:
        raise ZoneListError(
            "BEFORE_PROPOSAL",
            "approvedOn",
            f"{approval.approved_on} is before {early[0]} was proposed "
            f"({proposed[early[0]]}): an item is approved after it is proposed",
        )
    return sorted(chosen)


def _check_approver(
    tx: ManagedTransaction, found: dict[str, Any], approval: ZoneListApproval
) -> None:
    """The approver must be the department the region's policy names on the approval day."""
    if not write.existing_keys(tx, "Department", [approval.approved_by]):
        raise ZoneListError(
            "UNKNOWN_DEPARTMENT",
            "approvedBy",
            f"no department {approval.approved_by} is registered",
        )
    policies = tx.run(
        "UNWIND $regions AS code MATCH (p:Policy {rule: $rule})-[:APPLIES_TO]->(:Region {code: code}) "
        "WHERE (p.valid_from IS NULL OR p.valid_from <= $on) AND (p.valid_to IS NULL OR p.valid_to > $on) "
        "OPTIONAL MATCH (d:Department {id: p.value}) "
        "RETURN DISTINCT p.id AS id, p.value AS value, d.name AS name, p.source_document AS source, "
        "p.source_quote AS quote ORDER BY id",
        regions=found["regions"],
        rule=APPROVER_RULE,
        on=approval.approved_on,
    ).data()
    if not policies:
        raise ZoneListError(
            "NO_APPROVER_POLICY",
            "approvedBy",
            f"no policy {APPROVER_RULE} in force on {approval.approved_on} names who approves "
            f"the zone lists of {', '.join(found['regions']) or 'its region'} ({SEED}); load the "
            "region's organisation file with that policy first",
        )
    for policy in policies:
        if policy["value"] != approval.approved_by:
            quote = f"「{policy['quote']}」" if policy["quote"] else ""
            raise ZoneListError(
                "WRONG_APPROVER",
                "approvedBy",
                f"片区联合执法基础事项清单的事项须经{policy['name'] or policy['value']}审查同意 "
                f"(policy {policy['id']}, {policy['source']}{quote}; {SEED}); "
                f"{approval.approved_by} is not that body, so its approval is not recorded",
            )


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _department(
    plan: CatalogPlan,
    departments: list[dict[str, Any]],
    name: str | None,
    row: Any,
    column: str,
) -> str | None:
    """A department name, alias or id of the region → its id; None for no name; else an error."""
    from loaders.catalogs import _match_name  # the catalog loader's rule for a department name

    if not name:
        return None
    spellings = {d["name"]: d["id"] for d in departments}
    spellings |= {a: d["id"] for d in departments for a in d["aliases"]}
    spellings |= {d["id"]: d["id"] for d in departments}
    match = _match_name(name, spellings)
    if match is not None:
        return spellings[match]
    problem = f"department 「{name}」 is not in the organisation data of region {plan.meta.region}"
    if row is None:
        raise InputError(plan.meta.file or plan.file, problem, column=column)
    raise InputError(plan.file, problem, row=row.at.row, column=column, sheet=row.at.sheet)
