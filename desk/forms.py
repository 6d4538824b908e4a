"""The desk's GET and POST forms (表单): bounded text, dates, refused cheaply with a reason."""

from __future__ import annotations

from datetime import date

from desk.web import DeskError, today

MAX_TEXT = 100  # characters of one box: an item name is under 60, a street name under 20
MAX_LONG_TEXT = 2000  # a decision's basis text


def text(value: str | None, label: str, limit: int = MAX_TEXT) -> str | None:
    """The box's text stripped; None when blank; DeskError when longer than `limit`."""
    words = (value or "").strip()
    if not words:
        return None
    if len(words) > limit:
        raise DeskError(f"「{label}」最多{limit}个字，现有{len(words)}个字。")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in words):
        raise DeskError(f"「{label}」含有控制字符，请重新输入。")
    return words


def day(value: str | None, label: str = "日期") -> date:
    """A YYYY-MM-DD date; today (China time) when blank."""
    words = (value or "").strip()
    if not words:
        return today()
    try:
        parsed = date.fromisoformat(words[:10]) if len(words) <= 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise DeskError(f"「{label}」应为 年-月-日，例如 2025-07-01；收到的是「{words[:20]}」。")
    return parsed
