"""The desk's vendored browser files (办事台静态资源): pinned in desk_assets.toml, fetched once.

The same fetch-and-verify code as GraphiQL's (graphql_api.graphiql): npm tarballs checked against
their pinned sha512, only the listed files kept, in desk/static/vendor/. At run time the app only
reads that folder; a chart whose script is missing is left out and the page's tables still answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphql_api.graphiql import AssetError, fetch_assets, read_manifest

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "desk_assets.toml"
VENDOR_DIR = HERE / "static" / "vendor"
STATIC_DIR = HERE / "static"


def vendor_files(manifest: Path = MANIFEST) -> list[str]:
    """The local names of every pinned file (echarts.min.js, …)."""
    return [name for package in read_manifest(manifest) for name in package.files.values()]


def charts_present(directory: Path = VENDOR_DIR) -> bool:
    """Whether ECharts is on disk (pages then add their charts; without it, tables only)."""
    return (directory / "echarts.min.js").is_file()


def main(argv: list[str] | None = None) -> int:
    """`python -m desk.assets fetch [--target DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m desk.assets")
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download and verify the desk's files (一次联网)")
    fetch.add_argument("--target", type=Path, default=VENDOR_DIR)
    args = parser.parse_args(argv)
    try:
        paths = fetch_assets(args.target, manifest=MANIFEST, announce=print)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"desk assets ready in {args.target} ({len(paths)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
