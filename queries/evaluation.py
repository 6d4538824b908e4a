"""Evaluation of delegated items (赋权事项评估): per item × street over a period, its use and capacity.

行政处罚法 第二十四条 hands county powers to streets that can carry them "并定期组织评估": this is
the 编办's report. For each item × street in force some day of the period: cases filed and closed,
cases transferred back to a county department, 零办件, whether the item was returned or withdrawn,
and capacity — certified officers of the item's domain posted to the street, each day. Each
pair gets one recommendation with the rule and figures that produced it:
- 建议评估收回 (return): in force at the end, no case for N months (N: Policy
  evaluation_unused_months, from the region's documents; none in force → no such advice);
- 加强承接力量 (support): some day in force with fewer than two certified officers of the domain
  (行政处罚法 第四十二条: 执法人员不得少于两人);
- 保留 (keep): otherwise; 已收回或交回 (ended): ended within the period, with the notice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from authreg.errors import RegistryError
from queries.answers import Answer, Sheet, natives
from queries.cypher_files import cypher
from queries.lookups import region_code
from schema.enums import CaseStatus, DelegationMode

EVALUATION = cypher("evaluation")
UNUSED_RULE = "evaluation_unused_months"
MIN_OFFICERS = 2  # 行政处罚法 第四十二条: 执法人员不得少于两人
MAX_PERIOD_DAYS = 3 * 366  # a period is a year or so; longer ones are refused, not slowly counted
CAPACITY_SOURCE = "《中华人民共和国行政处罚法》第四十二条"
CAPACITY_QUOTE = (
    "行政处罚应当由具有行政执法资格的执法人员实施。执法人员不得少于两人，法律另有规定的除外。"
)
PURPOSE_SOURCE = "《中华人民共和国行政处罚法》第二十四条"
PURPOSE_QUOTE = (
    "省、自治区、直辖市根据当地实际情况，可以决定将基层管理迫切需要的县级人民政府部门的行政处罚权"
    "交由能够有效承接的乡镇人民政府、街道办事处行使，并定期组织评估。决定应当公布。"
)

Recommendation = Literal["return", "support", "keep", "ended"]
RECOMMENDATION_TEXT: dict[str, str] = {
    "return": "建议评估收回",
    "support": "加强承接力量",
    "keep": "保留",
    "ended": "已收回或交回",
}
_ORDER = {"return": 0, "support": 1, "keep": 2, "ended": 3}


class EvaluationError(RegistryError):
    """A period that is not one: its end before its start, or longer than three years."""


class EvaluationRule(BaseModel):
    """A rule the evaluation applied: a local policy (with id) or a law's article, quoted."""

    policy_id: str | None = None
    rule: str
    threshold: float | None = None
    document: str
    quote: str | None = None


class ItemEvaluation(BaseModel):
    """One item × street (事项 × 街道) over the period, its figures and the recommendation."""

    recommendation: Recommendation
    recommendation_text: str  # 建议评估收回 / 加强承接力量 / 保留 / 已收回或交回
    rank: int  # 1 = first to look at within its recommendation
    item_code: str
    item_name: str
    item_type: str | None
    domain: str | None
    department_id: str | None
    department_name: str | None
    street_code: str
    street_name: str
    modes: list[str]
    delegation_ids: list[str]
    in_force_from: date
    in_force_to: date | None  # the last day in force; None: still in force
    days_in_force: int  # within the period
    cases_filed: int
    cases_closed: int
    transferred_back: int  # cases the street sent on to a county department (移送)
    never_used: bool  # 零办件: no case filed in the period
    last_case_on: date | None  # the last case filed up to the period's end (any year)
    months_unused: int | None  # months since the last case (or the start) to the end
    capacity_min: int | None  # fewest certified officers of the domain on a day in force
    capacity_days_short: int | None  # days in force with fewer than two of them
    ended_by: list[str] = Field(default_factory=list)  # the notice or version that ended it
    reasons: list[str]  # which rule and which figures produced the recommendation


