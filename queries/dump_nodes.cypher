// dump_nodes: every node with all its properties, for comparing two graphs (整图导出：节点)
// params:  $skip LIST<STRING> (labels left out: bookkeeping such as SchemaMigration)
// returns: label, props — one row per node (each node of the registry has exactly one label)
// rule:    a full scan, on purpose: it answers "is this graph the same as that one"
//          (the bulk import against the online loader), never a user's question
MATCH (n) WHERE NOT labels(n)[0] IN $skip
RETURN labels(n) AS labels, properties(n) AS props
