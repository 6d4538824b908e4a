"""GraphiQL served from the app itself (GraphiQL 查询界面): the page, its local files, their fetcher.

Government intranets reach no CDN, so the browser files come from pinned npm tarballs
(graphiql_assets.toml), fetched once with `python -m graphql_api.graphiql fetch`, checked
against their sha512 and kept in graphql_api/static/graphiql/. At run time the app only reads
that folder; when it is empty the app shows `missing_assets_page()`, never a CDN fallback.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import html
import io
import json
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from authreg.errors import RegistryError

HERE = Path(__file__).resolve().parent
ASSETS_DIR = HERE / "static" / "graphiql"
MANIFEST = HERE / "graphiql_assets.toml"
LOCK_NAME = "assets.lock.json"  # sha256 of each extracted file, so a re-run reads no network
REGISTRY = "https://registry.npmjs.org"
FETCH_COMMAND = "python -m graphql_api.graphiql fetch"
DEFAULT_HEADERS = '{\n  "X-API-Key": ""\n}'


class AssetError(RegistryError):
    """GraphiQL's files could not be fetched, or a tarball is not the one pinned."""


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm tarball and the files taken from it (path in package/ → local name)."""

    name: str
    version: str
    integrity: str
    files: dict[str, str]

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def tarball_url(self, registry: str = REGISTRY) -> str:
        basename = self.name.rsplit("/", 1)[-1]  # @graphiql/plugin-explorer → plugin-explorer
        return f"{registry}/{self.name}/-/{basename}-{self.version}.tgz"


def fetch_assets(
    target_dir: Path = ASSETS_DIR,
    *,
    manifest: Path = MANIFEST,
    registry: str = REGISTRY,
    announce: Callable[[str], object] = lambda _: None,
) -> list[Path]:
    """Put every pinned file in target_dir, downloading only what is missing or altered."""
    target_dir.mkdir(parents=True, exist_ok=True)
    lock = _read_lock(target_dir)
    paths: list[Path] = []
    for package in read_manifest(manifest):
        if not _in_place(package, target_dir, lock.get(package.key)):
            url = package.tarball_url(registry)
            announce(f"fetching {package.key} from {url}")
            tarball = _download(url)
            verify_integrity(tarball, package.integrity, source=url)
            lock[package.key] = {
                "integrity": package.integrity,
                "files": _extract(package, tarball, target_dir),
            }
            _write_lock(target_dir, lock)
        paths += [target_dir / name for name in package.files.values()]
    return paths


def verify_integrity(tarball: bytes, integrity: str, *, source: str) -> None:
    """Refuse a tarball whose sha512 is not the pinned npm `integrity` (sha512-<base64>)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise AssetError(f"{source}: pinned integrity must be sha512-<base64>, got {integrity!r}")
    found = base64.b64encode(hashlib.sha512(tarball).digest()).decode("ascii")
    if found != expected:
        raise AssetError(f"{source}: sha512 is {found}, pinned {expected}; the download is refused")


def read_manifest(path: Path = MANIFEST) -> list[NpmPackage]:
    """The pinned packages of graphiql_assets.toml."""
    packages = [NpmPackage(**entry) for entry in tomllib.loads(path.read_text())["package"]]
    for package in packages:
        for name in package.files.values():
            if Path(name).name != name:
                raise AssetError(f"{path.name}: {package.key} file name {name!r} is not plain")
    return packages


def assets_present(directory: Path = ASSETS_DIR) -> bool:
    """Whether every file the page needs is on disk (checked cheaply: existence only)."""
    return all(
        (directory / name).is_file()
        for package in read_manifest()
        for name in package.files.values()
    )


def mount_graphiql(
    app: FastAPI, *, path: str = "/graphiql-assets", directory: Path = ASSETS_DIR
) -> None:
    """Serve the assets folder at `path`; an absent folder is created, so the mount never fails."""
    # On a read-only install the folder may stay absent: assets_present() is False then.
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
    app.mount(
        path,
        StaticFiles(directory=directory, check_dir=False),
        name="graphiql-assets",
    )


