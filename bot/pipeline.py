"""The message pipeline every adapter hands verified messages to (a `MessageSink`).

One database transaction per delivery: the inbound message is inserted first (unique on
platform + message id), then handled inside a savepoint, then the outcome and the reply
text are stored, then the transaction commits — and only then does the adapter answer the
platform with 200. A retried delivery hits the unique key and gets the stored reply back;
a concurrent duplicate waits on the key (PostgreSQL) or on the write lock (SQLite) and then
does the same. A handler crash rolls back only the savepoint: the message stays stored
with outcome "error" and the user gets a short apology.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.config import Settings
from bot.events import IncomingMessage, Reply
from bot.ports import Clock, ReminderService
from handlers.context import HandlerContext, NullReminders
from handlers.messages import MessageHandler, Outcome
from storage.models import Alliance, InboundMessage, School
from storage.queries import alliance_of_school, group_alliance, identity_person

log = logging.getLogger(__name__)

APOLOGY = "抱歉,处理这条消息时出了点问题,消息已保存,管理员会处理。可以稍后再试一次。"


class Pipeline:
    def __init__(self, engine: Engine, settings: Settings, handler: MessageHandler, clock: Clock,
                 reminders: ReminderService | None = None,
                 extras: Callable[[], dict] | None = None):
        self.engine = engine
        self.settings = settings
        self.handler = handler
        self.clock = clock
        self.reminders = reminders or NullReminders()
        self._extras = extras or (lambda: {})

    async def __call__(self, msg: IncomingMessage) -> Reply | None:
        return await asyncio.to_thread(self.process, msg)

    # Runs in a worker thread: SQLModel sessions are synchronous.
    def process(self, msg: IncomingMessage) -> Reply | None:
        with Session(self.engine, expire_on_commit=False) as s:
            inbound = InboundMessage(
                platform=msg.platform, message_id=msg.message_id, route=msg.route,
                chat_type=msg.chat.chat_type, chat_id=msg.chat.chat_id, sender_id=msg.sender_id,
                raw_text=msg.text, sent_at=msg.sent_at, received_at=self.clock.now())
            s.add(inbound)
            try:
                s.flush()
            except IntegrityError:
                s.rollback()
                return self._stored_reply(s, msg)
            outcome = self._handle(s, msg, inbound)
            inbound.outcome = outcome.outcome
            inbound.record_id = outcome.record_id
            if outcome.reply is not None and not outcome.reply.quiet:
                inbound.reply_text = outcome.reply.text
                inbound.reply_markdown = outcome.reply.markdown
            s.add(inbound)
            s.commit()
        log.info("message %s/%s: %s%s", msg.platform, msg.message_id, outcome.outcome,
                 f" #{outcome.record_id}" if outcome.record_id else "")
        if outcome.reply is None or outcome.reply.quiet:
            return None
        return outcome.reply

    def _stored_reply(self, s: Session, msg: IncomingMessage) -> Reply | None:
        row = s.exec(select(InboundMessage).where(InboundMessage.platform == msg.platform,
                                                  InboundMessage.message_id == msg.message_id)).one()
        log.info("message %s/%s: duplicate delivery, answered from the stored reply",
                 msg.platform, msg.message_id)
        if row.reply_text is None:
            return None
        return Reply(text=row.reply_text, markdown=row.reply_markdown)

    def context(self, s: Session, msg: IncomingMessage, inbound: InboundMessage | None,
                now: datetime | None = None) -> HandlerContext:
        person = identity_person(s, msg.platform, msg.sender_id)
        group = group_alliance(s, msg.platform, msg.chat.chat_id) if msg.chat.chat_type == "group" \
            else None
        alliance = s.get(Alliance, group.alliance_id) if group is not None else None
        school = s.get(School, person.school_id) if person is not None else None
        if alliance is None and person is not None:
            alliance = alliance_of_school(s, person.school_id)
        if inbound is not None and person is not None:
            inbound.person_id = person.id
        return HandlerContext(
            message=msg, session=s, settings=self.settings, now=now or self.clock.now(),
            person=person, school=school, alliance=alliance, group=group, inbound=inbound,
            reminders=self.reminders, public_url=self.settings.server.public_url,
            extras={"router": self.handler.router, "message_handler": self.handler,
                    **self._extras()})

    def _handle(self, s: Session, msg: IncomingMessage, inbound: InboundMessage) -> Outcome:
        try:
            with s.begin_nested():
                ctx = self.context(s, msg, inbound)
                return self.handler.handle(ctx)
        except Exception:  # noqa: BLE001 - one bad message must not lose the delivery
            log.exception("handling message %s/%s failed", msg.platform, msg.message_id)
            return Outcome(Reply(APOLOGY), "error")
