// coverage_gaps_scope: the streets and zones a coverage check covers (检查范围): a county or one zone
// params:  $region STRING (code or exact name, or null), $zone STRING (id or exact name, or null), $asOf DATE
// returns: regionCode, regionName, zoneId, zoneName, zones, streets, departments (ids)
// rule:    a zone's streets are those IN_ZONE on the date (IN_ZONE holds through valid_to); a
//          street merged away by the date is left out, and mode and name are the date's (14.12);
//          `departments`: the region's department ids, whose departments of the day
//          (department_of_day.cypher, 机构改革) the question reads once with its first read naming any
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
// A street merged into another by the day (撤并) is no longer a street of the scope.
WITH r, z, s WHERE NOT EXISTS { MATCH (s)-[gone:MERGED_INTO]->() WHERE gone.valid_from <= $asOf }
OPTIONAL MATCH (s)-[m:IN_ZONE]->(sz:Zone)
WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
// Its mode and name on the day: the dated fact covering $asOf, else the undated property.
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_FACT]->(f:StreetFact)
  WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
  WITH collect(f) AS facts
  RETURN [x IN facts WHERE x.fact = 'name' | x.value][0] AS nameOnDay,
         CASE WHEN EXISTS { (s)-[:HAS_FACT]->(:StreetFact {fact: 'mode'}) }
              THEN [x IN facts WHERE x.fact = 'mode' | x.value][0]
              ELSE s.delegation_mode END AS modeOnDay
}
WITH r, z, s, sz, nameOnDay, modeOnDay ORDER BY s.code, sz.id
WITH r, z, collect(s {.code, .kind, name: coalesce(nameOnDay, s.name), mode: modeOnDay,
                      zoneId: sz.id, zoneName: sz.name}) AS streets
CALL (r, z) {
  OPTIONAL MATCH (zz:Zone)-[:PART_OF]->(r)
  WHERE (z IS NULL OR zz = z)
    AND coalesce(zz.valid_from <= $asOf, true) AND coalesce(zz.valid_to >= $asOf, true)
  WITH zz ORDER BY zz.id
  RETURN collect(zz {.id, .name}) AS zones
}
RETURN r.code AS regionCode, r.name AS regionName, z.id AS zoneId, z.name AS zoneName, zones, streets,
       COLLECT { MATCH (d:Department)-[:PART_OF]->(r) RETURN d.id ORDER BY d.id } AS departments
ORDER BY regionCode, zoneId
