// graph_street_zones: the zones each of many streets belongs to on a day (街道所属片区)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code, as_of DATE})
// returns: at, found (zones, by id)
// rule:    IN_ZONE and the zone itself hold from valid_from through valid_to (null: open), as in
//          coverage_gaps_scope.cypher
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (s)-[m:IN_ZONE]->(z:Zone)
  WHERE coalesce(m.valid_from <= asked.as_of, true) AND coalesce(m.valid_to >= asked.as_of, true)
    AND coalesce(z.valid_from <= asked.as_of, true) AND coalesce(z.valid_to >= asked.as_of, true)
  RETURN z ORDER BY z.id
} AS found
