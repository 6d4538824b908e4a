"""Header mapping (表头映射): which field each catalog column holds, from known header spellings."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opencc
import yaml

from authreg.errors import InputError

if TYPE_CHECKING:
    from loaders.tables import CellRef, SourceRow, Table

SPELLINGS_FILE = Path(__file__).with_name("header_spellings.yaml")

# Line breaks, spaces (NFKC has turned U+3000 into a space) and the invisible marks that
# Excel and Notepad leave behind (BOM, zero-width space).
_BLANKS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def normalise_header(text: str) -> str:
    """NFKC, no whitespace inside, Simplified characters: 「執法\\n依據」 → 「执法依据」."""
    return _to_simplified(_BLANKS.sub("", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds each field of one table; columns no field claims are extras."""

    fields: Mapping[str, int]  # field -> column index into Table.headers / SourceRow.cells
    extras: Mapping[str, int]  # header -> column index, for columns that map to no field
    headers: tuple[str, ...]

    def __getitem__(self, field: str) -> int:
        return self.fields[field]

    def __contains__(self, field: object) -> bool:
        return field in self.fields

    def get(self, field: str) -> int | None:
        return self.fields.get(field)

    def header(self, field: str) -> str:
        """The catalog's own header for a field, for messages (「法律依据」, not basis)."""
        return self.headers[self.fields[field]]

    def cell(self, row: SourceRow, field: str) -> str:
        """The row's cell for a field; '' when the table has no such column."""
        index = self.fields.get(field)
        return "" if index is None else row.cells[index]

    def at(self, row: SourceRow, field: str) -> CellRef:
        """Where a field's cell is, for an InputError: file, sheet, row and header."""
        return row.at(self.header(field))


class HeaderMap:
    """Known header spellings → field names, with the user's choices for ties and ignores."""

    def __init__(
        self,
        fields: Mapping[str, Sequence[str]],
        *,
        prefer: Mapping[str, str] | None = None,
        ignore: Iterable[str] = (),
    ) -> None:
        self._spellings = {f: [normalise_header(s) for s in spelt] for f, spelt in fields.items()}
        self._field_of = {s: f for f, spelt in self._spellings.items() for s in spelt}
        self._prefer = {f: normalise_header(h) for f, h in (prefer or {}).items()}
        self._ignore = frozenset(normalise_header(h) for h in ignore)

    @classmethod
    def default(cls) -> HeaderMap:
        """The spellings in loaders/header_spellings.yaml."""
        return _default_map()

    @classmethod
    def load(cls, extra: Path | None = None) -> HeaderMap:
        """The default spellings, extended (and overridden) by a user mapping file."""
        if extra is None:
            return cls.default()
        return cls.default()._extended(_read_mapping(extra))

    def _extended(self, mapping: Mapping[str, Any]) -> HeaderMap:
        """A copy with a checked mapping's spellings, preferences and ignores added."""
        fields = {f: list(spelt) for f, spelt in self._spellings.items()}
        for field, spellings in mapping["fields"].items():
            added = [normalise_header(s) for s in spellings]
            # A spelling moves from another field; the field's own list keeps its order.
            fields = {
                f: [s for s in spelt if f == field or s not in added] for f, spelt in fields.items()
            }
            kept = fields.get(field, [])
            fields[field] = kept + [s for s in added if s not in kept]
        prefer = {**self._prefer, **mapping["prefer"]}
        ignore = self._ignore | set(mapping["ignore"])
        return HeaderMap(fields, prefer=prefer, ignore=ignore)

    @property
    def fields(self) -> list[str]:
        return list(self._spellings)

    def spellings(self, field: str) -> list[str]:
        """Known spellings of a field, its name in messages first."""
        return list(self._spellings[field])

    def label(self, field: str) -> str:
        """How messages name a field: its first spelling (basis → 实施依据)."""
        spelt = self._spellings.get(field)
        return spelt[0] if spelt else field

    def match(self, header: str) -> str | None:
        """The field a normalised header means; a combined `top/sub` header also by its sub.

        An ignored header means no field, and so do the sub-columns of an ignored top header.
        """
        top, _, _ = header.partition("/")
        if not header or header in self._ignore or top in self._ignore:
            return None
        if header in self._field_of:
            return self._field_of[header]
        _, slash, last = header.rpartition("/")
        return self._field_of.get(last) if slash and last not in self._ignore else None

    def map_columns(self, table: Table, required: Iterable[str] = ()) -> ColumnMap:
        """Field → column index for a table; a required field with no column is an InputError."""
        required = list(required)
        unknown = [field for field in required if field not in self._spellings]
        if unknown:
            raise ValueError(f"no such field in the header map: {', '.join(unknown)}")
        claims: dict[str, list[int]] = {}
        for index, header in enumerate(table.headers):
            field = self.match(header)
            if field is not None:
                claims.setdefault(field, []).append(index)
        fields = {field: self._winner(table, field, cols) for field, cols in claims.items()}
        missing = [field for field in required if field not in fields]
        if missing:
            raise InputError(table.file, self._missing(table, missing), sheet=table.sheet)
        taken = set(fields.values())
        extras = {h: i for i, h in enumerate(table.headers) if h and i not in taken}
        return ColumnMap(fields=fields, extras=extras, headers=tuple(table.headers))

    def _winner(self, table: Table, field: str, columns: list[int]) -> int:
        """The one column for a field; two candidates need a `prefer:` entry to choose."""
        if len(columns) == 1:
            return columns[0]
        preferred = [i for i in columns if table.headers[i] == self._prefer.get(field)]
        if len(preferred) == 1:
            return preferred[0]
        named = " and ".join(f"「{table.headers[i]}」" for i in columns)
        each = "both" if len(columns) == 2 else "all"
        raise InputError(
            table.file,
            f"columns {named} {each} map to {self.label(field)} ({field}); remove one, or "
            f"name the one to use under `prefer: {{{field}: …}}` in a header mapping file",
            row=table.header_row,
            sheet=table.sheet,
        )

    def _missing(self, table: Table, missing: list[str]) -> str:
        """No column for 实施依据 (basis); headers found: …; closest known spellings: …"""
        found = [h for h in table.headers if h]
        wanted = ", ".join(f"{self.label(f)} ({f})" for f in missing)
        if len(missing) == 1:
            closest = ", ".join(self._closest(missing[0], found))
        else:
            closest = "; ".join(f"for {f} {', '.join(self._closest(f, found))}" for f in missing)
        return (
            f"no column for {wanted}; headers found: {', '.join(found) or '(none)'}; "
            f"closest known spellings: {closest}"
        )

    def _closest(self, field: str, found: list[str]) -> list[str]:
        """Spellings of a field that look like the headers found (difflib), then its label."""
        close = [
            spelling
            for header in found
            for spelling in difflib.get_close_matches(header, self._spellings[field], n=2)
        ]
        return list(dict.fromkeys([*close, self.label(field)]))


