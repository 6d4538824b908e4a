// authority_handling: the 办理层级 a catalog row gives an item (town team or county professional team)
// params:  $catalogId STRING, $itemCode STRING
// returns: handling, row, catalogId, title, docNumber, sourceFile
// rule:    seed 002 二、二 推动县乡衔接: 专业性技术性强 … 移交县级部门专业执法队伍处置 (loaders/handling_words.yaml);
//          the tier is on the LISTS row of the catalog that authorised the delegation applied
MATCH (c:Catalog {id: $catalogId})-[l:LISTS]->(:EnforcementItem {code: $itemCode})
WHERE l.handling IS NOT NULL
RETURN l.handling AS handling, l.row AS row, c.id AS catalogId, c.title AS title,
       c.doc_number AS docNumber, c.source_file AS sourceFile
