// impact_delegations: one page of an item's delegations in force, with street, department and the catalog that lists it (法律修改影响·赋权明细)
// params:  $item STRING (item code), $asOf DATE, $offset INTEGER, $limit INTEGER
// returns: delegations [{id, mode, since, until, streetCode, streetName, departmentId, departmentName,
//          evidence {id, title, docNumber, kind, effective, row}}]: rows $offset…$offset+$limit by street code, id
// rule:    in force on $asOf when valid_from <= $asOf < valid_to (open end: in force), counted where its
//          TO street is — as impact counts them; evidence is the latest AUTHORIZED_BY catalog effective
//          by $asOf. Only the page's delegations are read in full. One unique-index seek on the item.
MATCH (item:EnforcementItem {code: $item})
CALL (item) {
  MATCH (d:Delegation)-[:OF]->(item)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR d.valid_to > $asOf)
  MATCH (d)-[:TO]->(s:Street)
  WITH d, s ORDER BY s.code, d.id
  RETURN collect({delegation: d, street: s}) AS rows
}
CALL (rows) {
  UNWIND rows[$offset..$offset + $limit] AS row
  WITH row.delegation AS d, row.street AS s
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  WITH d, s, dep ORDER BY s.code, d.id
  RETURN collect({
    id: d.id, mode: d.mode, since: d.valid_from, until: d.valid_to,
    streetCode: s.code, streetName: s.name, departmentId: dep.id, departmentName: dep.name,
    evidence: COLLECT {
      MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog) WHERE c.effective <= $asOf
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: a.row} AS listing
      ORDER BY c.effective DESC, c.id LIMIT 1
    }[0]
  }) AS delegations
}
RETURN delegations
