// Staffing establishment (核定编制, issue 17.5): one node per approval of a unit's posts, keyed by
// the approving document and the unit; the staffing question finds them from the unit (OF).
CREATE CONSTRAINT establishment_id_unique IF NOT EXISTS
FOR (n:Establishment) REQUIRE n.id IS UNIQUE;
