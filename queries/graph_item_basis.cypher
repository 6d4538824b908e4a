// graph_item_basis: the legal basis of each of many items (实施依据): provisions and their documents
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: item code})
// returns: at, found [{role, raw, item, provision, document}] by document, article, paragraph, item
// rule:    (:EnforcementItem)-[:BASED_ON {role, raw}]->(:Provision)-[:IN]->(:LegalDocument), or
//          straight to a LegalDocument when the citation names no article (as legal_basis.cypher)
UNWIND $keys AS asked
OPTIONAL MATCH (i:EnforcementItem {code: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (i)-[b:BASED_ON]->(target)
  OPTIONAL MATCH (target)-[:IN]->(container:LegalDocument)
  WITH b, target, coalesce(container, target) AS doc
  RETURN {role: b.role, raw: b.raw, item: i,
          provision: CASE WHEN target:Provision THEN target END, document: doc} AS link
  ORDER BY doc.id, target.article, target.paragraph, target.item, b.raw
} AS found
