// Law versions (法律版本, issue 14.10): one node per dated text of a law, keyed by the law's id
// and the version's date (行政处罚法@2017-09-01); the questions find a law's versions from it
// (VERSION_OF), so no other index is needed.
CREATE CONSTRAINT law_version_id_unique IF NOT EXISTS
FOR (n:LawVersion) REQUIRE n.id IS UNIQUE;
