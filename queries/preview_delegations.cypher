// preview_delegations: the delegations one catalog version or notice starts and ends (载入预览·授权变化)
// params:  $catalogId STRING
// returns: change ('started' | 'ended'), id, mode, validFrom, itemCode, itemName, streetCode,
//          streetName, regionCode, departmentId, departmentName — ordered by street, item, change
// rule:    a delegation is started by the catalog it came from (source_catalog, AUTHORIZED_BY) and
//          ended by the one it is ENDED_BY (loaders/catalogs.py); one that a version continues is
//          neither. Read inside the preview's own transaction, after the catalog's writes.
MATCH (c:Catalog {id: $catalogId})
CALL (c) {
  MATCH (d:Delegation)-[:AUTHORIZED_BY]->(c)
  WHERE d.source_catalog = c.id
  RETURN 'started' AS change, d
  UNION
  MATCH (d:Delegation)-[:ENDED_BY]->(c)
  RETURN 'ended' AS change, d
}
MATCH (d)-[:OF]->(i:EnforcementItem)
MATCH (d)-[:TO]->(s:Street)
OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
RETURN change, d.id AS id, d.mode AS mode, d.valid_from AS validFrom, i.code AS itemCode,
       i.name AS itemName, s.code AS streetCode, s.name AS streetName, r.code AS regionCode,
       dep.id AS departmentId, dep.name AS departmentName
ORDER BY streetCode, itemCode, change DESC, id
