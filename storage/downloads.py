"""One-time download links of exported workbooks: lookup without using, claiming, cleanup."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, or_, update
from sqlmodel import Session, col, select

from storage.models import DownloadLink

log = logging.getLogger(__name__)
USED_GRACE = timedelta(hours=1)  # a used link's file stays a little (a download may still run)


@dataclass(frozen=True)
class LinkFile:
    filename: str
    path: Path


def _path(link: DownloadLink, data_path: Path) -> Path:
    p = Path(link.path)
    return p if p.is_absolute() else data_path / p


def check_link(
    engine: Engine, token: str, now: datetime, data_path: Path, *, use: bool
) -> LinkFile | str:
    """The file behind `token`, or the Chinese reason it cannot be had. With `use`, the link
    is claimed atomically (only one request gets the file); without it (HEAD, a partial
    request from a link previewer) it stays usable."""
    with Session(engine) as s:
        link = s.exec(select(DownloadLink).where(DownloadLink.token == token)).first()
        if link is None:
            return "链接无效。"
        if link.used_at is not None:
            return "此下载链接已使用过,请重新发送 /导出 获取新链接。"
        if link.expires_at < now:
            return "下载链接已过期,请重新发送 /导出 获取新链接。"
        file = LinkFile(link.filename, _path(link, data_path))
        if use:
            done = s.exec(
                update(DownloadLink)
                .where(col(DownloadLink.id) == link.id, col(DownloadLink.used_at).is_(None))
                .values(used_at=now)
            )
            s.commit()
            if done.rowcount != 1:
                return "此下载链接已使用过,请重新发送 /导出 获取新链接。"
        return file


def cleanup_downloads(engine: Engine, now: datetime, data_path: Path) -> tuple[int, int]:
    """Delete expired links, links used more than an hour ago, their files, and exported
    files no link points at any more; (links deleted, files deleted)."""
    files = 0
    with Session(engine) as s:
        stale = s.exec(
            select(DownloadLink).where(
                or_(
                    col(DownloadLink.expires_at) < now, col(DownloadLink.used_at) < now - USED_GRACE
                )
            )
        ).all()
        for link in stale:
            p = _path(link, data_path)
            if p.exists():
                p.unlink()
                files += 1
        if stale:
            s.exec(
                delete(DownloadLink).where(col(DownloadLink.id).in_([link.id for link in stale]))
            )
        kept = {_path(link, data_path).resolve() for link in s.exec(select(DownloadLink)).all()}
        s.commit()
    folder = data_path / "exports"
    if folder.is_dir():
        for p in folder.iterdir():
            # a stray file, old enough that no export is still being written
            if (
                p.is_file()
                and p.resolve() not in kept
                and p.suffix == ".xlsx"
                and now.timestamp() - p.stat().st_mtime > USED_GRACE.total_seconds()
            ):
                p.unlink()
                files += 1
    if stale or files:
        log.info("download cleanup: %d links, %d files deleted", len(stale), files)
    return len(stale), files
