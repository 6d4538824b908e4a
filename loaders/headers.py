"""Header mapping (表头映射): which field each catalog column holds, from known header spellings."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opencc

from authreg.errors import InputError
from loaders.yaml_files import read_yaml

if TYPE_CHECKING:
    from loaders.tables import CellRef, SourceRow, Table

SPELLINGS_FILE = Path(__file__).with_name("header_spellings.yaml")

# Line breaks, spaces (NFKC has turned U+3000 into a space) and the invisible marks that
# Excel and Notepad leave behind (BOM, zero-width space).
_BLANKS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Qualifiers in brackets of either width (NFKC has made （） half-width): 依据(法律法规规章).
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>")
_BRACKETS = re.compile(r"[()\[\]【】〔〕<>]")
_MARKS = "*:"  # a required-field star or a trailing colon (＊ and ： after NFKC)
_MEANT_CACHE = 4096  # headers remembered by meaning, per map


def normalise_header(text: str) -> str:
    """NFKC, no whitespace inside, Simplified characters: 「執法\\n依據」 → 「执法依据」."""
    return _to_simplified(_BLANKS.sub("", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds each field of one table; columns no field claims are extras."""

    fields: Mapping[str, int]  # field -> column index into Table.headers / SourceRow.cells
    extras: Mapping[str, int]  # header -> column index, for columns that map to no field
    headers: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # clashes on fields nothing reads, headers of two meanings

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


@dataclass(frozen=True)
class Meaning:
    """One form of a field's header: its words in any order, one at least of each `needs` group.

    行政处罚依据 fits `needs: [[依据]], may: [行政, 处罚, …]`; 依据说明 does not (说明 is no word
    of the form), so a header of unknown words is never taken for a field.
    """

    needs: tuple[frozenset[str], ...]
    may: frozenset[str] = frozenset()

    @cached_property
    def _bits(self) -> dict[str, int]:
        """Each word of the form → the `needs` groups it meets, as bits (made once a form)."""
        return {
            word: sum(1 << i for i, group in enumerate(self.needs) if word in group)
            for word in self.may.union(*self.needs)
        }

    @cached_property
    def _letters(self) -> frozenset[str]:
        return frozenset("".join(self._bits))

    def fits(self, header: str) -> bool:
        """Can the header be cut into this form's words, meeting every group? (a small search
        over (position, groups met); headers are short and the words few). A header holding a
        character no word has cannot fit: refused before the search (a table of 16,384 columns
        named 列0…列16383 spent 8 s here, building the words' bits for every header and form)."""
        if not self._letters.issuperset(header):
            return False
        bits = self._bits
        full, seen, todo = (1 << len(self.needs)) - 1, {(0, 0)}, [(0, 0)]
        while todo:
            at, met = todo.pop()
            if at == len(header) and met == full:
                return True
            for word, bit in bits.items():
                if header.startswith(word, at) and (at + len(word), met | bit) not in seen:
                    seen.add((at + len(word), met | bit))
                    todo.append((at + len(word), met | bit))
        return False


