// lookups: which item, street or region a user's words name, by code or exact name (按编码或全称查找)
// params:  $item STRING, $street STRING, $region STRING (each may be null: not asked)
// returns: kind ('item' / 'street' / 'region'), key (code), name, byCode (the words were the code)
// rule:    a code names one node (unique key); an exact name may name several (the same item name
//          recurs across counties): the caller reports that, never picks. Each branch is an index seek.
CALL () {
  MATCH (n:EnforcementItem {code: $item})
  RETURN 'item' AS kind, n.code AS key, n.name AS name, true AS byCode
  UNION
  MATCH (n:EnforcementItem {name: $item})
  RETURN 'item' AS kind, n.code AS key, n.name AS name, false AS byCode
  UNION
  MATCH (n:Street {code: $street})
  RETURN 'street' AS kind, n.code AS key, n.name AS name, true AS byCode
  UNION
  MATCH (n:Street {name: $street})
  RETURN 'street' AS kind, n.code AS key, n.name AS name, false AS byCode
  UNION  // a former name (更名, StreetFact): the same street, so a past day can be asked by it
  MATCH (:StreetFact {value: $street, fact: 'name'})<-[:HAS_FACT]-(n:Street)
  RETURN 'street' AS kind, n.code AS key, n.name AS name, false AS byCode
  UNION
  MATCH (n:Region {code: $region})
  RETURN 'region' AS kind, n.code AS key, n.name AS name, true AS byCode
  UNION
  MATCH (n:Region {name: $region})
  RETURN 'region' AS kind, n.code AS key, n.name AS name, false AS byCode
}
RETURN kind, key, name, byCode
ORDER BY kind, byCode DESC, key
