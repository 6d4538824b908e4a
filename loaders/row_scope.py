"""Per-row scope and mode (承接主体 / 赋权方式): which streets a catalog row reaches, and how.

A row's receiving-body cell (承接主体, 赋权范围 …) narrows the catalog's streets (its metadata's
`streets:`, the default) to the streets it names; phrases such as 各镇街 or 仅赋予街道 mean every
street of some kinds among them (street kinds come from the organisation data). The words are
data: loaders/row_vocabulary.yaml, with their sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from loaders.headers import normalise_header
from schema.enums import DelegationMode

VOCABULARY_FILE = Path(__file__).with_name("row_vocabulary.yaml")

_BRACKETS = re.compile(r"[()\[\]【】〔〕<>]")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_SEPARATORS = "、,;/，；"  # a line break may wrap a name (双江\n街道): see `receivers`


class ScopeError(ValueError):
    """A receiving-body part that names no street and no known phrase, or names none in scope."""


@dataclass(frozen=True)
class StreetRef:
    """A street of the catalog's region as the organisation data gives it."""

    code: str
    name: str
    kind: str | None  # 街道 / 镇 / 乡 / 苏木


def split_receivers(cell: str) -> tuple[str, ...]:
    """「东街道、西街道」, 「各乡(镇)人民政府、街道办事处」 → its parts; separators inside brackets
    (「各镇街(东街道、西街道除外)」) or between 除 and 外 (「除东街道、西街道外的各街道」) do not split."""
    parts, depth, current = [], 0, []
    excepting = False
    for char in cell:
        if char in "(（[【〔":
            depth += 1
        elif char in ")）]】〕":
            depth = max(depth - 1, 0)
        elif char == _vocabulary().except_open and depth == 0:
            excepting = True
        elif char == "外" and excepting:
            excepting = False
        if excepting and char in _SEPARATORS:
            current.append(char)
            continue
        if depth == 0 and char in _SEPARATORS:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return tuple(part.strip() for part in parts if part.strip())


def row_mode(cell: str) -> DelegationMode | None:
    """赋权 / 下放 / 委托 / 派驻 (also 赋权(下放), 委托 with spaces) → a mode; None if unknown."""
    text = normalise_header(cell)
    for word in (text, _BRACKETED.sub("", text), _BRACKETS.sub("", text)):
        if word in _vocabulary().modes:
            return _vocabulary().modes[word]
    return None


def mode_words() -> list[str]:
    return list(_vocabulary().modes)


def receivers(
    parts: Sequence[str],
    streets: Sequence[StreetRef],
    default: Sequence[str],
    same_name: Callable[[str, Mapping[str, str]], str | None],
) -> list[str]:
    """The codes of the streets a row's parts name, within `default` (codes, in order).

    A part is a street's name or code (also with 人民政府 / 办事处 after it), else a phrase of
    the vocabulary meaning every street of some kinds among the default, else names separated
    by spaces or line breaks (东街道 西街道). A part that is none of these, or that names a
    street the default leaves out, raises ScopeError.
    """
    by_spelling = {s.name: s.code for s in streets} | {s.code: s.code for s in streets}
    in_scope = set(default)
    chosen: set[str] = set()
    for part in parts:
        codes = _part(part, streets, in_scope, by_spelling, same_name)
        outside = [code for code in codes if code not in in_scope]
        if outside:
            names = "、".join(s.name for s in streets if s.code in outside)
            raise ScopeError(
                f"「{part}」 names {names}, which the catalog's `streets:` leaves out; "
                "widen `streets:` in the metadata, or correct the row"
            )
        chosen |= set(codes)
    return [code for code in default if code in chosen]


def _part(
    part: str,
    streets: Sequence[StreetRef],
    in_scope: set[str],
    by_spelling: Mapping[str, str],
    same_name: Callable[[str, Mapping[str, str]], str | None],
) -> list[str]:
    named = _named(part, by_spelling, same_name)
    if named is not None:
        return named
    excepted = _vocabulary().excepted(normalise_header(part))
    if excepted is not None:
        rest, out = excepted
        taken = [_named(name, by_spelling, same_name) for name in split_receivers(out)]
        if not taken or any(codes is None for codes in taken):
            raise ScopeError(f"「{part}」 takes out 「{out}」, which is not street names")
        gone = {code for codes in taken if codes for code in codes}
        kept = _part(rest, streets, in_scope, by_spelling, same_name)
        return [code for code in kept if code not in gone]
    try:
        return _phrase(part, streets, in_scope)
    except ScopeError:
        pieces = part.split()
        if len(pieces) < 2:
            raise
        found = [_named(piece, by_spelling, same_name) for piece in pieces]
        if any(codes is None for codes in found):
            raise
        return [code for codes in found if codes for code in codes]


