"""Records from the API, one at a time (在线录入): cases, transfers, disputes, decisions, catalogs.

Each writer validates its submission against the graph, then writes it and its audit entry
(审计记录) in the caller's write transaction: both commit or neither. Bad input raises
RecordError naming the field, and nothing is written. The graph shape is the records loader's
(loaders/records.py), so every query reads API records and loaded ones alike. A key recorded
before is refused, never overwritten: correcting a record is a new record.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Annotated, Any, Literal, TypeVar

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, ConstraintError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from authreg.driver import session as open_session
from authreg.errors import InputError, RecordError
from authreg.settings import Settings
from loaders import write
from loaders.catalogs import CatalogOutcome, CatalogPlan, write_catalog
from loaders.decisions import record_decision
from loaders.load import LoadPlan, plan_load
from loaders.preview import PREVIEW_TIMEOUT_S, CatalogPreview, PreviewRefused, preview_catalog
from loaders.read import CSV_SUFFIXES, XLSX_SUFFIXES
from loaders.records import unlisted_item
from loaders.rehearsal import graph_reader, rehearse
from loaders.report import LoadReport, Problem
from queries.authority import RESOLVER_RULE
from queries.graph_generation import GraphGeneration, graph_generation
from queries.working_days import CHINA_TZ
from schema.enums import CaseStatus, CatalogKind, DelegationMode, DisputeStatus, ItemType
from schema.labels import Label, Rel
from schema.models import Case, Dispute, Transfer

# The audit actions (AuditEntry.action), one per kind of write.
RECORD_CASE = "recordCase"
RECORD_TRANSFER = "recordTransfer"
RECORD_MATTER = "recordMatter"
RECORD_REPLY = "recordMatterReply"
RAISE_DISPUTE = "raiseDispute"
LOAD_CATALOG = "loadCatalog"

S = TypeVar("S", bound=BaseModel)


def _beijing_time(moment: datetime) -> datetime:
    """A time given without an offset is Beijing time (+08:00), as the CLI reads it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


Moment = Annotated[datetime, AfterValidator(_beijing_time)]
Key = Annotated[str, Field(min_length=1, max_length=200)]


class _Submission(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class CaseSubmission(_Submission):
    """A case to record (案件): the violation, where and when, who handles it."""

    id: Key = Field(description="案件编号 (case number), new")
    item_code: Key = Field(description="执法事项编码 of the violated item")
    item_name: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="事项名称: only for an item no loaded catalog lists — the case is kept and "
        "the item recorded as unlisted (事项未列入任何目录)",
    )
    item_type: ItemType | None = Field(
        None, description="事项类型 of such an item (行政处罚 if none)"
    )
    street_code: Key = Field(description="街道 / 乡镇 code where it happened (发生地)")
    occurred_on: date | None = Field(None, description="违法行为发生日期")
    filed_at: Moment | None = Field(None, description="立案时间 (+08:00 when no offset)")
    status: CaseStatus = Field(CaseStatus.LEAD, description="案源 / 立案 / 已移送 / 结案")
    summary: str | None = Field(None, description="案情摘要")
    handled_by: Key | None = Field(None, description="办案主体: a street code or department id")
    officers: list[Key] = Field(default_factory=list, description="办案人员执法证号")


class TransferSubmission(_Submission):
    """A case handed to another body (移送), with when it was sent and received."""

    id: Key = Field(description="移送编号, new")
    case_id: Key = Field(description="the case transferred")
    sender: Key = Field(alias="from", description="移送方: a street code or department id")
    receiver: Key = Field(alias="to", description="接收方: a street code or department id")
    sent_at: Moment = Field(description="移送时间")
    received_at: Moment | None = Field(None, description="签收时间; none: not yet received")
    urgent: bool = Field(False, description="紧急 (24 h instead of 3 working days)")
    reason: str | None = Field(None, description="移送理由")


