"""Certificates (执法证管理): the monthly list a 司法局 sends out — certificates expiring within the
notice period, certificates that lapsed while their holder stayed posted, and officers acting in a
domain their certificate does not cover.

The notice period N is the region's policy `certificate_expiry_notice_days` (the nearest region
up the PART_OF chain, in force on the day asked); without one the registry's default of
DEFAULT_NOTICE_DAYS applies and the answer says so. The seeds require 持证上岗 (000 五(一), 001
三(一)5) and 资格管理, but name no notice period: a region states its own, with its source.

Officers' names and certificate numbers are personal data (queries.officer_text): the structured
fields carry them (the API masks them per field), the sentences are written for the reader.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from authreg.errors import RegistryError
from queries.answers import Answer, Sheet, natives
from queries.cypher_files import cypher
from queries.department_of_day import DaySheet
from queries.officer_text import officer
from schema.enums import OfficerRole

CERTIFICATES = cypher("certificates")
NOTICE_RULE = "certificate_expiry_notice_days"
# The registry's default notice period when a region states none: one quarter, so a list sent
# monthly names each certificate in at least two lists before it ends (README "Certificates").
DEFAULT_NOTICE_DAYS = 90
MAX_NOTICE_DAYS = 3660  # a longer period is a mistake, not a policy
LAW = "《中华人民共和国行政处罚法》第四十二条: 行政处罚应当由具有行政执法资格的执法人员实施"
PERSONAL = {"personal": True}

Finding = Literal["expiring", "lapsed_while_posted", "domain_without_certificate"]
FINDING_NAMES: dict[str, str] = {
    "expiring": "执法证即将到期",
    "lapsed_while_posted": "执法证失效期间仍在岗",
    "domain_without_certificate": "执法领域未经执法证许可",
}


class CertificateQueryError(RegistryError):
    """A certificate question that cannot be asked (a notice period out of range)."""


class NoticePolicy(BaseModel):
    """Where the notice period N came from: a policy of the region (or above), or the default."""

    days: int = Field(description="The notice period in days (提醒期限天数)")
    policy_id: str | None = Field(None, description="The policy that sets it; none: the default")
    description: str | None = Field(None, description="The policy as published (规则说明)")
    source_document: str | None = None
    source_quote: str | None = None
    scope_code: str | None = Field(None, description="Region the policy applies to (适用地区)")

    def cite(self) -> str:
        if self.policy_id is None:
            return f"提醒期限 {self.days} 天: 本地区无 {NOTICE_RULE} 规则, 采用登记系统默认值"
        return (
            f"提醒期限 {self.days} 天: {self.policy_id} (《{self.source_document}》"
            + (f": {self.source_quote}" if self.source_quote else "")
            + ")"
        )


class CertificateFinding(BaseModel):
    """One officer on the list, for one reason, with the facts and the rule behind it."""

    finding: Finding = Field(
        description="expiring (即将到期), lapsed_while_posted (失效仍在岗) or "
        "domain_without_certificate (执法领域不符)"
    )
    officer_id: str = Field(
        description="Certificate number (执法证号; personal data)", json_schema_extra=PERSONAL
    )
    officer_name: str = Field(
        description="The officer's name (姓名; personal data)", json_schema_extra=PERSONAL
    )
    county_code: str = Field(description="County the officer belongs to (所属县区编码)")
    county_name: str | None = Field(None, description="Its name (所属县区)")
    unit_id: str | None = Field(None, description="The officer's unit (所在单位编号)")
    unit_name: str | None = Field(None, description="Its name (所在单位)")
    unit_owner: str | None = Field(
        None, description="Department or street of the unit (所属部门/街道)"
    )
    certificate_issuer: str | None = Field(
        None, description="Who issued the certificate (发证机关)"
    )
    certificate_from: date | None = Field(None, description="Certificate valid from (有效期自)")
    certificate_to: date | None = Field(None, description="Certificate valid to (有效期至)")
    days_left: int | None = Field(
        None, description="Expiring: days from the day asked to the last valid day (剩余天数)"
    )
    domains: list[str] = Field(
        default_factory=list, description="Domains on the certificate (证载执法领域)"
    )
    place: str | None = Field(None, description="Where posted, or the case's street (地点)")
    domain: str | None = Field(None, description="The domain acted in (实际执法领域)")
    evidence: str | None = Field(None, description="The posting or case it rests on (依据记录)")
    posted_to: list[str] = Field(
        default_factory=list,
        description="Streets (codes) and zones (ids) the officer serves on the day (在岗地点)",
    )
    rule: str = Field(description="The rule applied (规则)")
    explanation: str = Field(description="Why the officer is listed, in one sentence (说明)")


class Certificates(Answer):
    """A region's certificate list on a day: the three findings, each explained."""

    query: str = Field(description="The region as asked (查询地区)")
    found: bool
    region_code: str | None = None
    region_name: str | None = None
    as_of: date
    notice: NoticePolicy = Field(description="The notice period and its source (提醒期限)")
    officers_checked: int = Field(0, description="Officers of the region checked (核查人数)")
    expiring: list[CertificateFinding] = Field(
        default_factory=list, description="Certificates ending within the notice period (即将到期)"
    )
    lapsed_while_posted: list[CertificateFinding] = Field(
        default_factory=list, description="Certificates that lapsed while in post (失效仍在岗)"
    )
    domain_without_certificate: list[CertificateFinding] = Field(
        default_factory=list, description="Acting in a domain not on the certificate (领域不符)"
    )
    notes: list[str] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        where = self.region_name or self.query
        sheets = [
            _sheet(f"{where} 执法证到期提醒 {self.as_of}", self.expiring),
            _sheet("失效仍在岗", self.lapsed_while_posted),
            _sheet("执法领域不符", self.domain_without_certificate),
        ]
        notes = [self.notice.cite(), *self.notes]
        return [*sheets, Sheet(title="说明", columns=["说明"], rows=[[n] for n in notes])]


