// coverage_gaps_legal_basis: items in force in the scope with no parsed legal basis, or resting only
//          on repealed law (无依据或依据已废止的事项)
// params:  $streetCodes LIST<STRING>, $asOf DATE, $repealed STRING
// returns: itemCode, itemName, basisRaw, departmentId, departmentName, basis, streets
// rule:    行政处罚法 Art. 4 and Art. 38 (没有依据的行政处罚无效); a document is repealed on the date when
//          its status is 已废止 (effective_to, when known, before the date) or another document REPEALS it
UNWIND $streetCodes AS streetCode
MATCH (s:Street {code: streetCode})<-[:TO]-(d:Delegation)
WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
// The item from each delegation, one at a time: never every OF of the graph joined back.
CALL (d) {
  MATCH (d)-[:OF]->(i:EnforcementItem)
  RETURN i
}
WITH i, s ORDER BY s.code
WITH i, collect(DISTINCT s {.code, .name}) AS streets
CALL (i) {
  OPTIONAL MATCH (i)-[b:BASED_ON]->(cited)
  OPTIONAL MATCH (cited)-[:IN]->(doc:LegalDocument)
  WITH b, cited, coalesce(doc, cited) AS document WHERE cited IS NOT NULL
  WITH b, cited, document,
       coalesce(document.effective_to < $asOf, false)
       OR (document.status = $repealed AND coalesce(document.effective_to < $asOf, true))
       OR EXISTS { MATCH (by:LegalDocument)-[:REPEALS]->(document)
                  WHERE coalesce(by.effective_from <= $asOf, true) } AS repealed
  ORDER BY cited.id
  RETURN collect({provisionId: cited.id, documentId: document.id, title: document.title,
                  status: document.status, raw: b.raw, repealed: repealed}) AS basis
}
WITH i, streets, basis
WHERE all(cited IN basis WHERE cited.repealed)
OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)
RETURN i.code AS itemCode, i.name AS itemName, i.basis_raw AS basisRaw, dep.id AS departmentId,
       dep.name AS departmentName, basis, streets
ORDER BY itemCode
