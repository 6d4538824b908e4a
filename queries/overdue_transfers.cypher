// overdue_transfers: a region's transfers (移送) and the deadline policies that judge them (移送超期)
// params:  $region STRING (Region.code or exact Region.name), $rules LIST<STRING> (the transfer-deadline rule names)
// returns: regionCode, regionName, transfers (maps: transferId, caseId, itemCode, itemName, itemListed, reason, sentAt, receivedAt, urgent, fromKind, fromId, fromName, toKind, toId, toName), policies (maps: id, rule, threshold, description, sourceDocument, sourceQuote, documentId, validFrom, validTo, scopeCode, scopeName, distance)
// rule:    seed 003 二(四): 移送 within 3 working days, 24 hours when urgent; thresholds are Policy nodes APPLIES_TO the region or a region it is PART_OF (distance 0 = the region itself); the working-day calendar is applied in queries/overdue_transfers.py
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
RETURN region.code AS regionCode, region.name AS regionName,
  COLLECT {
    CALL (region) {
      MATCH (region)<-[:PART_OF]-(body)<-[:FROM|TO]-(t:Transfer)
      WHERE body:Street OR body:Department
      RETURN t
      UNION
      MATCH (region)<-[:PART_OF]-(:Street)<-[:OCCURRED_IN]-(:Case)-[:HAS_TRANSFER]->(t:Transfer)
      RETURN t
    }
    OPTIONAL MATCH (c:Case)-[:HAS_TRANSFER]->(t)
    OPTIONAL MATCH (c)-[:CONCERNS]->(i:EnforcementItem)
    OPTIONAL MATCH (t)-[:FROM]->(sender)
    OPTIONAL MATCH (t)-[:TO]->(receiver)
    RETURN {
      transferId: t.id, caseId: c.id, reason: t.reason, itemCode: i.code, itemName: i.name,
      itemListed: CASE WHEN i IS NULL THEN null ELSE EXISTS { (:Catalog)-[:LISTS]->(i) } END,
      sentAt: t.sent_at, receivedAt: t.received_at, urgent: coalesce(t.urgent, false),
      fromKind: CASE WHEN sender:Street THEN 'street' WHEN sender:Department THEN 'department' END,
      fromId: coalesce(sender.code, sender.id), fromName: sender.name,
      toKind: CASE WHEN receiver:Street THEN 'street' WHEN receiver:Department THEN 'department' END,
      toId: coalesce(receiver.code, receiver.id), toName: receiver.name
    } AS transfer
    ORDER BY t.id
  } AS transfers,
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
