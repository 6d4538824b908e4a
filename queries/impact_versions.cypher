// impact_versions: a law's versions and how the page's items cite it (法律版本与引用)
// params:  $documentId STRING, $itemCodes LIST<STRING>, $article INTEGER (null = the whole document)
// returns: versions [{id, version_date, kind, note, effective_from, effective_known, text_loaded,
//          previous_articles, previous_articles_source}] (oldest first),
//          citations [{itemCode, article, versionNote, catalogEffective, raw}] (by item, article, raw)
// rule:    queries.law_versions reads each citation against the versions (issue 14.10): its version
//          by note, else the one in force on the citing catalog's effective date. Only the page's
//          items are read (unique-index seeks), so the cost is the page's, not the law's.
MATCH (doc:LegalDocument {id: $documentId})
RETURN COLLECT {
         MATCH (v:LawVersion)-[:VERSION_OF]->(doc)
         RETURN v {.id, .version_date, .kind, .note, .effective_from, .effective_known,
                   .text_loaded, .previous_articles, .previous_articles_source} AS version
         ORDER BY v.version_date
       } AS versions,
       COLLECT {
         UNWIND $itemCodes AS code
         MATCH (i:EnforcementItem {code: code})-[b:BASED_ON]->(p:Provision)-[:IN]->(doc)
         WHERE $article IS NULL OR p.article = $article
         RETURN {itemCode: i.code, article: p.article, versionNote: b.version_note, raw: b.raw,
                 catalogEffective: COLLECT { MATCH (c:Catalog {id: b.source_catalog}) RETURN c.effective }[0]} AS citation
         ORDER BY citation.itemCode, citation.article, citation.raw
       } AS citations
