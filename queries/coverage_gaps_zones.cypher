// coverage_gaps_zones: who is posted to each zone on a date (片区人员); which departments delegate
//          penalties to its streets comes from coverage_gaps_delegations (queries/gap_delegations.py)
// params:  $zoneIds LIST<STRING>, $asOf DATE
// returns: zoneId, zoneName, officers
// rule:    seed 000 (a legal reviewer per zone; ≥2 certified linked officers per zone per delegating
//          department); POSTED_TO and certificates hold through valid_to
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
RETURN z.id AS zoneId, z.name AS zoneName, officers
ORDER BY zoneId
