"""Leases: which `serve` process holds a long connection (one per bot).

PostgreSQL: a session-level advisory lock held on a dedicated connection. It goes away with
that session: at once when the holding process exits or crashes (the socket closes), and
within about a minute when its machine or network dies, because the session asks the
server for TCP keepalives of 20 s × 3 probes 10 s apart. Standby processes retry every few
seconds, so one of them takes over within a minute.

SQLite (one machine): an exclusive `flock` on a file in the data directory, released by the
kernel when the holder exits.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from pathlib import Path

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PgAdvisoryLease:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self._conn: Connection | None = None

    def _acquire(self) -> bool:
        if self._conn is not None and self._held():
            return True
        self._drop()
        conn = self.engine.connect()
        try:
            for setting, value in (
                ("tcp_keepalives_idle", 20),
                ("tcp_keepalives_interval", 10),
                ("tcp_keepalives_count", 3),
            ):
                conn.execute(text(f"SET {setting} = {int(value)}"))
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            )
            conn.commit()
        except Exception:
            conn.invalidate()
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        log.info("lease %s taken (pid %s)", self.name, os.getpid())
        return True

    def _held(self) -> bool:
        if self._conn is None:
            return False
        try:
            n = self._conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND objsubid = 1 "
                    "AND classid::text::bigint = :hi AND objid::text::bigint = :lo"
                ),
                {"hi": (self.key >> 32) & 0xFFFFFFFF, "lo": self.key & 0xFFFFFFFF},
            ).scalar()
            self._conn.commit()
            return bool(n)
        except Exception:
            self._drop()
            return False

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # never hand a locked session back to the pool
                conn.close()
            except Exception:
                log.debug("closing the lease session", exc_info=True)

    async def acquire(self) -> bool:
        return await asyncio.to_thread(self._acquire)

    async def held(self) -> bool:
        return await asyncio.to_thread(self._held)

    async def release(self) -> None:
        await asyncio.to_thread(self._drop)


class FileLease:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def _acquire(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    async def acquire(self) -> bool:
        return self._acquire()

    async def held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def make_lease(engine: Engine, name: str, data_dir: Path):
    if engine.dialect.name == "postgresql":
        return PgAdvisoryLease(engine, name)
    safe = "".join(c if c.isalnum() else "_" for c in name)
    return FileLease(Path(data_dir) / f"{safe}.lock")
