// graph_region_parts: what each of many regions is made of (行政区划的组成)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: region code})
// returns: at, found {parent, regions, streets, zones, departments}
// rule:    (:Region|Street|Zone|Department)-[:PART_OF]->(:Region); a region has tens of parts, so
//          all of them are read together: one seek per key, then that region's own PART_OF links
UNWIND $keys AS asked
OPTIONAL MATCH (r:Region {code: asked.key})
RETURN asked.at AS at, {
  parent: COLLECT { MATCH (r)-[:PART_OF]->(up:Region) RETURN up }[0],
  regions: COLLECT { MATCH (r)<-[:PART_OF]-(n:Region) RETURN n ORDER BY n.code },
  streets: COLLECT { MATCH (r)<-[:PART_OF]-(n:Street) RETURN n ORDER BY n.code },
  zones: COLLECT { MATCH (r)<-[:PART_OF]-(n:Zone) RETURN n ORDER BY n.id },
  departments: COLLECT { MATCH (r)<-[:PART_OF]-(n:Department) RETURN n ORDER BY n.id }
} AS found
