// search_streets: the streets and towns of a region and its sub-regions, by a name fragment (辖区街道/乡镇)
// params:  $region STRING, $lucene STRING (Lucene query, null: no text), $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (properties of the page's streets, in list order)
// rule:    a street is PART_OF its county; regions nest by PART_OF (county → city), so a city's
//          streets are its counties' streets. Names through the `cjk` full-text index, never a
//          CONTAINS scan; a name it had (更名: a name StreetFact, 015) finds it too, once, with
//          its better score (the street's formerNames say 原名 X (至 D)). Order: score desc,
//          code asc (no text: score 0, so code asc).
CALL () {
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('organisation_name_fulltext', lucene) YIELD node, score
  WITH node AS s, score
  WHERE s:Street AND EXISTS {
    MATCH (s)-[:PART_OF]->(:Region)-[:PART_OF*0..]->(:Region {code: $region}) }
  RETURN s, score
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('street_fact_value_fulltext', lucene) YIELD node, score
  MATCH (node)<-[:HAS_FACT]-(s:Street)
  WHERE node.fact = 'name' AND node.value <> s.name AND EXISTS {
    MATCH (s)-[:PART_OF]->(:Region)-[:PART_OF*0..]->(:Region {code: $region}) }
  RETURN s, score
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NULL
  MATCH (:Region {code: $region})<-[:PART_OF*0..]-(:Region)<-[:PART_OF]-(s:Street)
  RETURN DISTINCT s, 0.0 AS score
}
WITH s, max(score) AS score
WITH s ORDER BY score DESC, s.code
WITH collect(s) AS hits
RETURN size(hits) AS total, [s IN hits[$skip..$skip + $limit] | properties(s)] AS nodes
