"""The desk's authority page and its print view show the item's 裁量基准 and 首违不罚 (issue 18.4)."""

from __future__ import annotations

from tests.desk.conftest import Clerk

KAIYUAN = "350502001"


def test_the_authority_page_shows_the_benchmark_with_its_source(viewer: Clerk) -> None:
    page = viewer.page("/authority", item="LC-CG-001", street=KAIYUAN, date="2025-01-01")
    assert "裁量基准与首违不罚" in page and "泉州市城市管理行政处罚裁量基准(示例)" in page
    assert "泉城管〔2024〕示例1号" in page and "个人处一百元以上二百元以下罚款" in page
    assert "按事项编码" in page and "第2行" in page


def test_the_print_view_shows_it_too_and_not_before_the_list_applies(viewer: Clerk) -> None:
    printed = viewer.page(
        "/authority", item="LC-CG-001", street=KAIYUAN, date="2025-01-01", print="1"
    )
    assert "执法主体认定记录" in printed and "泉城管〔2024〕示例1号" in printed
    before = viewer.page("/authority", item="LC-CG-001", street=KAIYUAN, date="2024-11-30")
    assert "裁量基准与首违不罚" not in before
