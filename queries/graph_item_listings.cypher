// graph_item_listings: the catalog rows that list each of many items (目录行), oldest catalog first
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: item code})
// returns: at, found [{row, raw, catalog, item}]
// rule:    (:Catalog)-[:LISTS {row, raw}]->(:EnforcementItem): an item is listed by each version of
//          its catalog series and by notices, a few rows per item
UNWIND $keys AS asked
OPTIONAL MATCH (i:EnforcementItem {code: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (c:Catalog)-[l:LISTS]->(i)
  RETURN {row: l.row, raw: l.raw, catalog: c, item: i} AS listing
  ORDER BY c.effective, c.id, l.row
} AS found
