"""One terminal per state directory: a second one would share its journal."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(Exception):
    """Another process holds the lock; the message names the lock file."""


def hold_lock(path: Path) -> int:
    """Take an exclusive lock on `path` for as long as this process lives.

    Returns the file descriptor, which must stay open. The kernel drops the lock
    when the process ends, however it ends, so a crash never leaves it behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise AlreadyRunning(
            f"another process is already running with {path} (stop it first)"
        ) from None
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    return descriptor