class HeaderMap:
    """Known header spellings → field names, with the user's choices for ties and ignores."""

    def __init__(
        self,
        fields: Mapping[str, Sequence[str]],
        *,
        prefer: Mapping[str, str] | None = None,
        ignore: Iterable[str] = (),
        meanings: Mapping[str, Sequence[Meaning]] | None = None,
    ) -> None:
        self._spellings = {f: [normalise_header(s) for s in spelt] for f, spelt in fields.items()}
        self._field_of = {s: f for f, spelt in self._spellings.items() for s in spelt}
        self._prefer = {f: normalise_header(h) for f, h in (prefer or {}).items()}
        self._ignore = frozenset(normalise_header(h) for h in ignore)
        self._meanings = dict(meanings or {})
        self._meant: dict[str, frozenset[str]] = {}

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
        return HeaderMap(fields, prefer=prefer, ignore=ignore, meanings=self._meanings)

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

        A known spelling first, else by meaning (`meanings`) when exactly one field fits. An
        ignored header means no field, and so do the sub-columns of an ignored top header.
        """
        meant = self.meanings(header)
        return next(iter(meant)) if len(meant) == 1 else None

    def meanings(self, header: str) -> frozenset[str]:
        """Every field a normalised header could mean: one, none, or (by meaning) several."""
        top, _, _ = header.partition("/")
        if not header or header in self._ignore or top in self._ignore:
            return frozenset()
        if header in self._field_of:
            return frozenset([self._field_of[header]])
        _, slash, last = header.rpartition("/")
        if slash and last in self._ignore:
            return frozenset()
        if slash and last in self._field_of:
            return frozenset([self._field_of[last]])
        if last not in self._meant:
            if len(self._meant) >= _MEANT_CACHE:  # a long-lived API process sees many uploads
                self._meant.clear()
            self._meant[last] = self._by_meaning(last)
        return self._meant[last]

    def _by_meaning(self, header: str) -> frozenset[str]:
        """Bracketed qualifiers dropped (实施依据(法律法规规章) → 实施依据), else kept as words
        (主体(承接) → 主体承接); then a known spelling, else the fields whose forms fit."""
        bare = _BRACKETED.sub("", header).strip(_MARKS)
        for text in dict.fromkeys([bare, _BRACKETS.sub("", header).strip(_MARKS)]):
            if text in self._ignore:
                return frozenset()
            if text in self._field_of:
                return frozenset([self._field_of[text]])
            fitting = frozenset(
                field
                for field, forms in self._meanings.items()
                if any(form.fits(text) for form in forms)
            )
            if text and fitting:
                return fitting
        return frozenset()

    def map_columns(
        self, table: Table, required: Iterable[str] = (), used: Iterable[str] | None = None
    ) -> ColumnMap:
        """Field → column index for a table; a required field with no column is an InputError.

        Two columns for one field refuse the table when the field is `used` (every field when
        not given); for a field nothing reads they are a warning, and neither column maps.
        """
        required = list(required)
        unknown = [field for field in required if field not in self._spellings]
        if unknown:
            raise ValueError(f"no such field in the header map: {', '.join(unknown)}")
        claims: dict[str, list[int]] = {}
        warnings: list[str] = []
        for index, header in enumerate(table.headers):
            meant = self.meanings(header)
            if len(meant) == 1:
                claims.setdefault(next(iter(meant)), []).append(index)
            elif meant:
                warnings.append(self._two_meanings(header, meant))
        read = set(self._spellings) if used is None else set(used)
        fields: dict[str, int] = {}
        for field, columns in claims.items():
            winner = self._winner(table, field, columns, refuse=field in read)
            if winner is None:
                warnings.append(self._unread_clash(table, field, columns))
            else:
                fields[field] = winner
        missing = [field for field in required if field not in fields]
        if missing:
            raise InputError(table.file, self._missing(table, missing), sheet=table.sheet)
        taken = set(fields.values())
        extras = {h: i for i, h in enumerate(table.headers) if h and i not in taken}
        return ColumnMap(
            fields=fields, extras=extras, headers=tuple(table.headers), warnings=tuple(warnings)
        )

    def found(self, headers: Sequence[str]) -> str:
        """The headers found and what each maps to: 序号 → seq, 名称 → (nothing), …"""
        listed = [f"{h} → {self.match(h) or '(nothing)'}" for h in headers if h]
        return ", ".join(listed) or "(none)"

    def _winner(self, table: Table, field: str, columns: list[int], *, refuse: bool) -> int | None:
        """The one column for a field; two candidates need a `prefer:` entry to choose."""
        if len(columns) == 1:
            return columns[0]
        preferred = [i for i in columns if table.headers[i] == self._prefer.get(field)]
        if len(preferred) == 1:
            return preferred[0]
        if not refuse:
            return None
        named = " and ".join(f"「{table.headers[i]}」" for i in columns)
        each = "both" if len(columns) == 2 else "all"
        first, rest = table.headers[columns[0]], [table.headers[i] for i in columns[1:]]
        raise InputError(
            table.file,
            f"columns {named} {each} map to {self.label(field)} ({field}); headers found: "
            f"{self.found(table.headers)}; to use 「{first}」, put `prefer: {{{field}: {first}}}` "
            f"(or `ignore: [{', '.join(rest)}]`) in the header mapping file the metadata's "
            "`header_map:` names",
            row=table.header_row,
            sheet=table.sheet,
        )

    def _unread_clash(self, table: Table, field: str, columns: list[int]) -> str:
        named = " and ".join(f"「{table.headers[i]}」" for i in columns)
        return (
            f"columns {named} both map to {self.label(field)} ({field}), which the loader does "
            f"not read: neither is used; `prefer: {{{field}: {table.headers[columns[0]]}}}` in "
            "a header mapping file chooses one"
        )

    def _two_meanings(self, header: str, meant: frozenset[str]) -> str:
        fields = " or ".join(f"{self.label(f)} ({f})" for f in sorted(meant))
        return (
            f"header 「{header}」 could mean {fields}: it maps to neither; "
            f"`fields: {{{min(meant)}: [{header}]}}` in a header mapping file says which"
        )

    def _missing(self, table: Table, missing: list[str]) -> str:
        """No column for 实施依据 (basis); headers found: … → …; closest …; the fix."""
        found = [h for h in table.headers if h]
        wanted = ", ".join(f"{self.label(f)} ({f})" for f in missing)
        if len(missing) == 1:
            closest = ", ".join(self._closest(missing[0], found))
        else:
            closest = "; ".join(f"for {f} {', '.join(self._closest(f, found))}" for f in missing)
        free = [h for h in found if self.match(h) is None]
        fixes = ", ".join(f"{field}: [{self._likeliest(field, free)}]" for field in missing)
        return (
            f"no column for {wanted}; headers found: {self.found(table.headers)}; "
            f"closest known spellings: {closest}; to name the column(s), put "
            f"`fields: {{{fixes}}}` in a header mapping file and give it as `header_map:` in "
            "the metadata"
        )

    def _likeliest(self, field: str, free: list[str]) -> str:
        """The unmapped header most like a field's spellings, as the fix to suggest."""
        scored = [
            (max(difflib.SequenceMatcher(None, h, s).ratio() for s in self._spellings[field]), h)
            for h in free
        ]
        best = max(scored, default=(0.0, ""))
        return best[1] if best[0] > 0 else "<its header>"

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
    mapping = _read_mapping(SPELLINGS_FILE, meanings=True)
    return HeaderMap(
        mapping["fields"],
        prefer=mapping["prefer"],
        ignore=mapping["ignore"],
        meanings=mapping["meanings"],
    )


