"""The `duties` root field (属地管理事项责任清单, seed 002) and authority's 办理层级 over the sample."""

from __future__ import annotations

from tests.api.conftest import Api

DUTIES = """query($street: String!, $matter: String!, $asOf: Date) {
  duties(street: $street, matter: $matter, asOf: $asOf) {
    outcome explanation notes
    dutyList { title effective sourceFile }
    matter { name row source lead { name role duties } assist { name role duties }
             items { code delegated handling handlingSource } }
  } }"""


def test_a_viewer_asks_who_leads_and_who_assists(api: Api) -> None:
    variables = {"street": "双江街道", "matter": "违法建设", "asOf": "2025-06-01"}
    found = api.data(DUTIES, variables)["duties"]
    assert found["outcome"] == "found"
    assert found["dutyList"]["sourceFile"] == "eshan-duties-2025.csv"
    matter = found["matter"]
    assert matter["row"] == 3 and [b["name"] for b in matter["lead"]] == ["双江街道"]
    assert [b["role"] for b in matter["assist"]] == ["配合责任"]
    assert matter["items"] == [
        {
            "code": "ES-ZJ-001",
            "delegated": False,
            "handling": "county_team",
            "handlingSource": "《峨山县赋予乡镇(街道)部分县级行政职权目录》(eshan-2024.csv) 第3行",
        }
    ]


def test_overlong_words_are_bad_user_input(api: Api) -> None:
    body = api.query(DUTIES, {"street": "双江街道", "matter": "垃" * 101})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


def test_authority_carries_the_handling_tier_and_its_row(api: Api) -> None:
    query = """{ authority(item: "ES-LC-002", street: "塔甸镇", asOf: "2025-06-01") {
      subject { name } handling { tier source quote } notes } }"""
    found = api.data(query)["authority"]
    assert found["subject"]["name"] == "塔甸镇"
    assert found["handling"]["tier"] == "county_team"
    assert found["handling"]["source"].endswith("(eshan-2024.csv) 第5行")
    assert any("县级部门专业执法队伍" in note for note in found["notes"])
