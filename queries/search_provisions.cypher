// search_provisions: articles, paragraphs and items whose loaded text holds a phrase, with their document (条文检索)
// params:  $lucene STRING (Lucene query, null: no text), $documentId STRING, $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (per provision: properties and documentTitle)
// rule:    provision text through the `cjk` full-text index, never a CONTAINS scan; only provisions
//          with text (laws loaded from data/…/laws) can match. An article and its paragraphs are
//          separate provisions, so one sentence can hit several. Order: score desc, then the
//          provision's place (document, article, paragraph, item), id last. A law's own
//          provisions (IN the LegalDocument: its newest loaded text) are searched, not the copies
//          each LawVersion keeps of its text (行政处罚法@2017-09-01#18: legal-basis reads those).
CALL () {
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('provision_text_fulltext', lucene) YIELD node, score
  WITH node AS p, score WHERE $documentId IS NULL OR p.document_id = $documentId
  WITH p, score WHERE EXISTS { (p)-[:IN]->(:LegalDocument) }
  RETURN p, score
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NULL
  MATCH (p:Provision {document_id: $documentId})
  WHERE EXISTS { (p)-[:IN]->(:LegalDocument) }
  RETURN p, 0.0 AS score
}
WITH p ORDER BY score DESC, p.document_id, p.article, coalesce(p.paragraph, 0),
               coalesce(p.item, 0), p.id
WITH collect(p) AS hits
RETURN size(hits) AS total,
       [p IN hits[$skip..$skip + $limit] |
        p {.*, documentTitle: [(p)-[:IN]->(doc:LegalDocument) | doc.title][0]}] AS nodes
