// Full-text search over the other names a department is known by (aliases: 区城管局, 县住建局):
// `search_organisations` finds a department by them as by its name. A list of strings is
// indexed element by element, with the same `cjk` analyzer as the names (003).
CREATE FULLTEXT INDEX department_alias_fulltext IF NOT EXISTS
FOR (n:Department) ON EACH [n.aliases]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
