// first_contact: a region's received matters (首问负责) with their hand-ons, reply and the deadline policies
// params:  $region STRING (Region.code or exact Region.name), $rules LIST<STRING> (the transfer-deadline rule names)
// returns: regionCode, regionName, matters (maps: caseId, status, summary, item, street, streetName, receivedAt, channel, urgent, repliedAt, receiver, replier, handler (maps: kind, key, name), handOns (maps: transferId, sentAt, receivedAt, urgent, from, to)), policies (as overdue_transfers.cypher)
// rule:    seed 003 二(五) 首问责任制: a body receiving a complaint outside its powers hands it on (移交) to the competent body, within the transfer deadlines of 二(四) (3 working days, 24 hours urgent), and the final handler replies; a matter belongs to the region of the body that received it (RECEIVED_BY a Street or Department PART_OF the region)
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
RETURN region.code AS regionCode, region.name AS regionName,
  COLLECT {
    MATCH (region)<-[:PART_OF]-(receiver)<-[received:RECEIVED_BY]-(c:Case)
    WHERE receiver:Street OR receiver:Department
    OPTIONAL MATCH (c)-[:CONCERNS]->(item:EnforcementItem)
    OPTIONAL MATCH (c)-[:OCCURRED_IN]->(street:Street)
    OPTIONAL MATCH (c)-[:REPLIED_BY]->(replier)
    OPTIONAL MATCH (c)-[:HANDLED_BY]->(handler)
    RETURN {
      caseId: c.id, status: c.status, summary: c.summary,
      item: item.code, street: street.code, streetName: street.name,
      receivedAt: c.received_at, channel: c.channel, urgent: coalesce(c.urgent, false),
      repliedAt: c.replied_at,
      receiver: {kind: CASE WHEN receiver:Street THEN 'Street' ELSE 'Department' END,
                 key: coalesce(receiver.code, receiver.id), name: receiver.name},
      replier: CASE WHEN replier IS NULL THEN null ELSE
                 {kind: CASE WHEN replier:Street THEN 'Street' ELSE 'Department' END,
                  key: coalesce(replier.code, replier.id), name: replier.name} END,
      handler: CASE WHEN handler IS NULL THEN null ELSE
                 {kind: CASE WHEN handler:Street THEN 'Street' ELSE 'Department' END,
                  key: coalesce(handler.code, handler.id), name: handler.name} END,
      handOns: COLLECT {
        MATCH (c)-[:HAS_TRANSFER]->(t:Transfer)-[:FROM]->(sender), (t)-[:TO]->(to)
        RETURN {
          transferId: t.id, sentAt: t.sent_at, receivedAt: t.received_at,
          urgent: coalesce(t.urgent, false),
          from: {kind: CASE WHEN sender:Street THEN 'Street' ELSE 'Department' END,
                 key: coalesce(sender.code, sender.id), name: sender.name},
          to: {kind: CASE WHEN to:Street THEN 'Street' ELSE 'Department' END,
               key: coalesce(to.code, to.id), name: to.name}
        } AS handOn
        ORDER BY t.sent_at, t.id
      }
    } AS matter
    ORDER BY c.received_at, c.id
  } AS matters,
  COLLECT {
    MATCH path = (region)-[:PART_OF*0..]->(scope:Region)
    MATCH (scope)<-[:APPLIES_TO]-(p:Policy)
    WHERE p.rule IN $rules
    OPTIONAL MATCH (p)-[:DEFINED_IN]->(document:LegalDocument)
    RETURN {
      id: p.id, rule: p.rule, threshold: p.threshold, description: p.description,
      sourceDocument: p.source_document, sourceQuote: p.source_quote, documentId: document.id,
      validFrom: p.valid_from, validTo: p.valid_to,
      scopeCode: scope.code, scopeName: scope.name, distance: length(path)
    } AS policy
    ORDER BY length(path), p.rule, p.valid_from, p.id
  } AS policies
ORDER BY regionCode
