"""Catalog and legal-basis checks (目录与依据): catalog items a street lacks, unfounded items.

Rules: street_holds_no_catalog_item, catalog_item_not_delegated and zone_item_sets_differ
(行政处罚法 Art. 24); item_without_legal_basis and item_on_repealed_law (Art. 4 and 38).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from queries import gap_delegations
from queries.gap_answer import CoverageGap, Subject
from queries.gap_scope import Scope
from queries.gap_sources import law_source


def catalog_gaps(scope: Scope) -> list[CoverageGap]:
    # A row per catalog in force and street of its region, sharing the catalog's list.
    rows = [{**catalog, **street} for catalog, street in _catalog_streets(scope)]
    gaps = []
    by_catalog_zone: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if not row["held"] and row["listed"]:
            gaps.append(_holds_none(scope, row))
        if row["zoneId"]:
            by_catalog_zone[(row["catalogId"], row["zoneId"])].append(row)
    for streets in by_catalog_zone.values():
        held_somewhere = {code for s in streets for code in s["held"]}
        for street in streets:
            held = set(street["held"])
            for item in street["listed"]:
                if item["code"] in held_somewhere and item["code"] not in held:
                    holders = [s["streetName"] for s in streets if item["code"] in s["held"]]
                    gaps.append(_not_delegated(scope, street, item, holders))
    return gaps


def _catalog_streets(scope: Scope) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each catalog in force of the scope's regions (by region, then id) with each street of the
    scope in that region (by code) and the codes it lists that the street holds on the date."""
    by_region: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for street in gap_delegations.streets(scope):
        by_region[street["regionCode"]].append(street)
    for region in gap_delegations.region_catalogs(scope):
        streets = by_region.get(region["regionCode"], [])
        in_force = [
            {code for h in gap_delegations.held([street]) for code in h.delegation["items"]}
            for street in streets
        ]
        for catalog in (c for c in region["catalogs"] if c["inForce"]):
            codes = list(dict.fromkeys(item["code"] for item in catalog["listed"]))
            row = {
                "regionCode": region["regionCode"],
                "catalogId": catalog["id"],
                "catalogTitle": catalog["title"],
                "docNumber": catalog["docNumber"],
                "catalogKind": catalog["kind"],
                "effective": catalog["effective"],
                "listed": catalog["listed"],
            }
            for street, holds in zip(streets, in_force, strict=True):
                zone = street["zones"][0] if street["zones"] else {"id": None, "name": None}
                yield (
                    row,
                    {
                        "streetCode": street["streetCode"],
                        "streetName": street["streetName"],
                        "zoneId": zone["id"],
                        "zoneName": zone["name"],
                        "held": [code for code in codes if code in holds],
                    },
                )


def _catalog_subject(row: dict[str, Any]) -> Subject:
    return Subject(kind="目录", key=row["catalogId"], name=row["catalogTitle"])


def _catalog_name(row: dict[str, Any]) -> str:
    number = f" ({row['docNumber']})" if row["docNumber"] else ""
    return f"《{row['catalogTitle']}》{number}"


def _holds_none(scope: Scope, row: dict[str, Any]) -> CoverageGap:
    return CoverageGap(
        rule="street_holds_no_catalog_item",
        description="目录在本区生效, 但街道未承接其中任何事项",
        source=law_source(scope, "24"),
        subjects=[
            Subject(kind="街道", key=row["streetCode"], name=row["streetName"]),
            _catalog_subject(row),
        ],
        measured=0,
        threshold=len(row["listed"]),
        comparison="≥",
        detail=f"{_catalog_name(row)}列 {len(row['listed'])} 项, {row['streetName']}承接 0 项"
        " (无赋权记录或赋权确认书)",
        fix=f"核实{row['streetName']}是否承接{_catalog_name(row)}所列事项: 如已确认, 补录赋权确认书; 如不承接, 予以说明",
    )


def _not_delegated(
    scope: Scope, street: dict[str, Any], item: dict[str, Any], holders: list[str]
) -> CoverageGap:
    return CoverageGap(
        rule="catalog_item_not_delegated",
        description="生效目录所列事项未赋权给本街道, 而同一片区其他街道已承接",
        source=law_source(scope, "24"),
        subjects=[
            Subject(kind="街道", key=street["streetCode"], name=street["streetName"]),
            Subject(kind="事项", key=item["code"], name=item["name"]),
            Subject(kind="片区", key=street["zoneId"], name=street["zoneName"]),
            _catalog_subject(street),
        ],
        measured=0,
        threshold=1,
        comparison="≥",
        detail=f"{item['code']} 列于{_catalog_name(street)}第{item['row']}行, "
        f"{'、'.join(holders)}承接, {street['streetName']}未承接",
        fix=f"核实{street['streetName']}是否应承接{item['code']}: 如应承接, 补办赋权; 如已收回, 公布收回文件并在片区内说明差异",
    )


