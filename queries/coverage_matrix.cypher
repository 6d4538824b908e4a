// coverage_matrix: a region's streets × the items its departments hold, with the delegations in force on a day (赋权覆盖矩阵)
// params:  $regionCode STRING, $asOf DATE
// returns: region {code, name, level}, streets [{code, name, kind, mode, modePeriod}],
//          items [{code, name, type, domain, departments [{id, name, region, regionName, sameRegion}]}],
//          delegations [{street, item, id, mode, valid_from, valid_to, status, confirmation,
//                        department {id, name}, catalogs [{id, title, doc_number, kind, effective,
//                        source_file, row}], endedBy, inForce}]
// rule:    the same facts authority.cypher reads for one cell, for every cell at once: a delegation
//          is in force on D when valid_from <= D < valid_to (open end: in force); the items are
//          those HELD_BY a department PART_OF the region; the streets are those PART_OF it.
//          The per-cell rule is queries.authority.subject_of_cell (行政处罚法 Art. 20, 22–25).
//          A department (机构改革, issue 14.12) is named as on $asOf (DepartmentFact) and, from a
//          merger day (Department MERGED_INTO.valid_from), its successor stands in for it, as the
//          holder of its items and the delegating department of its delegations — as authority
//          does, so every cell names the subject authority names (tests/queries/
//          test_org_history_departments.py). The rule is department_of_day.cypher's, inline in
//          the CALL blocks: one statement, as authority's (Cypher has no functions).
MATCH (region:Region {code: $regionCode})
CALL (region) {
  OPTIONAL MATCH (s:Street)-[:PART_OF]->(region)
  WITH s WHERE s IS NOT NULL
  // The street's mode and name on the day (组织沿革, issue 14.12): its dated fact, else the
  // undated property; modePeriod marks a dated mode (queries.authority.town_mode applies it).
  CALL (s) {
    OPTIONAL MATCH (s)-[:HAS_FACT]->(f:StreetFact)
    WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
    WITH collect(f) AS facts
    RETURN [x IN facts WHERE x.fact = 'name' | x.value][0] AS nameOnDay,
           EXISTS { (s)-[:HAS_FACT]->(:StreetFact {fact: 'mode'}) } AS datedMode,
           [x IN facts WHERE x.fact = 'mode' | x.value][0] AS modeOnDay
  }
  WITH s, nameOnDay, datedMode, modeOnDay ORDER BY s.code
  RETURN collect(s {.code, .kind, name: coalesce(nameOnDay, s.name),
                    mode: CASE WHEN datedMode THEN modeOnDay ELSE s.delegation_mode END,
                    modePeriod: CASE WHEN datedMode AND modeOnDay IS NOT NULL
                                     THEN '按' + toString($asOf) + '的组织沿革' END}) AS streets
}
CALL (region) {
  OPTIONAL MATCH (region)<-[:PART_OF]-(:Department)<-[:HELD_BY]-(i:EnforcementItem)
  WITH DISTINCT i WHERE i IS NOT NULL
  CALL (i, region) {
    MATCH (i)-[:HELD_BY]->(held:Department)
    CALL (held) {  // 机构改革: the holder as on $asOf (authority.cypher's departments)
      OPTIONAL MATCH path = (held)-[:MERGED_INTO*1..3]->(:Department)
      WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
      WITH path ORDER BY length(path) DESC LIMIT 1
      RETURN coalesce(last(nodes(path)), held) AS dep
    }
    WITH DISTINCT dep
    OPTIONAL MATCH (dep)-[:PART_OF]->(r:Region)
    WITH dep, r ORDER BY dep.id
    RETURN collect(dep {.id, name: coalesce(COLLECT {
                          MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                          WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                          RETURN f.value }[0], dep.name),
                        region: r.code, regionName: r.name, sameRegion: r = region}) AS departments
  }
  WITH i, departments ORDER BY i.code
  RETURN collect(i {.code, .name, .type, .domain, departments: departments}) AS items
}
CALL (region) {
  OPTIONAL MATCH (region)<-[:PART_OF]-(s:Street)<-[:TO]-(d:Delegation)-[:OF]->(i:EnforcementItem)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  WITH s, d, i WHERE d IS NOT NULL
  OPTIONAL MATCH (d)-[:FROM]->(original:Department)
  CALL (original) {  // 机构改革: the delegating department as on $asOf (authority.cypher's)
    OPTIONAL MATCH path = (original)-[:MERGED_INTO*1..3]->(:Department)
    WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
    WITH path ORDER BY length(path) DESC LIMIT 1
    WITH coalesce(last(nodes(path)), original) AS dep
    RETURN dep {.id, name: coalesce(COLLECT {
                  MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                  WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                  RETURN f.value }[0], dep.name)} AS dep
  }
  CALL (d) {
    OPTIONAL MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
    WITH a, c ORDER BY c.effective, c.id
    RETURN collect(c {.id, .title, .doc_number, .kind, .effective, .source_file, row: a.row}) AS catalogs
  }
  OPTIONAL MATCH (d)-[:ENDED_BY]->(e:Catalog)
  WITH s, i, d, dep, catalogs, e ORDER BY s.code, i.code, d.valid_from, d.id
  RETURN collect(d {street: s.code, item: i.code, .id, .mode, .valid_from, .valid_to, .status,
                    .confirmation, department: dep, catalogs: catalogs,
                    endedBy: e {.id, .title, .doc_number, .kind, .effective, .source_file},
                    inForce: true}) AS delegations
}
RETURN region {.code, .name, .level} AS region, streets, items, delegations
