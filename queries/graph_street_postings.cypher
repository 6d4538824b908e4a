// graph_street_postings: the officers posted to each of many streets on a day (下沉 / 挂钩 / 常驻)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code, as_of DATE})
// returns: at, found [{mode, valid_from, valid_to, officer, target, department}] by officer id
// rule:    POSTED_TO holds from valid_from through valid_to (null: open), as in zone_officers.cypher;
//          the posting's `department` property names the delegating department it is linked for;
//          the street (target) is named as on that day (StreetFact, issue 14.12: 更名)
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (s)<-[p:POSTED_TO]-(o:Officer)
  WHERE coalesce(p.valid_from <= asked.as_of, true) AND coalesce(p.valid_to >= asked.as_of, true)
  OPTIONAL MATCH (dep:Department {id: p.department})
  RETURN {mode: p.mode, valid_from: p.valid_from, valid_to: p.valid_to, officer: o,
          target: s {.code, .kind,
        name: coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
          WHERE coalesce(f.valid_from <= asked.as_of, true) AND coalesce(f.valid_to >= asked.as_of, true)
          RETURN f.value }[0], s.name),
        delegation_mode: coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'mode'})
          WHERE coalesce(f.valid_from <= asked.as_of, true) AND coalesce(f.valid_to >= asked.as_of, true)
          RETURN f.value }[0], s.delegation_mode)},
          department: dep} AS posting
  ORDER BY o.id, p.valid_from
} AS found
