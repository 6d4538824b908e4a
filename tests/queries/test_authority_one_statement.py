"""An authority answer is one statement (issue 16.4): authority.cypher reads the discretion lists
and the handling tier in its last CALL blocks, so a resolved question costs one round trip; the
discretion lists it carries are those the `discretion` question reads (discretion.cypher)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from neo4j import ManagedTransaction

from queries.authority import AuthorityAnswer, authority
from queries.discretion import discretion
from tests.conftest import Graph

DAYS = [date(2024, 11, 30), date(2024, 12, 1), date(2025, 1, 1), date(2025, 6, 1)]


class _Counting:
    """A transaction that counts the statements run through it."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx
        self.statements: list[str] = []

    def run(self, query: str, parameters: dict[str, Any] | None = None, **params: Any) -> Any:
        self.statements.append(query.splitlines()[0])
        return self.tx.run(query, parameters, **params)


def _asked(graph: Graph, **question: Any) -> tuple[AuthorityAnswer, list[str]]:
    counted: list[_Counting] = []

    def work(tx: ManagedTransaction) -> AuthorityAnswer:
        counted.append(_Counting(tx))
        return authority(counted[-1], **question)

    answer = graph.read(work)
    return answer, counted[-1].statements


@pytest.mark.parametrize(
    ("item", "street", "on", "carries"),
    [
        ("ES-ZJ-001", "甸中镇", date(2025, 5, 1), "handling"),  # county team, noted
        ("ES-CG-001", "双江街道", date(2025, 5, 1), "handling"),  # town tier
        ("LC-CG-001", "开元街道", date(2024, 12, 1), "discretion"),  # 裁量基准
        ("LC-SC-003", "江南街道", date(2025, 1, 1), "discretion"),  # 首违不罚
        ("LC-CG-001", "开元街道", date(2024, 11, 30), None),  # neither
    ],
)
def test_a_resolved_item_and_street_are_answered_by_one_statement(
    sample_graph: Graph, item: str, street: str, on: date, carries: str | None
) -> None:
    answer, statements = _asked(sample_graph, item=item, street=street, as_of=on)
    assert statements == [statements[0]] and statements[0].startswith("// authority:"), statements
    assert answer.outcome == "determined"
    assert bool(answer.handling) == (carries == "handling")
    assert bool(answer.discretion) == (carries == "discretion")


def test_words_naming_no_single_item_or_street_take_the_lookup_as_well(sample_graph: Graph) -> None:
    answer, statements = _asked(
        sample_graph, item="LC-CG-001", street="没有这个街道", as_of=date(2025, 5, 1)
    )
    assert answer.outcome == "not_found"
    assert [s.split(":")[0] for s in statements] == ["// authority", "// authority_lookup"]


def test_the_discretion_an_answer_carries_is_the_discretion_questions(sample_graph: Graph) -> None:
    pairs = sample_graph.run(
        "MATCH (s:Street)<-[:TO]-(:Delegation)-[:OF]->(i:EnforcementItem) "
        "RETURN DISTINCT i.code AS item, s.code AS street ORDER BY item, street"
    )
    carried = 0
    for pair in pairs:
        for day in DAYS:
            answer = sample_graph.read(
                authority, item=pair["item"], street=pair["street"], as_of=day
            )
            asked = sample_graph.read(discretion, item=pair["item"], as_of=day)
            assert answer.discretion == asked.notes, (pair, day)
            carried += bool(answer.discretion)
    assert carried >= 4, carried  # the sample's benchmark and no-penalty lists, on their days
