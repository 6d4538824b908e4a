"""Province guide lists (省级指导目录, issue 17.6) load as guide items and delegate nothing; a
county's items link to them by code (any width, spaces, dashes), else by name, on a real graph."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from authreg.errors import InputError
from loaders.catalog_meta import CatalogMeta
from queries.guide_uptake import guide_uptake
from tests.conftest import Graph
from tests.loaders.test_load_graph import COUNTY, delegations, load

GUIDE = Path(__file__).resolve().parents[1] / "catalogs" / "guide"


def _links(graph: Graph, on: date) -> tuple[set[tuple], list[int], list[str]]:
    answer = graph.read(guide_uptake, province="测试省", as_of=on)
    [county] = answer.counties
    matched = {(m.county_item.code, m.guide_item.row, m.match) for m in county.matched}
    return matched, [g.row for g in county.not_taken_up], [i.code for i in county.added]


def test_a_guide_list_writes_guide_items_and_changes_no_delegation_or_item(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    before = delegations(graph)
    [county_item] = graph.run("MATCH (i:EnforcementItem {code: 'T-001'}) RETURN i {.*} AS i")
    load(graph, GUIDE / "province-guide-2024.csv")
    assert delegations(graph) == before
    # Row 1 carries the county's own code T-001: the guide item is its own node, not the item.
    assert graph.run("MATCH (i:EnforcementItem {code: 'T-001'}) RETURN i {.*} AS i") == [
        county_item
    ]
    [row] = graph.run(
        "MATCH (c:Catalog {kind: '省级指导目录'})-[l:GUIDES]->(g:GuideItem) "
        "RETURN count(g) AS items, collect(DISTINCT g.region) AS regions, "
        "count { (c)<-[:AUTHORIZED_BY]-() } AS delegating"
    )
    assert row == {"items": 5, "regions": ["990000"], "delegating": 0}
    assert graph.run(
        "MATCH (r:Region {code: '990000'}) RETURN r.name AS name, r.level AS level"
    ) == [{"name": "测试省", "level": "province"}]


def test_codes_link_in_any_width_with_spaces_or_dashes_and_follow_the_day(graph: Graph) -> None:
    load(graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv")
    load(graph, GUIDE / "province-guide-2024.csv")
    matched, missing, added = _links(graph, date(2024, 10, 1))
    assert matched == {("T-001", 2, "code"), ("T-003", 3, "code"), ("T-002", 5, "code")}
    assert (missing, added) == ([4, 6], [])
    load(graph, COUNTY / "county-2025.csv")  # ends T-002, adds T-004 (占道经营)
    matched, missing, added = _links(graph, date(2025, 4, 1))
    assert matched == {("T-001", 2, "code"), ("T-003", 3, "code"), ("T-004", 4, "name+article")}
    assert (missing, added) == ([5, 6], [])


def test_a_later_guide_version_replaces_the_earlier_from_its_date(graph: Graph) -> None:
    load(
        graph, COUNTY / "organisation.yaml", COUNTY / "county-2024.csv", COUNTY / "county-2025.csv"
    )
    load(graph, GUIDE / "province-guide-2024.csv")
    load(graph, GUIDE / "province-guide-2025.csv")
    assert _links(graph, date(2025, 4, 30))[1] == [5, 6]  # the 2024 version still
    matched, missing, added = _links(graph, date(2025, 5, 1))
    assert matched == {("T-001", 2, "code"), ("T-003", 3, "code")}
    assert (missing, added) == ([], ["T-004"])  # beyond the 2025 guide


def test_a_guide_of_a_region_that_is_no_province_is_refused(graph: Graph) -> None:
    with pytest.raises(InputError, match="belongs to a province") as refused:
        load(graph, GUIDE / "province-guide-2024.csv", region="990101")
    assert "region" in str(refused.value)
    assert graph.run("MATCH (g:GuideItem) RETURN count(g) AS n") == [{"n": 0}]


def test_a_guide_naming_streets_is_refused_before_anything_is_read() -> None:
    with pytest.raises(ValidationError, match="省级指导目录 delegates nothing"):
        CatalogMeta.model_validate({"kind": "省级指导目录", "region": "350000", "streets": "all"})


def test_a_guide_loaded_again_changes_nothing(graph: Graph) -> None:
    load(graph, GUIDE / "province-guide-2024.csv")
    first = graph.run("MATCH (g:GuideItem) RETURN g {.*} AS g ORDER BY g.id")
    load(graph, GUIDE / "province-guide-2024.csv")
    assert graph.run("MATCH (g:GuideItem) RETURN g {.*} AS g ORDER BY g.id") == first
