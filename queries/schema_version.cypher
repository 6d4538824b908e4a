// schema_version: which schema version `authreg migrate` last applied to this graph (模式版本)
// params:  none
// returns: version, checksum, appliedAt
// rule:    /readyz and `authreg db status` report a graph not migrated to this code's schema
MATCH (m:SchemaMigration)
RETURN m.version AS version, m.checksum AS checksum, m.applied_at AS appliedAt
ORDER BY m.version DESC
LIMIT 1
