// legal_basis: the legal basis of one enforcement item — its cited provisions and their documents (实施依据)
// params:  $itemCode STRING
// returns: code, name, type, domain, basisRaw, links (one map per BASED_ON: raw, role, targetKind,
//          provisionId, article, paragraph, item, text, articleInText, documentId, title, rank, status,
//          versionDate, effectiveTo, textLoaded, repealedBy [{id, title, effective}], versionNote,
//          catalogEffective, currentVersionDate, versions [{id, version_date, kind, note,
//          effective_from, effective_known, text_loaded, previous_articles, previous_articles_source}])
// rule:    the catalog's 实施依据 cell as published (basis_raw) and what the loader could parse of it
//          (BASED_ON); a document is repealed when its status is 已废止 or a REPEALS link names it
//          (行政处罚法 Art. 4: a penalty needs a basis in force); nothing is inferred beyond the graph.
//          The law's versions (LawVersion, oldest first) and the citing catalog's effective date
//          come back with each link: queries.law_versions picks the version meant and the one in force
MATCH (i:EnforcementItem {code: $itemCode})
OPTIONAL MATCH (i)-[b:BASED_ON]->(target)
OPTIONAL MATCH (target)-[:IN]->(container:LegalDocument)
WITH i, b, target, CASE WHEN target:Provision THEN container ELSE target END AS doc
WITH i, b, target, doc,
     CASE WHEN target:Provision
       THEN EXISTS {
         MATCH (a:Provision {document_id: doc.id, article: target.article}) WHERE a.text IS NOT NULL
       }
     END AS articleInText,
     COLLECT {
       MATCH (by:LegalDocument)-[r:REPEALS]->(doc)
       RETURN {id: by.id, title: by.title,
               effective: coalesce(r.effective, by.effective_from, by.promulgated)} AS repeal
       ORDER BY by.id
     } AS repealedBy,
     COLLECT {
       MATCH (v:LawVersion)-[:VERSION_OF]->(doc)
       RETURN v {.id, .version_date, .kind, .note, .effective_from, .effective_known,
                 .text_loaded, .previous_articles, .previous_articles_source} AS version
       ORDER BY v.version_date
     } AS versions,
     COLLECT { MATCH (c:Catalog {id: b.source_catalog}) RETURN c.effective }[0] AS catalogEffective
ORDER BY doc.id, target.article, target.paragraph, target.item, b.raw
RETURN i.code AS code, i.name AS name, i.type AS type, i.domain AS domain,
       i.basis_raw AS basisRaw,
       collect(CASE WHEN b IS NOT NULL THEN {
         raw: b.raw, role: b.role,
         targetKind: CASE WHEN target:Provision THEN 'Provision' ELSE 'LegalDocument' END,
         provisionId: CASE WHEN target:Provision THEN target.id END,
         article: target.article, paragraph: target.paragraph, item: target.item,
         text: target.text, articleInText: articleInText,
         documentId: doc.id, title: doc.title, rank: doc.rank, status: doc.status,
         versionDate: doc.version_date, effectiveTo: doc.effective_to,
         textLoaded: coalesce(doc.text_loaded, false), repealedBy: repealedBy,
         versionNote: b.version_note, catalogEffective: catalogEffective,
         currentVersionDate: doc.current_version_date, versions: versions
       } END) AS links
