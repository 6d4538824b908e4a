// coverage_gaps_redelegation: delegations to the scope's streets whose delegating body or whose
//          authorising catalog's issuer is a street, in force on the date (转授权)
// params:  $streetCodes LIST<STRING>, $asOf DATE
// returns: delegationId, itemCode, itemName, streetCode, streetName, fromStreetCode,
//          fromStreetName, catalogId, catalogTitle, catalogIssuer
// rule:    行政处罚法 Art. 20 ¶4 (受委托组织…不得再委托其他组织或者个人实施行政处罚) and seed 001
//          (街道不得再将承接的权限赋予其他任何组织或者个人实施): a street holds powers, it never hands them on;
//          the issuer is compared with the names of the region's streets (a street's list of
//          what it holds itself hands nothing on)
UNWIND $streetCodes AS streetCode
MATCH (s:Street {code: streetCode})
// The names of the region's streets, once per street (not once per delegation: the region's
// PART_OF holds every street, department and zone of it).
CALL (s) {
  MATCH (s)-[:PART_OF]->(:Region)<-[:PART_OF]-(other:Street)
  RETURN collect(other.name) AS streetNames
}
MATCH (s)<-[:TO]-(d:Delegation)
WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
OPTIONAL MATCH (d)-[:FROM]->(fromStreet:Street)
OPTIONAL MATCH (d)-[:AUTHORIZED_BY]->(c:Catalog)
WITH s, d, fromStreet, c, streetNames
WHERE fromStreet IS NOT NULL OR (c.issuer IN streetNames AND c.issuer <> s.name)
MATCH (d)-[:OF]->(i:EnforcementItem)
RETURN d.id AS delegationId, i.code AS itemCode, i.name AS itemName, s.code AS streetCode,
       fromStreet.code AS fromStreetCode, fromStreet.name AS fromStreetName,
       c.id AS catalogId, c.title AS catalogTitle, c.issuer AS catalogIssuer,
       // the street named as on $asOf (StreetFact: 更名, issue 14.12)
       coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
         WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
         RETURN f.value }[0], s.name) AS streetName
ORDER BY streetCode, itemCode, delegationId
