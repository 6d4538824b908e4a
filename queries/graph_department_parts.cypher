// graph_department_parts: the region of each of many departments and its units (部门所属与下属单位)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: department id})
// returns: at, found {region, units, former_names}
// rule:    (:Department)-[:PART_OF]->(:Region), (:Unit)-[:PART_OF]->(:Department): the units
//          directly under it (a brigade; its squads are the brigade's units). A unit moved or set up
//          on a day (机构调整: dated PART_OF) is listed where it is today, as graph_unit_parts does.
//          (:Department)-[:HAS_FACT]->(:DepartmentFact {fact: 'name'}): the names it had (机构改革:
//          更名), each with its last day and the notice that renamed it (the next name's DEFINED_IN),
//          as graph_street_parts reads a street's
UNWIND $keys AS asked
OPTIONAL MATCH (d:Department {id: asked.key})
RETURN asked.at AS at, {
  region: COLLECT { MATCH (d)-[:PART_OF]->(r:Region) RETURN r }[0],
  units: COLLECT { MATCH (d)<-[part:PART_OF]-(u:Unit) WHERE coalesce(part.valid_from <= date(), true) AND coalesce(part.valid_to >= date(), true)
                   RETURN u ORDER BY u.id },
  former_names: COLLECT {
    MATCH (d)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'}) WHERE f.value <> d.name
    OPTIONAL MATCH (d)-[:HAS_FACT]->(next:DepartmentFact {fact: 'name'})-[:DEFINED_IN]->(doc:LegalDocument)
    WHERE next.valid_from = f.valid_to + duration({days: 1})
    RETURN {name: f.value, valid_from: f.valid_from, valid_to: f.valid_to,
            renamed_by: coalesce(doc.doc_number, doc.title)} AS former
    ORDER BY f.valid_from }
} AS found
