"""Uploads kept between their preview and its confirmation (预览暂存): the file that is loaded
is the file that was previewed, by the session that previewed it, while the graph is unchanged.

Each preview's file is kept under a random token in a folder of the machine's temporary
directory named for this user (shared by the app's workers; a folder not a directory owned by
this user with mode 0700 is refused, never used) with what the preview saw:
the form's metadata, the file's SHA-256 and size, the graph's write counter, and a digest of
the session (its CSRF token and key) that may confirm it. A kept file expires after
PREVIEW_MAX_AGE_S; at most MAX_KEPT are kept, the oldest dropped first, and at most
MAX_PER_KEY of one key's (its own oldest first), so one editor cannot evict the others'.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.session import Visit
from desk.web import DeskError
from queries.graph_generation import GraphGeneration

PREVIEW_MAX_AGE_S = 30 * 60  # a clerk reads the preview, then confirms: half an hour is ample
MAX_KEPT = 64
MAX_PER_KEY = 8  # previews one key (one editor, any number of sessions) may keep at once
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Kept:
    """A previewed upload waiting for its confirmation."""

    token: str
    file: Path
    name: str
    sha256: str
    form: dict[str, str]
    generation: GraphGeneration


def session_digest(visit: Visit) -> str:
    """Who may confirm: this session (its CSRF token) signed in with this key."""
    return hashlib.sha256(f"{visit.csrf}|{visit.digest}".encode()).hexdigest()


def key_digest(visit: Visit) -> str:
    """Whose previews: the key signed in with, over all its sessions."""
    return hashlib.sha256(f"key|{visit.digest}".encode()).hexdigest()


class PreviewStore:
    """The kept uploads, one folder per token."""

    def __init__(self, folder: Path | None = None) -> None:
        default = Path(tempfile.gettempdir()) / f"authreg-desk-previews-{os.getuid()}"
        self.folder = folder or default

    def keep(
        self, staged: Path, *, visit: Visit, form: dict[str, str], generation: GraphGeneration
    ) -> str:
        """Keep `staged` for `visit` to confirm; its token."""
        self._private()
        self._expire(key_digest(visit))
        token = secrets.token_urlsafe(24)
        place = self.folder / token
        place.mkdir(mode=0o700)
        shutil.copyfile(staged, place / "upload")
        record = {
            "name": staged.name,
            "sha256": _sha256(staged),
            "size": staged.stat().st_size,
            "created": time.time(),
            "session": session_digest(visit),
            "key": key_digest(visit),
            "form": form,
            "generation": generation.model_dump(mode="json"),
        }
        (place / "preview.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        return token

    def take(self, token: str, visit: Visit) -> Kept:
        """The kept upload of `token`, if this session previewed it, in time and unaltered."""
        self._private()
        record = self._record(token)
        if record is None:
            raise DeskError("找不到这次预览（已载入、已放弃或已过期）：请重新上传并预览。")
        if record["session"] != session_digest(visit):
            raise DeskError("这次预览不属于当前会话：请在本会话中重新上传并预览。")
        if time.time() - record["created"] > PREVIEW_MAX_AGE_S:
            self.discard(token)
            minutes = PREVIEW_MAX_AGE_S // 60
            raise DeskError(f"预览已超过 {minutes} 分钟，已作废：请重新上传并预览。")
        file = self.folder / token / "upload"
        if file.stat().st_size != record["size"] or _sha256(file) != record["sha256"]:
            self.discard(token)
            raise DeskError("暂存的文件与预览时的文件不一致，未载入任何内容：请重新上传并预览。")
        return Kept(
            token=token,
            file=file,
            name=record["name"],
            sha256=record["sha256"],
            form=record["form"],
            generation=GraphGeneration.model_validate(record["generation"]),
        )

    def discard(self, token: str) -> None:
        if _TOKEN.match(token):
            shutil.rmtree(self.folder / token, ignore_errors=True)

    def _record(self, token: str) -> dict[str, Any] | None:
        if not _TOKEN.match(token or ""):
            return None
        path = self.folder / token / "preview.json"
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def _private(self) -> None:
        """Create the folder (mode 0700) or check the one found is this user's alone: files
        another user could read or replace are never kept or loaded."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = self.folder.lstat()
        if (
            not stat.S_ISDIR(found.st_mode)
            or found.st_uid != os.getuid()
            or stat.S_IMODE(found.st_mode) & 0o077
        ):
            raise DeskError(
                f"暂存预览的文件夹 {self.folder} 不是本服务用户独有（须为本用户所有、权限 0700 的"
                "文件夹），为免他人读取或替换上传文件，不予使用：请管理员删除它或改正权限。"
            )

    def _expire(self, key: str) -> None:
        """Drop expired previews, then this key's oldest beyond MAX_PER_KEY - 1, then the oldest
        beyond MAX_KEPT - 1 (room for a new one)."""
        places = [p for p in self.folder.iterdir() if p.is_dir() and _TOKEN.match(p.name)]
        places.sort(key=lambda p: p.stat().st_mtime)
        now = time.time()
        for place in places:
            if now - place.stat().st_mtime > PREVIEW_MAX_AGE_S:
                shutil.rmtree(place, ignore_errors=True)
        living = [p for p in places if p.exists()]
        own = [p for p in living if (self._record(p.name) or {}).get("key") == key]
        for place in own[: max(0, len(own) - (MAX_PER_KEY - 1))]:
            shutil.rmtree(place, ignore_errors=True)
        living = [p for p in living if p.exists()]
        for place in living[: max(0, len(living) - (MAX_KEPT - 1))]:
            shutil.rmtree(place, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
