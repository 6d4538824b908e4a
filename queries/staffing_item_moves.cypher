// staffing_item_moves: items a county's streets took over, grouped by street, delegating department
//          and first day (事项下沉): what 编随事走 checks the establishment approvals against
// params:  $region STRING (county code), $modes LIST<STRING>, $asOf DATE
// returns: streetCode, streetName, departmentId, departmentName, day, items
// rule:    编随事走、人随编走 (seeds 004 三(五)15, 002 一; queries/staffing_rules.yaml): an item counts
//          on the day its delegation to the street starts, when the street did not hold it the day
//          before (a new catalog version carrying it on is no move); valid_to is exclusive
MATCH (s:Street)-[:PART_OF]->(:Region {code: $region})
MATCH (s)<-[:TO]-(d:Delegation)-[:OF]->(i:EnforcementItem)
WHERE d.mode IN $modes AND d.valid_from <= $asOf
  AND NOT EXISTS {
    MATCH (s)<-[:TO]-(before:Delegation)-[:OF]->(i)
    WHERE before.valid_from < d.valid_from
      AND (before.valid_to IS NULL OR before.valid_to >= d.valid_from)
  }
OPTIONAL MATCH (d)-[:FROM]->(dept:Department)
WITH s, dept, d.valid_from AS day, collect(DISTINCT i.code) AS items
RETURN s.code AS streetCode, s.name AS streetName, dept.id AS departmentId,
       dept.name AS departmentName, day, items
ORDER BY streetCode, day, departmentId
