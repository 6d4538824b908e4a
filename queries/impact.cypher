// impact: what rests on a legal document or one of its articles, summarised — totals, counts per county and per delegation mode, one page of the items (法律修改影响)
// params:  $document STRING, $documentKey STRING, $article INTEGER (null = the whole document), $asOf DATE, $item STRING (an item code; null = every item), $offset INTEGER, $limit INTEGER
// returns: documentId, title, rank, status, versionDate, effectiveTo, changes [{kind, id, title, on}],
//          totals {items, onlyBasisItems, catalogListings, openCases, delegations, amendedAfterDelegation, streets, regions},
//          byRegion [{code, name, items, delegations, streets, amendedAfterDelegation}] (by code; null code: a
//          street in no region), byMode [{mode, delegations}] (by mode),
//          page [{code, name, type, cited [{target, raw}], onlyBasis, catalogs [...], delegations, streets,
//          amendedAfterDelegation, openCases [...]}]: items $offset…$offset+$limit by code.
//          With $item, everything is about that one item (if it rests on the document): a drill-down
//          that starts from the item (a second unique-index seek) and reads only its delegations.
// rule:    an item rests on the document when BASED_ON reaches one of its provisions (or the document
//          itself); a delegation is in force on $asOf when valid_from <= $asOf < valid_to (open end:
//          in force) and counts where its TO street is; it began before a change when its valid_from is
//          before the latest AMENDS/REPEALS/REPLACES date or version_date of the document; a case is open
//          unless its status is 结案. Totals and breakdowns count every delegation reading only
//          valid_from, valid_to and mode of each (no evidence, no department), in one walk that also
//          counts the page's items (their delegations are not walked twice). Only the page's items
//          are read in full.
//          One unique-index seek on LegalDocument.id, then expansion only (no label scans).
MATCH (doc:LegalDocument) WHERE doc.id IN [$document, $documentKey]
WITH doc ORDER BY CASE doc.id WHEN $document THEN 0 ELSE 1 END LIMIT 1
WITH doc, COLLECT {
  MATCH (by:LegalDocument)-[r:AMENDS|REPEALS|REPLACES]->(doc)
  RETURN {kind: type(r), id: by.id, title: by.title,
          on: coalesce(r.effective, by.effective_from, by.version_date, by.promulgated)} AS change
  ORDER BY change.on, by.id
} AS changes
WITH doc, changes, reduce(latest = doc.version_date, change IN changes |
  CASE WHEN latest IS NULL OR change.on > latest THEN coalesce(change.on, latest) ELSE latest END
) AS lastChange
CALL (doc) {
  CALL (doc) {
    // Every item: from the document's provisions (and the document) to what cites them.
    WITH doc WHERE $item IS NULL
    CALL (doc) {
      MATCH (p:Provision)-[:IN]->(doc) WHERE $article IS NULL OR p.article = $article
      RETURN p AS target
      UNION
      UNWIND CASE WHEN $article IS NULL THEN [doc] ELSE [] END AS target
      RETURN target
    }
    MATCH (item:EnforcementItem)-[:BASED_ON]->(target)
    RETURN item
    UNION
    // One item: from the item to what it cites (the drill-down costs the item's size only).
    MATCH (item:EnforcementItem {code: $item})-[:BASED_ON]->(target)
    WHERE (target = doc AND $article IS NULL)
       OR ((target:Provision)-[:IN]->(doc) AND ($article IS NULL OR target.article = $article))
    RETURN item
  }
  WITH DISTINCT item ORDER BY item.code
  RETURN collect(item) AS items
}
CALL (doc, items) {
  // One walk of each item's relationships for three counts (BASED_ON out, LISTS and CONCERNS in).
  UNWIND items AS item
  MATCH (item)-[r:BASED_ON|LISTS|CONCERNS]-(x)
  RETURN count(DISTINCT CASE WHEN type(r) = 'BASED_ON' AND coalesce(x.document_id, x.id) <> doc.id
                        THEN item END) AS otherBasisItems,
         count(CASE WHEN type(r) = 'LISTS' AND x.effective <= $asOf THEN 1 END) AS catalogListings,
         count(DISTINCT CASE WHEN type(r) = 'CONCERNS' AND coalesce(x.status, '') <> '结案'
                        THEN x END) AS openCases
}
CALL (items, lastChange) {
  // One walk of the delegations in force: the cells (street × mode) the totals and breakdowns
  // count, and the page's items' own counts (the page does not walk its delegations again).
  UNWIND items AS item
  MATCH (d:Delegation)-[:OF]->(item)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR d.valid_to > $asOf)
  MATCH (d)-[:TO]->(s:Street)
  WITH item, s, d.mode AS mode, count(*) AS delegations,
       count(CASE WHEN d.valid_from < lastChange THEN 1 END) AS late
  // Each cell aggregated in the walk itself, not from a list of every (item, street, mode) row
  // handed to a subquery: a subquery's aggregation groups by the variables it imports, and a
  // list of every row kept with each street's group ran out of transaction memory (1.4 GiB at
  // 6,700 delegations). The page's items ride along in their cells.
  WITH s, mode, sum(delegations) AS delegations, sum(late) AS late, collect(item) AS held,
       collect(CASE WHEN $item IS NOT NULL OR item IN items[$offset..$offset + $limit]
                    THEN {item: item, delegations: delegations, late: late} END) AS page
  OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
  WITH collect({region: r, street: s, mode: mode, delegations: delegations, late: late,
                items: held, page: page}) AS cells
  WITH cells, [cell IN cells WHERE size(cell.page) > 0 | cell {.street, .page}] AS paged
  RETURN [cell IN cells | cell {.region, .street, .mode, .delegations, .late, .items}] AS cells,
         COLLECT {
           UNWIND paged AS cell
           UNWIND cell.page AS row
           WITH row.item AS item, sum(row.delegations) AS delegations,
                count(DISTINCT cell.street) AS streets, sum(row.late) AS late
           RETURN {item: item, delegations: delegations, streets: streets, late: late}
         } AS perItem
}
CALL (cells) {
  UNWIND cells AS cell
  WITH cell.region AS r, count(DISTINCT cell.street) AS streets, sum(cell.delegations) AS delegations,
       sum(cell.late) AS late, collect(cell.items) AS held
  ORDER BY r.code
  RETURN collect({code: r.code, name: r.name, streets: streets, delegations: delegations,
                  amendedAfterDelegation: late,
                  items: size(COLLECT { UNWIND held AS some UNWIND some AS i RETURN DISTINCT i })}) AS byRegion
}
CALL (cells) {
  UNWIND cells AS cell
  WITH cell.mode AS mode, sum(cell.delegations) AS delegations ORDER BY mode
  RETURN collect({mode: mode, delegations: delegations}) AS byMode
}
CALL (doc, items, perItem) {
  UNWIND CASE WHEN $item IS NULL THEN items[$offset..$offset + $limit] ELSE items END AS item
  WITH doc, item, [counts IN perItem WHERE counts.item = item][0] AS counts
  WITH doc, item, coalesce(counts.delegations, 0) AS delegations,
       coalesce(counts.streets, 0) AS streets, coalesce(counts.late, 0) AS late
  ORDER BY item.code
  RETURN collect({
    code: item.code, name: item.name, type: item.type,
    cited: COLLECT {
      MATCH (item)-[b:BASED_ON]->(target)
      WHERE target = doc OR (target:Provision AND target.document_id = doc.id
                             AND ($article IS NULL OR target.article = $article))
      RETURN {target: target.id, raw: b.raw} AS citation ORDER BY citation.target, citation.raw
    },
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
    delegations: delegations, streets: streets, amendedAfterDelegation: late,
    openCases: COLLECT {
      MATCH (k:Case)-[:CONCERNS]->(item) WHERE coalesce(k.status, '') <> '结案'
      OPTIONAL MATCH (k)-[:OCCURRED_IN]->(s:Street)
      RETURN {id: k.id, status: k.status, occurredOn: k.occurred_on, filedAt: k.filed_at,
              streetCode: s.code, streetName: s.name} AS openCase
      ORDER BY k.id
    }
  }) AS page
}
RETURN doc.id AS documentId, doc.title AS title, doc.rank AS rank, doc.status AS status,
       doc.version_date AS versionDate, doc.effective_to AS effectiveTo, changes,
       {items: size(items), onlyBasisItems: size(items) - otherBasisItems, catalogListings: catalogListings,
        openCases: openCases, delegations: reduce(n = 0, cell IN cells | n + cell.delegations),
        amendedAfterDelegation: reduce(n = 0, cell IN cells | n + cell.late),
        streets: size(COLLECT { UNWIND cells AS cell RETURN DISTINCT cell.street }),
        regions: size(COLLECT { UNWIND cells AS cell WITH cell WHERE cell.region IS NOT NULL
                                RETURN DISTINCT cell.region })} AS totals,
       byRegion, byMode, page
