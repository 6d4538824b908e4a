// guide_uptake: a province's guide items in force on a day and, per county of the province, the items it has taken up that day (省级指导目录承接情况)
// params:  $provinceCode STRING, $asOf DATE, $countyCode STRING (null: every county)
// returns: province {code, name, level},
//          guides [{id, series, title, docNumber, effective, sourceFile,
//                   items [{id, code, name, type, domain, department, articles, row}]}],
//          counties [{code, name, items [{code, name, type, articles,
//                     evidence {catalogId, title, docNumber, sourceFile, row}}]}]
// rule:    issue 17.6. A guide list version is in force from its effective date until a later
//          version of its series takes effect; every series of the province (第一批, 第二批 …) is
//          read. A county has taken up an item when a delegation of it (any mode) to one of its
//          streets is in force on the day (the same in-force rule as coverage_matrix.cypher);
//          the evidence is the newest catalog row authorising such a delegation. A county is of
//          the province whose code shares its first two digits (GB/T 2260: 35xxxx is 福建省), so
//          no chain of PART_OF up to the province need be loaded. Which county
//          item takes up which guide item is decided in queries/guide_match.py, not here.
MATCH (province:Region {code: $provinceCode})
CALL (province) {
  OPTIONAL MATCH (c:Catalog)-[:GUIDES]->(:GuideItem {region: province.code})
  WITH DISTINCT c WHERE c IS NOT NULL AND c.effective <= $asOf
  WITH c ORDER BY c.effective DESC, c.id DESC
  WITH c.series AS series, collect(c)[0] AS newest
  CALL (newest) {
    MATCH (newest)-[l:GUIDES]->(g:GuideItem)
    WITH l, g ORDER BY l.row
    RETURN collect(g {.id, .code, .name, .type, .domain, .department, .articles, row: l.row}) AS items
  }
  WITH newest, items ORDER BY newest.series
  RETURN collect(newest {.id, .series, .title, docNumber: newest.doc_number, .effective,
                         sourceFile: newest.source_file, items: items}) AS guides
}
CALL (province) {
  OPTIONAL MATCH (county:Region)
  WHERE county.code STARTS WITH substring(province.code, 0, 2) AND county.level = 'county'
    AND ($countyCode IS NULL OR county.code = $countyCode)
  WITH county WHERE county IS NOT NULL
  CALL (county) {
    OPTIONAL MATCH (county)<-[:PART_OF]-(:Street)<-[:TO]-(d:Delegation)-[:OF]->(i:EnforcementItem)
    WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
    WITH i, d WHERE i IS NOT NULL
    OPTIONAL MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
    WITH i, c, a ORDER BY c.effective DESC, c.id DESC, a.row
    WITH i, collect(c {catalogId: c.id, .title, docNumber: c.doc_number,
                       sourceFile: c.source_file, row: a.row})[0] AS evidence
    CALL (i) {
      OPTIONAL MATCH (i)-[:BASED_ON]->(p:Provision)
      WITH p WHERE p IS NOT NULL AND p.article IS NOT NULL
      RETURN collect(DISTINCT p.document_id + '#' + toString(p.article)) AS articles
    }
    WITH i, evidence, articles ORDER BY i.code
    RETURN collect(i {.code, .name, .type, articles: articles, evidence: evidence}) AS items
  }
  WITH county, items ORDER BY county.code
  RETURN collect(county {.code, .name, items: items}) AS counties
}
RETURN province {.code, .name, .level} AS province, guides, counties
