"""responsibility_chain (责任链) on the sample: expected chains of data/sample/README.md."""

from __future__ import annotations

from datetime import date

import pytest

from authreg.errors import RegistryError
from queries.responsibility_chain import ResponsibilityChain, responsibility_chain
from tests.conftest import Graph


def names(chain: ResponsibilityChain, role: str) -> list[str | None]:
    return [link.node.name if link.node else None for link in chain.role(role)]


def test_licheng_case_runs_from_street_through_zone_squad_to_reviewer_and_justice_bureau(
    sample_graph: Graph,
) -> None:
    chain = sample_graph.read(responsibility_chain, case="LC-2024-0001")
    assert chain.as_of == date(2024, 10, 15)  # the violation date
    expected = [
        ("执法主体", "开元街道"),
        ("执法队伍", "开元街道综合执法队"),
        ("片区", "老城区片区"),
        ("协调中队", "鲤城区城市管理综合执法大队直属一中队"),
        ("大队", "鲤城区城市管理综合执法大队"),
        ("主管部门", "鲤城区城市管理和综合执法局"),
        ("法制审核", "何静"),
        ("执法监督", None),  # 老城区 has no 执法监督员: stated, not skipped
        ("司法行政", "鲤城区司法局"),
    ]
    assert [(link.role, link.node.name if link.node else None) for link in chain.links] == expected
    assert [link.position for link in chain.links] == list(range(1, 10))
    assert "(:Zone)-[:COORDINATED_BY]->(:Unit)" in chain.role("协调中队")[0].paths
    assert set(chain.role("主管部门")[0].paths) == {
        "(:Unit)-[:PART_OF]->(:Department)",
        "(:Delegation)-[:FROM]->(:Department)",
    }
    [delegation] = chain.delegations
    assert (delegation.mode, delegation.catalogs[0].row) == ("赋权", 2)


def test_jiangnan_zone_case_states_the_missing_legal_reviewer(sample_graph: Graph) -> None:
    chain = sample_graph.read(responsibility_chain, case="LC-2025-0005")
    [reviewer] = chain.role("法制审核")
    assert reviewer.missing and reviewer.node is None
    assert reviewer.note == "江南新区片区无法制审核人员"
    assert names(chain, "执法监督") == ["曾志伟"]  # a 执法监督员, not a 法制审核人员
    assert names(chain, "协调中队") == ["鲤城区城市管理综合执法大队直属二中队"]
    assert reviewer in chain.missing()
    chain_sheet = chain.sheets()[0]
    assert chain_sheet.rows[reviewer.position - 1][4] == "(缺失)"


def test_wuchang_street_has_its_center_reviewer_and_supervisor_but_no_zone(
    sample_graph: Graph,
) -> None:
    chain = sample_graph.read(
        responsibility_chain, item="WC-CG-001", street="420106001", as_of=date(2023, 1, 1)
    )
    assert names(chain, "执法主体") == ["积玉桥街道"]
    assert names(chain, "执法队伍") == ["积玉桥街道综合执法中心"]
    assert [link.missing for link in chain.role("片区") + chain.role("协调中队")] == [True, True]
    assert names(chain, "主管部门") == ["武昌区城市管理执法委员会"]  # the delegating department
    assert names(chain, "法制审核") == ["袁杰"]
    assert len(chain.role("法制审核")[0].paths) == 2  # posted to the street and in its center
    assert names(chain, "执法监督") == ["江涛"]
    assert names(chain, "司法行政") == ["武昌区司法局"]


def test_paizhu_fuyang_street_keeps_the_department_and_its_brigade(sample_graph: Graph) -> None:
    chain = sample_graph.read(
        responsibility_chain, item="FY-ZH-001", street="富春街道", as_of=date(2022, 1, 1)
    )
    [subject] = chain.role("执法主体")
    assert subject.node is not None and subject.node.label == "Department"
    assert subject.node.name == "杭州市富阳区综合行政执法局"
    assert names(chain, "执法队伍") == ["杭州市富阳区综合行政执法队", "富春街道联合巡查执法队"]
    assert names(chain, "大队") == ["杭州市富阳区综合行政执法队"]
    assert names(chain, "主管部门") == ["杭州市富阳区综合行政执法局"]
    assert names(chain, "法制审核") == [None] and names(chain, "执法监督") == [None]
    assert names(chain, "司法行政") == ["杭州市富阳区司法局"]
    assert chain.delegations[0].mode == "派驻"


def test_case_without_handler_takes_the_competent_authority(sample_graph: Graph) -> None:
    chain = sample_graph.read(responsibility_chain, case="LC-2025-0006")
    assert chain.subject_from.startswith("authority(")
    assert names(chain, "执法主体") == ["海滨街道"]  # 赋权 for LC-CG-001 on 2025-05-12


def test_department_handler_without_brigade_states_the_missing_team(sample_graph: Graph) -> None:
    chain = sample_graph.read(responsibility_chain, case="ES-2025-0002")
    assert names(chain, "执法主体") == ["峨山县林业和草原局"]
    assert chain.role("执法队伍")[0].missing
    assert names(chain, "主管部门") == ["峨山县林业和草原局"]  # HELD_BY: not delegated there
    assert chain.role("主管部门")[0].paths == ["(:EnforcementItem)-[:HELD_BY]->(:Department)"]


def test_unknown_case_is_reported_not_guessed(sample_graph: Graph) -> None:
    chain = sample_graph.read(responsibility_chain, case="NO-SUCH-CASE")
    assert chain.links == [] and chain.unknown == ["案件 NO-SUCH-CASE 不在登记簿中"]


def test_a_chain_needs_a_case_or_an_item_and_a_street(sample_graph: Graph) -> None:
    with pytest.raises(RegistryError):
        sample_graph.read(responsibility_chain, item="LC-CG-001")
