"""The fast YAML writer's output reads back as the same values (PyYAML, as the loaders read it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import yaml
from hypothesis import given
from hypothesis import strategies as st

from synthetic.yaml_text import block, document, flow

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
CHINESE = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20), min_size=1, max_size=3)


@given(TEXT | st.builds(str.__add__, CHINESE, TEXT) | st.from_regex(r"[a-z][a-z0-9_-]{0,5}"))
def test_any_string_reads_back_as_that_string(text: str) -> None:
    assert yaml.safe_load(flow({"value": text})) == {"value": text}
    assert yaml.safe_load("\n".join(block({"value": text}))) == {"value": text}


def test_codes_words_and_dates_keep_their_types() -> None:
    value = {
        "code": "990101001",
        "id": "990101-cgj",
        "word": "yes",
        "name": "洧川县（示范）",
        "quoted": "a: b # c",
        "day": date(2025, 9, 1),
        "at": datetime(2025, 3, 10, 10, tzinfo=timezone(timedelta(hours=8))),
        "count": 3,
        "flag": True,
        "nothing": None,
        "list": ["990101001", "梅坪街道"],
        "rows": [{"to": "990101-Z01", "mode": "挂钩"}],
    }
    read = yaml.safe_load(document(["a comment"], value))
    assert read == {**value, "at": "2025-03-10T10:00:00+08:00"}
