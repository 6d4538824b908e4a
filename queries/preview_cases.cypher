// preview_cases: the open cases about given item × street pairs (载入预览·受影响的在办案件)
// params:  $pairs LIST<MAP> ({item STRING, street STRING}), $closed STRING (the closed status, 结案)
// returns: id, status, occurredOn, itemCode, itemName, streetCode, streetName, handlerName
// rule:    a case not closed whose item × street a load changes may be decided by a body that no
//          longer holds (or newly holds) the power (行政处罚法 Art. 38); ordered by case id
UNWIND $pairs AS pair
MATCH (c:Case)-[:CONCERNS]->(i:EnforcementItem {code: pair.item})
MATCH (c)-[:OCCURRED_IN]->(s:Street {code: pair.street})
WHERE c.status IS NULL OR c.status <> $closed
OPTIONAL MATCH (c)-[:HANDLED_BY]->(handler)
WITH DISTINCT c, i, s, handler
RETURN c.id AS id, c.status AS status, c.occurred_on AS occurredOn, i.code AS itemCode,
       i.name AS itemName, s.code AS streetCode, s.name AS streetName, handler.name AS handlerName
ORDER BY id
