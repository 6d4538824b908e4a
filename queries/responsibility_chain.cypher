// responsibility_chain: who answers for an item in a street on a day (责任链): the subject's team,
//          the street's zone and its coordinating squad, brigade, departments, legal reviewers,
//          supervisors and the justice bureau
// params:  $streetCode STRING, $subjectStreet STRING?, $subjectDepartment STRING?, $itemCode STRING?, $asOf DATE, $teamKinds LIST<STRING>, $brigadeKind STRING, $officerRoles LIST<STRING>, $justiceKind STRING
//          (? = may be null: the subject is a street or a department, the item may be unknown)
// returns: street, regions, item, subject, subjectTeams, streetTeams, zones (each with squads, each
//          with brigades, each with departments), delegations (each with from and evidence),
//          itemDepartments, officers (each with via, mode, place), justice
// rule:    seed 000 四(三): 执法大队指导-各直属中队统筹协调-片区内各街道综合执法队参与; a legal reviewer per
//          zone (seed 000 五); seed 001: each street center's 法制审核人员 and the 司法所's 执法监督员.
//          IN_ZONE, POSTED_TO and certificates hold through valid_to; a delegation ends on valid_to.
//          The street's mode and name are those of $asOf (StreetFact, issue 14.12); a unit's
//          PART_OF holds from valid_from through valid_to (机构调整; undated: always).
//          The subject's teams include those of the departments merged into it by $asOf (机构改革).
//          Departments (delegating, holding, the teams' and brigades', the justice bureau) are
//          returned as recorded: responsibility_chain.py names each as on $asOf, a merged one by
//          its successor, with one department_of_day read. Inline, that rule five times made
//          this statement take 5.6-14 s to plan after each load dropped the cached plans.
//          A zone's squads, their brigades and the brigades' departments are pattern
//          comprehensions, not COLLECT subqueries nested four deep (6.6 s to plan, now 1.7 s);
//          comprehensions keep no order: responsibility_chain.py sorts them by id.
MATCH (street:Street {code: $streetCode})
OPTIONAL MATCH (subjectStreet:Street {code: $subjectStreet})
OPTIONAL MATCH (subjectDepartment:Department {id: $subjectDepartment})
OPTIONAL MATCH (item:EnforcementItem {code: $itemCode})
WITH street, item, coalesce(subjectStreet, subjectDepartment) AS subject
OPTIONAL CALL (street) {
  MATCH (officer:Officer)-[post:POSTED_TO]->(zone:Zone)<-[inZone:IN_ZONE]-(street)
  WHERE coalesce(post.valid_from <= $asOf, true) AND coalesce(post.valid_to >= $asOf, true)
    AND coalesce(inZone.valid_from <= $asOf, true) AND coalesce(inZone.valid_to >= $asOf, true)
  RETURN officer, zone AS place, post.mode AS mode
  UNION
  MATCH (officer:Officer)-[post:POSTED_TO]->(street)
  WHERE coalesce(post.valid_from <= $asOf, true) AND coalesce(post.valid_to >= $asOf, true)
  RETURN officer, street AS place, post.mode AS mode
  UNION
  MATCH (officer:Officer)-[:MEMBER_OF]->(unit:Unit)-[part:PART_OF]->(street)
  WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
  RETURN officer, unit AS place, null AS mode
}
WITH street, item, subject,
     collect(CASE WHEN any(role IN officer.roles WHERE role IN $officerRoles)
       THEN officer {.id, .name, .roles, .valid_from, .valid_to, via: labels(place)[0],
                     placeKey: coalesce(place.code, place.id), place: place.name, mode: mode,
                     unit: COLLECT { MATCH (officer)-[:MEMBER_OF]->(u:Unit) RETURN u.name AS u
                                     ORDER BY u }}
     END) AS officers
