// coverage_gaps_streets: each street's own staff on a date (街道人员配备): officers posted to it and
//          the members of its units (综合执法中心, 街镇综合执法队)
// params:  $streetCodes LIST<STRING>, $asOf DATE
// returns: streetCode, streetName, posted, units
// rule:    seed 001 (legal staff, center reviewers, supervisors per street); seed 004 (2–8 certified
//          staff per town team); seed 003 (the town team convenes the quarterly 统筹指挥 meeting:
//          its dates, jointMeetings); POSTED_TO and certificates hold through valid_to; a unit is the
//          street's while its PART_OF holds (机构调整: valid_from through valid_to; undated: always)
UNWIND $streetCodes AS streetCode
MATCH (s:Street {code: streetCode})
CALL (s) {
  OPTIONAL MATCH (o:Officer)-[p:POSTED_TO]->(s)
  WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
  WITH o, p WHERE o IS NOT NULL
  ORDER BY o.id
  RETURN collect({id: o.id, name: o.name, roles: coalesce(o.roles, []), mode: p.mode,
                  certified: coalesce(o.valid_from <= $asOf, true)
                             AND coalesce(o.valid_to >= $asOf, true)}) AS posted
}
CALL (s) {
  OPTIONAL MATCH (u:Unit)-[part:PART_OF]->(s)
  WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
  OPTIONAL MATCH (o:Officer)-[:MEMBER_OF]->(u)
  WITH u, o ORDER BY u.id, o.id
  WITH u, collect({id: o.id, name: o.name, roles: coalesce(o.roles, []),
                   certificateTo: o.valid_to,
                   certified: coalesce(o.valid_from <= $asOf, true)
                              AND coalesce(o.valid_to >= $asOf, true)}) AS members
  WHERE u IS NOT NULL
  RETURN collect({id: u.id, name: u.name, kind: u.kind,
                  jointMeetings: coalesce(u.joint_meetings, []),
                  members: [m IN members WHERE m.id IS NOT NULL]}) AS units
}
RETURN s.code AS streetCode, posted, units,
       // named as on $asOf (StreetFact: 更名, issue 14.12)
       coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
         WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
         RETURN f.value }[0], s.name) AS streetName
ORDER BY streetCode
