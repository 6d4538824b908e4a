"""Writes through the API (变更): cases, transfers, disputes, decisions and catalog uploads.

Each mutation checks the caller's role before anything runs, validates its input with the
loaders' own models, and writes through `loaders/` in one transaction together with an audit
entry naming who (the key's holder and role), when, and from which source (the operation and
the request id; for an upload the file's name and SHA-256).
"""

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

import strawberry
from strawberry import Info
from strawberry.file_uploads import Upload

from authreg.errors import RecordError
from graphql_api.auth import Caller, CanAdminister, CanEdit, CanReview
from graphql_api.connections import Connection, paged
from graphql_api.context import Context
from graphql_api.errors import BadUserInput, NotFound
from graphql_api.pydantic_types import graphql_input, graphql_type, input_values
from graphql_api.region_scope import within_regions
from loaders import officer_writes, submissions, zone_lists
from loaders.officer_writes import (
    OfficerSubmission,
    OfficerWriteError,
    RetireOfficerSubmission,
    TransferOfficerSubmission,
)
from loaders.submissions import (
    CaseSubmission,
    CatalogRejected,
    CatalogUploadMetadata,
    DecisionSubmission,
    DisputeRaised,
    DisputeSubmission,
    MatterSubmission,
    ReplySubmission,
    TransferSubmission,
    UploadResult,
    parse_submission,
)
from loaders.zone_lists import ZoneListApproval, ZoneListError
from queries.audit_trail import audit_trail
from schema.models import AuditEntry

CaseInput = graphql_input(CaseSubmission, "CaseInput")
TransferInput = graphql_input(TransferSubmission, "TransferInput")
MatterInput = graphql_input(MatterSubmission, "MatterInput")
MatterReplyInput = graphql_input(ReplySubmission, "MatterReplyInput")
DisputeInput = graphql_input(DisputeSubmission, "DisputeInput")
DecisionInput = graphql_input(DecisionSubmission, "DisputeDecisionInput")
CatalogMetadataInput = graphql_input(CatalogUploadMetadata, "CatalogMetadataInput")
DisputeRaisedType = graphql_type(DisputeRaised)
UploadResultType = graphql_type(UploadResult, "CatalogLoaded")
AuditEntryType = graphql_type(AuditEntry)
OfficerInput = graphql_input(OfficerSubmission, "OfficerInput")
TransferOfficerInput = graphql_input(TransferOfficerSubmission, "TransferOfficerInput")
RetireOfficerInput = graphql_input(RetireOfficerSubmission, "RetireOfficerInput")
ZoneListApprovalInput = graphql_input(ZoneListApproval, "ZoneListApprovalInput")
UPLOAD_CHUNK = 1 << 16


@strawberry.type(description="What a write recorded (写入结果)")
class Recorded:
    target: str = strawberry.field(description="The id of what was written (记录编号)")
    audit_id: str = strawberry.field(description="The audit entry of this write (审计记录编号)")
    warnings: list[str] = strawberry.field(
        default_factory=list,
        description="What was recorded but should be looked at (提示), e.g. a case about an item "
        "no loaded catalog lists",
    )


