"""A county's zone joint-enforcement item lists on a day (片区联合执法基础事项清单): each item with its
lead department (牵头部门), who proposed it (提请) and its approval (审查同意), seed 000 四(二)."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field

from queries.answers import record_natives
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet, departments_of_day
from queries.graph import BatchRead, Dated
from schema.enums import CatalogKind

REGION_LISTS = cypher("coverage_gaps_zone_lists")  # the same read the approval check makes


class ZoneListItem(BaseModel):
    """One item of a zone list: its lead department and where it stands (提请 → 审查同意)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)
    code: str = Field(description="事项编码")
    name: str | None = Field(None, description="事项名称")
    lead: str | None = Field(None, description="牵头部门 id (主管部门牵头并对结果负责)")
    lead_name: str | None = Field(None, alias="leadName", description="牵头部门")
    proposed_by: str | None = Field(None, alias="proposedBy", description="提请部门 id")
    proposed_by_name: str | None = Field(None, alias="proposedByName", description="提请部门")
    proposed_on: date | None = Field(None, alias="proposedOn", description="提请日期")
    approved_by: str | None = Field(None, alias="approvedBy", description="审查同意部门 id")
    approved_by_name: str | None = Field(None, alias="approvedByName", description="审查同意部门")
    approved_on: date | None = Field(None, alias="approvedOn", description="审查同意日期")
    approval: str | None = Field(
        None, description="How the approval was recorded: metadata (清单元数据) or an audit id"
    )
    in_force: bool = Field(
        False,
        alias="inForce",
        description="Approved by the day asked (在用); else proposed only, not enforced jointly",
    )


class ZoneItemList(BaseModel):
    """A zone list in force: its items approved by the day (在用) and those only proposed."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)
    catalog_id: str = Field(alias="catalogId", description="清单编号 (series@effective)")
    title: str | None = Field(None, description="清单名称")
    issuer: str | None = Field(None, description="发布机关")
    doc_number: str | None = Field(None, alias="docNumber", description="文号")
    effective: date | None = Field(None, description="施行日期")
    published: date | None = Field(None, description="公布日期")
    items: list[ZoneListItem] = Field(default_factory=list, description="清单所列事项")


class _ListsOfDay(BatchRead[Dated, list[ZoneItemList]]):
    """zone_item_lists.cypher, each item's lead department then made the one standing for it on
    the key's day (机构改革): one department_of_day read per day asked."""

    def __call__(
        self, tx: ManagedTransaction, *, keys: list[Dated]
    ) -> dict[Dated, list[ZoneItemList]]:
        found = super().__call__(tx, keys=keys)
        for day in {key.as_of for key in keys}:
            asked = [key for key in keys if key.as_of == day]
            leads = [i.lead for key in asked for lst in found[key] for i in lst.items]
            sheet = departments_of_day(tx, leads, day)
            for key in asked if sheet.found else []:
                found[key] = [_led_as_of(sheet, lst) for lst in found[key]]
        return found


def _led_as_of(sheet: DaySheet, listed: ZoneItemList) -> ZoneItemList:
    items = [
        i.model_copy(update={"lead": day.id, "lead_name": day.name})
        if (day := sheet.of(i.lead))
        else i
        for i in listed.items
    ]
    return listed.model_copy(update={"items": items})


# Per zone (GraphQL `Zone.itemLists`): its county's lists on the day.
zone_item_lists = _ListsOfDay("zone_item_lists", list[ZoneItemList])


def region_item_lists(tx: ManagedTransaction, region_code: str, as_of: date) -> list[ZoneItemList]:
    """The zone lists of a county in force on `as_of` (for the zone division's answer)."""
    rows = tx.run(
        REGION_LISTS, regionCodes=[region_code], asOf=as_of, zoneList=CatalogKind.ZONE_LIST.value
    )
    found = [record_natives(row) for row in rows]
    # 机构改革: the lead department (牵头部门) as on as_of, its successor from a merger day: one
    # read for every list's items. Who proposed and approved an item is kept as recorded (an act
    # of its day).
    leads = [i["lead"] for row in found for i in row["items"]]
    sheet = departments_of_day(tx, leads, as_of)
    for row in found:
        row["items"] = sheet.apply(row["items"], "lead", "leadName")
    return [ZoneItemList.model_validate(row) for row in found]
