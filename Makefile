# The README's two commands are `make demo` and `make test`; each sets up what it needs first.
# uv comes from PyPI into .tools/ and uses this machine's Python 3.11 (no Python downloads).
PYTHON ?= python3
UV := .tools/bin/uv
UV_VERSION := 0.13.8

.PHONY: demo test bytecode lint format neo4j graphiql desk-assets clean-local bench-cli bench-desk bench-api bench-load bench-reports bench-neo4j bench-plans

demo: .venv bytecode neo4j graphiql desk-assets  ## set up, start the local Neo4j, migrate, load the sample, serve API and desk (PORT=… to choose)
	.venv/bin/authreg demo $(if $(PORT),--port $(PORT))

# The suite's time is mostly its Neo4j planning and answering queries, one at a time: one pytest
# process per core (pytest-xdist), each with its own Neo4j, keeps every core busy. A worker that
# runs out of tests takes the rest of another's (worksteal). TEST_WORKERS=1: one process.
TEST_WORKERS ?= auto

test: .venv bytecode neo4j graphiql desk-assets  ## set up, run the whole suite against a real Neo4j (TEST_WORKERS=… processes, each with its own Neo4j)
	.venv/bin/pytest $(if $(filter 1,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal)

bench-cli: .venv  ## whole-process cost of `authreg --help` and one query (BASE=another checkout to compare)
	.venv/bin/python bench/cli_startup.py $(if $(BASE),--baseline $(BASE))

bench-desk: .venv neo4j  ## p50/p99 render time of the desk's authority and gap pages: sample and 100 synthetic counties
	.venv/bin/python bench/desk_render.py

bench-api: .venv  ## authority over HTTP beside the driver, as shipped and as before issue 16 (BASE=another checkout beside it, ARGS=… for more)
	.venv/bin/python bench/api_throughput.py --server serve --server before16 --cache off --cache on $(if $(BASE),--baseline $(BASE)) $(ARGS)

bench-load: .venv neo4j  ## a first load and an update: the loader (BASE=another checkout beside it) vs batched MERGE, naive loop (ARGS=…)
	.venv/bin/python bench/load_changes.py $(if $(BASE),--before $(BASE)) $(ARGS)

bench-neo4j: .venv neo4j  ## the local Neo4j's start, first load and questions, idle memory: old, lean and quick settings side by side (ARGS=…)
	.venv/bin/python bench/neo4j_start.py $(ARGS)

bench-plans: .venv neo4j  ## how long each read takes to plan (what the first question after a load waits for); BASE=another checkout beside it
	.venv/bin/python bench/plan_time.py $(if $(BASE),--baseline $(BASE)) $(ARGS)

bench-reports: .venv neo4j  ## staffing, duties and guide uptake (issue 17) on a bulk-imported 100-county synthetic graph (ARGS=…)
	.venv/bin/python bench/staffing_duties_guide.py $(ARGS)

lint: .venv  ## ruff, as CI runs it
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: .venv
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

neo4j: .venv  ## fetch the local Neo4j's jars from Maven Central (cached)
	.venv/bin/authreg db build

graphiql: .venv  ## GraphiQL's browser files from registry.npmjs.org, checked against pinned sha512
	.venv/bin/python -m graphql_api.graphiql fetch

desk-assets: .venv  ## the desk's ECharts from registry.npmjs.org, checked against its pinned sha512
	.venv/bin/python -m desk.assets fetch

$(UV):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is needed: set PYTHON=python3.11")'
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv: pyproject.toml uv.lock $(UV)
	UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --python $(PYTHON)
	@touch .venv

# Python's compiled modules (.pyc), written once here: where PYTHONDONTWRITEBYTECODE is set (these
# development machines, most container images) no process writes them, and each one compiles every
# module it imports again: ~1.3 s more for every `authreg` call, server worker and test
# subprocess (tests/queries/test_cli_queries.py: 161-165 s without, 87-135 s with, paired).
# Unchanged files are skipped (~1 s); a file edited later is compiled again as it is imported.
BYTECODE_DIRS := .venv/lib/python3.11/site-packages authreg graphql_api loaders queries schema desk synthetic

bytecode: .venv  ## compile the installed packages and the project's modules once (see above)
	.venv/bin/python -m compileall -q -j 0 $(BYTECODE_DIRS)

clean-local:  ## stop the local Neo4j and delete its data (asks nothing: be sure)
	-.venv/bin/authreg db stop
	rm -rf .local
