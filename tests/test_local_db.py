"""`authreg db start|stop|status` on a Neo4j of its own, as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from authreg.driver import local_neo4j
from authreg.errors import ConfigError
from authreg.local_db import LocalNeo4j, build_jars, class_archive_path, free_port
from authreg.settings import load_settings

AUTHREG = str(Path(sys.executable).with_name("authreg"))
PASSWORD = "lifecycle-password"


def cli(home: Path, port: int, *args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AUTHREG_"))}
    env.update(
        AUTHREG_LOCAL_HOME=str(home),
        AUTHREG_LOCAL_PORT=str(port),
        AUTHREG_LOCAL_HEAP="512m",
        AUTHREG_LOCAL_PAGECACHE="32m",
        NEO4J_PASSWORD=PASSWORD,
        COLUMNS="200",
    )
    env.update(env_overrides)
    return subprocess.run(
        [AUTHREG, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def assert_one_clear_line(done: subprocess.CompletedProcess, *phrases: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, done.stderr


@pytest.fixture(scope="module")
def jars() -> None:
    build_jars()


@pytest.fixture
def home(tmp_path: Path, jars: None) -> Path:
    return tmp_path / "neo4j"


def test_start_twice_status_stop_leaves_no_process(home: Path) -> None:
    port = free_port()
    first = cli(home, port, "db", "start")
    assert first.returncode == 0, first.stderr
    pid = json.loads((home / "run" / "authreg-neo4j.json").read_text())["pid"]
    second = cli(home, port, "db", "start")
    assert second.returncode == 0 and "already running" in second.stdout
    assert cli(home, port, "migrate").returncode == 0
    assert cli(home, port, "migrate").returncode == 0
    status = cli(home, port, "db", "status")
    assert status.returncode == 0 and "up to date" in status.stdout, status.stdout
    assert cli(home, port, "db", "stop").returncode == 0
    assert not running(pid)
    stopped = cli(home, port, "db", "status")
    assert stopped.returncode == 3 and "not running" in stopped.stdout


def test_clean_stop_reopens_without_recovery(home: Path) -> None:
    port = free_port()
    assert cli(home, port, "db", "start").returncode == 0
    assert cli(home, port, "migrate").returncode == 0
    assert cli(home, port, "db", "stop").returncode == 0
    assert cli(home, port, "db", "start").returncode == 0
    try:
        log = (home / "logs" / "debug.log").read_text(errors="replace")
        assert "Recovery required" not in log and "recovery completed" not in log.lower()
        assert "up to date" in cli(home, port, "db", "status").stdout
    finally:
        cli(home, port, "db", "stop")


def test_stale_pid_file_after_a_crash_is_cleared(home: Path) -> None:
    (home / "run").mkdir(parents=True)
    state = {"pid": 999_999, "port": 1, "home": str(home), "started_at": 0.0}
    (home / "run" / "authreg-neo4j.json").write_text(json.dumps(state))
    status = cli(home, free_port(), "db", "status")
    assert status.returncode == 3 and "not running" in status.stdout
    assert not (home / "run" / "authreg-neo4j.json").exists()


def test_taken_port_is_named(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli(home, port, "db", "start")
    assert_one_clear_line(done, f"Port {port}", "AUTHREG_LOCAL_PORT")


def test_missing_java_is_named(home: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    done = cli(home, free_port(), "db", "start", PATH=str(bare))
    assert_one_clear_line(done, "`java` was not found", "NEO4J_URI")


def test_unreachable_uri_is_named(home: Path) -> None:
    done = cli(home, free_port(), "migrate", NEO4J_URI="bolt://127.0.0.1:9")
    assert_one_clear_line(done, "not reachable at bolt://127.0.0.1:9", "NEO4J_URI")


def test_start_timeout_is_named_and_leaves_nothing_running(home: Path) -> None:
    done = cli(home, free_port(), "db", "start", AUTHREG_LOCAL_START_TIMEOUT_S="0.5")
    assert_one_clear_line(done, "did not come up within")
    assert not (home / "run" / "authreg-neo4j.json").exists()


def test_wrong_password_and_locked_data_folder_are_named(home: Path) -> None:
    port = free_port()
    assert cli(home, port, "db", "start").returncode == 0
    try:
        state_file = home / "run" / "authreg-neo4j.json"
        saved = state_file.read_text()
        state_file.unlink()  # as if someone started a second server on the same folder
        locked = LocalNeo4j(
            home=home, port=free_port(), password=PASSWORD, heap="512m", pagecache="32m"
        )
        with pytest.raises(Exception, match="locked by another Neo4j process"):
            locked.start()
        state_file.write_text(saved)
        wrong = cli(home, port, "migrate", NEO4J_PASSWORD="not-the-password")
        assert_one_clear_line(wrong, "refused user 'neo4j'", "NEO4J_PASSWORD")
    finally:
        cli(home, port, "db", "stop")
    restarted = cli(home, port, "db", "start", NEO4J_PASSWORD="not-the-password")
    assert_one_clear_line(restarted, "first started with another password")


def test_short_password_is_a_setting_error(home: Path) -> None:
    done = cli(home, free_port(), "db", "status", NEO4J_PASSWORD="short")
    assert_one_clear_line(done, "at least 8 characters")


def test_missing_maven_is_named_when_jars_must_be_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from authreg import local_db

    project = tmp_path / "neo4j_local"
    project.mkdir()
    (project / "pom.xml").write_text("<project/>")
    monkeypatch.setattr(local_db, "MAVEN_PROJECT", project)
    monkeypatch.setattr(local_db, "LIB_DIR", project / "target" / "lib")
    monkeypatch.setattr(local_db, "_BUILD_STAMP", project / "target" / "pom.sha256")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(local_db.LocalNeo4jError, match="`mvn` was not found"):
        local_db.build_jars()


# ---- lean start (issue 16.8) -----------------------------------------------------------------


def test_the_tests_neo4j_starts_with_a_small_growing_heap_and_the_class_archive(
    neo4j_settings,
) -> None:
    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI points at a server this suite did not start")
    state = json.loads((neo4j_settings.local_home / "run" / "authreg-neo4j.json").read_text())
    args = Path(f"/proc/{state['pid']}/cmdline").read_bytes().decode().split("\0")
    assert "-Xms64m" in args and "-Xmx1g" in args
    assert "-XX:G1PeriodicGCInterval=10000" in args
    assert ("-XX:TieredStopAtLevel=1" in args) == (os.environ.get("AUTHREG_TEST_JIT") == "quick")
    archive = class_archive_path(shutil.which("java") or "java")
    if archive.exists():  # `make test` runs `authreg db build`, which records it
        assert f"-XX:SharedArchiveFile={archive}" in args


def test_the_tests_neo4j_plans_again_only_when_the_plans_are_dropped(neo4j_settings) -> None:
    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI points at a server this suite did not start")
    conf = (neo4j_settings.local_home / "conf" / "neo4j.conf").read_text().splitlines()
    assert "dbms.cypher.min_replan_interval=1h" in conf


def test_an_unusable_class_archive_does_not_stop_a_start(home: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jsa"
    garbage.write_bytes(b"not a class-data archive")
    server = LocalNeo4j(
        home=home,
        port=free_port(),
        password=PASSWORD,
        heap="512m",
        pagecache="32m",
        class_archive_flag=f"-XX:SharedArchiveFile={garbage}",
    )
    state, _ = server.start()
    try:
        assert running(state.pid)
    finally:
        server.stop()


def test_the_jit_setting_chooses_the_compilers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTHREG_LOCAL_JIT", "full")
    full = local_neo4j(load_settings()).server_command("java")
    assert not [flag for flag in full if flag.startswith("-XX:TieredStopAtLevel")]
    monkeypatch.setenv("AUTHREG_LOCAL_JIT", "quick")
    quick = local_neo4j(load_settings()).server_command("java")
    assert "-XX:TieredStopAtLevel=1" in quick
    # C1 alone would reserve 48 MiB for compiled code, less than Neo4j's planner fills
    assert "-XX:ReservedCodeCacheSize=240m" in quick
    monkeypatch.setenv("AUTHREG_LOCAL_JIT", "fast")
    with pytest.raises(ConfigError, match="local_jit: Input should be 'quick' or 'full'"):
        load_settings()
    with pytest.raises(ValueError, match="jit must be one of quick, full, not 'C2'"):
        LocalNeo4j(home=Path("/nonexistent"), port=1, password=PASSWORD, jit="C2")


def test_old_settings_keep_the_heap_fixed() -> None:
    old = LocalNeo4j(home=Path("/nonexistent"), port=1, password=PASSWORD, heap="2g", lean=False)
    assert old._memory_flags() == ["-Xms2g", "-Xmx2g"]
    tiny = LocalNeo4j(home=Path("/nonexistent"), port=1, password=PASSWORD, heap="32m")
    assert tiny._memory_flags()[:2] == ["-Xms32m", "-Xmx32m"]  # -Xms never above -Xmx


def test_a_class_archive_that_cannot_be_recorded_does_not_fail_db_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI once failed at `make neo4j`: on a busy machine the recording JVM took more than the
    # stop timeout to write the archive as it exited, and `db build` failed with it. Here the
    # stop is given no time at all, so the recording start always fails the same way.
    from typer.testing import CliRunner

    import authreg.local_db
    from authreg.cli import app

    monkeypatch.setattr(authreg.local_db, "CLASS_ARCHIVE_DIR", tmp_path / "cds")
    monkeypatch.setattr(authreg.local_db, "_ARCHIVE_STOP_TIMEOUT_S", 0.0)
    result = CliRunner().invoke(app, ["db", "build"])
    assert result.exit_code == 0, result.output
    assert "No class-data archive (the recording start failed" in result.output
    assert "authreg db build` tries again" in result.output
    assert not list((tmp_path / "cds").glob("*")), "no archive and no partial one left"


PROBE = """
import os, pathlib, time

