"""A region's joint-enforcement zones for publication (片区划分): zones, streets, coordinating squad."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, ConfigDict, Field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.zone_item_lists import ZoneItemList, region_item_lists

ZONE_DIVISION = cypher("zone_division")


class ZoneStreet(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    since: date | None = None  # IN_ZONE.valid_from


class ZoneSquad(BaseModel):
    """The unit that coordinates the zone (协调中队) and the brigade it belongs to."""

    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    brigades: list[str] = Field(default_factory=list)


class ZoneEntry(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    source_file: str | None = None
    streets: list[ZoneStreet]
    squads: list[ZoneSquad]


class ZoneDivision(Answer):
    """The zones of a region in force on a day, with what is not zoned."""

    region: str
    region_name: str | None = None
    as_of: date
    zones: list[ZoneEntry] = Field(default_factory=list)
    unzoned: list[ZoneStreet] = Field(default_factory=list)  # streets of the region in no zone
    # 片区联合执法基础事项清单 in force that day: every zone of the county enforces its approved items
    item_lists: list[ZoneItemList] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        division = Sheet(
            title="片区划分",
            columns=[
                "片区",
                "片区编号",
                "所辖街道",
                "街道数",
                "协调中队",
                "所属大队",
                "划定日期",
                "来源",
            ],
            rows=[
                [
                    zone.name,
                    zone.id,
                    "、".join(street.name for street in zone.streets),
                    len(zone.streets),
                    "、".join(squad.name for squad in zone.squads) or "(未记录)",
                    "、".join(b for squad in zone.squads for b in squad.brigades) or None,
                    zone.valid_from,
                    zone.source_file,
                ]
                for zone in self.zones
            ],
        )
        sheets = [division]
        if self.item_lists:
            sheets.append(self._item_list_sheet())
        if self.unzoned or self.unknown:
            sheets.append(
                Sheet(
                    title="未划入片区",
                    columns=["街道代码", "街道", "说明"],
                    rows=[[s.code, s.name, f"{self.as_of}不属于任何片区"] for s in self.unzoned]
                    + [[None, None, text] for text in self.unknown],
                )
            )
        return sheets

    def _item_list_sheet(self) -> Sheet:
        """Each zone list's items: in force once approved (审查同意后方可纳入), with the lead."""
        return Sheet(
            title="片区联合执法基础事项清单",
            columns=["清单", "事项编码", "事项名称", "牵头部门", "提请部门", "审查同意", "状态"],
            rows=[
                [
                    listed.title or listed.catalog_id,
                    item.code,
                    item.name,
                    item.lead_name or item.lead,
                    item.proposed_by_name or item.proposed_by,
                    f"{item.approved_by_name or item.approved_by} {item.approved_on}"
                    if item.approved_by
                    else None,
                    "在用" if item.in_force else "已提请, 未经审查同意",
                ]
                for listed in self.item_lists
                for item in listed.items
            ],
        )


@unit_of_work(metadata={"query": "zone_division"})
def zone_division(tx: ManagedTransaction, *, region: str, as_of: date) -> ZoneDivision:
    """Zones of `region` (code or exact name) on `as_of`, each with its streets and squad."""
    record = tx.run(ZONE_DIVISION, region=region, asOf=as_of).single()
    if record is None:
        return ZoneDivision(region=region, as_of=as_of, unknown=[f"地区 {region} 不在登记簿中"])
    found = record_natives(record)
    zones = [ZoneEntry.model_validate(zone) for zone in found["zones"]]
    return ZoneDivision(
        region=found["region"]["code"],
        region_name=found["region"]["name"],
        as_of=as_of,
        zones=zones,
        unzoned=[ZoneStreet.model_validate(street) for street in found["unzoned"]],
        item_lists=region_item_lists(tx, found["region"]["code"], as_of),
        unknown=[] if zones else [f"{found['region']['name']}于{as_of}未划定片区"],
    )
