"""Coverage gaps (覆盖缺口): where a county or zone falls short of its staffing rules and catalogs on a date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from authreg.errors import RegistryError
from queries.answers import Answer, Sheet, natives
from queries.cypher_files import cypher
from schema.enums import (
    CatalogKind,
    DelegationMode,
    DocumentStatus,
    ItemType,
    OfficerRole,
    PostingMode,
    UnitKind,
)

SCOPE = cypher("coverage_gaps_scope")
READS = {
    name: cypher(f"coverage_gaps_{name}")
    for name in (
        "policies",
        "zones",
        "streets",
        "uncovered_items",
        "certificates",
        "catalogs",
        "legal_basis",
        "item_sets",
        "law_texts",
    )
}
PUNISHMENT_LAW = "《中华人民共和国行政处罚法》"
# The articles the built-in checks rest on (provision ids as loaders.citations writes them).
ARTICLES = {
    "4": "行政处罚法#4",
    "24": "行政处罚法#24",
    "38": "行政处罚法#38",
    "42": "行政处罚法#42",
}
ARTICLE_NAMES = {"4": "第四条", "24": "第二十四条", "38": "第三十八条", "42": "第四十二条"}


class CoverageScopeError(RegistryError):
    """A coverage question asked of no scope, of two, or of a name no region or zone carries."""


class Subject(BaseModel):
    """Who or what a gap is about: 片区, 街道, 部门, 人员, 事项, 执法队, 目录."""

    kind: str
    # an officer (人员) is named by certificate number and name: personal data
    key: str = Field(json_schema_extra={"personal_when": {"kind": "人员"}})
    name: str | None = Field(default=None, json_schema_extra={"personal_when": {"kind": "人员"}})


class GapSource(BaseModel):
    """Where the rule comes from: a local policy (id, document, quote) or a law's articles."""

    policy_id: str | None = None
    document: str
    quote: str | None = None  # None: the text is not loaded in the registry
    provision_ids: list[str] = []


class CoverageGap(BaseModel):
    """One gap (缺口): the rule, its source, what it concerns, measured value, detail and fix."""

    rule: str
    description: str
    source: GapSource
    subjects: list[Subject]
    measured: float | None = None
    threshold: float | None = None
    comparison: str | None = None  # how measured must relate to threshold: ≥ or ≤
    detail: str
    fix: str  # 整改建议


class PolicyCheck(BaseModel):
    """A local policy in force for the scope, and whether this question evaluates it."""

    id: str
    rule: str
    description: str
    source_document: str
    source_quote: str | None
    threshold: float | None
    value: str | None
    applies_to: list[str]
    evaluated: bool
    note: str
    gaps: int


class CoverageGaps(Answer):
    """A county's or zone's gaps on a day (覆盖缺口), the local policies and what is unknown."""

    region_code: str
    region_name: str | None
    zone_id: str | None
    zone_name: str | None
    as_of: date
    streets: list[Subject]
    gaps: list[CoverageGap]
    policies: list[PolicyCheck]
    unknowns: list[str]

    def sheets(self) -> list[Sheet]:
        scope = self.zone_name or self.region_name or self.region_code
        gap_rows = [
            [
                gap.rule,
                gap.description,
                _source_text(gap.source),
                gap.source.quote,
                "; ".join(f"{s.kind} {s.name or s.key} ({s.key})" for s in gap.subjects),
                _num(gap.measured),
                f"{gap.comparison} {_num(gap.threshold)}" if gap.threshold is not None else None,
                gap.detail,
                gap.fix,
            ]
            for gap in self.gaps
        ]
        policy_rows = [
            [
                p.id,
                p.rule,
                p.description,
                p.source_document,
                _num(p.threshold) or p.value,
                "、".join(p.applies_to),
                "是" if p.evaluated else "否",
                p.note,
                p.gaps,
            ]
            for p in self.policies
        ]
        return [
            Sheet(
                title=f"覆盖缺口 {scope} {self.as_of.isoformat()}",
                columns=[
                    "规则",
                    "规则说明",
                    "依据",
                    "原文",
                    "对象",
                    "实测",
                    "标准",
                    "说明",
                    "整改建议",
                ],
                rows=gap_rows,
            ),
            Sheet(
                title="适用的地方规则",
                columns=[
                    "规则编号",
                    "规则",
                    "说明",
                    "来源文件",
                    "阈值/取值",
                    "适用范围",
                    "已检查",
                    "备注",
                    "缺口数",
                ],
                rows=policy_rows,
            ),
            Sheet(title="未知事项", columns=["说明"], rows=[[u] for u in self.unknowns]),
        ]