def basis_gaps(scope: Scope) -> list[CoverageGap]:
    gaps = []
    for row in _unfounded(scope):
        none = not row["basis"]
        titles = "、".join(sorted({f"《{b['title']}》" for b in row["basis"]}))
        streets = "、".join(s["name"] for s in row["streets"])
        gaps.append(
            CoverageGap(
                rule="item_without_legal_basis" if none else "item_on_repealed_law",
                description="事项须有可识别的法定依据" if none else "事项的依据均已废止",
                source=law_source(scope, "4", "38"),
                subjects=[Subject(kind="事项", key=row["itemCode"], name=row["itemName"])]
                + (
                    [Subject(kind="部门", key=row["departmentId"], name=row["departmentName"])]
                    if row["departmentId"]
                    else []
                )
                + [Subject(kind="街道", key=s["code"], name=s["name"]) for s in row["streets"]],
                detail=(
                    f"实施依据「{row['basisRaw']}」无法识别出具体法律条款"
                    if none
                    else f"依据{titles}均已废止"
                )
                + f"; 该事项在{streets}生效",
                fix=(
                    f"核实{row['itemCode']}的实施依据, 在目录中补充具体法律条款"
                    if none
                    else f"核实{row['itemCode']}的现行依据, 更新目录或收回该事项"
                ),
            )
        )
    return gaps


def _unfounded(scope: Scope) -> list[dict[str, Any]]:
    """Items in force in the scope's streets with no parsed basis or only repealed law (by code),
    one row per department holding it, each with the streets holding it (by code)."""
    items = gap_delegations.items(scope)
    holders: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for street in sorted(gap_delegations.streets(scope), key=lambda s: s["streetCode"]):
        for h in gap_delegations.held([street]):
            for code in h.delegation["items"]:
                holders[code][street["streetCode"]] = {
                    "code": street["streetCode"],
                    "name": street["streetName"],
                }
    rows = []
    for code in sorted(holders):
        item = items[code]
        if not item["unfounded"]:
            continue
        for dep in item["departments"] or [{"id": None, "name": None}]:
            rows.append(
                {
                    **item,
                    "departmentId": dep["id"],
                    "departmentName": dep["name"],
                    "streets": list(holders[code].values()),
                }
            )
    return rows


def _item_sets(scope: Scope) -> Iterator[dict[str, Any]]:
    """Per zone of the scope and department delegating to its streets (by id): the items any
    street of the zone holds of it (by code, once) and each street (by code) with its codes."""
    items = gap_delegations.items(scope)
    for zone in scope.zones:
        streets = sorted(
            gap_delegations.zone_streets(scope, zone["id"]), key=lambda s: s["streetCode"]
        )
        held: dict[str, dict[str, Any]] = {}  # department id → name and codes per street
        for h in gap_delegations.held(streets):
            for dep in h.departments:
                group = held.setdefault(dep["key"], {"name": dep["name"], "streets": {}})
                group["streets"].setdefault(h.street["streetCode"], set()).update(
                    h.delegation["items"]
                )
        for dep_id, group in sorted(held.items()):
            mine = {
                s["streetCode"]: sorted(group["streets"].get(s["streetCode"], ())) for s in streets
            }
            codes = sorted({code for held_codes in mine.values() for code in held_codes})
            yield {
                "zoneId": zone["id"],
                "zoneName": zone["name"],
                "departmentId": dep_id,
                "departmentName": group["name"],
                "items": [{"code": code, "name": items[code]["itemName"]} for code in codes],
                "streets": [
                    {
                        "streetCode": s["streetCode"],
                        "streetName": s["streetName"],
                        "items": mine[s["streetCode"]],
                    }
                    for s in streets
                ],
            }


def item_set_gaps(scope: Scope) -> list[CoverageGap]:
    gaps = []
    # A row per zone and department: its items' names once, each street with the codes it holds.
    for group in _item_sets(scope):
        names = {i["code"]: i["name"] for i in group["items"]}
        streets = [{**group, **street} for street in group["streets"]]
        for street in streets:
            missing = sorted(set(names) - set(street["items"]))
            if missing:
                gaps.append(_item_set_gap(scope, street, streets, missing, names))
    return gaps


def _item_set_gap(
    scope: Scope, street: dict, streets: list[dict], missing: list[str], names: dict
) -> CoverageGap:
    holders = {code: [s["streetName"] for s in streets if code in s["items"]] for code in missing}
    return CoverageGap(
        rule="zone_item_sets_differ",
        description="同一片区各街道承接同一部门的事项应一致",
        source=law_source(scope, "24"),
        subjects=[
            Subject(kind="片区", key=street["zoneId"], name=street["zoneName"]),
            Subject(kind="部门", key=street["departmentId"], name=street["departmentName"]),
            Subject(kind="街道", key=street["streetCode"], name=street["streetName"]),
        ]
        + [Subject(kind="事项", key=code, name=names[code]) for code in missing],
        measured=len(street["items"]),
        threshold=len(names),
        comparison="=",
        detail="; ".join(
            f"{street['streetName']}缺少{code} ({'、'.join(holders[code])}已承接)"
            for code in missing
        ),
        fix=f"统一{street['zoneName']}内各街道承接{street['departmentName']}的事项: "
        f"{street['streetName']}补办{'、'.join(missing)}的赋权, 或说明差异",
    )
