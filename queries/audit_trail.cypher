// audit_trail: who wrote what, when, in which role and from where (审计记录), newest first, one page
// params:  $action STRING, $actor STRING (each may be null: no filter), $since DATETIME (never null: the earliest instant when not asked), $skip INTEGER, $limit INTEGER
// returns: total (entries matching the filters), entries (this page: maps of the AuditEntry's properties)
// rule:    every API write leaves exactly one AuditEntry, written in its own transaction (loaders/write.py)
// plan:    both reads seek the `at` index by range ($since is always a value), so a page walks the
//          entries newest first in index order and stops after SKIP + LIMIT matches, instead of
//          sorting every entry; equal instants are ordered by id after (a partial sort).
CALL () {
  MATCH (a:AuditEntry)
  WHERE a.at >= $since
    AND ($action IS NULL OR a.action = $action)
    AND ($actor IS NULL OR a.actor = $actor)
  RETURN count(a) AS total
}
CALL () {
  MATCH (a:AuditEntry)
  WHERE a.at >= $since
    AND ($action IS NULL OR a.action = $action)
    AND ($actor IS NULL OR a.actor = $actor)
  WITH a ORDER BY a.at DESC, a.id DESC SKIP $skip LIMIT $limit
  RETURN collect(a {.*}) AS entries
}
RETURN total, entries
