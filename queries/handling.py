"""The 办理层级 of an item where it is delegated (县乡衔接, seed 002 二、二): who handles its cases.

A catalog row may say the item is simple (the town's team handles it) or technical (the county
department's professional team does); the authority answer carries that, with the row and the
seed's sentence, as a note — the enforcement subject stays what the delegation makes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import ManagedTransaction
from pydantic import BaseModel

from loaders.handling import handling_source, tier_label
from queries.answers import record_natives
from queries.cypher_files import cypher

TRANSFER_HANDLING = cypher("overdue_transfers_handling")


class HandlingNote(BaseModel):
    """Who handles the item's cases here (办理层级) and where the registry read it."""

    tier: str  # town / county_team
    label: str  # the seed's words for it
    catalog_id: str
    source: str  # 《catalog》(file) 第N行
    seed: str  # the seed document and section
    quote: str  # its sentence

    def note(self, subject: str) -> str | None:
        """For a technical item, the sentence a reader must see; a town-tier item needs none."""
        if self.tier != "county_team":
            return None
        return (
            f"办理层级: {self.label} ({self.source}); 执法主体仍为{subject}, 案件由县级部门"
            f"专业执法队伍办理 ({self.seed}: {self.quote})"
        )


def handling_of(rows: list[dict[str, Any]], catalog_id: str) -> HandlingNote | None:
    """The tier the catalog's row gives the item, among authority.cypher's `handling` rows (one
    per catalog in force of a delegation in force); None when that catalog's row gives none."""
    row = next((row for row in rows if row["catalogId"] == catalog_id), None)
    return None if row is None else _note(row)


def item_tiers(tx: ManagedTransaction, item_codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each item's tiers as catalogs give them, oldest catalog first (for `tier_on`)."""
    tiers: dict[str, list[dict[str, Any]]] = {}
    for record in tx.run(TRANSFER_HANDLING, itemCodes=sorted(set(item_codes))):
        row = record_natives(record)
        tiers.setdefault(row["itemCode"], []).append(row)
    return tiers


def tier_on(rows: list[dict[str, Any]], day: date) -> HandlingNote | None:
    """The tier of the newest catalog in force on `day`, among one item's rows."""
    in_force = [row for row in rows if row["effective"] <= day]
    return _note(in_force[-1]) if in_force else None


def transfer_note(note: HandlingNote, receiver_kind: str | None) -> str | None:
    """What a transfer of a technical item says (seed 002 二、二): to a county department, that
    the item goes to its professional team; to a town, that the catalog says otherwise."""
    if note.tier != "county_team":
        return None
    if receiver_kind == "department":
        return f"{note.label}: 目录列为专业性技术性强事项 ({note.source})"
    return (
        f"目录列为专业性技术性强事项, 应{note.label} ({note.source}), 此次移交乡镇(街道): "
        "请核对办理层级"
    )


def _note(row: dict[str, Any]) -> HandlingNote:
    source = handling_source()
    number = f"({row['docNumber']})" if row["docNumber"] else ""
    return HandlingNote(
        tier=row["handling"],
        label=tier_label(row["handling"]),
        catalog_id=row["catalogId"],
        source=f"《{row['title']}》{number}({row['sourceFile']}) 第{row['row']}行",
        seed=f"{source['document']} {source['section']}",
        quote=source["quote"],
    )
