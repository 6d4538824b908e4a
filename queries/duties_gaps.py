"""The duty list against the delegations (权责一致, seed 002 四): a town that leads a matter (主体责任)
must hold the enforcement items the list names for it; a coverage gap names each one it does not."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from loaders.duty_lists import LEAD
from loaders.yaml_files import read_yaml
from queries.gap_answer import CoverageGap, GapSource, Subject
from queries.gap_scope import Scope
from schema.enums import DelegationMode

RULES_FILE = Path(__file__).with_name("duty_rules.yaml")
RULE = "duty_lead_without_delegation"
ACTING = [DelegationMode.GRANT.value, DelegationMode.ENTRUST.value]  # the town acts itself


def duty_lead_gaps(scope: Scope) -> list[CoverageGap]:
    """Each town × matter × item where the town leads by the list but holds no 赋权 or 委托 that day."""
    rows = scope.read(
        "duty_leads",
        regionCodes=[scope.region_code],
        streetCodes=scope.street_codes,
        lead=LEAD,
        acting=ACTING,
    )
    return [_gap(row) for row in rows]


def _gap(row: dict[str, Any]) -> CoverageGap:
    rule = duty_rules()[RULE]
    department = row["departmentName"] or "原实施部门"
    where = f"《{row['title']}》({row['sourceFile']}) 第{row['row']}行"
    subjects = [
        Subject(kind="街道", key=row["streetCode"], name=row["streetName"]),
        Subject(kind="事项", key=row["itemCode"], name=row["itemName"]),
        Subject(kind="责任清单", key=row["matterId"], name=row["matterName"]),
    ]
    if row["departmentId"]:
        subjects.append(Subject(kind="部门", key=row["departmentId"], name=department))
    return CoverageGap(
        rule=RULE,
        description=rule["description"],
        source=GapSource(document=rule["document"], quote=rule["quote"]),
        subjects=subjects,
        measured=0,
        threshold=1,
        comparison="≥",
        detail=f"{where}「{row['matterName']}」由{row['streetName']}承担主体责任, 但"
        f"{row['itemCode']}「{row['itemName']}」未赋权或委托{row['streetName']}: 查处仍以{department}名义",
        fix=f"由县委编办核对: 将{row['itemCode']}赋权{row['streetName']}, 或将清单该行改为"
        f"{row['streetName']}配合责任、{department}主体责任",
    )


@cache
def duty_rules() -> dict[str, dict[str, str]]:
    data = read_yaml(RULES_FILE)
    assert isinstance(data, dict) and RULE in data, f"{RULES_FILE.name} lacks {RULE}"
    return data
