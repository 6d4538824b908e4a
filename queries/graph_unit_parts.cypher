// graph_unit_parts: what each of many units belongs to, and the units under it (单位隶属)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: unit id})
// returns: at, found {parent, units}
// rule:    (:Unit)-[:PART_OF]->(:Department|Street|Unit): a brigade of a department, a squad of a
//          brigade, a street's own team. A unit moved (机构调整: dated PART_OF) shows its place now:
//          the open-ended period's parent, and the units under it now (a period not yet ended)
UNWIND $keys AS asked
OPTIONAL MATCH (u:Unit {id: asked.key})
RETURN asked.at AS at, {
  parent: COLLECT { MATCH (u)-[r:PART_OF]->(p:Department|Street|Unit)
                    RETURN p ORDER BY r.valid_to IS NULL DESC, r.valid_to DESC }[0],
  units: COLLECT { MATCH (u)<-[r:PART_OF]-(sub:Unit)
                   WHERE coalesce(r.valid_from <= date(), true) AND coalesce(r.valid_to >= date(), true)
                   RETURN sub ORDER BY sub.id }
} AS found