@unit_of_work(metadata={"query": "certificates"})
def certificates(
    tx: ManagedTransaction,
    *,
    region: str,
    as_of: date,
    within_days: int | None = None,
    personal: bool = False,
    departments: DaySheet | None = None,
) -> Certificates:
    """The certificate list of `region` (code or exact name; a city takes its counties) on as_of.

    `within_days` overrides the region's notice period (the answer says it did); `personal`:
    whether the sentences may name officers (queries.officer_text); `departments`: the
    departments of the day already read by the question asking (the coverage gaps' scope)."""
    if within_days is not None and not 0 <= within_days <= MAX_NOTICE_DAYS:
        raise CertificateQueryError(
            f"within_days {within_days}: a notice period is between 0 and {MAX_NOTICE_DAYS} days"
        )
    found = tx.run(CERTIFICATES, region=region, rule=NOTICE_RULE, asOf=as_of)
    rows = [natives(r.data()) for r in found]
    if not rows:
        notice = NoticePolicy(days=within_days or DEFAULT_NOTICE_DAYS)
        note = f"登记系统中没有代码或名称为“{region}”的地区"
        return Certificates(query=region, found=False, as_of=as_of, notice=notice, notes=[note])
    row = rows[0]
    notice, notes = _notice(row["policies"], as_of, within_days)
    sheet = departments if departments is not None else DaySheet(as_of=as_of)
    officers = _departments_of_day(tx, row["officers"], sheet)
    return Certificates(
        query=region,
        found=True,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        as_of=as_of,
        notice=notice,
        officers_checked=len(officers),
        expiring=[f for o in officers for f in _expiring(o, as_of, notice, personal)],
        lapsed_while_posted=[f for o in officers for f in _lapsed(o, as_of, personal)],
        domain_without_certificate=[f for o in officers for f in _wrong_domain(o, as_of, personal)],
        notes=notes,
    )


def _departments_of_day(
    tx: ManagedTransaction, officers: list[dict[str, Any]], sheet: DaySheet
) -> list[dict[str, Any]]:
    """The officers with each unit's owning department and each posting's department the one
    standing for it on the sheet's day (机构改革: the successor from a merger day), named as that
    day: one read for every department of the list the sheet has not read yet."""
    ids = [u["ownerKey"] for o in officers for u in o["units"] if u["ownerKind"] == "Department"]
    ids += [p["departmentId"] for o in officers for p in o["postings"]]
    sheet.extend(tx, ids)
    if not sheet.found:
        return officers
    return [
        {
            **o,
            "units": [
                sheet.apply(u, "ownerKey", "ownerName") if u["ownerKind"] == "Department" else u
                for u in o["units"]
            ],
            "postings": sheet.apply(o["postings"], "departmentId", "departmentName"),
        }
        for o in officers
    ]


