// discretion: the benchmark tiers and no-penalty conditions linked to one item on a day (裁量基准, 首违不罚)
// params:  $itemCode STRING, $asOf DATE
// returns: listId, kind, title, issuer, docNumber, effective, sourceFile, restsOn [{id, title, text}],
//          entries [{row, violation, circumstance, standard, condition, department, match, matchNote}]
// rule:    a list applies from its effective date; a newer version of the same series in force that
//          day replaces it (loaders/discretion.py); links were made at load by 事项编码, else by name
//          and a shared cited article, and say which (`match`; `ambiguous` is shown, not chosen)
MATCH (:EnforcementItem {code: $itemCode})<-[link:APPLIES_TO]-(entry:DiscretionEntry)
      -[:IN]->(list:DiscretionList)
WHERE list.effective <= $asOf
  AND NOT EXISTS {
    MATCH (newer:DiscretionList {series: list.series})
    WHERE newer.effective > list.effective AND newer.effective <= $asOf
  }
WITH list, entry, link
ORDER BY list.kind, list.effective, list.id, entry.row
WITH list, collect({
  row: entry.row, violation: entry.violation, circumstance: entry.circumstance,
  standard: entry.standard, condition: entry.condition, department: entry.department,
  match: link.match, matchNote: entry.match_note
}) AS entries
RETURN list.id AS listId, list.kind AS kind, list.title AS title, list.issuer AS issuer,
       list.doc_number AS docNumber, list.effective AS effective, list.source_file AS sourceFile,
       COLLECT {
         UNWIND coalesce(list.rests_on, []) AS provisionId
         OPTIONAL MATCH (p:Provision {id: provisionId})-[:IN]->(doc:LegalDocument)
         RETURN {id: provisionId, title: doc.title, text: p.text}
       } AS restsOn,
       entries
ORDER BY kind, effective, listId
