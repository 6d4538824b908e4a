"""`authreg query …`, `authreg report …` and `authreg dispute decide` (查询、报表、争议决定)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from authreg.consoles import err, out
from authreg.errors import RegistryError

if TYPE_CHECKING:
    from queries.answers import Answer
    from queries.lookups import NamedKind, NotFound

# Nothing heavier than typer and rich is imported at start-up (issue 16): each command imports its
# question, and `ask` / `report` import the driver, the settings and the renderers when they run.

NOT_FOUND_EXIT = 1  # something named (item, street, region, zone, case, law) is not in the registry

query_app = typer.Typer(
    help="Ask the registry one question (查询); a table by default, --json for scripts. "
    f"Exit 0 answered, {NOT_FOUND_EXIT} something named is not in the registry (with the "
    "nearest names), 2 a mistake in the question or a failure.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
report_app = typer.Typer(
    help="Reports to publish or hand on (报表): table, CSV, JSON or XLSX.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
dispute_app = typer.Typer(
    help="Record jurisdiction dispute decisions (管辖争议).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="The day asked about, YYYY-MM-DD (default: today, China time)."),
]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]
Region = Annotated[str, typer.Option(help="Region (county) by GB/T 2260 code or exact name.")]
ReportFormat = Annotated[str, typer.Option("--format", help="table | csv | json | xlsx.")]
StreetOption = Annotated[
    str, typer.Option("--street", help="Street or town (街道/乡镇) by code or exact name.")
]
MatterOption = Annotated[
    str,
    typer.Option(
        "--matter", help="The matter in words (事项), e.g. 违法建设; at most 100 characters."
    ),
]
Out = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="File to write (needed for csv and xlsx): exactly this file. CSV of several tables "
        "is a .zip of one CSV per table (name it .zip), or a folder (name it without a suffix).",
    ),
]
Names = dict[str, str | None]


def ask(
    work: Callable[..., Answer], *, as_json: bool = False, names: Names | None = None, **params: Any
) -> Answer | None:
    """Run one question in a read transaction and print it. Something named that is not in the
    registry (or a not-found answer) prints the nearest names on stderr and exits 1."""
    from authreg.render import show

    answer, missing = _run(_asking, question=work, names=names or {}, **params)
    if answer is not None:
        show(answer, out(), fmt="json" if as_json else "table")
    not_found = getattr(answer, "found", True) is False
    not_found = not_found or getattr(answer, "outcome", None) == "not_found"
    for problem in missing:
        err().print(f"[bold red]not found:[/] {problem}", highlight=False)
    if missing or not_found:
        raise typer.Exit(NOT_FOUND_EXIT)
    return answer


def report(
    work: Callable[..., Answer],
    fmt: str,
    target: Path | None,
    names: Names | None = None,
    **params: Any,
) -> None:
    from authreg.render import show

    if fmt not in {"table", "csv", "json", "xlsx"}:
        raise RegistryError(f"--format {fmt!r}: choose table, csv, json or xlsx")
    answer, missing = _run(_asking, question=work, names=names or {}, **params)
    if missing:
        raise missing[0]
    show(answer, out(), fmt=fmt, out=target)  # type: ignore[arg-type]


def _asking(
    tx: Any, *, question: Callable[..., Answer], names: Names, **params: Any
) -> tuple[Answer | None, list[NotFound]]:
    """The names asked about checked first (with suggestions), then the question in the same
    transaction; a question that refuses a missing name gives no answer, only the NotFound."""
    from queries.lookups import not_found

    missing = []
    for kind, words in names.items():
        if words is not None and (problem := not_found(tx, _kind(kind), words)) is not None:
            missing.append(problem)
    try:
        return question(tx, **params), missing
    except RegistryError:
        if not missing:
            raise
        return None, missing  # the question refused the missing name: the NotFound says more


def _kind(kind: str) -> NamedKind:
    return kind  # type: ignore[return-value]


def _run(unit: Callable[..., Any], *, writing: bool = False, **params: Any) -> Any:
    from authreg import driver
    from authreg.settings import load_settings

    settings = load_settings()
    with driver.connected(settings, migrated=True) as connection:
        mode = driver.write if writing else driver.read
        return mode(connection, settings, unit, **params)


def _china_now() -> datetime:
    from queries.working_days import CHINA_TZ

    return datetime.now(CHINA_TZ)


def day(value: str | None, option: str = "--as-of") -> date:
    if value is None:
        return _china_now().date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RegistryError(f"{option} {value!r} is not a date YYYY-MM-DD") from exc


def moment(value: str | None) -> datetime:
    if value is None:
        return _china_now()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RegistryError(
            f"--now {value!r} is not a time such as 2025-06-20T09:00+08:00"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_china_now().tzinfo)


# -- questions --------------------------------------------------------------------------------


@query_app.command("authority")
def authority_command(
    item: Annotated[str, typer.Option(help="Enforcement item (执法事项) by code or exact name.")],
    street: StreetOption,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """Who enforces the item in the street on the day (执法主体), with evidence and the rule."""
    from queries.authority import authority

    names = {"item": item, "street": street}
    ask(authority, as_json=as_json, names=names, item=item, street=street, as_of=day(as_of))


@query_app.command("legal-basis")
def legal_basis_command(
    item: Annotated[str, typer.Argument(help="Enforcement item by code or exact name.")],
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """The item's legal basis (实施依据): each provision with its text and the law's status; each
    citation read against the law's version in force on --as-of (依据需更新 when replaced)."""
    from queries.legal_basis import legal_basis

    ask(legal_basis, as_json=as_json, names={"item": item}, item=item, as_of=day(as_of))