class Evaluation(Answer):
    """A county's delegated items over a period (赋权事项评估), ranked by recommendation."""

    region: str
    found: bool
    region_code: str | None = None
    region_name: str | None = None
    period_from: date
    period_to: date
    unused_months: int | None = None  # N of the 零办件 rule; None: no policy in force
    rules: list[EvaluationRule] = Field(default_factory=list)
    items: list[ItemEvaluation] = Field(default_factory=list)
    unknowns: list[str] = Field(default_factory=list)

    def count(self, recommendation: str) -> int:
        return sum(1 for i in self.items if i.recommendation == recommendation)

    def sheets(self) -> list[Sheet]:
        name = self.region_name or self.region
        rows = [
            [
                RECOMMENDATION_TEXT[i.recommendation],
                i.rank,
                i.item_code,
                i.item_name,
                i.domain,
                i.department_name,
                i.street_name,
                "、".join(i.modes),
                i.in_force_from,
                i.in_force_to,
                i.days_in_force,
                i.cases_filed,
                i.cases_closed,
                i.transferred_back,
                "是" if i.never_used else "否",
                i.last_case_on,
                i.months_unused,
                i.capacity_min,
                i.capacity_days_short,
                "; ".join(i.ended_by),
                "; ".join(i.reasons),
            ]
            for i in self.items
        ]
        return [
            Sheet(
                title=f"赋权事项评估 {name} {self.period_from}至{self.period_to}",
                columns=[
                    "评估建议",
                    "序",
                    "事项编码",
                    "事项名称",
                    "执法领域",
                    "原实施部门",
                    "街道(乡镇)",
                    "方式",
                    "起始日",
                    "终止日",
                    "期内天数",
                    "立案数",
                    "结案数",
                    "移送回县级部门",
                    "零办件",
                    "最近立案日",
                    "未办件月数",
                    "最少持证人员",
                    "不足两人天数",
                    "收回依据",
                    "理由",
                ],
                rows=rows,
            ),
            Sheet(
                title="评估依据",
                columns=["规则编号", "规则", "阈值", "来源文件", "原文"],
                rows=[[r.policy_id, r.rule, r.threshold, r.document, r.quote] for r in self.rules],
            ),
            Sheet(title="未知事项", columns=["说明"], rows=[[u] for u in self.unknowns]),
        ]


@unit_of_work(metadata={"query": "evaluation"})
def evaluation(
    tx: ManagedTransaction, *, region: str, from_date: date, to_date: date
) -> Evaluation:
    """Every item × street of `region` (code or exact name) in force some day of the period."""
    if to_date < from_date:
        raise EvaluationError(f"the period ends ({to_date}) before it starts ({from_date})")
    if (to_date - from_date).days > MAX_PERIOD_DAYS:
        raise EvaluationError("an evaluation period is at most three years; ask year by year")
    code = region_code(tx, region)
    if code is None:
        return Evaluation(region=region, found=False, period_from=from_date, period_to=to_date)
    row = natives(
        tx.run(
            EVALUATION,
            regionCode=code,
            unusedRule=UNUSED_RULE,
            **{"from": from_date, "to": to_date},
        )
        .single()
        .data()
    )
    return _evaluate(region, row, from_date, to_date)


def _evaluate(region: str, row: dict[str, Any], start: date, end: date) -> Evaluation:
    unknowns: list[str] = []
    rules = [
        EvaluationRule(rule="purpose", document=PURPOSE_SOURCE, quote=PURPOSE_QUOTE),
        EvaluationRule(
            rule="min_officers", threshold=MIN_OFFICERS, document=CAPACITY_SOURCE,
            quote=CAPACITY_QUOTE,
        ),
    ]  # fmt: skip
    months = _unused_months(row["policies"], rules, unknowns)
    streets = {s["code"]: s for s in row["streets"]}
    capacity = _Capacity(streets, start, end)
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for delegation in row["delegations"]:
        pairs[(delegation["itemCode"], delegation["streetCode"])].append(delegation)
    items = [
        _pair(held, streets[street]["name"], capacity, months, start, end, unknowns)
        for (_, street), held in pairs.items()
    ]
    return Evaluation(
        region=region,
        found=True,
        region_code=row["regionCode"],
        region_name=row["regionName"],
        period_from=start,
        period_to=end,
        unused_months=months,
        rules=rules,
        items=_ranked(items),
        unknowns=sorted(set(unknowns)),
    )


