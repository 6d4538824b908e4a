// graph_catalog_items: one page of the rows of each of many catalogs (目录所列事项), in row order
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: catalog id, as_of null, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes [{row, raw, catalog, item}]}
// rule:    (:Catalog)-[:LISTS {row, raw}]->(:EnforcementItem); rows are ordered and paged as
//          relationships, and only the page's items leave the database
UNWIND $keys AS asked
OPTIONAL MATCH (c:Catalog {id: asked.key})
WITH asked, c, COLLECT {
  MATCH (c)-[l:LISTS]->(i:EnforcementItem) RETURN l ORDER BY l.row, i.code
} AS rows
RETURN asked.at AS at, {total: size(rows), skip: asked.skip,
  nodes: [l IN rows[asked.skip..asked.skip + asked.limit] |
          {row: l.row, raw: l.raw, catalog: c, item: endNode(l)}]} AS found
