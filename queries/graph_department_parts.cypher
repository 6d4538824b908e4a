// graph_department_parts: the region of each of many departments and its units (部门所属与下属单位)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: department id})
// returns: at, found {region, units}
// rule:    (:Department)-[:PART_OF]->(:Region), (:Unit)-[:PART_OF]->(:Department): the units
//          directly under it (a brigade; its squads are the brigade's units). A unit moved or set up
//          on a day (机构调整: dated PART_OF) is listed where it is today, as graph_unit_parts does
UNWIND $keys AS asked
OPTIONAL MATCH (d:Department {id: asked.key})
RETURN asked.at AS at, {
  region: COLLECT { MATCH (d)-[:PART_OF]->(r:Region) RETURN r }[0],
  units: COLLECT { MATCH (d)<-[part:PART_OF]-(u:Unit) WHERE coalesce(part.valid_from <= date(), true) AND coalesce(part.valid_to >= date(), true)
                   RETURN u ORDER BY u.id }
} AS found
