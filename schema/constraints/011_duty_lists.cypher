// 属地管理事项责任清单 (seed 002 四、三): a county's duty lists and their matters, keyed like every
// other node (loaders/duty_lists.py writes them; queries/duties.cypher reads them).
CREATE CONSTRAINT duty_list_id_unique IF NOT EXISTS
FOR (n:DutyList) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT duty_matter_id_unique IF NOT EXISTS
FOR (n:DutyMatter) REQUIRE n.id IS UNIQUE;
