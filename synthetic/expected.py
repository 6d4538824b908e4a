"""What a loaded synthetic county should answer (预期结果): planted catalog gaps and example questions."""

from __future__ import annotations

from datetime import date

from synthetic.county_plan import GRANT, STATION, CountyPlan
from synthetic.delegations import in_force, rows_by_code
from synthetic.planted import Planted
from synthetic.timeline import BEFORE_DAY, CHECK_DAY

ROW_GAPS = {
    "unparseable_basis": ("item_without_legal_basis", "basis cell cites nothing resolvable"),
    "repealed_basis": ("item_on_repealed_law", "cites only a regulation recorded as repealed"),
    "uncovered_domain": (
        "delegated_item_without_certified_officer",
        "an inspection in 文化市场, a domain no officer covers",
    ),
    "article_missing": (None, "cites an article the loaded law text does not hold"),
}


def catalog_plants(plan: CountyPlan) -> list[Planted]:
    """The planted rows and the withdrawal, as the gaps they cause on CHECK_DAY."""
    county = plan.place.code
    found = [
        Planted(kind, county, (("事项", row.code),), f"{row.code}: {ROW_GAPS[kind][1]}", rule)
        for kind, row in plan.planted_rows.items()
        for rule in (ROW_GAPS[kind][0],)
    ]
    if plan.withdrawn is not None:
        item, street = plan.withdrawn
        zone = plan.street(street).zone
        department = plan.department_id(rows_by_code(plan)[item].department)
        note = f"{item} withdrawn from {street} only, the rest of {zone} keeps it"
        found.append(
            Planted(
                "withdrawn_from_one_street",
                county,
                (("街道", street), ("事项", item)),
                note,
                "catalog_item_not_delegated",
            )
        )
        found.append(
            Planted(
                "withdrawn_from_one_street",
                county,
                (("片区", zone), ("部门", department), ("街道", street)),
                note,
                "zone_item_sets_differ",
            )
        )
    return found


def delegation_counts(plan: CountyPlan) -> dict[str, int]:
    return {day.isoformat(): len(in_force(plan, day)) for day in (BEFORE_DAY, CHECK_DAY)}


def authority_examples(plan: CountyPlan) -> list[dict]:
    """A few authority questions with known answers: 赋权 → the street, 派驻 → the department."""
    rows = rows_by_code(plan)
    now = in_force(plan, CHECK_DAY)
    examples = []
    for (item, street), mode in sorted(now.items()):
        if rows[item].planted:
            continue
        wanted = {GRANT: "grant", STATION: "station"}.get(mode, "entrust")
        if any(e["case"] == wanted for e in examples):
            continue
        subject = ("Street", street) if mode == GRANT else ("Department", _holder(plan, item))
        examples.append(_example(plan, wanted, item, street, CHECK_DAY, subject))
    before = in_force(plan, BEFORE_DAY)
    later = [r for r in plan.versions[-1].rows if (r.code, plan.streets[0].code) not in before]
    if later:
        item = later[0].code
        subject = ("Department", _holder(plan, item))
        examples.append(
            _example(plan, "not_yet_listed", item, plan.streets[0].code, BEFORE_DAY, subject)
        )
    return examples


def _holder(plan: CountyPlan, item: str) -> str:
    return plan.department_id(rows_by_code(plan)[item].department)


def _example(
    plan: CountyPlan, case: str, item: str, street: str, day: date, subject: tuple[str, str]
) -> dict:
    return {
        "case": case,
        "county": plan.place.code,
        "item": item,
        "street": street,
        "as_of": day.isoformat(),
        "outcome": "determined",
        "subject_kind": subject[0],
        "subject_key": subject[1],
    }
