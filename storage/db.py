"""Engine, sessions and migrations.

SQLite is the embedded default (WAL, busy timeout, foreign keys on); PostgreSQL is the
scale-out path where several stateless webhook workers share one database.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic (with mako) costs a serving process ~10 MB: it is imported only to migrate, and
# `serve` migrates in a child process. Reading the revision needs no alembic.
_REVISION_RX = re.compile(r"^(down_revision|revision)\s*=\s*(.+)$", re.M)


def normalize_url(url: str) -> str:
    """Accept plain postgres URLs and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


SQLITE_SYNCHRONOUS = ("FULL", "EXTRA", "NORMAL", "OFF")


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 5000,
    echo: bool = False,
    pool_size: int = 5,
    sqlite_synchronous: str = "FULL",
) -> Engine:
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        sync = sqlite_synchronous.upper()
        if sync not in SQLITE_SYNCHRONOUS:
            raise ValueError(
                f"database.sqlite_synchronous 只能是 {'/'.join(SQLITE_SYNCHRONOUS)},"
                f"不是 {sqlite_synchronous!r}"
            )
        db = u.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            # WAL lets readers run beside the one writer; busy_timeout makes a second
            # writer wait instead of failing at once with "database is locked".
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.execute("PRAGMA foreign_keys=ON")
            # FULL: a commit is on disk before the platform gets its 200, so a power loss
            # cannot lose a message already answered (NORMAL in WAL survives a process
            # crash, not a power cut, and the platform will not resend). With group commit
            # one fsync serves every message of a batch, so FULL costs next to nothing.
            cur.execute(f"PRAGMA synchronous={sync}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # pysqlite's default deferred BEGIN upgrades to a write lock mid-transaction,
            # which fails instantly (no busy wait) when another writer got there first.
            # BEGIN IMMEDIATE takes the write lock up front, so busy_timeout applies.
            # Read-only work (see `reader`) begins deferred and never blocks a writer.
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite.
        @event.listens_for(engine, "connect", insert=True)
        def _no_implicit_begin(dbapi_conn, _record):
            dbapi_conn.isolation_level = None

        return engine
    return create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True
    )


READ_ONLY = "alliance_bot_read_only"


def reader(engine: Engine) -> Engine:
    """The same engine for read-only sessions: on SQLite they take no write lock."""
    return engine.execution_options(**{READ_ONLY: True})


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(engine_or_url: Engine | str) -> None:
    """Apply pending migrations (idempotent)."""
    if isinstance(engine_or_url, str):
        engine = make_engine(engine_or_url)
        url = engine_or_url
    else:
        engine = engine_or_url
        url = engine.url.render_as_string(hide_password=False)
    from alembic import command

    cfg = alembic_config(url)
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for a migration run (alembic `cfg.attributes["connection"]`).

    PostgreSQL: under an advisory lock, so concurrent starts migrate once. SQLite: with
    foreign keys off, since batch_alter_table recreates a table by dropping it, which
    `PRAGMA foreign_keys=ON` forbids while other tables point at it. The pragma is a no-op
    inside a transaction, so it is switched before one begins; the keys are checked with
    `PRAGMA foreign_key_check` before the commit and switched back on after."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]  # None only once invalidated
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # Several workers may start at once: one migrates, the others wait here.
                    conn.execute(text("SELECT pg_advisory_xact_lock(7244110)"))
                yield conn
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if bad:
                        raise RuntimeError(f"数据库迁移后外键不一致:{bad[:5]}")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]  # None only once invalidated


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str | None:
    """The newest revision shipped: the one no other migration names as its parent."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_REVISION_RX.findall(f.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(ast.literal_eval(fields["revision"]))
            parent = ast.literal_eval(fields.get("down_revision", "None"))
            parents.update(parent if isinstance(parent, tuple) else (parent,) if parent else ())
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def upgrade_in_child(url: str) -> None:
    """Migrate from a child process, keeping alembic out of a long-running server."""
    import subprocess
    import sys

    code = "import sys; from storage.db import upgrade; upgrade(sys.argv[1])"
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"数据库升级失败:\n{done.stderr.strip()[-2000:]}")


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        log.warning("database ping failed", exc_info=True)
        return False