@strawberry.type(description="Change the registry (变更); every write is audited")
class Mutation:
    @strawberry.mutation(
        description="Record a new case (案件) — editor", permission_classes=[CanEdit]
    )
    async def record_case(
        self,
        info: Info[Context, None],
        case: Annotated[CaseInput, strawberry.argument(description="The case (案件)")],  # type: ignore[valid-type]
    ) -> Recorded:
        submission = _parse(CaseSubmission, case)
        handler = [submission.handled_by]
        await within_regions(info, streets=[submission.street_code, *handler], departments=handler)
        audit_id, warnings = await _write(info, _record_case, submission, "recordCase")
        return Recorded(target=submission.id, audit_id=audit_id, warnings=warnings)

    @strawberry.mutation(
        description="Record a case transfer between bodies (案件移送) — editor",
        permission_classes=[CanEdit],
    )
    async def record_transfer(
        self,
        info: Info[Context, None],
        transfer: Annotated[TransferInput, strawberry.argument(description="The transfer (移送)")],  # type: ignore[valid-type]
    ) -> Recorded:
        submission = _parse(TransferSubmission, transfer)
        sender = [submission.sender]
        await within_regions(info, cases=[submission.case_id], streets=sender, departments=sender)
        audit_id = await _write(info, submissions.record_transfer, submission, "recordTransfer")
        return Recorded(target=submission.id, audit_id=audit_id)

    @strawberry.mutation(
        description="Record a matter received under the first-contact duty (首问登记): who "
        "received it, when, by which channel; no complainant's name or phone is taken. Hand it "
        "on with recordTransfer, reply with recordMatterReply — editor",
        permission_classes=[CanEdit],
    )
    async def record_matter(
        self,
        info: Info[Context, None],
        matter: Annotated[MatterInput, strawberry.argument(description="The matter (事项)")],  # type: ignore[valid-type]
    ) -> Recorded:
        submission = _parse(MatterSubmission, matter)
        receiver = [submission.received_by]
        await within_regions(
            info, streets=[submission.street_code, *receiver], departments=receiver
        )
        audit_id = await _write(info, submissions.record_matter, submission, "recordMatter")
        return Recorded(target=submission.id, audit_id=audit_id)

    @strawberry.mutation(
        description="Record the reply to a matter's complainant (答复举报投诉人); once, never "
        "overwritten — editor",
        permission_classes=[CanEdit],
    )
    async def record_matter_reply(
        self,
        info: Info[Context, None],
        reply: Annotated[MatterReplyInput, strawberry.argument(description="The reply (答复)")],  # type: ignore[valid-type]
    ) -> Recorded:
        submission = _parse(ReplySubmission, reply)
        await within_regions(info, cases=[submission.matter_id])
        audit_id = await _write(info, submissions.record_reply, submission, "recordMatterReply")
        return Recorded(target=submission.matter_id, audit_id=audit_id)

    @strawberry.mutation(
        description="Raise a jurisdiction dispute over a case (管辖争议) — reviewer",
        permission_classes=[CanReview],
    )
    async def raise_dispute(
        self,
        info: Info[Context, None],
        dispute: Annotated[DisputeInput, strawberry.argument(description="The dispute (争议)")],  # type: ignore[valid-type]
    ) -> DisputeRaisedType:  # type: ignore[valid-type]
        submission = _parse(DisputeSubmission, dispute)
        await within_regions(info, cases=[submission.case_id])
        return await _write(info, submissions.raise_dispute, submission, "raiseDispute")

    @strawberry.mutation(
        description="Record the decision of a dispute (管辖争议决定); never overwrites one — "
        "reviewer",
        permission_classes=[CanReview],
    )
    async def record_dispute_decision(
        self,
        info: Info[Context, None],
        decision: Annotated[
            DecisionInput,  # type: ignore[valid-type]
            strawberry.argument(description="The decision (决定)"),
        ],
    ) -> Recorded:
        submission = _parse(DecisionSubmission, decision)
        await within_regions(info, disputes=[submission.dispute_id])
        audit_id = await _write(
            info, submissions.decide_dispute, submission, "recordDisputeDecision"
        )
        return Recorded(target=submission.dispute_id, audit_id=audit_id)

    @strawberry.mutation(
        description="Load an uploaded catalog file (目录), CSV or XLSX, all or nothing — editor",
        permission_classes=[CanEdit],
    )
    async def load_catalog(
        self,
        info: Info[Context, None],
        file: Annotated[Upload, strawberry.argument(description="The catalog file (目录文件)")],
        metadata: Annotated[
            CatalogMetadataInput | None,  # type: ignore[valid-type]
            strawberry.argument(description="What the file is (目录信息): effective date, …"),
        ] = None,
        allow_mass_withdrawal: Annotated[
            bool,
            strawberry.argument(
                description="Let a new version end more than half of what its series holds in "
                "force (大批收回); refused with BAD_USER_INPUT without it"
            ),
        ] = False,
    ) -> UploadResultType:  # type: ignore[valid-type]
        context = info.context
        caller: Caller = context.caller
        fields = input_values(metadata) if metadata is not None else None
        parsed = _parse(CatalogUploadMetadata, fields) if fields else None
        await within_regions(info, region=parsed.region if parsed and parsed.region else "未注明")
        name = PurePath(getattr(file, "filename", None) or "upload.csv").name
        with tempfile.TemporaryDirectory(prefix="authreg-upload-") as folder:
            path = Path(folder) / name
            await _save_upload(file, path, context.settings.api_max_upload_bytes)
            loaded = await context.in_thread(
                _load_upload,
                context,
                path=path,
                filename=name,
                metadata=parsed,
                caller=caller,
                allow_mass_withdrawal=allow_mass_withdrawal,
            )
        # The upload committed in a transaction of loaders.submissions: counted here, after it.
        await context.count_write()
        return loaded

    @strawberry.mutation(
        description="Register a new officer (新增执法人员) with certificate, unit and postings, "
        "without reloading an organisation file — editor",
        permission_classes=[CanEdit],
    )
    async def add_officer(
        self,
        info: Info[Context, None],
        officer: Annotated[OfficerInput, strawberry.argument(description="The officer (执法人员)")],  # type: ignore[valid-type]
    ) -> Recorded:
        submission = _parse_officer(OfficerSubmission, officer)
        await within_regions(info, units=[submission.unit], **_posted(submission.postings))
        audit_id = await _write_officer(info, officer_writes.add_officer, submission, "addOfficer")
        return Recorded(target=submission.id, audit_id=audit_id)

    @strawberry.mutation(
        description="Move an officer to another unit on a day (调动); open postings end the day "
        "before — editor",
        permission_classes=[CanEdit],
    )
    async def transfer_officer(
        self,
        info: Info[Context, None],
        transfer: Annotated[
            TransferOfficerInput,  # type: ignore[valid-type]
            strawberry.argument(description="The transfer (调动)"),
        ],
    ) -> Recorded:
        submission = _parse_officer(TransferOfficerSubmission, transfer)
        await within_regions(
            info,
            officers=[submission.officer_id],
            units=[submission.to_unit],
            **_posted(submission.postings),
        )
        audit_id = await _write_officer(
            info, officer_writes.transfer_officer, submission, "transferOfficer"
        )
        return Recorded(target=submission.officer_id, audit_id=audit_id)

    @strawberry.mutation(
        description="An officer leaves enforcement on a day (退休 / 调离): postings and "
        "certificate end, membership ends — editor",
        permission_classes=[CanEdit],
    )
    async def retire_officer(
        self,
        info: Info[Context, None],
        retirement: Annotated[
            RetireOfficerInput,  # type: ignore[valid-type]
            strawberry.argument(description="The retirement (离岗)"),
        ],
    ) -> Recorded:
        submission = _parse_officer(RetireOfficerSubmission, retirement)
        await within_regions(info, officers=[submission.officer_id])
        audit_id = await _write_officer(
            info, officer_writes.retire_officer, submission, "retireOfficer"
        )
        return Recorded(target=submission.officer_id, audit_id=audit_id)

    @strawberry.mutation(
        description="Record the approval (审查同意) of items proposed for a zone joint-enforcement "
        "list (片区联合执法基础事项清单), by the body the region's policy names; refused, with a "
        "code, for any other body (seed 000 四(二)) — reviewer",
        permission_classes=[CanReview],
    )
    async def approve_zone_list_items(
        self,
        info: Info[Context, None],
        approval: Annotated[
            ZoneListApprovalInput,  # type: ignore[valid-type]
            strawberry.argument(description="The approval (审查同意)"),
        ],
    ) -> Recorded:
        submission = _parse_officer(ZoneListApproval, approval)
        await within_regions(info, departments=[submission.approved_by])
        try:
            audit_id = await _write(
                info, zone_lists.approve_zone_list, submission, zone_lists.APPROVE_ZONE_LIST
            )
        except BadUserInput as exc:  # the context turns every RegistryError into BAD_USER_INPUT
            refused = exc.__cause__
            if not isinstance(refused, ZoneListError):
                raise
            error = NotFound if refused.reason.startswith("UNKNOWN_") else BadUserInput
            extensions = {"reason": refused.reason, "field": refused.field}
            raise error(str(refused), extensions=extensions) from refused
        return Recorded(target=submission.list_id, audit_id=audit_id)