// The street's mode and name on the day (组织沿革, issue 14.12): its dated fact covering $asOf,
// else the undated property; on a day its dated mode is 派驻 its delegations work as 派驻.
CALL (street) {
  OPTIONAL MATCH (street)-[:HAS_FACT]->(f:StreetFact)
  WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
  WITH collect(f) AS facts
  RETURN [x IN facts WHERE x.fact = 'name' | x.value][0] AS nameOnDay,
         CASE WHEN EXISTS { (street)-[:HAS_FACT]->(:StreetFact {fact: 'mode'}) }
              THEN [x IN facts WHERE x.fact = 'mode' | x.value][0]
              ELSE street.delegation_mode END AS modeOnDay
}
RETURN
  street {.code, name: coalesce(nameOnDay, street.name), mode: modeOnDay} AS street,
  COLLECT { MATCH (street)-[:PART_OF]->(r:Region) RETURN r {.code, .name} AS r ORDER BY r.code }
    AS regions,
  item {.code, .name} AS item,
  CASE WHEN subject IS NULL THEN null
       ELSE {label: labels(subject)[0], key: coalesce(subject.code, subject.id), name: subject.name}
  END AS subject,
  COLLECT {
    // The subject's own units, and from a merger day those of each department merged into it
    // (机构改革: its brigade goes with its powers), walked back from the subject.
    MATCH merged = (owner)-[:MERGED_INTO*0..3]->(subject)
    WHERE all(m IN relationships(merged) WHERE m.valid_from <= $asOf)
    MATCH (u:Unit)-[part:PART_OF]->(owner)
    WHERE (u.kind IN $teamKinds OR u.kind = $brigadeKind) AND coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
    RETURN u {.id, .name, .kind, label: labels(subject)[0],
              departments: COLLECT { MATCH (u)-[up:PART_OF]->(held:Department)
                                     WHERE coalesce(up.valid_from <= $asOf, true) AND coalesce(up.valid_to >= $asOf, true)
                                     RETURN held {.id, .name} AS d ORDER BY d.id }} AS u
    ORDER BY u.id
  } AS subjectTeams,
  COLLECT {
    MATCH (u:Unit)-[part:PART_OF]->(street) WHERE u.kind IN $teamKinds AND coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
    RETURN u {.id, .name, .kind} AS u ORDER BY u.id
  } AS streetTeams,
  COLLECT {
    MATCH (street)-[inZone:IN_ZONE]->(zone:Zone)
    WHERE coalesce(inZone.valid_from <= $asOf, true) AND coalesce(inZone.valid_to >= $asOf, true)
      AND coalesce(zone.valid_from <= $asOf, true) AND coalesce(zone.valid_to >= $asOf, true)
    RETURN zone {.id, .name, inZoneFrom: inZone.valid_from, inZoneTo: inZone.valid_to,
      squads: [(zone)-[:COORDINATED_BY]->(squad:Unit) | squad {.id, .name, .kind,
          brigades: [(squad)-[up:PART_OF]->(brigade:Unit)
                     WHERE coalesce(up.valid_from <= $asOf, true) AND coalesce(up.valid_to >= $asOf, true)
                     | brigade {.id, .name, .kind,
                        departments: [(brigade)-[bp:PART_OF]->(held:Department)
                                      WHERE coalesce(bp.valid_from <= $asOf, true) AND coalesce(bp.valid_to >= $asOf, true)
                                      | held {.id, .name}]}]}]} AS zone
    ORDER BY zone.id
  } AS zones,
  COLLECT {
    // From the street (its few hundred delegations), never from the item (delegated to streets
    // all over the country): the item is only checked (tests/queries/test_profile_flat.py).
    MATCH (street)<-[:TO]-(delegation:Delegation)
    WHERE delegation.valid_from <= $asOf AND coalesce(delegation.valid_to > $asOf, true)
      AND EXISTS { (delegation)-[:OF]->(item) }
    RETURN delegation {.id, .valid_from, .valid_to, .confirmation,
      mode: CASE WHEN modeOnDay = '派驻' THEN '派驻' ELSE delegation.mode END,
      from: COLLECT { MATCH (delegation)-[:FROM]->(original:Department)
                      RETURN original {.id, .name} AS d ORDER BY d.id },
      evidence: COLLECT { MATCH (delegation)-[a:AUTHORIZED_BY]->(c:Catalog)
                          RETURN c {.id, .title, .doc_number, row: a.row} AS c
                          ORDER BY c.effective, c.id }} AS delegation
    ORDER BY delegation.id
  } AS delegations,
  COLLECT { MATCH (item)-[:HELD_BY]->(original:Department)
            RETURN original {.id, .name} AS d ORDER BY d.id } AS itemDepartments,
  officers,
  COLLECT {
    MATCH (street)-[:PART_OF]->(:Region)<-[:PART_OF]-(justice:Department {kind: $justiceKind})
    RETURN justice {.id, .name} AS d ORDER BY d.id
  } AS justice