class MatterSubmission(_Submission):
    """A matter received under the first-contact duty (首问登记, seed 003 二(五)): recorded as a
    case lead (案源) with who received it, when and how. No complainant's name or phone is
    taken: the summary describes the matter, not the person."""

    id: Key = Field(description="事项编号 (a case id), new")
    item_code: Key = Field(description="执法事项编码 the matter concerns")
    street_code: Key = Field(description="街道 / 乡镇 code where it happened (发生地)")
    received_by: Key = Field(
        description="首问单位: the street code or department id that received it"
    )
    received_at: Moment = Field(description="接到时间 (+08:00 when no offset)")
    channel: Literal["来电", "来信", "来访", "12345", "网格", "当面", "其他"] = Field(
        description="受理渠道"
    )
    urgent: bool = Field(False, description="情况紧急: hand on within 24 hours, not 3 working days")
    occurred_on: date | None = Field(None, description="违法行为发生日期")
    summary: str | None = Field(
        None, max_length=500, description="事项摘要, without the complainant's name or phone"
    )


class ReplySubmission(_Submission):
    """The reply to the complainant (答复举报投诉人): who replied and when; never overwritten."""

    matter_id: Key = Field(description="事项编号 (the matter's case id)")
    replied_by: Key = Field(description="答复单位: a street code or department id")
    replied_at: Moment = Field(description="答复时间")


class ClaimantSubmission(_Submission):
    body: Key = Field(description="a street code or department id")
    stance: Literal["claims", "disclaims"] = Field("claims", description="主张 / 否认管辖")


class DisputeSubmission(_Submission):
    """A jurisdiction dispute (管辖争议) between two or more bodies over one case."""

    id: Key | None = Field(None, description="争议编号; none: a DSP-… id is generated")
    case_id: Key = Field(description="the case in dispute")
    claimants: list[ClaimantSubmission] = Field(description="at least two streets / departments")
    raised_at: Moment = Field(description="提出时间")
    note: str | None = Field(None, description="争议说明")
    resolved_by: Key | None = Field(
        None, description="resolving department id; none: the region's dispute_resolver policy"
    )

    @field_validator("claimants", mode="before")
    @classmethod
    def _plain_keys_claim(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"body": v} if isinstance(v, str) else v for v in value]
        return value


class DecisionSubmission(_Submission):
    """The decision on a dispute (管辖争议决定): for whom, on what basis, by whom."""

    dispute_id: Key
    decided_for: Key = Field(description="a claimant: street code/name or department id/name")
    basis: Key = Field(description="决定依据")
    decided_by: Key = Field(description="决定机关 (who decided, not who records it)")
    decided_at: Moment | None = Field(None, description="决定时间; none: now")
    decision: str | None = Field(None, description="决定内容; none: 由…管辖")


class DisputeRaised(BaseModel):
    """A dispute raised (争议已登记): its id, its audit entry and who settles it."""

    dispute_id: str = Field(description="争议编号 (as given or generated)")
    audit_id: str = Field(description="the audit entry of this write")
    resolved_by: str | None = Field(description="the department that settles it, if any")


class CatalogUploadMetadata(_Submission):
    """What an uploaded catalog is (目录元数据): the fields of a .meta.yaml beside a file."""

    effective: date = Field(description="生效日期")
    series: str | None = Field(None, description="版本系列; none: the file name")
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = Field(None, description="文号")
    kind: CatalogKind | None = None
    published: date | None = None
    region: str | None = Field(None, description="issuing county code (GB/T 2260)")
    streets: Literal["all", "column"] | list[str] | None = None
    mode: DelegationMode | None = None
    department: str | None = None
    item_type: ItemType | None = None
    domain: str | None = None
    confirmation: str | None = Field(None, description="赋权确认书")


