"""Catalog changes between two dates per street (目录变化): items gained, withdrawn, subject changed."""

from __future__ import annotations

from datetime import date
from typing import Literal

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from queries.answers import Answer, Cell, Sheet, record_natives
from queries.cypher_files import cypher
from queries.impact import CatalogListing, catalog_listing
from queries.lookups import QueryInputError, region_code, street_code

CATALOG_DIFF = cypher("catalog_diff")

Change = Literal["gained", "withdrawn", "subject_changed"]
CHANGE_LABELS = {"gained": "新增", "withdrawn": "收回/取消", "subject_changed": "执法主体变化"}


class DelegationState(BaseModel):
    """A delegation in force on one of the two dates, with the catalog that started or ended it."""

    id: str
    mode: str
    department_id: str | None = None
    department_name: str | None = None
    valid_from: date
    valid_to: date | None = None
    started_by: CatalogListing | None = None  # earliest AUTHORIZED_BY: the version that started it
    ended_by: CatalogListing | None = (
        None  # ENDED_BY: the version or notice (收回通知) that ended it, or a 撤并 notice
    )
    mode_basis: str | None = None  # the notice of the town's dated mode that day (组织沿革)


class ItemChange(BaseModel):
    """One item gained, withdrawn or changed in subject (事项变化), with the delegations around it."""

    change: Change
    item_code: str
    item_name: str
    before: list[DelegationState] = Field(default_factory=list)  # in force on from_date
    after: list[DelegationState] = Field(default_factory=list)  # in force on to_date

    @computed_field
    @property
    def evidence(self) -> str:
        """The catalog or notice that made the change, cited (目录, 文号, 行)."""
        cited = [_cite(d.started_by, "started") for d in self.after if self.change != "withdrawn"]
        cited += [_cite(d.ended_by, "ended") for d in self.before if self.change != "gained"]
        if self.change == "subject_changed":  # a town's mode changed: its notice, not a list's
            notices = [d.mode_basis for d in self.after if d.mode_basis]
            cited = [f"模式调整依据 {n}" for n in notices] or cited
        return ";".join(dict.fromkeys(cited))


class StreetDiff(BaseModel):
    """One street's changes between the two days (街道目录变化); none: nothing changed."""

    street_code: str
    street_name: str
    region_code: str | None = None
    changes: list[ItemChange] = Field(default_factory=list)  # empty: no change

    def codes(self, change: Change) -> list[str]:
        return [c.item_code for c in self.changes if c.change == change]


class CatalogDiff(Answer):
    """Per street of the scope. `found` is False when no street or region has the code or exact
    name asked; from_date after to_date, or not exactly one scope, raises QueryInputError."""

    street: str | None = None
    region: str | None = None
    from_date: date
    to_date: date
    found: bool
    streets: list[StreetDiff] = Field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        columns = ["街道编码", "街道", "变化", "事项编码", "事项名称", "变化前", "变化后", "依据"]
        rows: list[list[Cell]] = []
        for street in self.streets:
            rows += [
                [
                    street.street_code,
                    street.street_name,
                    CHANGE_LABELS[change.change],
                    change.item_code,
                    change.item_name,
                    _subjects(change.before),
                    _subjects(change.after),
                    change.evidence,
                ]
                for change in street.changes
            ] or [[street.street_code, street.street_name, "无变化", None, None, None, None, None]]
        title = f"目录变化 {self.from_date} → {self.to_date}"
        return [Sheet(title=title, columns=columns, rows=rows)]


@unit_of_work(metadata={"query": "catalog_diff"})
def catalog_diff(
    tx: ManagedTransaction,
    *,
    street: str | None = None,
    region: str | None = None,
    from_date: date,
    to_date: date,
) -> CatalogDiff:
    """Items gained, withdrawn and changed in subject per street between from_date and to_date."""
    if (street is None) == (region is None):
        raise QueryInputError("catalog diff: give exactly one of a street or a region")
    if from_date > to_date:
        raise QueryInputError(f"catalog diff: from {from_date} is after to {to_date}")
    asked = {"street": street, "region": region, "from_date": from_date, "to_date": to_date}
    code = street_code(tx, street) if street else region_code(tx, region or "")
    if code is None:
        return CatalogDiff(**asked, found=False)
    result = tx.run(
        CATALOG_DIFF,
        streetCode=code if street else None,
        regionCode=code if region else None,
        fromDate=from_date,
        toDate=to_date,
    )
    streets = [_street(record_natives(record)) for record in result]
    return CatalogDiff(**asked, found=True, streets=streets)


def _street(row: dict) -> StreetDiff:
    return StreetDiff(
        street_code=row["streetCode"],
        street_name=row["streetName"],
        region_code=row["regionCode"],
        changes=[
            ItemChange(
                change=c["change"],
                item_code=c["itemCode"],
                item_name=c["itemName"],
                before=[_state(d) for d in c["before"]],
                after=[_state(d) for d in c["after"]],
            )
            for c in row["changes"]
        ],
    )


def _state(row: dict) -> DelegationState:
    return DelegationState(
        id=row["id"],
        mode=row["mode"],
        department_id=row["departmentId"],
        department_name=row["departmentName"],
        valid_from=row["validFrom"],
        valid_to=row["validTo"],
        started_by=catalog_listing(row["startedBy"]),
        ended_by=catalog_listing(row["endedBy"]),
        mode_basis=row.get("modeBasis"),
    )


def _cite(listing: CatalogListing | None, how: str) -> str:
    if listing is None:
        return f"{how} by: 未记录 (no catalog recorded)"
    number = f"({listing.doc_number})" if listing.doc_number else ""
    row = f"第{listing.row}行" if listing.row else "不再列入 (no longer listed)"
    return f"《{listing.title}》{number} {listing.effective} {row}"


def _subjects(states: list[DelegationState]) -> str:
    return "、".join(f"{d.mode} {d.department_name or d.department_id or '?'}" for d in states)
