// graph_department_items: one page of the items each of many departments originally holds (原实施部门的事项)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: department id, as_of null, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes} (items by code)
// rule:    (:EnforcementItem)-[:HELD_BY]->(:Department): the item's original competence (原实施部门)
UNWIND $keys AS asked
OPTIONAL MATCH (d:Department {id: asked.key})
WITH asked, COLLECT { MATCH (d)<-[:HELD_BY]-(i:EnforcementItem) RETURN i ORDER BY i.code } AS items
RETURN asked.at AS at, {total: size(items), skip: asked.skip,
                        nodes: items[asked.skip..asked.skip + asked.limit]} AS found
