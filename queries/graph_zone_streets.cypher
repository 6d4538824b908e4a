// graph_zone_streets: the streets of each of many zones on a day (片区包含的街道)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: zone id, as_of DATE})
// returns: at, found (streets, by code)
// rule:    IN_ZONE holds from valid_from through valid_to (null: open), as in coverage_gaps_scope.cypher
UNWIND $keys AS asked
OPTIONAL MATCH (z:Zone {id: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (z)<-[m:IN_ZONE]-(s:Street)
  WHERE coalesce(m.valid_from <= asked.as_of, true) AND coalesce(m.valid_to >= asked.as_of, true)
  RETURN s ORDER BY s.code
} AS found
