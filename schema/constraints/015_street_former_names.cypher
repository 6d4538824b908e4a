// Full-text search over a street's dated names (更名, issue 14.12): the street and organisation
// searches find a town by a name it had (城关镇 → 城东街道), and say so (原名 城关镇 (至 …)).
// Mode facts (赋权 / 派驻) share the property; the searches keep name facts only.
CREATE FULLTEXT INDEX street_fact_value_fulltext IF NOT EXISTS
FOR (n:StreetFact) ON EACH [n.value]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
