// graph_unit_officers: one page of the members of each of many units (单位执法人员)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: unit id, as_of null, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes} (officers by certificate number)
// rule:    (:Officer)-[:MEMBER_OF]->(:Unit)
UNWIND $keys AS asked
OPTIONAL MATCH (u:Unit {id: asked.key})
WITH asked, COLLECT { MATCH (u)<-[:MEMBER_OF]-(o:Officer) RETURN o ORDER BY o.id } AS officers
RETURN asked.at AS at, {total: size(officers), skip: asked.skip,
                        nodes: officers[asked.skip..asked.skip + asked.limit]} AS found
