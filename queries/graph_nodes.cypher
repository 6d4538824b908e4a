// graph_nodes: nodes by label and business key, many at once (按键查找节点)
// params:  $keys MAP (label name → LIST<STRING> of business keys; a label not asked about is empty)
// returns: label, key, node — one row per key that names a node (a key naming none has no row)
// rule:    every branch is one unique-index seek per key on the label's business key
//          (schema/constraints/001_unique_keys.cypher); a branch whose list is empty does nothing
UNWIND $keys.Region AS key MATCH (n:Region {code: key}) RETURN 'Region' AS label, key, n AS node
UNION ALL
UNWIND $keys.Street AS key MATCH (n:Street {code: key}) RETURN 'Street' AS label, key, n AS node
UNION ALL
UNWIND $keys.Zone AS key MATCH (n:Zone {id: key}) RETURN 'Zone' AS label, key, n AS node
UNION ALL
UNWIND $keys.Department AS key MATCH (n:Department {id: key})
RETURN 'Department' AS label, key, n AS node
UNION ALL
UNWIND $keys.Unit AS key MATCH (n:Unit {id: key}) RETURN 'Unit' AS label, key, n AS node
UNION ALL
UNWIND $keys.Category AS key MATCH (n:Category {id: key}) RETURN 'Category' AS label, key, n AS node
UNION ALL
UNWIND $keys.EnforcementItem AS key MATCH (n:EnforcementItem {code: key})
RETURN 'EnforcementItem' AS label, key, n AS node
UNION ALL
UNWIND $keys.LegalDocument AS key MATCH (n:LegalDocument {id: key})
RETURN 'LegalDocument' AS label, key, n AS node
UNION ALL
UNWIND $keys.Provision AS key MATCH (n:Provision {id: key})
RETURN 'Provision' AS label, key, n AS node
UNION ALL
UNWIND $keys.Catalog AS key MATCH (n:Catalog {id: key}) RETURN 'Catalog' AS label, key, n AS node
UNION ALL
UNWIND $keys.Delegation AS key MATCH (n:Delegation {id: key})
RETURN 'Delegation' AS label, key, n AS node
UNION ALL
UNWIND $keys.Officer AS key MATCH (n:Officer {id: key}) RETURN 'Officer' AS label, key, n AS node
UNION ALL
UNWIND $keys.Case AS key MATCH (n:Case {id: key}) RETURN 'Case' AS label, key, n AS node
UNION ALL
UNWIND $keys.Transfer AS key MATCH (n:Transfer {id: key}) RETURN 'Transfer' AS label, key, n AS node
UNION ALL
UNWIND $keys.Dispute AS key MATCH (n:Dispute {id: key}) RETURN 'Dispute' AS label, key, n AS node
UNION ALL
UNWIND $keys.Policy AS key MATCH (n:Policy {id: key}) RETURN 'Policy' AS label, key, n AS node
