// evaluation: a county's delegated items over a period, per item × street (赋权事项评估): the
//          delegation, its cases and transfers back, and the officers who could carry it
// params:  $regionCode STRING, $from DATE, $to DATE, $unusedRule STRING
// returns: regionCode, regionName, policies, streets (maps: code, name, officers (maps: id,
//          domains, validFrom, validTo, postings (maps: from, to))), delegations (maps: id, mode,
//          validFrom, validTo, streetCode, itemCode, itemName, itemType, domain, departmentId,
//          departmentName, endedBy (maps: id, title, kind), cases (maps: id, filedOn, status,
//          handledBy, transfersBack (maps: id, sentOn, toName)))
// rule:    行政处罚法 Art. 24 (交由能够有效承接的乡镇街道行使, 并定期组织评估) and Art. 42 (执法人员不得少于两人);
//          a delegation counts when in force some day of [$from, $to] (valid_from <= day <
//          valid_to); a case is the street's when it OCCURRED_IN the street and CONCERNS the item,
//          every case up to $to (the last one dates 零办件); an officer counts for a street on a day
//          when posted to it or to a zone it is in, or a member of one of its units while the
//          unit is the street's (机构调整: PART_OF valid_from through valid_to; undated: always),
//          certified that day; the months of 零办件 are the Policy evaluation_unused_months in
//          force on $to
MATCH (region:Region {code: $regionCode})
// The region's own policy first, then its city's, then its province's (distance = PART_OF hops).
CALL (region) {
  MATCH path = (region)-[:PART_OF*0..3]->(scope:Region)
  MATCH (scope)<-[:APPLIES_TO]-(p:Policy {rule: $unusedRule})
  WHERE coalesce(p.valid_from <= $to, true) AND coalesce(p.valid_to >= $to, true)
  WITH p, length(path) AS distance ORDER BY distance, p.id
  RETURN collect(p {.id, .rule, .threshold, .description, .source_document,
                    .source_quote, distance: distance}) AS policies
}
CALL (region) {
  MATCH (s:Street)-[:PART_OF]->(region)
  CALL (s) {
    CALL (s) {
      MATCH (o:Officer)-[p:POSTED_TO]->(s)
      RETURN o, p.valid_from AS postFrom, p.valid_to AS postTo
      UNION
      MATCH (o:Officer)-[p:POSTED_TO]->(:Zone)<-[m:IN_ZONE]-(s)
      RETURN o,
             CASE WHEN m.valid_from > p.valid_from OR p.valid_from IS NULL THEN m.valid_from
                  ELSE p.valid_from END AS postFrom,
             CASE WHEN m.valid_to < p.valid_to OR p.valid_to IS NULL THEN m.valid_to
                  ELSE p.valid_to END AS postTo
      UNION
      MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[part:PART_OF]->(s)
      RETURN o, part.valid_from AS postFrom, part.valid_to AS postTo
    }
    WITH o, collect({from: postFrom, to: postTo}) AS postings ORDER BY o.id
    RETURN collect({id: o.id, domains: coalesce(o.domains, []), validFrom: o.valid_from,
                    validTo: o.valid_to, postings: postings}) AS officers
  }
  WITH s, officers ORDER BY s.code
  RETURN collect({code: s.code, name: s.name, officers: officers}) AS streets
}
CALL (region) {
  MATCH (region)<-[:PART_OF]-(s:Street)
  // Each street's cases once, from the street (never from the item: an item of a national
  // catalog is CONCERNed by the cases of every county), each with the item it concerns.
  CALL (s) {
    OPTIONAL MATCH (s)<-[:OCCURRED_IN]-(k:Case)
    WITH k WHERE k IS NOT NULL
      AND coalesce(date(k.filed_at), k.occurred_on) <= $to
    CALL (k) {
      MATCH (k)-[:CONCERNS]->(concerned)
      RETURN concerned
    }
    CALL (k) {
      OPTIONAL MATCH (k)-[:HANDLED_BY]->(body)
      RETURN collect(coalesce(body.code, body.id)) AS handledBy
    }
    CALL (k, s) {
      OPTIONAL MATCH (k)-[:HAS_TRANSFER]->(t:Transfer)-[:FROM]->(s)
      OPTIONAL MATCH (t)-[:TO]->(receiver:Department)
      WITH t, receiver WHERE receiver IS NOT NULL
      RETURN collect({id: t.id, sentOn: date(t.sent_at), toName: receiver.name}) AS transfersBack
    }
    WITH k, concerned, handledBy, transfersBack ORDER BY k.id
    RETURN collect({item: concerned, case: {id: k.id,
                    filedOn: coalesce(date(k.filed_at), k.occurred_on), status: k.status,
                    handledBy: handledBy, transfersBack: transfersBack}}) AS streetCases
  }
  MATCH (s)<-[:TO]-(d:Delegation)
  WHERE d.valid_from <= $to AND (d.valid_to IS NULL OR $from < d.valid_to)
  MATCH (d)-[:OF]->(i:EnforcementItem)
  OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
  CALL (d) {
    OPTIONAL MATCH (d)-[:ENDED_BY]->(c:Catalog)
    WITH c WHERE c IS NOT NULL
    RETURN collect(c {.id, .title, .kind}) AS endedBy
  }
  WITH d, s, i, dep, endedBy, [c IN streetCases WHERE c.item = i | c.case] AS cases
  ORDER BY i.code, s.code, d.valid_from, d.id
  RETURN collect({id: d.id, mode: d.mode, validFrom: d.valid_from, validTo: d.valid_to,
                  streetCode: s.code, itemCode: i.code, itemName: i.name, itemType: i.type,
                  domain: i.domain, departmentId: dep.id, departmentName: dep.name,
                  endedBy: endedBy, cases: cases}) AS delegations
}
RETURN region.code AS regionCode, region.name AS regionName, policies, streets, delegations
