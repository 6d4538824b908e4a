// coverage_gaps_zone_lists: the zone joint-enforcement lists (片区联合执法基础事项清单) in force that list
//          items of the county's departments, with their issuer
// params:  $regionCodes LIST<STRING> (counties), $asOf DATE, $zoneList STRING
// returns: regionCode, catalogId, title, issuer, docNumber, effective, items
// rule:    seed 000 四(二): 由主管部门提请区城市管理和综合执法局审查同意后方可纳入; a list is in force from
//          `effective` until a newer version of its series takes effect (SUPERSEDES)
UNWIND $regionCodes AS regionCode
MATCH (:Region {code: regionCode})<-[:PART_OF]-(dep:Department)
CALL (dep) {
  MATCH (dep)<-[:HELD_BY]-(i:EnforcementItem)<-[:LISTS]-(c)
  RETURN c, i
}
WITH regionCode, c, i
WHERE c:Catalog AND c.kind = $zoneList AND c.effective <= $asOf
  AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= $asOf }
WITH regionCode, c, i ORDER BY i.code
RETURN regionCode, c.id AS catalogId, c.title AS title, c.issuer AS issuer, c.doc_number AS docNumber,
       c.effective AS effective, collect(DISTINCT i.code) AS items
ORDER BY regionCode, catalogId
