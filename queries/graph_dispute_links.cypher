// graph_dispute_links: the case, claimants, resolver and winner of each of many disputes (管辖争议各方)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: dispute id})
// returns: at, found {case, claimants [{stance, body}], resolved_by, decided_for}
// rule:    (:Dispute)-[:ABOUT]->(:Case), -[:CLAIMANT {stance}]->(:Street|Department),
//          -[:RESOLVED_BY]->(:Department), -[:DECIDED_FOR]->(:Street|Department) (行政处罚法 Art. 25)
UNWIND $keys AS asked
OPTIONAL MATCH (d:Dispute {id: asked.key})
RETURN asked.at AS at, {
  case: COLLECT { MATCH (d)-[:ABOUT]->(c:Case) RETURN c }[0],
  claimants: COLLECT {
    MATCH (d)-[claim:CLAIMANT]->(body:Street|Department)
    RETURN {stance: claim.stance, body: body} AS claimant ORDER BY coalesce(body.code, body.id)
  },
  resolved_by: COLLECT { MATCH (d)-[:RESOLVED_BY]->(dep:Department) RETURN dep ORDER BY dep.id },
  decided_for: COLLECT { MATCH (d)-[:DECIDED_FOR]->(body:Street|Department) RETURN body }[0]
} AS found