# -- the three findings -----------------------------------------------------------------------


def _expiring(
    o: dict[str, Any], as_of: date, notice: NoticePolicy, personal: bool
) -> list[CertificateFinding]:
    """The certificate is valid on as_of and its last day falls within the notice period."""
    end = o["validTo"]
    if end is None or end < as_of or (o["validFrom"] and o["validFrom"] > as_of):
        return []
    days_left = (end - as_of).days
    if days_left > notice.days:
        return []
    who = officer(o["name"], o["id"], personal=personal)
    places = "、".join(_places(o, as_of)) or "无派驻"
    text = (
        f"{who}的执法证有效期至 {end}, 距 {as_of} 还有 {days_left} 天, 在提醒期限 "
        f"{notice.days} 天之内 ({notice.cite()}); 现在岗: {places}。请在到期前办理换证"
    )
    serving = [p for p in o["postings"] + _team_memberships(o) if _in_force(p, as_of)]
    posted_to = list(dict.fromkeys(p["key"] for p in serving))
    return [
        _finding(
            "expiring",
            o,
            "certificate_expiry_notice",
            text,
            days_left=days_left,
            posted_to=posted_to,
        )
    ]


def _lapsed(o: dict[str, Any], as_of: date, personal: bool) -> list[CertificateFinding]:
    """A posting (or a street team's membership) went on past the certificate's last day."""
    end = o["validTo"]
    if end is None or end >= as_of:
        return []
    findings = []
    who = officer(o["name"], o["id"], personal=personal)
    for post in o["postings"] + _team_memberships(o):
        start, stop = post["validFrom"], post["validTo"]
        if (stop is not None and stop <= end) or (start is not None and start > as_of):
            continue
        last = min(stop or as_of, as_of)
        first = max(end + timedelta(days=1), start or end + timedelta(days=1))
        since = f", 自{start}起" if start else ""
        posted = f"{post['name'] or post['key']} ({post['mode']}{since}"
        posted += f"至{stop})" if stop else ", 至今)"
        text = (
            f"{who}的执法证已于 {end} 到期, 但在{posted}; 证件失效后在岗 {first} 至 {last}, "
            f"共 {(last - first).days + 1} 天 ({LAW}; 持证上岗)"
        )
        findings.append(
            _finding(
                "lapsed_while_posted",
                o,
                "certificate_lapsed_while_posted",
                text,
                place=post["name"] or post["key"],
                evidence=f"派驻 {post['key']} {start or ''}–{stop or ''}",
            )
        )
    return findings


def _wrong_domain(o: dict[str, Any], as_of: date, personal: bool) -> list[CertificateFinding]:
    """Posted for a department, or handling a case, in a domain the certificate does not list."""
    held = set(o["domains"])
    who = officer(o["name"], o["id"], personal=personal)
    covered = "、".join(o["domains"]) or "无"
    findings = []
    enforcer = not o["roles"] or OfficerRole.ENFORCER.value in o["roles"]
    for post in o["postings"] if enforcer else []:
        if not _in_force(post, as_of) or not post["departmentDomains"]:
            continue
        if held & set(post["departmentDomains"]):
            continue
        wanted = "、".join(post["departmentDomains"])
        text = (
            f"{who}为{post['departmentName']}派驻/挂钩{post['name'] or post['key']} ({post['mode']}), "
            f"该部门的执法领域为{wanted}, 而其执法证载明的执法领域为{covered} ({LAW}; 持证上岗: "
            "执法证件载明的执法类别/领域之外不得执法)"
        )
        findings.append(
            _finding(
                "domain_without_certificate",
                o,
                "certificate_domain_mismatch",
                text,
                place=post["name"] or post["key"],
                domain=wanted,
                evidence=f"派驻 {post['key']} 部门 {post['departmentId']}",
            )
        )
    for case in o["cases"]:
        day = case["occurredOn"]
        if not case["domain"] or case["domain"] in held or (day is not None and day > as_of):
            continue
        text = (
            f"{who}参与办理案件 {case['id']} ({case['itemCode']} {case['itemName']}, "
            f"执法领域 {case['domain']}), 其执法证载明的执法领域为{covered} ({LAW})"
        )
        findings.append(
            _finding(
                "domain_without_certificate",
                o,
                "certificate_domain_mismatch",
                text,
                place=case["streetName"],
                domain=case["domain"],
                evidence=f"案件 {case['id']}",
            )
        )
    return findings