def graphiql_page(assets_url: str, endpoint: str, default_query: str) -> str:
    """The GraphiQL page: every script and style from assets_url, queries sent to endpoint."""
    return _PAGE.substitute(
        assets=html.escape(assets_url.rstrip("/"), quote=True),
        endpoint=_script_json(endpoint),
        default_query=_script_json(default_query),
        default_headers=_script_json(DEFAULT_HEADERS),
    )


def missing_assets_page() -> str:
    """A plain page in place of GraphiQL while its files are not fetched."""
    return _MISSING_PAGE.substitute(command=html.escape(FETCH_COMMAND))


def main(argv: list[str] | None = None) -> int:
    """`python -m graphql_api.graphiql fetch [--target DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m graphql_api.graphiql")
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download and verify GraphiQL's files (一次联网)")
    fetch.add_argument("--target", type=Path, default=ASSETS_DIR)
    args = parser.parse_args(argv)
    try:
        paths = fetch_assets(args.target, announce=print)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"GraphiQL assets ready in {args.target} ({len(paths)} files)")
    return 0


def _in_place(package: NpmPackage, target_dir: Path, locked: dict | None) -> bool:
    if not locked or locked.get("integrity") != package.integrity:
        return False
    sums = locked.get("files", {})
    return all(
        (target_dir / name).is_file() and _sha256(target_dir / name) == sums.get(name)
        for name in package.files.values()
    )


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise AssetError(
            f"could not download {url} ({exc}); fetching needs registry.npmjs.org once, "
            "or copy graphql_api/static/graphiql/ from a machine that has fetched it"
        ) from exc


def _extract(package: NpmPackage, tarball: bytes, target_dir: Path) -> dict[str, str]:
    """Copy only the listed files out of the tarball; return their sha256 by local name."""
    sums: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for inner, name in package.files.items():
            try:
                member = archive.getmember(f"package/{inner}")
            except KeyError:
                raise AssetError(f"{package.key}: package/{inner} is not in the tarball") from None
            source = archive.extractfile(member) if member.isfile() else None
            if source is None:
                raise AssetError(f"{package.key}: package/{inner} is not a regular file")
            content = source.read()
            partial = target_dir / f"{name}.part"
            partial.write_bytes(content)
            partial.replace(target_dir / name)  # never a half-written file under the real name
            sums[name] = hashlib.sha256(content).hexdigest()
    return sums


def _read_lock(target_dir: Path) -> dict:
    try:
        return json.loads((target_dir / LOCK_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _write_lock(target_dir: Path, lock: dict) -> None:
    (target_dir / LOCK_NAME).write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _script_json(value: str) -> str:
    """A JS string literal that cannot close the <script> element it sits in."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# No favicon request (data:,) and no absolute URL anywhere: the page must work offline.
_PAGE = Template("""<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>综合行政执法事项登记 GraphQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="$assets/graphiql.min.css" />
    <link rel="stylesheet" href="$assets/plugin-explorer.css" />
    <style>
      body { margin: 0; height: 100%; overflow: hidden; }
      #graphiql { height: 100vh; }
    </style>
    <script src="$assets/react.production.min.js"></script>
    <script src="$assets/react-dom.production.min.js"></script>
    <script src="$assets/graphiql.min.js"></script>
    <script src="$assets/plugin-explorer.umd.js"></script>
  </head>
  <body>
    <div id="graphiql">加载中 (Loading)…</div>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: $endpoint });
      const explorer = GraphiQLPluginExplorer.explorerPlugin();
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: $default_query,
          defaultHeaders: $default_headers,
          defaultEditorToolsVisibility: "headers",
          isHeadersEditorEnabled: true,
          // An API key must not stay behind in a shared office browser's storage.
          shouldPersistHeaders: false,
          plugins: [explorer],
        }),
      );
    </script>
  </body>
</html>
""")

_MISSING_PAGE = Template("""<!doctype html>
<html lang="zh-CN">
  <head><meta charset="utf-8" /><title>综合行政执法事项登记 GraphQL</title></head>
  <body>
    <h1>GraphiQL 未安装 (GraphiQL assets are not installed)</h1>
    <p>The GraphQL endpoint works; only the in-browser editor is missing. On a machine that
    reaches registry.npmjs.org, run <code>$command</code> (or the Makefile target that calls it),
    or copy <code>graphql_api/static/graphiql/</code> from one that has.</p>
  </body>
</html>
""")

if __name__ == "__main__":
    raise SystemExit(main())
