// graph_catalog_versions: the versions each of many catalogs supersedes and is superseded by (目录版本)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: catalog id})
// returns: at, found {supersedes, superseded_by}
// rule:    (:Catalog)-[:SUPERSEDES]->(:Catalog): a newer version of the same series
UNWIND $keys AS asked
OPTIONAL MATCH (c:Catalog {id: asked.key})
RETURN asked.at AS at, {
  supersedes: COLLECT { MATCH (c)-[:SUPERSEDES]->(old:Catalog) RETURN old ORDER BY old.effective },
  superseded_by: COLLECT { MATCH (c)<-[:SUPERSEDES]-(new:Catalog) RETURN new ORDER BY new.effective }
} AS found
