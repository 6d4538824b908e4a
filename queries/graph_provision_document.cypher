// graph_provision_document: the document each of many provisions belongs to (所属法律文件)
// params:  $keys LIST<MAP> ({at INTEGER, key STRING: provision id})
// returns: at, found (the document, or null)
// rule:    (:Provision)-[:IN]->(:LegalDocument)
UNWIND $keys AS asked
OPTIONAL MATCH (p:Provision {id: asked.key})
RETURN asked.at AS at, COLLECT { MATCH (p)-[:IN]->(doc:LegalDocument) RETURN doc }[0] AS found