def _unused_months(
    policies: list[dict[str, Any]], rules: list[EvaluationRule], unknowns: list[str]
) -> int | None:
    usable = [p for p in policies if p["threshold"] is not None]
    if not usable:
        unknowns.append(
            f"本区县未载入 {UNUSED_RULE} 规则 (零办件多少个月建议评估收回): 零办件事项只列出, 不作收回建议"
        )
        return None
    policy = usable[0]  # the nearest first: the county's own before its province's
    rules.append(
        EvaluationRule(
            policy_id=policy["id"],
            rule=UNUSED_RULE,
            threshold=policy["threshold"],
            document=policy["source_document"],
            quote=policy["source_quote"],
        )
    )
    return int(policy["threshold"])


class _Capacity:
    """Certified officers of a domain available to a street on each day of the period."""

    def __init__(self, streets: dict[str, dict[str, Any]], start: date, end: date) -> None:
        self.streets, self.start, self.end = streets, start, end
        self._counts: dict[tuple[str, str], list[int]] = {}

    def per_day(self, street: str, domain: str) -> list[int]:
        key = (street, domain)
        if key not in self._counts:
            days = (self.end - self.start).days + 1
            counts = [0] * days
            for officer in self.streets[street]["officers"]:
                if domain not in officer["domains"]:
                    continue
                for n in _officer_days(officer, self.start, days):
                    counts[n] += 1
            self._counts[key] = counts
        return self._counts[key]


def _officer_days(officer: dict[str, Any], start: date, days: int) -> set[int]:
    """Day numbers (0 = start) the officer is certified and posted: each day counted once."""
    found: set[int] = set()
    for posting in officer["postings"]:
        first = max(d for d in (start, officer["validFrom"], posting["from"]) if d is not None)
        last = min(
            d
            for d in (start + timedelta(days=days - 1), officer["validTo"], posting["to"])
            if d is not None
        )
        found.update(range((first - start).days, (last - start).days + 1))
    return found


def _pair(
    held: list[dict[str, Any]],
    street_name: str,
    capacity: _Capacity,
    months: int | None,
    start: date,
    end: date,
    unknowns: list[str],
) -> ItemEvaluation:
    """One item × street: its delegations (`held`) in the period, their figures and advice."""
    first = held[0]
    days = _days_in_force(held, start, end)
    in_force_at_end = any(d["validTo"] is None or d["validTo"] > end for d in held)
    figures = _use(held, start, end, in_force_at_end)
    figures["capacity_min"], figures["capacity_days_short"] = _capacity(
        first, capacity, days, unknowns
    )
    ended_by = sorted({f"{c['title']} ({c['kind']})" for d in held for c in d["endedBy"]})
    recommendation, reasons = _recommend(in_force_at_end, months, figures, ended_by, len(days))
    return ItemEvaluation(
        recommendation=recommendation,
        recommendation_text=RECOMMENDATION_TEXT[recommendation],
        rank=0,
        item_code=first["itemCode"],
        item_name=first["itemName"],
        item_type=first["itemType"],
        domain=first["domain"],
        department_id=first["departmentId"],
        department_name=first["departmentName"],
        street_code=first["streetCode"],
        street_name=street_name,
        modes=sorted({d["mode"] for d in held}),
        delegation_ids=[d["id"] for d in held],
        in_force_from=min(d["validFrom"] for d in held),
        in_force_to=None
        if in_force_at_end
        else max(d["validTo"] for d in held) - timedelta(days=1),
        days_in_force=len(days),
        ended_by=ended_by,
        reasons=reasons,
        **figures,
    )


def _days_in_force(held: list[dict[str, Any]], start: date, end: date) -> list[int]:
    """Day numbers (0 = start) of the period some delegation held (valid_to exclusive)."""
    found: set[int] = set()
    for d in held:
        last = end if d["validTo"] is None else min(d["validTo"] - timedelta(days=1), end)
        found.update(range((max(d["validFrom"], start) - start).days, (last - start).days + 1))
    return sorted(found)


def _theirs(case: dict[str, Any], held: list[dict[str, Any]]) -> bool:
    """Whether a case is the street's use of the delegation: filed on a day one was in force, and
    for 赋权/委托 handled by the street (派驻: the department stays the subject, docs/DOMAIN.md,
    so any handler counts). A case with no recorded handler is not excluded."""
    on = case["filedOn"]
    if on is None:
        return False
    for d in held:
        if d["validFrom"] <= on and (d["validTo"] is None or on < d["validTo"]):
            handlers = case["handledBy"]
            if d["mode"] == DelegationMode.STATION or not handlers or d["streetCode"] in handlers:
                return True
    return False


