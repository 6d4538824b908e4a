// graph_zone_links: the region of each of many zones and the squad that coordinates it (片区所属与协调中队)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: zone id})
// returns: at, found {region, coordinated_by}
// rule:    (:Zone)-[:PART_OF]->(:Region), (:Zone)-[:COORDINATED_BY]->(:Unit) (seed 000 四(一))
UNWIND $keys AS asked
OPTIONAL MATCH (z:Zone {id: asked.key})
RETURN asked.at AS at, {
  region: COLLECT { MATCH (z)-[:PART_OF]->(r:Region) RETURN r }[0],
  coordinated_by: COLLECT { MATCH (z)-[:COORDINATED_BY]->(u:Unit) RETURN u ORDER BY u.id }
} AS found
