// graph_item_links: the original departments and the category of each of many items (原实施部门与类别)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: item code})
// returns: at, found {departments, category}
// rule:    (:EnforcementItem)-[:HELD_BY]->(:Department), (:EnforcementItem)-[:IN_CATEGORY]->(:Category);
//          an item has one or two of each, so both are read together
UNWIND $keys AS asked
OPTIONAL MATCH (i:EnforcementItem {code: asked.key})
RETURN asked.at AS at, {
  departments: COLLECT { MATCH (i)-[:HELD_BY]->(d:Department) RETURN d ORDER BY d.id },
  category: COLLECT { MATCH (i)-[:IN_CATEGORY]->(c:Category) RETURN c ORDER BY c.id }[0]
} AS found
