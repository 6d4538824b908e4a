// overdue_transfers_handling: every 办理层级 the catalogs give the transferred items, with the catalog's date
// params:  $itemCodes LIST<STRING>
// returns: itemCode, handling, row, catalogId, title, docNumber, sourceFile, effective
// rule:    seed 002 二、二 推动县乡衔接: 专业性技术性强 … 移交县级部门专业执法队伍处置 (loaders/handling_words.yaml);
//          queries/handling.py picks, per transfer, the newest catalog effective on the day it was sent
UNWIND $itemCodes AS code
MATCH (c:Catalog)-[l:LISTS]->(:EnforcementItem {code: code})
WHERE l.handling IS NOT NULL
RETURN code AS itemCode, l.handling AS handling, l.row AS row, c.id AS catalogId, c.title AS title,
       c.doc_number AS docNumber, c.source_file AS sourceFile, c.effective AS effective
ORDER BY itemCode, effective, catalogId
