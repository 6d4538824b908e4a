// authority: who enforces an item in a street on a given day (执法主体), with all its evidence
// params:  $itemCode STRING, $streetCode STRING, $asOf DATE, $ruleProvisionIds LIST<STRING>, $resolverRule STRING, $decided STRING
// returns: item, street, delegations, departments, basis, precedents, resolvers, ruleTexts,
//          discretion, handling
// rule:    行政处罚法 Art. 20, 22–25, 38; seeds 000 四(三), 004 (queries/authority_rules.yaml).
//          $itemCode and $streetCode are codes or exact names, resolved as authority_lookup.cypher
//          does; no row unless they name one street (with at most one region) and one item — an
//          item name shared by several items is narrowed to the one held in the street's region.
//          No row: authority.py asks authority_lookup.cypher why (not found, or ambiguous).
//          A former name finds its street; from a merger day (MERGED_INTO.valid_from) the
//          successor answers. The street's mode and name are those of $asOf (StreetFact: its
//          dated facts include both end days; none: the undated property), issue 14.12.
//          A department (机构改革) is named as on $asOf (DepartmentFact); from a merger day
//          (Department MERGED_INTO.valid_from) its successor stands in for it, as the holder
//          of its items and the delegating department of its delegations (mergers: the notice).
//          That rule is department_of_day.cypher's, written inline in each CALL block below
//          (Cypher has no functions, and a second read is the round trip 16.4 took out).
//          One statement answers the whole question (issue 16.4): the discretion lists and the
//          handling tier are the last two CALL blocks, not reads of their own.
CALL () {
  MATCH (named:EnforcementItem) WHERE named.code = $itemCode OR named.name = $itemCode
  RETURN collect(named) AS items
}
CALL () {
  CALL () {
    MATCH (place:Street) WHERE place.code = $streetCode OR place.name = $streetCode
    RETURN place
    UNION  // a former name (更名), through the StreetFact value index
    MATCH (:StreetFact {value: $streetCode, fact: 'name'})<-[:HAS_FACT]-(place:Street)
    RETURN place
  }
  OPTIONAL MATCH (place)-[:PART_OF]->(placeRegion:Region)
  RETURN collect({street: place, region: placeRegion}) AS places
}
WITH items, places WHERE size(items) > 0 AND size(places) = 1
WITH items, places[0].street AS asked, places[0].region AS region
// 撤并: from the merger day the street asked about is part of its successor, which answers.
CALL (asked) {
  OPTIONAL MATCH path = (asked)-[:MERGED_INTO*1..3]->(:Street)
  WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
  WITH path ORDER BY length(path) DESC LIMIT 1
  RETURN coalesce(last(nodes(path)), asked) AS s,
         [m IN coalesce(relationships(path), []) |
          {code: startNode(m).code, name: startNode(m).name, into: endNode(m).name,
           since: m.valid_from,
           basis: COLLECT { MATCH (doc:LegalDocument {id: m.basis})
                            RETURN coalesce(doc.doc_number, doc.title) }[0]}] AS mergers
}
WITH items, s, region, mergers, CASE WHEN size(items) = 1 THEN items
  ELSE [x IN items WHERE EXISTS { (x)-[:HELD_BY]->(:Department)-[:PART_OF]->(region) }] END AS picked
