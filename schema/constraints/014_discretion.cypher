// Discretion lists (裁量基准 / 不予处罚清单, issue 18.4): one node per published version, keyed by
// series and effective date; one node per row, keyed by the list's id and the row. The authority
// answer reaches entries from the item (APPLIES_TO).
CREATE CONSTRAINT discretion_list_id_unique IF NOT EXISTS
FOR (n:DiscretionList) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT discretion_entry_id_unique IF NOT EXISTS
FOR (n:DiscretionEntry) REQUIRE n.id IS UNIQUE;
// A list's newer versions are found by series (queries/discretion.cypher, on every authority answer).
CREATE RANGE INDEX discretion_list_series IF NOT EXISTS
FOR (n:DiscretionList) ON (n.series);