class UploadProblem(BaseModel):
    """One problem in an uploaded file, where a spreadsheet user finds it (header = row 1)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str
    suggestion: str | None = None


class UploadResult(BaseModel):
    catalog_id: str
    file: str = Field(description="the uploaded file's name")
    sha256: str
    rows: int
    items: int
    delegations_started: int
    delegations_continued: int
    delegations_ended: int
    unchanged: bool = Field(description="this very file was loaded before: nothing changed")
    audit_id: str
    warnings: list[UploadProblem] = Field(default_factory=list)


class CatalogCheck(BaseModel):
    """The check report of an uploaded catalog (检查报告): every error and warning `authreg load`
    would give, before anything touches the graph."""

    file: str
    rows: int = Field(description="catalog rows read")
    problems: list[UploadProblem] = Field(default_factory=list)
    warnings: list[UploadProblem] = Field(default_factory=list)


class GraphChanged(RecordError):
    """The graph was written to between a preview and its confirmation: nothing was loaded."""


class CatalogRejected(RecordError):
    """An uploaded catalog with errors: nothing was loaded; `problems` lists them all."""

    def __init__(self, file: str, problems: list[UploadProblem]) -> None:
        first = problems[0]
        where = "".join(
            [
                f", row {first.row}" if first.row else "",
                f", column 「{first.column}」" if first.column else "",
            ]
        )
        value = f" (value {first.value!r})" if first.value else ""
        super().__init__(
            f"{file}: nothing loaded, {len(problems)} problem(s); "
            f"first{where}: {first.message}{value}"
        )
        self.file, self.problems = file, problems


def parse_submission(model: type[S], fields: Mapping[str, Any]) -> S:
    """A submission from the API's input, or RecordError naming the first bad field."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        raise RecordError(f"{where}: {err['msg']} (value {err.get('input')!r})") from exc


