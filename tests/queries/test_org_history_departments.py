"""Departments re-organised (机构改革, issue 14.12) on a real graph: a department renamed on a day
and one merged into another, its powers passing to the successor (划入). Authority, the
responsibility chain, the catalog and case loaders and the organisation search use the
department as it was on the day asked.

The fixture is 清溪县 (tests/queries/data/orgdates), in the shape a county keeps its files:
清编委〔2024〕5号 renames 县卫生和计划生育局 县卫生健康局 from 2024-04-01; 清委发〔2024〕3号 merges
县安全生产监督管理局 into 县应急管理局 from 2024-07-01. A 权责清单 of 2023 keeps QX-WS-002 and
QX-AJ-002 with the departments; a list of 2023 entrusts (委托) QX-WS-001 and QX-AJ-001 to 城关镇
(城东街道); a notice of 2024-09-01 still names both departments by their old names.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from loaders.bulk_load import build_graph
from loaders.load import plan_load, write_plan
from loaders.rehearsal import graph_reader, rehearse
from loaders.report import LoadReport
from queries.authority import AuthorityAnswer, authority
from queries.coverage_matrix import coverage_matrix
from queries.dump import graph_dump
from queries.responsibility_chain import responsibility_chain
from queries.search import search_organisations
from schema.graph_rows import compare, differences
from schema.labels import Label, Rel
from tests.conftest import Graph

DATA = Path(__file__).resolve().parent / "data" / "orgdates"
FILES = [
    DATA / "organisation.yaml",
    DATA / "qingxi-2023-powers.csv",
    DATA / "qingxi-2023-entrust.csv",
]
ADJUST = DATA / "qingxi-2024-adjust.csv"
TOWN_ITEMS = DATA / "qingxi-2022.csv"  # the towns' 赋权 list: cells of streets, not departments
CASES = DATA / "cases-departments.yaml"
STREET = "330998001"  # 城东街道 (城关镇 until 2023-06-30)
QINGSHAN = "330998101"  # 青山镇: in 东部片区 from 2025-01-01 only
OLD_HEALTH, NEW_HEALTH = "清溪县卫生和计划生育局", "清溪县卫生健康局"
SAFETY, EMERGENCY = "清溪县安全生产监督管理局", "清溪县应急管理局"
REFORM = "清委发〔2024〕3号《中共清溪县委 清溪县人民政府关于清溪县机构改革的实施意见》"
JUSTICE, LEGAL_OFFICE = "清溪县司法局", "清溪县人民政府法制办公室"
HEALTH_BRIGADE = "清溪县卫生监督执法大队"
RENAME = (
    "清编委〔2024〕5号《中共清溪县委机构编制委员会关于县卫生和计划生育局更名为县卫生健康局的通知》"
)


def load(graph: Graph, *paths: Path) -> list[str]:
    """Load the files; the warnings each written file gave, as printed lines."""
    report = LoadReport()
    plan = plan_load(list(paths), report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    outcomes = write_plan(graph.driver, graph.settings.neo4j_database, plan)
    return [f"{name}: {w}" for name, outcome in outcomes for w in outcome.warnings]


def ask(graph: Graph, item: str, on: str) -> AuthorityAnswer:
    answer = graph.read(authority, item=item, street=STREET, as_of=date.fromisoformat(on))
    assert answer.outcome == "determined", answer.explanation
    return answer


def test_an_item_kept_by_a_renamed_department_names_it_as_it_was_named_that_day(
    graph: Graph,
) -> None:
    load(graph, *FILES)
    before, after = ask(graph, "QX-WS-002", "2024-03-31"), ask(graph, "QX-WS-002", "2024-04-01")
    assert before.rule is not None and before.rule.key == "not_delegated"
    assert before.subject is not None and after.subject is not None
    assert (before.subject.key, before.subject.name) == ("qx-wjj", OLD_HEALTH)
    assert (after.subject.key, after.subject.name) == ("qx-wjj", NEW_HEALTH)
    assert OLD_HEALTH in before.explanation and NEW_HEALTH not in before.explanation
    assert NEW_HEALTH in after.explanation and OLD_HEALTH not in after.explanation


def test_an_entrusted_item_keeps_the_department_as_subject_by_its_name_of_the_day(
    graph: Graph,
) -> None:
    load(graph, *FILES)
    before, after = ask(graph, "QX-WS-001", "2024-03-31"), ask(graph, "QX-WS-001", "2024-04-01")
    for answer, name in ((before, OLD_HEALTH), (after, NEW_HEALTH)):
        assert answer.rule is not None and answer.rule.key == "entrust"
        assert answer.subject is not None and answer.subject.name == name
        assert answer.delegation is not None and answer.delegation.department is not None
        assert answer.delegation.department.name == name
        assert name in answer.explanation


def test_from_the_merger_day_the_successor_answers_for_the_merged_departments_items(
    graph: Graph,
) -> None:
    load(graph, *FILES)
    for item, rule in (("QX-AJ-002", "not_delegated"), ("QX-AJ-001", "entrust")):
        before, after = ask(graph, item, "2024-06-30"), ask(graph, item, "2024-07-01")
        assert before.rule is not None and before.rule.key == rule
        assert after.rule is not None and after.rule.key == rule
        assert before.subject is not None and after.subject is not None
        assert (before.subject.key, before.subject.name) == ("qx-ajj", SAFETY)
        assert (after.subject.key, after.subject.name) == ("qx-yjj", EMERGENCY)
        # The day before the merger says nothing of it; from that day the notice is quoted.
        assert REFORM not in before.explanation and "机构改革" not in before.explanation
        assert REFORM in after.explanation, after.explanation
        assert f"{SAFETY}(qx-ajj)自2024-07-01起并入{EMERGENCY}" in after.explanation
    entrusted = ask(graph, "QX-AJ-001", "2024-07-01")
    assert entrusted.delegation is not None and entrusted.delegation.department is not None
    assert entrusted.delegation.department.key == "qx-yjj"


def test_the_responsibility_chain_follows_the_department_of_the_day(graph: Graph) -> None:
    load(graph, *FILES)
    chain = graph.read(
        responsibility_chain, street=STREET, item="QX-AJ-002", as_of=date(2024, 7, 1)
    )
    subject = next(link for link in chain.links if link.role == "执法主体")
    assert subject.node is not None and subject.node.key == "qx-yjj"
    assert "(:EnforcementItem)-[:HELD_BY]->(:Department)" in subject.paths
    departments = [link.node.name for link in chain.links if link.role == "主管部门" and link.node]
    assert EMERGENCY in departments and SAFETY not in departments
    earlier = graph.read(
        responsibility_chain, street=STREET, item="QX-WS-001", as_of=date(2024, 3, 31)
    )
    departments = [
        link.node.name for link in earlier.links if link.role == "主管部门" and link.node
    ]
    assert OLD_HEALTH in departments and NEW_HEALTH not in departments


def test_a_notice_naming_a_department_by_its_former_name_finds_it_and_says_so(
    graph: Graph,
) -> None:
    warnings = load(graph, *FILES, ADJUST)
    said = [w for w in warnings if w.startswith("qingxi-2024-adjust.csv")]
    assert len(said) == 2, warnings  # rows 2 and 3
    assert "row 2, column 「原实施部门」: 「清溪县卫生和计划生育局」 is a former name of" in said[0]
    assert f"{NEW_HEALTH} (qx-wjj), its name until 2024-03-31; renamed by {RENAME}" in said[0]
    assert "not its name on 2024-09-01, read as that department" in said[0]
    # The 2023 lists gave the name of their day: found, and said as the name of that day.
    powers = [w for w in warnings if w.startswith("qingxi-2023-powers.csv")]
    assert any("row 2" in w and "by its name on 2023-01-01" in w for w in powers), warnings
    # The merged department: a list of after the merger is told of it; one of before is not.
    assert "row 3, column 「原实施部门」: 「清溪县安全生产监督管理局」: " in said[1]
    assert f"{SAFETY} (qx-ajj) was merged into {EMERGENCY} (qx-yjj) from 2024-07-01" in said[1]
    assert f"by {REFORM} (机构改革, 划入)" in said[1]
    assert not any(SAFETY in w for w in warnings if not w.startswith("qingxi-2024")), warnings
    merged = ask(graph, "QX-AJ-003", "2024-09-01")
    assert merged.subject is not None and merged.subject.key == "qx-yjj"
    assert REFORM in merged.explanation
    answer = ask(graph, "QX-WS-003", "2024-09-01")
    assert answer.rule is not None and answer.rule.key == "entrust"
    assert answer.subject is not None and answer.subject.key == "qx-wjj"
    assert answer.subject.name == NEW_HEALTH


def test_the_check_rehearsal_warns_as_the_load_does(graph: Graph) -> None:
    load(graph, *FILES)
    report = LoadReport()
    plan = plan_load([ADJUST], report, need_metadata=True)
    with graph_reader(graph.driver, graph.settings.neo4j_database) as read:
        rehearse(plan, report, read, warn=True)
    assert not report.errors, [p.line() for p in report.errors]
    lines = [w.line() for w in report.warnings]
    assert any("row 2" in x and f"former name of {NEW_HEALTH} (qx-wjj)" in x for x in lines), lines


def test_a_case_naming_a_department_by_its_former_name_is_kept_on_it_with_a_warning(
    graph: Graph,
) -> None:
    warnings = load(graph, *FILES, CASES)
    said = [w for w in warnings if "QX-2024-0101" in w]
    assert len(said) == 1, warnings
    assert "line 5, column cases.handled_by" in said[0]
    assert f"is a former name of {NEW_HEALTH} (qx-wjj)" in said[0] and RENAME in said[0]
    handler = graph.run(
        "MATCH (:Case {id: 'QX-2024-0101'})-[:HANDLED_BY]->(d:Department) RETURN d.id AS id"
    )
    assert [row["id"] for row in handler] == ["qx-wjj"]


def test_the_search_finds_a_department_by_a_former_name_once_with_a_note(graph: Graph) -> None:
    load(graph, *FILES)
    found = graph.read(search_organisations, text="卫生和计划生育局", kind="Department")
    hits = [hit for hit in found.nodes if hit.key == "qx-wjj"]
    assert len(hits) == 1, found.nodes
    assert hits[0].name == NEW_HEALTH
    assert hits[0].note == f"原名 {OLD_HEALTH} (至 2024-03-31)"
    # Found by its name now it carries no note; the merged department is found as itself.
    now = graph.read(search_organisations, text="卫生健康局", kind="Department")
    assert [(h.key, h.note) for h in now.nodes if h.key == "qx-wjj"] == [("qx-wjj", None)]


def test_the_bulk_graph_and_the_check_carry_the_reform_as_the_online_loader_does(
    graph: Graph,
) -> None:
    graph.wipe()
    paths = [*FILES, ADJUST, CASES]
    load(graph, *paths)
    written = graph.read(graph_dump)
    report = LoadReport()
    built = build_graph(plan_load(paths, report, need_metadata=True))
    assert not report.errors, [p.line() for p in report.errors]
    comparison = compare(built, written)
    assert comparison["same"], differences(comparison)
    # What was compared holds the reform: the dated names, their notices and the merger.
    merged = written.rels[(Rel.MERGED_INTO, Label.DEPARTMENT, Label.DEPARTMENT)]
    assert [(a, b) for a, b, _ in merged] == [("qx-ajj", "qx-yjj")]
    assert len(written.nodes[Label.DEPARTMENT_FACT]) == 2
    assert written.rels[(Rel.DEFINED_IN, Label.DEPARTMENT_FACT, Label.LEGAL_DOCUMENT)]


def test_a_notice_naming_the_successor_withdraws_what_the_merged_department_entrusted(
    graph: Graph,
) -> None:
    load(graph, *FILES, DATA / "qingxi-2024-withdraw.yaml")
    before, after = ask(graph, "QX-AJ-001", "2024-09-30"), ask(graph, "QX-AJ-001", "2024-10-01")
    assert before.rule is not None and before.rule.key == "entrust"
    assert after.rule is not None and after.rule.key == "not_delegated"
    for answer in (before, after):
        assert answer.subject is not None and answer.subject.key == "qx-yjj"
    [delegation] = after.delegations
    assert delegation.department is not None and delegation.department.key == "qx-yjj"
    assert delegation.valid_to == date(2024, 10, 1) and delegation.ended_by is not None
    assert "清政发〔2024〕41号" in (delegation.ended_by.doc_number or "")
    # The 2023 list's other item, of the renamed department, is not reached.
    assert ask(graph, "QX-WS-001", "2024-10-01").rule.key == "entrust"  # type: ignore[union-attr]


# Either side of the rename (2024-04-01), of the merger (2024-07-01), and the day the 2024 notice
# naming both departments by their old names takes effect (2024-09-01).
REFORM_DAYS = ["2024-03-31", "2024-04-01", "2024-06-30", "2024-07-01", "2024-09-01"]


@pytest.mark.parametrize("on", REFORM_DAYS)
def test_every_cell_of_the_matrix_names_the_subject_authority_names(graph: Graph, on: str) -> None:
    load(graph, *FILES, TOWN_ITEMS, ADJUST)
    day = date.fromisoformat(on)
    found = graph.read(coverage_matrix, region="330998", as_of=day)
    assert found.found and found.items and found.streets
    for cell in found.cells:
        answer = graph.read(authority, item=cell.item_code, street=cell.street_code, as_of=day)
        said = f"{cell.item_code} × {cell.street_code} on {on}"
        assert (cell.outcome, cell.rule) == (
            answer.outcome,
            answer.rule.key if answer.rule else None,
        ), said
        matrix_subject = (
            (cell.subject.kind, cell.subject.key, cell.subject.name) if cell.subject else None
        )
        authority_subject = (
            (answer.subject.kind, answer.subject.key, answer.subject.name)
            if answer.subject
            else None
        )
        assert matrix_subject == authority_subject, said
    # The cells compared are the reform's: each department by its name of the day, the merged
    # one's items by its successor from the merger day, in the cells and in 原实施部门.
    health = NEW_HEALTH if day >= date(2024, 4, 1) else OLD_HEALTH
    safety = ("qx-yjj", EMERGENCY) if day >= date(2024, 7, 1) else ("qx-ajj", SAFETY)
    for item, rule, held in (
        ("QX-WS-001", "entrust", ("qx-wjj", health)),
        ("QX-WS-002", "not_delegated", ("qx-wjj", health)),
        ("QX-AJ-001", "entrust", safety),
        ("QX-AJ-002", "not_delegated", safety),
    ):
        cell = found.cell(item, STREET)
        assert cell.rule == rule and cell.subject is not None, (item, cell)
        assert (cell.subject.key, cell.subject.name) == held, (item, on)
        row = next(i for i in found.items if i.code == item)
        assert [(d.key, d.name) for d in row.departments] == [held], (item, on)
    sheet = found.sheets()[0]
    held_by = {row[0]: row[2] for row in sheet.rows}
    assert held_by["QX-AJ-002"] == safety[1] and held_by["QX-WS-002"] == health


def reformed_organisation(tmp_path: Path) -> Path:
    """清溪县's organisation file with what else the 机构改革 of 2024 reaches: two dispute resolvers
    (争议协调) of 2023 naming the renamed and the merged department by their ids; the renamed
    department's 卫生监督执法大队; and the county's 法制办, merged into its 司法局 by the same notice
    (清委发〔2024〕3号, 2024-07-01) as its 安监局 into its 应急管理局."""
    organisation = yaml.safe_load((DATA / "organisation.yaml").read_text(encoding="utf-8"))
    organisation["documents"].append(
        {
            "id": "QX-2022-60",
            "title": "清溪县综合行政执法改革实施方案",
            "issuer": "清溪县人民政府",
            "doc_number": "清政发〔2022〕60号",
            "promulgated": date(2022, 12, 1),
        }
    )
    organisation["departments"] += [
        {"id": "qx-sfj", "name": JUSTICE, "kind": "司法行政部门"},
        {
            "id": "qx-fzb",
            "name": LEGAL_OFFICE,
            "kind": "司法行政部门",
            "merged_into": {
                "department": "qx-sfj",
                "from": date(2024, 7, 1),
                "basis": "QX-JG-2024-3",
            },
        },
    ]
    organisation["units"].append(
        {"id": "qx-u-ws-dd", "name": HEALTH_BRIGADE, "kind": "大队", "part_of": "qx-wjj"}
    )
    organisation["policies"] = [
        {
            "id": "QX-P-DISPUTE-AJ",
            "rule": "dispute_resolver",
            "value": "qx-ajj",
            "description": "安全生产类行政处罚主体资格存在争议的,由县安全生产监督管理局商县司法局明确",
            "source": "QX-2022-60",
            "valid_from": date(2023, 1, 1),
        },
        {
            "id": "QX-P-DISPUTE-WS",
            "rule": "dispute_resolver",
            "value": "qx-wjj",
            "description": "卫生类行政处罚主体资格存在争议的,由县卫生和计划生育局商县司法局明确",
            "source": "QX-2022-60",
            "valid_from": date(2023, 1, 1),
        },
    ]
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(organisation, allow_unicode=True), encoding="utf-8")
    return path


def test_the_dispute_resolver_is_named_as_on_the_day_and_follows_a_merger(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, reformed_organisation(tmp_path), *FILES[1:])

    def resolvers(on: str) -> dict[str, tuple[str, str]]:
        answer = ask(graph, "QX-AJ-002", on)
        return {
            r.policy: (r.department.key, r.department.name)
            for r in answer.resolvers
            if r.department is not None
        }

    assert resolvers("2024-03-31") == {
        "QX-P-DISPUTE-AJ": ("qx-ajj", SAFETY),
        "QX-P-DISPUTE-WS": ("qx-wjj", OLD_HEALTH),
    }
    assert resolvers("2024-04-01")["QX-P-DISPUTE-WS"] == ("qx-wjj", NEW_HEALTH)
    assert resolvers("2024-06-30")["QX-P-DISPUTE-AJ"] == ("qx-ajj", SAFETY)
    # From the merger day the policy naming 县安全生产监督管理局 is settled by its successor.
    assert resolvers("2024-07-01") == {
        "QX-P-DISPUTE-AJ": ("qx-yjj", EMERGENCY),
        "QX-P-DISPUTE-WS": ("qx-wjj", NEW_HEALTH),
    }


def test_the_chains_brigade_departments_and_justice_bureau_are_those_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, reformed_organisation(tmp_path), *FILES[1:])

    def chain(on: str) -> dict[str, list[tuple[str, str]]]:
        found = graph.read(
            responsibility_chain, street=QINGSHAN, item="QX-WS-002", as_of=date.fromisoformat(on)
        )
        links: dict[str, list[tuple[str, str]]] = {}
        for link in found.links:
            if link.node is not None:
                links.setdefault(link.role, []).append((link.node.key, link.node.name))
        return links

    before, renamed, merged = chain("2024-03-31"), chain("2024-04-01"), chain("2024-07-01")
    # In no zone until 2025, 青山镇's brigade is the subject's own, its department named as that day.
    for links, health in ((before, OLD_HEALTH), (renamed, NEW_HEALTH), (merged, NEW_HEALTH)):
        assert ("qx-u-ws-dd", HEALTH_BRIGADE) in links["大队"], links
        assert links["主管部门"] == [("qx-wjj", health)], links
    # The county's justice bureaus: both until the merger, its successor alone from that day.
    assert before["司法行政"] == [("qx-fzb", LEGAL_OFFICE), ("qx-sfj", JUSTICE)]
    assert chain("2024-06-30")["司法行政"] == before["司法行政"]
    assert merged["司法行政"] == [("qx-sfj", JUSTICE)]
