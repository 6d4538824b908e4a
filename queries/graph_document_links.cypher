// graph_document_links: the documents each of many documents amends, repeals or replaces, and
//          those that amend, repeal or replace it (修改 / 废止 / 替代)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: document id})
// returns: at, found {outgoing, incoming} each [{kind, effective, document}]
// rule:    (:LegalDocument)-[:AMENDS|REPEALS|REPLACES {effective}]->(:LegalDocument); the date falls
//          back to the newer document's effective_from, then promulgated (as legal_basis.cypher)
UNWIND $keys AS asked
OPTIONAL MATCH (doc:LegalDocument {id: asked.key})
RETURN asked.at AS at, {
  outgoing: COLLECT {
    MATCH (doc)-[r:AMENDS|REPEALS|REPLACES]->(other:LegalDocument)
    RETURN {kind: type(r), document: other,
            effective: coalesce(r.effective, doc.effective_from, doc.promulgated)} AS link
    ORDER BY other.id
  },
  incoming: COLLECT {
    MATCH (doc)<-[r:AMENDS|REPEALS|REPLACES]-(other:LegalDocument)
    RETURN {kind: type(r), document: other,
            effective: coalesce(r.effective, other.effective_from, other.promulgated)} AS link
    ORDER BY other.id
  }
} AS found
