"""YAML input files (YAML 文件): metadata, organisation and case data, read within bounds.

One reader for every YAML file `authreg load` takes: UTF-8 only (a BOM is allowed), at most
`max_yaml_bytes`, nested at most `max_yaml_depth` deep, at most `max_yaml_values` values once
aliases are expanded (a "billion laughs" file of 1 KB expands to 10⁹), dates that exist; each
refusal names the file and the line. A pass over the parser's events checks depth and size
before anything is built (libyaml's builder recurses in C: 100,000 open brackets crash it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from authreg.errors import InputError
from loaders.input_limits import InputLimits, input_limits

# libyaml's safe loader when PyYAML was built with it (about 4× faster on large organisation
# files; the same safe constructors), else the pure-Python one.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, with a day that does not exist (2025-02-30) an error at its line."""


def _timestamp(loader: SafeConstructor, node: yaml.ScalarNode) -> object:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise ConstructorError(
            None, None, f"「{node.value}」 is not a real date or time ({exc})", node.start_mark
        ) from None


_Loader.add_constructor(_TIMESTAMP, _timestamp)


def read_yaml(path: Path, limits: InputLimits | None = None) -> object:
    """The document in a YAML file, or an InputError naming the file and line."""
    limits = limits or input_limits()
    size = path.stat().st_size
    if size > limits.max_yaml_bytes:
        raise InputError(
            path,
            f"file has {size:,} bytes; the limit for a YAML file is {limits.max_yaml_bytes:,} "
            "(AUTHREG_INPUT_MAX_YAML_BYTES)",
        )
    text = _text(path, path.read_bytes())
    try:
        _check_shape(path, text, limits)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = None if mark is None else mark.line + 1
        raise InputError(path, f"not valid YAML: {exc.problem or exc}", row=row) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, BEL …)
        row = text.count("\n", 0, exc.position) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) else char[0] if isinstance(char, bytes) else char
        raise InputError(
            path, f"not valid YAML: character U+{code:04X} is not allowed", row=row
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from None


def line_of(path: Path, location: Sequence[str | int]) -> int | None:
    """The line of a value found by its path (`officers.0.valid_to` → its line), if it is there:
    validation errors name a field, the user looks for a line. Only called on the error path."""
    try:
        node = yaml.compose(_text(path, path.read_bytes()), Loader=_Loader)
    except (yaml.YAMLError, InputError):
        return None
    line = None
    for part in location:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, part)
    return node.start_mark.line + 1 if node is not None else line


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _text(path: Path, data: bytes) -> str:
    """UTF-8 text (a BOM dropped); other bytes name the line they are on."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8 "
            "(in WPS or Notepad: 另存为 → 编码 UTF-8)",
            row=row,
        ) from None


def _check_shape(path: Path, text: str, limits: InputLimits) -> None:
    """Depth, expanded size, duplicate keys and real dates, from the parser's events, before
    anything is built; each refusal names the line and the value's path (`officers.0.valid_to`)."""
    shape = _Shape(path, limits)
    for event in yaml.parse(text, Loader=_Loader):
        shape.take(event)


class _Frame:
    """An open mapping or list: where the next value goes, and what it holds so far."""

    def __init__(self, mapping: bool, anchor: str | None) -> None:
        self.mapping, self.anchor = mapping, anchor
        self.values = 0  # values inside it, aliases expanded
        self.keys: set[str] = set()
        self.key: str | int | None = None  # the key (or index) of the value being read
        self.index = 0
        self.expect_key = mapping


class _Shape:
    def __init__(self, path: Path, limits: InputLimits) -> None:
        self.path, self.limits = path, limits
        self.frames = [_Frame(mapping=False, anchor=None)]  # the document
        self.sizes: dict[str, int] = {}  # anchor → values it stands for
        self.total = 0

    def take(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionEndEvent):
            frame = self.frames.pop()
            self._value(frame.values + 1, frame.anchor, line)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(self.frames) > self.limits.max_yaml_depth:
                raise self._error(
                    f"is nested more than {self.limits.max_yaml_depth} levels deep "
                    "(AUTHREG_INPUT_MAX_YAML_DEPTH)",
                    line,
                )
            self._place(None, line)
            mapping = isinstance(event, yaml.MappingStartEvent)
            self.frames.append(_Frame(mapping, event.anchor))
        elif isinstance(event, yaml.AliasEvent):
            self._place(None, line)
            self._value(self.sizes.get(event.anchor, 1), None, line)
        elif isinstance(event, yaml.ScalarEvent):
            if self._place(event.value, line) and event.implicit[0] and not event.style:
                self._check_timestamp(event.value, line)
            self._value(1, event.anchor, line)

    def _place(self, scalar: str | None, line: int) -> bool:
        """Where a node goes in the open collection; False for a mapping's key."""
        frame = self.frames[-1]
        if frame.mapping and frame.expect_key:
            frame.expect_key = False
            frame.key = scalar
            if scalar is not None and scalar in frame.keys:
                raise self._error(f"the key 「{scalar}」 appears twice; keep one", line, scalar)
            frame.keys.add(scalar or "")
            return False
        if frame.mapping:
            frame.expect_key = True
        else:
            frame.key, frame.index = frame.index, frame.index + 1
        return True

    def _value(self, count: int, anchor: str | None, line: int) -> None:
        if anchor is not None:
            self.sizes[anchor] = count
        self.frames[-1].values += count
        self.total += count
        if self.total > self.limits.max_yaml_values:
            raise self._error(
                f"holds more than {self.limits.max_yaml_values:,} values once its aliases "
                "(*name) are expanded (AUTHREG_INPUT_MAX_YAML_VALUES); write the values out, "
                "or split the file",
                line,
            )

    def _check_timestamp(self, value: str, line: int) -> None:
        if _TIMESTAMP_FORM.match(value) is None:
            return
        try:
            _CONSTRUCTOR.construct_yaml_timestamp(yaml.ScalarNode(_TIMESTAMP, value))
        except ValueError as exc:
            raise self._error(f"「{value}」 is not a real date or time ({exc})", line) from None

    def _error(self, problem: str, line: int, key: str | None = None) -> InputError:
        parts = [f.key for f in self.frames[1:] if f.key is not None]
        where = ".".join(str(part) for part in [*parts[:-1], key] if part is not None)
        if key is None:
            where = ".".join(str(part) for part in parts[:3]) + ("…" if len(parts) > 3 else "")
        return InputError(self.path, problem, row=line, column=where or None)


_CONSTRUCTOR = SafeConstructor()
_TIMESTAMP_FORM = SafeConstructor.timestamp_regexp
