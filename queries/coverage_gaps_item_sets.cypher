// coverage_gaps_item_sets: per zone and delegating department, the items each street of the zone
//          holds on the date (片区内各街道承接事项)
// params:  $zoneIds LIST<STRING>, $asOf DATE
// returns: zoneId, zoneName, departmentId, departmentName, streetCode, streetName, items
// rule:    streets of one joint-enforcement zone (seed 000) take the same powers from a department
//          (行政处罚法 Art. 24: 按照规定范围); IN_ZONE holds through valid_to, a delegation ends on it
UNWIND $zoneIds AS zoneId
MATCH (z:Zone {id: zoneId})<-[m:IN_ZONE]-(s:Street)
WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
WITH z, collect(s) AS streets
CALL (streets) {
  UNWIND streets AS s
  MATCH (s)<-[:TO]-(d:Delegation)-[:FROM]->(dep:Department)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  WITH DISTINCT dep ORDER BY dep.id
  RETURN collect(dep) AS departments
}
UNWIND streets AS s
// One pass over each street's delegations (anchored on the street), split by department below.
CALL (s) {
  OPTIONAL MATCH (s)<-[:TO]-(d:Delegation)-[:FROM]->(dep:Department)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  OPTIONAL MATCH (d)-[:OF]->(i:EnforcementItem)
  WITH dep, i WHERE i IS NOT NULL ORDER BY i.code
  RETURN collect(DISTINCT {departmentId: dep.id, code: i.code, name: i.name}) AS held
}
UNWIND departments AS dep
WITH z, dep, s, [h IN held WHERE h.departmentId = dep.id | h {.code, .name}] AS items
RETURN z.id AS zoneId, z.name AS zoneName, dep.id AS departmentId, dep.name AS departmentName,
       s.code AS streetCode, s.name AS streetName, items
ORDER BY zoneId, departmentId, streetCode
