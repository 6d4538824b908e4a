// search_organisations: streets, departments, units, zones and regions by a name fragment (机构检索)
// params:  $lucene STRING (Lucene query, null: no text), $kind STRING (a label, null: any), $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (per hit: kind, key, name, formerName, formerNameTo, region)
// rule:    names through the `cjk` full-text index, never a CONTAINS scan. key is the business
//          key (code of a street or region, id otherwise); region is the nearest region up the
//          PART_OF chain (a unit's through its department, street or parent unit; a region's is
//          its parent). A department is also found by its declared aliases (区城管局), through
//          their own `cjk` index; found both ways it counts once, with its better score. A
//          street is also found by a name it had (更名: a name StreetFact, 015): the hit then
//          carries that name and its last day (formerName, formerNameTo: 原名 X (至 D)). So is a
//          department by a name it had (机构改革: a DepartmentFact, 016).
//          Order: score desc, key asc, kind asc (no text: score 0).
CALL () {
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('organisation_name_fulltext', lucene) YIELD node, score
  RETURN node AS n, score, null AS former
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('department_alias_fulltext', lucene) YIELD node, score
  RETURN node AS n, score, null AS former
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('street_fact_value_fulltext', lucene) YIELD node, score
  MATCH (node)<-[:HAS_FACT]-(n:Street)
  WHERE node.fact = 'name' AND node.value <> n.name
  RETURN n, score, node AS former
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('department_fact_value_fulltext', lucene) YIELD node, score
  MATCH (node)<-[:HAS_FACT]-(n:Department)
  WHERE node.fact = 'name' AND node.value <> n.name
  RETURN n, score, node AS former
  UNION ALL
  WITH $lucene AS lucene WHERE lucene IS NULL
  MATCH (n:Street|Department|Unit|Zone|Region) WHERE $kind IN labels(n)
  RETURN n, 0.0 AS score, null AS former
}
WITH n, score, former ORDER BY score DESC
WITH n, max(score) AS score, head(collect(former)) AS former
WITH n, score, former, [label IN labels(n) WHERE label IN ['Street', 'Department', 'Unit', 'Zone', 'Region']][0] AS kind
WHERE kind IS NOT NULL AND ($kind IS NULL OR kind = $kind)
WITH n, kind, CASE WHEN kind IN ['Street', 'Region'] THEN n.code ELSE n.id END AS key, score, former
ORDER BY score DESC, key, kind
WITH collect({n: n, kind: kind, key: key, former: former}) AS hits
RETURN size(hits) AS total,
       [hit IN hits[$skip..$skip + $limit] | {
          kind: hit.kind, key: hit.key, name: hit.n.name,
          formerName: hit.former.value, formerNameTo: hit.former.valid_to,
          region: COLLECT {
            WITH hit.n AS n
            MATCH path = (n)-[:PART_OF*1..4]->(r:Region)
            RETURN r.code ORDER BY length(path), r.code LIMIT 1 }[0]}] AS nodes
