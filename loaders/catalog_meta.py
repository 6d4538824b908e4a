"""Catalog metadata (目录元数据): what a catalog file is, from a YAML file beside it or CLI options.

For `licheng.csv` the loader reads `licheng.meta.yaml` (or `licheng.csv.meta.yaml`). Loading
needs an effective date; `--check` needs no metadata at all. A notice published as a document
(通知) is its own YAML file of the same fields (`read_notice`): what it withdraws or grants by
department or domain, its items in an attachment (附件1.xlsx) beside it, its dates.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from authreg.errors import InputError
from loaders.yaml_files import line_of, read_yaml
from loaders.zone_lists import ZoneListMeta
from schema.enums import CatalogKind, DelegationMode, ItemType

MAX_DAYS_AFTER_ISSUE = 3_650  # 自印发之日起N日后施行: ten years is no notice's delay
NOTICE_KINDS = frozenset({CatalogKind.WITHDRAWAL, CatalogKind.ADJUSTMENT})


class Scope(BaseModel):
    """Every item of a department (部门) or a domain (执法领域), or of both, as a notice says:
    收回区应急管理局赋权的全部事项 is `{department: 区应急管理局}`. `streets`: where (default:
    the notice's `streets:`)."""

    model_config = ConfigDict(extra="forbid")
    department: str | None = None
    domain: str | None = None
    streets: list[str] | None = None

    @model_validator(mode="after")
    def _names_something(self) -> Scope:
        if not (self.department or self.domain):
            raise ValueError("name a department (部门) or a domain (执法领域), or both")
        return self

    def describe(self) -> str:
        parts = [f"部门「{self.department}」" if self.department else ""]
        parts.append(f"执法领域「{self.domain}」" if self.domain else "")
        return "、".join(p for p in parts if p)


class CatalogMeta(BaseModel):
    """One catalog version. Versions of one catalog share `series`; the newest ends the rest."""

    model_config = ConfigDict(extra="forbid")
    series: str | None = None  # default: the file name without suffix
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None  # 文号, e.g. 泉鲤政办〔2024〕25号
    kind: CatalogKind = CatalogKind.COUNTY_LIST
    effective: date | None = None
    published: date | None = None
    region: str | None = None  # the issuing county's code (GB/T 2260)
    region_name: str | None = (
        None  # a province's name for its guide list (福建省), if no file has it
    )
    # Which streets a county list applies to: "all" of the region's streets, a list of codes or
    # names, or "column" (a per-row street column such as 赋权街镇); None = no delegations.
    streets: Literal["all", "column"] | list[str] | None = None
    mode: DelegationMode = DelegationMode.GRANT
    department: str | None = None  # the original department when the file has no such column
    item_type: ItemType | None = None  # when the file has no type column
    domain: str | None = None
    confirmation: str | None = None  # 赋权确认书 (seed 001)
    header_map: Path | None = None  # extra header spellings (loaders/header_spellings.yaml shape)
    # 执法领域 → the id of the category (类别, in the organisation data) its items belong to;
    # "*" for every other domain. Empty: the catalog puts its items in no category.
    categories: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    # 自印发之日起N日后施行: effective = published (印发日期) + N days.
    effective_after_days: int | None = Field(default=None, ge=0, le=MAX_DAYS_AFTER_ISSUE)
    # 自各镇街签订承接确认书之日起施行: street (name or code) → the day its delegations start or
    # end; or the name of a small table beside the file (街道, 签订日期). See `street_days`.
    street_dates: dict[str, date] | str | None = None
    withdraw: list[Scope] = Field(default_factory=list)  # 收回 by department or domain
    grant: list[Scope] = Field(default_factory=list)  # 赋权 by department or domain
    items_from: str | None = None  # the list (series, title or 文号) a grant takes its items from
    replaces: list[str] = Field(default_factory=list)  # lists of other series this one replaces
    attachment: Path | None = None  # a notice's items in 附件1.xlsx / .csv beside it
    text: str | None = None  # the notice's own words, kept for the record
    zone_list: ZoneListMeta | None = None  # a 片区联合执法清单's proposal and approval
    _file: Path | None = PrivateAttr(default=None)  # the YAML file these came from, if any

    @model_validator(mode="after")
    def _fits_its_kind(self) -> CatalogMeta:
        if self.grant and self.kind != CatalogKind.ADJUSTMENT:
            raise ValueError("`grant:` belongs to a 动态调整通知 (kind: 动态调整通知)")
        if self.withdraw and self.kind not in NOTICE_KINDS:
            raise ValueError("`withdraw:` belongs to a 收回通知 or a 动态调整通知")
        if self.kind == CatalogKind.PROVINCE_GUIDE and (self.streets or self.street_dates):
            raise ValueError(
                "a 省级指导目录 delegates nothing: counties take up its items in their own lists; "
                "leave out `streets:` and `street_dates:`"
            )
        if self.zone_list and self.kind != CatalogKind.ZONE_LIST:
            raise ValueError("`zone_list:` belongs to a 片区联合执法清单 (kind: 片区联合执法清单)")
        if self.replaces and self.kind in NOTICE_KINDS:
            raise ValueError("`replaces:` belongs to a list (a notice ends what it names)")
        if self.grant and not self.items_from:
            raise ValueError(
                "`grant:` takes its items from a list: name it in `items_from:` (its series, "
                "title or 文号, e.g. 泉鲤政办〔2024〕25号)"
            )
        return self

    @property
    def file(self) -> Path | None:
        """The metadata or notice file, for errors that name a line of it."""
        return self._file

    def where(self, catalog: Path, *location: str | int) -> dict[str, Any]:
        """InputError's arguments for a problem with a metadata value: the metadata file, the
        line of `location` and the key as column; the catalog itself when options gave it."""
        column = ".".join(str(part) for part in location) + " (metadata)"
        if self._file is None:
            return {"file": catalog, "column": column}
        return {"file": self._file, "row": line_of(self._file, location) or 1, "column": column}

    def category_of(self, domain: str | None) -> str | None:
        return self.categories.get(domain or "", self.categories.get("*"))

    def catalog_id(self, file: Path) -> str:
        return f"{self.series_of(file)}@{self.effective.isoformat() if self.effective else '-'}"

    def series_of(self, file: Path) -> str:
        return self.series or re.sub(r"\.(csv|tsv|txt|xlsx|xlsm)$", "", file.name)


def meta_path(catalog: Path) -> Path | None:
    """The metadata file beside a catalog, if there is one."""
    for candidate in (
        catalog.with_name(catalog.stem + ".meta.yaml"),
        catalog.with_name(catalog.name + ".meta.yaml"),
    ):
        if candidate.is_file():
            return candidate
    return None


def read_meta(catalog: Path, **overrides: object) -> CatalogMeta:
    """Metadata from the file beside the catalog, with CLI options taking precedence."""
    return _read(catalog, meta_path(catalog), overrides)


def read_notice(notice: Path, **overrides: object) -> CatalogMeta:
    """A notice published as a document: its YAML file is its metadata (kind: 收回通知 …),
    its items (if any) in the attachment it names. The series defaults to the file's name."""
    meta = _read(notice, notice, overrides)
    if meta.series is None:
        meta = _with_file(meta.model_copy(update={"series": notice.stem}), notice)
    if meta.attachment is not None:
        attachment = notice.parent / meta.attachment
        if meta.attachment.is_absolute() or not attachment.is_file():
            raise InputError(
                notice,
                f"attachment names {meta.attachment}, which is not a file beside the notice",
                row=line_of(notice, ["attachment"]) or 1,
                column="attachment",
            )
        meta = _with_file(meta.model_copy(update={"attachment": attachment}), notice)
    return meta


def is_notice_file(path: Path) -> bool:
    """A YAML file whose top-level `kind:` is a catalog kind (收回通知, 动态调整通知, 县级赋权清单
    …): a notice as a document, not organisation or case data. Read from its first lines only."""
    kinds = {kind.value for kind in CatalogKind}
    with path.open("rb") as handle:
        head = handle.read(16_384).decode("utf-8", errors="replace")
    found = re.search(r"^kind:[ \t]*[\"']?([^\"'#\s]+)", head, flags=re.MULTILINE)
    return found is not None and found[1] in kinds


def attachment_of(path: Path) -> list[Path]:
    """The files a metadata or notice file names to be read with it (`attachment:`, a table of
    `street_dates:`), for leaving them out of a folder's files."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        return []
    named = [raw.get("attachment"), raw.get("street_dates")]
    return [path.parent / value for value in named if isinstance(value, str) and value]


def days_after_issue(meta: CatalogMeta, catalog: Path) -> CatalogMeta:
    """`effective_after_days: 30` with `published:` (印发日期) → effective = published + 30 days
    (自印发之日起30日后施行). Without an issue date, or with an `effective:` that disagrees, an
    error naming the line."""
    if meta.effective_after_days is None:
        return meta
    if meta.published is None:
        raise InputError(
            problem="`effective_after_days` counts from the day the notice was issued (印发), "
            "but there is no `published:` date; give it (published: YYYY-MM-DD)",
            **meta.where(catalog, "effective_after_days"),
        )
    on = meta.published + timedelta(days=meta.effective_after_days)
    if meta.effective is not None and meta.effective != on:
        raise InputError(
            problem=f"`effective: {meta.effective}` disagrees with {meta.published} + "
            f"{meta.effective_after_days} days = {on}; give one of them",
            **meta.where(catalog, "effective"),
        )
    return _with_file(meta.model_copy(update={"effective": on}), meta.file)


def _with_file(meta: CatalogMeta, file: Path | None) -> CatalogMeta:
    meta._file = file
    return meta


def _read(catalog: Path, found: Path | None, overrides: dict[str, object]) -> CatalogMeta:
    raw: dict[str, object] = {}
    if found is not None:
        raw = read_yaml(found) or {}
        if not isinstance(raw, dict):
            raise InputError(
                found, "catalog metadata is a YAML mapping (series: …, effective: …)", row=1
            )
    given = {k: v for k, v in overrides.items() if v is not None}
    raw.update(given)
    try:
        meta = CatalogMeta.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        if found is None or (err["loc"][:1] and err["loc"][0] in given):
            # from a command-line option (or no file at all): there is no line to name
            raise InputError(found or catalog, f"metadata {where}: {err['msg']}") from None
        row = line_of(found, err["loc"]) or 1
        raise InputError(found, f"metadata: {err['msg']}", row=row, column=where) from None
    meta = _with_file(meta, found)
    if meta.header_map is not None and not meta.header_map.is_absolute() and found is not None:
        meta = meta.model_copy(update={"header_map": found.parent / meta.header_map})
        meta = _with_file(meta, found)
    if meta.header_map is not None and not meta.header_map.is_file():
        problem = f"header_map names {meta.header_map.name}, which is not a file beside it"
        if found is None or "header_map" in given:
            raise InputError(found or catalog, problem)
        raise InputError(
            found, problem, row=line_of(found, ["header_map"]) or 1, column="header_map"
        )
    return days_after_issue(_with_file(meta, found), catalog)


class StreetDay(BaseModel):
    """One street's own date (承接确认书签订日期) and where the notice gives it."""

    street: str  # a name or code, as written
    on: date
    file: Path
    row: int | None = None
    column: str | None = None

    def error(self, problem: str) -> InputError:
        return InputError(self.file, problem, row=self.row, column=self.column)


_STREET_HEADERS = ("街道", "乡镇", "镇街", "承接主体", "名称", "街镇")
_DATE_HEADERS = ("日期", "时间", "签订", "施行", "生效")
MAX_STREET_DATES = 10_000  # a county has a few dozen towns; a province a few thousand


def street_days(meta: CatalogMeta, catalog: Path) -> list[StreetDay]:
    """The per-street dates of `street_dates:`: a mapping in the metadata, or a small table
    beside it (a street column: 街道 / 乡镇 / 承接主体; a date column: 签订日期 / 施行日期).
    Errors name the metadata line or the table's row and column."""
    given = meta.street_dates
    if given is None:
        return []
    if isinstance(given, dict):
        return [
            StreetDay(street=str(name), on=on, **_day_where(meta, catalog, str(name)))
            for name, on in given.items()
        ]
    base = meta.file.parent if meta.file is not None else catalog.parent
    table = base / given
    if Path(given).is_absolute() or not table.is_file():
        raise InputError(
            problem=f"street_dates names {given}, which is not a file beside it",
            **meta.where(catalog, "street_dates"),
        )
    return _table_days(table)


def _day_where(meta: CatalogMeta, catalog: Path, name: str) -> dict[str, Any]:
    where = meta.where(catalog, "street_dates", name)
    return {"file": where["file"], "row": where.get("row"), "column": where["column"]}


def _table_days(table: Path) -> list[StreetDay]:
    from loaders.csv_files import read_csv  # here: the reading stack is heavy for metadata
    from loaders.dates import parse_date
    from loaders.headers import HeaderMap
    from loaders.tables import CellRef
    from loaders.workbooks import read_workbook

    if table.suffix.lower() in {".xlsx", ".xlsm"}:
        grid = next(iter(read_workbook(table, None, None)), (None, [], []))[1]
    else:
        grid = read_csv(table, HeaderMap.default())
    rows = [[str(cell or "").strip() for cell in record] for record in grid]
    if len(rows) > MAX_STREET_DATES + 1:
        raise InputError(table, f"more than {MAX_STREET_DATES:,} streets; is this the right file?")
    header = rows[0] if rows else []
    street = next((i for i, h in enumerate(header) if any(w in h for w in _STREET_HEADERS)), None)
    when = next((i for i, h in enumerate(header) if any(w in h for w in _DATE_HEADERS)), None)
    if street is None or when is None:
        raise InputError(
            table,
            "a table of street dates needs a street column (街道 / 乡镇 / 承接主体) and a date "
            f"column (签订日期 / 施行日期); found {', '.join(header) or 'no header'}",
            row=1,
        )
    found = []
    for number, record in enumerate(rows[1:], start=2):
        cells = record + [""] * (len(header) - len(record))
        if not any(cells):
            continue
        at = CellRef(table, number, header[when])
        if not cells[street]:
            raise CellRef(table, number, header[street]).error("the row names no street")
        on = parse_date(cells[when], at=at)
        if on is None:
            raise at.error(f"no date for {cells[street]}")
        found.append(
            StreetDay(street=cells[street], on=on, file=table, row=number, column=header[street])
        )
    return found
