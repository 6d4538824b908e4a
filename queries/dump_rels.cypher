// dump_rels: every relationship, its ends by business key, for comparing two graphs (整图导出：关系)
// params:  $keys MAP (label name → its business key property), $skip LIST<STRING> (labels left out)
// returns: type, start, end (labels), a, b (the ends' business keys), props — one row per relationship
// rule:    a full scan, on purpose (see dump_nodes); ends named by the keys of
//          schema/constraints/001_unique_keys.cypher, so two stores can be compared
MATCH (a)-[r]->(b) WHERE NOT labels(a)[0] IN $skip AND NOT labels(b)[0] IN $skip
RETURN type(r) AS type, labels(a)[0] AS start, labels(b)[0] AS end,
       a[$keys[labels(a)[0]]] AS a, b[$keys[labels(b)[0]]] AS b, properties(r) AS props
