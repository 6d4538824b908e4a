"""Each zone's joint-enforcement officers for publication (片区联合执法人员名单), with certificates."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, ConfigDict, Field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.department_of_day import departments_of_day

ZONE_OFFICERS = cypher("zone_officers")
COLUMNS = [
    "序号",
    "姓名",
    "执法证号",
    "所在单位",
    "所属部门",
    "角色",
    "执法领域",
    "证件有效期起",
    "证件有效期止",
    "当日持证有效",
    "下沉方式",
    "挂钩对象",
]


class RosterEntry(BaseModel):
    """One officer's posting to a zone (or to a street of it) on the day."""

    model_config = ConfigDict(frozen=True)
    certificate: str = Field(json_schema_extra={"personal": True})  # 执法证号 (Officer.id)
    name: str = Field(json_schema_extra={"personal": True})
    units: list[str]
    department: str | None  # the department named on the posting, else the unit's department
    roles: list[str]
    domains: list[str]
    valid_from: date | None = None  # certificate validity
    valid_to: date | None = None
    certified: bool | None  # valid on as_of (valid_to inclusive); None: validity not recorded
    mode: str | None = None  # 挂钩 / 常驻 / 下沉
    place: str  # the zone, or the street of the zone the posting names


class ZoneRoster(BaseModel):
    model_config = ConfigDict(frozen=True)
    zone_id: str
    zone_name: str
    officers: list[RosterEntry]


class ZoneOfficers(Answer):
    """Per zone of a region, the officers posted there on a day; one sheet per zone."""

    region: str
    region_name: str | None = None
    as_of: date
    zones: list[ZoneRoster] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        return [
            Sheet(
                title=f"{roster.zone_name}联合执法人员名单",
                columns=COLUMNS,
                rows=[_row(n, entry) for n, entry in enumerate(roster.officers, 1)],
            )
            for roster in self.zones
        ]


@unit_of_work(metadata={"query": "zone_officers"})
def zone_officers(tx: ManagedTransaction, *, region: str, as_of: date) -> ZoneOfficers:
    """Officers posted to each zone of `region` (code or exact name) on `as_of`."""
    records = [
        record_natives(record) for record in tx.run(ZONE_OFFICERS, region=region, asOf=as_of)
    ]
    if not records:
        return ZoneOfficers(
            region=region, as_of=as_of, unknown=[f"{region}于{as_of}无片区(或不在登记簿中)"]
        )
    # 机构改革: each department as on as_of (the successor from a merger day): one read for all.
    ids = [
        d["id"]
        for found in records
        for officer in found["officers"]
        for d in officer["postingDepartment"] + officer["unitDepartments"]
    ]
    sheet = departments_of_day(tx, ids, as_of)
    zones = [
        ZoneRoster(
            zone_id=found["zone"]["id"],
            zone_name=found["zone"]["name"],
            officers=[_entry(sheet.apply(officer), as_of) for officer in found["officers"]],
        )
        for found in records
    ]
    empty = [
        f"{roster.zone_name}于{as_of}无挂钩/常驻/下沉人员"
        for roster in zones
        if not roster.officers
    ]
    first = records[0]["region"]
    return ZoneOfficers(
        region=first["code"], region_name=first["name"], as_of=as_of, zones=zones, unknown=empty
    )


def _entry(officer: dict, as_of: date) -> RosterEntry:
    start, end = officer["valid_from"], officer["valid_to"]
    departments = [d["name"] for d in officer["postingDepartment"] or officer["unitDepartments"]]
    departments = list(dict.fromkeys(departments))  # a merged department and its successor: once
    return RosterEntry(
        certificate=officer["id"],
        name=officer["name"],
        units=officer["units"],
        department="、".join(departments) or None,
        roles=officer["roles"] or [],
        domains=officer["domains"] or [],
        valid_from=start,
        valid_to=end,
        certified=_certified(start, end, as_of),
        mode=officer["mode"],
        place=officer["place"],
    )


def _certified(start: date | None, end: date | None, as_of: date) -> bool | None:
    if start is None and end is None:
        return None
    return (start is None or start <= as_of) and (end is None or as_of <= end)


def _row(number: int, entry: RosterEntry) -> list:
    return [
        number,
        entry.name,
        entry.certificate,
        "、".join(entry.units),
        entry.department,
        "、".join(entry.roles),
        "、".join(entry.domains),
        entry.valid_from,
        entry.valid_to,
        {True: "是", False: "否", None: "未记录"}[entry.certified],
        entry.mode,
        entry.place,
    ]
