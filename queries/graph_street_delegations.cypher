// graph_street_delegations: one page of the delegations each of many streets holds on a day (街道承接的赋权)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code, as_of DATE, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes} (delegations in force, by item code)
// rule:    a delegation is in force on D when valid_from <= D < valid_to (open end: in force), as
//          in authority.cypher; only the page's rows leave the database
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
WITH asked, COLLECT {
  MATCH (s)<-[:TO]-(d:Delegation)-[:OF]->(i:EnforcementItem)
  WHERE d.valid_from <= asked.as_of AND (d.valid_to IS NULL OR asked.as_of < d.valid_to)
  RETURN d ORDER BY i.code, d.valid_from, d.id
} AS delegations
RETURN asked.at AS at, {total: size(delegations), skip: asked.skip,
                        nodes: delegations[asked.skip..asked.skip + asked.limit]} AS found
