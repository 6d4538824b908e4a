// graph_unit_parts: what each of many units belongs to, and the units under it (单位隶属)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: unit id})
// returns: at, found {parent, units}
// rule:    (:Unit)-[:PART_OF]->(:Department|Street|Unit): a brigade of a department, a squad of a
//          brigade, a street's own team
UNWIND $keys AS asked
OPTIONAL MATCH (u:Unit {id: asked.key})
RETURN asked.at AS at, {
  parent: COLLECT { MATCH (u)-[:PART_OF]->(p:Department|Street|Unit) RETURN p }[0],
  units: COLLECT { MATCH (u)<-[:PART_OF]-(sub:Unit) RETURN sub ORDER BY sub.id }
} AS found
