"""佐证材料 storage: content-addressed files under the data directory, one row per file.

A file is written to `<data_dir>/evidence/<sha[:2]>/<sha256>` (written to a temporary name
and renamed, so a crash never leaves half a file under the final name); the same bytes sent
twice for one record make one row. Which record a file belongs to: the one the teacher
quoted ("#12" in the bot's echo), else the record made by the same message (a mixed
message's text), else the sender's latest report in that chat within the window.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import EvidenceFile, InboundMessage, Record


def evidence_path(data_dir: Path, sha256: str) -> Path:
    return Path(data_dir) / "evidence" / sha256[:2] / sha256


def write_blob(data_dir: Path, content: bytes) -> tuple[str, str]:
    """Store `content`; returns (sha256, path relative to data_dir)."""
    sha = hashlib.sha256(content).hexdigest()
    path = evidence_path(data_dir, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{sha}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
    return sha, str(path.relative_to(data_dir))


def target_record(
    s: Session,
    *,
    platform: str,
    chat_id: str,
    sender_id: str,
    message_id: str,
    quoted_record_id: int | None,
    since: datetime,
    quoted_message_id: str | None = None,
) -> Record | None:
    if quoted_record_id is None and quoted_message_id:
        quoted_record_id = s.exec(
            select(InboundMessage.record_id).where(
                InboundMessage.platform == platform, InboundMessage.message_id == quoted_message_id
            )
        ).first()
    if quoted_record_id is not None:
        rec = s.get(Record, quoted_record_id)
        if rec is not None and not rec.deleted:
            return rec
    same = s.exec(
        select(InboundMessage.record_id).where(
            InboundMessage.platform == platform,
            InboundMessage.message_id == message_id,
            col(InboundMessage.record_id).is_not(None),
        )
    ).first()
    if same is not None:
        rec = s.get(Record, same)
        if rec is not None and not rec.deleted:
            return rec
    rows = s.exec(
        select(InboundMessage.record_id)
        .where(
            InboundMessage.platform == platform,
            InboundMessage.chat_id == chat_id,
            InboundMessage.sender_id == sender_id,
            col(InboundMessage.record_id).is_not(None),
            InboundMessage.received_at >= since,
        )
        .order_by(col(InboundMessage.id).desc())
        .limit(5)
    ).all()
    for rid in rows:
        rec = s.get(Record, rid)
        if rec is not None and not rec.deleted:
            return rec
    return None


def add_evidence(
    s: Session,
    record_id: int,
    *,
    sha256: str,
    size: int,
    filename: str,
    kind: str,
    path: str,
    platform: str,
    message_id: str,
    sender_id: str,
    person_id: int | None,
    now: datetime,
) -> bool:
    """One row per (record, file); False when this file was already attached."""
    exists = s.exec(
        select(EvidenceFile.id).where(
            EvidenceFile.record_id == record_id, EvidenceFile.sha256 == sha256
        )
    ).first()
    if exists is not None:
        return False
    s.add(
        EvidenceFile(
            record_id=record_id,
            sha256=sha256,
            size=size,
            filename=filename[:200],
            kind=kind,
            path=path,
            platform=platform,
            message_id=message_id,
            sender_id=sender_id,
            person_id=person_id,
            created_at=now,
        )
    )
    s.flush()
    return True


def evidence_count(s: Session, record_id: int) -> int:
    return int(
        s.exec(
            select(func.count())
            .select_from(EvidenceFile)
            .where(EvidenceFile.record_id == record_id)
        ).one()
    )


def evidence_counts(s: Session, record_ids: list[int]) -> dict[int, int]:
    if not record_ids:
        return {}
    rows = s.exec(
        select(EvidenceFile.record_id, func.count())
        .where(col(EvidenceFile.record_id).in_(record_ids))
        .group_by(col(EvidenceFile.record_id))
    ).all()
    return {r: int(n) for r, n in rows}


def evidence_files(s: Session, record_id: int) -> list[EvidenceFile]:
    return list(
        s.exec(
            select(EvidenceFile)
            .where(EvidenceFile.record_id == record_id)
            .order_by(col(EvidenceFile.id))
        ).all()
    )


def window_start(now: datetime, minutes: int) -> datetime:
    return now - timedelta(minutes=minutes)


def evidence_listing(s: Session, record_ids: list[int]) -> list[tuple]:
    """Rows for the ledger's 佐证材料 sheet: record, name, kind, KB, path, received."""
    if not record_ids:
        return []
    rows = s.exec(
        select(EvidenceFile)
        .where(col(EvidenceFile.record_id).in_(record_ids))
        .order_by(col(EvidenceFile.record_id), col(EvidenceFile.id))
    ).all()
    return [
        (
            f.record_id,
            f.filename,
            "图片" if f.kind == "image" else "文件",
            round(f.size / 1024, 1),
            f.path,
            f.created_at.replace(tzinfo=None),
        )
        for f in rows
    ]
