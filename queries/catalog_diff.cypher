// catalog_diff: per street, the items gained, withdrawn or changed in subject between two dates, with the catalog or notice that did it (目录变化)
// params:  $streetCode STRING (or null), $regionCode STRING (or null), $fromDate DATE, $toDate DATE
// returns: streetCode, streetName, regionCode, changes [{change, itemCode, itemName,
//          before [{id, mode, modeBasis, departmentId, departmentName, validFrom, validTo, endedBy}],
//          after [{..., startedBy}]}]
// rule:    a delegation is in force on D when valid_from <= D < valid_to (open end: in force).
//          gained: none in force on $fromDate, one on $toDate; withdrawn: the reverse; subject
//          changed: in force on both but (mode, department) differ. Evidence: the earliest
//          AUTHORIZED_BY of the new delegation (the version that started it) and the ENDED_BY of
//          the old one, each with its LISTS row for the item (none: the version no longer lists it).
//          Organisation facts (issue 14.12): a street merged (MERGED_INTO) on M has its
//          delegations end on M, the 撤并 notice as endedBy; a town whose dated mode on a date is
//          派驻 shows its delegations as 派驻 that date, with the mode's notice as modeBasis.
CALL () {
  MATCH (s:Street {code: $streetCode})
  RETURN s
  UNION
  MATCH (:Region {code: $regionCode})<-[:PART_OF*0..3]-(:Region)<-[:PART_OF]-(s:Street)
  RETURN s
}
OPTIONAL MATCH (s)-[:PART_OF]->(region:Region)
// 组织沿革 (issue 14.12): a merger (撤并) ends the street's delegations on its day, with the notice
// as evidence; on a day the town's dated mode is 派驻 the county department is the subject.
CALL (s) {
  OPTIONAL MATCH (s)-[m:MERGED_INTO]->(:Street)
  OPTIONAL MATCH (doc:LegalDocument {id: m.basis})
  RETURN m.valid_from AS mergedOn,
         CASE WHEN m IS NULL THEN null
              ELSE {id: coalesce(doc.id, m.basis, '撤并'), title: coalesce(doc.title, '撤并'),
                    docNumber: doc.doc_number, kind: '撤并', effective: m.valid_from, row: null}
         END AS merger
}
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'mode'})
  OPTIONAL MATCH (f)-[:DEFINED_IN]->(doc:LegalDocument)
  WITH f, doc ORDER BY f.valid_from
  WITH collect(f {.value, .valid_from, .valid_to, basis: coalesce(doc.doc_number, doc.title)})
       AS modes
  RETURN [x IN modes WHERE (x.valid_from IS NULL OR x.valid_from <= $fromDate)
                       AND (x.valid_to IS NULL OR $fromDate <= x.valid_to)][0] AS modeFrom,
         [x IN modes WHERE (x.valid_from IS NULL OR x.valid_from <= $toDate)
                       AND (x.valid_to IS NULL OR $toDate <= x.valid_to)][0] AS modeTo
}
CALL (s, mergedOn, merger, modeFrom, modeTo) {
  MATCH (s)<-[:TO]-(d:Delegation)-[:OF]->(item:EnforcementItem)
  WITH d, item, CASE WHEN mergedOn IS NOT NULL AND (d.valid_to IS NULL OR d.valid_to > mergedOn)
                     THEN mergedOn ELSE d.valid_to END AS validTo
  WITH d, item, validTo, validTo <> d.valid_to OR (d.valid_to IS NULL AND validTo IS NOT NULL) AS byMerger,
       d.valid_from <= $fromDate AND (validTo IS NULL OR validTo > $fromDate) AS atFrom,
       d.valid_from <= $toDate AND (validTo IS NULL OR validTo > $toDate) AS atTo
  WHERE atFrom OR atTo
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  WITH item, atFrom, atTo, d {
    .id, validFrom: d.valid_from, validTo: validTo,
    departmentId: dep.id, departmentName: dep.name,
    modeFrom: CASE WHEN modeFrom.value = '派驻' THEN '派驻' ELSE d.mode END,
    modeTo: CASE WHEN modeTo.value = '派驻' THEN '派驻' ELSE d.mode END,
    modeBasisFrom: modeFrom.basis, modeBasisTo: modeTo.basis,
    startedBy: COLLECT {
      MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: a.row} AS evidence
      ORDER BY c.effective, c.id LIMIT 1
    }[0],
    endedBy: CASE WHEN byMerger THEN merger ELSE COLLECT {
      MATCH (d)-[:ENDED_BY]->(c:Catalog)
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: COLLECT { MATCH (c)-[l:LISTS]->(item) RETURN l.row }[0]}
             AS evidence
      ORDER BY c.effective, c.id LIMIT 1
    }[0] END
  } AS delegation
  ORDER BY delegation.id
  WITH item,
       [x IN collect(CASE WHEN atFrom THEN delegation END) WHERE x IS NOT NULL |
        x {.*, mode: x.modeFrom, modeBasis: x.modeBasisFrom}] AS before,
       [x IN collect(CASE WHEN atTo THEN delegation END) WHERE x IS NOT NULL |
        x {.*, mode: x.modeTo, modeBasis: x.modeBasisTo}] AS after
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
