"""The synthetic dataset's timeline (时间线): when catalogs, notices and lapses take effect.

Every county follows the same calendar, so a test or a benchmark can ask about fixed days:
BEFORE_DAY sees the 2024 lists in force, CHECK_DAY sees every planted gap.
"""

from __future__ import annotations

from datetime import date

FIRST_LIST = date(2023, 3, 1)  # an older list version some counties still carry
LIST_2024 = date(2024, 3, 1)
LIST_2025 = date(2025, 3, 1)  # drops a few items, adds as many
ADJUSTMENT = date(2025, 5, 1)  # 动态调整通知: adds an item everywhere, withdraws one from a zone
CERTIFICATES_LAPSE = date(2025, 6, 30)  # last valid day of the planted lapsed certificates
WITHDRAWAL = date(2025, 7, 1)  # 收回通知: one item from one street
BEFORE_DAY = date(2024, 6, 1)
CHECK_DAY = date(2025, 9, 1)  # after everything above: every planted gap is visible
EVALUATION_FROM = date(2024, 9, 2)  # 赋权事项评估: the year up to CHECK_DAY (synthetic.evaluation)
ZONE_LIST_PROPOSED = date(2024, 8, 1)  # 片区联合执法基础事项清单: the departments propose (提请)
ZONE_LIST_APPROVED = date(2024, 8, 20)  # the 城管局 approves (审查同意), all but a planted item
ZONE_LIST = date(
    2024, 9, 1
)  # and the list takes effect: before LIST_2025, which lists its items too
