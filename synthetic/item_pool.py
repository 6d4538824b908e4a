"""The items a synthetic county draws its catalog from (事项池): templates from the invented laws."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from schema.enums import ItemType
from synthetic.departments import RETAINED, UNCOVERED_DOMAIN_DEPARTMENT
from synthetic.law_specs import LawSpec
from synthetic.laws import Cite, ItemTemplate, Law, national_laws, provincial_laws


@dataclass(frozen=True)
class Pool:
    """One province's items: the regular ones, and the few kept for planted gaps."""

    regular: tuple[ItemTemplate, ...]
    repealed: tuple[ItemTemplate, ...]  # cite only a repealed regulation (依据已废止)
    uncovered: tuple[ItemTemplate, ...]  # inspections of a domain no officer covers
    laws: dict[str, Law]
    retained: tuple[ItemTemplate, ...] = ()  # of departments no list delegates (权责清单 only)

    def law(self, slug: str) -> LawSpec:
        return self.laws[slug].spec


@cache
def item_pool(province: str, code: str) -> Pool:
    """Every template once (names unique), some citing a second law of the same department."""
    laws = {law.spec.slug: law for law in (*national_laws(), *provincial_laws(province, code))}
    by_department: dict[str, list[Law]] = {}
    for law in laws.values():
        by_department.setdefault(law.spec.department, []).append(law)
    regular, repealed, uncovered, retained, seen = [], [], [], [], set()
    for law in laws.values():
        for template in law.templates:
            if (template.department, template.name) in seen:
                continue
            seen.add((template.department, template.name))
            if law.spec.repealed_by:
                repealed.append(template)
            elif template.department in RETAINED:
                retained.append(template)
            elif template.department == UNCOVERED_DOMAIN_DEPARTMENT:
                if template.type == ItemType.INSPECTION:
                    uncovered.append(template)
            else:
                regular.append(_with_second_law(template, by_department[template.department]))
    return Pool(tuple(regular), tuple(repealed), tuple(uncovered), laws, tuple(retained))


def _with_second_law(template: ItemTemplate, laws: list[Law]) -> ItemTemplate:
    """A fifth of the items also cite an article of another law of their department."""
    rng = random.Random(f"second-law:{template.key}")
    others = [law for law in laws if law.spec.slug != template.cites[0].law]
    if not others or rng.random() >= 0.2:
        return template
    law = rng.choice(others)
    article = rng.choice(law.articles[1:] or law.articles)
    paragraph = 1 if len(article.paragraphs) > 1 and rng.random() < 0.5 else None
    cite = Cite(law.spec.slug, article.number, paragraph)
    return ItemTemplate(
        template.key, template.name, template.type, template.department, (*template.cites, cite)
    )
