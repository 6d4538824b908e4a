// catalog_diff: per street, the items gained, withdrawn or changed in subject between two dates, with the catalog or notice that did it (目录变化)
// params:  $streetCode STRING (or null), $regionCode STRING (or null), $fromDate DATE, $toDate DATE
// returns: streetCode, streetName, regionCode, changes [{change, itemCode, itemName,
//          before [{id, mode, departmentId, departmentName, validFrom, validTo, endedBy}],
//          after [{..., startedBy}]}]
// rule:    a delegation is in force on D when valid_from <= D < valid_to (open end: in force).
//          gained: none in force on $fromDate, one on $toDate; withdrawn: the reverse; subject
//          changed: in force on both but (mode, department) differ. Evidence: the earliest
//          AUTHORIZED_BY of the new delegation (the version that started it) and the ENDED_BY of
//          the old one, each with its LISTS row for the item (none: the version no longer lists it).
CALL () {
  MATCH (s:Street {code: $streetCode})
  RETURN s
  UNION
  MATCH (:Region {code: $regionCode})<-[:PART_OF*0..3]-(:Region)<-[:PART_OF]-(s:Street)
  RETURN s
}
OPTIONAL MATCH (s)-[:PART_OF]->(region:Region)
CALL (s) {
  MATCH (s)<-[:TO]-(d:Delegation)-[:OF]->(item:EnforcementItem)
  WITH d, item,
       d.valid_from <= $fromDate AND (d.valid_to IS NULL OR d.valid_to > $fromDate) AS atFrom,
       d.valid_from <= $toDate AND (d.valid_to IS NULL OR d.valid_to > $toDate) AS atTo
  WHERE atFrom OR atTo
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  WITH item, atFrom, atTo, d {
    .id, .mode, validFrom: d.valid_from, validTo: d.valid_to,
    departmentId: dep.id, departmentName: dep.name,
    startedBy: COLLECT {
      MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: a.row} AS evidence
      ORDER BY c.effective, c.id LIMIT 1
    }[0],
    endedBy: COLLECT {
      MATCH (d)-[:ENDED_BY]->(c:Catalog)
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: COLLECT { MATCH (c)-[l:LISTS]->(item) RETURN l.row }[0]}
             AS evidence
      ORDER BY c.effective, c.id LIMIT 1
    }[0]
  } AS delegation
  ORDER BY delegation.id
  WITH item,
       [x IN collect(CASE WHEN atFrom THEN delegation END) WHERE x IS NOT NULL] AS before,
       [x IN collect(CASE WHEN atTo THEN delegation END) WHERE x IS NOT NULL] AS after
  WITH item, before, after,
       [x IN before | x.mode + ' ' + coalesce(x.departmentId, '?')] AS subjectsBefore,
       [x IN after | x.mode + ' ' + coalesce(x.departmentId, '?')] AS subjectsAfter
  WITH item, before, after,
       CASE
         WHEN size(before) = 0 THEN 'gained'
         WHEN size(after) = 0 THEN 'withdrawn'
         WHEN any(k IN subjectsBefore WHERE NOT k IN subjectsAfter)
           OR any(k IN subjectsAfter WHERE NOT k IN subjectsBefore) THEN 'subject_changed'
       END AS change
  WHERE change IS NOT NULL
  WITH item, before, after, change ORDER BY item.code
  RETURN collect({change: change, itemCode: item.code, itemName: item.name,
                  before: before, after: after}) AS changes
}
RETURN s.code AS streetCode, s.name AS streetName, region.code AS regionCode, changes
ORDER BY streetCode
