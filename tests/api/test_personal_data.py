"""Officers' names and certificate numbers (个人信息) only for editor, reviewer and admin."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

CHAIN = '{ responsibilityChain(case: "LC-2024-0001") { links { node { label key name } } } }'
CHECKS = '{ caseChecks(case: "LC-2025-0005") { officers { id name } } }'


def nodes(data: dict) -> list[dict]:
    return [link["node"] for link in data["responsibilityChain"]["links"] if link["node"]]


def test_a_viewer_sees_the_bodies_of_a_chain_but_not_its_officers(api: Api) -> None:
    body = api.query(CHAIN, role="viewer")
    officers = [n for n in nodes(body["data"]) if n["label"] == "Officer"]
    bodies = [n for n in nodes(body["data"]) if n["label"] != "Officer"]
    assert officers and bodies
    assert all(n["key"] is None and n["name"] is None for n in officers)
    assert all(n["key"] and n["name"] for n in bodies)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert len(body["errors"]) == 2 * len(officers)


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin"])
def test_editors_reviewers_and_admins_see_officers(api: Api, role: str) -> None:
    officers = [n for n in nodes(api.data(CHAIN, role=role)) if n["label"] == "Officer"]
    assert officers and all(n["key"] and n["name"] for n in officers)
    checked = api.data(CHECKS, role=role)["caseChecks"]["officers"]
    assert {o["id"] for o in checked} == {"35050220230201", "35050220200202"}


def test_a_viewer_gets_case_check_officers_masked(api: Api) -> None:
    body = api.query(CHECKS, role="viewer")
    assert body["data"]["caseChecks"]["officers"] == [
        {"id": None, "name": None},
        {"id": None, "name": None},
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
