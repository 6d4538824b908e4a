// coverage_gaps_region_items: the county's own items (those its departments hold) with their
//          domain and type, and which of the county's streets hold each on the date (综合执法覆盖)
// params:  $regionCodes LIST<STRING> (counties), $asOf DATE
// returns: regionCode, itemCode, itemName, itemType, domain, departmentId, departmentName, departmentKind,
//          streets
// rule:    seed 004 (全区综合行政执法事项拓展到60%/70%以上的执法领域; 行政检查事项100%全覆盖): an item is
//          in comprehensive enforcement when a street holds it (any mode, in force on the date) or
//          a 综合行政执法部门 holds it; the read starts from the region's departments, never from
//          every item; the measure is county-level, so every street of the county counts even
//          when a zone is asked (a zone's streets alone would report a county gap the county has not)
UNWIND $regionCodes AS regionCode
MATCH (:Region {code: regionCode})<-[:PART_OF]-(dep:Department)
CALL (dep) {
  MATCH (dep)<-[:HELD_BY]-(i:EnforcementItem)
  RETURN i
}
CALL (i, regionCode) {
  OPTIONAL MATCH (i)<-[:OF]-(d:Delegation)-[:TO]->(s:Street)-[:PART_OF]->(:Region {code: regionCode})
  WHERE d.valid_from <= $asOf
    AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  WITH DISTINCT s WHERE s IS NOT NULL
  RETURN collect(s.code) AS streets
}
RETURN regionCode, i.code AS itemCode, i.name AS itemName, i.type AS itemType, i.domain AS domain,
       dep.id AS departmentId, dep.name AS departmentName, dep.kind AS departmentKind, streets
ORDER BY regionCode, itemCode
