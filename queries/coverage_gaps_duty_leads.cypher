// coverage_gaps_duty_leads: matters of the duty list in force where a town of the scope holds 主体责任 but
//          no 赋权 or 委托 delegation of an item the matter names is in force to it (权责不一致)
// params:  $regionCodes LIST<STRING> (counties), $streetCodes LIST<STRING>, $asOf DATE, $lead STRING (主体责任), $acting LIST<STRING> (赋权, 委托: the town itself acts)
// returns: regionCode, listId, title, sourceFile, row, matterId, matterName, streetCode, streetName, itemCode, itemName, departmentId, departmentName
// rule:    seed 002 四、厘清单: 确保县乡权责一致 (queries/duty_rules.yaml); the list in force is the newest
//          of the region effective on $asOf, as duties.cypher reads it
UNWIND $regionCodes AS regionCode
MATCH (r:Region {code: regionCode})
WITH regionCode, head(COLLECT {
  MATCH (candidate:DutyList)-[:COVERS]->(r) WHERE candidate.effective <= $asOf
  RETURN candidate ORDER BY candidate.effective DESC, candidate.id DESC
}) AS l
WHERE l IS NOT NULL
MATCH (l)<-[in:MATTER_IN]-(m:DutyMatter)-[d:DUTY_OF]->(s:Street)
WHERE d.role = $lead AND s.code IN $streetCodes
MATCH (m)-[:MATTER_ITEM]->(i:EnforcementItem)
WHERE NOT EXISTS {
  MATCH (s)<-[:TO]-(dl:Delegation)-[:OF]->(i)
  WHERE dl.mode IN $acting AND dl.valid_from <= $asOf AND (dl.valid_to IS NULL OR $asOf < dl.valid_to)
}
OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)-[:PART_OF]->(:Region {code: regionCode})
RETURN regionCode, l.id AS listId, l.title AS title, l.source_file AS sourceFile, in.row AS row,
       m.id AS matterId, m.name AS matterName, s.code AS streetCode, s.name AS streetName,
       i.code AS itemCode, i.name AS itemName, dep.id AS departmentId, dep.name AS departmentName
ORDER BY regionCode, row, streetCode, itemCode
