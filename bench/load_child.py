"""One load as `authreg load` does it, in a process of its own, from the checkout given.

    python bench/load_child.py ROOT NEO4J_URI PATH... → one line of JSON on stdout

ROOT goes first on sys.path, so `bench/load_changes.py --before DIR` runs another checkout's
loader (the code before a change) against the same server in the same run.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    root, uri, *paths = sys.argv[1:]
    sys.path.insert(0, root)
    from authreg.driver import connected
    from authreg.settings import load_settings
    from loaders.load import plan_load, write_plan
    from loaders.report import LoadReport

    settings = load_settings(neo4j_uri=uri)
    started = time.perf_counter()
    report = LoadReport()
    plan = plan_load([Path(p) for p in paths], report, need_metadata=True, workers=1)
    if report.errors:
        raise SystemExit(f"does not load: {report.errors[0].line()}")
    planned = time.perf_counter()
    with connected(settings) as driver:
        outcomes = write_plan(driver, settings.neo4j_database, plan)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": done - started,
                "plan_seconds": planned - started,
                "write_seconds": done - planned,
                "catalog_rows": sum(len(c.rows) for c in plan.catalogs),
                "files": len(outcomes),
                "said": [f"{name}: {outcome.describe()}" for name, outcome in outcomes],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
