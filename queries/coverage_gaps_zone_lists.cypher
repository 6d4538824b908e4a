// coverage_gaps_zone_lists: the zone joint-enforcement lists (片区联合执法基础事项清单) in force that list
//          items of the county's departments, with their issuer and each item's lead department,
//          proposal and approval (read by the approval check and by the zone answers)
// params:  $regionCodes LIST<STRING> (counties), $asOf DATE, $zoneList STRING
// returns: regionCode, catalogId, title, issuer, docNumber, effective, published, items (code, name, lead,
//          leadName, proposedBy, proposedByName, proposedOn, approvedBy, approvedByName,
//          approvedOn, approval, inForce: approved by asOf)
// rule:    seed 000 四(二): 由主管部门提请区城市管理和综合执法局审查同意后方可纳入, 相应联合执法工作由主管部门
//          牵头并对联合执法结果负责; a list is in force from `effective` until a newer version of its
//          series takes effect (SUPERSEDES); an item is in force once approved (LISTS.approved_on)
UNWIND $regionCodes AS regionCode
MATCH (:Region {code: regionCode})<-[:PART_OF]-(dep:Department)
CALL (dep) {
  MATCH (dep)<-[:HELD_BY]-(:EnforcementItem)<-[:LISTS]-(c)
  RETURN DISTINCT c
}
WITH DISTINCT regionCode, c
WHERE c:Catalog AND c.kind = $zoneList AND c.effective <= $asOf
  AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= $asOf }
RETURN regionCode, c.id AS catalogId, c.title AS title, c.issuer AS issuer, c.doc_number AS docNumber,
       c.effective AS effective, c.published AS published,
       COLLECT {
         MATCH (c)-[l:LISTS]->(i:EnforcementItem)
         OPTIONAL MATCH (lead:Department {id: l.lead_department})
         OPTIONAL MATCH (proposer:Department {id: l.proposed_by})
         OPTIONAL MATCH (approver:Department {id: l.approved_by})
         RETURN {code: i.code, name: i.name, lead: l.lead_department, leadName: lead.name,
                 proposedBy: l.proposed_by, proposedByName: proposer.name,
                 proposedOn: l.proposed_on, approvedBy: l.approved_by,
                 approvedByName: approver.name, approvedOn: l.approved_on,
                 approval: l.approval,
                 inForce: coalesce(l.approved_on <= $asOf, false)} AS item
         ORDER BY i.code
       } AS items
ORDER BY regionCode, catalogId
