// graph_zone_streets: the streets of each of many zones on a day (片区包含的街道)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: zone id, as_of DATE})
// returns: at, found (streets, by code, each named as on that day)
// rule:    IN_ZONE holds from valid_from through valid_to (null: open), as in coverage_gaps_scope.cypher;
//          a street's name and mode are those of the day (StreetFact, issue 14.12: 更名, 派驻 → 赋权)
UNWIND $keys AS asked
OPTIONAL MATCH (z:Zone {id: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (z)<-[m:IN_ZONE]-(s:Street)
  WHERE coalesce(m.valid_from <= asked.as_of, true) AND coalesce(m.valid_to >= asked.as_of, true)
  RETURN s {.code, .kind,
    name: coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
      WHERE coalesce(f.valid_from <= asked.as_of, true) AND coalesce(f.valid_to >= asked.as_of, true)
      RETURN f.value }[0], s.name),
    delegation_mode: coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'mode'})
      WHERE coalesce(f.valid_from <= asked.as_of, true) AND coalesce(f.valid_to >= asked.as_of, true)
      RETURN f.value }[0], s.delegation_mode)} AS street
  ORDER BY s.code
} AS found
