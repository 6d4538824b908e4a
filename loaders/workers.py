"""Forked worker processes for the loaders' CPU-bound steps (多进程), where they can be had."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import current_process, get_all_start_methods, get_context


def fork_pool(workers: int, jobs: int) -> ProcessPoolExecutor | None:
    """A pool of `workers` forked processes for `jobs` jobs, or None — do the work in this
    process — when one worker is asked, there are fewer than two jobs per worker, the platform
    has no fork, or this process is itself a daemonic worker (a multiprocessing.Pool's: it may
    not have children).

    Forked workers start as copies of this process: nothing is re-imported, and only the jobs'
    arguments and results are pickled. Fork before a driver or a display thread exists.
    """
    if workers <= 1 or jobs < 2 * workers:
        return None
    if "fork" not in get_all_start_methods() or current_process().daemon:
        return None
    return ProcessPoolExecutor(workers, mp_context=get_context("fork"))
