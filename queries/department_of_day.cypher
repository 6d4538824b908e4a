// department_of_day: the department that stands for each of many departments on a day (机构改革), by its name of that day
// params:  $ids LIST<STRING>, $asOf DATE
// returns: one row per id found: asked, ownName, department {id, name, kind}, mergers [{id, name,
//          into, intoName, since, basis {doc_number, title}}], renamed {name, since, basis
//          {doc_number, title}}
// rule:    issue 14.12. From a merger day (Department MERGED_INTO.valid_from <= $asOf) the
//          successor stands for the merged department (its powers 划入 it by the notice: the
//          relationship's basis), through at most three mergers; each department is named by its
//          DepartmentFact {fact: 'name'} whose period holds $asOf (both end days included), else
//          by the node's name. `ownName` is the asked department's own name that day (the name a
//          merged one last had); `renamed` is the standing department's name fact of the day when
//          a notice gave it (DEFINED_IN), for the explanation. An id no department has gives no
//          row. The answers made of several reads apply it once (queries/department_of_day.py);
//          authority.cypher, coverage_matrix.cypher and responsibility_chain.cypher hold the same
//          rule inline (each is one statement: Cypher has no functions).
UNWIND $ids AS asked
MATCH (original:Department {id: asked})
CALL (original) {
  OPTIONAL MATCH path = (original)-[:MERGED_INTO*1..3]->(:Department)
  WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
  WITH path ORDER BY length(path) DESC LIMIT 1
  RETURN coalesce(last(nodes(path)), original) AS dep, coalesce(relationships(path), []) AS merged
}
WITH DISTINCT asked, original, dep, merged
RETURN asked,
       coalesce(COLLECT { MATCH (original)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                          WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                          RETURN f.value }[0],
                COLLECT { MATCH (original)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                          WHERE f.valid_to < $asOf
                          RETURN f.value ORDER BY f.valid_to DESC LIMIT 1 }[0],
                original.name) AS ownName,
       dep {.id, .kind, name: coalesce(COLLECT {
              MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
              WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
              RETURN f.value }[0], dep.name)} AS department,
       [m IN merged | {id: startNode(m).id, name: startNode(m).name, into: endNode(m).id,
                       intoName: endNode(m).name, since: m.valid_from,
                       basis: COLLECT { MATCH (doc:LegalDocument {id: m.basis})
                                        RETURN doc {.doc_number, .title} }[0]}] AS mergers,
       COLLECT { MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})-[:DEFINED_IN]->(doc:LegalDocument)
                 WHERE f.valid_from IS NOT NULL AND f.valid_from <= $asOf AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                 RETURN {name: f.value, since: f.valid_from, basis: doc {.doc_number, .title}} }[0]
         AS renamed