@unit_of_work(metadata={"query": "coverage_gaps"})
def coverage_gaps(
    tx: ManagedTransaction, *, region: str | None = None, zone: str | None = None, as_of: date
) -> CoverageGaps:
    """Every gap of a county (region code or exact name) or one zone (id or exact name) on as_of."""
    scope = _resolve_scope(tx, region, zone, as_of)
    policies = _policies(scope)
    checks: list[PolicyCheck] = []
    gaps: list[CoverageGap] = []
    for policy in policies:
        found, check = _evaluate(scope, policy)
        gaps += found
        checks.append(check)
    if not any(p.rule == "certified_officers_only" for p in policies):
        gaps += _certificates(scope, None)
    for builtin in BUILTIN_CHECKS:
        gaps += builtin(scope)
    return CoverageGaps(
        region_code=scope.region_code,
        region_name=scope.region_name,
        zone_id=scope.zone_id,
        zone_name=scope.zone_name,
        as_of=as_of,
        streets=[Subject(kind="街道", key=s["code"], name=s["name"]) for s in scope.streets],
        gaps=sorted(gaps, key=_gap_order),
        policies=checks,
        unknowns=sorted(set(scope.unknowns)),
    )


# -- scope and reads --------------------------------------------------------------------------


@dataclass
class _Policy:
    id: str
    rule: str
    threshold: float | None
    value: str | None
    description: str
    source_document: str
    source_quote: str | None
    targets: list[tuple[str, str, str | None]]  # (label, key, name)


@dataclass
class _Scope:
    tx: ManagedTransaction
    as_of: date
    region_code: str
    region_name: str | None
    zone_id: str | None
    zone_name: str | None
    zones: list[dict[str, Any]]
    streets: list[dict[str, Any]]
    unknowns: list[str] = field(default_factory=list)
    _cache: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def street_codes(self) -> list[str]:
        return [s["code"] for s in self.streets]

    @property
    def zone_ids(self) -> list[str]:
        return [z["id"] for z in self.zones]

    def zone_of(self, street_code: str) -> str | None:
        return next((s["zoneId"] for s in self.streets if s["code"] == street_code), None)

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """One of the coverage_gaps_*.cypher reads, run once per question (same params each time)."""
        if name not in self._cache:
            rows = self.tx.run(READS[name], asOf=self.as_of, **params)
            self._cache[name] = [natives(record.data()) for record in rows]
        return self._cache[name]


def _resolve_scope(
    tx: ManagedTransaction, region: str | None, zone: str | None, as_of: date
) -> _Scope:
    if (region is None) == (zone is None):
        raise CoverageScopeError("coverage gaps need exactly one scope: a region or a zone")
    rows = [natives(r.data()) for r in tx.run(SCOPE, region=region, zone=zone, asOf=as_of)]
    asked = region or zone
    if not rows:
        raise CoverageScopeError(
            f"no {'region' if region else 'zone'} has the code or name {asked!r}"
        )
    exact = [r for r in rows if asked in (r["regionCode"], r["zoneId"])]
    if len(rows) > 1 and len(exact) != 1:
        keys = ", ".join(r["zoneId"] or r["regionCode"] for r in rows)
        raise CoverageScopeError(f"the name {asked!r} is ambiguous ({keys}); give the code instead")
    row = exact[0] if len(rows) > 1 else rows[0]
    return _Scope(
        tx=tx,
        as_of=as_of,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        zone_id=row["zoneId"],
        zone_name=row["zoneName"],
        zones=row["zones"],
        streets=row["streets"],
    )


