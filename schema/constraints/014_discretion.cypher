// Discretion lists (裁量基准 / 不予处罚清单, issue 18.4): one node per published version, keyed by
// series and effective date; one node per row, keyed by the list's id and the row. The authority
// answer reaches entries from the item (APPLIES_TO), so no other index is needed.
CREATE CONSTRAINT discretion_list_id_unique IF NOT EXISTS
FOR (n:DiscretionList) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT discretion_entry_id_unique IF NOT EXISTS
FOR (n:DiscretionEntry) REQUIRE n.id IS UNIQUE;
