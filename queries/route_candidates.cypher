// route_candidates: the enforcement items a complaint's words may concern, in one street's county (投诉分拨候选事项)
// params:  $lucene STRING (Lucene query: quoted terms joined by OR, null: no terms), $street STRING, $limit INTEGER, $maxShown INTEGER, $provisionWeight FLOAT, $similarShare FLOAT
// returns: streets (code, name, kind, mode, region, regionName: every street the words name), total (matching items), similar (items scoring at least $similarShare of the best), candidates (per item: code, name, type, domain, nameScore, provisionScore, score, provisions (id, documentTitle, article, paragraph, item, text, score))
// rule:    $street is a code or an exact name; candidates only when it names one street. Item names
//          through the `cjk` full-text index, provision text through `provision_text_fulltext`
//          (never a CONTAINS scan). A provision hit counts for an item that cites it (BASED_ON) or
//          cites the article or paragraph it is part of (ids doc#article, doc#article.paragraph.0);
//          never for an item citing a sibling. Only items that apply in the street: held (HELD_BY)
//          by a department of the street's region, or delegated to the street (any time). Score:
//          nameScore + $provisionWeight * the best provision's score. Order: score desc, code asc.
//          The page is the first $limit, or every item of similar score when more (at most
//          $maxShown): an ambiguity is shown whole, never cut at the limit.
CALL () {
  MATCH (place:Street) WHERE place.code = $street OR place.name = $street
  OPTIONAL MATCH (place)-[:PART_OF]->(r:Region)
  WITH place, r ORDER BY place.code
  RETURN collect(place {.code, .name, .kind, mode: place.delegation_mode, region: r.code,
                        regionName: r.name}) AS streets
}
CALL (streets) {
  WITH streets WHERE size(streets) = 1 AND $lucene IS NOT NULL
  MATCH (s:Street {code: streets[0].code})
  OPTIONAL MATCH (s)-[:PART_OF]->(region:Region)
  // The items that apply in the street, found from the street and its region only (never
  // from the words: an item name recurs in every county, so its hits grow with the registry).
  CALL (s, region) {
    OPTIONAL MATCH (region)<-[:PART_OF]-(dep:Department)<-[:HELD_BY]-(i:EnforcementItem)
    RETURN i
    UNION
    OPTIONAL MATCH (s)<-[:TO]-(:Delegation)-[:OF]->(i:EnforcementItem)
    RETURN i
  }
  WITH s, collect(i) AS applying
  CALL (s, applying) {
    // Name hits are kept when they apply here (a node compared, nothing read from the store).
    CALL db.index.fulltext.queryNodes('enforcement_item_name_fulltext', $lucene) YIELD node, score
    WITH node, score WHERE node IN applying
    RETURN node AS i, score AS nameScore, null AS hit, 0.0 AS hitScore
    UNION ALL
    // A provision hit counts for an item here that cites it or its article or paragraph: from
    // the street's items to what they cite, never from the provision to every item citing it.
    CALL db.index.fulltext.queryNodes('provision_text_fulltext', $lucene) YIELD node, score
    WITH collect({hit: node, score: score,
                  cited: [node.id, node.document_id + '#' + node.article,
                          node.document_id + '#' + node.article + '.' + node.paragraph + '.0']})
         AS provisionHits
    WITH provisionHits, reduce(ids = [], h IN provisionHits | ids + h.cited) AS citedIds
    UNWIND (CASE WHEN size(provisionHits) = 0 THEN [] ELSE applying END) AS i
    MATCH (i)-[:BASED_ON]->(b:Provision) WHERE b.id IN citedIds
    UNWIND provisionHits AS h
    WITH i, b, h WHERE b.id IN h.cited
    RETURN i, 0.0 AS nameScore, h.hit AS hit, h.score AS hitScore
  }
  WITH i, max(nameScore) AS nameScore,
       collect(CASE WHEN hit IS NULL THEN null ELSE {hit: hit, score: hitScore} END) AS hits
  WITH i, nameScore, hits,
       reduce(best = 0.0, h IN hits | CASE WHEN h.score > best THEN h.score ELSE best END)
         AS provisionScore
  WITH i, nameScore, provisionScore, hits, nameScore + $provisionWeight * provisionScore AS score
  ORDER BY score DESC, i.code
  WITH collect({item: i, nameScore: nameScore, provisionScore: provisionScore, score: score,
                hits: hits}) AS ranked
  WITH ranked, size([r IN ranked WHERE r.score >= $similarShare * ranked[0].score]) AS similar
  RETURN size(ranked) AS total, similar,
         ranked[0..CASE WHEN similar > $limit THEN similar ELSE $limit END][0..$maxShown] AS page
}
WITH streets, total, similar, page
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS row
CALL (row) {
  UNWIND (CASE WHEN row IS NULL THEN [] ELSE row.hits END) AS h
  WITH h.hit AS p, h.score AS score ORDER BY score DESC, p.id
  LIMIT 3
  RETURN collect(p {.id, .article, .paragraph, .item, .text, score: score,
                    documentTitle: [(p)-[:IN]->(doc:LegalDocument) | doc.title][0]}) AS provisions
}
WITH streets, total, similar, row, row.item AS i, provisions
WITH streets, total, similar, collect(i {.code, .name, .type, .domain, nameScore: row.nameScore,
                                provisionScore: row.provisionScore, score: row.score,
                                provisions: provisions}) AS candidates
RETURN streets, coalesce(total, 0) AS total, coalesce(similar, 0) AS similar, candidates
