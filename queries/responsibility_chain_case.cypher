// responsibility_chain_case: a case's item, place, dates and handling body (案件的事项、发生地与办案主体)
// params:  $caseId STRING
// returns: caseId, status, occurredOn, filedAt, itemCode, itemName, streetCode, streetName, handlers
// rule:    the case's HANDLED_BY body is its handling subject (执法主体); without one the chain asks
//          who is competent for the item in the street on the day (行政处罚法 Art. 22-24, seed 000 四(三))
MATCH (c:Case {id: $caseId})
OPTIONAL MATCH (c)-[:CONCERNS]->(item:EnforcementItem)
OPTIONAL MATCH (c)-[:OCCURRED_IN]->(street:Street)
RETURN c.id AS caseId, c.status AS status, c.occurred_on AS occurredOn, c.filed_at AS filedAt,
       item.code AS itemCode, item.name AS itemName,
       street.code AS streetCode, street.name AS streetName,
       COLLECT {
         MATCH (c)-[:HANDLED_BY]->(body)
         WHERE body:Street OR body:Department
         RETURN {label: labels(body)[0], key: coalesce(body.code, body.id), name: body.name} AS handler
         ORDER BY handler.key
       } AS handlers
