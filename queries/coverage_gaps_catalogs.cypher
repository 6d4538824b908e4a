// coverage_gaps_catalogs: for each catalog in force in the scope's region, the items it lists and
//          which of them each street holds on the date (目录事项承接情况)
// params:  $streetCodes LIST<STRING>, $asOf DATE, $notices LIST<STRING>
// returns: regionCode, catalogId, catalogTitle, docNumber, catalogKind, effective, listed (once a
//          catalog), streets [{streetCode, streetName, streetMode, zoneId, zoneName, held}]
// rule:    行政处罚法 Art. 24; a catalog is in force from `effective` until a newer version of its
//          series takes effect (SUPERSEDES); a 收回通知 or 动态调整通知 is a change to lists, not a list of
//          powers (an adjustment may add an item to some streets only); a delegation ends on valid_to
UNWIND $streetCodes AS streetCode
MATCH (s:Street {code: streetCode})-[:PART_OF]->(r:Region)
// Each street's delegations are read once (from the street: a few hundred), then matched
// against each catalog's codes in memory — never catalog items × street delegations, and
// never once per catalog.
CALL (s) {
  OPTIONAL MATCH (s)<-[:TO]-(d:Delegation)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  // The item from each delegation, one at a time: never every OF of the graph joined back.
  CALL (d) {
    OPTIONAL MATCH (d)-[:OF]->(i:EnforcementItem)
    RETURN i
  }
  RETURN collect(DISTINCT i.code) AS inForce
}
CALL (s) {
  OPTIONAL MATCH (s)-[m:IN_ZONE]->(z:Zone)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
  WITH z ORDER BY z.id LIMIT 1
  RETURN z
}
WITH r, s, z, inForce ORDER BY s.code
WITH r, collect({street: s, zone: z, inForce: inForce}) AS streets
// The region's catalogs, found from the region outwards and only so: the walk names no label
// (a Street is what a Delegation goes TO, a Delegation what is AUTHORIZED_BY) and the catalog is
// checked after DISTINCT, so no count of catalogs, however small, lets the plan start from every
// Catalog and join back to the region (tests/queries/test_query_plans.py).
CALL (r) {
  MATCH (r)<-[:PART_OF]-(street)<-[:TO]-(delegation)
  CALL (delegation) {
    MATCH (delegation)-[:AUTHORIZED_BY]->(c)
    RETURN c
  }
  WITH DISTINCT c
  WHERE c:Catalog AND c.effective <= $asOf AND NOT c.kind IN $notices
    AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= $asOf }
  RETURN c
}
CALL (c) {
  MATCH (c)-[l:LISTS]->(i:EnforcementItem)
  OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)
  WITH l, i, dep ORDER BY i.code
  RETURN collect({code: i.code, name: i.name, row: l.row, departmentId: dep.id,
                  departmentName: dep.name}) AS listed, collect(DISTINCT i.code) AS listedCodes
}
// The catalog's items once; each street with only the codes of them it holds.
RETURN r.code AS regionCode, c.id AS catalogId, c.title AS catalogTitle,
       c.doc_number AS docNumber, c.kind AS catalogKind, c.effective AS effective, listed,
       [st IN streets | {streetCode: st.street.code, streetName: st.street.name,
                         streetMode: st.street.delegation_mode, zoneId: st.zone.id,
                         zoneName: st.zone.name,
                         held: [code IN listedCodes WHERE code IN st.inForce]}] AS streets
ORDER BY regionCode, catalogId
