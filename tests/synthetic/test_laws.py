"""The invented law texts read back with loaders.law_texts and hold every provision items cite."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from loaders.law_texts import parse_law_text
from schema.enums import DocumentRank
from synthetic.item_pool import item_pool
from synthetic.laws import national_laws, provincial_laws, write_law_texts

LAWS = [*national_laws(), *provincial_laws("东岚省", "990000")]


def test_law_texts_read_back_with_rank_and_every_article(tmp_path: Path) -> None:
    written = write_law_texts(tmp_path, LAWS)
    by_title = {law.spec.title: law for law in LAWS}
    assert len(written) == sum(law.spec.has_text for law in LAWS)
    for path in written:
        text = parse_law_text(path)
        law = by_title[text.title]
        assert text.rank == law.spec.rank
        assert [a.number for a in text.articles] == list(range(law.spec.first, law.spec.last + 1))
        for article, parsed in zip(law.articles, text.articles, strict=True):
            assert [len(p.items) for p in parsed.paragraphs] == [
                len(p.items) for p in article.paragraphs
            ]


def test_every_cited_provision_is_in_its_law_text() -> None:
    pool = item_pool("东岚省", "990000")
    laws = pool.laws
    for template in pool.regular + pool.repealed + pool.uncovered:
        for cite in template.cites:
            law = laws[cite.law]
            article = law.article(cite.article)
            assert article is not None, (template.name, cite)
            if cite.paragraph:
                paragraph = article.paragraphs[cite.paragraph - 1]
                assert cite.item is None or cite.item <= len(paragraph.items)


def test_item_names_are_unique_and_every_department_has_items() -> None:
    pool = item_pool("东岚省", "990000")
    names = Counter((t.department, t.name) for t in pool.regular)
    assert max(names.values()) == 1
    assert set(t.department for t in pool.regular) >= {"cgj", "sthj", "yjj", "scjg", "zjj"}
    assert len(pool.regular) >= 350 and pool.repealed and pool.uncovered


def test_every_text_says_it_is_invented(tmp_path: Path) -> None:
    write_law_texts(tmp_path, LAWS)
    assert "INVENTED" in (tmp_path / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in tmp_path.glob("*.md"):
        if path.name != "PROVENANCE.md":
            assert "NOT a real law" in path.read_text(encoding="utf-8")


def test_one_regulation_is_repealed_and_one_is_cited_without_text() -> None:
    specs = [law.spec for law in LAWS]
    assert [s.title for s in specs if s.repealed_by] == ["经营主体登记管理暂行条例"]
    assert [s.rank for s in specs if not s.has_text] == [DocumentRank.DEPARTMENTAL_RULE]
