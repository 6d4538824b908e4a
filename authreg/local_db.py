"""The local Neo4j (本地数据库): Neo4j 5.26 Community from Maven Central jars, on loopback.

We run the stock server main (`org.neo4j.server.CommunityEntryPoint`) rather than an embedded
main of our own: ordinary `neo4j.conf` semantics, the same server docker-compose runs, and no
Java code to keep. Maven only copies the jars (`authreg/neo4j_local/pom.xml`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from authreg.errors import ClassArchiveSkipped, LocalNeo4jError

MAVEN_PROJECT = Path(__file__).resolve().parent / "neo4j_local"
LIB_DIR = MAVEN_PROJECT / "target" / "lib"
_BUILD_STAMP = MAVEN_PROJECT / "target" / "pom.sha256"
SERVER_MAIN = "org.neo4j.server.CommunityEntryPoint"
ADMIN_MAIN = "org.neo4j.cli.AdminTool"
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
)
# The heap starts small and grows up to -Xmx; when the server is idle G1 collects every 10 s and
# gives back what it does not use, keeping at most 30 % free (an idle demo: ~250 MiB instead of
# ~450 MiB with -Xms = -Xmx; bench/neo4j_start.py).
IDLE_RELEASE_FLAGS = (
    "-XX:G1PeriodicGCInterval=10000",
    "-XX:MinHeapFreeRatio=10",
    "-XX:MaxHeapFreeRatio=30",
)
INITIAL_HEAP = "64m"
# Which of the JVM's two just-in-time compilers run. "quick": only C1, the client compiler. A
# fresh server spends most of its first minutes compiling Neo4j's own query planner with C2 (in
# a test run, 100-128 s of each server's CPU went to the C2 compiler threads against 78-208 s to
# the queries), so a short-lived local server (the demo, `db start` for a load and a few
# questions, a test session) is ready and done sooner with C1 alone, and smaller (no C2 arenas).
# "full": both tiers, the JVM's default: slower to warm up, faster after, for a server that
# stays up for days. bench/neo4j_start.py measures both.
# With C1 alone the JVM reserves only 48 MiB for compiled code (240 MiB with both tiers). Neo4j's
# planner needs more once a server has answered every kind of question (65 MiB after the query
# tests): at 48 MiB the cache filled, the JVM threw compiled code away and compiled it again
# (91,871 compilations against 40,315), and the same tests took 607 s against 491 s side by side
# (BENCHMARKS.md). So quick reserves what full does; memory is taken only as code is compiled.
JIT_FLAGS = {
    "quick": ("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m"),
    "full": (),
}
CLASS_ARCHIVE_DIR = MAVEN_PROJECT / "target" / "cds"
_STOP_TIMEOUT_S = 60.0
_ARCHIVE_STOP_TIMEOUT_S = 300.0  # a stop that writes the class-data archive (see below)


@dataclass(frozen=True)
class RunState:
    """What `start` records in run/authreg-neo4j.json so `stop` ends only its own process."""

    pid: int
    port: int
    home: str
    started_at: float

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class LocalNeo4j:
    """One Neo4j home folder: conf/, data/, logs/, run/; the jars are shared by all homes."""

    home: Path
    port: int
    password: str
    heap: str = "1g"
    pagecache: str = "256m"
    start_timeout_s: float = 180.0
    tx_log_rotation: str = "64M"
    lean: bool = True  # a small initial heap given back when idle, and the class-data archive
    class_archive_flag: str | None = None  # -XX:ArchiveClassesAtExit=… while recording it
    jit: str = "quick"  # a key of JIT_FLAGS
    extra_settings: tuple[tuple[str, str], ...] = ()  # neo4j.conf lines after the ones above

    def __post_init__(self) -> None:
        if self.jit not in JIT_FLAGS:
            raise ValueError(f"jit must be one of {', '.join(JIT_FLAGS)}, not {self.jit!r}")

    @property
    def state_file(self) -> Path:
        return self.home / "run" / "authreg-neo4j.json"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    # -- public operations ------------------------------------------------------------------

    def start(self, *, quiet_build: bool = True) -> tuple[RunState, bool]:
        """Start in the background and wait for Bolt; returns (state, started_now)."""
        running = self.running()
        if running is not None:
            return running, False
        java = _require(
            "java",
            "Java 17 is needed for the local Neo4j; install a JDK 17 "
            "(e.g. `apt install openjdk-17-jdk-headless`) or set NEO4J_URI",
        )
        build_jars(quiet=quiet_build)
        _check_port_free(self.port)
        self._write_config()
        if not (self.home / "data" / "dbms").exists():
            self._set_initial_password(java)
        return self._launch(java), True

    def stop(self, timeout_s: float = _STOP_TIMEOUT_S) -> RunState | None:
        """End the process `start` recorded (SIGTERM, a clean shutdown); None if none ran."""
        state = self.running()
        if state is None:
            return None
        os.kill(state.pid, signal.SIGTERM)
        if not _wait_gone(state.pid, timeout_s):
            os.kill(state.pid, signal.SIGKILL)
            _wait_gone(state.pid, 10)
            self.state_file.unlink(missing_ok=True)
            raise LocalNeo4jError(
                f"Neo4j (pid {state.pid}) did not shut down within {timeout_s:.0f} s and "
                "was killed; the next start will recover the store by itself"
            )
        self.state_file.unlink(missing_ok=True)
        return state

    def stop_quietly(self) -> None:
        """Stop whatever `start` left running, if anything: a cleanup that never raises."""
        with contextlib.suppress(LocalNeo4jError, ProcessLookupError):
            self.stop(timeout_s=10)

    def running(self) -> RunState | None:
        """The recorded process if it is alive and ours; a stale record is cleared."""
        try:
            raw = json.loads(self.state_file.read_text(encoding="utf-8"))
            state = RunState(**raw)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            self.state_file.unlink(missing_ok=True)
            return None
        if _is_our_server(state.pid, self.home):
            return state
        self.state_file.unlink(missing_ok=True)  # stale: the process crashed or was killed
        return None

    def admin_import_command(
        self, args: list[str], *, heap: str, off_heap: str, database: str = "neo4j"
    ) -> tuple[list[str], dict[str, str]]:
        """`neo4j-admin database import full` of these files into this home's `database`
        (replacing its store), as (command, environment); `admin_import` runs it."""
        java = _require("java", "Java 17 is needed for neo4j-admin import")
        build_jars()
        self._write_config()
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        command = [
            java,
            f"-Xmx{heap}",
            *JVM_FLAGS,
            "-cp",
            f"{LIB_DIR}/*",
            ADMIN_MAIN,
            *("database", "import", "full"),
            "--overwrite-destination=true",
            "--verbose",  # a failure names the file, line and cause in the log
            f"--max-off-heap-memory={off_heap}",
            f"--report-file={self.home / 'logs' / 'import.report'}",
            *args,
            database,
        ]
        return command, env

    def admin_import(self, args: list[str], *, heap: str, off_heap: str) -> str:
        """Run the import with the server stopped; its output, or an error with its tail."""
        if self.running() is not None:
            raise LocalNeo4jError("stop the local Neo4j before importing into it (authreg db stop)")
        command, env = self.admin_import_command(args, heap=heap, off_heap=off_heap)
        if not (self.home / "data" / "dbms").exists():  # a fresh home: its password first
            self._set_initial_password(command[0])
        log = self.home / "logs" / "import.log"
        with log.open("wb") as out:
            done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        text = log.read_text(encoding="utf-8", errors="replace")
        if done.returncode != 0:
            raise LocalNeo4jError(
                f"neo4j-admin import failed (exit {done.returncode}); the database may be left "
                f"empty: fix the cause and import again. Its log: {log}\n{text[-1500:]}"
            )
        return text

    def store_size_bytes(self) -> int:
        data = self.home / "data"
        return sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) if data.exists() else 0

    # -- steps ------------------------------------------------------------------------------

    def _write_config(self) -> None:
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "server.memory.pagecache.size": self.pagecache,
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            # With the add-opens flags Neo4j would preallocate 256 MiB of tx log per database.
            "db.tx_log.preallocate": "false",
            "db.tx_log.rotation.size": self.tx_log_rotation,
            # Default 5 s + 5 s waits for Bolt clients on shutdown; we own every client.
            "internal.server.bolt.connection_shutdown_wait_time": "0s",
            "internal.server.bolt.thread_pool_shutdown_wait_time": "0s",
            **dict(self.extra_settings),
        }
        lines = ["# Written by `authreg db start` from settings; edits are overwritten."]
        lines += [f"{key}={value}" for key, value in settings.items()]
        (self.home / "conf" / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _set_initial_password(self, java: str) -> None:
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        cmd = [
            java,
            "-cp",
            f"{LIB_DIR}/*",
            ADMIN_MAIN,
            "dbms",
            "set-initial-password",
            self.password,
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise LocalNeo4jError(f"Setting the local Neo4j's password failed: {detail[0]}")

    def server_command(self, java: str) -> list[str]:
        """The JVM command line `start` runs (memory, JIT, class-data archive, the server)."""
        return [
            java,
            *self._memory_flags(),
            *JIT_FLAGS[self.jit],
            *JVM_FLAGS,
            *class_archive_flags(java, self.class_archive_flag, use_archive=self.lean),
            "-cp",
            f"{LIB_DIR}/*",
            SERVER_MAIN,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]

    def _launch(self, java: str) -> RunState:
        log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        with self.console_log.open("ab") as console:
            proc = subprocess.Popen(
                self.server_command(java),
                stdout=console,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=self.home,
            )
        state = RunState(pid=proc.pid, port=self.port, home=str(self.home), started_at=time.time())
        self.state_file.write_text(json.dumps(asdict(state)), encoding="utf-8")
        try:
            self._wait_ready(proc, log_offset)
            self._check_password()
        except LocalNeo4jError:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            self.state_file.unlink(missing_ok=True)
            raise
        return state

    def _wait_ready(self, proc: subprocess.Popen[bytes], log_offset: int) -> None:
        # Poll the port and the log, never a login: ~3 failed logins rate-limit the user.
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise LocalNeo4jError(self._explain_exit(proc.returncode, log_offset))
            if _port_answers(self.port) and "Started." in self._log_since(log_offset):
                return
            time.sleep(0.25)
        raise LocalNeo4jError(
            f"The local Neo4j did not come up within {self.start_timeout_s:.0f} s; see "
            f"{self.log_file} (raise AUTHREG_LOCAL_START_TIMEOUT_S on a slow machine)"
        )

    def _memory_flags(self) -> list[str]:
        if not self.lean:
            return [f"-Xms{self.heap}", f"-Xmx{self.heap}"]
        initial = _smaller_size(INITIAL_HEAP, self.heap)
        return [f"-Xms{initial}", f"-Xmx{self.heap}", *IDLE_RELEASE_FLAGS]

    def _check_password(self) -> None:
        # One login, after Bolt is up: the store keeps the password of its first start.
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        uri = f"bolt://127.0.0.1:{self.port}"
        with GraphDatabase.driver(uri, auth=("neo4j", self.password)) as driver:
            try:
                driver.verify_connectivity()
            except AuthError:
                raise LocalNeo4jError(
                    f"The local store in {self.home} was first started with another password; "
                    "set NEO4J_PASSWORD to that one, or delete that folder to start afresh"
                ) from None

    def _log_since(self, offset: int) -> str:
        if not self.log_file.exists():
            return ""
        with self.log_file.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def _explain_exit(self, status: int, log_offset: int) -> str:
        text = self._log_since(log_offset) + _tail(self.console_log)
        if "lock" in text.lower() and ("FileLock" in text or "locked" in text):
            return (
                f"The data folder {self.home / 'data'} is locked by another Neo4j process; "
                "stop that process (or point AUTHREG_LOCAL_HOME elsewhere) and start again"
            )
        if "Address already in use" in text or "BindException" in text:
            return (
                f"Port {self.port} is taken by another process; free it or choose another "
                "with AUTHREG_LOCAL_PORT"
            )
        last = [ln for ln in text.splitlines() if "ERROR" in ln or "Exception" in ln][-1:]
        hint = f": {last[0].strip()[:300]}" if last else ""
        return (
            f"The local Neo4j exited with status {status} while starting{hint} "
            f"(see {self.log_file})"
        )


def build_jars(*, quiet: bool = True) -> Path:
    """Copy Neo4j's jars from Maven Central into target/lib once; cached by the pom's hash."""
    pom = MAVEN_PROJECT / "pom.xml"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    if LIB_DIR.is_dir() and _BUILD_STAMP.exists() and _BUILD_STAMP.read_text() == digest:
        return LIB_DIR
    mvn = _require(
        "mvn",
        "Maven is needed to fetch the local Neo4j's jars from Maven Central; "
        "install it (e.g. `apt install maven`) or set NEO4J_URI",
    )
    shutil.rmtree(LIB_DIR, ignore_errors=True)
    cmd = [mvn, "-B", *(["-q"] if quiet else []), "-f", str(pom), "package"]
    done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout or "").strip().splitlines()[-3:] if quiet else []
        raise LocalNeo4jError(
            "Maven could not build the local Neo4j (is Maven Central reachable?): "
            + (" / ".join(tail) or f"mvn exited with {done.returncode}")
        )
    _BUILD_STAMP.write_text(digest)
    return LIB_DIR


def build_class_archive(java: str | None = None) -> Path | None:
    """Record the classes a server start loads into an AppCDS archive (once per JDK and jar
    set): later starts map them instead of parsing ~200 jars again (about a third less CPU to
    ready, bench/neo4j_start.py). None when Java is missing; a failure leaves no archive and
    starts simply go without one."""
    java = java or shutil.which("java")
    if java is None:
        return None
    archive = class_archive_path(java)
    if archive.exists():
        return archive
    archive.parent.mkdir(parents=True, exist_ok=True)
    for stale in archive.parent.glob("*.jsa"):
        stale.unlink()
    partial = archive.with_suffix(".partial")
    with tempfile.TemporaryDirectory(prefix="authreg-cds-") as home:
        trainer = LocalNeo4j(
            home=Path(home),
            port=free_port(),
            password=secrets.token_hex(8),
            class_archive_flag=f"-XX:ArchiveClassesAtExit={partial}",
        )
        try:
            trainer.start()
            # The JVM writes the archive as it exits: on a busy machine that alone can take
            # longer than a plain stop is given.
            trainer.stop(timeout_s=_ARCHIVE_STOP_TIMEOUT_S)
        except LocalNeo4jError as exc:
            trainer.stop_quietly()
            partial.unlink(missing_ok=True)
            raise ClassArchiveSkipped(f"the recording start failed: {exc}") from exc
    if not partial.exists():
        return None
    partial.rename(archive)
    return archive


def class_archive_path(java: str) -> Path:
    """Where the archive for this JDK and these jars lives: an archive made by another JDK or
    for other jars is refused by the JVM, so the name carries both."""
    version = subprocess.run(
        [java, "-Xshare:off", "-version"], capture_output=True, text=True, check=False
    ).stderr
    stamp = _BUILD_STAMP.read_text() if _BUILD_STAMP.exists() else ""
    key = hashlib.sha256(f"{version}\n{stamp}".encode()).hexdigest()[:16]
    return CLASS_ARCHIVE_DIR / f"neo4j-{key}.jsa"


def class_archive_flags(java: str, explicit: str | None, *, use_archive: bool) -> list[str]:
    """The JVM flag that uses the archive `db build` made, when there is one for this JDK."""
    if explicit is not None:
        return [explicit]
    if not use_archive or not CLASS_ARCHIVE_DIR.is_dir():
        return []
    archive = class_archive_path(java)
    return [f"-XX:SharedArchiveFile={archive}"] if archive.exists() else []


def free_port() -> int:
    """A loopback port nobody listens on now (for a test session's own Neo4j)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _smaller_size(first: str, second: str) -> str:
    """The smaller of two JVM sizes (`64m`, `1g`): -Xms may not exceed -Xmx."""
    return first if _size_bytes(first) <= _size_bytes(second) else second


def _size_bytes(size: str) -> int:
    units = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
    text = size.strip().lower()
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def _require(program: str, advice: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise LocalNeo4jError(f"`{program}` was not found on PATH. {advice}")
    return found


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the JVM does: a port whose last connections linger in TIME_WAIT is free to listen on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise LocalNeo4jError(
                f"Port {port} on 127.0.0.1 is taken by another process; stop it or choose "
                "another port with AUTHREG_LOCAL_PORT"
            ) from None


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _is_our_server(pid: int, home: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    args = [part.decode("utf-8", "replace") for part in cmdline]
    return SERVER_MAIN in args and f"--home-dir={home}" in args


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child (the test session); harmless otherwise.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        if not Path(f"/proc/{pid}").exists() or _is_zombie(pid):
            return True
        time.sleep(0.1)
    return False


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def _tail(path: Path, size: int = 4000) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read().decode("utf-8", "replace")
