// law_changes: a county's items whose legal basis a later law version or a repeal changed, with who must be told (修法通知)
// params:  $regionCode STRING, $asOf DATE
// returns: region {code, name}, links [{itemCode, itemName, departments [{id, name}], documentId, title,
//          article, raw, versionNote, catalogEffective, status, repealedBy [{id, title}], versions [...],
//          streets [{code, name, mode}], openCases [{id, status, streetCode, streetName}]}]
// rule:    issue 18.5: the items of the county (held by its departments or delegated to its streets)
//          whose BASED_ON reaches a law with versions or a recorded repeal; queries.law_versions keeps
//          those citing a version replaced by $asOf (依据需更新) and the repealed. The bodies to notify
//          are the item's department (HELD_BY) and the streets holding a delegation in force on
//          $asOf; a case is open unless 结案. One unique-index seek on the region, then expansion.
MATCH (region:Region {code: $regionCode})
CALL (region) {
  MATCH (region)<-[:PART_OF]-(:Department)<-[:HELD_BY]-(i:EnforcementItem)
  RETURN i
  UNION
  // From the region's streets outwards, step by step: with many delegations elsewhere the
  // planner would otherwise start from every OF relationship (test_query_plans).
  MATCH (region)<-[:PART_OF]-(s:Street)
  WITH s
  MATCH (s)<-[:TO]-(d:Delegation)
  WITH DISTINCT d
  MATCH (d)-[:OF]->(i:EnforcementItem)
  RETURN i
}
WITH region, i
MATCH (i)-[b:BASED_ON]->(target)
OPTIONAL MATCH (target)-[:IN]->(container:LegalDocument)
WITH region, i, b, target, CASE WHEN target:Provision THEN container ELSE target END AS doc
WHERE doc IS NOT NULL
  AND (EXISTS { (doc)<-[:VERSION_OF]-(:LawVersion) } OR doc.status = '已废止'
       OR EXISTS { (doc)<-[:REPEALS]-(:LegalDocument) })
WITH region, i, b, target, doc ORDER BY i.code, doc.id, target.article, b.raw
RETURN region {.code, .name} AS region, collect({
  itemCode: i.code, itemName: i.name,
  departments: COLLECT {
    MATCH (i)-[:HELD_BY]->(d:Department)-[:PART_OF]->(region)
    RETURN d {.id, .name} AS department ORDER BY department.id
  },
  documentId: doc.id, title: doc.title, article: target.article, raw: b.raw,
  versionNote: b.version_note,
  catalogEffective: COLLECT { MATCH (c:Catalog {id: b.source_catalog}) RETURN c.effective }[0],
  status: doc.status,
  repealedBy: COLLECT { MATCH (by:LegalDocument)-[:REPEALS]->(doc) RETURN by {.id, .title} AS by ORDER BY by.id },
  versions: COLLECT {
    MATCH (v:LawVersion)-[:VERSION_OF]->(doc)
    RETURN v {.id, .version_date, .kind, .note, .effective_from, .effective_known, .text_loaded,
              .previous_articles, .previous_articles_source} AS version
    ORDER BY v.version_date
  },
  streets: COLLECT {
    MATCH (i)<-[:OF]-(d:Delegation)-[:TO]->(s:Street)-[:PART_OF]->(region)
    WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR d.valid_to > $asOf)
    RETURN DISTINCT s {.code, .name, mode: d.mode} AS street ORDER BY street.code, street.mode
  },
  openCases: COLLECT {
    MATCH (k:Case)-[:CONCERNS]->(i) WHERE coalesce(k.status, '') <> '结案'
    MATCH (k)-[:OCCURRED_IN]->(s:Street)-[:PART_OF]->(region)
    RETURN k {.id, .status, streetCode: s.code, streetName: s.name} AS openCase ORDER BY openCase.id
  }
}) AS links
