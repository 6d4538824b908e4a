// write_regions: the regions a write touches (写入涉及的地区): for each named street, zone,
//          department, unit, officer, case or dispute, every region it lies in (county, city, …)
// params:  $streets LIST<STRING>, $zones LIST<STRING>, $departments LIST<STRING>, $units LIST<STRING>, $officers LIST<STRING>, $cases LIST<STRING>, $disputes LIST<STRING>
// returns: label, key, name, regions (code, name, level; nearest first)
// rule:    issue 17.7: a region-limited key writes only in its regions; a street is in its county,
//          a unit in its department's or street's, an officer in their unit's, a case where it
//          occurred, a dispute where its case occurred
CALL () {
  UNWIND $streets AS key MATCH (n:Street {code: key}) RETURN n, key
  UNION
  UNWIND $zones AS key MATCH (n:Zone {id: key}) RETURN n, key
  UNION
  UNWIND $departments AS key MATCH (n:Department {id: key}) RETURN n, key
  UNION
  UNWIND $units AS key MATCH (n:Unit {id: key}) RETURN n, key
  UNION
  UNWIND $officers AS key MATCH (n:Officer {id: key}) RETURN n, key
  UNION
  UNWIND $cases AS key MATCH (n:Case {id: key}) RETURN n, key
  UNION
  UNWIND $disputes AS key MATCH (n:Dispute {id: key}) RETURN n, key
}
RETURN labels(n)[0] AS label, key, n.name AS name,
  COLLECT {
    MATCH path = (n)-[:PART_OF|MEMBER_OF|OCCURRED_IN|ABOUT*1..7]->(r:Region)
    WITH r, min(length(path)) AS hops ORDER BY hops
    RETURN r {.code, .name, .level}
  } AS regions
ORDER BY label, key