def _policies(scope: _Scope) -> list[_Policy]:
    rows = scope.read(
        "policies",
        regionCode=scope.region_code,
        zoneIds=scope.zone_ids,
        streetCodes=scope.street_codes,
    )
    policies: dict[str, _Policy] = {}
    for row in rows:
        policy = policies.setdefault(
            row["id"],
            _Policy(
                id=row["id"],
                rule=row["rule"],
                threshold=row["threshold"],
                value=row["value"],
                description=row["description"],
                source_document=row["sourceDocument"] or row["documentTitle"] or "",
                source_quote=row["sourceQuote"],
                targets=[],
            ),
        )
        policy.targets.append((row["targetKind"], row["targetKey"], row["targetName"]))
    return list(policies.values())


def _evaluate(scope: _Scope, policy: _Policy) -> tuple[list[CoverageGap], PolicyCheck]:
    check = POLICY_CHECKS.get(policy.rule)
    needs_threshold = policy.rule in THRESHOLD_RULES
    if check is None:
        found, evaluated, note = (
            [],
            False,
            "非覆盖规则,本查询不检查 (not a coverage rule / not evaluated)",
        )
    elif needs_threshold and policy.threshold is None:
        found, evaluated, note = [], False, "规则缺少阈值,无法检查"
        scope.unknowns.append(f"{policy.id}: 规则 {policy.rule} 未给出阈值 (threshold), 未检查")
    else:
        found, evaluated, note = check(scope, policy), True, "已检查"
    return found, PolicyCheck(
        id=policy.id,
        rule=policy.rule,
        description=policy.description,
        source_document=policy.source_document,
        source_quote=policy.source_quote,
        threshold=policy.threshold,
        value=policy.value,
        applies_to=[name or key for _, key, name in policy.targets],
        evaluated=evaluated,
        note=note,
        gaps=len(found),
    )


def _applies(
    scope: _Scope, policy: _Policy, *, zone: str | None = None, street: str | None = None
) -> bool:
    """Whether a policy's target (region, zone or street) covers this zone or street."""
    zone = zone or (scope.zone_of(street) if street else None)
    zone_streets = {s["code"] for s in scope.streets if zone and s["zoneId"] == zone}
    for kind, key, _ in policy.targets:
        if kind == "Region" or (kind == "Zone" and key == zone):
            return True
        if kind == "Street" and (key == street or (street is None and key in zone_streets)):
            return True
    return False


def _policy_source(policy: _Policy) -> GapSource:
    return GapSource(
        policy_id=policy.id, document=policy.source_document, quote=policy.source_quote
    )


def _law_source(scope: _Scope, *articles: str) -> GapSource:
    ids = [ARTICLES[a] for a in articles]
    texts = {
        r["provisionId"]: r["text"]
        for r in scope.read("law_texts", provisionIds=list(ARTICLES.values()))
    }
    for article, provision_id in zip(articles, ids, strict=True):
        if texts.get(provision_id) is None:
            scope.unknowns.append(
                f"{PUNISHMENT_LAW}{ARTICLE_NAMES[article]}: 条文未载入, 依据只列条号"
            )
    quotes = [texts[p] for p in ids if texts.get(p)]
    return GapSource(
        document=PUNISHMENT_LAW + "、".join(ARTICLE_NAMES[a] for a in articles),
        quote="\n".join(quotes) or None,
        provision_ids=ids,
    )


# -- policy checks: zones (seed 000) ------------------------------------------------------------


def _zones(scope: _Scope) -> list[dict[str, Any]]:
    return scope.read(
        "zones", zoneIds=scope.zone_ids, grant=DelegationMode.GRANT, penalty=ItemType.PENALTY
    )


def _zone_reviewers(scope: _Scope, policy: _Policy) -> list[CoverageGap]:
    gaps = []
    for zone in _zones(scope):
        if not _applies(scope, policy, zone=zone["zoneId"]):
            continue
        reviewers = {
            o["id"]: o["name"]
            for o in zone["officers"]
            if o["certified"] and OfficerRole.LEGAL_REVIEWER in o["roles"]
        }
        others = sorted(
            f"{o['name']}({'、'.join(o['roles'])})"
            for o in zone["officers"]
            if set(o["roles"]) - {OfficerRole.ENFORCER, OfficerRole.LEGAL_REVIEWER}
        )
        if len(reviewers) >= policy.threshold:
            continue
        gaps.append(
            _short(
                policy,
                [Subject(kind="片区", key=zone["zoneId"], name=zone["zoneName"])],
                len(reviewers),
                f"{zone['zoneName']}的法制审核人员 {len(reviewers)} 名"
                + (
                    f"; 挂钩的其他法制人员: {'、'.join(others)} (不是法制审核人员)"
                    if others
                    else ""
                ),
                f"为{zone['zoneName']}确定至少{_num(policy.threshold - len(reviewers))}名法制审核人员",
            )
        )
    return gaps


