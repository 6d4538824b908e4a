// graph_delegation_links: the department, street, item and evidence of each of many delegations (赋权要素)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: delegation id})
// returns: at, found {department, street, item, authorized_by [{row, source}], ended_by}
// rule:    (:Delegation)-[:FROM]->(:Department), -[:TO]->(:Street), -[:OF]->(:EnforcementItem),
//          -[:AUTHORIZED_BY {row}]->(:Catalog|LegalDocument), -[:ENDED_BY]->(:Catalog); each a few links
UNWIND $keys AS asked
OPTIONAL MATCH (d:Delegation {id: asked.key})
RETURN asked.at AS at, {
  department: COLLECT { MATCH (d)-[:FROM]->(dep:Department) RETURN dep }[0],
  street: COLLECT { MATCH (d)-[:TO]->(s:Street) RETURN s }[0],
  item: COLLECT { MATCH (d)-[:OF]->(i:EnforcementItem) RETURN i }[0],
  authorized_by: COLLECT {
    MATCH (d)-[a:AUTHORIZED_BY]->(source:Catalog|LegalDocument)
    RETURN {row: a.row, source: source} AS evidence ORDER BY source.effective, source.id
  },
  ended_by: COLLECT { MATCH (d)-[:ENDED_BY]->(c:Catalog) RETURN c ORDER BY c.effective }
} AS found
