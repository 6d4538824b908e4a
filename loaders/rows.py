"""Validating catalog rows (校验目录行): cells → enforcement items, parsed basis, department, streets."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Literal

from loaders.catalog_meta import CatalogMeta
from loaders.citations import BasisParse, parse_basis
from loaders.handling import handling_tier, tier_words
from loaders.headers import ColumnMap, HeaderMap, normalise_header
from loaders.report import LoadReport
from loaders.row_scope import mode_words, row_mode, split_receivers
from loaders.tables import SourceRow, Table
from schema.enums import CatalogKind, DelegationMode, ItemType
from schema.models import EnforcementItem, Provenance

# Short forms catalogs use for item types (职权类型), after the 行政 prefix is stripped.
_TYPE_WORDS = {
    "处罚": ItemType.PENALTY,
    "检查": ItemType.INSPECTION,
    "强制": ItemType.COERCION,
    "强制措施": ItemType.COERCION,
    "强制执行": ItemType.COERCION,
    "许可": ItemType.LICENSING,
    "确认": ItemType.CONFIRMATION,
    "征收": ItemType.LEVY,
    "给付": ItemType.PAYMENT,
    "奖励": ItemType.AWARD,
    "裁决": ItemType.ADJUDICATION,
    "其他": ItemType.OTHER,
    "其他行政权力": ItemType.OTHER,
    "其他职权": ItemType.OTHER,
    "其他权力": ItemType.OTHER,
}
_NOTICE_KINDS = {CatalogKind.WITHDRAWAL, CatalogKind.ADJUSTMENT}
Action = Literal["start", "end"]
# 调整类型 in a 动态调整通知: each word starts or ends the row's item for the notice's streets.
ACTION_WORDS: dict[str, Action] = {
    "新增": "start",
    "增加": "start",
    "下放": "start",
    "赋权": "start",
    "收回": "end",
    "取消": "end",
    "调出": "end",
    "删除": "end",
}
# The fields the loader reads: two columns claiming one of them refuse the table; a clash on
# any other field (备注, 责任事项 …) is a warning and neither column is used.
READ_FIELDS = (
    "item_name",
    "sub_item",
    "item_code",
    "item_type",
    "basis",
    "department",
    "street",
    "domain",
    "action",
    "mode",
    "handling",
)


@dataclass(frozen=True)
class CatalogRow:
    """One validated catalog row, with everything the writer needs and where it came from."""

    at: SourceRow
    item: EnforcementItem
    basis: BasisParse
    department: str | None  # name (or id) of the original department, as the row gives it
    streets: tuple[str, ...]  # the parts of its receiving-body cell (承接主体): names, 各镇街 …
    raw: str  # the row's cells as JSON keyed by header, for LISTS.raw
    action: Action | None = None  # an adjustment notice's row: start or end the item; else None
    mode: DelegationMode | None = None  # the row's 赋权方式; None: the metadata's mode
    street_column: str | None = None  # the receiving-body column's header, for messages
    handling: str | None = None  # 办理层级 tier (loaders/handling.py); None: the list says none
    department_column: str | None = None  # the original department's header, for messages


def required_fields(meta: CatalogMeta) -> tuple[str, ...]:
    """A notice names items (an adjustment also says what it does); a list also gives basis."""
    if meta.kind == CatalogKind.ADJUSTMENT:
        return ("item_name", "action")
    # A guide list (省级指导目录) names items; many publish no basis column.
    guide = meta.kind == CatalogKind.PROVINCE_GUIDE
    return ("item_name",) if meta.kind in _NOTICE_KINDS or guide else ("item_name", "basis")


def validate_table(
    table: Table, meta: CatalogMeta, headers: HeaderMap, report: LoadReport
) -> list[CatalogRow]:
    """Every row → a CatalogRow; unusable rows become errors in the report, never skipped."""
    columns = headers.map_columns(table, required=required_fields(meta), used=READ_FIELDS)
    for warning in columns.warnings:
        report.warning(table.file, warning, sheet=table.sheet, row=table.header_row)
    if "street" in columns and meta.streets is None:
        report.warning(
            table.file,
            f"column 「{columns.header('street')}」 names each row's receivers, but the metadata "
            "gives no `streets:`, so nothing is delegated; give `streets: all` (or a list) to "
            "delegate to the streets the rows name",
            sheet=table.sheet,
            row=table.header_row,
        )
    group_columns = [columns[f] for f in ("department", "category", "domain") if f in columns]
    table = table.fill_down(group_columns)  # merged cells in exports are blank below the first
    validated: list[CatalogRow] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        report.counts["rows"] += 1
        checked = _validate_row(row, columns, meta, table, report)
        if checked is None:
            continue
        first = seen.setdefault(checked.item.code, row.row)
        if first != row.row and not _printed_twice(meta, checked):
            report.error(
                row.file,
                f"duplicate item code {checked.item.code} (first in row {first})",
                sheet=row.sheet,
                row=row.row,
                column=_code_header(columns),
                value=checked.item.code,
                suggestion="give each item its own 事项编码, or merge the two rows",
            )
            continue
        validated.append(checked)
    return validated


def item_type(text: str) -> ItemType | None:
    """行政处罚, 行政\\n处罚, 处罚, 行政许可(国办), 行政處罰 → an ItemType; None if unknown."""
    word = re.sub(r"\(.*?\)|（.*?）", "", normalise_header(text))
    word = word.removeprefix("行政") if word != "行政" else word
    for candidate in (word, word.removesuffix("类"), word.removesuffix("事项")):
        if candidate in _TYPE_WORDS:
            return _TYPE_WORDS[candidate]
    # 一般检查事项, 重点检查事项, 行政强制措施类: a qualified form of exactly one known type.
    kinds = {kind for short, kind in _TYPE_WORDS.items() if short in word}
    return kinds.pop() if len(kinds) == 1 else None


def derived_item_code(scope: str, name: str) -> str:
    """A stable code for a catalog without 事项编码: the same name in one region, the same code."""
    digest = hashlib.sha1(normalise_header(name).encode("utf-8")).hexdigest()[:12]
    return f"{scope}-{digest}"


def _validate_row(
    row: SourceRow, columns: ColumnMap, meta: CatalogMeta, table: Table, report: LoadReport
) -> CatalogRow | None:
    name = _item_name(row, columns)
    if not name:
        report.error(
            row.file,
            "the item has no name",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("item_name"),
            suggestion="fill in the name or delete the row",
        )
        return None
    kind = _row_item_type(row, columns, meta, report)
    action = _row_action(row, columns, meta, report)
    mode = _row_mode(row, columns, report)
    handling = _row_handling(row, columns, report)
    if kind is None or action == "invalid" or mode == "invalid" or handling == "invalid":
        return None
    basis = _basis(row, columns, report)
    code = columns.cell(row, "item_code")
    item = EnforcementItem(
        code=code or derived_item_code(meta.region or meta.series_of(row.file), name),
        name=name,
        type=kind,
        domain=columns.cell(row, "domain") or meta.domain,
        basis_raw=basis.raw or None,
        source=Provenance(
            catalog=meta.catalog_id(row.file), file=row.file.name, sheet=row.sheet, row=row.row
        ),
    )
    department = columns.cell(row, "department") or meta.department
    if action == "start" and not department:
        report.error(
            row.file,
            "an item the notice adds needs its original department",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("department") if "department" in columns else None,
            suggestion="fill in 原实施部门, or give `department:` in the metadata",
        )
        return None
    raw = json.dumps(dict(zip(table.headers, row.cells, strict=True)), ensure_ascii=False)
    return CatalogRow(
        row,
        item,
        basis,
        department,
        split_receivers(columns.cell(row, "street")),
        raw,
        action,
        mode,
        columns.header("street") if "street" in columns else None,
        handling,
        columns.header("department")
        if columns.cell(row, "department")
        else "department (metadata)",
    )


def _row_handling(row: SourceRow, columns: ColumnMap, report: LoadReport) -> str | None:
    """A row's 办理层级 (简易 → town, 专业性技术性强 → county_team); blank: none; else an error."""
    text = columns.cell(row, "handling")
    if not text.strip():
        return None
    tier = handling_tier(text)
    if tier is None:
        report.error(
            row.file,
            "unknown handling tier (办理层级)",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("handling"),
            value=text,
            suggestion=f"use one of {', '.join(tier_words()[:6])} … (loaders/handling_words.yaml)",
        )
        return "invalid"
    return tier


