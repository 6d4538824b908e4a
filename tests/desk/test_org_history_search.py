"""The desk's street search finds a town by a name it had (更名, issue 14.12) and says so, as the
CLI and GraphQL search answers do: 原名 城关镇 (至 2023-06-30) beside 城东街道 (fixture 清溪县)."""

from __future__ import annotations

from tests.conftest import Graph
from tests.desk.conftest import _clerk
from tests.queries.test_org_history import load_qingxi

NOTE = "原名 城关镇 (至 2023-06-30)"


def test_a_street_found_by_its_former_name_shows_it_with_its_last_day(graph: Graph) -> None:
    load_qingxi(graph)
    for viewer in _clerk(graph.settings, "viewer"):
        rows = viewer.get("/suggest/streets", q="城关").json()
        assert {"value": "城东街道", "code": "330998001", "county": "清溪县", "note": NOTE} in rows
        # A street found by its name now carries no note.
        rows = viewer.get("/suggest/streets", q="青山").json()
        assert rows and all("note" not in row for row in rows), rows
        # The choices of the question page: 镇 finds 青山镇 and, by its former name, 城东街道.
        html = viewer.page("/authority", matter="生活垃圾", street="镇")
        assert "请选择街道（乡镇）" in html and "城东街道" in html and NOTE in html
        assert html.count("原名") == 1
