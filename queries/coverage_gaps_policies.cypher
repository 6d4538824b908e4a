// coverage_gaps_policies: local rules in force for a scope (适用的地方规则): on its region (or a
//          parent region), its zones or its streets
// params:  $regionCodes LIST<STRING> (counties), $zoneIds LIST<STRING>, $streetCodes LIST<STRING>, $asOf DATE
// returns: regionCode (the county the row is about), id, rule, threshold, value, description, sourceDocument, sourceQuote, documentId,
//          documentTitle, validFrom, validTo, targetKind, targetKey, targetName
// rule:    a Policy is in force from valid_from through valid_to (null = open)
CALL () {
  UNWIND $regionCodes AS regionCode
  MATCH (:Region {code: regionCode})-[:PART_OF*0..3]->(t:Region) RETURN regionCode, t
  UNION
  UNWIND $zoneIds AS zoneId MATCH (t:Zone {id: zoneId})-[:PART_OF]->(r:Region)
  RETURN r.code AS regionCode, t
  UNION
  UNWIND $streetCodes AS streetCode MATCH (t:Street {code: streetCode})-[:PART_OF]->(r:Region)
  RETURN r.code AS regionCode, t
}
MATCH (p:Policy)-[:APPLIES_TO]->(t)
WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
OPTIONAL MATCH (p)-[:DEFINED_IN]->(doc:LegalDocument)
RETURN regionCode, p.id AS id, p.rule AS rule, p.threshold AS threshold, p.value AS value,
       p.description AS description, p.source_document AS sourceDocument,
       p.source_quote AS sourceQuote, doc.id AS documentId, doc.title AS documentTitle,
       p.valid_from AS validFrom, p.valid_to AS validTo, labels(t)[0] AS targetKind,
       coalesce(t.code, t.id) AS targetKey, t.name AS targetName
ORDER BY regionCode, id, targetKey
