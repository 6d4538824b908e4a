"""Text a spreadsheet would run as a formula (公式注入), made inert for files meant for Excel and WPS.

The one home of the rule: the answer exports (authreg.export_files) and the load report's CSV
(loaders.report) both write cells through `safe_text`.
"""

from __future__ import annotations

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A cell that would run as a formula gets a leading apostrophe, so it stays text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
