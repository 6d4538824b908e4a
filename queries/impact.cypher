// impact: what rests on a legal document or one of its articles — items, catalog rows, delegations in force, streets, open cases (法律修改影响)
// params:  $document STRING, $documentKey STRING, $article INTEGER (null = the whole document), $asOf DATE
// returns: documentId, title, rank, status, versionDate, effectiveTo, changes [{kind, id, title, on}],
//          items [{code, name, type, cited [{target, raw}], onlyBasis, catalogs [...], delegations [...], openCases [...]}]
// rule:    an item rests on the document when BASED_ON reaches one of its provisions (or the document
//          itself); a delegation is in force on $asOf when valid_from <= $asOf < valid_to (open end:
//          in force); a case is open unless its status is 结案. One unique-index seek on
//          LegalDocument.id, then expansion only (no label scans: the national graph is large).
MATCH (doc:LegalDocument) WHERE doc.id IN [$document, $documentKey]
WITH doc ORDER BY CASE doc.id WHEN $document THEN 0 ELSE 1 END LIMIT 1
CALL (doc) {
  CALL (doc) {
    MATCH (p:Provision)-[:IN]->(doc) WHERE $article IS NULL OR p.article = $article
    RETURN p AS target
    UNION
    UNWIND CASE WHEN $article IS NULL THEN [doc] ELSE [] END AS target
    RETURN target
  }
  MATCH (item:EnforcementItem)-[b:BASED_ON]->(target)
  WITH doc, item, target, b ORDER BY target.id, b.raw
  WITH doc, item, collect({target: target.id, raw: b.raw}) AS cited
  ORDER BY item.code
  RETURN collect({
    code: item.code, name: item.name, type: item.type, cited: cited,
    onlyBasis: NOT EXISTS {
      MATCH (item)-[:BASED_ON]->(other) WHERE coalesce(other.document_id, other.id) <> doc.id
    },
    catalogs: COLLECT {
      MATCH (c:Catalog)-[l:LISTS]->(item) WHERE c.effective <= $asOf
      RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
              effective: c.effective, row: l.row,
              supersededOn: COLLECT {
                MATCH (c)<-[:SUPERSEDES]-(newer:Catalog) WHERE newer.effective <= $asOf
                RETURN newer.effective AS on ORDER BY on LIMIT 1
              }[0]} AS listing
      ORDER BY c.effective, c.id
    },
    delegations: COLLECT {
      MATCH (d:Delegation)-[:OF]->(item)
      WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR d.valid_to > $asOf)
      MATCH (d)-[:TO]->(s:Street)
      OPTIONAL MATCH (d)-[:FROM]->(dep:Department)
      RETURN {id: d.id, mode: d.mode, since: d.valid_from, until: d.valid_to,
              streetCode: s.code, streetName: s.name,
              departmentId: dep.id, departmentName: dep.name,
              evidence: COLLECT {
                MATCH (d)-[a:AUTHORIZED_BY]->(c:Catalog) WHERE c.effective <= $asOf
                RETURN {id: c.id, title: c.title, docNumber: c.doc_number, kind: c.kind,
                        effective: c.effective, row: a.row} AS listing
                ORDER BY c.effective DESC, c.id LIMIT 1
              }[0]} AS delegation
      ORDER BY s.code, d.id
    },
    openCases: COLLECT {
      MATCH (k:Case)-[:CONCERNS]->(item) WHERE coalesce(k.status, '') <> '结案'
      OPTIONAL MATCH (k)-[:OCCURRED_IN]->(s:Street)
      RETURN {id: k.id, status: k.status, occurredOn: k.occurred_on, filedAt: k.filed_at,
              streetCode: s.code, streetName: s.name} AS openCase
      ORDER BY k.id
    }
  }) AS items
}
RETURN doc.id AS documentId, doc.title AS title, doc.rank AS rank, doc.status AS status,
       doc.version_date AS versionDate, doc.effective_to AS effectiveTo,
       COLLECT {
         MATCH (by:LegalDocument)-[r:AMENDS|REPEALS|REPLACES]->(doc)
         RETURN {kind: type(r), id: by.id, title: by.title,
                 on: coalesce(r.effective, by.effective_from, by.version_date, by.promulgated)} AS change
         ORDER BY change.on, by.id
       } AS changes,
       items
