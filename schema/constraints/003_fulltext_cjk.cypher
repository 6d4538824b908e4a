// Full-text search over Chinese names and provision text. The `cjk` analyzer (Lucene's
// CJKAnalyzer: overlapping bigrams) finds 垃圾 inside 建筑垃圾 without a CONTAINS scan.
CREATE FULLTEXT INDEX enforcement_item_name_fulltext IF NOT EXISTS
FOR (n:EnforcementItem) ON EACH [n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX provision_text_fulltext IF NOT EXISTS
FOR (n:Provision) ON EACH [n.text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX legal_document_title_fulltext IF NOT EXISTS
FOR (n:LegalDocument) ON EACH [n.title]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX organisation_name_fulltext IF NOT EXISTS
FOR (n:Street|Department|Unit|Zone|Region) ON EACH [n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