def named_street(
    part: str,
    by_spelling: Mapping[str, str],
    same_name: Callable[[str, Mapping[str, str]], str | None],
) -> str | None:
    """The code of the one street a receiving-body part names (东街道人民政府 → 东街道's), else
    None (a phrase, several names, or nothing known)."""
    named = _named(part, by_spelling, same_name)
    return named[0] if named else None


def _named(
    part: str,
    by_spelling: Mapping[str, str],
    same_name: Callable[[str, Mapping[str, str]], str | None],
) -> list[str] | None:
    """The street a part names: as written, else without its government's name after it."""
    text = normalise_header(part)
    candidates = [part, text] + [
        text.removesuffix(b) for b in _vocabulary().bodies if text.endswith(b)
    ]
    for candidate in candidates:
        spelling = same_name(candidate, by_spelling) if candidate else None
        if spelling is not None:
            return [by_spelling[spelling]]
    return None


def _phrase(part: str, streets: Sequence[StreetRef], in_scope: set[str]) -> list[str]:
    """各镇街 / 全部乡镇街道 / 仅限乡镇 → the streets of those kinds among the default."""
    words = _words(_BRACKETS.sub("", normalise_header(part)))
    if words is None or not any(w not in _vocabulary().bodies for w in words):
        raise ScopeError(f"「{part}」 is not a street of the region, nor a phrase such as 各镇街")
    vocabulary = _vocabulary()
    cut = next((i for i, w in enumerate(words) if w in vocabulary.only), None)
    before, after = (words, []) if cut is None else (words[:cut], words[cut + 1 :])
    kinds = _kinds(before)
    if cut is not None:
        restricted = _kinds(after)
        if restricted is None:  # 仅限 what? a restriction must name the kinds it keeps
            raise ScopeError(f"「{part}」 restricts to no street kind (街道 / 镇 / 乡 …)")
        kinds = restricted if kinds is None else kinds & restricted
    found = [s.code for s in streets if s.code in in_scope and (kinds is None or s.kind in kinds)]
    if not found:
        raise ScopeError(
            f"「{part}」 means every {'/'.join(sorted(kinds or []))} of the catalog's streets, "
            "but it has none of that kind"
        )
    return found


def _kinds(words: Sequence[str]) -> set[str] | None:
    """The street kinds the words name; None when they name none (全部: every kind)."""
    named = [set(_vocabulary().kinds[w]) for w in words if w in _vocabulary().kinds]
    return set().union(*named) if named else None


def _words(text: str) -> list[str] | None:
    """The text cut into vocabulary words, longest first at each place; None if it cannot be."""
    vocabulary = _vocabulary().all_words
    best: dict[int, list[str]] = {len(text): []}
    for at in range(len(text) - 1, -1, -1):
        for word in vocabulary:  # longest first
            rest = best.get(at + len(word))
            if rest is not None and text.startswith(word, at):
                best[at] = [word, *rest]
                break
    return best.get(0) if text else None


@dataclass(frozen=True)
class _Vocabulary:
    kinds: Mapping[str, tuple[str, ...]]
    every: frozenset[str]
    only: frozenset[str]
    bodies: tuple[str, ...]
    modes: Mapping[str, DelegationMode]
    except_open: str
    except_before: re.Pattern[str]  # 除X外的Y → (Y, X)
    except_after: re.Pattern[str]  # Y(X除外) → (Y, X)

    def excepted(self, text: str) -> tuple[str, str] | None:
        """The phrase and the names it takes out, if the text says 除…外 or (…除外)."""
        before = self.except_before.fullmatch(text)
        if before:
            return before["rest"], before["out"]
        after = self.except_after.fullmatch(text)
        return (after["rest"], after["out"]) if after else None

    @property
    def all_words(self) -> list[str]:
        words = {*self.kinds, *self.every, *self.only, *self.bodies}
        return sorted(words, key=len, reverse=True)


@cache
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    scope = data["scope"]
    return _Vocabulary(
        kinds={normalise_header(w): tuple(k) for w, k in scope["kinds"].items()},
        every=frozenset(map(normalise_header, scope["every"])),
        only=frozenset(map(normalise_header, scope["only"])),
        bodies=tuple(map(normalise_header, scope["bodies"])),
        modes={normalise_header(w): DelegationMode(m) for w, m in data["modes"].items()},
        except_open=scope["except"]["open"],
        except_before=re.compile(
            f"{re.escape(scope['except']['open'])}(?P<out>.+?)"
            f"(?:{'|'.join(map(re.escape, scope['except']['close']))})的?(?P<rest>.+)"
        ),
        except_after=re.compile(
            rf"(?P<rest>.+?)\((?P<out>.+?){re.escape(scope['except']['after'])}\)"
        ),
    )
