"""The answer of coverage_gaps (覆盖缺口): each gap with its rule, source and subjects."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet


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
                num(gap.measured),
                f"{gap.comparison} {num(gap.threshold)}" if gap.threshold is not None else None,
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
                num(p.threshold) or p.value,
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


def _source_text(source: GapSource) -> str:
    return f"{source.policy_id} {source.document}" if source.policy_id else source.document


def num(value: float | None) -> str | None:
    """A count or threshold as written in a report: 2, not 2.0."""
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
