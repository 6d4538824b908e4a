// certificates: every officer of a region with their certificate, units, postings and cases
//          (执法证管理): the facts the expiring / lapsed-while-posted / wrong-domain lists are judged on
// params:  $region STRING (region code or exact name; a city or province takes its counties), $rule STRING (the notice-period policy rule), $asOf DATE
// returns: regionCode, regionName, policies (id, threshold, description, sourceDocument, sourceQuote,
//          validFrom, validTo, scopeCode, distance), officers (id, name, issuer, validFrom, validTo,
//          domains, roles, countyCode, countyName, units (id, name, ownerKind, ownerKey, ownerName,
//          streets (key, name, validFrom, validTo))), postings (kind, key, name, mode, validFrom,
//          validTo, departmentId, departmentName, departmentDomains), cases (id, itemCode, itemName,
//          domain, occurredOn, streetName))
// rule:    持证上岗 (seeds 000 五(一), 001 三(一)5; 行政处罚法 Art. 42): the list is judged in
//          queries/certificates.py; an officer belongs to the county of a unit's department or street
//          on $asOf, or of a street or zone they are posted to. A unit's PART_OF holds from valid_from
//          through valid_to (机构调整, issue 14.12; undated: always): its owner is that of $asOf, and
//          `streets` are the periods it was part of a street (its members served there). A street is
//          named as on $asOf, a case's street as on the case's day (StreetFact: 更名)
MATCH (region:Region)
WHERE region.code = $region OR region.name = $region
WITH region ORDER BY region.code LIMIT 1
CALL (region) {
  MATCH (county:Region)-[:PART_OF*0..2]->(region)
  CALL (county) {
    MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[parts:PART_OF*1..4]->(owner)-[:PART_OF]->(county)
    WHERE (owner:Department OR owner:Street)
      AND all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
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
      MATCH (u)-[parts:PART_OF*1..4]->(owner)
      WHERE (owner:Department OR owner:Street)
        AND all(part IN parts WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true))
      RETURN owner LIMIT 1
    }
    RETURN u {.id, .name, ownerKind: labels(owner)[0], ownerKey: coalesce(owner.code, owner.id),
              ownerName: CASE WHEN owner:Street
                THEN coalesce(COLLECT { MATCH (owner)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
                  WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
                  RETURN f.value }[0], owner.name)
                ELSE owner.name END,
              // Each period the unit was part of a street: the latest start, earliest end on the path.
              streets: COLLECT {
                MATCH (u)-[parts:PART_OF*1..4]->(street:Street)
                WITH street,
                  reduce(d = null, part IN parts | CASE WHEN d IS NULL OR part.valid_from > d
                                                        THEN part.valid_from ELSE d END) AS since,
                  reduce(d = null, part IN parts | CASE WHEN d IS NULL OR part.valid_to < d
                                                        THEN part.valid_to ELSE d END) AS until
                WHERE coalesce(since <= until, true)
                RETURN {key: street.code, validFrom: since, validTo: until,
                  name: coalesce(COLLECT { MATCH (street)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
                    WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
                    RETURN f.value }[0], street.name)} AS period
                ORDER BY period.validFrom IS NOT NULL, period.validFrom, period.key
              }} AS unit ORDER BY u.id
  },
  postings: COLLECT {
    MATCH (o)-[p:POSTED_TO]->(place)
    OPTIONAL MATCH (d:Department {id: p.department})
    RETURN {kind: labels(place)[0], key: coalesce(place.code, place.id),
            name: coalesce(COLLECT { MATCH (place)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
              WHERE coalesce(f.valid_from <= $asOf, true) AND coalesce(f.valid_to >= $asOf, true)
              RETURN f.value }[0], place.name),
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
    WITH c, i, s, coalesce(c.occurred_on, date(c.filed_at)) AS day
    RETURN {id: c.id, itemCode: i.code, itemName: i.name, domain: i.domain, occurredOn: day,
            streetName: coalesce(COLLECT { MATCH (s)-[:HAS_FACT]->(f:StreetFact {fact: 'name'})
              WHERE coalesce(f.valid_from <= day, true) AND coalesce(f.valid_to >= day, true)
              RETURN f.value }[0], s.name)} AS handled
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
