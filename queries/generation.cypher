// generation: how many writes the graph has seen, and when the last one was (图版本号)
// params:  $id STRING (the GraphState node's key, schema.models.GRAPH_STATE_ID)
// returns: generation (0 when nothing was written since the counter existed), changedAt (or null)
// rule:    every write transaction CREATEs one GraphWrite marker last (loaders/write.py
//          bump_generation); old markers are folded into GraphState's count now and then
//          (fold_graph_writes), so the sum of both counts every committed write. The count of
//          markers comes from the count store, the newest from the index on GraphWrite.at: the
//          read costs the same however many markers there are. The API's answer cache keeps an
//          answer only while this is what it was when the answer was read.
OPTIONAL MATCH (g:GraphState {id: $id})
WITH coalesce(g.generation, 0) AS folded, g.changed_at AS foldedAt
CALL () {
  MATCH (w:GraphWrite)
  RETURN count(w) AS made
}
WITH folded, foldedAt, made,
     COLLECT { MATCH (w:GraphWrite) WHERE w.at IS NOT NULL
               RETURN w.at ORDER BY w.at DESC LIMIT 1 } AS newest
RETURN folded + made AS generation, coalesce(newest[0], foldedAt) AS changedAt
