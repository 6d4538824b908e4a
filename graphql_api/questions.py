"""The registry's questions as root fields (查询): each calls its function in `queries/`.

Expected outcomes — no such item, two candidate authorities in conflict, an item no catalog lists
— are answers in the schema (`outcome`, `found`, notes); the `errors` list is for bad input
(BAD_USER_INPUT), missing rights (UNAUTHENTICATED / FORBIDDEN) and the unexpected.

authority, legalBasis and caseChecks go through the answer cache (graphql_api.answer_cache),
keyed by their arguments with the day resolved: their answers depend on the graph alone, not on
the clock (a question whose answer moves with the time, such as overdueTransfers, must not).

Officers' names and certificate numbers (个人信息) reach only editors, reviewers and admins: the
structured fields that hold them are masked per field (graphql_api.pydantic_types), and the
questions whose sentences would name officers (coverageGaps, caseChecks) are asked with
`personal`, so the sentence is written for the caller; the answer cache keeps one per kind.
"""

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import Info

from graphql_api.auth import PERSONAL_DATA_ROLES, CanRead
from graphql_api.context import Context
from graphql_api.errors import BadUserInput
from graphql_api.pydantic_types import graphql_type
from queries.authority import AuthorityAnswer, authority
from queries.case_checks import CaseChecks, case_checks
from queries.catalog_diff import CatalogDiff, catalog_diff
from queries.certificates import MAX_NOTICE_DAYS, Certificates, certificates
from queries.coverage_gaps import CoverageGaps, coverage_gaps
from queries.coverage_matrix import CoverageMatrix, coverage_matrix
from queries.dispute_candidates import DisputeCandidates, dispute_candidates
from queries.duties import DutiesAnswer, duties
from queries.evaluation import Evaluation, evaluation
from queries.first_contact import FirstContact, first_contact
from queries.guide_uptake import GuideUptake, guide_uptake
from queries.impact import DEFAULT_LIMIT, Impact, impact
from queries.law_changes import LawChanges, law_changes
from queries.legal_basis import LegalBasis, legal_basis
from queries.overdue_transfers import OverdueTransfers, overdue_transfers
from queries.responsibility_chain import ResponsibilityChain, responsibility_chain
from queries.staffing import Staffing, staffing
from queries.working_days import CHINA_TZ
from queries.working_days import china_today as today  # China's date, the machine's clock aside

AuthorityType = graphql_type(AuthorityAnswer, "Authority")
LegalBasisType = graphql_type(LegalBasis)
LawChangesType = graphql_type(LawChanges)
ImpactType = graphql_type(Impact)
CatalogDiffType = graphql_type(CatalogDiff)
CoverageGapsType = graphql_type(CoverageGaps)
CoverageMatrixType = graphql_type(CoverageMatrix)
EvaluationType = graphql_type(Evaluation)
ResponsibilityChainType = graphql_type(ResponsibilityChain)
OverdueTransfersType = graphql_type(OverdueTransfers)
DisputeCandidatesType = graphql_type(DisputeCandidates)
FirstContactType = graphql_type(FirstContact)
CaseChecksType = graphql_type(CaseChecks)
CertificatesType = graphql_type(Certificates)
GuideUptakeType = graphql_type(GuideUptake)
DutiesType = graphql_type(DutiesAnswer, "Duties")
StaffingType = graphql_type(Staffing)

AS_OF = "The day asked about, Beijing time (查询日期); today when omitted"
ITEM = "Enforcement item by code or exact name (事项编码或名称)"
STREET = "Street or town by code or exact name (街道/乡镇编码或名称)"
REGION = "County-level region by code or exact name (县级行政区编码或名称)"
NOW = "The moment to judge at (判定时间), ISO 8601; now when omitted"
CASE = "Case id (案件编号)"
# Root fields answered through the answer cache (their answers depend on the graph alone).
CACHED_QUESTIONS = frozenset({"authority", "legalBasis", "caseChecks"})


