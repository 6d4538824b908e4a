// search_officers: the officers who are members of a unit, optionally only those certified on a day (单位执法人员)
// params:  $unit STRING, $asOf DATE (null: every member), $skip INTEGER, $limit INTEGER
// returns: total (rows of the whole list), nodes (properties of the page's officers, in list order)
// rule:    MEMBER_OF carries no dates; an officer's valid_from / valid_to is the certificate's
//          validity (执法证有效期), held through valid_to as in coverage_gaps_certificates (持证上岗,
//          行政处罚法 Art. 42). Direct members only, not those of sub-units. Order: certificate number.
MATCH (o:Officer)-[:MEMBER_OF]->(:Unit {id: $unit})
WHERE $asOf IS NULL
   OR (coalesce(o.valid_from <= $asOf, true) AND coalesce(o.valid_to >= $asOf, true))
WITH DISTINCT o ORDER BY o.id
WITH collect(o) AS hits
RETURN size(hits) AS total, [o IN hits[$skip..$skip + $limit] | properties(o)] AS nodes
