// dump_node_count: how many nodes of the registry the graph holds (节点数), bookkeeping left out
// params:  $skip LIST<STRING> (labels left out: bookkeeping such as SchemaMigration)
// returns: nodes — one row
// rule:    a bulk import (authreg db import) replaces the whole store, so it refuses a graph
//          holding any registry node unless told to replace it
MATCH (n) WHERE NOT labels(n)[0] IN $skip
RETURN count(n) AS nodes
