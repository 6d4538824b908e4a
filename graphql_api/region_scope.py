"""Region-limited keys (按地区限定的密钥, issue 17.7): an editor's or reviewer's key with `regions`
writes only in those regions — a county and its streets, units, officers and cases; a city and its
counties. Reads are unchanged. Every mutation names what it writes (`within_regions`) before it
writes; a target outside the key's regions is refused with FORBIDDEN and a sentence naming the
region. A key without regions writes everywhere its role allows.
"""

from __future__ import annotations

from typing import Any

from graphql_api.auth import Caller
from graphql_api.errors import Forbidden
from queries.write_regions import WriteTarget, write_regions

_LABELS = {
    "Street": "街道",
    "Zone": "片区",
    "Department": "部门",
    "Unit": "单位",
    "Officer": "执法人员",
    "Case": "案件",
    "Dispute": "争议",
}


async def within_regions(info: Any, *, region: str | None = None, **targets: Any) -> None:
    """Refuse the write (FORBIDDEN) unless every named target lies in the caller's regions.

    `targets`: streets=[…], cases=[…], … as queries.write_regions takes them (None entries are
    dropped); `region`: a region code the write names itself (a catalog upload's county)."""
    caller: Caller | None = info.context.caller
    if caller is None or not caller.regions:
        return
    named = {kind: [k for k in keys if k] for kind, keys in targets.items() if keys}
    found = await info.context.read(write_regions, **named) if named else []
    problem = refusal(caller, found, region=region)
    if problem:
        raise Forbidden(problem)


def refusal(caller: Caller, found: list[WriteTarget], *, region: str | None = None) -> str | None:
    """Why the caller may not write these targets (a sentence naming the region), or None."""
    allowed = "、".join(caller.regions)
    if region is not None and region not in caller.regions:
        return (
            f"您的密钥只能写入地区 {allowed}; 本次写入的地区 {region} 不在其内 "
            f"(your key may write only in {allowed}, not in {region})"
        )
    for target in found:
        codes = [r.code for r in target.regions]
        if set(codes) & set(caller.regions):
            continue
        where = target.regions[0] if target.regions else None
        place = f"{where.name or where.code} ({where.code})" if where else "未知地区"
        what = _LABELS.get(target.label, target.label)
        return (
            f"您的密钥只能写入地区 {allowed}; {what} {target.key} 位于{place}, 不在其内 "
            f"(your key may write only in {allowed}; {target.label} {target.key} lies in "
            f"{where.code if where else 'no known region'})"
        )
    return None
