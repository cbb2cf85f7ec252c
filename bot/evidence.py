"""The evidence sink (佐证材料): files from chats stored beside the record they belong to.

Each delivery gets a durable inbound row first (platform + message id, so a redelivered
picture changes nothing and gets the same answer), then the files are written
content-addressed under the data directory and one `evidence_file` row per file is added.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.platforms.media import EvidenceIn
from handlers.ports import Clock
from storage.evidence import (
    add_evidence,
    evidence_count,
    target_record,
    window_start,
    write_blob,
)
from storage.models import InboundMessage
from storage.queries import identity_person
from storage.writes import insert_inbound

log = logging.getLogger(__name__)


class EvidenceCollector:
    def __init__(self, engine: Engine, settings: Settings, clock: Clock) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock

    async def __call__(self, items: list[EvidenceIn]) -> str | None:
        if not items:
            return None
        return await asyncio.to_thread(self.store, items)

    def store(self, items: list[EvidenceIn]) -> str | None:
        first = items[0]
        now = self.clock.now()
        minutes = self.settings.evidence.window_minutes
        data_dir = self.settings.data_path
        with Session(self.engine, expire_on_commit=False) as s:
            # The text of a mixed message already used the message id: files get their own key.
            taken = s.exec(
                select(InboundMessage.id).where(
                    InboundMessage.platform == first.platform,
                    InboundMessage.message_id == first.message_id,
                )
            ).first()
            key = f"{first.message_id}:media" if taken is not None else first.message_id
            person = identity_person(s, first.platform, first.sender_id)
            rec = target_record(
                s,
                platform=first.platform,
                chat_id=first.chat.chat_id,
                sender_id=first.sender_id,
                message_id=first.message_id,
                quoted_record_id=first.quoted_record_id,
                since=window_start(now, minutes),
                quoted_message_id=first.quoted_message_id,
            )
            # In a group, a picture that belongs to no report is just a picture: no answer.
            addressed = (
                first.chat.chat_type == "private"
                or first.quoted_record_id is not None
                or first.quoted_message_id is not None
            )
            if person is None:
                reply = "请先发送 /绑定 你的姓名,确认后再发送佐证材料。" if addressed else ""
                outcome, rec = "pending_bind", None
            elif rec is None:
                reply = (
                    (
                        f"没有找到要附上的记录。请在上报后 {minutes} 分钟内发送照片或文件,"
                        "或引用机器人对那条上报的回复再发送。"
                    )
                    if addressed
                    else ""
                )
                outcome = "ignored"
            else:
                reply, outcome = "", "evidence"
            row = {
                "platform": first.platform,
                "message_id": key,
                "route": first.route,
                "chat_type": first.chat.chat_type,
                "chat_id": first.chat.chat_id,
                "sender_id": first.sender_id,
                "person_id": person.id if person else None,
                "raw_text": "[" + "、".join(i.filename for i in items)[:500] + "]",
                "sent_at": first.sent_at,
                "received_at": now,
                "outcome": outcome,
                "record_id": rec.id if rec else None,
                "reply_text": reply or None,
                "reply_markdown": None,
                "error": None,
            }
            try:
                inbound_id = insert_inbound(s.connection(), row)
            except IntegrityError:
                s.rollback()
                stored = s.exec(
                    select(InboundMessage).where(
                        InboundMessage.platform == first.platform, InboundMessage.message_id == key
                    )
                ).one()
                log.info("evidence %s/%s: duplicate delivery", first.platform, key)
                return stored.reply_text
            if rec is None:
                s.commit()
                log.info(
                    "evidence %s/%s from %s: %s", first.platform, key, first.sender_id, outcome
                )
                return reply or None
            assert rec.id is not None and person is not None  # rec is set only for a known person
            added = 0
            for it in items:
                sha, path = write_blob(data_dir, it.content)
                added += add_evidence(
                    s,
                    rec.id,
                    sha256=sha,
                    size=len(it.content),
                    filename=it.filename,
                    kind=it.kind,
                    path=path,
                    platform=it.platform,
                    message_id=key,
                    sender_id=it.sender_id,
                    person_id=person.id,
                    now=now,
                )
            total = evidence_count(s, rec.id)
            reply = (
                f"已把 {added} 份佐证材料附在 #{rec.id}(共 {total} 份)。"
                if added
                else f"这些材料已经附在 #{rec.id} 了(共 {total} 份)。"
            )
            s.exec(
                update(InboundMessage)
                .where(col(InboundMessage.id) == inbound_id)
                .values(reply_text=reply)
            )
            s.commit()
        log.info(
            "evidence %s/%s from %s: %d file(s) on #%s",
            first.platform,
            key,
            first.sender_id,
            added,
            rec.id,
        )
        return reply
