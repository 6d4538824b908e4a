"""The API in several worker processes (多进程服务): uvicorn's supervisor, saying why a worker
died and ready only once every worker is.

uvicorn's supervisor pings each worker every half second and kills one that does not answer
within `timeout_worker_healthcheck` (5 s by default). Each worker is spawned afresh and imports
the whole API (3.6-3.8 s of CPU, then 0.2 s to build the app; `bench/serve_startup.py`): on a
loaded two-core machine that takes longer than 5 s, so workers were killed while starting, again
and again, with only "Child process died" at INFO (`--workers 2` never became ready in 300 s at
load average 32). Here the health check waits `HEALTHCHECK_S`, every death is logged at ERROR
with its reason (exit code, signal, or the missed health check), every worker's /readyz answers
503 until all workers have started, and the supervisor prints one line when they have.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

READY_FILE_ENV = "AUTHREG_SERVE_READY_FILE"  # where the supervisor says all workers are up
HEALTHCHECK_S = 30  # a worker silent this long is hung, not busy
log = logging.getLogger("uvicorn.error")


def serve_workers(
    host: str, port: int, workers: int, announce: Callable[[str], None] = print
) -> None:
    """Serve `graphql_api.app:create_app` in `workers` processes until interrupted; each
    worker builds the app from the environment (settings are read, never pickled)."""
    with TemporaryDirectory(prefix="authreg-serve-") as folder:
        ready_file = Path(folder) / "ready.json"
        os.environ[READY_FILE_ENV] = str(ready_file)  # inherited by the spawned workers
        config = uvicorn.Config(
            "graphql_api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=False,  # graphql_api.request_log writes one JSON line per request
            timeout_worker_healthcheck=HEALTHCHECK_S,
        )
        socket = config.bind_socket()
        Supervisor(config, [socket], ready_file, announce).run()


def workers_starting() -> str | None:
    """Why this worker is not ready yet because of its siblings (None: they are all up, or
    this process is not one of several workers)."""
    ready_file = os.environ.get(READY_FILE_ENV)
    if not ready_file or Path(ready_file).exists():
        return None
    return "the API's worker processes are still starting (工作进程启动中)"


class Supervisor(Multiprocess):
    def __init__(
        self,
        config: uvicorn.Config,
        sockets: list,
        ready_file: Path,
        announce: Callable[[str], None],
    ) -> None:
        super().__init__(config, sockets)
        self.ready_file, self.announce = ready_file, announce

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            reason = _why_dead(process, self.config.timeout_worker_healthcheck)
            if reason is None:
                continue
            process.kill()
            process.join()
            log.error(f"API worker [{process.pid}] died: {reason}")
            if process.exitcode == STARTUP_FAILURE:
                log.error(f"API worker [{process.pid}] could not start the app; stopping")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            replacement = Process(self.config, self.sockets)
            replacement.start()
            log.error(f"API worker [{replacement.pid}] started in its place")
            self.processes[index] = replacement
        self._note_ready()

    def _note_ready(self) -> None:
        if self.ready_file.exists():
            return
        if all(process.is_ready(timeout=1) for process in self.processes):
            count = len(self.processes)
            self.ready_file.write_text(json.dumps({"workers": count}))
            self.announce(f"API ready: all {count} worker processes are serving")


def _why_dead(process: Process, timeout: float) -> str | None:
    """Why the worker must be replaced, or None while it is alive and answering."""
    if not process.process.is_alive():
        code = process.process.exitcode
        if code is not None and code < 0:
            return f"killed by {signal.Signals(-code).name} (an out-of-memory kill shows so)"
        return f"exited with code {code}"
    if not process.ping(timeout):
        return f"did not answer the supervisor's health check within {timeout:g} s; killed"
    return None
