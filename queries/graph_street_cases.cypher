// graph_street_cases: one page of the cases that occurred in each of many streets (街道案件)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: street code, as_of null, skip INTEGER, limit INTEGER})
// returns: at, found {total, skip, nodes} (cases by id)
// rule:    (:Case)-[:OCCURRED_IN]->(:Street): where the violation happened (行政处罚法 Art. 22)
UNWIND $keys AS asked
OPTIONAL MATCH (s:Street {code: asked.key})
WITH asked, COLLECT { MATCH (s)<-[:OCCURRED_IN]-(c:Case) RETURN c ORDER BY c.id } AS cases
RETURN asked.at AS at, {total: size(cases), skip: asked.skip,
                        nodes: cases[asked.skip..asked.skip + asked.limit]} AS found
