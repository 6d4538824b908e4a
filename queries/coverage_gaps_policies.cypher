// coverage_gaps_policies: local rules in force for a scope (适用的地方规则): on its region (or a
//          parent region), its zones or its streets
// params:  $regionCode STRING, $zoneIds LIST<STRING>, $streetCodes LIST<STRING>, $asOf DATE
// returns: id, rule, threshold, value, description, sourceDocument, sourceQuote, documentId,
//          documentTitle, validFrom, validTo, targetKind, targetKey, targetName
// rule:    a Policy is in force from valid_from through valid_to (null = open)
CALL () {
  MATCH (:Region {code: $regionCode})-[:PART_OF*0..3]->(t:Region) RETURN t
  UNION
  UNWIND $zoneIds AS zoneId MATCH (t:Zone {id: zoneId}) RETURN t
  UNION
  UNWIND $streetCodes AS streetCode MATCH (t:Street {code: streetCode}) RETURN t
}
MATCH (p:Policy)-[:APPLIES_TO]->(t)
WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
OPTIONAL MATCH (p)-[:DEFINED_IN]->(doc:LegalDocument)
RETURN p.id AS id, p.rule AS rule, p.threshold AS threshold, p.value AS value,
       p.description AS description, p.source_document AS sourceDocument,
       p.source_quote AS sourceQuote, doc.id AS documentId, doc.title AS documentTitle,
       p.valid_from AS validFrom, p.valid_to AS validTo, labels(t)[0] AS targetKind,
       coalesce(t.code, t.id) AS targetKey, t.name AS targetName
ORDER BY id, targetKey