def test_holds_the_session_neo4j(neo4j_settings):
    pathlib.Path(os.environ["PROBE_OUT"]).write_text(str(neo4j_settings.local_home))
    time.sleep(600)
"""


def test_a_test_run_ended_by_sigterm_stops_its_neo4j(tmp_path: Path, jars: None) -> None:
    """`timeout`, CI runners and `kill` end a run with SIGTERM: the session's Neo4j must stop
    with it (it used to run on, orphaned, for hours)."""
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    out = tmp_path / "home.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AUTHREG_"))}
    env["PROBE_OUT"] = str(out)
    probe = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest"]
    probe += ["--rootdir", str(tmp_path), "--basetemp", str(tmp_path / "base")]
    run = subprocess.Popen(
        [*probe, str(tmp_path / "test_probe.py")],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    state = None
    try:
        waited = 0
        while not out.exists() and run.poll() is None and waited < 600:
            time.sleep(1)
            waited += 1
        assert out.exists(), run.communicate()[0].decode() if run.poll() is not None else waited
        state = LocalNeo4j(home=Path(out.read_text()), port=0, password=PASSWORD).running()
        assert state is not None and running(state.pid), "the probe's Neo4j runs while it waits"
        run.terminate()
        run.wait(timeout=300)
        assert not running(state.pid), "SIGTERM to the test run left its Neo4j running"
    finally:
        if run.poll() is None:
            run.kill()
        if state is not None and running(state.pid):  # a failure here leaves no orphan either
            os.kill(state.pid, signal.SIGKILL)
