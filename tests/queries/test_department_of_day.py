"""Every answer names a department as it was on the day asked (机构改革, issue 14.12): one read,
department_of_day.cypher, applied once per answer (queries/department_of_day.py) to the coverage
gaps, the zone officers, staffing, duties, certificates and the dispute candidates; authority's
precedents and the chain's merged brigades inline.

The fixture is 清溪县 (tests/queries/data/orgdates, see test_org_history_departments.py):
清编委〔2024〕5号 renames 县卫生和计划生育局 县卫生健康局 from 2024-04-01; 清委发〔2024〕3号 merges
县安全生产监督管理局 into 县应急管理局 from 2024-07-01. Beside it, as a county keeps them: the
安监局's own brigade (安全生产监察大队) and its officer, linked (挂钩) to 东部片区 for the 安监局; a
2024 list granting (赋权) 城东街道 one item of each department; a duty list naming 县安监局; a
zone-linking rule (≥2 linked officers per granting department); the 编办's approvals of both
departments' brigades; a zone list led by 县安监局; two cases of a 安监 item with a dispute each, one either side of the merger.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from loaders.decisions import record_decision
from queries.authority import authority
from queries.certificates import certificates
from queries.coverage_gaps import coverage_gaps
from queries.department_of_day import departments_of_day
from queries.dispute_candidates import dispute_candidates
from queries.duties import duties
from queries.responsibility_chain import responsibility_chain
from queries.staffing import staffing
from queries.zone_division import zone_division
from queries.zone_officers import zone_officers
from tests.conftest import Graph
from tests.queries.test_org_history_departments import (
    EMERGENCY,
    FILES,
    NEW_HEALTH,
    OLD_HEALTH,
    QINGSHAN,
    REFORM,
    RENAME,
    SAFETY,
    STREET,
    load,
    reformed_organisation,
)

CST = timezone(timedelta(hours=8))
REGION = "330998"
SAFETY_BRIGADE = "清溪县安全生产监察大队"
OFFICER = "33099820230001"
LINKED_RULE = "min_certified_linked_officers_per_zone_per_department"
# Either side of the rename (2024-04-01) and of the merger (2024-07-01).
RENAME_DAYS = (date(2024, 3, 31), date(2024, 4, 1))
MERGER_DAYS = (date(2024, 6, 30), date(2024, 7, 1))

GRANTS = """序号,事项编码,事项名称,事项类型,实施依据,原实施部门,执法领域
1,QX-AJ-004,对生产经营单位未按照规定设置安全生产管理机构或者配备安全生产管理人员的处罚,行政处罚,《中华人民共和国安全生产法》第九十七条第(一)项,清溪县安全生产监督管理局,应急管理
2,QX-WS-004,对医疗机构未取得放射诊疗许可从事放射诊疗工作的处罚,行政处罚,《医疗机构管理条例》第四十六条,清溪县卫生和计划生育局,卫生健康
"""
GRANTS_META = """series: qingxi-grant-2024
title: 清溪县部门赋权城东街道实施的行政处罚事项目录
issuer: 清溪县人民政府
doc_number: 清政发〔2023〕70号
kind: 县级赋权清单
effective: 2024-01-01
region: "330998"
streets: ["330998001"]
mode: 赋权
"""
DUTIES = """序号,事项名称,乡镇(街道)责任,乡镇(街道)具体职责,县级部门,县级部门职责,对应执法事项,依据
1,安全生产教育培训检查,配合责任,发现问题及时报告,县安监局,组织检查并依法查处,QX-AJ-002,《中华人民共和国安全生产法》
"""
DUTIES_META = """kind: 属地管理事项责任清单
title: 清溪县属地管理事项责任清单
effective: 2024-01-01
region: "330998"
streets: all
"""
ZONE_LIST = """序号,事项编码,事项名称,事项类型,实施依据,牵头部门,提请部门,执法领域,备注
1,QX-AJ-002,对生产经营单位未按照规定对从业人员进行安全生产教育和培训的处罚,行政处罚,《中华人民共和国安全生产法》第九十七条第(三)项,县安监局,县安监局,应急管理,
"""
ZONE_LIST_META = """series: qingxi-zone-list
title: 清溪县片区联合执法基础事项清单
issuer: 清溪县综合行政执法局
kind: 片区联合执法清单
effective: 2024-01-01
region: "330998"
zone_list:
  proposed: 2023-12-10
  approved_by: qx-zhzf
  approved: 2023-12-20
  approved_items: [QX-AJ-002]
