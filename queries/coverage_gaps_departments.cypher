// coverage_gaps_departments: the county's departments with their kind and aliases (部门设置)
// params:  $regionCodes LIST<STRING> (counties), $asOf DATE
// returns: regionCode, id, name, kind, aliases, units
// rule:    seed 004 (部门专业执法队伍精简至8支以内): a 专业执法部门 is one professional enforcement
//          team; its brigades and squads are listed beside it: those under it on $asOf (机构调整:
//          PART_OF holds from valid_from through valid_to; undated: always)
UNWIND $regionCodes AS regionCode
MATCH (:Region {code: regionCode})<-[:PART_OF]-(dep:Department)
CALL (dep) {
  OPTIONAL MATCH (dep)<-[part:PART_OF]-(u:Unit)
  WHERE coalesce(part.valid_from <= $asOf, true) AND coalesce(part.valid_to >= $asOf, true)
  WITH u ORDER BY u.id
  RETURN collect(u.name) AS units
}
RETURN regionCode, dep.id AS id, dep.name AS name, dep.kind AS kind, coalesce(dep.aliases, []) AS aliases,
       units
ORDER BY regionCode, id
