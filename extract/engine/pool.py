"""What every local process pool of a run shares: how workers start and how they take signals."""

from __future__ import annotations

import multiprocessing
import signal
from multiprocessing.context import BaseContext


def context() -> BaseContext:
    """Fork where the system has it (workers inherit what the run built), else spawn."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def worker_signals() -> None:
    """In a worker: the parent handles Ctrl-C and SIGTERM and stops the pool; a worker just ends,
    without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
