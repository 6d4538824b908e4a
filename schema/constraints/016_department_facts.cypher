// Departments re-organised (机构改革, issue 14.12): a department's name for a period is a
// DepartmentFact node keyed by department, fact and first day, (:Department)-[:HAS_FACT]->, its
// notice by DEFINED_IN, as a street's (008). A catalog, a case or an answer's words find the
// department by a name it had through the value index; the organisation search through the
// full-text one, saying 原名 X (至 D) as for streets (015).
CREATE CONSTRAINT department_fact_id_unique IF NOT EXISTS
FOR (n:DepartmentFact) REQUIRE n.id IS UNIQUE;
CREATE INDEX department_fact_value IF NOT EXISTS FOR (n:DepartmentFact) ON (n.value);
CREATE FULLTEXT INDEX department_fact_value_fulltext IF NOT EXISTS
FOR (n:DepartmentFact) ON EACH [n.value]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
