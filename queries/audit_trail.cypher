// audit_trail: who wrote what, when, in which role and from where (审计记录), newest first, one page
// params:  $action STRING, $actor STRING, $since DATETIME (each may be null: no filter), $skip INTEGER, $limit INTEGER
// returns: total (entries matching the filters), entries (this page: maps of the AuditEntry's properties)
// rule:    every API write leaves exactly one AuditEntry, written in its own transaction (loaders/write.py)
CALL () {
  MATCH (a:AuditEntry)
  WHERE ($action IS NULL OR a.action = $action)
    AND ($actor IS NULL OR a.actor = $actor)
    AND ($since IS NULL OR a.at >= $since)
  RETURN count(a) AS total
}
CALL () {
  MATCH (a:AuditEntry)
  WHERE ($action IS NULL OR a.action = $action)
    AND ($actor IS NULL OR a.actor = $actor)
    AND ($since IS NULL OR a.at >= $since)
  WITH a ORDER BY a.at DESC, a.id DESC SKIP $skip LIMIT $limit
  RETURN collect(a {.*}) AS entries
}
RETURN total, entries
