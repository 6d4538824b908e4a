// dispute_list: the jurisdiction disputes (管辖争议清单), open ones first, with their case, item and place
// params:  $open STRING, $skip INTEGER, $limit INTEGER
// returns: total, disputes (id, status, raisedAt, decidedAt, case, item {code, name}, itemListed, street {code, name})
// rule:    (:Dispute)-[:ABOUT]->(:Case)-[:CONCERNS]->(:EnforcementItem), (:Case)-[:OCCURRED_IN]->(:Street);
//          order: the open status ($open) first, then raised_at, then id. One label scan of
//          Dispute: a county has a handful of disputes a year.
MATCH (d:Dispute)
WITH d ORDER BY CASE WHEN d.status = $open THEN 0 ELSE 1 END, d.raised_at, d.id
WITH collect(d) AS ordered
UNWIND ordered[$skip..$skip + $limit] AS d
OPTIONAL MATCH (d)-[:ABOUT]->(c:Case)
OPTIONAL MATCH (c)-[:CONCERNS]->(i:EnforcementItem)
OPTIONAL MATCH (c)-[:OCCURRED_IN]->(s:Street)
RETURN size(ordered) AS total,
       collect(d {.id, .status, raisedAt: d.raised_at, decidedAt: d.decided_at, case: c.id,
                  item: CASE WHEN i IS NULL THEN null ELSE i {.code, .name} END,
                  itemListed: CASE WHEN i IS NULL THEN null
                              ELSE EXISTS { (:Catalog)-[:LISTS]->(i) } END,
                  street: CASE WHEN s IS NULL THEN null ELSE s {.code, .name} END}) AS disputes
