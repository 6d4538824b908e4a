// coverage_gaps_law_texts: the text of the law articles the built-in coverage checks cite (检查所依条文)
// params:  $provisionIds LIST<STRING>
// returns: provisionId, title, text
// rule:    a check names its article; the quote is shown when the law's text is loaded, else unknown
UNWIND $provisionIds AS provisionId
OPTIONAL MATCH (p:Provision {id: provisionId})
OPTIONAL MATCH (p)-[:IN]->(doc:LegalDocument)
RETURN provisionId, doc.title AS title, p.text AS text
ORDER BY provisionId
