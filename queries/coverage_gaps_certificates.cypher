// coverage_gaps_certificates: officers still posted or assigned in the scope whose certificate is not
//          valid on the date (执法证过期或未生效仍在岗)
// params:  $streetCodes LIST<STRING>, $zoneIds LIST<STRING>, $departmentRegions LIST<STRING>
//          (counties whose departments' units count: none for a zone), $asOf DATE
// returns: officerId, officerName, roles, certificateFrom, certificateTo, places (each with
//          `within`: the street code, zone id or region code it was found from)
// rule:    行政处罚法 Art. 42 (执法人员应当具有行政执法资格); 持证上岗. Postings and certificates hold
//          through valid_to; units of the region's departments count only for a county-wide check;
//          a unit counts where its PART_OF places it on $asOf (机构调整; undated: always)
CALL () {
  UNWIND $streetCodes AS streetCode
  MATCH (o:Officer)-[p:POSTED_TO]->(place:Street {code: streetCode})
  WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
  RETURN o, place, p.mode AS mode, streetCode AS within
  UNION
  UNWIND $zoneIds AS zoneId
  MATCH (o:Officer)-[p:POSTED_TO]->(place:Zone {id: zoneId})
  WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
  RETURN o, place, p.mode AS mode, zoneId AS within
  UNION
  // Members from each unit, one unit at a time: never every MEMBER_OF joined back.
  UNWIND $streetCodes AS streetCode
  MATCH (place:Unit)-[parts:PART_OF*1..3]->(:Street {code: streetCode})
  WHERE all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
  CALL (place) {
    MATCH (o:Officer)-[:MEMBER_OF]->(place)
    RETURN o
  }
  RETURN o, place, null AS mode, streetCode AS within
  UNION
  UNWIND $departmentRegions AS regionCode
  MATCH (place:Unit)-[parts:PART_OF*1..3]->(:Department)-[:PART_OF]->(:Region {code: regionCode})
  WHERE all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
  CALL (place) {
    MATCH (o:Officer)-[:MEMBER_OF]->(place)
    RETURN o
  }
  RETURN o, place, null AS mode, regionCode AS within
}
WITH o, place, mode, within
WHERE NOT (coalesce(o.valid_from <= $asOf, true) AND coalesce(o.valid_to >= $asOf, true))
WITH o, place, mode, within ORDER BY coalesce(place.code, place.id)
RETURN o.id AS officerId, o.name AS officerName, coalesce(o.roles, []) AS roles,
       o.valid_from AS certificateFrom, o.valid_to AS certificateTo,
       collect({kind: labels(place)[0], key: coalesce(place.code, place.id), name: place.name,
                mode: mode, within: within}) AS places
ORDER BY officerId
