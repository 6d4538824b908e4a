// graph_zone_postings: the officers posted to each of many zones on a day (片区挂钩人员)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: zone id, as_of DATE})
// returns: at, found [{mode, valid_from, valid_to, officer, target, department}] by officer id
// rule:    POSTED_TO holds from valid_from through valid_to (null: open), as in zone_officers.cypher;
//          only postings to the zone itself (a posting to one of its streets is the street's)
UNWIND $keys AS asked
OPTIONAL MATCH (z:Zone {id: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (z)<-[p:POSTED_TO]-(o:Officer)
  WHERE coalesce(p.valid_from <= asked.as_of, true) AND coalesce(p.valid_to >= asked.as_of, true)
  OPTIONAL MATCH (dep:Department {id: p.department})
  RETURN {mode: p.mode, valid_from: p.valid_from, valid_to: p.valid_to, officer: o, target: z,
          department: dep} AS posting
  ORDER BY o.id, p.valid_from
} AS found
