// graph_policy_links: where each of many local rules applies and the document it comes from (规则范围与出处)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: policy id})
// returns: at, found {applies_to, document}
// rule:    (:Policy)-[:APPLIES_TO]->(:Region|Zone|Street), (:Policy)-[:DEFINED_IN]->(:LegalDocument)
UNWIND $keys AS asked
OPTIONAL MATCH (p:Policy {id: asked.key})
RETURN asked.at AS at, {
  applies_to: COLLECT {
    MATCH (p)-[:APPLIES_TO]->(scope:Region|Zone|Street) RETURN scope
    ORDER BY coalesce(scope.code, scope.id)
  },
  document: COLLECT { MATCH (p)-[:DEFINED_IN]->(doc:LegalDocument) RETURN doc }[0]
} AS found
