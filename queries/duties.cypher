// duties: the 属地管理事项责任清单 in force for a town on a day, every matter with who leads and who assists
// params:  $street STRING (Street.code or exact Street.name), $asOf DATE, $acting LIST<STRING> (the modes in which the town itself acts: 赋权, 委托)
// returns: streetCode, streetName, regionCode, regionName, list (map: id, title, issuer, docNumber, effective, sourceFile; null: none in force), matters (maps: id, row, seq, name, basis, bodies (kind, key, name, role, duties), items (code, name, delegated, handling, handlingRow, handlingCatalog, handlingFile))
// rule:    seed 002 四、三: 县乡"属地管理"事项责任清单, 明晰了县乡主体责任和配合责任 — the newest list of the
//          street's region effective on $asOf; an item is delegated here when a 赋权 or 委托 delegation to
//          the street is in force (派驻 leaves the county squad acting); its 办理层级 is the newest
//          catalog row in force that gives one (seed 002 二、二)
MATCH (s:Street)-[:PART_OF]->(r:Region)
WHERE s.code = $street OR s.name = $street
WITH s, r, head(COLLECT {
  MATCH (candidate:DutyList)-[:COVERS]->(r) WHERE candidate.effective <= $asOf
  RETURN candidate ORDER BY candidate.effective DESC, candidate.id DESC
}) AS l
RETURN s.code AS streetCode, s.name AS streetName, r.code AS regionCode, r.name AS regionName,
  CASE WHEN l IS NULL THEN null ELSE l {.id, .title, .issuer, docNumber: l.doc_number, .effective,
    sourceFile: l.source_file} END AS list,
  COLLECT {
    MATCH (m:DutyMatter)-[in:MATTER_IN]->(l)
    WHERE EXISTS { (m)-[:DUTY_OF]->(s) }
    RETURN m {.id, row: in.row, .seq, .name, .basis,
      bodies: COLLECT {
        MATCH (m)-[d:DUTY_OF]->(b) WHERE b = s OR b:Department
        RETURN {kind: CASE WHEN b:Street THEN 'Street' ELSE 'Department' END,
                key: coalesce(b.code, b.id), name: b.name, role: d.role, duties: d.duties} AS body
        ORDER BY d.role DESC, body.kind DESC, body.key
      },
      items: COLLECT {
        MATCH (m)-[:MATTER_ITEM]->(i:EnforcementItem)
        WITH i, head(COLLECT {
          MATCH (c:Catalog)-[li:LISTS]->(i) WHERE li.handling IS NOT NULL AND c.effective <= $asOf
          RETURN li {.handling, .row, catalog: c.title, file: c.source_file}
          ORDER BY c.effective DESC, c.id DESC
        }) AS tier
        RETURN {code: i.code, name: i.name,
                delegated: EXISTS {
                  MATCH (s)<-[:TO]-(dl:Delegation)-[:OF]->(i)
                  WHERE dl.mode IN $acting AND dl.valid_from <= $asOf
                    AND (dl.valid_to IS NULL OR $asOf < dl.valid_to)
                },
                handling: tier.handling, handlingRow: tier.row, handlingCatalog: tier.catalog,
                handlingFile: tier.file} AS item
        ORDER BY item.code
      }
    } AS matter
    ORDER BY in.row
  } AS matters
ORDER BY streetCode
