"""The pydantic models reject impossible facts before they reach the graph."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schema.enums import DelegationMode
from schema.models import Delegation, Provenance


def test_a_validity_interval_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="before valid_from"):
        Delegation(
            id="d",
            mode=DelegationMode.GRANT,
            valid_from=date(2024, 9, 11),
            valid_to=date(2024, 1, 1),
        )


def test_provenance_is_flattened_into_properties() -> None:
    delegation = Delegation(
        id="d",
        mode="赋权",
        valid_from=date(2024, 9, 11),
        source=Provenance(catalog="c1", file="a.csv", row=7),
    )
    props = delegation.to_properties()
    assert props["source_catalog"] == "c1" and props["source_row"] == 7
    assert props["mode"] == "赋权" and "source" not in props


def test_an_unknown_delegation_mode_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Delegation(id="d", mode="转让", valid_from=date(2024, 9, 11))
