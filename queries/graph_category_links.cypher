// graph_category_links: the department that leads each of many item categories (牵头部门)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: category id})
// returns: at, found {led_by}
// rule:    (:Category)-[:LED_BY]->(:Department) (seed 000 四(二))
UNWIND $keys AS asked
OPTIONAL MATCH (c:Category {id: asked.key})
RETURN asked.at AS at, {
  led_by: COLLECT { MATCH (c)-[:LED_BY]->(d:Department) RETURN d ORDER BY d.id }
} AS found
