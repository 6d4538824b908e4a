"""Look-ups and full-text search behind the API (检索): pages of items, streets, officers, laws.

Chinese text is searched through the `cjk` full-text indexes (schema/constraints/003): Lucene's
CJKAnalyzer cuts a run of Han characters into overlapping bigrams (生活垃圾 → 生活 活垃 垃圾), so the
user's words become one quoted phrase whose bigrams must stand next to each other, never a
CONTAINS scan. A lone character is only indexed when it stands alone, so a one-character search
looks for any bigram that starts or ends with it (see `full_text_query`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Literal, TypeVar

from neo4j import ManagedTransaction, Record, unit_of_work
from pydantic import BaseModel, ConfigDict, Field, model_validator

from queries.answers import native
from queries.cypher_files import cypher
from queries.graph import former_name_note, node_model
from queries.lookups import QueryInputError
from queries.pages import Page, check_window
from schema.enums import CatalogKind, DocumentStatus
from schema.models import (
    EnforcementItem,
    LegalDocument,
    Node,
    Officer,
    Street,
)

SEARCH_ITEMS = cypher("search_items")
SEARCH_STREETS = cypher("search_streets")
SEARCH_OFFICERS = cypher("search_officers")
SEARCH_DOCUMENTS = cypher("search_documents")
SEARCH_PROVISIONS = cypher("search_provisions")
SEARCH_ORGANISATIONS = cypher("search_organisations")

OrganisationKind = Literal["Street", "Department", "Unit", "Zone", "Region"]
M = TypeVar("M", bound=Node)
T = TypeVar("T")

# Scripts CJKBigramFilter joins into bigrams (its default flags: Han, Hiragana, Katakana, Hangul).
_BIGRAM_SCRIPTS = (
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL SYLLABLE",
)
_NATION = "中华人民共和国"  # titles are cited with and without it (loaders.citations.document_key)
_SNIPPET_CONTEXT = 24  # characters of provision text shown on each side of the hit


class ProvisionHit(BaseModel):
    """A provision (条款) whose text holds the searched words, with its document's title."""

    model_config = ConfigDict(frozen=True)
    id: str
    document_id: str
    document_title: str | None = None
    article: int
    paragraph: int | None = None
    item: int | None = None
    text: str | None = None
    snippet: str | None = Field(default=None, description="The words in context (摘要)")