@strawberry.type(description="The audit trail (审计记录) — admin")
class AuditQueries:
    @strawberry.field(
        description="Every write made through the API and the CLI's decisions, newest first",
        permission_classes=[CanAdminister],
    )
    async def audit_trail(
        self,
        info: Info[Context, None],
        action: Annotated[
            str | None, strawberry.argument(description="Only this action (操作), e.g. recordCase")
        ] = None,
        actor: Annotated[
            str | None, strawberry.argument(description="Only this key holder (操作人)")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (每页条数)")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor to start after")
        ] = None,
        last: Annotated[int | None, strawberry.argument(description="Rows before `before`")] = None,
        before: Annotated[
            str | None, strawberry.argument(description="Cursor to end before")
        ] = None,
    ) -> Connection[AuditEntryType]:  # type: ignore[valid-type]
        async def fetch(skip: int, limit: int) -> Any:
            return await info.context.read(
                audit_trail, action=action, actor=actor, skip=skip, limit=limit
            )

        return await paged(info, fetch, first=first, after=after, last=last, before=before)


def _parse_officer(model: Any, value: Any) -> Any:
    try:
        return parse_submission(model, input_values(value))
    except RecordError as exc:
        raise BadUserInput(str(exc), extensions={"reason": "INVALID_INPUT"}) from exc