@query_app.command("impact")
def impact_command(
    document: Annotated[
        str, typer.Option(help="Law or regulation by title (with or without 《》) or id.")
    ],
    article: Annotated[int | None, typer.Option(help="Only this article (条), e.g. 111.")] = None,
    as_of: AsOf = None,
    item: Annotated[
        str | None,
        typer.Option(help="One item's code: list its delegations in force (赋权明细), by page."),
    ] = None,
    limit: Annotated[
        int, typer.Option(help="Rows per page: items, or the --item's delegations (at most 500).")
    ] = 50,
    offset: Annotated[
        int, typer.Option(help="Rows to skip: the answer names the next page's.")
    ] = 0,
    as_json: Json = False,
) -> None:
    """What rests on a law or one article (修法影响): totals, counts per county and mode, and a page
    of the items with their catalog rows and open cases; --item lists one item's delegations."""
    from queries.impact import impact

    ask(
        impact,
        as_json=as_json,
        names={"item": item},
        document=document,
        article=article,
        as_of=day(as_of),
        item=item,
        offset=offset,
        limit=limit,
    )


@query_app.command("catalog-diff")
def catalog_diff_command(
    from_date: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to_date: Annotated[str, typer.Option("--to", help="Second day, YYYY-MM-DD.")],
    street: Annotated[str | None, typer.Option(help="One street by code or exact name.")] = None,
    region: Annotated[str | None, typer.Option(help="Every street of a region.")] = None,
    as_json: Json = False,
) -> None:
    """Items gained, withdrawn or changed between two days (目录变化), with the catalog that did it."""
    from queries.catalog_diff import catalog_diff

    ask(
        catalog_diff,
        as_json=as_json,
        names={"street": street, "region": region},
        street=street,
        region=region,
        from_date=day(from_date, "--from"),
        to_date=day(to_date, "--to"),
    )