def personal(info: Info[Context, None]) -> bool:
    """Whether the caller may read officers' names and certificate numbers (个人信息): the
    answers whose sentences name officers are written for the caller (queries.officer_text)."""
    caller = info.context.caller
    return caller is not None and not caller.anonymous and caller.role in PERSONAL_DATA_ROLES


@strawberry.type(description="The registry's questions (查询)")
class Questions:
    @strawberry.field(
        description="Who may enforce the item in the street on that day (执法主体), with the "
        "delegation, catalogs, legal basis and rule as evidence; a conflict is never resolved "
        "silently",
        permission_classes=[CanRead],
    )
    async def authority(
        self,
        info: Info[Context, None],
        item: Annotated[str, strawberry.argument(description=ITEM)],
        street: Annotated[str, strawberry.argument(description=STREET)],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> AuthorityType:  # type: ignore[valid-type]
        day = as_of or today()
        return await info.context.answer(authority, item=item, street=street, as_of=day)

    @strawberry.field(
        description="The item's legal basis (实施依据): provisions, documents and their status",
        permission_classes=[CanRead],
    )
    async def legal_basis(
        self,
        info: Info[Context, None],
        item: Annotated[str, strawberry.argument(description=ITEM)],
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description=AS_OF + "; each citation is read against the law's version in force "
                "then (依据需更新 when a later version replaced the cited one)"
            ),
        ] = None,
    ) -> LegalBasisType:  # type: ignore[valid-type]
        return await info.context.answer(legal_basis, item=item, as_of=as_of or today())

    @strawberry.field(
        description="What rests on a law or one of its articles (修法影响): totals, counts per "
        "county and delegation mode, and a page of the items with their catalog rows and open "
        "cases; with item, that item's delegations in force, by page",
        permission_classes=[CanRead],
    )
    async def impact(
        self,
        info: Info[Context, None],
        document: Annotated[
            str, strawberry.argument(description="Law by title, with or without 《》 (法律文件)")
        ],
        article: Annotated[
            int | None, strawberry.argument(description="Article number (条)")
        ] = None,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
        item: Annotated[
            str | None,
            strawberry.argument(
                description="One item's code: list its delegations in force, by page (赋权明细)"
            ),
        ] = None,
        limit: Annotated[
            int,
            strawberry.argument(
                description="Rows per page: items, or the item's delegations (每页); at most the "
                "API's page size"
            ),
        ] = DEFAULT_LIMIT,
        offset: Annotated[
            int,
            strawberry.argument(description="Rows before the page (偏移); the answer's nextOffset"),
        ] = 0,
    ) -> ImpactType:  # type: ignore[valid-type]
        most = info.context.settings.api_max_page_size
        if not 0 <= limit <= most:
            raise BadUserInput(f"limit must be between 0 and {most} (got {limit})")
        return await info.context.read(
            impact,
            document=document,
            article=article,
            as_of=as_of or today(),
            item=item,
            offset=offset,
            limit=limit,
        )

    @strawberry.field(
        description="Items gained and withdrawn between two days (目录变化), each with the "
        "catalog or notice that changed it; give a street or a region",
        permission_classes=[CanRead],
    )
    async def catalog_diff(
        self,
        info: Info[Context, None],
        from_date: Annotated[date, strawberry.argument(description="The earlier day (起始日)")],
        to_date: Annotated[date, strawberry.argument(description="The later day (截止日)")],
        street: Annotated[str | None, strawberry.argument(description=STREET)] = None,
        region: Annotated[str | None, strawberry.argument(description=REGION)] = None,
    ) -> CatalogDiffType:  # type: ignore[valid-type]
        return await info.context.read(
            catalog_diff, street=street, region=region, from_date=from_date, to_date=to_date
        )

    @strawberry.field(
        description="Coverage gaps (覆盖缺口) of a region or one zone on that day, each with "
        "its rule, source, subjects, measured value and fix",
        permission_classes=[CanRead],
    )
    async def coverage_gaps(
        self,
        info: Info[Context, None],
        region: Annotated[
            str | None,
            strawberry.argument(
                description="County by code or exact name (县级行政区编码或名称); a city or "
                "province for all its counties in one call; 全国 for every county"
            ),
        ] = None,
        zone: Annotated[
            str | None, strawberry.argument(description="Zone id or name (片区)")
        ] = None,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> CoverageGapsType:  # type: ignore[valid-type]
        return await info.context.read(
            coverage_gaps,
            region=region,
            zone=zone,
            as_of=as_of or today(),
            personal=personal(info),
        )

    @strawberry.field(
        description="Streets × items of a region (赋权矩阵): the subject of every cell",
        permission_classes=[CanRead],
    )
    async def coverage_matrix(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> CoverageMatrixType:  # type: ignore[valid-type]
        return await info.context.read(coverage_matrix, region=region, as_of=as_of or today())

    @strawberry.field(
        description="Evaluation of delegated items (赋权事项评估, 行政处罚法 第二十四条) of a county "
        "over a period: per item × street, cases filed, closed and transferred back, 零办件, "
        "capacity, and a ranked list to keep, to support and to consider returning",
        permission_classes=[CanRead],
    )
    async def evaluation(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        from_date: Annotated[
            date, strawberry.argument(description="First day of the period (起始日)")
        ],
        to_date: Annotated[
            date, strawberry.argument(description="Last day of the period (截止日)")
        ],
    ) -> EvaluationType:  # type: ignore[valid-type]
        return await info.context.read(
            evaluation, region=region, from_date=from_date, to_date=to_date
        )

    @strawberry.field(
        description="Law change notices of a county (修法通知): items whose basis a new law "
        "version or a repeal changed, per body to notify (department, streets), with open cases "
        "and the time the list was computed",
        permission_classes=[CanRead],
    )
    async def law_changes(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> LawChangesType:  # type: ignore[valid-type]
        return await info.context.read(law_changes, region=region, as_of=as_of or today())

    @strawberry.field(
        description="A province's guide list against its counties (省级指导目录承接情况): per county "
        "the guide items not taken up, the items added beyond the guide, and each match with how "
        "it was made (编码 / 名称 / 名称+条文, ambiguity shown); a guide item × county table",
        permission_classes=[CanRead],
    )
    async def guide_uptake(
        self,
        info: Info[Context, None],
        region: Annotated[
            str, strawberry.argument(description="Province by code or exact name (省级行政区)")
        ],
        county: Annotated[
            str | None, strawberry.argument(description="One county of it only (县级行政区)")
        ] = None,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> GuideUptakeType:  # type: ignore[valid-type]
        return await info.context.read(
            guide_uptake, province=region, county=county, as_of=as_of or today()
        )

    @strawberry.field(
        description="Who answers for a case, or for an item in a street (责任链): handling "
        "subject, team, zone squad, brigade, department, legal reviewer, supervisor",
        permission_classes=[CanRead],
    )
    async def responsibility_chain(
        self,
        info: Info[Context, None],
        case: Annotated[str | None, strawberry.argument(description=CASE)] = None,
        item: Annotated[str | None, strawberry.argument(description=ITEM)] = None,
        street: Annotated[str | None, strawberry.argument(description=STREET)] = None,
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> ResponsibilityChainType:  # type: ignore[valid-type]
        if case is None and (item is None or street is None):
            raise BadUserInput("give a case, or an item and a street")
        return await info.context.read(
            responsibility_chain, case=case, item=item, street=street, as_of=as_of
        )

    @strawberry.field(
        description="Transfers past their deadline (移送超期): 3 working days, 24 hours when "
        "urgent, as the region's policy says",
        permission_classes=[CanRead],
    )
    async def overdue_transfers(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        now: Annotated[datetime | None, strawberry.argument(description=NOW)] = None,
    ) -> OverdueTransfersType:  # type: ignore[valid-type]
        moment = now or datetime.now(CHINA_TZ)
        return await info.context.read(overdue_transfers, region=region, now=moment)

    @strawberry.field(
        description="First-contact duty (首问负责): each matter a body of the region received, the "
        "competent body that day, the hand-on against 3 working days / 24 hours, and the reply "
        "by the final handler; summaries for editors, reviewers and admins only",
        permission_classes=[CanRead],
    )
    async def first_contact(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        now: Annotated[datetime | None, strawberry.argument(description=NOW)] = None,
    ) -> FirstContactType:  # type: ignore[valid-type]
        moment = now or datetime.now(CHINA_TZ)
        return await info.context.read(first_contact, region=region, now=moment)

    @strawberry.field(
        description="Who leads (主体责任) and who assists (配合责任) for a matter in a town, by the "
        "county's 属地管理事项责任清单 in force that day (seed 002), with each body's duties and "
        "the list row; close matters are all shown, and no match is said",
        permission_classes=[CanRead],
    )
    async def duties(
        self,
        info: Info[Context, None],
        street: Annotated[str, strawberry.argument(description=STREET)],
        matter: Annotated[
            str, strawberry.argument(description="The matter in words (事项), e.g. 违法建设")
        ],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> DutiesType:  # type: ignore[valid-type]
        day = as_of or today()
        return await info.context.read(duties, street=street, matter=matter, as_of=day)

    @strawberry.field(
        description="Who could claim a disputed case (管辖争议) under 行政处罚法 Art. 22/24/25, "
        "with evidence, and who resolves the dispute",
        permission_classes=[CanRead],
    )
    async def dispute_candidates(
        self,
        info: Info[Context, None],
        case: Annotated[str, strawberry.argument(description=CASE)],
    ) -> DisputeCandidatesType:  # type: ignore[valid-type]
        return await info.context.read(dispute_candidates, case=case)

    @strawberry.field(
        description="Did the handling body hold the authority on the violation day (无权处罚风险, "
        "Art. 38), and was every officer certified that day",
        permission_classes=[CanRead],
    )
    async def case_checks(
        self,
        info: Info[Context, None],
        case: Annotated[str, strawberry.argument(description=CASE)],
    ) -> CaseChecksType:  # type: ignore[valid-type]
        return await info.context.answer(case_checks, case=case, personal=personal(info))

    @strawberry.field(
        description="The certificate list (执法证管理) a 司法局 sends out: certificates expiring "
        "within the region's notice period, certificates that lapsed while their holder stayed "
        "posted, officers acting in a domain their certificate does not cover; each explained",
        permission_classes=[CanRead],
    )
    async def certificates(
        self,
        info: Info[Context, None],
        region: Annotated[
            str, strawberry.argument(description=REGION + "; a city takes its counties")
        ],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
        within_days: Annotated[
            int | None,
            strawberry.argument(
                description="Notice period in days (提醒期限); the region's "
                "certificate_expiry_notice_days policy when omitted"
            ),
        ] = None,
    ) -> CertificatesType:  # type: ignore[valid-type]
        if within_days is not None and not 0 <= within_days <= MAX_NOTICE_DAYS:
            raise BadUserInput(f"withinDays: a notice period is 0 to {MAX_NOTICE_DAYS} days")
        return await info.context.read(
            certificates,
            region=region,
            as_of=as_of or today(),
            within_days=within_days,
            personal=personal(info),
        )

    @strawberry.field(
        description="Staffing establishment against staff (编制与实有人员): per team and 派驻 station "
        "the posts approved (核定编制), staff in post (实有), officers certified that day and 协管 "
        "(never officers), each with its source; findings: 超编, 编随事走 not followed, delegated "
        "domains without a certified officer",
        permission_classes=[CanRead],
    )
    async def staffing(
        self,
        info: Info[Context, None],
        region: Annotated[str, strawberry.argument(description=REGION)],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF)] = None,
    ) -> StaffingType:  # type: ignore[valid-type]
        return await info.context.read(staffing, region=region, as_of=as_of or today())
