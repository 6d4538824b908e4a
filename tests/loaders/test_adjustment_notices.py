"""动态调整通知 on a real Neo4j: 新增 rows start delegations, 收回 rows end them, nothing else ends."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from queries.authority import authority
from tests.conftest import Graph
from tests.loaders.test_load_graph import delegations, fingerprint, load

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "licheng"
NOTICE = (
    Path(__file__).resolve().parents[1] / "catalogs" / "adjustment" / "licheng-adjustment-2025.csv"
)
NOTICE_ID = "licheng-adjustment-2025@2025-03-01"
LIST_ID = "licheng-street-delegation@2024-09-11"


def load_sample_and_notice(graph: Graph) -> None:
    load(graph, SAMPLE / "organisation.yaml", SAMPLE / "licheng-2024.csv", NOTICE)


def test_an_adjustment_adds_to_two_streets_and_withdraws_from_one(graph: Graph) -> None:
    load(graph, SAMPLE / "organisation.yaml", SAMPLE / "licheng-2024.csv")
    before = delegations(graph)
    load(graph, NOTICE)
    found = delegations(graph)
    added = {
        ("LC-CG-090", street, "lc-cgj", "赋权", "2025-03-01", None)
        for street in ("开元街道", "鲤中街道")
    }
    ended = ("LC-CG-002", "海滨街道", "lc-cgj", "赋权", "2024-09-11", "2025-03-01")
    assert found - before == added | {ended}
    assert before - found == {(*ended[:5], None)}  # only that one changed; nothing else ends
    assert graph.run(
        "MATCH (d:Delegation)-[:ENDED_BY]->(c:Catalog) RETURN d.source_catalog AS source, "
        "c.id AS notice, d.status AS status"
    ) == [{"source": LIST_ID, "notice": NOTICE_ID, "status": "已终止"}]
    assert graph.run(
        "MATCH (d:Delegation)-[a:AUTHORIZED_BY]->(:Catalog {id: $id})-[:LISTS]->(i) "
        "WHERE (d)-[:OF]->(i) RETURN i.code AS item, a.row AS row, d.source_catalog AS source, "
        "count(*) AS n",
        id=NOTICE_ID,
    ) == [{"item": "LC-CG-090", "row": 2, "source": NOTICE_ID, "n": 2}]
    assert graph.run(
        "MATCH (i:EnforcementItem {code: 'LC-CG-090'})-[:HELD_BY]->(d) "
        "RETURN i.name AS name, i.type AS type, d.id AS dep"
    ) == [{"name": "对在城市人行道上擅自设置摊点的处罚", "type": "行政处罚", "dep": "lc-cgj"}]
    # The withdrawn item is named, not redefined: its basis from the list stays.
    [item] = graph.run("MATCH (i:EnforcementItem {code: 'LC-CG-002'}) RETURN i.basis_raw AS b")
    assert item["b"] and "第一百一十一条" in item["b"]


def test_reloading_an_adjustment_changes_nothing(graph: Graph) -> None:
    load_sample_and_notice(graph)
    once = fingerprint(graph)
    load(graph, NOTICE)
    load(graph, SAMPLE / "organisation.yaml", SAMPLE / "licheng-2024.csv", NOTICE)
    assert fingerprint(graph) == once


def test_authority_follows_the_adjustment_date(graph: Graph) -> None:
    load_sample_and_notice(graph)

    def subject(item: str, street: str, on: date) -> tuple[str, str | None, str | None]:
        answer = graph.read(authority, item=item, street=street, as_of=on)
        body = answer.subject
        return answer.outcome, body.kind if body else None, body.key if body else None

    day_before, day_of = date(2025, 2, 28), date(2025, 3, 1)
    assert subject("LC-CG-090", "350502001", day_before) == ("determined", "Department", "lc-cgj")
    assert subject("LC-CG-090", "350502001", day_of) == ("determined", "Street", "350502001")
    assert subject("LC-CG-090", "350502003", day_of) == ("determined", "Department", "lc-cgj")
    assert subject("LC-CG-002", "350502003", day_before) == ("determined", "Street", "350502003")
    assert subject("LC-CG-002", "350502003", day_of) == ("determined", "Department", "lc-cgj")
    assert subject("LC-CG-002", "350502001", day_of) == ("determined", "Street", "350502001")


def test_a_row_without_a_recognisable_action_is_an_error_and_writes_nothing(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, SAMPLE / "organisation.yaml", SAMPLE / "licheng-2024.csv")
    before = fingerprint(graph)
    bad = tmp_path / NOTICE.name
    bad.write_text(
        NOTICE.read_text(encoding="utf-8").replace("\n1,新增,", "\n1,调整,"), encoding="utf-8"
    )
    shutil.copy(NOTICE.with_name("licheng-adjustment-2025.meta.yaml"), tmp_path)
    report = LoadReport()
    plan = plan_load([bad], report, need_metadata=True)
    [problem] = report.errors
    assert (problem.file, problem.row, problem.column, problem.value) == (
        bad.name,
        2,
        "调整类型",
        "调整",
    )
    for word in ("新增", "增加", "下放", "赋权", "收回", "取消", "调出", "删除"):
        assert word in problem.suggestion
    assert plan.catalogs == []
    write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert fingerprint(graph) == before


def test_an_adjustment_without_an_action_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / NOTICE.name
    lines = NOTICE.read_text(encoding="utf-8").splitlines()
    bad.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 1) for line in lines),
        encoding="utf-8",
    )
    shutil.copy(NOTICE.with_name("licheng-adjustment-2025.meta.yaml"), tmp_path)
    report = LoadReport()
    plan_load([bad], report, need_metadata=True)
    [problem] = report.errors
    assert "调整类型" in problem.message


def test_adding_an_item_already_in_force_starts_no_second_delegation(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, SAMPLE / "organisation.yaml", SAMPLE / "licheng-2024.csv")
    before = delegations(graph)
    again = tmp_path / NOTICE.name
    again.write_text(
        NOTICE.read_text(encoding="utf-8").replace("LC-CG-090", "LC-CG-005"), encoding="utf-8"
    )
    shutil.copy(NOTICE.with_name("licheng-adjustment-2025.meta.yaml"), tmp_path)
    report = LoadReport()
    plan = plan_load([again], report, need_metadata=True)
    [(_, outcome)] = write_plan(graph.driver, graph.settings.neo4j_database, plan)
    assert len(before - delegations(graph)) == 1  # only the 收回 row changed anything
    assert len(delegations(graph)) == len(before)
    assert sum("already delegated" in w for w in outcome.warnings) == 2


def test_an_adjustment_notice_is_not_a_list_the_coverage_check_holds_streets_to(
    graph: Graph,
) -> None:
    from queries.coverage_gaps import coverage_gaps

    load_sample_and_notice(graph)
    gaps = graph.read(coverage_gaps, region="350502", as_of=date(2025, 3, 2)).gaps
    # it adds LC-CG-090 to two streets only: the other six are not short of a listed item
    assert not [g for g in gaps if NOTICE_ID in g.model_dump_json()]
    assert [g for g in gaps if LIST_ID in g.model_dump_json()]  # the list itself is still checked