WHERE size(picked) = 1
WITH picked[0] AS i, s, region, mergers
// The street's mode and name on the day (组织沿革): its dated fact covering $asOf, else the
// undated property; a street with dated modes has no mode on a day none covers.
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_FACT]->(f:StreetFact)
  WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
  OPTIONAL MATCH (f)-[:DEFINED_IN]->(doc:LegalDocument)
  WITH collect(f {.fact, .value, .valid_from, .valid_to,
                  basis: coalesce(doc.doc_number, doc.title)}) AS facts
  RETURN [x IN facts WHERE x.fact = 'mode'][0] AS modeFact,
         [x IN facts WHERE x.fact = 'name'][0] AS nameFact,
         EXISTS { (s)-[:HAS_FACT]->(:StreetFact {fact: 'mode'}) } AS datedMode
}
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
  OPTIONAL MATCH (d)-[:FROM]->(original:Department)
  CALL (original) {
    OPTIONAL MATCH path = (original)-[:MERGED_INTO*1..3]->(:Department)
    WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
    WITH path ORDER BY length(path) DESC LIMIT 1
    WITH coalesce(last(nodes(path)), original) AS dep, coalesce(relationships(path), []) AS merged
    RETURN dep {.id, name: coalesce(COLLECT {
                  MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                  WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                  RETURN f.value }[0], dep.name),
                mergers: [m IN merged | {id: startNode(m).id, name: startNode(m).name,
                  into: endNode(m).id, since: m.valid_from,
                  basis: COLLECT { MATCH (doc:LegalDocument {id: m.basis})
                                   RETURN doc {.doc_number, .title} }[0]}]} AS dep
  }
  CALL (d) {
    OPTIONAL MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog)
    WITH a, c ORDER BY c.effective, c.id
    RETURN collect(c {.id, .title, .doc_number, .kind, .effective, .source_file, row: a.row}) AS catalogs
  }
  OPTIONAL MATCH (d)-[:ENDED_BY]->(e:Catalog)
  WITH d, dep, catalogs, e ORDER BY d.valid_from, d.id
  RETURN collect(d {.id, .mode, .valid_from, .valid_to, .status, .confirmation,
                    department: dep, catalogs: catalogs,
                    endedBy: e {.id, .title, .doc_number, .kind, .effective, .source_file},
                    inForce: d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)})
         AS delegations
}
CALL (i, region) {
  OPTIONAL MATCH (i)-[:HELD_BY]->(held:Department)
  CALL (held) {  // 机构改革: the holder as on $asOf, as the delegating department above
    OPTIONAL MATCH path = (held)-[:MERGED_INTO*1..3]->(:Department)
    WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
    WITH path ORDER BY length(path) DESC LIMIT 1
    RETURN coalesce(last(nodes(path)), held) AS dep,
           [m IN coalesce(relationships(path), []) | {id: startNode(m).id, name: startNode(m).name,
             into: endNode(m).id, since: m.valid_from,
             basis: COLLECT { MATCH (doc:LegalDocument {id: m.basis})
                              RETURN doc {.doc_number, .title} }[0]}] AS merged
  }
  OPTIONAL MATCH (dep)-[:PART_OF]->(r:Region)
  WITH dep, r, reduce(acc = [], x IN collect(merged) | acc + x) AS mergers ORDER BY dep.id
  RETURN collect(dep {.id, name: coalesce(COLLECT {
                        MATCH (dep)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                        WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                        RETURN f.value }[0], dep.name),
                      region: r.code, regionName: r.name, sameRegion: r = region,
                      mergers: mergers}) AS departments
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
  // 机构改革: a department decided for stands as on $asOf, as the departments above — from a
  // merger day its successor (`original`: the one the decision named), by its name of the day.
  CALL (winner) {
    OPTIONAL MATCH path = (winner)-[:MERGED_INTO*1..3]->(:Department)
    WHERE winner:Department AND all(m IN relationships(path) WHERE m.valid_from <= $asOf)
    WITH path ORDER BY length(path) DESC LIMIT 1
    WITH coalesce(last(nodes(path)), winner) AS w
    RETURN w {kind: labels(w)[0], key: coalesce(w.code, w.id),
              name: coalesce(COLLECT {
                MATCH (w)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                RETURN f.value }[0], w.name),
              original: CASE WHEN w <> winner THEN winner {key: winner.id, .name} END} AS decidedFor
  }
  ORDER BY dispute.decided_at, dispute.id
  RETURN collect(dispute {.id, .decision, .basis, .decided_at, .decided_by, case: c.id,
                          decidedFor: decidedFor}) AS precedents
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
  OPTIONAL MATCH (named:Department {id: p.value})
  // 机构改革: the resolver as on $asOf, as the departments above — from a merger day its
  // successor settles what the merged department was named to settle, by its name of the day.
  CALL (named) {
    OPTIONAL MATCH path = (named)-[:MERGED_INTO*1..3]->(:Department)
    WHERE all(m IN relationships(path) WHERE m.valid_from <= $asOf)
    WITH path ORDER BY length(path) DESC LIMIT 1
    WITH coalesce(last(nodes(path)), named) AS resolver
    RETURN resolver {.id, name: coalesce(COLLECT {
                       MATCH (resolver)-[:HAS_FACT]->(f:DepartmentFact {fact: 'name'})
                       WHERE (f.valid_from IS NULL OR f.valid_from <= $asOf) AND (f.valid_to IS NULL OR $asOf <= f.valid_to)
                       RETURN f.value }[0], resolver.name)} AS resolver
  }
  WITH p, resolver WHERE p IS NOT NULL ORDER BY p.id
  RETURN collect(p {.id, .description, .source_document, .source_quote,
                    department: resolver}) AS resolvers
}
CALL () {
  UNWIND $ruleProvisionIds AS provisionId
  MATCH (p:Provision {id: provisionId})-[:IN]->(doc:LegalDocument)
  RETURN collect(p {.id, .text, title: doc.title}) AS ruleTexts
}
// 裁量基准 / 首违不罚 (issue 18.4): the lists in force for the item on the day, as
// discretion.cypher reads them for the `discretion` question (same rule, same rows, same order:
// tests/queries/test_authority_one_statement.py compares them). A list applies from its
// effective date; a newer version of its series in force that day replaces it.
CALL (i) {
  MATCH (i)<-[link:APPLIES_TO]-(entry:DiscretionEntry)-[:IN]->(list:DiscretionList)
  WHERE list.effective <= $asOf
    AND NOT EXISTS {
      MATCH (newer:DiscretionList {series: list.series})
      WHERE newer.effective > list.effective AND newer.effective <= $asOf
    }
  WITH list, entry, link
  ORDER BY list.kind, list.effective, list.id, entry.row
  WITH list, collect({
    row: entry.row, violation: entry.violation, circumstance: entry.circumstance,
    standard: entry.standard, condition: entry.condition, department: entry.department,
    match: link.match, matchNote: entry.match_note
  }) AS entries
  ORDER BY list.kind, list.effective, list.id
  RETURN collect({
    listId: list.id, kind: list.kind, title: list.title, issuer: list.issuer,
    docNumber: list.doc_number, effective: list.effective, sourceFile: list.source_file,
    restsOn: COLLECT {
      UNWIND coalesce(list.rests_on, []) AS provisionId
      OPTIONAL MATCH (p:Provision {id: provisionId})-[:IN]->(doc:LegalDocument)
      RETURN {id: provisionId, title: doc.title, text: p.text}
    },
    entries: entries
  }) AS discretion
}
// 办理层级 (seed 002 二、二; loaders/handling_words.yaml): the tier the LISTS row gives the item in
// the newest catalog in force on the day of each delegation in force (authority.py keeps the
// one of the delegation it applies; two in force are a conflict and carry none).
CALL (i, delegations) {
  UNWIND delegations AS d
  WITH d WHERE d.inForce
  WITH [c IN d.catalogs WHERE c.effective <= $asOf] AS listed WHERE size(listed) > 0
  WITH DISTINCT listed[-1].id AS catalogId
  MATCH (c:Catalog {id: catalogId})-[l:LISTS]->(i)
  WHERE l.handling IS NOT NULL
  WITH c, l ORDER BY c.id, l.row
  RETURN collect({handling: l.handling, row: l.row, catalogId: c.id, title: c.title,
                  docNumber: c.doc_number, sourceFile: c.source_file}) AS handling
}
RETURN i {.code, .name, .type, .domain,
          regions: COLLECT { MATCH (i)-[:HELD_BY]->(:Department)-[:PART_OF]->(r:Region)
                             RETURN DISTINCT r.code }} AS item,
       s {.code, .kind, name: coalesce(nameFact.value, s.name),
          mode: CASE WHEN datedMode THEN modeFact.value ELSE s.delegation_mode END,
          modeFact: modeFact, mergers: mergers, region: region.code,
          regionName: region.name} AS street,
       delegations, departments, basis, precedents, resolvers, ruleTexts, discretion, handling