def _zone_linked(scope: _Scope, policy: _Policy) -> list[CoverageGap]:
    gaps = []
    for zone in _zones(scope):
        if not _applies(scope, policy, zone=zone["zoneId"]):
            continue
        for department in zone["departments"]:
            linked = sorted(
                {
                    (o["id"], o["name"])
                    for o in zone["officers"]
                    if o["mode"] == PostingMode.LINKED
                    and o["departmentId"] == department["id"]
                    and o["certified"]
                }
            )
            if len(linked) >= policy.threshold:
                continue
            subjects = [
                Subject(kind="片区", key=zone["zoneId"], name=zone["zoneName"]),
                Subject(kind="部门", key=department["id"], name=department["name"]),
            ] + [Subject(kind="人员", key=key, name=name) for key, name in linked]
            gaps.append(
                _short(
                    policy,
                    subjects,
                    len(linked),
                    f"{department['name']}向{zone['zoneName']}街道赋权行政处罚事项"
                    f" ({'、'.join(department['items'])}), 持有效执法证的挂钩联系人员 {len(linked)} 名"
                    + (f": {'、'.join(name for _, name in linked)}" if linked else ""),
                    f"{department['name']}为{zone['zoneName']}增派至少"
                    f"{_num(policy.threshold - len(linked))}名持有效执法证的挂钩联系人员",
                )
            )
    return gaps


# -- policy checks: streets (seed 001) and town teams (seed 004) --------------------------------


def _streets(scope: _Scope) -> list[dict[str, Any]]:
    return scope.read("streets", streetCodes=scope.street_codes)


def _street_staff(street: dict[str, Any], role: OfficerRole) -> dict[str, str]:
    """Certified officers with a role posted to the street or members of one of its units."""
    people = [o for o in street["posted"]] + [m for u in street["units"] for m in u["members"]]
    return {o["id"]: o["name"] for o in people if o["certified"] and role in o["roles"]}


def _street_role(
    scope: _Scope, policy: _Policy, *, role: OfficerRole, fix: str
) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not _applies(scope, policy, street=street["streetCode"]):
            continue
        staff = _street_staff(street, role)
        if len(staff) >= policy.threshold:
            continue
        name = street["streetName"]
        gaps.append(
            _short(
                policy,
                [Subject(kind="街道", key=street["streetCode"], name=name)]
                + [Subject(kind="人员", key=k, name=v) for k, v in sorted(staff.items())],
                len(staff),
                f"{name}持证{role}{len(staff)}名"
                + (f": {'、'.join(staff[k] for k in sorted(staff))}" if staff else ""),
                fix.format(street=name, count=_num(policy.threshold - len(staff))),
            )
        )
    return gaps


def _center_reviewers(scope: _Scope, policy: _Policy) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not _applies(scope, policy, street=street["streetCode"]):
            continue
        centers = [u for u in street["units"] if u["kind"] == UnitKind.STREET_CENTER]
        street_subject = Subject(kind="街道", key=street["streetCode"], name=street["streetName"])
        if not centers:
            gaps.append(
                _short(
                    policy,
                    [street_subject],
                    0,
                    f"{street['streetName']}未设街道综合执法中心",
                    f"为{street['streetName']}设立综合执法中心并固定专职法制审核人员",
                )
            )
        for center in centers:
            reviewers = [
                m
                for m in center["members"]
                if m["certified"] and OfficerRole.LEGAL_REVIEWER in m["roles"]
            ]
            if len(reviewers) < policy.threshold:
                gaps.append(
                    _short(
                        policy,
                        [
                            street_subject,
                            Subject(kind="执法队", key=center["id"], name=center["name"]),
                        ],
                        len(reviewers),
                        f"{center['name']}持证法制审核人员 {len(reviewers)} 名",
                        f"为{center['name']}固定至少{_num(policy.threshold - len(reviewers))}名专职法制审核人员",
                    )
                )
    return gaps


