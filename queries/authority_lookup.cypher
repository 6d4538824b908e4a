// authority_lookup: the items and streets a user's words name, by code or exact name (事项与街道查找)
// params:  $item STRING, $street STRING
// returns: items (code, name, type, domain, regions), streets (code, name, kind, mode, region, regionName)
// rule:    item and street may be given by code or by exact name (a street also by a former name,
//          StreetFact); several matches are reported, never picked
CALL () {
  MATCH (i:EnforcementItem) WHERE i.code = $item OR i.name = $item
  OPTIONAL MATCH (i)-[:HELD_BY]->(:Department)-[:PART_OF]->(r:Region)
  WITH i, collect(DISTINCT r.code) AS regions ORDER BY i.code
  RETURN collect(i {.code, .name, .type, .domain, regions: regions}) AS items
}
CALL () {
  CALL () {
    MATCH (s:Street) WHERE s.code = $street OR s.name = $street
    RETURN s
    UNION  // a former name (更名), as authority.cypher finds it
    MATCH (:StreetFact {value: $street, fact: 'name'})<-[:HAS_FACT]-(s:Street)
    RETURN s
  }
  OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
  WITH s, r ORDER BY s.code
  RETURN collect(s {.code, .name, .kind, mode: s.delegation_mode, region: r.code,
                    regionName: r.name}) AS streets
}
RETURN items, streets
