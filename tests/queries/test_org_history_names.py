"""Lists and cases that name a town by a name of its past (更名), and lists issued after a merger
(撤并), on a real graph (issue 14.12). The fixture is 清溪县 (tests/queries/data/orgdates):
城关镇 is 城东街道 from 2023-07-01 (清政发〔2023〕18号); 白沙乡 is merged into 青山镇 from 2025-07-01
(清政发〔2025〕9号). A second list of 2023-03-01 names 城关镇人民政府 (its name that day); a 2025-09-01
adjustment notice still writes 城关镇 and gives 各乡镇 after the merger.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.load import plan_load, write_plan
from loaders.rehearsal import graph_reader, rehearse
from loaders.report import LoadReport
from queries.authority import AuthorityAnswer, authority
from queries.cypher_files import cypher
from queries.graph import Dated, street_parts, street_postings, unit_parts
from queries.graph import zone_streets as zone_streets_read
from queries.responsibility_chain import responsibility_chain
from queries.search import search_organisations, streets_in_region
from queries.zone_division import zone_division
from queries.zone_officers import zone_officers
from tests.conftest import Graph

DATA = Path(__file__).resolve().parent / "data" / "orgdates"
ORGANISATION = [DATA / "organisation.yaml", DATA / "qingxi-2022.csv"]
SECOND = DATA / "qingxi-2023-second.csv"
ADJUST = DATA / "qingxi-2025-adjust.csv"


def load(graph: Graph, *paths: Path) -> list[str]:
    """Load the files; the warnings each written file gave, as printed lines."""
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    outcomes = write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return [f"{name}: {w}" for name, outcome in outcomes for w in outcome.warnings]


def ask(graph: Graph, item: str, street: str, on: str) -> AuthorityAnswer:
    return graph.read(authority, item=item, street=street, as_of=date.fromisoformat(on))


def holder(graph: Graph, item: str, street: str, on: str) -> str | None:
    answer = ask(graph, item, street, on)
    return answer.subject.name if answer.subject and answer.outcome == "determined" else None


def test_a_list_naming_a_town_by_its_name_of_the_day_reaches_it_and_says_so(
    graph: Graph,
) -> None:
    warnings = load(graph, *ORGANISATION, SECOND)
    said = [w for w in warnings if "城关镇人民政府" in w]
    assert len(said) == 2, warnings  # rows 2 and 3 of the list
    assert "qingxi-2023-second.csv: row 2, column 「承接主体」" in said[0]
    assert "former name of 城东街道 (330998001)" in said[0]
    assert "清政发〔2023〕18号《清溪县人民政府关于同意城关镇更名为城东街道的批复》" in said[0]
    assert "by its name on 2023-03-01" in said[0]
    # The delegation reached the town: before the list, nothing; after, the town, by either name.
    assert holder(graph, "QX-ZH-003", "城关镇", "2023-02-28") != "城关镇"
    assert holder(graph, "QX-ZH-003", "城关镇", "2023-03-01") == "城关镇"
    assert holder(graph, "QX-ZH-003", "城东街道", "2023-07-01") == "城东街道"
    # A row naming two towns, one by its old name, reaches both.
    assert holder(graph, "QX-ZH-004", "白沙乡", "2023-03-01") == "白沙乡"
    assert holder(graph, "QX-ZH-004", "城东街道", "2024-01-01") == "城东街道"


def test_a_name_no_longer_the_towns_on_the_lists_date_is_read_with_a_warning(
    graph: Graph,
) -> None:
    warnings = load(graph, *ORGANISATION, ADJUST)
    [said] = [w for w in warnings if "「城关镇」" in w]
    assert "qingxi-2025-adjust.csv: row 2, column 「承接主体」" in said
    assert "its name until 2023-06-30" in said and "not its name on 2025-09-01" in said
    assert holder(graph, "QX-ZH-005", "城东街道", "2025-08-31") != "城东街道"
    assert holder(graph, "QX-ZH-005", "城东街道", "2025-09-01") == "城东街道"


def test_every_town_of_a_list_after_a_merger_leaves_the_merged_township_out(
    graph: Graph,
) -> None:
    load(graph, *ORGANISATION, ADJUST)
    rows = graph.run(
        "MATCH (d:Delegation)-[:OF]->(:EnforcementItem {code: 'QX-ZH-006'}), "
        "(d)-[:TO]->(s:Street) RETURN s.name AS name ORDER BY name"
    )
    assert [r["name"] for r in rows] == ["青山镇"]  # 各乡镇 on 2025-09-01: not 白沙乡
    assert holder(graph, "QX-ZH-006", "青山镇", "2025-09-01") == "青山镇"
    assert holder(graph, "QX-ZH-006", "青山镇", "2025-08-31") != "青山镇"


def test_a_delegation_to_a_township_merged_before_the_list_is_refused(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, *ORGANISATION)
    for suffix in (".csv", ".meta.yaml"):
        text = (DATA / f"qingxi-2025-adjust{suffix}").read_text(encoding="utf-8")
        (tmp_path / f"qingxi-2025-adjust{suffix}").write_text(
            text.replace("城市管理,各乡镇", "城市管理,白沙乡人民政府"), encoding="utf-8"
        )
    report = LoadReport()
    plan_load([DATA / "organisation.yaml", tmp_path / ADJUST.name], report, need_metadata=True)
    [error] = report.errors
    assert error.file.endswith("qingxi-2025-adjust.csv") and error.row == 3
    assert error.column == "承接主体"
    assert "白沙乡 (330998201) was merged into 青山镇 (330998101) from 2025-07-01" in error.message
    assert "清政发〔2025〕9号《清溪县人民政府关于撤销白沙乡并入青山镇的通知》" in error.message


def test_the_check_gives_the_same_warning_and_refusal_as_the_load(graph: Graph) -> None:
    load(graph, *ORGANISATION)
    report = LoadReport()
    plan = plan_load([SECOND], report, need_metadata=True)
    with graph_reader(graph.driver, graph.settings.neo4j_database) as read:
        rehearse(plan, report, read, warn=True)
    assert not report.errors, [p.line() for p in report.errors]
    lines = [p.line() for p in report.warnings]
    assert any("former name of 城东街道" in line and "row 2" in line for line in lines), lines


def test_a_case_filed_under_a_towns_old_name_is_kept_and_said(graph: Graph) -> None:
    warnings = load(graph, *ORGANISATION, DATA / "cases.yaml")
    said = [w for w in warnings if "QX-2023-0007" in w]
    assert len(said) == 2, warnings  # occurred_in and handled_by
    assert "column cases.occurred_in" in said[0] and "清政发〔2023〕18号" in said[0]
    assert "by its name on 2023-03-01" in said[0]
    [row] = graph.run(
        "MATCH (:Case {id: 'QX-2023-0007'})-[:OCCURRED_IN]->(s:Street) RETURN s.code AS code"
    )
    assert row["code"] == "330998001"


def test_the_check_of_the_organisation_and_its_lists_together_reads_the_names_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    """`authreg load --check` (and the rehearsal before a load) on an empty graph: the
    organisation file's dated names and merger decide as they will once written."""
    for suffix in (".csv", ".meta.yaml"):
        text = (DATA / f"qingxi-2025-adjust{suffix}").read_text(encoding="utf-8")
        (tmp_path / f"qingxi-2025-adjust{suffix}").write_text(
            text.replace("城市管理,各乡镇", "城市管理,白沙乡"), encoding="utf-8"
        )
    report = LoadReport()
    paths = [*ORGANISATION, SECOND, tmp_path / ADJUST.name]
    plan = plan_load(paths, report, need_metadata=True)
    report = LoadReport()  # the rehearsal alone: the graph's view, not the files' side by side
    rehearse(plan, report, None, warn=True)
    lines = [p.line() for p in report.problems]
    assert any("row 2" in x and "former name of 城东街道" in x for x in lines), lines
    [error] = report.errors
    assert error.row == 3 and "清政发〔2025〕9号" in error.message, lines


