"""Catalog metadata (目录元数据): what a catalog file is, from a YAML file beside it or CLI options.

For `licheng.csv` the loader reads `licheng.meta.yaml` (or `licheng.csv.meta.yaml`). Loading
needs an effective date; `--check` needs no metadata at all.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from authreg.errors import InputError
from loaders.yaml_files import line_of, read_yaml
from schema.enums import CatalogKind, DelegationMode, ItemType


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
    raw: dict[str, object] = {}
    found = meta_path(catalog)
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
    if meta.header_map is not None and not meta.header_map.is_absolute() and found is not None:
        meta = meta.model_copy(update={"header_map": found.parent / meta.header_map})
    if meta.header_map is not None and not meta.header_map.is_file():
        problem = f"header_map names {meta.header_map.name}, which is not a file beside it"
        if found is None or "header_map" in given:
            raise InputError(found or catalog, problem)
        raise InputError(
            found, problem, row=line_of(found, ["header_map"]) or 1, column="header_map"
        )
    return meta
