"""No re-delegation (不得转授权): a catalog naming a street as its delegating body is refused.

A county list hands a county department's powers to streets (行政处罚法 Art. 24); a street that
holds them may not hand them on (Art. 20 ¶4; seed 001). A catalog whose issuer, `department:`
or 原实施部门 cell is one of its region's streets would write such a hand-on, so the load stops
with the rule quoted (loaders/redelegation_rule.yaml) before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from authreg.errors import InputError
from loaders.yaml_files import read_yaml
from schema.enums import CatalogKind

RULE_FILE = Path(__file__).with_name("redelegation_rule.yaml")
# Notices end what a county list started; only lists and adjustments hand powers on.
_NOT_DELEGATING = {CatalogKind.WITHDRAWAL, CatalogKind.PROVINCE_GUIDE, CatalogKind.POWER_LIST}


class _Plan(Protocol):  # loaders.catalogs.CatalogPlan, named here without importing it
    file: Path
    meta: Any
    rows: list[Any]


def refuse_redelegation(plan: _Plan, streets: Iterable[Mapping[str, Any]]) -> None:
    """Raise InputError when the catalog's delegating body is one of the region's streets."""
    if plan.meta.kind in _NOT_DELEGATING:
        return
    names = {s["name"]: s["name"] for s in streets} | {s["code"]: s["name"] for s in streets}
    if plan.meta.issuer in names and not _own_list(plan, names):
        _refuse(plan.file, names[plan.meta.issuer], "issuer (发布机关)", None)
    if plan.meta.department in names:
        _refuse(plan.file, names[plan.meta.department], "department", None)
    for row in plan.rows:
        if row.department in names:
            _refuse(plan.file, names[row.department], "原实施部门", row.at.row)


def _own_list(plan: _Plan, names: Mapping[str, str]) -> bool:
    """Whether a street publishes the list of what it holds itself, so hands nothing on: every
    row's receivers (its receiving-street cell, else the metadata's `streets:` list) are the
    issuer. A receiver that is not one street by name or code (各镇街, another street) is not."""
    issuer = names.get(plan.meta.issuer)
    default = plan.meta.streets if isinstance(plan.meta.streets, list) else None
    receivers = [list(row.streets) or default for row in plan.rows] or [default]
    return all(
        parts is not None and parts and {names.get(part) for part in parts} == {issuer}
        for parts in receivers
    )


def rule_text() -> str:
    """The rule as quoted in a refusal: each source with its words."""
    rule: Any = read_yaml(RULE_FILE)
    return "; ".join(f"{s['document']}: “{s['quote']}”" for s in rule["sources"])


def _refuse(file: Path, street: str, column: str, row: int | None) -> None:
    raise InputError(
        file,
        f"{street}是街道(乡镇), 不能作为赋权机关再行赋予权限 (不得转授权): {rule_text()};"
        " 赋权清单的原实施部门应为县级部门",
        row=row,
        column=column,
    )
