// graph_street_parts: the region of each of many streets and the units based in it (街道所属与队伍)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code})
// returns: at, found {region, units, former_names}
// rule:    (:Street)-[:PART_OF]->(:Region), (:Unit)-[:PART_OF]->(:Street): a street's team or
//          center; (:Street)-[:HAS_FACT]->(:StreetFact {fact: 'name'}): the names it had (更名),
//          each with its last day and the notice that renamed it (the next name's DEFINED_IN);
//          all a handful of links, read together. A unit moved (机构调整: dated PART_OF) is listed
//          where it is today, as graph_unit_parts does
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
RETURN asked.at AS at, {
  region: COLLECT { MATCH (s)-[:PART_OF]->(r:Region) RETURN r }[0],
  units: COLLECT { MATCH (s)<-[part:PART_OF]-(u:Unit) WHERE coalesce(part.valid_from <= date(), true) AND coalesce(part.valid_to >= date(), true)
                   RETURN u ORDER BY u.id },
  former_names: COLLECT {
    MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'}) WHERE f.value <> s.name
    OPTIONAL MATCH (s)-[:HAS_FACT]->(next:StreetFact {fact: 'name'})-[:DEFINED_IN]->(doc:LegalDocument)
    WHERE next.valid_from = f.valid_to + duration({days: 1})
    RETURN {name: f.value, valid_from: f.valid_from, valid_to: f.valid_to,
            renamed_by: coalesce(doc.doc_number, doc.title)} AS former
    ORDER BY f.valid_from }
} AS found
