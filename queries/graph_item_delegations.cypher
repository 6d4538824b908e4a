// graph_item_delegations: the delegations of each of many items in force on a day (事项的赋权)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: item code, as_of DATE})
// returns: at, found (delegations in force, by street code)
// rule:    a delegation is in force on D when valid_from <= D < valid_to (open end: in force), as
//          in authority.cypher; an item's code is its county's, so it reaches that county's streets
UNWIND $keys AS asked
OPTIONAL MATCH (i:EnforcementItem {code: asked.key})
RETURN asked.at AS at, COLLECT {
  MATCH (i)<-[:OF]-(d:Delegation)-[:TO]->(s:Street)
  WHERE d.valid_from <= asked.as_of AND (d.valid_to IS NULL OR asked.as_of < d.valid_to)
  RETURN d ORDER BY s.code, d.valid_from, d.id
} AS found
