// certificates: every officer of a region with their certificate, units, postings and cases
//          (执法证管理): the facts the expiring / lapsed-while-posted / wrong-domain lists are judged on
// params:  $region STRING (region code or exact name; a city or province takes its counties), $rule STRING (the notice-period policy rule)
// returns: regionCode, regionName, policies (id, threshold, description, sourceDocument, sourceQuote,
//          validFrom, validTo, scopeCode, distance), officers (id, name, issuer, validFrom, validTo,
//          domains, roles, countyCode, countyName, units (id, name, ownerKind, ownerKey, ownerName),
//          postings (kind, key, name, mode, validFrom, validTo, departmentId, departmentName,
//          departmentDomains), cases (id, itemCode, itemName, domain, occurredOn, streetName))
// rule:    持证上岗 (seeds 000 五(一), 001 三(一)5; 行政处罚法 Art. 42): the list is judged in
//          queries/certificates.py; an officer belongs to the county of a unit's department or street,
//          or of a street or zone they are posted to
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
WITH region ORDER BY region.code LIMIT 1
CALL (region) {
  MATCH (county:Region)-[:PART_OF*0..2]->(region)
  CALL (county) {
    MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[:PART_OF*0..3]->(:Unit)-[:PART_OF]->(owner)-[:PART_OF]->(county)
    WHERE owner:Department OR owner:Street
    RETURN o
    UNION
    MATCH (o:Officer)-[:POSTED_TO]->(place)-[:PART_OF]->(county)
    WHERE place:Street OR place:Zone
    RETURN o
  }
  RETURN DISTINCT o, county
}
WITH region, o, county ORDER BY county.code, o.id
WITH region, collect(o {
  .id, .name, issuer: o.certificate_issuer, validFrom: o.valid_from, validTo: o.valid_to,
  domains: coalesce(o.domains, []), roles: coalesce(o.roles, []),
  countyCode: county.code, countyName: county.name,
  units: COLLECT {
    MATCH (o)-[:MEMBER_OF]->(u:Unit)
    OPTIONAL CALL (u) {
      MATCH (u)-[:PART_OF*1..4]->(owner)
      WHERE owner:Department OR owner:Street
      RETURN owner LIMIT 1
    }
    RETURN u {.id, .name, ownerKind: labels(owner)[0], ownerKey: coalesce(owner.code, owner.id),
              ownerName: owner.name} AS unit ORDER BY u.id
  },
  postings: COLLECT {
    MATCH (o)-[p:POSTED_TO]->(place)
    OPTIONAL MATCH (d:Department {id: p.department})
    RETURN {kind: labels(place)[0], key: coalesce(place.code, place.id), name: place.name,
            mode: p.mode, validFrom: p.valid_from, validTo: p.valid_to, departmentId: d.id,
            departmentName: d.name,
            departmentDomains: COLLECT {
              MATCH (d)<-[:HELD_BY]-(i:EnforcementItem) WHERE i.domain IS NOT NULL
              RETURN DISTINCT i.domain AS domain ORDER BY domain
            }} AS posting ORDER BY posting.key, posting.validFrom
  },
  cases: COLLECT {
    MATCH (o)<-[:HANDLED_BY_OFFICER]-(c:Case)-[:CONCERNS]->(i:EnforcementItem)
    OPTIONAL MATCH (c)-[:OCCURRED_IN]->(s:Street)
    RETURN {id: c.id, itemCode: i.code, itemName: i.name, domain: i.domain,
            occurredOn: coalesce(c.occurred_on, date(c.filed_at)), streetName: s.name} AS handled
    ORDER BY handled.id
  }
}) AS officers
RETURN region.code AS regionCode, region.name AS regionName, officers,
  COLLECT {
    MATCH (region)-[hops:PART_OF*0..3]->(scope:Region)<-[:APPLIES_TO]-(p:Policy {rule: $rule})
    RETURN {id: p.id, threshold: p.threshold, description: p.description,
            sourceDocument: p.source_document, sourceQuote: p.source_quote,
            validFrom: p.valid_from, validTo: p.valid_to, scopeCode: scope.code,
            distance: size(hops)} AS policy ORDER BY policy.distance, policy.id
  } AS policies
