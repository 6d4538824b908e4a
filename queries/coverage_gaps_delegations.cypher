// coverage_gaps_delegations: each street of the scope and of its zones with the delegations in force
//          to it on the date, read once for every check that needs them (在效赋权): what it holds,
//          from whom, under which catalogs, and the domains of the certified officers who carry it
// params:  $streetCodes LIST<STRING>, $zoneIds LIST<STRING>, $asOf DATE
// returns: streetCode, streetName (as named on $asOf), regionCode, zones [{id, name}] (the zones it is in
//          on the date, by id), domains (of its certified officers), departments [{id, name}] (that
//          delegate to it), delegations [{mode, items (codes: what it is OF), departments (ids:
//          FROM), fromStreets [{code, name}] (FROM a street), id and catalogs [{id, title, docNumber,
//          issuer, row, effective (ISO text), inEffect, byStreet (issued by another street of its
//          region)}] (only when from a street, under a street's list, or of an uncovered domain)}]
// rule:    行政处罚法 Art. 24 and 42: a delegation is in force from valid_from until valid_to; IN_ZONE,
//          POSTED_TO and certificates hold through valid_to; an officer carries a street's items when
//          posted to it or to a zone it is in, or a member of one of its units (seed 000, 001)
CALL () {
  UNWIND $streetCodes AS streetCode
  MATCH (s:Street {code: streetCode})
  RETURN s
  UNION
  // A zone's streets of the day (a street merged away still counts for its zone's checks).
  UNWIND $zoneIds AS zoneId
  MATCH (:Zone {id: zoneId})<-[m:IN_ZONE]-(s:Street)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
  RETURN s
}
CALL (s) {
  OPTIONAL MATCH (s)-[:PART_OF]->(r:Region)
  RETURN r.code AS regionCode LIMIT 1
}
CALL (s) {
  OPTIONAL MATCH (s)-[m:IN_ZONE]->(z:Zone)
  WHERE coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
  WITH z WHERE z IS NOT NULL ORDER BY z.id
  RETURN collect(z {.id, .name}) AS zones
}
CALL (s) {
  CALL (s) {
    MATCH (o:Officer)-[p:POSTED_TO]->(s)
    WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
    RETURN o
    UNION
    MATCH (o:Officer)-[p:POSTED_TO]->(:Zone)<-[m:IN_ZONE]-(s)
    WHERE coalesce(p.valid_from <= $asOf, true) AND coalesce(p.valid_to >= $asOf, true)
      AND coalesce(m.valid_from <= $asOf, true) AND coalesce(m.valid_to >= $asOf, true)
    RETURN o
    UNION
    MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[part:PART_OF]->(s)  // the street's team that day (机构调整)
    WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
    RETURN o
  }
  WITH o WHERE coalesce(o.valid_from <= $asOf, true) AND coalesce(o.valid_to >= $asOf, true)
  RETURN reduce(acc = [], o2 IN collect(coalesce(o.domains, [])) | acc + o2) AS domains
}
// The names of the other streets of its region: a catalog one of them issued is a street's list.
CALL (s) {
  OPTIONAL MATCH (s)-[:PART_OF]->(:Region)<-[:PART_OF]-(other:Street)
  RETURN collect(other.name) AS streetNames
}
// The street's delegations, once: each one's item, delegating body and catalogs taken in one walk
// of its own relationships (a delegation's OF, FROM and AUTHORIZED_BY share one chain: three
// walks of it cost three times one), never every OF, FROM or AUTHORIZED_BY of the graph joined back.
CALL (s, domains, streetNames) {
  OPTIONAL MATCH (s)<-[:TO]-(d:Delegation)
  WHERE d.valid_from <= $asOf AND (d.valid_to IS NULL OR $asOf < d.valid_to)
  WITH d WHERE d IS NOT NULL
  CALL (d) {
    OPTIONAL MATCH (d)-[r:OF|FROM|AUTHORIZED_BY]->(x)
    // Each relationship read for what its type gives (CASE stops at the first that holds).
    WITH r, x, type(r) AS kind WHERE r IS NOT NULL
    RETURN collect(CASE kind WHEN 'OF' THEN CASE WHEN x:EnforcementItem THEN x END END) AS items,
           collect(CASE kind WHEN 'FROM' THEN CASE WHEN x:Department THEN x END END) AS departments,
           collect(CASE kind WHEN 'FROM' THEN CASE WHEN x:Street THEN x {.code, .name} END END)
             AS fromStreets,
           collect(CASE kind WHEN 'AUTHORIZED_BY' THEN
                     CASE WHEN x:Catalog THEN {catalog: x, row: r.row} END END) AS catalogs
  }
  // Its id and catalogs are sent only where a check reads them: a delegation from a street or
  // under another street's list (转授权), or of an item whose domain no certified officer of the
  // street carries (无人承接); for the other ~all, what it is of, its mode and who delegates.
  WITH d, items, departments, fromStreets, catalogs,
       size(fromStreets) > 0
       OR any(a IN catalogs WHERE a.catalog.issuer IN streetNames AND a.catalog.issuer <> s.name)
       OR any(i IN items WHERE i.domain IS NULL OR NOT i.domain IN domains) AS looked
  ORDER BY d.id
  WITH collect({mode: d.mode, items: [i IN items | i.code],
                departments: [dep IN departments | dep.id], fromStreets: fromStreets,
                id: CASE WHEN looked THEN d.id END,
                catalogs: CASE WHEN looked THEN [a IN catalogs | {
                  id: a.catalog.id, title: a.catalog.title, docNumber: a.catalog.doc_number,
                  issuer: a.catalog.issuer, row: a.row,
                  effective: toString(a.catalog.effective),
                  inEffect: coalesce(a.catalog.effective <= $asOf, false),
                  byStreet: coalesce(a.catalog.issuer IN streetNames
                                     AND a.catalog.issuer <> s.name, false)}] ELSE [] END})
         AS delegations, collect(departments) AS bodies
  // Each delegating department's name once a street, not once a delegation.
  RETURN delegations,
         [dep IN reduce(seen = [], found IN bodies | seen + [b IN found WHERE NOT b IN seen]) |
          dep {.id, .name}] AS departments
}
RETURN s.code AS streetCode, regionCode, zones, domains, departments, delegations,
       // the street named as on $asOf (StreetFact: 更名, issue 14.12)
       coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
         WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
         RETURN f.value }[0], s.name) AS streetName
ORDER BY streetCode
