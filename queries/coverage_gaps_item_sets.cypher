// coverage_gaps_item_sets: per zone and delegating department, the items each street of the zone
//          holds on the date (片区内各街道承接事项)
// params:  $zoneIds LIST<STRING>, $asOf DATE
// returns: zoneId, zoneName, departmentId, departmentName, streetCode, streetName, items
// rule:    streets of one joint-enforcement zone (seed 000) take the same powers from a department
//          (行政处罚法 Art. 24: 按照规定范围); IN_ZONE holds through valid_to, a delegation ends on it
UNWIND $zoneIds AS zoneId
MATCH (z:Zone {id: zoneId})<-[m:IN_ZONE]-(s:Street)
WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
// One pass over each street's delegations (anchored on the street): the departments of the zone
// and what each street holds of each are both taken from it, not from a second walk.
CALL (s) {
  OPTIONAL MATCH (s)<-[:TO]-(d:Delegation)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  // Department and item from each delegation, one at a time: never every FROM or OF joined back.
  CALL (d) {
    OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
    OPTIONAL MATCH (d)-[:OF]->(i:EnforcementItem)
    RETURN dep, i
  }
  WITH dep, i WHERE dep IS NOT NULL ORDER BY i.code
  RETURN collect(DISTINCT {departmentId: dep.id, departmentName: dep.name, code: i.code,
                           name: i.name}) AS held
}
WITH z, collect({street: s, held: held}) AS streets
CALL (streets) {
  UNWIND streets AS street
  UNWIND street.held AS h
  WITH DISTINCT h.departmentId AS id, h.departmentName AS name ORDER BY id
  RETURN collect({id: id, name: name}) AS departments
}
UNWIND departments AS dep
UNWIND streets AS street
WITH z, dep, street.street AS s,
     [h IN street.held WHERE h.departmentId = dep.id AND h.code IS NOT NULL | h {.code, .name}]
     AS items
RETURN z.id AS zoneId, z.name AS zoneName, dep.id AS departmentId, dep.name AS departmentName,
       s.code AS streetCode, s.name AS streetName, items
ORDER BY zoneId, departmentId, streetCode