"""
STAFFING = """kind: staffing
region: "330998"
approvals:
  - 文件: 关于核定县安全生产监察大队等单位编制的通知
    文号: 清编办〔2023〕2号
    发文机关: 清溪县机构编制委员会办公室
    日期: 2023-01-01
    核定:
      - {单位: 清溪县安全生产监察大队, 行政编制: 0, 事业编制: 5, 实有人数: 4, 持证执法人员: 1, 协管人员: 0}
      - {单位: 清溪县卫生监督执法大队, 行政编制: 0, 事业编制: 6, 实有人数: 6, 持证执法人员: 0, 协管人员: 0}
"""
CASES = """kind: cases
cases:
  - {id: QX-2024-0201, item: QX-AJ-002, occurred_in: 城东街道, occurred_on: 2024-06-20,
     filed_at: 2024-06-21T09:00:00+08:00, handled_by: qx-ajj, status: 立案, summary: 未开展安全生产培训}
  - {id: QX-2024-0202, item: QX-AJ-002, occurred_in: 城东街道, occurred_on: 2024-07-10,
     filed_at: 2024-07-11T09:00:00+08:00, handled_by: qx-ajj, status: 立案, summary: 未开展安全生产培训}
disputes:
  - {id: QX-D-2024-01, case: QX-2024-0201, raised_at: 2024-06-22T09:00:00+08:00,
     claimants: [{body: 城东街道, stance: disclaims}, {body: qx-ajj, stance: claims}], resolved_by: qx-ajj}
  - {id: QX-D-2024-02, case: QX-2024-0202, raised_at: 2024-07-12T09:00:00+08:00,
     claimants: [{body: 城东街道, stance: disclaims}, {body: qx-ajj, stance: claims}], resolved_by: qx-ajj}