def _team_size(scope: _Scope, policy: _Policy, *, at_least: bool) -> list[CoverageGap]:
    gaps = []
    for street in _streets(scope):
        if not _applies(scope, policy, street=street["streetCode"]):
            continue
        for team in (u for u in street["units"] if u["kind"] == UnitKind.STREET_TEAM):
            certified = [m for m in team["members"] if m["certified"]]
            lapsed = [m for m in team["members"] if not m["certified"]]
            count = len(certified)
            if (count >= policy.threshold) if at_least else (count <= policy.threshold):
                continue
            lapsed_names = "、".join(f"{m['name']}(有效期至{m['certificateTo']})" for m in lapsed)
            detail = f"{team['name']}持有效执法证人员 {count} 名" + (
                f"; 执法证无效: {lapsed_names}" if lapsed else ""
            )
            fix = (
                f"为{team['name']}补充至少{_num(policy.threshold - count)}名持有效执法证人员"
                if at_least
                else f"将{team['name']}持证人员调整至{_num(policy.threshold)}名以内(减少{_num(count - policy.threshold)}名)"
            )
            subjects = [
                Subject(kind="街道", key=street["streetCode"], name=street["streetName"]),
                Subject(kind="执法队", key=team["id"], name=team["name"]),
            ]
            gaps.append(
                _short(policy, subjects, count, detail, fix, comparison="≥" if at_least else "≤")
            )
    return gaps


def _short(
    policy: _Policy,
    subjects: list[Subject],
    measured: float,
    detail: str,
    fix: str,
    comparison: str = "≥",
) -> CoverageGap:
    return CoverageGap(
        rule=policy.rule,
        description=policy.description,
        source=_policy_source(policy),
        subjects=subjects,
        measured=measured,
        threshold=policy.threshold,
        comparison=comparison,
        detail=detail,
        fix=fix,
    )


# -- checks that need no policy ------------------------------------------------------------------


def _certificates(scope: _Scope, policy: _Policy | None) -> list[CoverageGap]:
    """持证上岗: officers still posted or assigned while their certificate is not valid (Art. 42)."""
    rows = scope.read(
        "certificates",
        streetCodes=scope.street_codes,
        zoneIds=scope.zone_ids,
        departmentRegion=None if scope.zone_id else scope.region_code,
    )
    source = _policy_source(policy) if policy else _law_source(scope, "42")
    gaps = []
    for row in rows:
        expired = row["certificateTo"] is not None and row["certificateTo"] < scope.as_of
        places = "、".join(p["name"] or p["key"] for p in row["places"])
        state = (
            f"已于{row['certificateTo']}到期" if expired else f"自{row['certificateFrom']}起才生效"
        )
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
                detail=f"{row['officerName']} (证号 {row['officerId']}) 执法证{state}, 仍在{places}",
                fix=f"为{row['officerName']}办理执法证换发; 换证前不得安排其执法",
            )
        )
    return gaps


def _uncovered_items(scope: _Scope) -> list[CoverageGap]:
    rows = scope.read("uncovered_items", streetCodes=scope.street_codes, grant=DelegationMode.GRANT)
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
                source=_law_source(scope, "24", "42"),
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


def _catalog_gaps(scope: _Scope) -> list[CoverageGap]:
    notices = [CatalogKind.WITHDRAWAL.value, CatalogKind.ADJUSTMENT.value]
    rows = scope.read("catalogs", streetCodes=scope.street_codes, notices=notices)
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
            for item in street["listed"]:
                if item["code"] in held_somewhere and item["code"] not in street["held"]:
                    holders = [s["streetName"] for s in streets if item["code"] in s["held"]]
                    gaps.append(_not_delegated(scope, street, item, holders))
    return gaps


def _catalog_subject(row: dict[str, Any]) -> Subject:
    return Subject(kind="目录", key=row["catalogId"], name=row["catalogTitle"])


