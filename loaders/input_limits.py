"""Limits on input files (输入上限): how large a file, a workbook's sheet or a YAML document may be.

A hostile or broken file is refused before it is parsed, cheaply, with a sentence naming the
file and the limit. Each default is written here and in README.md ("Input limits"); each can be
changed in the environment (`AUTHREG_INPUT_MAX_SHEET_CELLS=50000000`) or a `.env` file.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EXCEL_MAX_ROWS = 1_048_576  # the most rows and columns a sheet can have in Excel and WPS
EXCEL_MAX_COLUMNS = 16_384  # XFD


class InputLimits(BaseSettings):
    """The bounds every input file is read under; a file past one is an InputError."""

    model_config = SettingsConfigDict(env_prefix="AUTHREG_INPUT_", env_file=".env", extra="ignore")

    max_columns: int = Field(
        default=EXCEL_MAX_COLUMNS,
        ge=1,
        description="columns of a table (CSV or sheet): Excel's own limit, XFD",
    )
    max_sheet_cells: int = Field(
        default=20_000_000,
        ge=1,
        description="rows × columns of a sheet's grid, from A1 to its last cell (a catalog of "
        "a nation's 300,000 rows × 20 columns is 6 million)",
    )
    max_inflated_bytes: int = Field(
        default=256 * 1024**2,
        ge=1,
        description="bytes a workbook's ZIP members inflate to, all together",
    )
    max_compression_ratio: int = Field(
        default=200,
        ge=1,
        description="inflated ÷ compressed size of one workbook member over 1 MiB (sheet XML "
        "compresses 5–30 times; a ZIP bomb thousands of times)",
    )
    max_yaml_bytes: int = Field(
        default=64 * 1024**2,
        ge=1,
        description="size of one YAML file (metadata, organisation, cases)",
    )
    max_yaml_depth: int = Field(
        default=64, ge=1, description="nesting of YAML mappings and lists (organisation data: 5)"
    )
    max_yaml_values: int = Field(
        default=5_000_000,
        ge=1,
        description="values a YAML document holds once its aliases (*name) are expanded",
    )


def input_limits() -> InputLimits:
    """The limits in force now (read from the environment on each call, never at import)."""
    return InputLimits()
