// graph_provision_items: the items that rest on each of many provisions (以该条款为依据的事项)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: provision id})
// returns: at, found [{role, raw, item, provision, document}] by item code
// rule:    (:EnforcementItem)-[:BASED_ON {role, raw}]->(:Provision)-[:IN]->(:LegalDocument)
UNWIND $keys AS asked
OPTIONAL MATCH (p:Provision {id: asked.key})
OPTIONAL MATCH (p)-[:IN]->(doc:LegalDocument)
RETURN asked.at AS at, COLLECT {
  MATCH (p)<-[b:BASED_ON]-(i:EnforcementItem)
  RETURN {role: b.role, raw: b.raw, item: i, provision: p, document: doc} AS link
  ORDER BY i.code, b.raw
} AS found
