// lookups_candidates: whether a user's words name an item, street, region, zone or case, and if not, names near them (您是不是要找)
// params:  $kind STRING ('item' / 'street' / 'region' / 'zone' / 'case'), $words STRING (as typed), $lucene STRING (the words' bigrams OR-ed; null: none), $prefix STRING (a code prefix; null: none), $limit INTEGER
// returns: key (code or id), name, exact (the words are this node's key or exact name)
// rule:    exact keys and names by index seek, as in lookups.cypher. The candidates for a
//          suggestion are bounded: at most $limit by the `cjk` full-text index (names sharing a
//          bigram with the words) and at most $limit whose key starts with $prefix (range seek);
//          the caller ranks them (difflib). A county has a handful of zones: a zone's exact
//          name is compared without an index. Cases have no name: only their ids are compared.
CALL () {
  WITH $kind AS kind WHERE kind = 'item'
  CALL () {
    MATCH (n:EnforcementItem {code: $words}) RETURN n, true AS exact
    UNION
    MATCH (n:EnforcementItem {name: $words}) RETURN n, true AS exact
    UNION
    WITH $lucene AS lucene WHERE lucene IS NOT NULL
    CALL db.index.fulltext.queryNodes('enforcement_item_name_fulltext', lucene, {limit: $limit})
      YIELD node
    RETURN node AS n, false AS exact
    UNION
    MATCH (n:EnforcementItem) WHERE n.code STARTS WITH $prefix
    WITH n LIMIT $limit
    RETURN n, false AS exact
  }
  RETURN n.code AS key, n.name AS name, exact
  UNION
  WITH $kind AS kind WHERE kind = 'street'
  CALL () {
    MATCH (n:Street {code: $words}) RETURN n, true AS exact
    UNION
    MATCH (n:Street {name: $words}) RETURN n, true AS exact
    UNION
    WITH $lucene AS lucene WHERE lucene IS NOT NULL
    CALL db.index.fulltext.queryNodes('organisation_name_fulltext', lucene, {limit: $limit})
      YIELD node
    WITH node AS n WHERE n:Street
    RETURN n, false AS exact
    UNION
    MATCH (n:Street) WHERE n.code STARTS WITH $prefix
    WITH n LIMIT $limit
    RETURN n, false AS exact
  }
  RETURN n.code AS key, n.name AS name, exact
  UNION
  WITH $kind AS kind WHERE kind = 'region'
  CALL () {
    MATCH (n:Region {code: $words}) RETURN n, true AS exact
    UNION
    MATCH (n:Region {name: $words}) RETURN n, true AS exact
    UNION
    WITH $lucene AS lucene WHERE lucene IS NOT NULL
    CALL db.index.fulltext.queryNodes('organisation_name_fulltext', lucene, {limit: $limit})
      YIELD node
    WITH node AS n WHERE n:Region
    RETURN n, false AS exact
    UNION
    MATCH (n:Region) WHERE n.code STARTS WITH $prefix
    WITH n LIMIT $limit
    RETURN n, false AS exact
  }
  RETURN n.code AS key, n.name AS name, exact
  UNION
  WITH $kind AS kind WHERE kind = 'zone'
  CALL () {
    MATCH (n:Zone {id: $words}) RETURN n, true AS exact
    UNION
    MATCH (n:Zone) WHERE n.name = $words RETURN n, true AS exact
    UNION
    WITH $lucene AS lucene WHERE lucene IS NOT NULL
    CALL db.index.fulltext.queryNodes('organisation_name_fulltext', lucene, {limit: $limit})
      YIELD node
    WITH node AS n WHERE n:Zone
    RETURN n, false AS exact
    UNION
    MATCH (n:Zone) WHERE n.id STARTS WITH $prefix
    WITH n LIMIT $limit
    RETURN n, false AS exact
  }
  RETURN n.id AS key, n.name AS name, exact
  UNION
  WITH $kind AS kind WHERE kind = 'case'
  CALL () {
    MATCH (n:Case {id: $words}) RETURN n, true AS exact
    UNION
    MATCH (n:Case) WHERE n.id STARTS WITH $prefix
    WITH n LIMIT $limit
    RETURN n, false AS exact
  }
  RETURN n.id AS key, null AS name, exact
}
RETURN key, name, exact
ORDER BY exact DESC, key