def _row_mode(
    row: SourceRow, columns: ColumnMap, report: LoadReport
) -> DelegationMode | Literal["invalid"] | None:
    """A row's 赋权方式 (赋权 / 下放 / 委托 …); blank: the metadata's mode; else an error."""
    text = columns.cell(row, "mode")
    if not text.strip():
        return None
    mode = row_mode(text)
    if mode is None:
        report.error(
            row.file,
            "unknown delegation mode",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("mode"),
            value=text,
            suggestion=f"use one of {', '.join(mode_words())}, or leave it blank for the "
            "metadata's `mode:`",
        )
        return "invalid"
    return mode


def _row_action(
    row: SourceRow, columns: ColumnMap, meta: CatalogMeta, report: LoadReport
) -> Action | Literal["invalid"] | None:
    """An adjustment row's 调整类型 → start or end; anything else there is an error."""
    if meta.kind != CatalogKind.ADJUSTMENT:
        return None
    text = columns.cell(row, "action")
    action = ACTION_WORDS.get(normalise_header(text))
    if action is None:
        report.error(
            row.file,
            "no recognisable adjustment action",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("action"),
            value=text,
            suggestion=f"use one of {', '.join(ACTION_WORDS)}",
        )
        return "invalid"
    return action


def _item_name(row: SourceRow, columns: ColumnMap) -> str:
    name = " ".join(columns.cell(row, "item_name").split())
    sub = " ".join(columns.cell(row, "sub_item").split())
    return f"{name}（{sub}）" if name and sub else name


