// Guide items (指导事项, issue 17.6): one node per row of a province's guide list (省级指导目录),
// keyed by the list version's id and the row; the uptake question reads a province's guide items
// by their region, so that is indexed too.
CREATE CONSTRAINT guide_item_id_unique IF NOT EXISTS
FOR (n:GuideItem) REQUIRE n.id IS UNIQUE;
CREATE INDEX guide_item_region IF NOT EXISTS
FOR (n:GuideItem) ON (n.region);
