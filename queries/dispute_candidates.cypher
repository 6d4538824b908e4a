// dispute_candidates: the facts of a case and its jurisdiction disputes (管辖争议), for weighing every claimant
// params:  $case STRING, $resolverRule STRING
// returns: id, item, itemName, itemListed, occurredOn, filedAt, street, region, handler, disputes, departments, resolvers
// rule:    行政处罚法 Art. 22 (place), Art. 24 (delegation), Art. 25 (first to file); resolver by local policy (seeds 000, 004)
MATCH (c:Case {id: $case})
OPTIONAL MATCH (c)-[:CONCERNS]->(i:EnforcementItem)
OPTIONAL MATCH (c)-[:OCCURRED_IN]->(s:Street)
OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
OPTIONAL MATCH (c)-[h:HANDLED_BY]->(handler)
CALL (c) {
  OPTIONAL MATCH (d:Dispute)-[:ABOUT]->(c)
  CALL (d) {
    OPTIONAL MATCH (d)-[cl:CLAIMANT]->(body)
    WITH cl, body WHERE body IS NOT NULL ORDER BY coalesce(body.code, body.id)
    RETURN collect({kind: labels(body)[0], key: coalesce(body.code, body.id), name: body.name,
                    stance: cl.stance}) AS claimants
  }
  OPTIONAL MATCH (d)-[:RESOLVED_BY]->(resolver:Department)
  OPTIONAL MATCH (d)-[:DECIDED_FOR]->(winner)
  WITH d, claimants, resolver, winner WHERE d IS NOT NULL ORDER BY d.raised_at, d.id
  RETURN collect(d {.id, .raised_at, .status, .decision, .basis, .decided_at, .decided_by,
                    claimants: claimants, resolvedBy: resolver {.id, .name},
                    decidedFor: CASE WHEN winner IS NULL THEN null
                                ELSE {kind: labels(winner)[0], key: coalesce(winner.code, winner.id),
                                      name: winner.name} END}) AS disputes
}
CALL (i, r) {
  OPTIONAL MATCH (i)-[:HELD_BY]->(dep:Department)-[:PART_OF]->(r)
  WITH dep WHERE dep IS NOT NULL ORDER BY dep.id
  RETURN collect(dep {.id, .name}) AS departments
}
CALL (r) {
  OPTIONAL MATCH (p:Policy {rule: $resolverRule})-[:APPLIES_TO]->(r)
  OPTIONAL MATCH (resolver:Department {id: p.value})
  WITH p, resolver WHERE p IS NOT NULL ORDER BY p.id
  RETURN collect(p {.id, .description, .source_document, .source_quote, .valid_from, .valid_to,
                    department: resolver {.id, .name}}) AS resolvers
}
RETURN c.id AS id, c.occurred_on AS occurredOn, c.filed_at AS filedAt, i.code AS item,
       i.name AS itemName,
       CASE WHEN i IS NULL THEN null ELSE EXISTS { (:Catalog)-[:LISTS]->(i) } END AS itemListed,
       s {.code, .name} AS street, r {.code, .name} AS region,
       CASE WHEN handler IS NULL THEN null
            ELSE {kind: labels(handler)[0], key: coalesce(handler.code, handler.id),
                  name: handler.name, filedAt: h.filed_at} END AS handler,
       disputes, departments, resolvers
