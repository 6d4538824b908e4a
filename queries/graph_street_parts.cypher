// graph_street_parts: the region of each of many streets and the units based in it (街道所属与队伍)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code})
// returns: at, found {region, units}
// rule:    (:Street)-[:PART_OF]->(:Region), (:Unit)-[:PART_OF]->(:Street): a street's team or
//          center; both are a handful of links, read together
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
RETURN asked.at AS at, {
  region: COLLECT { MATCH (s)-[:PART_OF]->(r:Region) RETURN r }[0],
  units: COLLECT { MATCH (s)<-[:PART_OF]-(u:Unit) RETURN u ORDER BY u.id }
} AS found
