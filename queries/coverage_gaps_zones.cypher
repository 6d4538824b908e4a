// coverage_gaps_zones: who is posted to each zone and which departments delegate penalties to its
//          streets on a date (片区人员与赋权部门)
// params:  $zoneIds LIST<STRING>, $asOf DATE, $grant STRING, $penalty STRING
// returns: zoneId, zoneName, officers, departments
// rule:    seed 000 (a legal reviewer per zone; ≥2 certified linked officers per zone per delegating
//          department); POSTED_TO, IN_ZONE and certificates hold through valid_to, a delegation ends on it
UNWIND $zoneIds AS zoneId
MATCH (z:Zone {id: zoneId})
CALL (z) {
  OPTIONAL MATCH (o:Officer)-[p:POSTED_TO]->(z)
  WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
  OPTIONAL MATCH (dep:Department {id: p.department})
  WITH o, p, dep WHERE o IS NOT NULL
  ORDER BY o.id, p.department
  RETURN collect({id: o.id, name: o.name, roles: coalesce(o.roles, []),
                  domains: coalesce(o.domains, []), mode: p.mode, departmentId: p.department,
                  departmentName: dep.name, certificateFrom: o.valid_from,
                  certificateTo: o.valid_to,
                  certified: coalesce(o.valid_from <= $asOf, true)
                             AND coalesce(o.valid_to >= $asOf, true)}) AS officers
}
// From the zone outwards only: the walk names no label (a Street is what is IN_ZONE, a
// Delegation what goes TO it, an item what it is OF), so no count of items lets the plan start
// from every EnforcementItem and join back to the zone (tests/queries/test_query_plans.py).
CALL (z) {
  OPTIONAL MATCH (z)<-[m:IN_ZONE]-(s)<-[:TO]-(d)-[:OF]->(i)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
    AND d.mode = $grant AND d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
    AND i.type = $penalty
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  WITH dep, i WHERE dep IS NOT NULL
  ORDER BY dep.id, i.code
  WITH dep, collect(DISTINCT i.code) AS items
  RETURN collect({id: dep.id, name: dep.name, items: items}) AS departments
}
RETURN z.id AS zoneId, z.name AS zoneName, officers, departments
ORDER BY zoneId
