// The graph's write counter (图版本号): one GraphState node that every write transaction MERGEs
// and bumps last (loaders/write.py bump_generation). With the constraint, concurrent MERGEs
// take the same index lock instead of creating two nodes.
CREATE CONSTRAINT graph_state_id_unique IF NOT EXISTS
FOR (n:GraphState) REQUIRE n.id IS UNIQUE;
