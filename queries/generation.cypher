// generation: how many writes the graph has seen, and when the last one was (图版本号)
// params:  $id STRING (the one GraphState node's key, schema.models.GRAPH_STATE_ID)
// returns: generation (0 when nothing was written since the counter existed), changedAt (or null)
// rule:    every write transaction bumps it last (loaders/write.py bump_generation); the API's
//          answer cache keeps an answer only while this is what it was when the answer was read
OPTIONAL MATCH (g:GraphState {id: $id})
RETURN coalesce(g.generation, 0) AS generation, g.changed_at AS changedAt