@query_app.command("coverage-gaps")
def coverage_gaps_command(
    region: Annotated[
        str | None,
        typer.Option(
            help="County by code or exact name; a city or province for all its counties in one "
            "call; 全国 for every county."
        ),
    ] = None,
    zone: Annotated[str | None, typer.Option(help="Zone (片区) by id or exact name.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """Every loaded policy and built-in check evaluated (覆盖缺口), each gap with rule, source, fix."""
    from queries.coverage_gaps import coverage_gaps

    names = {"region": region, "zone": zone}
    # The CLI is an operator's tool: its sentences name officers (queries.officer_text).
    ask(
        coverage_gaps,
        as_json=as_json,
        names=names,
        region=region,
        zone=zone,
        as_of=day(as_of),
        personal=True,
    )


@query_app.command("evaluation")
def evaluation_command(
    region: Region,
    from_date: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    to_date: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    as_json: Json = False,
) -> None:
    """Evaluation of delegated items (赋权事项评估): per item × street, cases, 零办件, capacity,
    and a ranked list to keep, to support and to consider returning (行政处罚法 第二十四条)."""
    from queries.evaluation import evaluation

    ask(
        evaluation,
        as_json=as_json,
        names={"region": region},
        region=region,
        from_date=day(from_date, "--from"),
        to_date=day(to_date, "--to"),
    )


@query_app.command("coverage-matrix")
def coverage_matrix_command(region: Region, as_of: AsOf = None, as_json: Json = False) -> None:
    """Streets × items of a county (赋权覆盖矩阵): who enforces each item in each street that day."""
    from queries.coverage_matrix import coverage_matrix

    names = {"region": region}
    ask(coverage_matrix, as_json=as_json, names=names, region=region, as_of=day(as_of))


@query_app.command("chain")
def chain_command(
    case: Annotated[str | None, typer.Option(help="Case id (案件编号).")] = None,
    item: Annotated[str | None, typer.Option(help="Item by code or name (with --street).")] = None,
    street: Annotated[
        str | None, typer.Option(help="Street by code or name (with --item).")
    ] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """The ordered responsibility chain (责任链): subject, team, zone, squad, brigade, reviewers."""
    from queries.responsibility_chain import responsibility_chain

    when = day(as_of) if as_of or case is None else None
    names = {"case": case, "item": item, "street": street}
    ask(
        responsibility_chain,
        as_json=as_json,
        names=names,
        case=case,
        item=item,
        street=street,
        as_of=when,
    )


@query_app.command("overdue-transfers")
def overdue_transfers_command(
    region: Region,
    now: Annotated[
        str | None,
        typer.Option(help="The moment to judge at, e.g. 2025-06-20T09:00+08:00 (default: now)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Transfers (移送) against the region's deadlines, counted in working days (调休 included)."""
    from queries.overdue_transfers import overdue_transfers

    names = {"region": region}
    ask(overdue_transfers, as_json=as_json, names=names, region=region, now=moment(now))


@query_app.command("certificates")
def certificates_command(
    region: Annotated[
        str, typer.Option(help="Region by GB/T 2260 code or exact name; a city takes its counties.")
    ],
    on: Annotated[
        str | None,
        typer.Option("--date", "--as-of", help="The day of the list, YYYY-MM-DD (default: today)."),
    ] = None,
    within_days: Annotated[
        int | None,
        typer.Option(help="Notice period in days (default: the region's policy, else 90)."),
    ] = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The certificate list (执法证管理) a 司法局 sends monthly: expiring, lapsed while posted, and
    acting outside the certificate's domains; --format xlsx --out list.xlsx prints on A4."""
    from queries.certificates import certificates

    report(
        certificates,
        fmt,
        target,
        {"region": region},
        region=region,
        as_of=day(on, "--date"),
        within_days=within_days,
        personal=True,
    )


@query_app.command("staffing")
def staffing_command(
    region: Region,
    on: Annotated[
        str | None,
        typer.Option("--date", "--as-of", help="The day to judge, YYYY-MM-DD (default: today)."),
    ] = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """Staffing establishment against staff (编制与实有人员): per team and 派驻 station 核定编制,
    实有, certified officers and 协管 (never officers), with 超编, 编随事走 and domain gaps."""
    from queries.staffing import staffing

    report(staffing, fmt, target, {"region": region}, region=region, as_of=day(on, "--date"))


@query_app.command("first-contact")
def first_contact_command(
    region: Region,
    now: Annotated[
        str | None,
        typer.Option(help="The moment to judge at, e.g. 2025-10-13T09:00+08:00 (default: now)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """First-contact duty (首问负责): received matters, hand-on deadlines and replies, per region."""
    from queries.first_contact import first_contact

    ask(first_contact, as_json=as_json, names={"region": region}, region=region, now=moment(now))


@query_app.command("dispute-candidates")
def dispute_candidates_command(
    case: Annotated[str, typer.Option(help="Case id (案件编号).")],
    as_json: Json = False,
) -> None:
    """Every body that could claim the case (管辖争议), weighed by 行政处罚法 Art. 22, 24 and 25."""
    from queries.dispute_candidates import dispute_candidates

    ask(dispute_candidates, as_json=as_json, names={"case": case}, case=case)


@query_app.command("case-checks")
def case_checks_command(
    case: Annotated[str, typer.Option(help="Case id (案件编号).")],
    as_json: Json = False,
) -> None:
    """Did the handler hold the authority that day (Art. 38 void risk), were its officers certified."""
    from queries.case_checks import case_checks

    ask(case_checks, as_json=as_json, names={"case": case}, case=case, personal=True)


@query_app.command("route")
def route_command(
    complaint: Annotated[
        str, typer.Argument(help="The complaint's words (投诉内容), at most 200 characters.")
    ],
    street: StreetOption,
    as_of: AsOf = None,
    limit: Annotated[int, typer.Option(help="Candidate items to show (1-20).")] = 5,
    as_json: Json = False,
) -> None:
    """Route a complaint (投诉分拨): candidate items by its words, each with its enforcement subject;
    several of similar score are all shown and the answer says it is ambiguous."""
    from queries.route import route

    ask(
        route,
        as_json=as_json,
        names={"street": street},
        complaint=complaint,
        street=street,
        as_of=day(as_of),
        limit=limit,
    )


@query_app.command("duties")
def duties_command(
    street: StreetOption,
    matter: MatterOption,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """Who leads (主体责任) and who assists (配合责任) for a matter in a town, by the county's
    属地管理事项责任清单 in force (seed 002), with each body's duties and the list row."""
    from queries.duties import duties

    ask(
        duties,
        as_json=as_json,
        names={"street": street},
        street=street,
        matter=matter,
        as_of=day(as_of),
    )


@query_app.command("law-changes")
def law_changes_command(region: Region, as_of: AsOf = None, as_json: Json = False) -> None:
    """Items whose legal basis a new law version or a repeal changed (修法通知), per body to notify:
    the department holding each item and the streets holding it, with open cases."""
    from queries.law_changes import law_changes

    ask(law_changes, as_json=as_json, names={"region": region}, region=region, as_of=day(as_of))


Province = Annotated[str, typer.Option(help="Province by GB/T 2260 code or exact name (福建省).")]
County = Annotated[
    str | None, typer.Option(help="One county of the province only (code or exact name).")
]


@query_app.command("guide-uptake")
def guide_uptake_command(
    province: Province, county: County = None, as_of: AsOf = None, as_json: Json = False
) -> None:
    """A province's guide list (省级指导目录) against its counties: per county the guide items not
    taken up, the items added beyond the guide, and how each match was made."""
    from queries.guide_uptake import guide_uptake

    names = {"region": province} if county is None else {"region": county}
    ask(
        guide_uptake,
        as_json=as_json,
        names=names,
        province=province,
        county=county,
        as_of=day(as_of),
    )


# -- reports ----------------------------------------------------------------------------------


@report_app.command("gaps")
def gaps_report(
    region: Annotated[
        str | None,
        typer.Option(help="County, city or province by code or exact name; 全国 for every county."),
    ] = None,
    zone: Annotated[str | None, typer.Option(help="Zone (片区) by id or exact name.")] = None,
    as_of: AsOf = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The coverage-gap report (覆盖缺口报告) of a county or zone."""
    from queries.coverage_gaps import coverage_gaps

    names = {"region": region, "zone": zone}
    report(
        coverage_gaps, fmt, target, names, region=region, zone=zone, as_of=day(as_of), personal=True
    )


@report_app.command("evaluation")
def evaluation_report(
    region: Region,
    from_date: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    to_date: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The annual evaluation of delegated items (赋权事项评估报告) of a county, print-ready."""
    from queries.evaluation import evaluation

    report(
        evaluation,
        fmt,
        target,
        {"region": region},
        region=region,
        from_date=day(from_date, "--from"),
        to_date=day(to_date, "--to"),
    )


@report_app.command("first-contact")
def first_contact_report(
    region: Region,
    now: Annotated[
        str | None, typer.Option(help="The moment to judge at (default: now, China time).")
    ] = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The first-contact list (首问负责台账) of a county: overdue hand-ons and replies owed."""
    from queries.first_contact import first_contact

    report(first_contact, fmt, target, {"region": region}, region=region, now=moment(now))


@report_app.command("matrix")
def matrix_report(
    region: Region, as_of: AsOf = None, fmt: ReportFormat = "table", target: Out = None
) -> None:
    """The coverage matrix (赋权覆盖矩阵) of a county: streets × items, with each cell's evidence."""
    from queries.coverage_matrix import coverage_matrix

    report(coverage_matrix, fmt, target, {"region": region}, region=region, as_of=day(as_of))


@report_app.command("zones")
def zones_report(
    region: Region, as_of: AsOf = None, fmt: ReportFormat = "table", target: Out = None
) -> None:
    """What seed 000 asks the 城管局 to publish: the zone division and each zone's officer list."""
    from authreg.publication import publication
    from queries.zone_division import zone_division
    from queries.zone_officers import zone_officers

    report(
        publication,
        fmt,
        target,
        {"region": region},
        region=region,
        as_of=day(as_of),
        parts=(zone_division, zone_officers),
    )


@report_app.command("law-changes")
def law_changes_report(
    region: Region, as_of: AsOf = None, fmt: ReportFormat = "table", target: Out = None
) -> None:
    """Law change notices (修法通知) of a county: per body to notify, its items whose basis changed
    and open cases, with the time the list was computed."""
    from queries.law_changes import law_changes

    report(law_changes, fmt, target, {"region": region}, region=region, as_of=day(as_of))


@report_app.command("duties")
def duties_report(
    street: StreetOption,
    matter: MatterOption,
    as_of: AsOf = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The duty answer (属地管理事项责任) to file or print: each body leading (主体责任) or assisting
    (配合责任) for the matter in the town, its duties and the list row, then the explanation."""
    from queries.duties import duties

    names = {"street": street}
    report(duties, fmt, target, names, street=street, matter=matter, as_of=day(as_of))


@report_app.command("guide-uptake")
def guide_uptake_report(
    province: Province,
    county: County = None,
    as_of: AsOf = None,
    fmt: ReportFormat = "table",
    target: Out = None,
) -> None:
    """The guide uptake report (省级指导目录承接情况) of a province: the guide item × county table,
    then the items not taken up, the items added beyond the guide and every match."""
    from queries.guide_uptake import guide_uptake

    names = {"region": province} if county is None else {"region": county}
    report(guide_uptake, fmt, target, names, province=province, county=county, as_of=day(as_of))


# -- decisions --------------------------------------------------------------------------------


@dispute_app.command("decide")
def decide_command(
    dispute: Annotated[str, typer.Option(help="Dispute id (争议编号).")],
    decided_for: Annotated[
        str, typer.Option("--for", help="The street or department decided for (code, id or name).")
    ],
    basis: Annotated[str, typer.Option(help="The basis of the decision (决定依据).")],
    by: Annotated[str, typer.Option(help="Who decided (决定机关/人).")],
    decision: Annotated[
        str | None, typer.Option(help="The decision's wording, if not just 由…管辖.")
    ] = None,
) -> None:
    """Record a dispute's decision (audited); later authority answers cite it as precedent."""
    from loaders.decisions import record_decision
    from loaders.write import bumping

    audit = _run(
        bumping(record_decision),  # the graph's write counter too: API answer caches see it
        writing=True,
        dispute=dispute,
        decided_for=decided_for,
        basis=basis,
        by=by,
        at=_china_now(),
        decision=decision,
        source="cli",
    )
    out().print(f"Dispute {dispute} decided for {decided_for} (audit entry {audit}).")