class OrganisationHit(BaseModel):
    """A street, department, unit, zone or region (机构) whose name holds the searched words."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)
    kind: OrganisationKind
    key: str  # code of a street or region, id otherwise
    name: str
    region: str | None = None  # code of the nearest region it is part of (a region's: its parent)
    former_name: str | None = Field(default=None, alias="formerName")  # 原名 the words found
    former_name_to: date | None = Field(default=None, alias="formerNameTo")
    note: str | None = None  # 原名 X (至 D)

    @model_validator(mode="before")
    @classmethod
    def _said(cls, row: Any) -> Any:
        if isinstance(row, dict) and row.get("formerName"):
            row = {**row, "formerNameTo": native(row.get("formerNameTo"))}
            row["note"] = former_name_note(row["formerName"], row["formerNameTo"])
        return row


# -- the user's words as a Lucene query -------------------------------------------------------


def lucene_phrase(text: str) -> str:
    """The text as one quoted Lucene phrase: its bigrams must be adjacent, in order.

    Inside quotes the query parser reads every operator (+ - && || ! ( ) { } [ ] ^ ~ * ? : /,
    AND, OR, NOT) as plain text; only `"` and `\\` need a backslash. Lone surrogates cannot be
    sent over Bolt (UTF-8) and are dropped.
    """
    kept = (ch for ch in text if unicodedata.category(ch) != "Cs")
    escaped = "".join("\\" + ch if ch in '"\\' else ch for ch in kept)
    return f'"{escaped}"'


def full_text_query(text: str | None) -> str | None:
    """The Lucene query for a search box's text; None when it holds nothing but whitespace.

    One Han (or kana, Hangul) character is indexed only where it stands alone; inside a name it
    is part of bigrams, so it is looked for as itself, as a bigram's first and as its last
    character: 垃 → `"垃" OR 垃* OR *垃` (any name containing 垃).
    """
    words = (text or "").strip()
    if not words:
        return None
    if len(words) == 1 and unicodedata.name(words, "").startswith(_BIGRAM_SCRIPTS):
        return f"{lucene_phrase(words)} OR {words}* OR *{words}"
    return lucene_phrase(words)


# -- node properties as schema models ---------------------------------------------------------


# -- the questions ----------------------------------------------------------------------------


@unit_of_work(metadata={"query": "search_items"})
def search_items(
    tx: ManagedTransaction,
    *,
    text: str | None = None,
    domain: str | None = None,
    item_type: str | None = None,
    region: str | None = None,
    as_of: date | None = None,
    skip: int = 0,
    limit: int = 20,
) -> Page[EnforcementItem]:
    """Enforcement items (执法事项) by name words, domain (执法领域), type (事项类型), and the
    catalogs of a region (by code, sub-regions included) — in force on `as_of` when given."""
    check_window(skip, limit)
    filtered = any(value is not None for value in (domain, item_type, region, as_of))
    record = tx.run(
        SEARCH_ITEMS,
        lucene=_query(text, filtered=filtered or text is None),
        domain=domain,
        itemType=item_type,
        region=region,
        asOf=as_of,
        withdrawal=CatalogKind.WITHDRAWAL.value,
        skip=skip,
        limit=limit,
    ).single(strict=True)
    return _node_page(record, skip, EnforcementItem)


@unit_of_work(metadata={"query": "search_streets"})
def streets_in_region(
    tx: ManagedTransaction, *, region: str, text: str | None = None, skip: int = 0, limit: int = 20
) -> Page[Street]:
    """The streets and towns (街道 / 乡镇) of a region by code, with those of its sub-regions."""
    check_window(skip, limit)
    record = tx.run(
        SEARCH_STREETS,
        region=region,
        lucene=_query(text, filtered=True),
        skip=skip,
        limit=limit,
    ).single(strict=True)
    return _node_page(record, skip, Street)


@unit_of_work(metadata={"query": "search_officers"})
def officers_in_unit(
    tx: ManagedTransaction, *, unit: str, as_of: date | None = None, skip: int = 0, limit: int = 20
) -> Page[Officer]:
    """The officers (执法人员) who are members of a unit; with `as_of`, only those whose
    certificate is valid that day (valid_to inclusive)."""
    check_window(skip, limit)
    record = tx.run(SEARCH_OFFICERS, unit=unit, asOf=as_of, skip=skip, limit=limit).single(
        strict=True
    )
    return _node_page(record, skip, Officer)


@unit_of_work(metadata={"query": "search_documents"})
def search_documents(
    tx: ManagedTransaction,
    *,
    text: str,
    rank: str | None = None,
    status: str | None = None,
    skip: int = 0,
    limit: int = 20,
) -> Page[LegalDocument]:
    """Legal documents (法律文件) by title words, rank (效力层级) and status (时效性).

    中华人民共和国 is left out of the words, as document keys leave it out: 中华人民共和国个体工商户
    条例 finds 个体工商户条例, whose title is stored without it."""
    check_window(skip, limit)
    words = text.replace(_NATION, "").strip() or text
    record = tx.run(
        SEARCH_DOCUMENTS,
        lucene=_query(words, filtered=rank is not None or status is not None),
        rank=rank,
        status=status,
        unknownStatus=DocumentStatus.UNKNOWN.value,
        skip=skip,
        limit=limit,
    ).single(strict=True)
    return _node_page(record, skip, LegalDocument)


@unit_of_work(metadata={"query": "search_provisions"})
def search_provisions(
    tx: ManagedTransaction,
    *,
    text: str,
    document_id: str | None = None,
    skip: int = 0,
    limit: int = 20,
) -> Page[ProvisionHit]:
    """Provisions (条款) whose loaded text holds the words, optionally of one document only."""
    check_window(skip, limit)
    record = tx.run(
        SEARCH_PROVISIONS,
        lucene=_query(text, filtered=document_id is not None),
        documentId=document_id,
        skip=skip,
        limit=limit,
    ).single(strict=True)
    return _page(record, skip, ProvisionHit, lambda props: _provision_hit(props, text.strip()))


@unit_of_work(metadata={"query": "search_organisations"})
def search_organisations(
    tx: ManagedTransaction,
    *,
    text: str,
    kind: OrganisationKind | None = None,
    skip: int = 0,
    limit: int = 20,
) -> Page[OrganisationHit]:
    """Streets, departments, units, zones and regions (机构) by name words, of one kind or any."""
    check_window(skip, limit)
    record = tx.run(
        SEARCH_ORGANISATIONS,
        lucene=_query(text, filtered=kind is not None),
        kind=kind,
        skip=skip,
        limit=limit,
    ).single(strict=True)
    return _page(record, skip, OrganisationHit, OrganisationHit.model_validate)


# -- helpers ----------------------------------------------------------------------------------


def _query(text: str | None, *, filtered: bool) -> str | None:
    """Blank text means "no text" when something else narrows the list; alone it is a mistake."""
    query = full_text_query(text)
    if query is None and not filtered:
        raise QueryInputError("give words to search for, or a filter")
    return query


def _node_page(record: Record, skip: int, model: type[M]) -> Page[M]:
    return _page(record, skip, model, lambda properties: node_model(model, properties))


def _page(
    record: Record, skip: int, row_type: type[T], build: Callable[[dict[str, Any]], T]
) -> Page[T]:
    rows = [build(row) for row in record["nodes"]]
    return Page[row_type](total=record["total"], skip=skip, nodes=rows)  # type: ignore[valid-type]


def _provision_hit(properties: Mapping[str, Any], words: str) -> ProvisionHit:
    return ProvisionHit(
        id=properties["id"],
        document_id=properties["document_id"],
        document_title=properties.get("documentTitle"),
        article=properties["article"],
        paragraph=properties.get("paragraph"),
        item=properties.get("item"),
        text=properties.get("text"),
        snippet=_snippet(properties.get("text"), words),
    )


def _snippet(text: str | None, words: str) -> str | None:
    """The words with some text either side, on one line; the text's start if not found as typed."""
    if not text:
        return None
    line = " ".join(text.split())
    at = line.find(words) if words else -1
    if at < 0:
        start, end = 0, 2 * _SNIPPET_CONTEXT
    else:
        start, end = max(0, at - _SNIPPET_CONTEXT), at + len(words) + _SNIPPET_CONTEXT
    end = min(end, len(line))
    return ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