def _catalog_name(row: dict[str, Any]) -> str:
    number = f" ({row['docNumber']})" if row["docNumber"] else ""
    return f"《{row['catalogTitle']}》{number}"


def _holds_none(scope: _Scope, row: dict[str, Any]) -> CoverageGap:
    return CoverageGap(
        rule="street_holds_no_catalog_item",
        description="目录在本区生效, 但街道未承接其中任何事项",
        source=_law_source(scope, "24"),
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
    scope: _Scope, street: dict[str, Any], item: dict[str, Any], holders: list[str]
) -> CoverageGap:
    return CoverageGap(
        rule="catalog_item_not_delegated",
        description="生效目录所列事项未赋权给本街道, 而同一片区其他街道已承接",
        source=_law_source(scope, "24"),
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


def _legal_basis(scope: _Scope) -> list[CoverageGap]:
    rows = scope.read(
        "legal_basis", streetCodes=scope.street_codes, repealed=DocumentStatus.REPEALED
    )
    gaps = []
    for row in rows:
        none = not row["basis"]
        titles = "、".join(sorted({f"《{b['title']}》" for b in row["basis"]}))
        streets = "、".join(s["name"] for s in row["streets"])
        gaps.append(
            CoverageGap(
                rule="item_without_legal_basis" if none else "item_on_repealed_law",
                description="事项须有可识别的法定依据" if none else "事项的依据均已废止",
                source=_law_source(scope, "4", "38"),
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


def _item_sets(scope: _Scope) -> list[CoverageGap]:
    rows = scope.read("item_sets", zoneIds=scope.zone_ids)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["zoneId"], row["departmentId"])].append(row)
    gaps = []
    for streets in groups.values():
        names = {i["code"]: i["name"] for s in streets for i in s["items"]}
        for street in streets:
            missing = sorted(set(names) - {i["code"] for i in street["items"]})
            if missing:
                gaps.append(_item_set_gap(scope, street, streets, missing, names))
    return gaps


def _item_set_gap(
    scope: _Scope, street: dict, streets: list[dict], missing: list[str], names: dict
) -> CoverageGap:
    holders = {
        code: [s["streetName"] for s in streets if code in {i["code"] for i in s["items"]}]
        for code in missing
    }
    return CoverageGap(
        rule="zone_item_sets_differ",
        description="同一片区各街道承接同一部门的事项应一致",
        source=_law_source(scope, "24"),
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


# -- registry -------------------------------------------------------------------------------------

PolicyRuleCheck = Callable[[_Scope, _Policy], list[CoverageGap]]

# Policy.rule → the check that evaluates it; thresholds always come from the Policy node.
POLICY_CHECKS: dict[str, PolicyRuleCheck] = {
    "min_legal_reviewers_per_zone": _zone_reviewers,
    "min_certified_linked_officers_per_zone_per_department": _zone_linked,
    "min_full_time_legal_staff_per_street": partial(
        _street_role, role=OfficerRole.LEGAL_STAFF, fix="为{street}增配至少{count}名专职法制人员"
    ),
    "min_legal_reviewers_per_street_center": _center_reviewers,
    "min_supervisors_per_street": partial(
        _street_role,
        role=OfficerRole.SUPERVISOR,
        fix="由司法所为{street}明确至少{count}名专职执法监督员",
    ),
    "min_certified_staff_per_town_team": partial(_team_size, at_least=True),
    "max_certified_staff_per_town_team": partial(_team_size, at_least=False),
    "certified_officers_only": _certificates,
}
THRESHOLD_RULES = set(POLICY_CHECKS) - {"certified_officers_only"}
BUILTIN_CHECKS: tuple[Callable[[_Scope], list[CoverageGap]], ...] = (
    _uncovered_items,
    _catalog_gaps,
    _legal_basis,
    _item_sets,
)
_KIND = {"Street": "街道", "Zone": "片区", "Unit": "执法队"}


def _gap_order(gap: CoverageGap) -> tuple:
    return (gap.rule, [(s.kind, s.key) for s in gap.subjects], gap.detail)


def _source_text(source: GapSource) -> str:
    return f"{source.policy_id} {source.document}" if source.policy_id else source.document


def _num(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
