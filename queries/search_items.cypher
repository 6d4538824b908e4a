// search_items: enforcement items by a name fragment, domain, type, and the catalogs of a region (执法事项检索)
// params:  $lucene STRING (Lucene query, null: no text), $domain STRING, $itemType STRING, $region STRING, $asOf DATE, $withdrawal STRING, $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (properties of the page's items, in list order)
// rule:    name text through the `cjk` full-text index (bigrams), never a CONTAINS scan. A Catalog
//          stores no region: as in coverage_gaps_catalogs, a catalog is of a region when it
//          authorises a delegation to a street of that region or of a sub-region (PART_OF*). With
//          $region the item must be listed (LISTS) by such a catalog; with $asOf by a catalog in force
//          that day (effective <= asOf, not superseded by a version effective by then). A 收回通知
//          ($withdrawal) names items it takes back: it lists no powers. Order: score desc, code asc
//          (no text: score 0, so code asc); the total is counted before the page is cut.
//          With $region, only that region's delegations and their catalogs' items are read: the
//          walk starts at the region's code and names no label, so no statistics can turn it into
//          a read of every Catalog or item (tests/queries/test_query_plans.py). Without $region
//          but with $asOf the catalogs in force anywhere are read, and with neither every item:
//          those questions are about the whole registry.
CALL () {
  WITH $region AS region WHERE region IS NOT NULL
  MATCH (:Region {code: region})<-[:PART_OF*0..]-(sub)
  WITH DISTINCT sub WHERE sub:Region
  MATCH (sub)<-[:PART_OF]-(street)<-[:TO]-(delegation)-[:AUTHORIZED_BY]->(c)
  WITH DISTINCT c WHERE c:Catalog
  RETURN c
  UNION
  WITH $region AS region, $asOf AS asOf WHERE region IS NULL AND asOf IS NOT NULL
  MATCH (c:Catalog)
  RETURN c
}
WITH c
WHERE c.kind <> $withdrawal
  AND ($asOf IS NULL OR (c.effective <= $asOf
       AND NOT EXISTS { MATCH (newer:Catalog)-[:SUPERSEDES]->(c) WHERE newer.effective <= $asOf }))
WITH collect(c) AS listing
CALL (listing) {
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('enforcement_item_name_fulltext', lucene) YIELD node, score
  RETURN node AS i, score
  UNION ALL
  // No text, a region or a day: the items the listing's catalogs list, not every item.
  WITH $lucene AS lucene WHERE lucene IS NULL AND ($region IS NOT NULL OR $asOf IS NOT NULL)
  UNWIND listing AS c
  MATCH (c)-[:LISTS]->(listed)
  WITH DISTINCT listed
  RETURN listed AS i, 0.0 AS score
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NULL AND $region IS NULL AND $asOf IS NULL
  MATCH (i:EnforcementItem)
  RETURN i, 0.0 AS score
}
WITH i, score, listing
WHERE ($domain IS NULL OR i.domain = $domain)
  AND ($itemType IS NULL OR i.type = $itemType)
  AND (($region IS NULL AND $asOf IS NULL) OR EXISTS {
       MATCH (c)-[:LISTS]->(i) WHERE c IN listing })
WITH i ORDER BY score DESC, i.code
WITH collect(i) AS hits
RETURN size(hits) AS total, [i IN hits[$skip..$skip + $limit] | properties(i)] AS nodes
