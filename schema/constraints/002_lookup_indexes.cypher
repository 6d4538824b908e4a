// Range indexes behind every lookup a query makes by something other than a business key.
CREATE INDEX street_name IF NOT EXISTS FOR (n:Street) ON (n.name);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX department_name IF NOT EXISTS FOR (n:Department) ON (n.name);
CREATE INDEX enforcement_item_name IF NOT EXISTS FOR (n:EnforcementItem) ON (n.name);
CREATE INDEX legal_document_title IF NOT EXISTS FOR (n:LegalDocument) ON (n.title);
CREATE INDEX provision_document IF NOT EXISTS FOR (n:Provision) ON (n.document_id, n.article);
CREATE INDEX catalog_series IF NOT EXISTS FOR (n:Catalog) ON (n.series, n.effective);
CREATE INDEX catalog_checksum IF NOT EXISTS FOR (n:Catalog) ON (n.checksum);
CREATE INDEX delegation_validity IF NOT EXISTS FOR (n:Delegation) ON (n.valid_from, n.valid_to);
CREATE INDEX officer_name IF NOT EXISTS FOR (n:Officer) ON (n.name);
CREATE INDEX case_status IF NOT EXISTS FOR (n:Case) ON (n.status);
CREATE INDEX policy_rule IF NOT EXISTS FOR (n:Policy) ON (n.rule);
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at);