"""


def reformed(graph: Graph, tmp_path: Path) -> None:
    """清溪县 with the reform's other reaches (see the module's docstring), loaded."""
    path = reformed_organisation(tmp_path)
    organisation = yaml.safe_load(path.read_text(encoding="utf-8"))
    organisation["units"].append(
        {"id": "qx-u-aj-dd", "name": SAFETY_BRIGADE, "kind": "大队", "part_of": "qx-ajj"}
    )
    organisation["officers"].append(
        {
            "id": OFFICER,
            "name": "陈安",
            "unit": "qx-u-aj-dd",
            "certificate_issuer": "清溪县人民政府",
            "valid_from": date(2023, 1, 1),
            "valid_to": date(2024, 7, 20),  # expiring within the notice period on either day
            "domains": ["应急管理"],
            "roles": ["执法人员"],
            "postings": [
                {
                    "to": "qx-z-east",
                    "mode": "挂钩",
                    "department": "qx-ajj",
                    "valid_from": date(2023, 1, 1),
                }
            ],
        }
    )
    organisation["policies"].append(
        {
            "id": "QX-P-LINKED",
            "rule": LINKED_RULE,
            "threshold": 2,
            "description": "每个片区每个赋权部门至少2名持证挂钩联系人员",
            "source": "QX-2022-60",
            "valid_from": date(2023, 1, 1),
        }
    )
    path.write_text(yaml.safe_dump(organisation, allow_unicode=True), encoding="utf-8")
    files = {
        "qingxi-2024-grants.csv": GRANTS,
        "qingxi-2024-grants.meta.yaml": GRANTS_META,
        "qingxi-duties.csv": DUTIES,
        "qingxi-duties.meta.yaml": DUTIES_META,
        "cases-reform.yaml": CASES,
        "staffing.yaml": STAFFING,
        "qingxi-zone-2024.csv": ZONE_LIST,
        "qingxi-zone-2024.meta.yaml": ZONE_LIST_META,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    load(
        graph,
        path,
        *FILES[1:],
        tmp_path / "qingxi-2024-grants.csv",
        tmp_path / "qingxi-duties.csv",
        tmp_path / "cases-reform.yaml",
        tmp_path / "staffing.yaml",
        tmp_path / "qingxi-zone-2024.csv",
    )


def test_the_read_gives_the_department_standing_for_each_id_by_its_name_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    load(graph, *FILES)

    def of_day(day: date) -> dict[str, tuple[str, str, str]]:
        sheet = graph.read(lambda tx: departments_of_day(tx, ["qx-wjj", "qx-ajj", "qx-x"], day))
        return {k: (v.own_name, v.id, v.name) for k, v in sheet.found.items()}

    assert of_day(date(2024, 3, 31)) == {
        "qx-wjj": (OLD_HEALTH, "qx-wjj", OLD_HEALTH),
        "qx-ajj": (SAFETY, "qx-ajj", SAFETY),
    }
    assert of_day(date(2024, 4, 1))["qx-wjj"] == (NEW_HEALTH, "qx-wjj", NEW_HEALTH)
    assert of_day(date(2024, 6, 30))["qx-ajj"] == (SAFETY, "qx-ajj", SAFETY)
    assert of_day(date(2024, 7, 1))["qx-ajj"] == (SAFETY, "qx-yjj", EMERGENCY)
    merged = graph.read(lambda tx: departments_of_day(tx, ["qx-ajj"], date(2024, 7, 1)))
    day = merged.found["qx-ajj"]
    assert day.merged and [m.since for m in day.mergers] == [date(2024, 7, 1)]
    assert day.note() == (
        f"{SAFETY}(qx-ajj)自2024-07-01起并入{EMERGENCY}(机构改革,职责划入),依据{REFORM}"
    )
    renamed = graph.read(lambda tx: departments_of_day(tx, ["qx-wjj"], date(2024, 4, 1)))
    assert renamed.found["qx-wjj"].rename_note() == (
        f"{NEW_HEALTH}(qx-wjj)自2024-04-01起用此名(更名),依据{RENAME}"
    )
    assert graph.read(lambda tx: departments_of_day(tx, [], date(2024, 7, 1))).found == {}


def test_the_coverage_gaps_name_the_granting_department_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)

    def linked_gaps(day: date) -> dict[str, str | None]:
        found = graph.read(coverage_gaps, region=REGION, as_of=day)
        gaps = [g for g in found.gaps if g.rule == LINKED_RULE]
        subjects = {s.key: s.name for g in gaps for s in g.subjects if s.kind == "部门"}
        for gap in gaps:  # the detail and the fix name the department subject's name
            [department] = [s for s in gap.subjects if s.kind == "部门"]
            assert gap.detail.startswith(department.name or ""), gap.detail
        return subjects

    assert linked_gaps(RENAME_DAYS[0]) == {"qx-ajj": SAFETY, "qx-wjj": OLD_HEALTH}
    assert linked_gaps(RENAME_DAYS[1]) == {"qx-ajj": SAFETY, "qx-wjj": NEW_HEALTH}
    assert linked_gaps(MERGER_DAYS[0]) == {"qx-ajj": SAFETY, "qx-wjj": NEW_HEALTH}
    # From the merger day the 安监局's grant is the 应急管理局's (its successor), and the officer
    # linked for the 安监局 counts for it.
    assert linked_gaps(MERGER_DAYS[1]) == {"qx-yjj": EMERGENCY, "qx-wjj": NEW_HEALTH}


def test_the_zone_officers_name_the_posting_department_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)

    def department(day: date) -> str | None:
        found = graph.read(zone_officers, region=REGION, as_of=day)
        [entry] = [o for z in found.zones for o in z.officers if o.certificate == OFFICER]
        return entry.department

    assert [department(day) for day in MERGER_DAYS] == [SAFETY, EMERGENCY]


def test_the_zone_division_names_a_zone_lists_lead_department_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)

    def lead(day: date) -> tuple[str | None, str | None, str | None]:
        found = graph.read(zone_division, region=REGION, as_of=day)
        [item] = [i for lst in found.item_lists for i in lst.items if i.code == "QX-AJ-002"]
        return item.lead, item.lead_name, item.proposed_by

    # Who leads is who stands for the 安监局 that day; who proposed it stays as recorded.
    assert lead(MERGER_DAYS[0]) == ("qx-ajj", SAFETY, "qx-ajj")
    assert lead(MERGER_DAYS[1]) == ("qx-yjj", EMERGENCY, "qx-ajj")


def test_staffing_counts_a_merged_departments_brigade_for_its_successor(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)

    def brigade(day: date) -> tuple[str, str, str | None]:
        found = graph.read(staffing, region=REGION, as_of=day)
        [unit] = [u for u in found.units if u.unit_id == "qx-u-aj-dd"]
        health = [u for u in found.units if u.unit_id == "qx-u-ws-dd"]
        return unit.owner_key, unit.owner_name, health[0].owner_name if health else None

    before, after = (graph.read(staffing, region=REGION, as_of=d) for d in MERGER_DAYS)
    assert brigade(RENAME_DAYS[0]) == ("qx-ajj", SAFETY, OLD_HEALTH)
    assert brigade(RENAME_DAYS[1]) == ("qx-ajj", SAFETY, NEW_HEALTH)
    assert brigade(MERGER_DAYS[0]) == ("qx-ajj", SAFETY, NEW_HEALTH)
    assert brigade(MERGER_DAYS[1]) == ("qx-yjj", EMERGENCY, NEW_HEALTH)
    assert not any(REFORM in n for n in before.notes)
    assert any(REFORM in n and SAFETY in n for n in after.notes), after.notes


def test_the_certificate_list_names_the_units_department_of_the_day(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)

    def owner(day: date) -> str | None:
        found = graph.read(certificates, region=REGION, as_of=day)
        [finding] = [f for f in found.expiring if f.officer_id == OFFICER]
        return finding.unit_owner

    assert [owner(day) for day in MERGER_DAYS] == [SAFETY, EMERGENCY]


def test_the_duty_answer_names_the_lead_department_of_the_day(graph: Graph, tmp_path: Path) -> None:
    reformed(graph, tmp_path)

    def lead(day: date) -> tuple[list[tuple[str, str]], list[str]]:
        found = graph.read(duties, street=STREET, matter="安全生产教育培训", as_of=day)
        assert found.outcome == "found" and found.matter is not None, found.explanation
        return [(b.key, b.name) for b in found.matter.lead], found.notes

    (before, before_notes), (after, after_notes) = (lead(day) for day in MERGER_DAYS)
    assert before == [("qx-ajj", SAFETY)]
    assert after == [("qx-yjj", EMERGENCY)]
    assert not any(REFORM in n for n in before_notes)
    assert any(REFORM in n for n in after_notes), after_notes


def test_the_dispute_candidates_weigh_the_departments_of_the_cases_day(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)
    before = graph.read(dispute_candidates, case="QX-2024-0201")  # 2024-06-20
    after = graph.read(dispute_candidates, case="QX-2024-0202")  # 2024-07-10
    assert {
        (c.body.key, c.body.name) for c in before.candidates if c.body.kind == "Department"
    } == {("qx-ajj", SAFETY)}
    [held] = [c for c in before.candidates if c.body.key == "qx-ajj"]
    assert held.holds_authority is True  # the item is the 安监局's, not delegated (Art. 22–24)
    departments = {
        (c.body.key, c.body.name) for c in after.candidates if c.body.kind == "Department"
    }
    assert departments == {("qx-yjj", EMERGENCY)}
    [held] = [c for c in after.candidates if c.body.key == "qx-yjj"]
    assert held.holds_authority is True  # the successor holds it: not a stranger to authority
    [dispute] = after.disputes
    assert dispute.resolved_by is not None and dispute.resolved_by.key == "qx-yjj"
    assert ("Department", "qx-yjj", EMERGENCY) in {
        (c.body.kind, c.body.key, c.body.name) for c in dispute.claimants
    }
    policies = {r.policy: r.department.key for r in after.resolvers if r.department}
    assert policies["QX-P-DISPUTE-AJ"] == "qx-yjj"
    assert REFORM in after.conclusion and REFORM not in before.conclusion
    [dispute] = before.disputes
    assert dispute.resolved_by is not None and dispute.resolved_by.name == SAFETY


def test_a_precedent_decided_for_a_merged_department_names_its_successor(
    graph: Graph, tmp_path: Path
) -> None:
    reformed(graph, tmp_path)
    graph.write(
        record_decision,
        dispute="QX-D-2024-01",
        decided_for="qx-ajj",
        basis="该事项属县安全生产监督管理局职责,未委托或赋权街道",
        by="清溪县人民政府",
        at=datetime(2024, 6, 25, 9, 0, tzinfo=CST),
    )

    def precedent(day: date) -> tuple[tuple[str, str], tuple[str, str] | None, list[str]]:
        found = graph.read(authority, item="QX-AJ-002", street=STREET, as_of=day)
        [p] = found.precedents
        assert p.decided_for is not None
        named = p.decided_for_named
        return (
            (p.decided_for.key, p.decided_for.name),
            (named.key, named.name) if named else None,
            [n for n in found.notes if n.startswith("先例")],
        )

    key, named, notes = precedent(MERGER_DAYS[0])
    assert (key, named) == (("qx-ajj", SAFETY), None)
    key, named, notes = precedent(MERGER_DAYS[1])
    assert (key, named) == (("qx-yjj", EMERGENCY), ("qx-ajj", SAFETY))
    assert f"已决定由{EMERGENCY}(决定时为{SAFETY},其职责已划入)管辖" in notes[0], notes
    # The dispute read says the same of the case's own dispute, on the case's day (before).
    [dispute] = graph.read(dispute_candidates, case="QX-2024-0201").disputes
    assert dispute.decided_for is not None and dispute.decided_for.key == "qx-ajj"


@pytest.mark.parametrize("street", [STREET, QINGSHAN])
def test_the_chain_finds_a_merged_departments_brigade_under_its_successor(
    graph: Graph, tmp_path: Path, street: str
) -> None:
    reformed(graph, tmp_path)

    def teams(day: date) -> list[tuple[str, str]]:
        found = graph.read(responsibility_chain, street=street, item="QX-AJ-002", as_of=day)
        return [(x.node.key, x.node.name) for x in found.links if x.role == "执法队伍" and x.node]

    # The subject is the 安监局 the day before the merger, the 应急管理局 from it: the 安监局's
    # brigade is the subject's team on both days.
    assert ("qx-u-aj-dd", SAFETY_BRIGADE) in teams(MERGER_DAYS[0])
    assert ("qx-u-aj-dd", SAFETY_BRIGADE) in teams(MERGER_DAYS[1])
