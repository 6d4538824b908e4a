// graph_document_provisions: one page of the provisions of each of many documents (条款), in text order
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: document id, as_of null, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes}
// rule:    (:Provision)-[:IN]->(:LegalDocument); an article comes before its paragraphs and items
UNWIND $keys AS asked
OPTIONAL MATCH (doc:LegalDocument {id: asked.key})
WITH asked, COLLECT {
  MATCH (doc)<-[:IN]-(p:Provision)
  RETURN p ORDER BY p.article, coalesce(p.paragraph, 0), coalesce(p.item, 0), p.id
} AS provisions
RETURN asked.at AS at, {total: size(provisions), skip: asked.skip,
                        nodes: provisions[asked.skip..asked.skip + asked.limit]} AS found
