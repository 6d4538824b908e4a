"""Province guide lists (省级指导目录): their rows become guide items, never delegations.

A province publishes a guide list (乡镇(街道)赋权事项指导目录) from which each county chooses
what it hands to its streets. Loading one writes a `GuideItem` per row, kept with the list
version that holds it: the guide starts, ends and grounds nothing. Which county items take up
which guide item is decided when the question is asked (`queries/guide_uptake.py`), so loading
either side never needs the other reloaded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from authreg.errors import InputError
from loaders.rows import derived_item_code
from schema.enums import RegionLevel
from schema.models import GuideItem

if TYPE_CHECKING:
    from loaders.catalogs import CatalogOutcome, CatalogPlan
    from loaders.graph_writes import GraphWrites
    from loaders.rows import CatalogRow

# GB/T 2260: a province-level code ends in 0000 (福建省 350000); a city's in 00, a county's not.
_PROVINCE_CODE = re.compile(r"^\d{2}0000$")


def build_guide(w: GraphWrites, plan: CatalogPlan, outcome: CatalogOutcome) -> CatalogOutcome:
    """The guide list's rows as guide items of its province, through the loaders' graph
    operations. No department, street or delegation is read or written."""
    province = province_of(plan)
    items = [guide_item(plan, row, province).to_properties() for row in plan.rows]
    region = {"code": province, "name": plan.meta.region_name, "level": RegionLevel.PROVINCE.value}
    w.write_guide_items(plan.catalog.id, items, region)
    outcome.items = len(items)
    return outcome


def province_of(plan: CatalogPlan) -> str:
    """The metadata's `region:`, which must be a province's code: a guide list is the
    province's (省级); a county's own list is a 县级赋权清单."""
    region = plan.meta.region
    if region is None or not _PROVINCE_CODE.match(region):
        given = f"`region: {region}`" if region else "no `region:`"
        raise InputError(
            problem=f"a 省级指导目录 belongs to a province, but the metadata gives {given}; give "
            'the province\'s GB/T 2260 code (福建省: region: "350000")',
            **plan.meta.where(plan.file, "region"),
        )
    return region


def guide_item(plan: CatalogPlan, row: CatalogRow, province: str) -> GuideItem:
    """One row as a guide item: its code only when the row gives one (a code the loader derives
    from the name is no 事项编码 and links nothing)."""
    item = row.item
    derived = derived_item_code(plan.meta.region or plan.meta.series_of(row.at.file), item.name)
    return GuideItem(
        id=f"{plan.catalog.id}#{row.at.row}",
        region=province,
        code=None if item.code == derived else item.code,
        name=item.name,
        type=item.type,
        domain=item.domain,
        department=row.department,
        basis_raw=item.basis_raw,
        articles=cited_articles(row),
        raw=row.raw,
        source=item.source,
    )


def cited_articles(row: CatalogRow) -> list[str]:
    """The articles the row's basis cites, as "document key#article" (款 and 项 left out: a
    county citing 第三十七条第一款 cites the article the guide cites as 第三十七条)."""
    found: dict[str, None] = {}
    for citation in row.basis.citations:
        if citation.article is not None:
            found[f"{citation.document_key}#{citation.article}"] = None
    return list(found)
