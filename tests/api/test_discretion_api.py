"""The authority answer's `discretion` field over GraphQL (裁量基准, 首违不罚; issue 18.4)."""

from __future__ import annotations

from tests.api.conftest import Api

QUERY = """
query ($on: Date!) {
  authority(item: "LC-SC-005", street: "江南街道", asOf: $on) {
    discretion { kind title docNumber effective summary restsOn { id text }
                 rows { row violation condition match } }
  }
}
"""


def test_the_no_penalty_list_comes_with_its_source_and_match(api: Api) -> None:
    before = api.data(QUERY, {"on": "2024-12-31"})["authority"]["discretion"]
    [note] = api.data(QUERY, {"on": "2025-01-01"})["authority"]["discretion"]
    assert before == []
    assert (note["kind"], note["docNumber"], note["effective"]) == (
        "不予处罚清单",
        "泉市监〔2024〕示例2号",
        "2025-01-01",
    )
    assert note["rows"] == [
        {
            "row": 3,
            "violation": "市场主体未依照规定办理变更登记",
            "condition": "初次违法，在登记机关责令改正的期限内办理变更登记，未造成危害后果的",
            "match": "name_and_article",
        }
    ]
    assert note["summary"].startswith("首违不罚: 初次违法")
    assert note["restsOn"] == [{"id": "行政处罚法#33", "text": None}]  # not in data/sample/laws
