// Dated organisation facts (组织沿革, issue 14.12): a street's mode or name for a period is a
// StreetFact node keyed by street, fact and first day; answers reach them from the street
// (HAS_FACT), and a former name finds its street through the value index.
CREATE CONSTRAINT street_fact_id_unique IF NOT EXISTS
FOR (n:StreetFact) REQUIRE n.id IS UNIQUE;
CREATE INDEX street_fact_value IF NOT EXISTS FOR (n:StreetFact) ON (n.value);
