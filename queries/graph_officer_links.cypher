// graph_officer_links: the units and postings of each of many officers (所在单位与下沉/挂钩)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: certificate number})
// returns: at, found {units, postings [{mode, valid_from, valid_to, officer, target, department}]}
// rule:    (:Officer)-[:MEMBER_OF]->(:Unit), (:Officer)-[:POSTED_TO {mode, valid_from, valid_to,
//          department}]->(:Street|Zone); every posting, past ones included
UNWIND $keys AS asked
OPTIONAL MATCH (o:Officer {id: asked.key})
RETURN asked.at AS at, {
  units: COLLECT { MATCH (o)-[:MEMBER_OF]->(u:Unit) RETURN u ORDER BY u.id },
  postings: COLLECT {
    MATCH (o)-[p:POSTED_TO]->(target:Street|Zone)
    OPTIONAL MATCH (dep:Department {id: p.department})
    RETURN {mode: p.mode, valid_from: p.valid_from, valid_to: p.valid_to, officer: o,
            target: target, department: dep} AS posting
    ORDER BY p.valid_from, coalesce(target.code, target.id)
  }
} AS found
