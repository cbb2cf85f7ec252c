"""`alliance-bot backup PATH` / `alliance-bot restore PATH`.

SQLite: copying `alliance.db` while the bot runs loses what is still in the WAL file (a
test lost 11 of 47 records). The SQLite online backup API (`sqlite3.Connection.backup`)
copies a consistent snapshot, WAL included, while the bot keeps serving; the copy is
written to a temporary file, checked (`PRAGMA integrity_check`) and renamed into place, so
a half-written backup never has the final name.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, run for the
configured database (they must be installed; Debian: `postgresql-client`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import normalize_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says what to fix (Chinese)."""


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    revision: str | None
    counts: dict[str, int]

    def describe(self) -> str:
        size = (
            f"{self.size / 1024 / 1024:.1f} MB"
            if self.size >= 1024 * 1024
            else f"{self.size / 1024:.0f} KB"
        )
        counts = "、".join(f"{label} {n} 条" for label, n in self.counts.items())
        return f"{self.path} ({size},数据库结构版本 {self.revision or '未知'};{counts})"


COUNTED = (
    ("record", "记录", "deleted = 0"),
    ("inbound_message", "消息", None),
    ("person", "人员", None),
    ("reminder", "提醒", None),
)


def _sqlite_path(url: str) -> Path:
    u = make_url(normalize_url(url))
    if not u.database or u.database == ":memory:":
        raise BackupError("内存数据库无法备份。")
    return Path(u.database)


def _summary_sqlite(path: Path) -> Summary:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise BackupError(f"{path} 不是联盟助手的数据库(没有 alembic_version 表)。")
        rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        counts = {}
        for table, label, where in COUNTED:
            if table in tables:
                q = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
                counts[label] = con.execute(q).fetchone()[0]
    finally:
        con.close()
    return Summary(path, path.stat().st_size, rev[0] if rev else None, counts)


def _check(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} 不是有效的 SQLite 数据库: {e}") from None
    if ok != "ok":
        raise BackupError(f"{path} 已损坏 (integrity_check: {ok})。")


def _copy(src: Path, dst: Path) -> None:
    """The online backup API, in one step: one consistent snapshot of the source."""
    source = sqlite3.connect(src, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def backup_target(path: str, now: dt.datetime, suffix: str) -> Path:
    """PATH itself, or a dated file inside PATH when it is a directory (daily backups)."""
    p = Path(path)
    if p.is_dir():
        return p / f"alliance-{now:%Y%m%d-%H%M%S}{suffix}"
    return p


def backup(url: str, path: str, now: dt.datetime | None = None) -> Summary:
    now = now or dt.datetime.now()
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "postgresql":
        return _pg_dump(url, backup_target(path, now, ".dump"))
    src = _sqlite_path(url)
    if not src.exists():
        raise BackupError(f"数据库文件 {src} 不存在。")
    dst = backup_target(path, now, ".db")
    if dst.resolve() == src.resolve():
        raise BackupError("备份文件不能是数据库文件本身。")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        _copy(src, tmp)
        _check(tmp)
        os.replace(tmp, dst)
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份失败: {e}") from None
    return _summary_sqlite(dst)


def restore(url: str, path: str, now: dt.datetime | None = None) -> tuple[Summary, Path | None]:
    """Replace the configured database with the backup at `path`; (what was restored, where
    the database that was replaced was kept)."""
    now = now or dt.datetime.now()
    url = normalize_url(url)
    src = Path(path)
    if not src.is_file():
        raise BackupError(f"找不到备份文件 {src}。")
    if make_url(url).get_backend_name() == "postgresql":
        return _pg_restore(url, src), None
    _check(src)
    restored = _summary_sqlite(src)
    dst = _sqlite_path(url)
    kept = None
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        kept = dst.with_name(f"{dst.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        _copy(dst, kept)
    try:
        # Through the backup API too: it writes every page under the database's own locks
        # (and WAL), so no stale -wal file can be replayed over the restored pages.
        _copy(src, dst)
    except sqlite3.Error as e:
        raise BackupError(f"恢复失败: {e}(原数据库已保存在 {kept})") from None
    return Summary(dst, dst.stat().st_size, restored.revision, restored.counts), kept


# -- PostgreSQL ---------------------------------------------------------------------------
def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection URI (pg_dump does not know "+psycopg"),
    without the password: that goes in PGPASSWORD, not on a command line `ps` shows."""
    u = make_url(url)
    return u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _pg_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(
            f"没有找到 {name}。请安装 PostgreSQL 客户端(Debian/Ubuntu: "
            f"apt install postgresql-client),版本不低于数据库服务器。"
        )
    return exe


def _run(args: list[str], url: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=_pg_env(url))
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败:\n{done.stderr.strip()[-2000:]}")


def _pg_counts(url: str) -> tuple[str | None, dict[str, int]]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            rev = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in tables
                else None
            )
            counts: dict[str, int] = {}
            for table, label, where in COUNTED:
                if table in tables:
                    w = f" WHERE {where.replace('= 0', '= false')}" if where else ""
                    counts[label] = int(
                        conn.execute(text(f"SELECT count(*) FROM {table}{w}")).scalar() or 0
                    )
    finally:
        engine.dispose()
    return (str(rev) if rev is not None else None), counts


def _pg_dump(url: str, dst: Path) -> Summary:
    exe = _tool("pg_dump")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".partial")
    rev, counts = _pg_counts(url)
    # One transaction snapshot: pg_dump is consistent while the bot keeps writing.
    _run(
        [exe, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={_libpq_url(url)}"], url
    )
    os.replace(tmp, dst)
    return Summary(dst, dst.stat().st_size, rev, counts)


def _pg_restore(url: str, src: Path) -> Summary:
    exe = _tool("pg_restore")
    _run(
        [
            exe,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(url)}",
            str(src),
        ],
        url,
    )
    rev, counts = _pg_counts(url)
    return Summary(src, src.stat().st_size, rev, counts)
