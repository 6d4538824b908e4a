"""The answer cache (答案缓存): the same answer as without it, never stale beyond its declared bound.

A write through the API is seen at once; a write by another process (the CLI, a loader) within
`api_answer_cache_check_ms`; role checks and personal-data masking still run on a cached answer,
and a kept whole response goes only to the role it was made for. Tests of the answers alone turn
the kept responses off (ANSWERS_ONLY).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from neo4j import ManagedTransaction

from graphql_api.answer_cache import AnswerCache
from graphql_api.app import create_app
from graphql_api.auth import Caller, Role
from graphql_api.context import Context
from loaders.load import plan_load, write_plan
from loaders.report import LoadReport
from loaders.write import bump_generation, bumping, fold_graph_writes
from queries.authority import AuthorityAnswer, authority
from queries.dump import node_count
from tests.api.conftest import Api, api_settings
from tests.api.test_mutations import ADJUSTMENT, ADJUSTMENT_META, DECIDE, upload
from tests.api.test_questions import selection
from tests.conftest import Graph
from tests.queries.test_cli_queries import run as run_cli

ASK = """query ($item: String!, $street: String!, $day: Date) {
  authority(item: $item, street: $street, asOf: $day) { %s } }"""
FULL = ASK % selection(AuthorityAnswer)
BEFORE_DECISION = {"item": "LC-CG-001", "street": "海滨街道", "day": "2025-06-01"}
WITHDRAWN = {"item": "LC-CG-002", "street": "海滨街道", "day": "2025-06-01"}  # by the adjustment
PRECEDENTS = ASK % "precedents { dispute }"
SUBJECT = ASK % "subject { kind name }"
CHECKS = '{ caseChecks(case: "LC-2025-0005") { officers { id name } } }'
NEVER = 600_000  # ms: a check interval no test outlives
ANSWERS_ONLY = {"api_answer_cache_responses": False}
HIT, MISS = {"hits": 1, "misses": 0}, {"hits": 0, "misses": 1}


@contextmanager
def cached_api(graph: Graph, **settings: Any) -> Iterator[Api]:
    """The app over `graph` with these settings (answer cache ones among them).

    The counter's check interval is NEVER unless a test sets it: with the default second, a
    first question slow on a cold server (1.25 s in one CI run) made the second one re-read the
    counter, and a test of something else saw a round trip it did not expect."""
    settings = {"api_answer_cache_check_ms": NEVER, **settings}
    with TestClient(create_app(api_settings(graph.settings, **settings))) as client:
        yield Api(client)


def cache_of(api: Api) -> AnswerCache:
    return api.client.app.state.answers  # type: ignore[attr-defined]


def use(body: dict[str, Any]) -> dict[str, int] | None:
    """What the response says the answer cache did: {hits, misses}, or None if not asked."""
    found = body.get("extensions", {}).get("answerCache")
    return None if found is None else {k: v for k, v in found.items() if k != "response"}


def kept_response(body: dict[str, Any]) -> bool:
    """Whether the whole response came from the cache."""
    return body.get("extensions", {}).get("answerCache", {}).get("response") == "hit"


def test_a_cached_answer_is_the_answer_read_without_the_cache(sample_graph: Graph) -> None:
    with cached_api(sample_graph, api_answer_cache_size=0) as api:
        uncached = api.query(FULL, BEFORE_DECISION)
    with cached_api(sample_graph) as api:
        first, second, third = (api.query(FULL, BEFORE_DECISION) for _ in range(3))
    assert not uncached.get("errors") and use(uncached) is None
    assert use(first) == MISS and first["extensions"]["roundTrips"] == 1
    assert use(second) == HIT and second["extensions"]["roundTrips"] == 0
    assert kept_response(third) and not kept_response(second)
    assert use(third) == HIT and third["extensions"]["roundTrips"] == 0
    assert first["data"] == second["data"] == third["data"] == uncached["data"]


def test_the_day_asked_about_is_part_of_the_key(sample_graph: Graph) -> None:
    with cached_api(sample_graph, **ANSWERS_ONLY) as api:
        june = api.query(SUBJECT, BEFORE_DECISION)
        older = api.query(SUBJECT, {**BEFORE_DECISION, "day": "2020-01-01"})
        assert use(older) == MISS
        today = api.query(SUBJECT, {**BEFORE_DECISION, "day": None})
        assert use(today) == MISS
        assert use(api.query(SUBJECT, {**BEFORE_DECISION, "day": None})) == HIT
    assert june["data"] != older["data"]


def test_size_zero_turns_the_cache_off(sample_graph: Graph) -> None:
    with cached_api(sample_graph, api_answer_cache_size=0) as api:
        bodies = [api.query(SUBJECT, BEFORE_DECISION) for _ in range(2)]
        assert len(cache_of(api)) == 0
    assert [body["extensions"] for body in bodies] == [{"roundTrips": 1}] * 2


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used(
    sample_graph: Graph,
) -> None:
    a, b, c = (
        {"item": f"LC-CG-00{n}", "street": "海滨街道", "day": "2025-06-01"} for n in (1, 2, 3)
    )
    with cached_api(sample_graph, api_answer_cache_size=2, **ANSWERS_ONLY) as api:
        outcomes = []
        for asked in (a, b, a, c, a, b):  # c drops b (a was used later); b then drops c
            outcomes.append(use(api.query(SUBJECT, asked)))
            assert len(cache_of(api)) <= 2
        assert len(cache_of(api)) == 2
    assert outcomes == [MISS, MISS, HIT, MISS, HIT, MISS]


def test_a_write_through_the_api_is_seen_at_once(fresh_sample_graph: Graph) -> None:
    with cached_api(fresh_sample_graph) as api:
        assert api.data(PRECEDENTS, BEFORE_DECISION)["authority"]["precedents"] == []
        api.data(DECIDE, {"id": "LC-D-2025-01"}, role="reviewer")
        body = api.query(PRECEDENTS, BEFORE_DECISION)
    assert body["data"]["authority"]["precedents"] == [{"dispute": "LC-D-2025-01"}]
    assert use(body) == MISS and not kept_response(body)


def test_a_catalog_uploaded_through_the_api_is_seen_at_once(fresh_sample_graph: Graph) -> None:
    with cached_api(fresh_sample_graph) as api:
        before = [api.data(SUBJECT, WITHDRAWN) for _ in range(3)][-1]["authority"]["subject"]
        assert not upload(api, ADJUSTMENT / "licheng-adjustment-2025.csv", ADJUSTMENT_META).get(
            "errors"
        )
        after = api.data(SUBJECT, WITHDRAWN)["authority"]["subject"]
    assert before["kind"] == "Street" and after["kind"] == "Department"


def test_another_process_s_write_is_served_stale_until_the_next_check(
    fresh_sample_graph: Graph,
) -> None:
    """The declared bound at work: a load by another process (here write_plan, as `authreg
    load` runs it) is not seen before the counter is read again."""
    with cached_api(fresh_sample_graph) as api:
        before = [api.data(SUBJECT, WITHDRAWN) for _ in range(2)][-1]
        load_adjustment(fresh_sample_graph)
        body = api.query(SUBJECT, WITHDRAWN)
    assert body["data"] == before and kept_response(body)


def test_another_process_s_write_is_seen_after_the_check_interval(
    fresh_sample_graph: Graph,
) -> None:
    with cached_api(fresh_sample_graph, api_answer_cache_check_ms=50) as api:
        for _ in range(3):  # the answer, then the whole response, kept
            assert api.data(PRECEDENTS, BEFORE_DECISION)["authority"]["precedents"] == []
        code, text = run_cli(
            fresh_sample_graph,
            *("dispute", "decide", "--dispute", "LC-D-2025-01", "--for", "临江街道"),
            *("--basis", "现场勘验", "--by", "鲤城区城市管理和综合执法局"),
        )
        assert code == 0, text
        time.sleep(0.1)  # past the 50 ms interval: the next question reads the counter again
        body = api.query(PRECEDENTS, BEFORE_DECISION)
    assert body["data"]["authority"]["precedents"] == [{"dispute": "LC-D-2025-01"}]
    assert use(body) == MISS and body["extensions"]["roundTrips"] == 2


def test_a_viewer_never_gets_personal_fields_from_an_answer_an_admin_cached(
    sample_graph: Graph,
) -> None:
    with cached_api(sample_graph) as api:
        admin = [api.query(CHECKS, role="admin") for _ in range(3)]  # answer, response kept
        viewer = [api.query(CHECKS, role="viewer") for _ in range(2)]
        nobody = api.query(CHECKS, role=None)
    assert kept_response(admin[2])
    assert {o["id"] for o in admin[2]["data"]["caseChecks"]["officers"]} == {
        "35050220230201",
        "35050220200202",
    }
    # A viewer's explanation is written without names (queries.officer_text), so the answer is
    # kept apart from the admin's: read once, then served from the cache, masked again; a
    # response with errors is not kept.
    for body, expected in zip(viewer, (MISS, HIT), strict=True):
        assert use(body) == expected and not kept_response(body)
        assert body["data"]["caseChecks"]["officers"] == [{"id": None, "name": None}] * 2
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert nobody["data"] is None and use(nobody) is None
    assert {e["extensions"]["code"] for e in nobody["errors"]} == {"UNAUTHENTICATED"}


def test_a_kept_response_is_the_same_whichever_way_it_is_served(sample_graph: Graph) -> None:
    """In front of the router while the counter's last reading is recent; through it (which
    reads the counter first) when the check is due, here always (interval 0)."""
    with cached_api(sample_graph) as api:
        front = [api.post(FULL, BEFORE_DECISION) for _ in range(3)]
    with cached_api(sample_graph, api_answer_cache_check_ms=0) as api:
        routed = [api.post(FULL, BEFORE_DECISION) for _ in range(3)]
    assert kept_response(front[2].json()) and kept_response(routed[2].json())
    assert front[2].json()["extensions"]["roundTrips"] == 0
    assert routed[2].json()["extensions"]["roundTrips"] == 1
    assert front[2].content == routed[2].content.replace(b'"roundTrips":1', b'"roundTrips":0')
    assert front[2].json()["data"] == front[0].json()["data"]
    assert front[2].headers["content-type"] == routed[2].headers["content-type"]
    assert front[2].headers["x-request-id"] != front[1].headers["x-request-id"]


def test_a_kept_response_needs_a_valid_key(sample_graph: Graph) -> None:
    with cached_api(sample_graph) as api:
        assert kept_response([api.query(SUBJECT, BEFORE_DECISION) for _ in range(3)][-1])
        for headers in ({}, {"X-API-Key": "not-a-key-0123456789"}):
            body = api.client.post(
                "/graphql",
                json={"query": SUBJECT, "variables": BEFORE_DECISION},
                headers=headers,
            ).json()
            assert body["data"] is None
            assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}


def test_only_queries_asking_cached_questions_alone_are_kept_whole(sample_graph: Graph) -> None:
    mixed = """query ($item: String!, $street: String!, $day: Date) {
      authority(item: $item, street: $street, asOf: $day) { subject { kind name } }
      coverageMatrix(region: "350502", asOf: $day) { regionCode } }"""
    with cached_api(sample_graph) as api:
        for query in (mixed, SUBJECT):
            bodies = [api.query(query, BEFORE_DECISION) for _ in range(3)]
            assert not bodies[-1].get("errors"), bodies[-1]
            assert kept_response(bodies[-1]) is (query == SUBJECT)


def test_an_answer_read_while_this_process_wrote_is_not_kept(sample_graph: Graph) -> None:
    cache = AnswerCache(size=10, check_ms=NEVER)
    context = Context(
        driver=sample_graph.driver,
        settings=sample_graph.settings,
        caller=Caller("test", Role.VIEWER),
        auth_problem=None,
        request_id="t",
        answers=cache,
    )

    async def read_as_a_write_commits(work: Any, **params: Any) -> Any:
        found = await context.read(work, **params)
        cache.graph_changed()  # a mutation of this process committed while this read ran
        return found

    params = {"item": "LC-CG-001", "street": "海滨街道", "as_of": date(2025, 6, 1)}
    answer, hit = anyio.run(cache.answer, read_as_a_write_commits, authority, params)
    assert answer.outcome == "determined" and not hit
    assert len(cache) == 0


def test_the_request_log_counts_the_answer_cache_s_hits(
    sample_graph: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="authreg.api"),
        cached_api(sample_graph, **ANSWERS_ONLY) as api,
    ):
        api.query(SUBJECT, BEFORE_DECISION)
        api.query(SUBJECT, BEFORE_DECISION)
    requests = [r for r in caplog.records if r.getMessage() == "request"]
    logged = [r.fields["answer_cache"] for r in requests]  # type: ignore[attr-defined]
    assert logged == [{"hits": 0, "misses": 1}, {"hits": 1, "misses": 0}]


def load_adjustment(graph: Graph) -> None:
    report = LoadReport()
    plan = plan_load([ADJUSTMENT / "licheng-adjustment-2025.csv"], report, need_metadata=True)
    assert not report.errors, [problem.line() for problem in report.errors]
    write_plan(graph.driver, graph.settings.neo4j_database, plan)


def test_two_writers_committing_one_after_the_other_are_each_seen(graph: Graph) -> None:
    """Two write transactions in flight at once (each has made its write and its marker before
    either commits): the cache, reading the counter on every question (check interval 0),
    drops its answer at each commit and reads each one's write."""
    answers = AnswerCache(size=8, check_ms=0)
    both_written, first_committed = threading.Barrier(2, timeout=30), threading.Event()

    async def read(work: Any, /, **params: Any) -> Any:
        return graph.read(work, **params)

    def ask() -> tuple[int, bool]:
        return anyio.run(answers.answer, read, node_count, {})

    def writer(code: str, tx: ManagedTransaction) -> None:
        tx.run("CREATE (:Region {code: $code, name: $code})", code=code).consume()
        bump_generation(tx)  # last, as every writer does (bumping)
        both_written.wait()
        if code == "second":
            assert first_committed.wait(30)

    assert ask() == (0, False) and ask() == (0, True)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(graph.write, partial(writer, "first"))
        second = pool.submit(graph.write, partial(writer, "second"))
        first.result(timeout=60)
        between = [ask(), ask()]
        first_committed.set()
        second.result(timeout=60)
    assert between == [(1, False), (1, True)]
    assert [ask(), ask()] == [(2, False), (2, True)]


@pytest.mark.parametrize("kind", ["bumping", "bump_generation", "fold_graph_writes"])
def test_each_kind_of_write_drops_the_answers_and_a_fold_drops_none(
    graph: Graph, kind: str
) -> None:
    """A writer's transaction with its marker (bumping), a marker alone (as after an upload or
    `db import`), and a fold of old markers into GraphState, which writes no data: the first two
    change the stamp the cache checks, the fold does not."""
    answers = AnswerCache(size=8, check_ms=0)

    async def read(work: Any, /, **params: Any) -> Any:
        return graph.read(work, **params)

    def ask() -> tuple[int, bool]:
        return anyio.run(answers.answer, read, node_count, {})

    for _ in range(3):
        graph.write(bump_generation)
    assert ask() == (0, False) and ask() == (0, True)
    if kind == "bumping":
        graph.write(bumping(lambda tx: tx.run("CREATE (:Region {code: 'x', name: 'x'})").consume()))
        assert ask() == (1, False)
    elif kind == "bump_generation":
        graph.write(bump_generation)
        assert ask() == (0, False)
    else:
        assert graph.write(fold_graph_writes, older_than_s=0) == 2
        assert ask() == (0, True)
