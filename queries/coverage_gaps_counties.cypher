// coverage_gaps_counties: the counties a coverage check of a wider region covers (检查范围): every
//          county below a city or province, or every county loaded ($nation), each with its
//          streets and zones as coverage_gaps_scope gives a county's
// params:  $region STRING (code or exact name), $nation STRING (the word that asks for every
//          county), $asOf DATE
// returns: topCode, topName, regionCode, regionName, zones, streets (one row per county: a region
//          with streets of its own), departments (the county's department ids, as
//          coverage_gaps_scope gives them)
// rule:    a region's counties are the regions PART_OF it (up to three levels) holding streets;
//          a zone's streets are those IN_ZONE on the date (IN_ZONE holds through valid_to)
CALL () {
  MATCH (top:Region) WHERE top.code = $region OR top.name = $region
  MATCH (r:Region)-[:PART_OF*1..3]->(top)
  RETURN top.code AS topCode, top.name AS topName, r
  UNION
  // The nation: every region, read only when asked for by that word (the guard comes first, so
  // a city's or province's question never runs the scan).
  WITH $region AS region WHERE region = $nation
  MATCH (r:Region)
  RETURN null AS topCode, $nation AS topName, r
}
CALL (r) {
  MATCH (s:Street)-[:PART_OF]->(r)
  OPTIONAL MATCH (s)-[m:IN_ZONE]->(sz:Zone)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
  WITH s, sz ORDER BY s.code, sz.id
  RETURN collect(s {.code, .name, .kind, mode: s.delegation_mode, zoneId: sz.id, zoneName: sz.name})
         AS streets
}
WITH topCode, topName, r, streets WHERE size(streets) > 0
CALL (r) {
  OPTIONAL MATCH (zz:Zone)-[:PART_OF]->(r)
  WHERE coalesce(zz.valid_from <= $asOf, true) AND coalesce(zz.valid_to >= $asOf, true)
  WITH zz ORDER BY zz.id
  RETURN collect(zz {.id, .name}) AS zones
}
RETURN topCode, topName, r.code AS regionCode, r.name AS regionName, zones, streets,
       COLLECT { MATCH (d:Department)-[:PART_OF]->(r) RETURN d.id ORDER BY d.id } AS departments
ORDER BY topCode, regionCode
