// coverage_gaps_uncovered_items: items delegated to a street (赋权, in force) that no certified officer
//          of the street or its zone covers by domain (无持证人员承接的赋权事项)
// params:  $streetCodes LIST<STRING>, $asOf DATE, $grant STRING
// returns: itemCode, itemName, itemType, domain, departmentId, departmentName, streetCode,
//          streetName, catalogs
// rule:    行政处罚法 Art. 24 (能够有效承接) and Art. 42 (执法人员具有执法资格); an officer counts when posted
//          to the street or its zone, or a member of a unit of the street, certified on the date
UNWIND $streetCodes AS streetCode
MATCH (s:Street {code: streetCode})
CALL (s) {
  CALL (s) {
    MATCH (o:Officer)-[p:POSTED_TO]->(s)
    WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
    RETURN o
    UNION
    MATCH (o:Officer)-[p:POSTED_TO]->(:Zone)<-[m:IN_ZONE]-(s)
    WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
      AND coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
    RETURN o
    UNION
    MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[:PART_OF]->(s)
    RETURN o
  }
  WITH o WHERE coalesce(o.valid_from <= $asOf, true) AND coalesce(o.valid_to >= $asOf, true)
  RETURN reduce(acc = [], o2 IN collect(coalesce(o.domains, [])) | acc + o2) AS domains
}
MATCH (s)<-[:TO]-(d:Delegation {mode: $grant})
WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
// The item from each delegation, one at a time: never every OF of the graph joined back.
CALL (d, domains) {
  MATCH (d)-[:OF]->(i:EnforcementItem)
  WHERE i.domain IS NULL OR NOT i.domain IN domains
  RETURN i
}
OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
CALL (d) {
  OPTIONAL MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
  WITH a, c WHERE c IS NOT NULL AND c.effective <= $asOf ORDER BY c.effective, c.id
  RETURN collect(c {.id, .title, .doc_number, row: a.row}) AS catalogs
}
RETURN i.code AS itemCode, i.name AS itemName, i.type AS itemType, i.domain AS domain,
       dep.id AS departmentId, dep.name AS departmentName, s.code AS streetCode,
       catalogs,  // the street named as on $asOf (StreetFact: 更名, issue 14.12)
       coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
         WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
         RETURN f.value }[0], s.name) AS streetName
ORDER BY itemCode, streetCode
