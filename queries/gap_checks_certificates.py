"""Certificate checks (持证上岗): officers in post with an invalid certificate, uncovered items.

Both rest on 行政处罚法 Art. 42 (and Art. 24 for delegated items); a local policy
certified_officers_only, where one is in force, replaces the law as the first check's source.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries import gap_delegations
from queries.gap_answer import CoverageGap, Subject
from queries.gap_scope import Policy, Scope
from queries.gap_sources import law_source, policy_source
from queries.officer_text import officer
from schema.enums import DelegationMode

_KIND = {"Street": "街道", "Zone": "片区", "Unit": "执法队"}


def certificate_gaps(scope: Scope, policy: Policy | None) -> list[CoverageGap]:
    """持证上岗: officers still posted or assigned while their certificate is not valid (Art. 42)."""
    rows = scope.read(
        "certificates",
        streetCodes=scope.street_codes,
        zoneIds=scope.zone_ids,
        departmentRegions=[] if scope.zone_id else [scope.region_code],
    )
    source = policy_source(policy) if policy else law_source(scope, "42")
    gaps = []
    for row in rows:
        expired = row["certificateTo"] is not None and row["certificateTo"] < scope.as_of
        places = "、".join(p["name"] or p["key"] for p in row["places"])
        state = (
            f"已于{row['certificateTo']}到期" if expired else f"自{row['certificateFrom']}起才生效"
        )
        who = officer(row["officerName"], row["officerId"], personal=scope.personal)
        whom = row["officerName"] if scope.personal else "该执法人员"
        gaps.append(
            CoverageGap(
                rule="certified_officers_only" if policy else "certificate_invalid_in_post",
                description=policy.description
                if policy
                else "行政执法人员持证上岗: 执法证无效的人员不得在岗执法",
                source=source,
                subjects=[Subject(kind="人员", key=row["officerId"], name=row["officerName"])]
                + [
                    Subject(kind=_KIND[p["kind"]], key=p["key"], name=p["name"])
                    for p in row["places"]
                ],
                detail=f"{who}执法证{state}, 仍在{places}",
                fix=f"为{whom}办理执法证换发; 换证前不得安排其执法",
            )
        )
    return gaps


def uncovered_rows(scope: Scope) -> list[dict[str, Any]]:
    """Each item granted (赋权) to a street of the scope, in force, whose domain no certified
    officer of the street or its zone carries: one row per delegation and delegating department
    (by item, then street), with the catalogs in force that list it."""
    items = gap_delegations.items(scope)
    rows = []
    for h in gap_delegations.held(gap_delegations.streets(scope)):
        if h.delegation["mode"] != DelegationMode.GRANT:
            continue
        for code in h.delegation["items"]:
            item = items[code]
            if item["domain"] is not None and item["domain"] in h.street["domains"]:
                continue
            listed = sorted(
                (c for c in h.delegation["catalogs"] if c["inEffect"]),
                key=lambda c: (c["effective"], c["id"]),
            )
            for dep in h.departments or [{"key": None, "name": None}]:
                rows.append(
                    {
                        "itemCode": code,
                        "itemName": item["itemName"],
                        "itemType": item["itemType"],
                        "domain": item["domain"],
                        "departmentId": dep["key"],
                        "departmentName": dep["name"],
                        "streetCode": h.street["streetCode"],
                        "streetName": h.street["streetName"],
                        "catalogs": [
                            {
                                "id": c["id"],
                                "title": c["title"],
                                "doc_number": c["docNumber"],
                                "row": c["row"],
                            }
                            for c in listed
                        ],
                    }
                )
    return sorted(rows, key=lambda row: (row["itemCode"], row["streetCode"]))


def uncovered_items(scope: Scope) -> list[CoverageGap]:
    rows = uncovered_rows(scope)
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_item[row["itemCode"]].append(row)
    gaps = []
    for code, streets in by_item.items():
        item = streets[0]
        names = "、".join(s["streetName"] for s in streets)
        domain = item["domain"] or "(未注明)"
        catalogs = {f"{c['title']} 第{c['row']}行" for s in streets for c in s["catalogs"]}
        gaps.append(
            CoverageGap(
                rule="delegated_item_without_certified_officer",
                description="赋权事项须有持有效执法证、执法领域覆盖该事项的人员承接",
                source=law_source(scope, "24", "42"),
                subjects=[Subject(kind="事项", key=code, name=item["itemName"])]
                + (
                    [Subject(kind="部门", key=item["departmentId"], name=item["departmentName"])]
                    if item["departmentId"]
                    else []
                )
                + [
                    Subject(kind="街道", key=s["streetCode"], name=s["streetName"]) for s in streets
                ],
                measured=0,
                threshold=1,
                comparison="≥",
                detail=f"{code} (执法领域 {domain}) 已赋权{names}, 无执法领域含该领域的持证人员"
                f" (依据: {'; '.join(sorted(catalogs))})",
                fix=f"为{names}配备执法领域含“{domain}”的持证执法人员"
                + (f" (可由{item['departmentName']}挂钩联系)" if item["departmentName"] else "")
                + ", 或依法收回该事项",
            )
        )
    return gaps
