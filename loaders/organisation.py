"""Organisation and case data (组织机构与案件数据): the YAML files `authreg load` reads beside catalogs.

Two kinds of file, told apart by their top-level `kind:`:
- `organisation`: one region — its streets, zones, departments, units, categories, officers and
  local policies (rules as data, each with its source document);
- `cases`: cases with their transfers, and jurisdiction disputes.
The README documents both with an example; `data/sample/` holds real-shaped ones.
"""

from __future__ import annotations

import reprlib
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from authreg.errors import InputError
from loaders.org_history import (
    DepartmentMergerIn,
    FormerNameWarning,
    MergerIn,
    ModePeriodIn,
    NamePeriodIn,
    UnitPartIn,
    ZoneMemberIn,
    check_departments,
    check_history,
    check_units,
    check_zone_members,
    resolve_former_names,
)
from loaders.yaml_files import line_of, read_yaml
from schema.enums import (
    CaseStatus,
    DelegationMode,
    DepartmentKind,
    DocumentRank,
    DocumentStatus,
    ItemType,
    OfficerRole,
    PostingMode,
    RegionLevel,
    StreetKind,
    UnitKind,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class RegionIn(_Strict):
    code: str
    name: str
    level: RegionLevel
    parent: RegionIn | None = None


class StreetIn(_Strict):
    code: str
    name: str | None = None  # the name now; dated `names:` give the history (更名)
    kind: StreetKind
    mode: DelegationMode | None = None  # 派驻 towns keep the county department as subject
    # Dated facts (组织沿革, loaders.org_history): undated ones above hold always.
    modes: list[ModePeriodIn] = Field(default_factory=list)
    names: list[NamePeriodIn] = Field(default_factory=list)
    merged_into: MergerIn | None = None  # 撤并

    @model_validator(mode="after")
    def _named(self) -> StreetIn:
        if self.name is None and not self.names:
            raise ValueError(f"street {self.code} has neither `name:` nor dated `names:`")
        self.name = self.name or self.names[-1].name  # the name now: the newest dated one
        return self


class DepartmentIn(_Strict):
    id: str
    name: str | None = None  # the name now; dated `names:` give the history (机构改革: 更名)
    kind: DepartmentKind | None = None
    aliases: list[str] = Field(default_factory=list)  # other spellings catalogs use (县住建局)
    # Dated facts (机构改革, loaders.org_history): its names, and its merger into another (划入).
    names: list[NamePeriodIn] = Field(default_factory=list)
    merged_into: DepartmentMergerIn | None = None

    @model_validator(mode="after")
    def _named(self) -> DepartmentIn:
        if self.name is None and not self.names:
            raise ValueError(f"department {self.id} has neither `name:` nor dated `names:`")
        self.name = self.name or self.names[-1].name  # the name now: the newest dated one
        return self


class UnitIn(_Strict):
    id: str
    name: str
    kind: UnitKind
    # a department id, a street code or a unit id; or dated periods (机构调整), each
    # {parent, from, to, basis}: a squad moved from one brigade to another on a day
    part_of: str | list[UnitPartIn]
    # Days the unit convened the 执法统筹指挥机制工作会议 (seed 003: the town team convenes it)
    joint_meetings: list[date] = Field(default_factory=list)


class ZoneIn(_Strict):
    id: str
    name: str
    # codes or exact names; {street, from, to}: a membership of its own period (片区调整)
    streets: list[str | ZoneMemberIn]
    coordinated_by: str | None = None  # unit id (the squad)
    valid_from: date | None = None
    valid_to: date | None = None


class CategoryIn(_Strict):
    id: str
    name: str
    led_by: str  # department id


class PostingIn(_Strict):
    to: str  # street code/name or zone id
    mode: PostingMode
    department: str | None = None  # the delegating department the officer is linked for
    valid_from: date | None = None
    valid_to: date | None = None


class OfficerIn(_Strict):
    id: str  # certificate number (执法证号)
    name: str
    unit: str
    certificate_issuer: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    domains: list[str] = Field(default_factory=list)
    roles: list[OfficerRole] = Field(default_factory=list)
    postings: list[PostingIn] = Field(default_factory=list)


class SourceDocumentIn(_Strict):
    """A document policies cite, or a law's status (现行有效 / 已废止) and what replaced it."""

    id: str | None = None  # default: the normalised title key
    title: str
    rank: DocumentRank = DocumentRank.NORMATIVE_DOCUMENT
    issuer: str | None = None
    doc_number: str | None = None
    promulgated: date | None = None
    status: DocumentStatus | None = None
    effective_to: date | None = None
    repealed_by: str | None = None  # title of the document that repealed or replaced it


# Every kind of local rule (Policy.rule) the organisation format knows, with what it governs.
# Each is evaluated somewhere: coverage_gaps checks most of them, a few are applied by the question
# they govern (queries.coverage_gaps.APPLIED_BY); tests/queries/test_policy_kinds.py keeps it so.
POLICY_RULES: dict[str, str] = {
    "min_legal_reviewers_per_zone": "每个联合执法片区的法制审核人员下限 (seed 000)",
    "min_certified_linked_officers_per_zone_per_department": "赋权部门每片区持证挂钩联系人员下限 (seed 000)",
    "certified_officers_only": "行政执法人员持证上岗 (seed 000)",
    "zone_item_list_approver": "片区联合执法基础事项清单由哪个部门审查同意 (seed 000)",
    "dispute_resolver": "执法主体争议由哪个部门明确 (seeds 000, 004)",
    "enforcement_subject": "以谁的名义执法 (seeds 000, 004)",
    "min_full_time_legal_staff_per_street": "街道专职法制人员下限 (seed 001)",
    "min_legal_reviewers_per_street_center": "街道综合执法中心专职法制审核人员下限 (seed 001)",
    "min_supervisors_per_street": "司法所专职执法监督员下限 (seed 001)",
    "no_redelegation": "街道不得再将承接的权限赋予其他组织或者个人 (seed 001)",
    "transfer_deadline_working_days": "案件移送期限(工作日) (seed 003)",
    "transfer_deadline_urgent_hours": "紧急案件移送期限(小时) (seed 003)",
    "transfer_sender_is_body": "以县级部门或乡镇(街道)名义移送 (seed 003)",
    "min_joint_meetings_per_quarter": "执法统筹指挥机制工作会议每季度下限 (seed 003)",
    "min_certified_staff_per_town_team": "乡镇(街道)执法队持证人员下限 (seed 004)",
    "max_certified_staff_per_town_team": "乡镇(街道)执法队持证人员上限 (seed 004)",
    "min_comprehensive_domain_share": "综合行政执法事项覆盖执法领域的比例下限 (seed 004)",
    "max_professional_teams": "部门专业执法队伍上限 (seed 004)",
    "inspection_item_coverage": "行政检查事项纳入综合执法的比例下限 (seed 004)",
    "evaluation_unused_months": "赋权事项连续多少个月零办件即建议评估收回 (行政处罚法 第二十四条 定期组织评估)",
    "certificate_expiry_notice_days": "执法证到期前多少天列入提醒 (持证上岗, seed 000; 天数由本地政策定)",
}


class PolicyIn(_Strict):
    id: str
    rule: str
    threshold: float | None = None
    value: str | None = None
    description: str
    source: str  # a source document id from `documents:`
    quote: str | None = None
    applies_to: str | None = None  # region code (default: the file's region), zone id, street
    valid_from: date | None = None
    valid_to: date | None = None


class OrganisationFile(_Strict):
    kind: Literal["organisation"]
    region: RegionIn
    documents: list[SourceDocumentIn] = Field(default_factory=list)
    departments: list[DepartmentIn] = Field(default_factory=list)
    streets: list[StreetIn] = Field(default_factory=list)
    units: list[UnitIn] = Field(default_factory=list)
    zones: list[ZoneIn] = Field(default_factory=list)
    categories: list[CategoryIn] = Field(default_factory=list)
    officers: list[OfficerIn] = Field(default_factory=list)
    policies: list[PolicyIn] = Field(default_factory=list)
    # Streets the file named by a former name (更名), read as the street: the load warns of each.
    _former_names: list[FormerNameWarning] = PrivateAttr(default_factory=list)

    @property
    def former_name_warnings(self) -> list[FormerNameWarning]:
        return self._former_names


class TransferIn(_Strict):
    id: str
    sender: str = Field(alias="from")  # street code/name or department id
    receiver: str = Field(alias="to")
    sent_at: datetime
    received_at: datetime | None = None
    urgent: bool = False
    reason: str | None = None


class CaseIn(_Strict):
    id: str
    item: str  # item code or exact name; an item no loaded catalog lists is kept as unlisted
    # For an item no catalog lists (事项未列入任何目录): its name and type as the case file gives
    # them (a case is a penalty procedure, 行政处罚法 第五十四条: 行政处罚 unless said otherwise).
    item_name: str | None = None
    item_type: ItemType | None = None
    occurred_in: str  # street code or name
    occurred_on: date | None = None
    filed_at: datetime | None = None
    handled_by: str | None = None  # street code/name or department id
    officers: list[str] = Field(default_factory=list)  # certificate numbers
    status: CaseStatus = CaseStatus.LEAD
    closed_on: date | None = None  # 办结日期: whether the case was still pending on a later change
    summary: str | None = None
    transfers: list[TransferIn] = Field(default_factory=list)


class MatterIn(CaseIn):
    """A matter received under the first-contact duty (首问负责): a case with who received it,
    when and how, and the reply to the complainant. No complainant's name or phone is kept."""

    received_by: str  # street code/name or department id
    received_at: datetime
    channel: str | None = None  # 来电 / 来信 / 来访 / 12345 / 网格 …
    urgent: bool = False
    replied_by: str | None = None
    replied_at: datetime | None = None


class ClaimantIn(_Strict):
    body: str
    stance: Literal["claims", "disclaims"] = "claims"


class DisputeIn(_Strict):
    id: str
    case: str
    raised_at: datetime
    claimants: list[ClaimantIn] = Field(default_factory=list)
    resolved_by: str | None = None  # department id; default: the region's dispute_resolver policy


class CasesFile(_Strict):
    kind: Literal["cases"]
    cases: list[CaseIn] = Field(default_factory=list)
    disputes: list[DisputeIn] = Field(default_factory=list)
    matters: list[MatterIn] = Field(default_factory=list)  # 首问登记 (seed 003 二(五))
    _path: Path | None = PrivateAttr(None)  # where it was read: warnings name its lines

    def line_of_case(self, index: int, field: str) -> int | None:
        """The line of `cases[index].field` in the file it was read from (on warning paths)."""
        return line_of(self._path, ["cases", index, field]) if self._path else None


DataFile = OrganisationFile | CasesFile


def read_data_file(path: Path) -> DataFile:
    """Parse and validate one YAML data file; errors name the file, line and field."""
    raw = read_yaml(path)
    if not isinstance(raw, dict) or raw.get("kind") not in {"organisation", "cases"}:
        raise InputError(
            path, "a data file starts with `kind: organisation` or `kind: cases`", row=1
        )
    model = OrganisationFile if raw["kind"] == "organisation" else CasesFile
    try:
        data = model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        shown = reprlib.repr(err.get("input"))
        row = line_of(path, err["loc"]) or 1
        raise InputError(path, f"{err['msg']} (value {shown})", row=row, column=where) from None
    if isinstance(data, CasesFile):
        data._path = path
    else:
        documents = {d.id for d in data.documents if d.id} | {d.title for d in data.documents}
        check_history(path, data.streets, documents)
        check_departments(path, data.departments, documents)
        check_units(path, data.units, documents)
        for index, zone in enumerate(data.zones):
            check_zone_members(path, index, zone)
        data._former_names = resolve_former_names(path, data)
    return data
