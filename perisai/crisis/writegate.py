"""One writer at a time on SQLite, waiting in the kernel rather than in SQLite's busy handler.

SQLite lets one connection write at a time; the others retry in its busy handler, which sleeps 1, 2, 5, 10,
... up to 100 ms between tries. Under a surge of check-ins from several server processes that sleeping, not
the writing, sets the pace (measured in docs/benchmarks-crisis.md). The check-in path therefore takes an
exclusive ``flock`` on a file beside the database (and a thread lock within the process) around its short
write transaction: waiters are woken the moment the lock is free, in order. A killed process releases its
lock with it. PostgreSQL needs none of this: the gate is open there.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_thread_lock = threading.Lock()
_files: dict[str, int] = {}


def _lock_file() -> int | None:
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
        return None
    fd = _files.get(name)
    if fd is None:
        fd = os.open(name + ".write-gate", os.O_RDWR | os.O_CREAT, 0o600)
        _files[name] = fd
    return fd


@contextmanager
def write_gate() -> Iterator[None]:
    """Hold around a short write transaction (enter before ``transaction.atomic``)."""
    fd = _lock_file() if not connection.in_atomic_block else None
    if fd is None:
        yield
        return
    with _thread_lock:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
