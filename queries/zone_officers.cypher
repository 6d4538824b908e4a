// zone_officers: each zone's joint-enforcement officers on a day (片区联合执法人员名单), posted to the
//          zone or to one of its streets (挂钩 / 常驻 / 下沉), with certificate and units
// params:  $region STRING (region code or exact name), $asOf DATE
// returns: region, zone, officers (id, name, roles, domains, certificate validity, mode, place,
//          units, postingDepartment [{id, name}], unitDepartments [{id, name}])
// rule:    seed 000 四(四): 区城市管理和综合执法局…公布联合执法人员名单; 挂钩联系人员须持有执法资格证;
//          postings and IN_ZONE hold through valid_to (certificates are judged in Python); a street
//          is named as on $asOf (StreetFact, issue 14.12: 更名), a unit placed as on $asOf (PART_OF
//          {valid_from, valid_to}: 机构调整); departments are named as on $asOf by
//          queries/zone_officers.py (department_of_day.cypher: 机构改革)
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
WITH region ORDER BY region.code LIMIT 1
MATCH (zone:Zone)-[:PART_OF]->(region)
WHERE coalesce(zone.valid_from <= $asOf, true) AND coalesce(zone.valid_to >= $asOf, true)
OPTIONAL CALL (zone) {
  MATCH (officer:Officer)-[post:POSTED_TO]->(zone)
  WHERE coalesce(post.valid_from <= $asOf, true) AND coalesce(post.valid_to >= $asOf, true)
  RETURN officer, post, zone.name AS place
  UNION
  MATCH (officer:Officer)-[post:POSTED_TO]->(street:Street)-[inZone:IN_ZONE]->(zone)
  WHERE coalesce(post.valid_from <= $asOf, true) AND coalesce(post.valid_to >= $asOf, true)
    AND coalesce(inZone.valid_from <= $asOf, true) AND coalesce(inZone.valid_to >= $asOf, true)
  RETURN officer, post, coalesce(COLLECT { MATCH (street)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
      WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
      RETURN f.value }[0], street.name) AS place
}
WITH region, zone, officer, post, place
ORDER BY officer.id, place
RETURN region {.code, .name} AS region, zone {.id, .name} AS zone,
  collect(officer {.id, .name, .roles, .domains, .valid_from, .valid_to, .certificate_issuer,
    mode: post.mode, place: place,
    postingDepartment: COLLECT { MATCH (d:Department {id: post.department}) RETURN d {.id, .name} AS d },
    units: COLLECT { MATCH (officer)-[:MEMBER_OF]->(u:Unit) RETURN u.name AS u ORDER BY u },
    unitDepartments: COLLECT {
      MATCH (officer)-[:MEMBER_OF]->(:Unit)-[parts:PART_OF*1..3]->(d:Department)
      WHERE all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
      RETURN DISTINCT d {.id, .name} AS d ORDER BY d.id
    }}) AS officers
ORDER BY zone.id
