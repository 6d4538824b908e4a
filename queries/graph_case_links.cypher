// graph_case_links: the item, place, handler, officers, transfers and disputes of each of many cases (案件要素)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: case id})
// returns: at, found {item, street, handled_by, officers, transfers, disputes}
// rule:    (:Case)-[:CONCERNS]->(:EnforcementItem), -[:OCCURRED_IN]->(:Street),
//          -[:HANDLED_BY]->(:Street|Department), -[:HANDLED_BY_OFFICER]->(:Officer),
//          -[:HAS_TRANSFER]->(:Transfer), (:Dispute)-[:ABOUT]->(:Case); a case has a few of each
UNWIND $keys AS asked
OPTIONAL MATCH (c:Case {id: asked.key})
RETURN asked.at AS at, {
  item: COLLECT { MATCH (c)-[:CONCERNS]->(i:EnforcementItem) RETURN i }[0],
  street: COLLECT { MATCH (c)-[:OCCURRED_IN]->(s:Street) RETURN s }[0],
  handled_by: COLLECT { MATCH (c)-[:HANDLED_BY]->(body:Street|Department) RETURN body }[0],
  officers: COLLECT { MATCH (c)-[:HANDLED_BY_OFFICER]->(o:Officer) RETURN o ORDER BY o.id },
  transfers: COLLECT { MATCH (c)-[:HAS_TRANSFER]->(t:Transfer) RETURN t ORDER BY t.sent_at, t.id },
  disputes: COLLECT { MATCH (c)<-[:ABOUT]-(d:Dispute) RETURN d ORDER BY d.raised_at, d.id }
} AS found
