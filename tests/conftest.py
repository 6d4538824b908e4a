"""A real Neo4j for the whole test session, and a clean graph for each test.

Without NEO4J_URI the session starts its own local Neo4j (Maven Central jars) on a free port in
a temporary folder and stops it at the end; with NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD set,
the same suite runs against that server (docker-compose, a cluster) — and wipes its graph.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import settings as hypothesis_settings
from neo4j import Driver

from authreg.driver import open_driver
from authreg.local_db import LocalNeo4j, build_jars, free_port
from authreg.settings import Settings, load_settings
from loaders.load import plan_load, refresh_query_plans, write_plan
from loaders.report import LoadReport
from schema.migrate import migrate
from tests.progress import announced

pytest_plugins = ["tests.progress"]

# No timed tests: Hypothesis's default 200 ms deadline per example failed a citation property on
# a machine shared with other suites (296 ms for one example). Speed is measured in bench/; the
# parser's linear time is benchmarked there (issue 13.4). Examples stay as many as before.
hypothesis_settings.register_profile("authreg", deadline=None)
hypothesis_settings.load_profile("authreg")

# Each API start in a test process would collect the whole (large) test process before freezing
# it: tests/api/test_access_and_limits.py + test_mutations.py took 80.5 s with it, 54.9 s
# without. Served APIs keep it (default on); tests/api/test_settled_heap.py turns it on.
os.environ.setdefault("AUTHREG_API_SETTLED_HEAP", "false")

T = TypeVar("T")
TEST_PASSWORD = "authreg-test-password"
REPO = Path(__file__).resolve().parents[1]

# Modules whose tests run longest (each starts its own Neo4j or server, or sweeps every answer),
# longest first, as `--durations` measured them: collected first, so that with several workers
# (`make test`: pytest-xdist, worksteal) they start early and the short tests fill in around them.
# Collected last (their place by name: tests/test_*.py after every folder), a worker ran the
# demo's 200 s alone at the end while the others had finished.
RUN_FIRST = (
    "tests/api/test_personal_data.py",
    "tests/test_demo.py",
    "tests/loaders/test_bulk_import.py",
    "tests/test_local_db.py",
    "tests/queries/test_profile_flat.py",
    "tests/loaders/test_load_graph.py",
    "tests/api/test_every_field.py",
    "tests/api/test_serve.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    first = {name: rank for rank, name in enumerate(RUN_FIRST)}

    def rank(item: pytest.Item) -> int:
        return first.get(item.nodeid.partition("::")[0], len(RUN_FIRST))

    items.sort(key=rank)  # stable: each module keeps its tests' order


@dataclass
class Graph:
    """The session's Neo4j, wiped before each test (the migrated schema stays)."""

    driver: Driver
    settings: Settings

    def read(self, work: Callable[..., T], **params: Any) -> T:
        with self.driver.session(database=self.settings.neo4j_database) as session:
            return session.execute_read(work, **params)

    def write(self, work: Callable[..., T], **params: Any) -> T:
        with self.driver.session(database=self.settings.neo4j_database) as session:
            return session.execute_write(work, **params)

    def run(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Test-only Cypher (fixtures and assertions); product reads live in queries/."""
        records, _, _ = self.driver.execute_query(
            cypher, params, database_=self.settings.neo4j_database
        )
        return [record.data() for record in records]

    def counts(self) -> tuple[int, int]:
        [row] = self.run(
            "MATCH (n) WHERE NOT n:SchemaMigration WITH count(n) AS nodes "
            "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
        )
        return row["nodes"], row["rels"]

    def wipe(self) -> None:
        global _holds_sample
        _holds_sample = False  # whoever wipes (a module's own fixture too) ends the shared sample
        # CALL … IN TRANSACTIONS needs an auto-commit transaction (session.run).
        with self.driver.session(database=self.settings.neo4j_database) as session:
            session.run(
                "MATCH (n) WHERE NOT n:SchemaMigration "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if os.environ.get("NEO4J_URI"):
        yield load_settings()
        return
    build_jars()
    local = LocalNeo4j(
        home=tmp_path_factory.mktemp("neo4j-home"),
        port=free_port(),
        password=TEST_PASSWORD,
        heap="1g",
        pagecache="128m",
        tx_log_rotation="1M",
        # Both JIT compilers, unlike the product's default (C1 only, for servers that live
        # minutes): this server lives the whole run, and a fresh clone with C1 only was at 43 %
        # of the tests after 15.5 minutes where the morning's run with both had passed 70 %.
        # AUTHREG_TEST_JIT=quick: C1 only, to compare.
        jit=os.environ.get("AUTHREG_TEST_JIT", "full"),
        # A cached plan is planned again only when something drops the plans (`authreg load`,
        # the plan tests' `planned_sample_graph`), not whenever the server finds the graph's
        # counts changed by half since it was planned (after 10 s, the default): tests swap
        # whole graphs all the time, and each such replanning cost up to seconds of the
        # server's CPU (the authority read alone plans in 1-2 s). Plans decide speed, never
        # answers, and every test of plans drops them first.
        extra_settings=(("dbms.cypher.min_replan_interval", "1h"),),
    )
    # `timeout` and CI runners end a run with SIGTERM, which by default ends Python without
    # running any teardown: the session's Neo4j (its own process group) ran on, orphaned, for
    # hours. As KeyboardInterrupt it ends the run the way Ctrl-C does, teardown included.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    with announced(f"starting the tests' Neo4j on port {local.port}"):
        state, _ = local.start()
    try:
        yield load_settings(
            neo4j_uri=state.uri,
            neo4j_password=TEST_PASSWORD,
            local_home=local.home,
            local_port=local.port,
        )
    finally:
        local.stop()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}: stopping the tests' Neo4j")


@pytest.fixture(scope="session")
def session_driver(neo4j_settings: Settings) -> Iterator[Driver]:
    driver = open_driver(neo4j_settings)
    migrate(driver, neo4j_settings.neo4j_database)
    yield driver
    driver.close()


SAMPLE = REPO / "data" / "sample"
_holds_sample = False  # whether the session graph holds exactly the loaded sample right now


@pytest.fixture
def graph(session_driver: Driver, neo4j_settings: Settings) -> Graph:
    """A clean graph for one test (the wipe ends the shared sample: Graph.wipe)."""
    graph = Graph(session_driver, neo4j_settings)
    graph.wipe()
    return graph


@pytest.fixture
def sample_graph(session_driver: Driver, neo4j_settings: Settings) -> Graph:
    """The graph holding `data/sample`, loaded once and shared by the tests that only READ it.

    A test that writes must use `graph` (and load what it needs) or `fresh_sample_graph`.
    """
    global _holds_sample
    graph = Graph(session_driver, neo4j_settings)
    if not _holds_sample:
        _load_sample(graph)
        _holds_sample = True
    return graph


@pytest.fixture
def fresh_sample_graph(session_driver: Driver, neo4j_settings: Settings) -> Iterator[Graph]:
    """The sample in a graph this test may change; it is reloaded for the next reader."""
    global _holds_sample
    graph = Graph(session_driver, neo4j_settings)
    if not _holds_sample:
        _load_sample(graph)
    _holds_sample = False
    yield graph


def _load_sample(graph: Graph) -> None:
    """The sample loaded by the loaders the first time, then put back as that load left it.

    A load of the sample costs the server 15-40 s of CPU (most of it planning the loaders'
    statements again after `refresh_query_plans` dropped the plans); it was done some 55 times a
    run. Its copy (every node's labels and properties, every relationship) is written back in
    one transaction of two statements, well under a second. The loaders' own tests load the
    sample themselves (test_load_graph, test_submissions…), so the loaders stay tested.
    """
    if SAMPLE_LOAD.into(graph):
        # As `authreg load` ends. Not after each copy is put back: dropping every cached plan
        # made the server plan each query again (the authority read alone takes about a second
        # to plan), and planning was most of the server's time in a run. Tests of plans ask
        # for `planned_sample_graph`.
        refresh_query_plans(graph.driver, graph.settings.neo4j_database)


@dataclass
class LoadedOnce:
    """Files the loaders load into a wiped graph the first time; after that, the copy of what
    that load wrote is put back instead (the sample here, the malformed corpus's base graph)."""

    paths: list[Path]
    copy: GraphCopy | None = None

    def into(self, graph: Graph) -> bool:
        """Wipe `graph` and give it the files' graph; True when the loaders ran (the first
        time in this process), False when the copy was put back."""
        graph.wipe()
        if self.copy is not None:
            self.copy.write_into(graph)
            return False
        report = LoadReport()
        plan = plan_load(self.paths, report, need_metadata=True)
        assert not report.errors, [problem.line() for problem in report.errors]
        write_plan(graph.driver, graph.settings.neo4j_database, plan)
        self.copy = GraphCopy.of(graph)
        return True


@pytest.fixture
def planned_sample_graph(sample_graph: Graph) -> Graph:
    """The shared sample with its index statistics resampled and the cached plans dropped, as
    `authreg load` ends: for tests of query plans (no label or index scans), whose plans must
    be made for this graph, not for whatever a test before them held."""
    refresh_query_plans(sample_graph.driver, sample_graph.settings.neo4j_database)
    return sample_graph


@dataclass(frozen=True)
class GraphCopy:
    """Every node (labels, properties) and relationship of a graph, SchemaMigration aside, as
    the driver reads them: dates, times and lists come back as they were written."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]

    @classmethod
    def of(cls, graph: Graph) -> GraphCopy:
        nodes = graph.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props "
            "ORDER BY id(n)"
        )
        relationships = graph.run(
            "MATCH (a)-[r]->(b) WHERE NOT a:SchemaMigration AND NOT b:SchemaMigration "
            "RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, "
            "properties(r) AS props ORDER BY id(r)"
        )
        return cls(nodes, relationships)

    def write_into(self, graph: Graph) -> None:
        """Add the copy to `graph` (wiped first by the caller), in one transaction."""

        def work(tx: Any) -> None:
            made = {
                record["key"]: record["made"]
                for record in tx.run(
                    "UNWIND $nodes AS node CREATE (n:$(node.labels)) SET n = node.props "
                    "RETURN node.key AS key, elementId(n) AS made",
                    nodes=self.nodes,
                )
            }
            tx.run(
                "UNWIND $relationships AS rel "
                "MATCH (a) WHERE elementId(a) = rel.start "
                "MATCH (b) WHERE elementId(b) = rel.end "
                "CREATE (a)-[r:$(rel.type)]->(b) SET r = rel.props",
                relationships=[
                    {**rel, "start": made[rel["start"]], "end": made[rel["end"]]}
                    for rel in self.relationships
                ],
            ).consume()

        graph.write(work)


SAMPLE_LOAD = LoadedOnce([SAMPLE])  # the sample as the loaders first wrote it this session
