// zone_division: a region's joint-enforcement zones on a day, their streets and coordinating squad (片区划分)
// params:  $region STRING (region code or exact name), $asOf DATE
// returns: region, zones (each with streets and squads, each squad with its brigades), unzoned
// rule:    seed 000 四(一): 联合执法片区划分要及时向社会公布; zones and IN_ZONE hold through valid_to;
//          a street is named as it was that day, and one merged away by then is not unzoned (14.12);
//          a squad's brigade is the one it is PART_OF that day (机构调整; undated: always)
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
WITH region ORDER BY region.code LIMIT 1
RETURN region {.code, .name} AS region,
  COLLECT {
    MATCH (zone:Zone)-[:PART_OF]->(region)
    WHERE coalesce(zone.valid_from <= $asOf, true) AND coalesce(zone.valid_to >= $asOf, true)
    RETURN zone {.id, .name, .valid_from, .valid_to, .source_file,
      streets: COLLECT {
        MATCH (street:Street)-[inZone:IN_ZONE]->(zone)
        WHERE coalesce(inZone.valid_from <= $asOf, true) AND coalesce(inZone.valid_to >= $asOf, true)
        RETURN street {.code, .kind, since: inZone.valid_from,
          name: coalesce(COLLECT { MATCH (street)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
                      WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
                      RETURN f.value }[0], street.name)} AS street ORDER BY street.code
      },
      squads: COLLECT {
        MATCH (zone)-[:COORDINATED_BY]->(squad:Unit)
        RETURN squad {.id, .name,
          brigades: COLLECT { MATCH (squad)-[up:PART_OF]->(brigade:Unit)
                              WHERE coalesce(up.valid_from <= $asOf, true) AND coalesce(up.valid_to >= $asOf, true)
                              RETURN brigade.name AS brigade ORDER BY brigade }} AS squad
        ORDER BY squad.id
      }} AS zone
    ORDER BY zone.id
  } AS zones,
  COLLECT {
    MATCH (street:Street)-[:PART_OF]->(region)
    WHERE NOT (EXISTS {
      MATCH (street)-[inZone:IN_ZONE]->(zone:Zone)
      WHERE coalesce(inZone.valid_from <= $asOf, true) AND coalesce(inZone.valid_to >= $asOf, true)
        AND coalesce(zone.valid_from <= $asOf, true) AND coalesce(zone.valid_to >= $asOf, true)
    }
      OR EXISTS { MATCH (street)-[gone:MERGED_INTO]->() WHERE gone.valid_from <= $asOf })
    RETURN street {.code, name: coalesce(COLLECT { MATCH (street)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
                      WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
                      RETURN f.value }[0], street.name)} AS street ORDER BY street.code
  } AS unzoned
