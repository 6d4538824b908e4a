// coverage_gaps_items: the items the scope's streets hold on the date (from coverage_gaps_delegations),
//          each with its domain and type, the departments holding it, and whether it rests on no
//          parsed legal basis or only on repealed law (无依据或依据已废止)
// params:  $itemCodes LIST<STRING>, $asOf DATE, $repealed STRING
// returns: itemCode, itemName, itemType, domain, basisRaw, departments [{id, name}], unfounded (no
//          basis, or every cited document repealed on the date), basis (what it cites, when unfounded)
// rule:    行政处罚法 Art. 4 and Art. 38 (没有依据的行政处罚无效); a document is repealed on the date when
//          its status is 已废止 (effective_to, when known, before the date) or another document REPEALS it
UNWIND $itemCodes AS itemCode
MATCH (i:EnforcementItem {code: itemCode})
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
CALL (i) {
  OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)
  WITH dep WHERE dep IS NOT NULL
  RETURN collect(dep {.id, .name}) AS departments
}
WITH i, departments, basis, all(cited IN basis WHERE cited.repealed) AS unfounded
RETURN i.code AS itemCode, i.name AS itemName, i.type AS itemType, i.domain AS domain,
       i.basis_raw AS basisRaw, departments, unfounded,
       CASE WHEN unfounded THEN basis ELSE [] END AS basis
ORDER BY itemCode
