// The graph's write markers (写入标记): every write transaction CREATEs one GraphWrite node as its
// last statement (loaders/write.py bump_generation) instead of bumping the one GraphState node,
// so concurrent writers never wait on a shared lock. The count is read from the count store;
// this index serves the newest marker's time (ORDER BY at DESC LIMIT 1) and the fold of old ones.
CREATE RANGE INDEX graph_write_at IF NOT EXISTS
FOR (n:GraphWrite) ON (n.at);