def _posted(postings: list[Any]) -> dict[str, list[str]]:
    """A posting's target is a street code or a zone id: both are checked (one exists)."""
    targets = [post.to for post in postings]
    return {"streets": targets, "zones": targets}


async def _write_officer(info: Info[Context, None], writer: Any, submission: Any, name: str) -> str:
    """The officer write; a refusal carries its code (extensions.reason), unknown targets as
    NOT_FOUND, the rest as BAD_USER_INPUT."""
    try:
        return await _write(info, writer, submission, name)
    except BadUserInput as exc:  # the context turns every RegistryError into BAD_USER_INPUT
        refused = exc.__cause__
        if not isinstance(refused, OfficerWriteError):
            raise
        error = NotFound if refused.reason.startswith("UNKNOWN_") else BadUserInput
        extensions = {"reason": refused.reason, "field": refused.field}
        raise error(str(refused), extensions=extensions) from refused


def _record_case(tx: Any, case: CaseSubmission, **who: Any) -> tuple[str, list[str]]:
    """The case written, and what its writer should look at (in the same transaction)."""
    return submissions.record_case(tx, case, **who), submissions.case_warnings(tx, case)


def _parse(model: Any, value: Any) -> Any:
    try:
        return parse_submission(model, input_values(value))
    except RecordError as exc:
        raise BadUserInput(str(exc)) from exc


async def _write(info: Info[Context, None], writer: Any, submission: Any, operation: str) -> Any:
    context = info.context
    caller: Caller = context.caller
    source = f"graphql:{operation} request:{context.request_id}"

    def work(tx: Any) -> Any:
        return writer(tx, submission, actor=caller.name, role=caller.role.value, source=source)

    return await context.write(work)  # which also bumps the graph's write counter


def _load_upload(context: Context, *, caller: Caller, **upload: Any) -> UploadResult:
    """Load the saved upload; a rejected file's problems travel in the error's extensions."""
    try:
        return submissions.load_catalog_upload(
            context.driver, context.settings, actor=caller.name, role=caller.role.value, **upload
        )
    except CatalogRejected as exc:
        problems = [problem.model_dump() for problem in exc.problems]
        raise BadUserInput(str(exc), extensions={"problems": problems}) from exc


async def _save_upload(upload: Any, path: Path, limit: int) -> None:
    """Copy the upload to `path`, refusing it once it passes `limit` bytes (nothing kept)."""
    size = 0
    with path.open("wb") as target:
        while chunk := await upload.read(UPLOAD_CHUNK):
            size += len(chunk)
            if size > limit:
                raise BadUserInput(
                    f"the file is larger than the upload limit of {limit:,} bytes (文件过大)"
                )
            target.write(chunk)
