// graph_transfer_links: the case, sender and receiver of each of many transfers (移送双方)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: transfer id})
// returns: at, found {case, sender, receiver}
// rule:    (:Case)-[:HAS_TRANSFER]->(:Transfer)-[:FROM|TO]->(:Street|Department) (seed 003)
UNWIND $keys AS asked
OPTIONAL MATCH (t:Transfer {id: asked.key})
RETURN asked.at AS at, {
  case: COLLECT { MATCH (t)<-[:HAS_TRANSFER]-(c:Case) RETURN c }[0],
  sender: COLLECT { MATCH (t)-[:FROM]->(body:Street|Department) RETURN body }[0],
  receiver: COLLECT { MATCH (t)-[:TO]->(body:Street|Department) RETURN body }[0]
} AS found
