"""One host at a time for the periodic commands (reminders, overdue marking, backups).

Cron or a systemd timer may start the same command on every app host. On PostgreSQL
the command takes a session-level advisory lock named after it on its own database
connection; a second host that finds it held skips its run (exit status 0) instead
of sending the same reminders twice or writing a second backup over the first. The
lock goes with the session, so a command that dies never leaves it behind.

SQLite is the single-host installation: no lock is needed there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name``, the same on every host and release."""
    digest = hashlib.sha256(f"qianjiang_mediation:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def busy_message(name: str) -> str:
    return f"另一台主机正在运行 {name}，本次不执行。"


@contextmanager
def one_host_at_a_time(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Yield True when this process may run ``name``, False when another one holds it.

    The lock is released when the block ends (or with the session, if the process dies).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (acquired,) = cursor.fetchone()
    if not acquired:
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