# -- helpers ----------------------------------------------------------------------------------


def _notice(
    policies: list[dict[str, Any]], as_of: date, within_days: int | None
) -> tuple[NoticePolicy, list[str]]:
    notes: list[str] = []
    in_force = [p for p in policies if _in_force(p, as_of) and p["threshold"] is not None]
    nearest = [p for p in in_force if p["distance"] == min(q["distance"] for q in in_force)]
    if len(nearest) > 1:
        ids = "、".join(p["id"] for p in nearest)
        notes.append(f"{NOTICE_RULE} 有多条规则同时有效 ({ids}), 取最短的提醒期限")
        nearest.sort(key=lambda p: p["threshold"])
    if within_days is not None:
        notes.append(f"提醒期限按查询指定的 {within_days} 天计算, 未采用地区规则")
        return NoticePolicy(days=within_days), notes
    if not nearest:
        return NoticePolicy(days=DEFAULT_NOTICE_DAYS), notes
    policy = nearest[0]
    return NoticePolicy(
        days=int(policy["threshold"]),
        policy_id=policy["id"],
        description=policy["description"],
        source_document=policy["sourceDocument"],
        source_quote=policy["sourceQuote"],
        scope_code=policy["scopeCode"],
    ), notes


def _in_force(row: dict[str, Any], day: date) -> bool:
    return (row["validFrom"] is None or row["validFrom"] <= day) and (
        row["validTo"] is None or day <= row["validTo"]
    )


def _places(o: dict[str, Any], as_of: date) -> list[str]:
    posts = o["postings"] + _team_memberships(o)
    return list(dict.fromkeys(p["name"] or p["key"] for p in posts if _in_force(p, as_of)))


def _team_memberships(o: dict[str, Any]) -> list[dict[str, Any]]:
    """A member of a street's own team serves in that street for as long as the team is the
    street's (机构调整: the team's dated PART_OF; undated: always, so it runs to the day asked).
    The model does not date MEMBER_OF itself."""
    return [
        {
            "kind": "Street",
            "key": street["key"],
            "name": street["name"],
            "mode": f"{unit['name']}队员",
            "validFrom": street["validFrom"],
            "validTo": street["validTo"],
        }
        for unit in o["units"]
        for street in unit["streets"]
    ]


def _finding(
    finding: Finding, o: dict[str, Any], rule: str, text: str, **facts: Any
) -> CertificateFinding:
    unit = o["units"][0] if o["units"] else {}
    return CertificateFinding(
        finding=finding,
        officer_id=o["id"],
        officer_name=o["name"],
        county_code=o["countyCode"],
        county_name=o["countyName"],
        unit_id=unit.get("id"),
        unit_name=unit.get("name"),
        unit_owner=unit.get("ownerName"),
        certificate_issuer=o["issuer"],
        certificate_from=o["validFrom"],
        certificate_to=o["validTo"],
        domains=o["domains"],
        rule=rule,
        explanation=text,
        **facts,
    )


COLUMNS = [
    "县(市、区)",
    "单位",
    "所属部门/街道",
    "姓名",
    "执法证号",
    "发证机关",
    "有效期自",
    "有效期至",
    "剩余天数",
    "执法领域",
    "地点",
    "说明",
]


def _sheet(title: str, findings: list[CertificateFinding]) -> Sheet:
    ordered = sorted(findings, key=lambda f: (f.county_code, f.unit_id or "", f.officer_id))
    return Sheet(
        title=title,
        columns=COLUMNS,
        rows=[
            [
                f.county_name or f.county_code,
                f.unit_name,
                f.unit_owner,
                f.officer_name,
                f.officer_id,
                f.certificate_issuer,
                f.certificate_from,
                f.certificate_to,
                f.days_left,
                "、".join(f.domains),
                f.place,
                f.explanation,
            ]
            for f in ordered
        ],
    )