def _use(
    held: list[dict[str, Any]], start: date, end: date, in_force_at_end: bool
) -> dict[str, Any]:
    """Cases filed and closed in the period, transfers back, the last case, months unused."""
    cases = [c for c in {c["id"]: c for d in held for c in d["cases"]}.values() if _theirs(c, held)]
    in_period = [c for c in cases if c["filedOn"] and start <= c["filedOn"] <= end]
    back = {
        t["id"]
        for c in cases
        for t in c["transfersBack"]
        if t["sentOn"] and start <= t["sentOn"] <= end
    }
    last_case = max((c["filedOn"] for c in cases if c["filedOn"]), default=None)
    since = max(d for d in (last_case, min(d["validFrom"] for d in held)) if d is not None)
    return {
        "cases_filed": len(in_period),
        "cases_closed": sum(1 for c in in_period if c["status"] == CaseStatus.CLOSED),
        "transferred_back": len(back),
        "never_used": not in_period,
        "last_case_on": last_case,
        "months_unused": _months_between(since, end) if in_force_at_end else None,
    }


def _capacity(
    first: dict[str, Any], capacity: _Capacity, days: list[int], unknowns: list[str]
) -> tuple[int | None, int | None]:
    if not first["domain"]:
        unknowns.append(f"{first['itemCode']}: 未注明执法领域, 无法计算承接力量")
        return None, None
    if not days:
        return None, 0
    counts = capacity.per_day(first["streetCode"], first["domain"])
    on_days = [counts[n] for n in days]
    return min(on_days), sum(1 for c in on_days if c < MIN_OFFICERS)


def _recommend(
    in_force: bool,
    months: int | None,
    figures: dict[str, Any],
    ended_by: list[str],
    days: int,
) -> tuple[Recommendation, list[str]]:
    unused, short = figures["months_unused"], figures["capacity_days_short"]
    used = f"期内立案 {figures['cases_filed']} 件, 结案 {figures['cases_closed']} 件"
    if not in_force:
        return "ended", [f"期内已终止 ({'; '.join(ended_by) or '赋权期满'}); {used}"]
    reasons = []
    idle = months is not None and unused is not None and unused >= months
    if idle:
        last = figures["last_case_on"]
        reasons.append(
            f"零办件 {unused} 个月 ({'最近立案 ' + str(last) if last else '赋权以来无案件'})"
            f" ≥ {months} 个月 ({UNUSED_RULE})"
        )
    if short:
        reasons.append(
            f"{days} 天中 {short} 天持证人员少于 {MIN_OFFICERS} 人"
            f" (最少 {figures['capacity_min']} 人; 行政处罚法第四十二条)"
        )
    if reasons:
        return ("return" if idle else "support"), [*reasons, used]
    capacity = figures["capacity_min"]
    staffed = (
        "承接力量未知(未注明执法领域)" if capacity is None else f"持证人员每日不少于 {capacity} 人"
    )
    return "keep", [f"{used}; 移送 {figures['transferred_back']} 件; {staffed}"]


def _ranked(items: list[ItemEvaluation]) -> list[ItemEvaluation]:
    def weight(i: ItemEvaluation) -> tuple:
        if i.recommendation == "return":
            return (-(i.months_unused or 0), i.item_code, i.street_code)
        if i.recommendation == "support":
            return (-(i.capacity_days_short or 0), i.item_code, i.street_code)
        return (-i.cases_filed, i.item_code, i.street_code)

    ordered = sorted(items, key=lambda i: (_ORDER[i.recommendation], weight(i)))
    ranks: dict[str, int] = defaultdict(int)
    out = []
    for item in ordered:
        ranks[item.recommendation] += 1
        out.append(item.model_copy(update={"rank": ranks[item.recommendation]}))
    return out


def _months_between(since: date, end: date) -> int:
    """Whole months from `since` to `end` (2024-01-15 → 2024-03-14: 1)."""
    months = (end.year - since.year) * 12 + end.month - since.month
    return months - (1 if end.day < since.day else 0)
