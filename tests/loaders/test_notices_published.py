"""Notices as published (issue 14, items 5, 6, 8, 9) on a real Neo4j: a withdrawal of everything
a department delegated, a grant and a withdrawal by domain, a notice in force 30 days after
issue, one in force per town on the day it signed its 承接确认书, a 2025 list replacing two 2023
lists of other series, a notice whose items sit in its attachment. Each: the document as an
office publishes it (tests/catalogs/notices/), the load, and the answers of authority, catalog
diff and case checks before and after its dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from queries.authority import authority
from queries.case_checks import case_checks
from queries.catalog_diff import catalog_diff
from queries.coverage_gaps import coverage_gaps
from tests.conftest import Graph
from tests.loaders.test_load_graph import delegations, fingerprint, load

NOTICES = Path(__file__).resolve().parents[1] / "catalogs" / "notices"
ORGANISATION = NOTICES / "organisation.yaml"
LISTS_2023 = (
    NOTICES / "示范区街道综合执法赋权事项目录-2023.csv",
    NOTICES / "示范区乡镇综合执法赋权事项目录-2023.csv",
)
LIST_2025 = NOTICES / "示范区镇街综合执法赋权事项目录-2025.csv"
DEPARTMENT_WITHDRAWAL = NOTICES / "收回区应急管理局赋权事项的通知.yaml"
BY_DOMAIN = NOTICES / "按执法领域调整赋权事项的通知.yaml"
THIRTY_DAYS = NOTICES / "三十日后施行的调整通知.csv"
PER_TOWN = NOTICES / "按承接确认书施行的调整通知.csv"
PER_TOWN_TABLE = NOTICES / "承接确认书表" / "按承接确认书施行的调整通知.csv"
XLSX_NOTICE = NOTICES / "附件为xlsx的通知" / "关于动态调整镇街综合执法赋权事项的通知.yaml"
CSV_NOTICE = NOTICES / "附件为csv的通知" / "关于收回部分镇街综合执法事项的通知.yaml"
CASES = NOTICES / "cases.yaml"
DONG, XI, BEI, NAN = "990201001", "990201002", "990201101", "990201102"
TOWNS = (DONG, XI, BEI, NAN)


def load_lists(graph: Graph) -> None:
    load(graph, ORGANISATION, *LISTS_2023, LIST_2025)


def subject(graph: Graph, item: str, street: str, on: date) -> tuple[str, str | None]:
    """(outcome, the subject's key): a street code when it acts in its own name (赋权)."""
    answer = graph.read(authority, item=item, street=street, as_of=on)
    return answer.outcome, answer.subject.key if answer.subject else None


def changes(graph: Graph, before: date, after: date) -> dict[tuple[str, str], dict]:
    """(street code, item) → the change and the catalogs the diff cites for it."""
    diff = graph.read(catalog_diff, region="990201", from_date=before, to_date=after)
    found = {}
    for street in diff.streets:
        for change in street.changes:
            ended = {s.ended_by.id for s in change.before if s.ended_by}
            started = {s.started_by.id for s in change.after if s.started_by}
            found[(street.street_code, change.item_code)] = {
                "change": change.change,
                "ended_by": ended,
                "started_by": started,
            }
    return found


# -- 8: a new list replaces two lists of other series ------------------------------------------


def test_a_list_replacing_two_lists_ends_what_they_held_and_it_does_not(graph: Graph) -> None:
    load(graph, ORGANISATION, *LISTS_2023)
    before = delegations(graph)
    load(graph, LIST_2025, CASES)
    day_before, day_of = date(2024, 12, 31), date(2025, 1, 1)
    # What the 2023 lists held and the 2025 list does not: ended on its date, by it.
    assert subject(graph, "SF-CG-003", DONG, day_before) == ("determined", DONG)
    assert subject(graph, "SF-CG-003", DONG, day_of) == ("determined", "SF-CGJ")
    assert subject(graph, "SF-ZJ-001", NAN, day_of) == ("determined", "SF-ZJJ")
    # What both hold goes on, one delegation each (no conflict), authorised by both lists.
    for street in TOWNS:
        assert subject(graph, "SF-CG-001", street, day_of) == ("determined", street)
        assert subject(graph, "SF-YJ-001", street, day_of) == ("determined", street)
    assert subject(graph, "SF-YJ-002", BEI, day_of) == ("determined", BEI)  # added
    diff = changes(graph, day_before, day_of)
    withdrawn = {key for key, c in diff.items() if c["change"] == "withdrawn"}
    assert withdrawn == {
        (DONG, "SF-CG-003"),
        (XI, "SF-CG-003"),
        (BEI, "SF-ZJ-001"),
        (NAN, "SF-ZJ-001"),
    }
    assert {c["ended_by"].pop() for key, c in diff.items() if key in withdrawn} == {
        "sf-2025@2025-01-01"
    }
    gained = {key for key, c in diff.items() if c["change"] == "gained"}
    assert gained == {(BEI, "SF-YJ-002"), (DONG, "SF-SC-001"), (DONG, "SF-SC-002")}
    # The continued ones keep their start; nothing is duplicated.
    continued = graph.run(
        "MATCH (d:Delegation)-[:AUTHORIZED_BY]->(:Catalog {id: 'sf-2025@2025-01-01'}) "
        "MATCH (d)-[:AUTHORIZED_BY]->(old:Catalog) WHERE old.series <> 'sf-2025' "
        "RETURN old.series AS series, count(*) AS n ORDER BY series"
    )
    assert continued == [{"series": "sf-streets", "n": 8}, {"series": "sf-towns", "n": 6}]
    assert len(delegations(graph)) == len(before) + 3  # 3 started; 4 ended in place
    # A case before the replacement is sound; after it, the street no longer holds the item.
    assert graph.read(case_checks, case="SF-2024-004").verdict == "ok"
    assert graph.read(case_checks, case="SF-2025-005").verdict == "void_risk"
    # The replaced lists are no longer lists in force: the coverage check holds no street to them.
    gaps = graph.read(coverage_gaps, region="990201", as_of=day_of).gaps
    assert not [g for g in gaps if "sf-streets@" in g.model_dump_json()]
    assert graph.run(
        "MATCH (:Catalog {id: 'sf-2025@2025-01-01'})-[:SUPERSEDES]->(old) RETURN old.id AS id "
        "ORDER BY id"
    ) == [{"id": "sf-streets@2023-07-01"}, {"id": "sf-towns@2023-07-01"}]


def test_reloading_a_replacing_list_changes_nothing(graph: Graph) -> None:
    load_lists(graph)
    once = fingerprint(graph)
    load(graph, ORGANISATION, *LISTS_2023, LIST_2025)
    assert fingerprint(graph) == once


# -- 5: everything a department delegated; a domain, with its items from the current list ----


def test_withdrawing_everything_a_department_delegated(graph: Graph) -> None:
    load_lists(graph)
    load(graph, DEPARTMENT_WITHDRAWAL, CASES)
    notice = "收回区应急管理局赋权事项的通知@2025-07-01"
    day_before, day_of = date(2025, 6, 30), date(2025, 7, 1)
    for street in TOWNS:
        assert subject(graph, "SF-YJ-001", street, day_before) == ("determined", street)
        assert subject(graph, "SF-YJ-001", street, day_of) == ("determined", "SF-YJJ")
        assert subject(graph, "SF-CG-001", street, day_of) == ("determined", street)  # untouched
    diff = changes(graph, day_before, day_of)
    assert set(diff) == {(s, "SF-YJ-001") for s in TOWNS} | {
        (s, "SF-YJ-002") for s in (DONG, XI, BEI)
    }
    assert all(
        c == {"change": "withdrawn", "ended_by": {notice}, "started_by": set()}
        for c in diff.values()
    )
    # A case the street decided before the withdrawal is sound; one after it is void-risk.
    assert graph.read(case_checks, case="SF-2025-001").verdict == "ok"
    late = graph.read(case_checks, case="SF-2025-002")
    assert late.verdict == "void_risk"
    assert late.competent is not None and late.competent.key == "SF-YJJ"


def test_granting_and_withdrawing_by_domain_take_the_items_of_the_current_list(
    graph: Graph,
) -> None:
    load_lists(graph)
    load(graph, BY_DOMAIN)
    notice = "按执法领域调整赋权事项的通知@2025-09-01"
    day_before, day_of = date(2025, 8, 31), date(2025, 9, 1)
    for street in (XI, BEI):  # the 市场监管 items of 示政办〔2025〕2号, from 区市场监管局
        for item in ("SF-SC-001", "SF-SC-002"):
            assert subject(graph, item, street, day_before) == ("determined", "SF-SJJ")
            assert subject(graph, item, street, day_of) == ("determined", street)
    for item in ("SF-CG-001", "SF-CG-004"):  # the 城市管理 items 南湖镇 held
        assert subject(graph, item, NAN, day_before) == ("determined", NAN)
        assert subject(graph, item, NAN, day_of) == ("determined", "SF-CGJ")
    assert subject(graph, "SF-CG-001", BEI, day_of) == ("determined", BEI)
    diff = changes(graph, day_before, day_of)
    assert diff == {
        **{
            (s, i): {"change": "gained", "ended_by": set(), "started_by": {notice}}
            for s in (XI, BEI)
            for i in ("SF-SC-001", "SF-SC-002")
        },
        **{
            (NAN, i): {"change": "withdrawn", "ended_by": {notice}, "started_by": set()}
            for i in ("SF-CG-001", "SF-CG-004")
        },
    }
    [started] = graph.run(
        "MATCH (d:Delegation)-[:AUTHORIZED_BY]->(:Catalog {id: $id}) "
        "RETURN collect(DISTINCT d.mode) AS modes, count(*) AS n, "
        "collect(DISTINCT d.source_file) AS files",
        id=notice,
    )
    assert started == {"modes": ["赋权"], "n": 4, "files": [BY_DOMAIN.name]}


# -- 6: N days after issue; per town on the day it signed ---------------------------------------


def test_a_notice_takes_effect_thirty_days_after_issue(graph: Graph) -> None:
    load_lists(graph)
    load(graph, THIRTY_DAYS)
    issued = date(2025, 5, 6)
    in_force = issued + timedelta(days=30)
    [catalog] = graph.run(
        "MATCH (c:Catalog {series: 'sf-adjust-2025-07'}) RETURN c.effective AS on, "
        "c.published AS issued"
    )
    assert (catalog["on"].to_native(), catalog["issued"].to_native()) == (in_force, issued)
    last_day = in_force - timedelta(days=1)
    assert subject(graph, "SF-CG-003", DONG, last_day) == ("determined", "SF-CGJ")
    assert subject(graph, "SF-CG-003", DONG, in_force) == ("determined", DONG)
    assert subject(graph, "SF-CG-004", BEI, last_day) == ("determined", BEI)
    assert subject(graph, "SF-CG-004", BEI, in_force) == ("determined", "SF-CGJ")
    diff = changes(graph, last_day, in_force)
    assert {k: c["change"] for k, c in diff.items()} == {
        (DONG, "SF-CG-003"): "gained",
        (BEI, "SF-CG-004"): "withdrawn",
    }
    assert not changes(graph, issued, last_day)  # issued is not in force


def test_each_town_takes_its_items_on_the_day_it_signed(graph: Graph) -> None:
    for notice in (PER_TOWN, PER_TOWN_TABLE):  # dates in the metadata, or in a table beside it
        graph.wipe()
        load_lists(graph)
        load(graph, notice, CASES)
        north, south = date(2025, 4, 10), date(2025, 4, 25)
        assert subject(graph, "SF-ZJ-001", BEI, north - timedelta(days=1))[1] == "SF-ZJJ"
        assert subject(graph, "SF-ZJ-001", BEI, north) == ("determined", BEI)
        assert subject(graph, "SF-ZJ-001", NAN, north)[1] == "SF-ZJJ"
        assert subject(graph, "SF-ZJ-001", NAN, south) == ("determined", NAN)
        diff = changes(graph, date(2025, 4, 9), date(2025, 4, 20))
        assert {k: c["change"] for k, c in diff.items()} == {(BEI, "SF-ZJ-001"): "gained"}
        starts = graph.run(
            "MATCH (d:Delegation)-[:TO]->(s:Street), (d)-[:OF]->(:EnforcementItem {code: 'SF-ZJ-001'}) "
            "WHERE d.valid_to IS NULL RETURN s.name AS town, d.valid_from AS since, "
            "d.confirmation AS evidence ORDER BY town"
        )
        assert [(r["town"], r["since"].to_native(), r["evidence"]) for r in starts] == [
            ("北山镇", north, "承接确认书"),
            ("南湖镇", south, "承接确认书"),
        ]
        # 南湖镇 filed before it signed: it did not hold the power yet.
        assert graph.read(case_checks, case="SF-2025-003").verdict == "void_risk"


# -- 9: items in an attachment, the notice authorising every change -----------------------------


def test_a_notice_loads_its_items_from_its_attachment(graph: Graph) -> None:
    load_lists(graph)
    load(graph, XLSX_NOTICE.parent, CSV_NOTICE.parent, CASES)  # each attachment read once
    xlsx_id = "关于动态调整镇街综合执法赋权事项的通知@2025-10-01"
    csv_id = "关于收回部分镇街综合执法事项的通知@2025-11-01"
    assert subject(graph, "SF-CG-003", XI, date(2025, 9, 30))[1] == "SF-CGJ"
    assert subject(graph, "SF-CG-003", XI, date(2025, 10, 1)) == ("determined", XI)
    assert subject(graph, "SF-CG-002", DONG, date(2025, 10, 1))[1] == "SF-CGJ"
    assert subject(graph, "SF-CG-002", XI, date(2025, 10, 31)) == ("determined", XI)
    assert subject(graph, "SF-CG-002", XI, date(2025, 11, 1))[1] == "SF-CGJ"
    diff = changes(graph, date(2025, 9, 30), date(2025, 10, 1))
    assert diff == {
        (XI, "SF-CG-003"): {"change": "gained", "ended_by": set(), "started_by": {xlsx_id}},
        (DONG, "SF-CG-002"): {"change": "withdrawn", "ended_by": {xlsx_id}, "started_by": set()},
    }
    assert changes(graph, date(2025, 10, 31), date(2025, 11, 1))[(XI, "SF-CG-002")]["ended_by"] == {
        csv_id
    }
    assert graph.read(case_checks, case="SF-2025-006").verdict == "void_risk"
    assert graph.read(case_checks, case="SF-2025-007").verdict == "ok"
    # The notice is the catalog: its rows are the attachment's, named by their file and row.
    listed = graph.run(
        "MATCH (c:Catalog {id: $id})-[l:LISTS]->(i) RETURN c.source_file AS file, "
        "l.sheet AS sheet, l.row AS row, i.code AS item ORDER BY row",
        id=xlsx_id,
    )
    assert listed == [
        {"file": XLSX_NOTICE.name, "sheet": "附件1", "row": 4, "item": "SF-CG-003"},
        {"file": XLSX_NOTICE.name, "sheet": "附件1", "row": 5, "item": "SF-CG-002"},
    ]
    assert graph.run(
        "MATCH (c:Catalog {id: $id}) RETURN c.doc_number AS doc, c.kind AS kind", id=csv_id
    ) == [{"doc": "示政办〔2025〕16号", "kind": "收回通知"}]


def test_reloading_notices_changes_nothing(graph: Graph) -> None:
    files = [DEPARTMENT_WITHDRAWAL, BY_DOMAIN, THIRTY_DAYS, PER_TOWN, XLSX_NOTICE, CSV_NOTICE]
    load_lists(graph)
    load(graph, *files)
    once = fingerprint(graph)
    load(graph, ORGANISATION, *LISTS_2023, LIST_2025, *files)
    assert fingerprint(graph) == once
