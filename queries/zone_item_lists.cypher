// zone_item_lists: for each of many zones, the zone joint-enforcement lists (片区联合执法基础事项清单) of
//          its county in force on a day, each item with its lead department, proposal and approval
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: zone id, as_of DATE})
// returns: at, found (lists: catalogId, title, issuer, docNumber, effective, published, items)
// rule:    seed 000 四(二): 由主管部门提请区城市管理和综合执法局审查同意后方可纳入, 主管部门牵头并对结果负责;
//          a county's list serves each of its zones; in force from `effective` until a newer
//          version of its series takes effect; an item from its approval (LISTS.approved_on).
//          '片区联合执法清单' is CatalogKind.ZONE_LIST (schema/enums.py): a batch read takes keys only
UNWIND $keys AS asked
OPTIONAL MATCH (:Zone {id: asked.key})-[:PART_OF]->(region:Region)
RETURN asked.at AS at, COLLECT {
  MATCH (region)<-[:PART_OF]-(:Department)<-[:HELD_BY]-(:EnforcementItem)<-[:LISTS]-(c:Catalog)
  WHERE c.kind = '片区联合执法清单' AND c.effective <= asked.as_of
    AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= asked.as_of }
  WITH DISTINCT c
  RETURN {catalogId: c.id, title: c.title, issuer: c.issuer, docNumber: c.doc_number,
          effective: c.effective, published: c.published,
          items: COLLECT {
            MATCH (c)-[l:LISTS]->(i:EnforcementItem)
            OPTIONAL MATCH (lead:Department {id: l.lead_department})
            OPTIONAL MATCH (proposer:Department {id: l.proposed_by})
            OPTIONAL MATCH (approver:Department {id: l.approved_by})
            RETURN {code: i.code, name: i.name, lead: l.lead_department, leadName: lead.name,
                    proposedBy: l.proposed_by, proposedByName: proposer.name,
                    proposedOn: l.proposed_on, approvedBy: l.approved_by,
                    approvedByName: approver.name, approvedOn: l.approved_on,
                    approval: l.approval,
                 inForce: coalesce(l.approved_on <= asked.as_of, false)} AS item
            ORDER BY i.code
          }} AS list
  ORDER BY list.catalogId
} AS found