def test_a_search_finds_a_town_by_a_name_it_had_and_says_so(graph: Graph) -> None:
    load(graph, *ORGANISATION)
    hits = graph.read(search_organisations, text="城关", kind="Street").nodes
    assert [(h.key, h.name, h.note) for h in hits] == [
        ("330998001", "城东街道", "原名 城关镇 (至 2023-06-30)")
    ]
    assert hits[0].former_name == "城关镇" and hits[0].former_name_to == date(2023, 6, 30)
    # Found by its name now: no note. A mode fact (赋权 / 派驻) is never a name.
    [now] = graph.read(search_organisations, text="城东街道", kind="Street").nodes
    assert now.key == "330998001" and now.note is None
    assert graph.read(search_organisations, text="派驻", kind="Street").total == 0
    streets = graph.read(streets_in_region, region="330998", text="城关镇")
    assert [s.code for s in streets.nodes] == ["330998001"]
    assert graph.read(streets_in_region, region="330900", text="城关").total == 1  # the city's
    assert graph.read(streets_in_region, region="999999", text="城关").total == 0
    parts = graph.read(street_parts, keys=["330998001"])["330998001"]
    [former] = parts.former_names
    assert former.note == "原名 城关镇 (至 2023-06-30)"
    assert former.renamed_by == "清政发〔2023〕18号"


