// case_checks: a recorded case's facts for checking its handler's authority and officers (案件合法性核查)
// params:  $case STRING
// returns: id, status, occurredOn, filedAt, closedOn, summary, item, itemName, itemListed, itemDomain, street, handler, officers
// rule:    行政处罚法 Art. 38 (a penalty by a body without authority is void); 持证上岗 (all seeds);
//          an item no Catalog LISTS is unlisted (事项未列入任何目录): no authority is inferred for it
MATCH (c:Case {id: $case})
OPTIONAL MATCH (c)-[:CONCERNS]->(i:EnforcementItem)
OPTIONAL MATCH (c)-[:OCCURRED_IN]->(s:Street)
OPTIONAL MATCH (c)-[h:HANDLED_BY]->(handler)
CALL (c) {
  OPTIONAL MATCH (c)-[:HANDLED_BY_OFFICER]->(o:Officer)
  OPTIONAL MATCH (o)-[:MEMBER_OF]->(u:Unit)
  WITH o, u WHERE o IS NOT NULL ORDER BY o.id
  RETURN collect(o {.id, .name, .valid_from, .valid_to, .domains, .roles, unit: u.name}) AS officers
}
RETURN c.id AS id, c.status AS status, c.occurred_on AS occurredOn, c.filed_at AS filedAt,
       c.closed_on AS closedOn, c.summary AS summary, i.code AS item, i.name AS itemName,
       CASE WHEN i IS NULL THEN null ELSE EXISTS { (:Catalog)-[:LISTS]->(i) } END AS itemListed,
       i.domain AS itemDomain, s.code AS street,
       CASE WHEN handler IS NULL THEN null
            ELSE {kind: labels(handler)[0], key: coalesce(handler.code, handler.id),
                  name: handler.name, filedAt: h.filed_at} END AS handler,
       officers
