"""The migration applies every constraint and index idempotently and records its version."""

from __future__ import annotations

import re

from schema.migrate import CONSTRAINTS_DIR, expected_version, migrate
from schema.models import NODE_MODELS
from tests.conftest import Graph


def schema_snapshot(graph: Graph) -> tuple[list[tuple], list[tuple]]:
    constraints = graph.run(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes, properties ORDER BY name"
    )
    indexes = graph.run(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options "
        "RETURN name, type, labelsOrTypes, properties, "
        "options.indexConfig AS config ORDER BY name"
    )
    return (
        [tuple(map(str, c.values())) for c in constraints],
        [tuple(map(str, i.values())) for i in indexes],
    )


def test_migrating_twice_leaves_constraints_and_indexes_identical(graph: Graph) -> None:
    migrate(graph.driver, graph.settings.neo4j_database)
    first = schema_snapshot(graph)
    result = migrate(graph.driver, graph.settings.neo4j_database)
    assert schema_snapshot(graph) == first
    assert result.previous_version == result.version == expected_version()[0]


def test_migration_records_the_schema_version_in_the_graph(graph: Graph) -> None:
    migrate(graph.driver, graph.settings.neo4j_database)
    version, checksum = expected_version()
    # A graph upgraded from an older version keeps the older record beside the new one.
    rows = graph.run(
        "MATCH (m:SchemaMigration) RETURN m.version AS v, m.checksum AS c ORDER BY v DESC"
    )
    assert rows[0] == {"v": version, "c": checksum}
    assert [row["v"] for row in rows] == sorted({row["v"] for row in rows}, reverse=True)


def test_every_node_business_key_has_a_uniqueness_constraint(graph: Graph) -> None:
    migrate(graph.driver, graph.settings.neo4j_database)
    unique = {(c[2], c[3]) for c in schema_snapshot(graph)[0] if c[1] == "UNIQUENESS"}
    for model in NODE_MODELS:
        assert (str([model.label.value]), str([model.key])) in unique, model.__name__


def test_constraint_files_name_only_model_keys() -> None:
    text = "\n".join(p.read_text() for p in CONSTRAINTS_DIR.glob("*.cypher"))
    declared = set(re.findall(r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE", text))
    assert declared == {(m.label.value, m.key) for m in NODE_MODELS}


def test_chinese_fulltext_indexes_use_the_cjk_analyzer(graph: Graph) -> None:
    migrate(graph.driver, graph.settings.neo4j_database)
    rows = graph.run(
        "SHOW FULLTEXT INDEXES YIELD name, options "
        "RETURN name, options.indexConfig['fulltext.analyzer'] AS analyzer"
    )
    assert rows and all(row["analyzer"] == "cjk" for row in rows)