def record_case(
    tx: ManagedTransaction,
    case: CaseSubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> str:
    """Record a new case (案件) with its item, place, handler and officers; returns the audit id.

    As in a cases file, a case about an item no loaded catalog lists is kept (cases happen
    whatever the catalogs say): given `item_name`, the item is recorded as unlisted, and
    `case_warnings` says so."""
    _require_new(tx, Label.CASE, case.id)
    if not write.existing_keys(tx, Label.ENFORCEMENT_ITEM, [case.item_code]):
        if case.item_name is None:
            raise RecordError(
                f"item_code: no loaded catalog lists item {case.item_code!r}; to record a case "
                "about an item no catalog lists, give item_name too (the case is kept and the "
                "item recorded as unlisted, 事项未列入任何目录)"
            )
        item = unlisted_item(case.item_code, case.item_name, case.item_type, None)
        write.write_case_nodes(tx, Label.ENFORCEMENT_ITEM.value, [item])
    _require(tx, Label.STREET, [case.street_code], "street_code")
    _require(tx, Label.OFFICER, case.officers, "officers")
    handler = _body(tx, case.handled_by, "handled_by") if case.handled_by else None
    if case.filed_at and case.occurred_on and _day(case.filed_at) < case.occurred_on:
        raise RecordError("filed_at: a case is not filed before the day it occurred (occurred_on)")
    node = Case(**case.model_dump(include=set(Case.model_fields) - {"source"}))
    _create(tx, Label.CASE, node.to_properties())
    write.write_org_links(tx, _case_links(case, handler))
    return _audit(tx, actor, role, RECORD_CASE, source, case.id, case)


def case_warnings(tx: ManagedTransaction, case: CaseSubmission) -> list[str]:
    """What a person should know about a recorded case: its item listed by no catalog."""
    if write.find_ids(tx, "ListedEnforcementItem", [case.item_code]):
        return []
    return [
        f"item_code: case {case.id} names item 「{case.item_code}」, which no loaded catalog "
        "lists (事项未列入任何目录); the case is kept and the item recorded as unlisted — case "
        "checks cannot judge its authority"
    ]


def record_transfer(
    tx: ManagedTransaction,
    transfer: TransferSubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> str:
    """Record a case's transfer (移送) from one body to another; returns the audit id."""
    _require_new(tx, Label.TRANSFER, transfer.id)
    _require(tx, Label.CASE, [transfer.case_id], "case_id")
    sender = _body(tx, transfer.sender, "from")
    receiver = _body(tx, transfer.receiver, "to")
    if transfer.sender == transfer.receiver:
        raise RecordError("to: a case is transferred to another body than the sender (from)")
    if transfer.received_at and transfer.received_at < transfer.sent_at:
        raise RecordError("received_at: a transfer is not received before it was sent (sent_at)")
    node = Transfer(**transfer.model_dump(include=set(Transfer.model_fields) - {"source"}))
    _create(tx, Label.TRANSFER, node.to_properties())
    write.write_org_links(
        tx,
        [
            _link(Rel.HAS_TRANSFER, Label.CASE, transfer.case_id, Label.TRANSFER, transfer.id),
            _link(Rel.FROM, Label.TRANSFER, transfer.id, sender, transfer.sender),
            _link(Rel.TO, Label.TRANSFER, transfer.id, receiver, transfer.receiver),
        ],
    )
    return _audit(tx, actor, role, RECORD_TRANSFER, source, transfer.id, transfer)


def record_matter(
    tx: ManagedTransaction,
    matter: MatterSubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> str:
    """Record a received matter (首问登记) as a case lead with its receiver; returns the audit id.
    Its hand-ons are transfers (record_transfer); its reply is record_reply."""
    _require_new(tx, Label.CASE, matter.id)
    _require(tx, Label.ENFORCEMENT_ITEM, [matter.item_code], "item_code")
    _require(tx, Label.STREET, [matter.street_code], "street_code")
    receiver = _body(tx, matter.received_by, "received_by")
    if matter.occurred_on and _day(matter.received_at) < matter.occurred_on:
        raise RecordError("received_at: a matter is not received before the day it occurred")
    node = Case(id=matter.id, occurred_on=matter.occurred_on, summary=matter.summary)
    extra = {"received_at": matter.received_at, "channel": matter.channel, "urgent": matter.urgent}
    _create(tx, Label.CASE, node.to_properties() | extra)
    write.write_org_links(
        tx,
        [
            _link(Rel.CONCERNS, Label.CASE, matter.id, Label.ENFORCEMENT_ITEM, matter.item_code),
            _link(Rel.OCCURRED_IN, Label.CASE, matter.id, Label.STREET, matter.street_code),
            _link(Rel.RECEIVED_BY, Label.CASE, matter.id, receiver, matter.received_by),
        ],
    )
    return _audit(tx, actor, role, RECORD_MATTER, source, matter.id, matter)


def record_reply(
    tx: ManagedTransaction,
    reply: ReplySubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> str:
    """Record the reply to a matter's complainant (答复); returns the audit id. A matter is
    replied to once: a second reply is refused, never overwriting the first."""
    received = write.matter_receipts(tx, [reply.matter_id])
    if reply.matter_id not in received:
        raise RecordError(
            f"matter_id: no matter (a case with a receiving body, 首问登记) has id {reply.matter_id!r}"
        )
    received_at, replied_at = received[reply.matter_id]
    if replied_at is not None:
        raise RecordError(
            f"matter_id: {reply.matter_id} was replied to at {replied_at}; a reply is never "
            "overwritten"
        )
    replier = _body(tx, reply.replied_by, "replied_by")
    if reply.replied_at < received_at:
        raise RecordError("replied_at: a matter is not replied to before it was received")
    write.write_case_nodes(tx, "Case", [{"id": reply.matter_id, "replied_at": reply.replied_at}])
    link = _link(Rel.REPLIED_BY, Label.CASE, reply.matter_id, replier, reply.replied_by)
    write.write_org_links(tx, [link])
    return _audit(tx, actor, role, RECORD_REPLY, source, reply.matter_id, reply)


def raise_dispute(
    tx: ManagedTransaction,
    dispute: DisputeSubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> DisputeRaised:
    """Record a jurisdiction dispute (管辖争议), 待决, with the resolver the region's policy names.

    One open dispute per case: a second is refused until the first is decided.
    """
    dispute_id = dispute.id or f"DSP-{_day(dispute.raised_at):%Y%m%d}-{uuid.uuid4().hex[:8]}"
    _require_new(tx, Label.DISPUTE, dispute_id)
    _require(tx, Label.CASE, [dispute.case_id], "case_id")
    claimants = _claimants(tx, dispute.claimants)
    pending = write.open_disputes(tx, dispute.case_id, DisputeStatus.OPEN.value)
    if pending:
        raise RecordError(
            f"case_id: case {dispute.case_id} already has an open dispute ({pending[0]}, "
            f"{DisputeStatus.OPEN.value}); decide it before raising another"
        )
    resolver = _resolver(tx, dispute)
    node = Dispute(id=dispute_id, raised_at=dispute.raised_at, status=DisputeStatus.OPEN)
    _create(tx, Label.DISPUTE, node.to_properties() | {"note": dispute.note})
    write.write_org_links(tx, _dispute_links(dispute_id, dispute.case_id, claimants, resolver))
    submitted = dispute.model_copy(update={"id": dispute_id, "resolved_by": resolver})
    audit_id = _audit(tx, actor, role, RAISE_DISPUTE, source, dispute_id, submitted)
    return DisputeRaised(dispute_id=dispute_id, audit_id=audit_id, resolved_by=resolver)


def decide_dispute(
    tx: ManagedTransaction,
    decision: DecisionSubmission,
    *,
    actor: str,
    role: str | None,
    source: str | None,
) -> str:
    """Record a dispute's decision (loaders.decisions: validated, never overwritten); audit id."""
    return record_decision(
        tx,
        dispute=decision.dispute_id,
        decided_for=decision.decided_for,
        basis=decision.basis,
        by=decision.decided_by,
        at=decision.decided_at or datetime.now(CHINA_TZ),
        decision=decision.decision,
        actor=_actor(actor),
        role=role,
        source=source,
    )


def load_catalog_upload(
    driver: Driver,
    settings: Settings,
    *,
    path: Path,
    filename: str,
    metadata: CatalogUploadMetadata | None,
    actor: str,
    role: str | None,
    allow_mass_withdrawal: bool = False,
    expected_generation: GraphGeneration | None = None,
) -> UploadResult:
    """Load one uploaded catalog (目录上传) all or nothing, with its audit entry in the same
    transaction. A file with errors raises CatalogRejected listing every problem: those of its
    rows, and those only the graph shows (loaders.rehearsal: unknown names, versions, a new
    version ending most of what its series holds in force without `allow_mass_withdrawal`).
    With `expected_generation` (the graph's write counter when the load was previewed), the
    write transaction first checks the graph is still that one, else writes nothing and raises
    GraphChanged: a confirmed preview loads onto the graph it was shown on, or not at all."""
    name = _upload_name(filename)
    _actor(actor)
    # Staged under its original name: the name gives the catalog its series and source_file.
    with TemporaryDirectory(prefix="authreg-upload-") as folder:
        staged = Path(folder) / name
        shutil.copyfile(path, staged)
        plan, warnings = _plan_upload(staged, metadata)
        _rehearse_upload(driver, settings, plan, allow_mass_withdrawal)
        with open_session(driver, settings.neo4j_database) as session:
            try:
                outcome, audit_id = session.execute_write(
                    _write_upload, plan, actor, role, allow_mass_withdrawal, expected_generation
                )
            except InputError as exc:
                raise CatalogRejected(name, [_input_problem(exc)]) from exc
    warnings += [UploadProblem(file=name, message=text) for text in outcome.warnings]
    return UploadResult(
        catalog_id=outcome.catalog_id,
        file=name,
        sha256=plan.catalog.checksum,
        rows=len(plan.rows),
        items=outcome.items,
        delegations_started=outcome.started,
        delegations_continued=outcome.continued,
        delegations_ended=outcome.ended,
        unchanged=outcome.unchanged,
        audit_id=audit_id,
        warnings=warnings,
    )


def check_catalog(path: Path, metadata: CatalogUploadMetadata) -> CatalogCheck:
    """Read and validate an uploaded file as `authreg load` plans it, with `metadata` as the
    .meta.yaml it stands for; nothing touches the graph. The file's name is its series'."""
    check, _ = _checked(path, metadata)
    return check


def preview_catalog_upload(
    driver: Driver,
    settings: Settings,
    *,
    path: Path,
    filename: str,
    metadata: CatalogUploadMetadata,
    personal: bool = False,
) -> tuple[CatalogCheck, CatalogPreview | None]:
    """The check report of an upload and, when it finds no error, what loading it would change
    (loaders.preview: loaded in a transaction that is rolled back; nothing is committed). The
    problems only the graph shows (loaders.rehearsal) join the report; then there is no preview."""
    name = _upload_name(filename)
    with TemporaryDirectory(prefix="authreg-preview-") as folder:
        staged = Path(folder) / name
        shutil.copyfile(path, staged)
        check, plan = _checked(staged, metadata)
        if plan is None:
            return check, None
        try:
            _rehearse_upload(driver, settings, plan, False)
            shown = _preview_or_refuse(driver, settings, plan, name, personal)
        except CatalogRejected as exc:
            return check.model_copy(update={"problems": exc.problems}), None
        return check, shown


def _preview_or_refuse(
    driver: Driver, settings: Settings, plan: CatalogPlan, name: str, personal: bool
) -> CatalogPreview:
    """The preview; the writer's refusal (the graph changed since the rehearsal, e.g. someone
    loaded a later version of the series) joins the report as load_catalog_upload's does, and a
    transaction timeout is a refusal with a sentence, never an unexplained failure."""
    try:
        return preview_catalog(driver, settings, plan, personal=personal)
    except InputError as exc:
        raise CatalogRejected(name, [_input_problem(exc)]) from exc
    except ClientError as exc:
        if "TransactionTimedOut" not in (exc.code or ""):
            raise
        raise PreviewRefused(
            f"{name}: the preview took longer than the {PREVIEW_TIMEOUT_S:.0f} s it is allowed "
            "(the registry is busy or the list is long) and was abandoned, nothing written; "
            "preview again later, or check and load it with `authreg load --check` and "
            "`authreg load`"
        ) from exc


def _checked(
    path: Path, metadata: CatalogUploadMetadata
) -> tuple[CatalogCheck, CatalogPlan | None]:
    report = LoadReport()
    overrides = metadata.model_dump(exclude_none=True)
    plan = plan_load([path], report, need_metadata=True, overrides=overrides)
    check = CatalogCheck(
        file=path.name,
        rows=sum(len(catalog.rows) for catalog in plan.catalogs),
        problems=[upload_problem(p) for p in report.errors],
        warnings=[upload_problem(p) for p in report.warnings],
    )
    return check, (None if report.errors else plan.catalogs[0])


# -- validation against the graph -------------------------------------------------------------

_NAMES = {
    Label.ENFORCEMENT_ITEM: "enforcement item has code",
    Label.STREET: "street has code",
    Label.DEPARTMENT: "department has id",
    Label.OFFICER: "officer holds certificate number",
    Label.CASE: "case is recorded with id",
}


def _require(tx: ManagedTransaction, label: Label, keys: list[str], field: str) -> None:
    missing = sorted(set(keys) - write.existing_keys(tx, label, keys))
    if missing:
        raise RecordError(f"{field}: no {_NAMES[label]} {', '.join(map(repr, missing))}")


def _require_new(tx: ManagedTransaction, label: Label, key: str) -> None:
    if write.existing_keys(tx, label, [key]):
        raise RecordError(
            f"id: {label.value} {key} is already recorded; a record is never overwritten "
            "(give the new record its own id)"
        )


def _body(tx: ManagedTransaction, key: str, field: str) -> Label:
    """A street (by code) or a department (by id): which one `key` names."""
    for label in (Label.STREET, Label.DEPARTMENT):
        if write.existing_keys(tx, label, [key]):
            return label
    raise RecordError(f"{field}: {key!r} is neither a street code nor a department id")


def _claimants(
    tx: ManagedTransaction, claimants: list[ClaimantSubmission]
) -> list[tuple[Label, ClaimantSubmission]]:
    bodies = [c.body for c in claimants]
    if len(set(bodies)) < 2 or len(set(bodies)) != len(bodies):
        raise RecordError(
            "claimants: a dispute is between at least two different bodies, each named once"
        )
    return [(_body(tx, c.body, "claimants"), c) for c in claimants]


def _resolver(tx: ManagedTransaction, dispute: DisputeSubmission) -> str | None:
    """The department given, else the one the case region's dispute_resolver policy names."""
    if dispute.resolved_by:
        _require(tx, Label.DEPARTMENT, [dispute.resolved_by], "resolved_by")
        return dispute.resolved_by
    found = write.dispute_resolvers(tx, dispute.case_id, RESOLVER_RULE, _day(dispute.raised_at))
    if len(found) > 1:
        raise RecordError(
            f"resolved_by: the region's policies name several resolvers ({', '.join(found)}); "
            "name the one that settles this dispute"
        )
    return found[0] if found else None


def _actor(actor: str) -> str:
    if not actor or not actor.strip():
        raise RecordError("actor: every write names who makes it")
    return actor


def _day(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


# -- writing ----------------------------------------------------------------------------------


def _create(tx: ManagedTransaction, label: Label, props: dict[str, Any]) -> None:
    try:
        write.create_record_node(tx, label.value, props)
    except ConstraintError as exc:  # recorded by someone else since _require_new looked
        raise RecordError(f"id: {label.value} {props['id']} is already recorded") from exc


def _link(
    rel: Rel, start: Label, a: str, end: Label, b: str, props: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A row for write.write_org_links, the records loader's link writer."""
    return {
        "type": rel.value,
        "start": start.value,
        "end": end.value,
        "a": a,
        "b": b,
        "props": props or {},
    }


def _case_links(case: CaseSubmission, handler: Label | None) -> list[dict[str, Any]]:
    links = [
        _link(Rel.CONCERNS, Label.CASE, case.id, Label.ENFORCEMENT_ITEM, case.item_code),
        _link(Rel.OCCURRED_IN, Label.CASE, case.id, Label.STREET, case.street_code),
    ]
    if handler is not None and case.handled_by:
        props = {"filed_at": case.filed_at}
        links.append(_link(Rel.HANDLED_BY, Label.CASE, case.id, handler, case.handled_by, props))
    return links + [
        _link(Rel.HANDLED_BY_OFFICER, Label.CASE, case.id, Label.OFFICER, officer)
        for officer in case.officers
    ]


def _dispute_links(
    dispute_id: str,
    case_id: str,
    claimants: list[tuple[Label, ClaimantSubmission]],
    resolver: str | None,
) -> list[dict[str, Any]]:
    links = [_link(Rel.ABOUT, Label.DISPUTE, dispute_id, Label.CASE, case_id)]
    links += [
        _link(Rel.CLAIMANT, Label.DISPUTE, dispute_id, label, c.body, {"stance": c.stance})
        for label, c in claimants
    ]
    if resolver:
        links.append(_link(Rel.RESOLVED_BY, Label.DISPUTE, dispute_id, Label.DEPARTMENT, resolver))
    return links


def _audit(
    tx: ManagedTransaction,
    actor: str,
    role: str | None,
    action: str,
    source: str | None,
    target: str,
    submission: BaseModel,
) -> str:
    detail = submission.model_dump(mode="json")
    entry = write.audit_entry(_actor(actor), role, action, source, target, detail)
    return write.create_audit_entry(tx, entry)


# -- catalog uploads ----------------------------------------------------------------------------


def _upload_name(filename: str) -> str:
    """The uploaded file's own name, without any folder a browser sent with it."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name.startswith(".") or Path(name).suffix.lower() not in _CATALOG_SUFFIXES:
        raise CatalogRejected(
            name or "(no name)",
            [UploadProblem(file=name, message="a catalog is a .csv, .tsv, .txt or .xlsx file")],
        )
    return name


_CATALOG_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES


def _plan_upload(
    staged: Path, metadata: CatalogUploadMetadata | None
) -> tuple[CatalogPlan, list[UploadProblem]]:
    if metadata is None:
        problem = "an uploaded catalog needs its metadata, at least the effective date (生效日期)"
        raise CatalogRejected(staged.name, [UploadProblem(file=staged.name, message=problem)])
    check, catalog = _checked(staged, metadata)
    if catalog is None:
        raise CatalogRejected(staged.name, check.problems)
    return catalog, check.warnings


def _rehearse_upload(
    driver: Driver, settings: Settings, plan: CatalogPlan, allow_mass_withdrawal: bool
) -> None:
    """Every problem writing would find, all of them, before the write (as `authreg load`)."""
    report = LoadReport()
    with graph_reader(driver, settings.neo4j_database) as read:
        rehearse(
            LoadPlan(catalogs=[plan]), report, read, allow_mass_withdrawal=allow_mass_withdrawal
        )
    if report.errors:
        raise CatalogRejected(plan.file.name, [upload_problem(p) for p in report.errors])


def _write_upload(
    tx: ManagedTransaction,
    plan: CatalogPlan,
    actor: str,
    role: str | None,
    allow_mass_withdrawal: bool = False,
    expected_generation: GraphGeneration | None = None,
) -> tuple[CatalogOutcome, str]:
    """write_catalog (what `authreg load` runs per file), then the audit entry, in one transaction.

    With `expected_generation`, the graph is checked before writing and again just before the
    commit: a write another session committed meanwhile (a second 确认载入 of the same preview
    waits on the first's locks, then sees its commit here) makes this one write nothing."""
    _still_previewed(tx, plan, expected_generation)
    outcome = write_catalog(tx, plan, allow_mass_withdrawal)
    detail = {**outcome.detail(), "rows": len(plan.rows)}
    source = f"upload:{plan.file.name} sha256:{plan.catalog.checksum}"
    entry = write.audit_entry(actor, role, LOAD_CATALOG, source, outcome.catalog_id, detail)
    audit_id = write.create_audit_entry(tx, entry)
    _still_previewed(tx, plan, expected_generation)
    write.bump_generation(tx)  # last, in the same transaction: caches see the upload with it
    return outcome, audit_id


def _still_previewed(
    tx: ManagedTransaction, plan: CatalogPlan, expected: GraphGeneration | None
) -> None:
    """GraphChanged unless the graph's committed writes are still those the preview saw."""
    if expected is not None and graph_generation(tx) != expected:
        raise GraphChanged(
            f"{plan.file.name}: nothing loaded; the registry changed after the preview (another "
            "load or record was written): preview the file again to see what loading it changes now"
        )


def upload_problem(problem: Problem) -> UploadProblem:
    """A load report's problem as the upload answers it (file, sheet, row, column, value…)."""
    return UploadProblem(
        file=problem.file,
        sheet=problem.sheet,
        row=problem.row,
        column=problem.column,
        value=problem.value,
        message=problem.message,
        suggestion=problem.suggestion,
    )


def _input_problem(exc: InputError) -> UploadProblem:
    return UploadProblem(
        file=exc.file.name, sheet=exc.sheet, row=exc.row, column=exc.column, message=exc.problem
    )
