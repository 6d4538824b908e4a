// coverage_gaps_catalogs: the catalogs of the scope's regions (what authorises a delegation to one of
//          their streets), each with whether it is in force on the date and, when it is, the items it
//          lists (目录事项)
// params:  $streetCodes LIST<STRING>, $asOf DATE, $notices LIST<STRING>
// returns: regionCode, catalogs [{id, title, docNumber, kind, issuer, effective,
//          inForce, listed [{code, name, row, departmentId, departmentName}] (in force only)}]
// rule:    行政处罚法 Art. 24; a catalog is in force from `effective` until a newer version of its
//          series takes effect (SUPERSEDES); a 收回通知 or 动态调整通知 is a change to lists, not a list of
//          powers (an adjustment may add an item to some streets only). Which items each street
//          holds comes from coverage_gaps_delegations, read once for every check.
UNWIND $streetCodes AS streetCode
MATCH (:Street {code: streetCode})-[:PART_OF]->(r:Region)
WITH DISTINCT r
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
  WHERE c:Catalog
  WITH c, c.effective <= $asOf AND NOT c.kind IN $notices
          AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= $asOf }
          AS inForce
  CALL (c, inForce) {
    OPTIONAL MATCH (c)-[l:LISTS]->(i:EnforcementItem) WHERE inForce
    OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)
    WITH l, i, dep WHERE i IS NOT NULL ORDER BY i.code
    RETURN collect({code: i.code, name: i.name, row: l.row, departmentId: dep.id,
                    departmentName: dep.name}) AS listed
  }
  WITH c, inForce, listed ORDER BY c.id
  RETURN collect({id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
                  issuer: c.issuer, effective: c.effective, inForce: coalesce(inForce, false),
                  listed: listed}) AS catalogs
}
RETURN r.code AS regionCode, catalogs
ORDER BY regionCode
