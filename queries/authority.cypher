// authority: who enforces an item in a street on a given day (执法主体), with all its evidence
// params:  $itemCode STRING, $streetCode STRING, $asOf DATE, $ruleProvisionIds LIST<STRING>, $resolverRule STRING, $decided STRING
// returns: item, street, delegations, departments, basis, precedents, resolvers, ruleTexts
// rule:    行政处罚法 Art. 20, 22–25, 38; seeds 000 四(三), 004 (queries/authority_rules.yaml).
//          $itemCode and $streetCode are codes or exact names, resolved as authority_lookup.cypher
//          does; no row unless they name one street (with at most one region) and one item — an
//          item name shared by several items is narrowed to the one held in the street's region.
//          No row: authority.py asks authority_lookup.cypher why (not found, or ambiguous).
CALL () {
  MATCH (named:EnforcementItem) WHERE named.code = $itemCode OR named.name = $itemCode
  RETURN collect(named) AS items
}
CALL () {
  MATCH (place:Street) WHERE place.code = $streetCode OR place.name = $streetCode
  OPTIONAL MATCH (place)-[:PART_OF]->(placeRegion:Region)
  RETURN collect({street: place, region: placeRegion}) AS places
}
WITH items, places WHERE size(items) > 0 AND size(places) = 1
WITH items, places[0].street AS s, places[0].region AS region
WITH s, region, CASE WHEN size(items) = 1 THEN items
  ELSE [x IN items WHERE EXISTS { (x)-[:HELD_BY]->(:Department)-[:PART_OF]->(region) }] END AS picked
WHERE size(picked) = 1
WITH picked[0] AS i, s, region
CALL (i, s) {
  // Anchored on the street: its TO degree is its own county's lists, while the item's OF degree
  // grows with every street of every county that holds it (tests/queries/test_profile_flat.py).
  // The inner CALL sees only the street, so no planner statistics can start it from the item.
  // The same for cases and policies below: the street's cases, the region's policies.
  CALL (s) {
    OPTIONAL MATCH (s)<-[:TO]-(held:Delegation)-[:OF]->(heldItem:EnforcementItem)
    RETURN collect({delegation: held, item: heldItem}) AS streetDelegations
  }
  UNWIND streetDelegations AS pair
  WITH pair.delegation AS d WHERE pair.item = i
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  CALL (d) {
    OPTIONAL MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
    WITH a, c ORDER BY c.effective, c.id
    RETURN collect(c {.id, .title, .doc_number, .kind, .effective, .source_file, row: a.row}) AS catalogs
  }
  OPTIONAL MATCH (d)-[:ENDED_BY]->(e:Catalog)
  WITH d, dep, catalogs, e ORDER BY d.valid_from, d.id
  RETURN collect(d {.id, .mode, .valid_from, .valid_to, .status, .confirmation,
                    department: dep {.id, .name}, catalogs: catalogs,
                    endedBy: e {.id, .title, .doc_number, .kind, .effective, .source_file},
                    inForce: d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)})
         AS delegations
}
CALL (i, region) {
  OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)
  OPTIONAL MATCH (dep)-[:PART_OF]->(r:Region)
  WITH dep, r ORDER BY dep.id
  RETURN collect(dep {.id, .name, region: r.code, regionName: r.name,
                      sameRegion: r = region}) AS departments
}
CALL (i) {
  OPTIONAL MATCH (i)-[b:BASED_ON]->(basis)
  OPTIONAL MATCH (basis)-[:IN]->(doc:LegalDocument)
  WITH b, basis, coalesce(doc, basis) AS document ORDER BY b.source_row, basis.id
  RETURN collect({raw: b.raw, provisionId: basis.id, article: basis.article,
                  paragraph: basis.paragraph, item: basis.item, text: basis.text,
                  documentId: document.id, title: document.title, rank: document.rank,
                  status: document.status, textLoaded: document.text_loaded}) AS basis
}
CALL (i, s) {
  CALL (s) {
    OPTIONAL MATCH (s)<-[:OCCURRED_IN]-(streetCase:Case)-[:CONCERNS]->(caseItem:EnforcementItem)
    RETURN collect({case: streetCase, item: caseItem}) AS streetCases
  }
  UNWIND streetCases AS pair
  WITH pair.case AS c WHERE pair.item = i
  OPTIONAL MATCH (dispute:Dispute {status: $decided})-[:ABOUT]->(c)
  OPTIONAL MATCH (dispute)-[:DECIDED_FOR]->(winner)
  WITH c, dispute, winner WHERE dispute IS NOT NULL
  ORDER BY dispute.decided_at, dispute.id
  RETURN collect(dispute {.id, .decision, .basis, .decided_at, .decided_by, case: c.id,
                          decidedFor: winner {kind: labels(winner)[0],
                                              key: coalesce(winner.code, winner.id),
                                              name: winner.name}}) AS precedents
}
CALL (region) {
  CALL (region) {
    OPTIONAL MATCH (region)<-[:APPLIES_TO]-(regionPolicy:Policy)
    RETURN collect(regionPolicy) AS regionPolicies
  }
  UNWIND regionPolicies AS p
  WITH p WHERE p.rule = $resolverRule
    AND (p.valid_from IS NULL OR p.valid_from <= $asOf)
    AND (p.valid_to IS NULL OR $asOf <= p.valid_to)
  OPTIONAL MATCH (resolver:Department {id: p.value})
  WITH p, resolver WHERE p IS NOT NULL ORDER BY p.id
  RETURN collect(p {.id, .description, .source_document, .source_quote,
                    department: resolver {.id, .name}}) AS resolvers
}
CALL () {
  UNWIND $ruleProvisionIds AS provisionId
  MATCH (p:Provision {id: provisionId})-[:IN]->(doc:LegalDocument)
  RETURN collect(p {.id, .text, title: doc.title}) AS ruleTexts
}
RETURN i {.code, .name, .type, .domain,
          regions: COLLECT { MATCH (i)-[:HELD_BY]->(:Department)-[:PART_OF]->(r:Region)
                             RETURN DISTINCT r.code }} AS item,
       s {.code, .name, .kind, mode: s.delegation_mode, region: region.code,
          regionName: region.name} AS street,
       delegations, departments, basis, precedents, resolvers, ruleTexts
