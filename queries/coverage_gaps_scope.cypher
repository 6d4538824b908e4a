// coverage_gaps_scope: the streets and zones a coverage check covers (检查范围): a county or one zone
// params:  $region STRING (code or exact name, or null), $zone STRING (id or exact name, or null), $asOf DATE
// returns: regionCode, regionName, zoneId, zoneName, zones, streets
// rule:    a zone's streets are those IN_ZONE on the date (IN_ZONE holds through valid_to)
CALL () {
  MATCH (r:Region) WHERE r.code = $region OR r.name = $region
  RETURN r, null AS z
  UNION
  MATCH (z:Zone)-[:PART_OF]->(r:Region) WHERE z.id = $zone OR z.name = $zone
  RETURN r, z
}
CALL (r, z) {
  MATCH (s:Street)-[:PART_OF]->(r) WHERE z IS NULL
  RETURN s
  UNION
  MATCH (s:Street)-[m:IN_ZONE]->(z)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
  RETURN s
}
OPTIONAL MATCH (s)-[m:IN_ZONE]->(sz:Zone)
WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
WITH r, z, s, sz ORDER BY s.code, sz.id
WITH r, z, collect(s {.code, .name, .kind, mode: s.delegation_mode, zoneId: sz.id, zoneName: sz.name})
     AS streets
CALL (r, z) {
  OPTIONAL MATCH (zz:Zone)-[:PART_OF]->(r)
  WHERE (z IS NULL OR zz = z)
    AND coalesce(zz.valid_from <= $asOf, true) AND coalesce(zz.valid_to >= $asOf, true)
  WITH zz ORDER BY zz.id
  RETURN collect(zz {.id, .name}) AS zones
}
RETURN r.code AS regionCode, r.name AS regionName, z.id AS zoneId, z.name AS zoneName, zones, streets
ORDER BY regionCode, zoneId