def _row_item_type(
    row: SourceRow, columns: ColumnMap, meta: CatalogMeta, report: LoadReport
) -> ItemType | None:
    text = columns.cell(row, "item_type")
    if not text:
        return meta.item_type or _type_from_header(columns) or ItemType.OTHER
    found = item_type(text)
    if found is None:
        known = [t.value for t in ItemType]
        close = get_close_matches(normalise_header(text), known, n=2, cutoff=0.3)
        report.error(
            row.file,
            "unknown item type",
            sheet=row.sheet,
            row=row.row,
            column=columns.header("item_type"),
            value=text,
            suggestion=f"use one of {', '.join(close or known)}",
        )
    return found


def _type_from_header(columns: ColumnMap) -> ItemType | None:
    # 「行政处罚事项名称」 names the type of every row in the column header itself.
    return item_type(columns.header("item_name")[:4]) if "item_name" in columns else None


def _basis(row: SourceRow, columns: ColumnMap, report: LoadReport) -> BasisParse:
    parsed = parse_basis(columns.cell(row, "basis"))
    if "basis" not in columns:
        return parsed
    report.counts["basis_cells"] += 1
    report.counts[f"basis_{parsed.status}"] += 1
    where = {"sheet": row.sheet, "row": row.row, "column": columns.header("basis")}
    for fragment in parsed.unparsed:
        report.warning(
            row.file,
            "citation kept as raw text: document or article not resolved",
            value=fragment,
            **where,
        )
    for citation in parsed.citations:
        if citation.article is None and citation.raw not in parsed.unparsed:
            report.warning(
                row.file,
                f"《{citation.title}》 is cited without an article",
                value=citation.raw,
                **where,
            )
    if parsed.status == "empty":
        report.warning(row.file, "no legal basis given", **where)
    return parsed


def _printed_twice(meta: CatalogMeta, row: CatalogRow) -> bool:
    """A guide list (省级指导目录) may print one item twice without a code, once per department
    (机构改革 split it); its rows stay two guide items, shown as candidates, never merged."""
    derived = derived_item_code(meta.region or meta.series_of(row.at.file), row.item.name)
    return meta.kind == CatalogKind.PROVINCE_GUIDE and row.item.code == derived


def _code_header(columns: ColumnMap) -> str | None:
    return columns.header("item_code") if "item_code" in columns else None
