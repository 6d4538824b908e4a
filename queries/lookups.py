"""Resolve an item, street or region given by code or exact name (按编码或全称查找), and name
what lies near words that name nothing (您是不是要找)."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Literal

from neo4j import ManagedTransaction, unit_of_work

from authreg.errors import RegistryError
from queries.cypher_files import cypher

LOOKUPS = cypher("lookups")
LOOKUPS_CANDIDATES = cypher("lookups_candidates")

NamedKind = Literal["item", "street", "region", "zone", "case"]
KIND_WORDS: dict[str, str] = {
    "item": "enforcement item (执法事项)",
    "street": "street or town (街道/乡镇)",
    "region": "region (行政区划)",
    "zone": "zone (片区)",
    "case": "case (案件)",
}
CANDIDATES_READ = 50  # at most this many by name and this many by code prefix, per look-up
SUGGESTIONS = 3
_WORDS_MAX = 200  # longer words name nothing; they are not sent to the full-text index


class QueryInputError(RegistryError, ValueError):
    """A question asked with arguments that cannot work (from after to, two scopes at once)."""


class AmbiguousName(QueryInputError):
    """An exact name that several nodes carry (同名): the user must give the code."""

    def __init__(self, kind: str, name: str, keys: list[str]) -> None:
        super().__init__(
            f"{kind} name {name!r} is ambiguous: it names {', '.join(keys)}; give the code instead"
        )
        self.kind, self.name, self.keys = kind, name, keys


class NotFound(QueryInputError):
    """Words that name no item, street, region, zone or case (未找到), with the nearest names."""

    def __init__(self, kind: str, words: str, suggestions: list[str]) -> None:
        sentence = f"no {KIND_WORDS.get(kind, kind)} has the code or name {words!r} (未找到)"
        if suggestions:
            sentence += f"; did you mean {' or '.join(suggestions)}?"
        super().__init__(sentence)
        self.kind, self.words, self.suggestions = kind, words, suggestions


@unit_of_work(metadata={"query": "lookups_candidates"})
def not_found(tx: ManagedTransaction, kind: NamedKind, words: str) -> NotFound | None:
    """None when the words are the code, id or exact name of a `kind`; otherwise a NotFound
    naming up to three near ones (by name or code: 开元街 → 开元街道(350502001))."""
    if not words.strip() or len(words) > _WORDS_MAX:
        return NotFound(kind, words[:_WORDS_MAX], [])
    rows = list(
        tx.run(
            LOOKUPS_CANDIDATES,
            kind=kind,
            words=words,
            lucene=_any_bigram(words),
            prefix=_code_prefix(words),
            limit=CANDIDATES_READ,
        )
    )
    if any(row["exact"] for row in rows):
        return None
    return NotFound(kind, words, _nearest(words, [(row["key"], row["name"]) for row in rows]))


@unit_of_work(metadata={"query": "lookups"})
def item_code(tx: ManagedTransaction, item: str) -> str | None:
    """The code of the enforcement item (事项) with this code or exact name; None if none."""
    return _resolve(tx, "item", item=item)


@unit_of_work(metadata={"query": "lookups"})
def street_code(tx: ManagedTransaction, street: str) -> str | None:
    """The code of the street or town (街道 / 乡镇) with this code or exact name; None if none."""
    return _resolve(tx, "street", street=street)


@unit_of_work(metadata={"query": "lookups"})
def region_code(tx: ManagedTransaction, region: str) -> str | None:
    """The code of the region (行政区划) with this code or exact name; None if none."""
    return _resolve(tx, "region", region=region)


def _resolve(tx: ManagedTransaction, kind: str, **asked: str) -> str | None:
    params = {"item": None, "street": None, "region": None, **asked}
    rows = [r for r in tx.run(LOOKUPS, **params) if r["kind"] == kind]
    by_code = [r["key"] for r in rows if r["byCode"]]
    if by_code:
        return by_code[0]
    if len(rows) > 1:
        raise AmbiguousName(kind, asked[kind], [r["key"] for r in rows])
    return rows[0]["key"] if rows else None


def _nearest(words: str, candidates: list[tuple[str, str | None]]) -> list[str]:
    """The candidates whose name or key is closest to the words, best first, as `name(key)`:
    at most three, and only those nearly as close as the best."""
    scored: dict[str, float] = {}
    for key, name in candidates:
        label = f"{_short(name)}({key})" if name else key
        score = max(_closeness(words, key), _closeness(words, name) if name else 0.0)
        scored[label] = max(score, scored.get(label, 0.0))
    ranked = sorted(scored.items(), key=lambda pair: (-pair[1], pair[0]))
    best = ranked[0][1] if ranked else 0.0
    return [label for label, score in ranked[:SUGGESTIONS] if score >= max(0.5, best - 0.08)]


def _closeness(words: str, other: str) -> float:
    """difflib's ratio; a name holding the words (or held by them) counts as close, the more so
    the more of it they cover (生活垃圾 in 对随意倾倒…生活垃圾的处罚)."""
    mine, theirs = words.casefold().strip(), other.casefold()
    ratio = difflib.SequenceMatcher(None, mine, theirs).ratio()
    if mine and (mine in theirs or theirs in mine):
        shorter, longer = sorted((len(mine), len(theirs)))
        ratio = max(ratio, 0.6 + 0.4 * shorter / longer)
    return ratio


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _any_bigram(words: str) -> str | None:
    """A Lucene query any name sharing one of the words' bigrams matches (unquoted terms are
    OR-ed); every character the query parser treats as syntax is escaped."""
    kept = "".join(ch for ch in words if unicodedata.category(ch)[0] in "LN" or ch == " ")
    return " ".join(kept.lower().split()) or None  # lower: AND, OR, NOT are operators


def _code_prefix(words: str) -> str | None:
    """The part of a code worth comparing: up to its last separator (LC-CG-01 → LC-CG-), or its
    first half; None for words with no code-like characters."""
    code = words.strip()
    if not code or not code.isascii():
        return None
    cut = max(code.rfind("-"), code.rfind("_"))
    return code[: cut + 1] if cut > 0 else code[: max(2, len(code) // 2)]
