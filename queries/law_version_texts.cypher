// law_version_texts: the text of provisions of given law versions (法律版本条文)
// params:  $provisionIds LIST<STRING>
// returns: id, text
// rule:    a version's provisions are keyed by the version (行政处罚法@2017-09-01#18); one
//          unique-index seek each; an id not loaded returns nothing
UNWIND $provisionIds AS provisionId
MATCH (p:Provision {id: provisionId})
RETURN p.id AS id, p.text AS text