@cache
def _default_map() -> HeaderMap:
    mapping = _read_mapping(SPELLINGS_FILE)
    return HeaderMap(mapping["fields"], prefer=mapping["prefer"], ignore=mapping["ignore"])


def _read_mapping(path: Path) -> dict[str, Any]:
    """A header mapping file (YAML: fields / prefer / ignore), checked for its shape."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "header mapping file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the header mapping file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(path, f"not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    return _checked_mapping(path, data if data is not None else {})


def _checked_mapping(path: Path, data: object) -> dict[str, Any]:
    """fields: {name: [spelling, …]}, prefer: {name: header}, ignore: [header, …]."""
    if not isinstance(data, dict) or set(data) - {"fields", "prefer", "ignore"}:
        raise InputError(path, "a header mapping has only the keys fields, prefer and ignore")
    fields, prefer = data.get("fields") or {}, data.get("prefer") or {}
    ignore = data.get("ignore") or []
    if not isinstance(fields, dict) or not all(
        isinstance(f, str) and _FIELD_NAME.match(f) and _is_text_list(s) for f, s in fields.items()
    ):
        raise InputError(path, "fields: must map lower_case field names to lists of spellings")
    if not isinstance(prefer, dict) or not all(isinstance(h, str) for h in prefer.values()):
        raise InputError(path, "prefer: must map field names to one header each")
    if not _is_text_list(ignore):
        raise InputError(path, "ignore: must be a list of headers")
    _check_spelt_once(path, fields)
    return {"fields": fields, "prefer": prefer, "ignore": ignore}


def _check_spelt_once(path: Path, fields: Mapping[str, list[str]]) -> None:
    seen: dict[str, str] = {}
    for field, spellings in fields.items():
        for spelling in spellings:
            other = seen.setdefault(normalise_header(spelling), field)
            if other != field:
                raise InputError(path, f"「{spelling}」 is listed under both {other} and {field}")


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(s, str) and s.strip() for s in value)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _to_simplified(text: str) -> str:
    # Cached: header detection asks about the same few hundred strings, row after row.
    return _converter().convert(text)
