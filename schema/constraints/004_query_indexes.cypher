// Indexes behind the questions' lookups by name (queries/): a zone given by its name.
CREATE INDEX zone_name IF NOT EXISTS FOR (n:Zone) ON (n.name);
CREATE INDEX unit_name IF NOT EXISTS FOR (n:Unit) ON (n.name);
