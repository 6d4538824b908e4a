"""Generated legal-basis cells (实施依据) parse back to exactly the provisions they were built from."""

from __future__ import annotations

import random

import pytest

from loaders.citations import document_key, parse_basis
from synthetic.basis_cells import UNPARSEABLE, CellStyle, basis_cell
from synthetic.item_pool import item_pool

POOL = item_pool("东岚省", "990000")
TEMPLATES = POOL.regular + POOL.repealed + POOL.uncovered


def cells(seed: int) -> list[tuple[str, set[tuple[str, int, int | None, int | None]]]]:
    rng = random.Random(seed)
    style = CellStyle.draw(rng)
    found = []
    for template in TEMPLATES:
        wanted = {
            (document_key(POOL.law(c.law).title), c.article, c.paragraph, c.item)
            for c in template.cites
        }
        found.append((basis_cell(rng, template.cites, POOL.laws, style), wanted))
    return found


@pytest.mark.parametrize("seed", range(6))
def test_every_generated_cell_parses_to_exactly_its_provisions(seed: int) -> None:
    for cell, wanted in cells(seed):
        parsed = parse_basis(cell)
        got = {(c.document_key, c.article, c.paragraph, c.item) for c in parsed.citations}
        assert (parsed.status, got) == ("parsed", wanted), cell


def test_unparseable_cells_resolve_nothing() -> None:
    for cell in UNPARSEABLE:
        parsed = parse_basis(cell)
        assert (parsed.status, parsed.citations) == ("unparsed", [])


def test_cells_come_in_the_shapes_of_real_catalogs() -> None:
    text = "\n".join(cell for seed in range(20) for cell, _ in cells(seed))
    shapes = {
        "rank tag": "【行政法规】",
        "rank heading": "行政法规：《",
        "version note": "年修正）",
        "order number": "国务院令第",
        "back-reference to the law": "同法第",
        "back-reference to the regulation": "本条例第",
        "back-reference to the article": "本条第二款",
        "项 with full-width brackets": "项",
        "项 with half-width brackets": "第(",
        "short title": "《城乡环境卫生法》",
        "title without 《》": "\n中华人民共和国",
        "numbered laws": "1、《",
        "circled numbers": "①",
        "lead-in": "依据《",
        "quoted paragraph": "款 违反本",
        "Arabic article number": "第4",
    }
    missing = [shape for shape, mark in shapes.items() if mark not in text]
    assert not missing
