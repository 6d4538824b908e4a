// search_documents: legal documents by a title fragment, rank and status (法律文件检索)
// params:  $lucene STRING (Lucene query, null: no text), $rank STRING, $status STRING, $unknownStatus STRING, $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (properties of the page's documents, in list order)
// rule:    titles through the `cjk` full-text index, never a CONTAINS scan; a document without a
//          recorded status counts as 未知 ($unknownStatus, the model's default). Order: score desc,
//          id asc (no text: score 0, so id asc).
CALL () {
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('legal_document_title_fulltext', lucene) YIELD node, score
  RETURN node AS d, score
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NULL
  MATCH (d:LegalDocument)
  RETURN d, 0.0 AS score
}
WITH d, score
WHERE ($rank IS NULL OR d.rank = $rank)
  AND ($status IS NULL OR coalesce(d.status, $unknownStatus) = $status)
WITH d ORDER BY score DESC, d.id
WITH collect(d) AS hits
RETURN size(hits) AS total, [d IN hits[$skip..$skip + $limit] | properties(d)] AS nodes
