// coverage_gaps_item_sets: per zone and delegating department, the items each street of the zone
//          holds on the date (片区内各街道承接事项)
// params:  $zoneIds LIST<STRING>, $asOf DATE
// returns: zoneId, zoneName, departmentId, departmentName, items [{code, name}] (what any street
//          of the zone holds of the department, once), streets [{streetCode, streetName, items
//          (the codes it holds)}]
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
WITH z, s, held ORDER BY s.code
WITH z, collect({street: s, held: held}) AS streets
CALL (streets) {
  UNWIND streets AS street
  UNWIND street.held AS h
  WITH DISTINCT h.departmentId AS id, h.departmentName AS name ORDER BY id
  RETURN collect({id: id, name: name}) AS departments
}
UNWIND departments AS dep
WITH z, dep, [street IN streets | {
       streetCode: street.street.code, streetName: street.street.name,
       held: [h IN street.held WHERE h.departmentId = dep.id AND h.code IS NOT NULL]}] AS held
// Each item's name once per zone and department; each street with its codes only.
RETURN z.id AS zoneId, z.name AS zoneName, dep.id AS departmentId, dep.name AS departmentName,
       COLLECT {
         UNWIND held AS street UNWIND street.held AS h
         WITH DISTINCT h.code AS code, h.name AS name ORDER BY code
         RETURN {code: code, name: name}
       } AS items,
       [street IN held | {streetCode: street.streetCode, streetName: street.streetName,
                          items: [h IN street.held | h.code]}] AS streets
ORDER BY zoneId, departmentId
