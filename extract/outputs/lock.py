"""One run at a time per output folder: a second run refuses with a clear message.

The lock is ``fcntl.flock`` on ``.extract.lock`` inside the output folder, so the operating
system releases it when the process ends, however it ends (no stale lock after a crash or
kill -9). The file stays, empty; it is not an output.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK = ".extract.lock"


class LockedError(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another run is writing to {directory}; wait until it has finished, or choose "
                              f"another --output") from None
        yield
    finally:
        os.close(fd)
