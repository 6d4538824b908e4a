// staffing: a county's units and departments with their establishment approvals (核定编制) and the
//          officers of each unit whose certificate is valid on the day (持证执法人员)
// params:  $region STRING (county code or exact name), $asOf DATE
// returns: regionCode, regionName, units (id, name, kind, ownerKind, ownerKey, ownerName,
//          departmentId, certified, establishments (id, approvedOn, document, docNumber, issuer,
//          administrative, institution, actual, certifiedReported, auxiliary, file, row))
// rule:    核定编制 and 实有 from the 编办's approvals (loaders/staffing.py), a later approval
//          replacing an earlier one (queries/staffing.py); certified officers only from the graph's
//          officers (持证上岗, seeds 000, 001, 004): 协管 are never officers (queries/staffing_rules.yaml).
//          A unit is counted where it is on $asOf (机构调整: PART_OF holds from valid_from through
//          valid_to; undated: always), under its street named as on $asOf (StreetFact: 更名)
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
WITH region ORDER BY region.code LIMIT 1
CALL (region) {
  MATCH (u:Unit)-[parts:PART_OF*1..4]->(owner)-[:PART_OF]->(region)
  WHERE (owner:Street OR owner:Department)
    AND all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
  RETURN DISTINCT u AS body, owner
  UNION
  MATCH (d:Department)-[:PART_OF]->(region)
  WHERE EXISTS { (d)<-[:OF]-(:Establishment) }
  RETURN d AS body, d AS owner
}
WITH region, body, owner ORDER BY body.id
WITH region, collect(body {
  .id, .name, kind: coalesce(body.kind, '部门'), ownerKind: labels(owner)[0],
  ownerKey: coalesce(owner.code, owner.id),
  ownerName: coalesce(COLLECT { MATCH (owner)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
    WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
    RETURN f.value }[0], owner.name),
  departmentId: CASE WHEN owner:Department THEN owner.id END,
  certified: COUNT {
    MATCH (o:Officer)-[:MEMBER_OF]->(body)
    WHERE coalesce(o.valid_from <= $asOf, true) AND coalesce(o.valid_to >= $asOf, true)
  },
  establishments: COLLECT {
    MATCH (body)<-[:OF]-(e:Establishment)
    RETURN e {.id, approvedOn: e.approved_on, .document, docNumber: e.doc_number, .issuer,
              administrative: e.administrative_posts, institution: e.institution_posts,
              .actual, certifiedReported: e.certified_reported, .auxiliary,
              file: e.source_file, row: e.source_row} AS approval
    ORDER BY approval.approvedOn, approval.id
  }
}) AS units
RETURN region.code AS regionCode, region.name AS regionName, units