def _read_mapping(path: Path, *, meanings: bool = False) -> dict[str, Any]:
    """A header mapping file (YAML: fields / prefer / ignore), checked for its shape; the
    registry's own file also has `meanings`."""
    try:  # within the bounds of every YAML input (size, depth, expanded aliases)
        data = read_yaml(path)
    except FileNotFoundError:
        raise InputError(path, "header mapping file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the header mapping file: {exc}") from None
    data = data if data is not None else {}
    forms = data.pop("meanings", None) if meanings and isinstance(data, dict) else None
    checked = _checked_mapping(path, data)
    return checked | {"meanings": _checked_meanings(path, forms or {})} if meanings else checked


def _checked_meanings(path: Path, data: object) -> dict[str, list[Meaning]]:
    """meanings: {field: [{needs: [[word, …], …], may: [word, …]}, …]}."""
    if not isinstance(data, dict):
        raise InputError(path, "meanings: must map field names to lists of forms")
    checked: dict[str, list[Meaning]] = {}
    for field, forms in data.items():
        if not isinstance(forms, list) or not all(_is_form(form) for form in forms):
            raise InputError(path, f"meanings: {field}: each form has needs: [[word, …]], may: […]")
        checked[field] = [
            Meaning(
                needs=tuple(frozenset(map(normalise_header, g)) for g in form["needs"]),
                may=frozenset(map(normalise_header, form.get("may") or [])),
            )
            for form in forms
        ]
    return checked


def _is_form(form: object) -> bool:
    return (
        isinstance(form, dict)
        and set(form) <= {"needs", "may"}
        and isinstance(form.get("needs"), list)
        and bool(form["needs"])
        and all(_is_text_list(group) for group in form["needs"])
        and (form.get("may") is None or _is_text_list(form["may"]))
    )


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