def test_zone_officers_graph_links_and_coverage_reads_name_the_street_of_the_day(
    graph: Graph,
) -> None:
    load(graph, *ORGANISATION)
    before, after = date(2023, 6, 30), date(2023, 7, 1)

    def places(on: date) -> list[str]:
        found = graph.read(zone_officers, region="330998", as_of=on)
        return [o.place for z in found.zones for o in z.officers]

    assert places(before) == ["城关镇"] and places(after) == ["城东街道"]

    def zone_streets(on: date) -> list[tuple[str, str | None]]:
        [found] = graph.read(zone_streets_read, keys=[Dated("qx-z-east", on)]).values()
        return [(s.name, s.delegation_mode) for s in found]

    assert zone_streets(before) == [("城关镇", "赋权"), ("白沙乡", "赋权")]
    # 青山镇 joins on 2025-01-01, the day its mode turns from 派驻 to 赋权.
    assert ("青山镇", "派驻") not in zone_streets(date(2024, 12, 31))
    assert ("青山镇", "赋权") in zone_streets(date(2025, 1, 1))
    [posts] = graph.read(street_postings, keys=[Dated("330998001", before)]).values()
    assert [p.target.name for p in posts] == ["城关镇"]
    [posts] = graph.read(street_postings, keys=[Dated("330998001", after)]).values()
    assert [p.target.name for p in posts] == ["城东街道"]

    def staffed(on: date) -> list[str]:  # the street staffing read of the coverage gaps
        rows = graph.run(cypher("coverage_gaps_streets"), streetCodes=["330998001"], asOf=on)
        return [r["streetName"] for r in rows]

    assert staffed(before) == ["城关镇"] and staffed(after) == ["城东街道"]


def test_a_squad_moved_to_another_brigade_answers_with_the_brigade_of_the_day(
    graph: Graph,
) -> None:
    """清编办〔2024〕12号: 青山中队 is the county brigade's until 2024-12-31, 东部大队's from
    2025-01-01 (a unit's dated `part_of:`, 机构调整)."""
    load(graph, *ORGANISATION)

    def brigades(on: date) -> list[str]:
        found = graph.read(zone_division, region="330998", as_of=on)
        return [b for z in found.zones for s in z.squads for b in s.brigades]

    assert brigades(date(2024, 12, 31)) == ["清溪县综合行政执法队"]
    assert brigades(date(2025, 1, 1)) == ["清溪县综合行政执法东部大队"]

    def chain_brigades(on: date) -> list[str]:
        chain = graph.read(responsibility_chain, item="QX-ZH-001", street="青山镇", as_of=on)
        return [link.node.name for link in chain.role("大队") if link.node]

    assert chain_brigades(date(2025, 1, 1)) == ["清溪县综合行政执法东部大队"]
    [part] = graph.run(
        "MATCH (:Unit {id: 'qx-u-zd-qs'})-[p:PART_OF]->(:Unit {id: 'qx-u-dd-e'}) "
        "RETURN p.valid_from AS since, p.basis AS basis"
    )
    assert part["since"].isoformat() == "2025-01-01" and part["basis"] == "QX-BB-2024-12"
    # GraphQL's undated Unit.parent and Unit.units: the unit's place now.
    found = graph.read(unit_parts, keys=["qx-u-zd-qs", "qx-u-dd", "qx-u-dd-e"])
    assert found["qx-u-zd-qs"].parent.id == "qx-u-dd-e"  # type: ignore[union-attr]
    assert [u.id for u in found["qx-u-dd"].units] == []
    assert [u.id for u in found["qx-u-dd-e"].units] == ["qx-u-zd-qs"]
