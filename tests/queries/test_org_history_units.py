"""Units re-organised (机构调整, issue 14.12) in the reads of staff, certificates and departments,
on a real graph: each read places a unit where its dated PART_OF puts it on the day asked.

The fixture is 清溪县 (tests/queries/data/orgdates): 白沙乡's team (qx-u-t-bs) goes with the
township into 青山镇 on 2025-07-01 (清政发〔2025〕9号); 东部大队 (qx-u-dd-e) is set up under the
county's 综合行政执法局 on 2025-01-01 (清编办〔2024〕12号); 城关镇 is 城东街道 from 2023-07-01.
The team's 李华 holds a certificate that ended 2025-05-31, 王芳 one valid to 2027.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.certificates import certificates
from queries.cypher_files import cypher
from queries.graph import department_parts, street_parts
from queries.staffing import staffing
from tests.conftest import Graph
from tests.queries.test_org_history import DATA, load_qingxi

BAISHA, QINGSHAN, CHENGDONG = "330998201", "330998101", "330998001"
TEAM = "qx-u-t-bs"
BEFORE, MERGER = date(2025, 6, 30), date(2025, 7, 1)


def rows(graph: Graph, name: str, **params: Any) -> list[dict[str, Any]]:
    return list(graph.run(cypher(name), **params))


def test_a_street_team_moved_with_its_township_counts_for_the_street_of_the_day(
    graph: Graph,
) -> None:
    load_qingxi(graph)

    def teams(on: date) -> dict[str, list[str]]:  # coverage gaps: each street's own staff
        found = rows(graph, "coverage_gaps_streets", streetCodes=[BAISHA, QINGSHAN], asOf=on)
        return {r["streetCode"]: [u["id"] for u in r["units"]] for r in found}

    assert teams(BEFORE) == {BAISHA: [TEAM], QINGSHAN: ["qx-u-t-qs"]}
    assert teams(MERGER) == {BAISHA: [], QINGSHAN: [TEAM, "qx-u-t-qs"]}

    def domains(on: date) -> dict[str, list[str]]:  # the certified officers' domains per street
        found = rows(
            graph, "coverage_gaps_delegations", streetCodes=[BAISHA, QINGSHAN], zoneIds=[], asOf=on
        )
        return {r["streetCode"]: sorted(set(r["domains"])) for r in found}

    assert domains(BEFORE) == {BAISHA: ["城市管理", "生态环境"], QINGSHAN: []}
    assert domains(MERGER) == {BAISHA: [], QINGSHAN: ["城市管理", "生态环境"]}

    def lapsed(codes: list[str], on: date) -> dict[str, list[str]]:  # certificate not valid
        found = rows(
            graph,
            "coverage_gaps_certificates",
            streetCodes=codes,
            zoneIds=[],
            departmentRegions=[],
            asOf=on,
        )
        return {r["officerName"]: [p["within"] for p in r["places"]] for r in found}

    assert lapsed([BAISHA, QINGSHAN], BEFORE) == {"李华": [BAISHA]}
    assert lapsed([BAISHA, QINGSHAN], MERGER) == {"李华": [QINGSHAN]}

    # Evaluation: a member serves the street for the days the team is the street's.
    [evaluated] = rows(
        graph,
        "evaluation",
        regionCode="330998",
        unusedRule="evaluation_unused_months",
        **{"from": date(2025, 1, 1), "to": date(2025, 12, 31)},
    )
    served = {
        (s["code"], o["id"]): [(p["from"], p["to"]) for p in o["postings"]]
        for s in evaluated["streets"]
        for o in s["officers"]
    }
    wang = "33099820210003"
    assert [(None, d.to_native()) for _, d in served[(BAISHA, wang)]] == [(None, BEFORE)]
    assert [(d.to_native(), None) for d, _ in served[(QINGSHAN, wang)]] == [(MERGER, None)]


def test_certificates_place_a_team_member_by_the_team_of_the_day(graph: Graph) -> None:
    load_qingxi(graph)

    def lapsed(on: date) -> list[tuple[str | None, str | None, str]]:
        found = graph.read(certificates, region="清溪县", as_of=on)
        return [(f.unit_owner, f.place, f.explanation) for f in found.lapsed_while_posted]

    # 李华's certificate ended 2025-05-31; he stayed in 白沙乡's team, which became 青山镇's.
    [(owner, place, text)] = lapsed(BEFORE)
    assert (owner, place) == ("白沙乡", "白沙乡")
    assert "2025-06-01 至 2025-06-30, 共 30 天" in text
    after = lapsed(date(2025, 7, 15))
    assert [(o, p) for o, p, _ in after] == [("青山镇", "白沙乡"), ("青山镇", "青山镇")]
    assert "2025-07-01 至 2025-07-15, 共 15 天" in after[1][2]


def test_certificates_name_a_street_as_it_was_named_that_day(graph: Graph) -> None:
    load_qingxi(graph)

    def expiring(on: date) -> tuple[str | None, str]:
        found = graph.read(certificates, region="330998", as_of=on, within_days=3660)
        [zhou] = [f for f in found.expiring if f.officer_name == "周明"]
        return zhou.unit_owner, zhou.explanation

    owner, text = expiring(date(2023, 6, 30))
    assert owner == "城关镇" and "现在岗: 城关镇" in text
    owner, text = expiring(date(2023, 7, 1))
    assert owner == "城东街道" and "现在岗: 城东街道" in text

    # A case's street is named as on the case's day (QX-2023-0007: 城关镇, 2023-03-01).
    [found] = rows(graph, "certificates", region="330998", rule="-", asOf=date(2024, 1, 1))
    [zhou] = [o for o in found["officers"] if o["name"] == "周明"]
    assert [(c["id"], c["streetName"]) for c in zhou["cases"]] == [("QX-2023-0007", "城关镇")]
    assert [p["name"] for p in zhou["postings"]] == ["城东街道"]  # named as on the day asked


def test_staffing_and_departments_list_units_where_they_are_that_day(graph: Graph) -> None:
    load_qingxi(graph)

    def owner(on: date) -> tuple[str | None, int]:
        found = graph.read(staffing, region="330998", as_of=on)
        [team] = [u for u in found.units if u.unit_id == TEAM]
        return team.owner_name, team.certified_officers

    assert owner(BEFORE) == ("白沙乡", 1)  # 李华's certificate ended 2025-05-31
    assert owner(MERGER) == ("青山镇", 1)

    def units(on: date) -> list[str]:
        [dep] = [
            r
            for r in rows(graph, "coverage_gaps_departments", regionCodes=["330998"], asOf=on)
            if r["id"] == "qx-zhzf"
        ]
        return dep["units"]

    assert units(date(2024, 12, 31)) == ["清溪县综合行政执法队"]  # 东部大队 not yet set up
    assert units(date(2025, 1, 1)) == ["清溪县综合行政执法队", "清溪县综合行政执法东部大队"]

    # GraphQL's undated Department.units and Street.units: where the units are today.
    found = graph.read(department_parts, keys=["qx-zhzf"])
    assert [u.id for u in found["qx-zhzf"].units] == ["qx-u-dd", "qx-u-dd-e"]
    streets = graph.read(street_parts, keys=[BAISHA, QINGSHAN])
    assert [u.id for u in streets[BAISHA].units] == []
    assert [u.id for u in streets[QINGSHAN].units] == [TEAM, "qx-u-t-qs"]


def test_an_organisation_file_naming_a_street_by_its_former_name_loads_onto_the_street(
    graph: Graph, tmp_path: Path
) -> None:
    """A county office's file of 2022 still writing 城关镇 (城东街道 from 2023-07-01) for a team's
    street, a posting and a zone member: each lands on 城东街道, and the load says so."""
    text = (DATA / "organisation.yaml").read_text(encoding="utf-8")
    for old, new in [
        ('part_of: "330998001"}', "part_of: 城关镇}"),
        ('{to: "330998001", mode: 常驻', "{to: 城关镇, mode: 常驻"),
        ("      - 城东街道\n", "      - 城关镇\n"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    organisation = tmp_path / "organisation.yaml"
    organisation.write_text(text, encoding="utf-8")
    report = LoadReport()
    plan = plan_load([organisation, DATA / "qingxi-2022.csv"], report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    said = [p.line() for p in report.warnings if "城关镇" in p.message]
    assert len(said) == 3, said
    assert said[0].startswith("organisation.yaml, row ")
    assert (
        "column 「units.3.part_of」: 「城关镇」 is a former name of 城东街道 (330998001)" in said[0]
    )
    assert "清政发〔2023〕18号" in said[0]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    [found] = graph.run(
        "MATCH (s:Street {code: '330998001'}) RETURN "
        "COUNT { (:Unit {id: 'qx-u-t-cd'})-[:PART_OF]->(s) } AS teams, "
        "COUNT { (:Officer)-[:POSTED_TO]->(s) } AS posted, "
        "COUNT { (s)-[:IN_ZONE]->(:Zone {id: 'qx-z-east'}) } AS zoned, "
        "COUNT { (:Street {name: '城关镇'}) } AS strays"
    )
    assert found == {"teams": 1, "posted": 1, "zoned": 1, "strays": 0}
