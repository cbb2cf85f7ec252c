"""The message pipeline every adapter hands verified messages to (a `MessageSink`).

First, without any lock: who is speaking (cached lookups) and, for a report, the parse.
Then the write: the inbound message is inserted first (unique on platform + message id),
the handler runs, the outcome and reply text are stored, the transaction commits — and
only then does the adapter answer the platform with 200. The deliveries waiting for the
database at the same moment share one transaction and one commit, each in its own
savepoint (`storage.group_commit`): one failing message is rolled back alone. On
PostgreSQL a batch writes its inbound rows, its duplicate checks, its new records and its
outcomes a statement per batch each, not per message (`Pipeline._run_all`). A
retried delivery hits the unique key and gets the stored reply back; a concurrent
duplicate waits on the key (PostgreSQL) or on the write lock (SQLite) and then does the
same. A handler crash rolls its work back and the message is stored again with outcome
"error"; the user gets a short apology. Nothing is lost either way.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cachetools import TTLCache
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.config import Settings
from bot.files import DataDirFiles, download_base
from bot.sanitize import cleaned_note, sanitize
from handlers.context import HandlerContext, InboundRef
from handlers.events import IncomingMessage, Reply
from handlers.messages import MessageHandler
from handlers.ports import Clock, FileStore, NullReminders, ReminderPort
from handlers.targets import TargetRule
from storage.db import reader
from storage.group_commit import GroupCommit, Job
from storage.models import Alliance, ChatGroup, InboundMessage, Person, Record, School
from storage.queries import alliance_of_school, group_alliance, identity_person, quoted_inbound
from storage.writes import (
    CANDIDATES,
    PENDING,
    PendingRecords,
    allocate_record_ids,
    claim_reply,
    finish_inbound,
    finish_inbound_many,
    insert_inbound,
    insert_inbound_many,
    prefetch_candidates,
)

log = logging.getLogger(__name__)

APOLOGY = "抱歉,处理这条消息时出了点问题,消息已保存,管理员会处理。可以稍后再试一次。"


@dataclass(frozen=True)
class Who:
    """Who sent a message and where, read before the write transaction (detached rows)."""

    person: Person | None
    school: School | None
    group: ChatGroup | None
    alliance: Alliance | None


class LookupCache:
    """Sender → person and chat → group/alliance, kept for a few seconds.

    Every message needs them and they almost never change; reading them per message was a
    fifth of the pipeline's time. Only hits are kept (an unknown sender who binds is seen
    at once), entries expire after `ttl_s` (a roster import by another process shows within
    that), and commands clear the cache (bindings change through commands).
    """

    def __init__(self, ttl_s: float = 5.0):
        self.ttl_s = ttl_s
        self._data: TTLCache = TTLCache(maxsize=50_000, ttl=ttl_s)
        self._lock = threading.Lock()  # TTLCache itself is not thread-safe

    def get(self, key: tuple, load: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._data.get(key)
        if hit is not None:
            return hit
        value = load()
        if value is not None:
            with self._lock:
                self._data[key] = value
        return value

    def peek(self, key: tuple) -> Any:
        """The fresh cached value, or None (a miss or an expired entry)."""
        with self._lock:
            return self._data.get(key)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


# An inbound row's outcome as `finish_inbound` takes it: id, outcome, record id, reply
# text and markdown.
Finished = tuple[int, str, int | None, str | None, str | None]


@dataclass(frozen=True)
class Delivery:
    """One message's work in the group transaction (`Pipeline._job`): `run` stores it
    whole, `recover` after `run`'s work was rolled back, `after` once committed; `row` and
    `body` let a batch insert the inbound rows together and then run each handler."""

    msg: IncomingMessage
    row: dict
    run: Callable[[Session], Reply | None]
    recover: Callable[[Session, BaseException], Reply | None]
    after: Callable[[], None]
    body: Callable[[Session, int], tuple[Reply | None, Finished]]
    state: dict[str, Any]
    keys: tuple[tuple, ...] = ()  # the duplicate checks its reports will make (PostgreSQL)


@dataclass(frozen=True)
class Prepared:
    """What the work before the write transaction found: who, the parse, when received."""

    msg: IncomingMessage
    who: Who
    parsed: Any
    received: datetime


class Pipeline:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        handler: MessageHandler,
        clock: Clock,
        reminders: ReminderPort | None = None,
        *,
        targets: Sequence[TargetRule] | None = None,
        files: FileStore | None = None,
    ):
        self.engine = engine
        self.settings = settings
        self.handler = handler
        self.clock = clock
        self.reminders: ReminderPort = reminders or NullReminders()
        self.targets = targets  # parsed once at start by the composition root
        self.files = files or DataDirFiles(settings.data_path)
        self.can_reach_privately: Callable[[str], bool] | None = None  # set by the app
        self.lookups = LookupCache()
        self.tz = ZoneInfo(settings.timezone)
        self._reader = reader(engine)
        # SQLite has one writer at a time. Queueing writers on a process lock wakes the next
        # one the moment the lock is free; SQLite's own busy handler sleeps in steps of up
        # to 100 ms. Other processes still meet the busy timeout. PostgreSQL needs neither.
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        # The deliveries waiting for the database are committed together (storage.group_commit).
        self.writer = GroupCommit(engine, lock=self._write_lock, run_all=self._run_all)
        # PostgreSQL: a batch's inbound rows, duplicate checks and outcomes are written
        # together (`_run_all`); SQLite has no round trips to save.
        self._batched = engine.dialect.name == "postgresql"

    async def __call__(self, msg: IncomingMessage) -> Reply | None:
        # A known sender in a known chat with a fresh parser needs no database before the
        # write: parse in the event loop (CPU only; a thread hop costs more than it saves).
        # Otherwise read in a worker thread. Then queue for the next group commit.
        msg = self._sanitize(msg)
        pre = self.prepare_cached(msg)
        if pre is None:
            pre = await asyncio.to_thread(self.prepare, msg)
        d = self._job(pre)
        reply = await self.writer.submit(d.run, d.recover, d)
        d.after()
        return reply

    def close(self) -> None:
        self.writer.close()

    # Runs in the calling thread, one message in its own transaction (tests, CLI, tools).
    def process(self, msg: IncomingMessage) -> Reply | None:
        d = self._job(self.prepare(self._sanitize(msg)))
        reply = self.writer.run_now(d.run, d.recover)
        d.after()
        return reply

    def process_batch(self, msgs: Sequence[IncomingMessage]) -> list[Reply | BaseException | None]:
        """Several messages as one group-commit batch in the calling thread (benchmarks,
        tests): each one's reply, or the exception its caller would get."""
        ds = [self._job(self.prepare(self._sanitize(m))) for m in msgs]
        jobs = [Job(d.run, d.recover, data=d) for d in ds]
        self.writer.run_batch_now(jobs)
        out: list[Reply | BaseException | None] = []
        for d, job in zip(ds, jobs, strict=True):
            if job.error is None:
                d.after()
            out.append(job.error if job.error is not None else job.result)
        return out

    # -- before the write transaction ---------------------------------------------------
    def _sanitize(self, msg: IncomingMessage) -> IncomingMessage:
        """A signed message is never refused: what cannot be stored as sent is repaired."""
        msg = sanitize(msg, self.clock.now())
        if msg.cleaned:
            log.warning(
                "message %s/%s: stored cleaned (%s)",
                msg.platform,
                msg.message_id,
                cleaned_note(msg),
            )
        return msg

    def prepare(self, msg: IncomingMessage) -> Prepared:
        """Who is speaking, and the report parsed (the costly part, which needs no lock).
        A duplicate delivery wastes a parse, nothing more."""
        with Session(self._reader, expire_on_commit=False) as s:
            who = self.who(s, msg)
            msg = self.resolve_quote(s, msg)
            parsed = self._preparse(msg, who, lambda: self.handler.parsers.get(s))
            s.expunge_all()  # keep the rows loaded: closing a session must not expire them
        return Prepared(msg, who, parsed, self.clock.now())

    def prepare_cached(self, msg: IncomingMessage) -> Prepared | None:
        """`prepare` from the caches alone, or None when it needs the database."""
        q = msg.quote
        if q is not None and not (q.text and q.sender_name):
            return None  # the quote is completed from the database (resolve_quote)
        p = self.lookups.peek(("person", msg.platform, msg.sender_id))
        if p is None:
            return None
        g = None
        if msg.chat.chat_type == "group":
            g = self.lookups.peek(("group", msg.platform, msg.chat.chat_id))
            if g is None:
                return None
        parser = self.handler.parsers.cached()
        if parser is None:
            return None
        who = self._who(p, g)
        return Prepared(msg, who, self._preparse(msg, who, lambda: parser), self.clock.now())

    def _preparse(self, msg: IncomingMessage, who: Who, parser: Callable[[], Any]) -> Any:
        if self.handler.route(msg, who.group) != "parse":
            return None
        try:
            return self.handler.preparse_with(
                parser(), msg, self.handler.sender_of(who.person, who.school), self.tz
            )
        except Exception:
            log.exception("parsing message %s/%s failed", msg.platform, msg.message_id)
            return None

    # -- the write transaction ----------------------------------------------------------
    def _job(self, pre: Prepared) -> Delivery:
        """One delivery's work in the (group) transaction, what to do if it fails, and
        what to do once it is committed.

        `run`: the inbound message is inserted first (unique on platform + message id), the
        handler runs, the outcome and reply are stored. `recover` (after `run`'s work was
        rolled back): a duplicate delivery gets the stored reply; a handler failure stores
        the message with outcome "error" and says sorry."""
        msg, who, received = pre.msg, pre.who, pre.received
        state: dict[str, Any] = {}
        row = self._inbound_row(msg, who, received)

        def body(s: Session, inbound_id: int) -> tuple[Reply | None, Finished]:
            """The handler's work for the stored inbound row; the reply, and the row's
            outcome for `finish_inbound` (which the caller writes)."""
            state["inserted"] = True
            outcome = self.handler.handle(
                self.context(s, msg, InboundRef(inbound_id), who=who), pre.parsed
            )
            s.flush()  # the next delivery's duplicate check reads on the cursor
            reply = outcome.reply if outcome.reply is not None and not outcome.reply.quiet else None
            state["outcome"] = outcome
            return reply, (
                inbound_id,
                outcome.outcome,
                outcome.record_id,
                reply.text if reply else None,
                reply.markdown if reply else None,
            )

        def run(s: Session) -> Reply | None:
            # Core statements, not ORM objects: this runs for every delivery. A batch may
            # run a job twice (storage.group_commit): state starts afresh each time.
            state.clear()
            conn = s.connection()
            reply, finished = body(s, insert_inbound(conn, row))
            finish_inbound(conn, *finished)
            return reply

        def recover(s: Session, error: BaseException) -> Reply | None:
            if not state.get("inserted"):
                if isinstance(error, IntegrityError):  # a duplicate delivery
                    return self._stored_reply(s, msg)
                raise error  # the database failed: the adapter answers 503, the platform retries
            log.error("handling message %s/%s failed", msg.platform, msg.message_id, exc_info=error)
            return self._store_failure(s, msg, who, received)

        def after() -> None:
            outcome = state.get("outcome")
            if outcome is None:
                return
            if outcome.outcome == "command":
                self.lookups.clear()
            if log.isEnabledFor(logging.INFO):  # no formatting per message unless logged
                # One line per message: platform, sender, chat and outcome (the text only
                # when [log] message_text is on): "why wasn't my report recorded?"
                ids = outcome.record_ids or ((outcome.record_id,) if outcome.record_id else ())
                log.info(
                    "message %s/%s from %s in %s: %s%s%s",
                    msg.platform,
                    msg.message_id,
                    msg.sender_id,
                    msg.chat.chat_id,
                    outcome.outcome,
                    "".join(f" #{i}" for i in ids),
                    f" text={msg.text!r}" if self.settings.log.message_text else "",
                )

        keys = (
            self.handler.candidate_keys(pre.parsed, who.alliance.id if who.alliance else None)
            if self._batched and who.person is not None  # an unknown sender's is not saved
            else ()
        )
        return Delivery(msg, row, run, recover, after, body, state, keys)

    def _run_all(self, s: Session, jobs: list[Job]) -> list[Reply | None]:
        """A batch's deliveries without savepoints (storage.group_commit). On PostgreSQL the
        round trips, not the CPU, bound the one writer: the batch's inbound rows go in one
        INSERT (a row already stored is skipped, not an error) and their outcomes in one
        UPDATE at the end, two statements per batch instead of two per message. A
        re-delivery is answered from the stored reply once the batch's outcomes are
        written (the same message twice in one batch included). Any error rolls the batch
        back and it runs again with a savepoint per delivery (`run`/`recover`), as before."""
        ds: list[Delivery] = [job.data for job in jobs]
        if not self._batched or any(not isinstance(d, Delivery) for d in ds):
            return [job.run(s) for job in jobs]
        conn = s.connection()
        ids = insert_inbound_many(conn, [d.row for d in ds])
        # The reports' duplicate checks, read at once (storage.writes.prefetch_candidates);
        # the Session (one per attempt) holds the map, so it never outlives the batch.
        candidates = s.info[CANDIDATES] = prefetch_candidates(conn, [k for d in ds for k in d.keys])
        # Their new records are queued and written together (storage.writes.PendingRecords),
        # with ids taken at once: as many as there are events of no record yet, each of
        # which makes one (record ids are shown to users: a merge must not leave a gap).
        fresh = sum(1 for found in candidates.values() if not found)
        pending = s.info[PENDING] = PendingRecords(allocate_record_ids(conn, fresh))
        replies: list[Reply | None] = []
        finished: list[Finished] = []
        for d, inbound_id in zip(ds, ids, strict=True):
            d.state.clear()
            if inbound_id is None:
                replies.append(None)
                continue
            if not d.keys:  # not a plain new report: it may read anything
                pending.flush(conn)
            reply, done = d.body(s, inbound_id)
            replies.append(reply)
            finished.append(done)
            if CANDIDATES in s.info and self._changed_records(s, d):
                del s.info[CANDIDATES]  # the rest of the batch reads the table again
        s.info.pop(CANDIDATES, None)
        del s.info[PENDING]
        pending.flush(conn)
        if finished:
            finish_inbound_many(conn, finished)
        for i, (d, inbound_id) in enumerate(zip(ds, ids, strict=True)):
            if inbound_id is None:
                replies[i] = self._stored_reply(s, d.msg)
        return replies

    @staticmethod
    def _changed_records(s: Session, d: Delivery) -> bool:
        """Whether a delivery may have changed records other than by inserting new ones
        (which keep the prefetched candidates current): a command (edits, deletions, a
        replay), or any record loaded as an ORM object (a merge, a follow-up's answer)."""
        outcome = d.state.get("outcome")
        if outcome is None or outcome.outcome == "command":
            return True
        return any(isinstance(o, Record) for o in s.identity_map.values())

    @staticmethod
    def _inbound_row(msg: IncomingMessage, who: Who, received: datetime) -> dict:
        return {
            "platform": msg.platform,
            "bot_id": msg.bot_id,
            "message_id": msg.message_id,
            "route": msg.route,
            "cleaned": cleaned_note(msg),
            "reply_claimed_at": None,
            "chat_type": msg.chat.chat_type,
            "chat_id": msg.chat.chat_id,
            "sender_id": msg.sender_id,
            "person_id": who.person.id if who.person else None,
            "raw_text": msg.text,
            "sent_at": msg.sent_at,
            "received_at": received,
            "outcome": "received",
            "record_id": None,
            "reply_text": None,
            "reply_markdown": None,
            "error": None,
        }

    def _store_failure(
        self, s: Session, msg: IncomingMessage, who: Who, received: datetime
    ) -> Reply:
        """The handler failed and its work was rolled back: keep the message, say sorry."""
        try:
            with s.begin_nested():
                insert_inbound(
                    s.connection(),
                    {
                        **self._inbound_row(msg, who, received),
                        "outcome": "error",
                        "reply_text": APOLOGY,
                    },
                )
        except IntegrityError:  # a concurrent delivery of the same message got there first
            return self._stored_reply(s, msg) or Reply(APOLOGY)
        return Reply(APOLOGY)

    def _stored_reply(self, s: Session, msg: IncomingMessage) -> Reply | None:
        row = s.exec(
            select(InboundMessage).where(
                InboundMessage.platform == msg.platform,
                InboundMessage.bot_id == msg.bot_id,
                InboundMessage.message_id == msg.message_id,
            )
        ).one()
        log.info(
            "message %s/%s: duplicate delivery, answered from the stored reply",
            msg.platform,
            msg.message_id,
        )
        if row.reply_text is None:
            return None
        return Reply(text=row.reply_text, markdown=row.reply_markdown)

    @staticmethod
    def resolve_quote(s: Session, msg: IncomingMessage) -> IncomingMessage:
        """Fill in what the platform left out of a quote: the text of a quoted message it
        gave only by id (QQ's reply segment) from our stored copy, and the quoted sender's
        roster name. The reply's own text is untouched."""
        q = msg.quote
        if q is None or (q.text and q.sender_name):
            return msg
        text, sender_id, name, from_bot = q.text, q.sender_id, q.sender_name, q.from_bot
        if q.message_id and not text:
            row = quoted_inbound(s, msg.platform, q.message_id, msg.chat.chat_id)
            if row is not None:  # a member's message (the bot's own are not stored as inbound)
                text, sender_id, from_bot = row.raw_text, row.sender_id, False
        if sender_id and not name:
            person = identity_person(s, msg.platform, sender_id)
            name = person.name if person is not None else None
        return replace(
            msg,
            quote=replace(q, text=text, sender_id=sender_id, sender_name=name, from_bot=from_bot),
        )

    async def claim_reply(self, msg: IncomingMessage) -> bool:
        """True for the one caller (of any process) that may post the platform reply to
        `msg`: QQ passive replies go out after the ack, so a redelivery handled by another
        serve process must not post them again."""
        return await asyncio.to_thread(self._claim_reply, sanitize(msg, self.clock.now()))

    def _claim_reply(self, msg: IncomingMessage) -> bool:
        with self._write_lock, Session(self.engine) as s:
            done = claim_reply(
                s.connection(), msg.platform, msg.bot_id, msg.message_id, self.clock.now()
            )
            s.commit()
        return done

    def who(self, s: Session, msg: IncomingMessage) -> Who:
        def person_row() -> tuple | None:
            person = identity_person(s, msg.platform, msg.sender_id)
            if person is None:
                return None
            return person, s.get(School, person.school_id), alliance_of_school(s, person.school_id)

        def group_row() -> tuple | None:
            group = group_alliance(s, msg.platform, msg.chat.chat_id)
            return (group, s.get(Alliance, group.alliance_id)) if group is not None else None

        p = self.lookups.get(("person", msg.platform, msg.sender_id), person_row)
        g = (
            self.lookups.get(("group", msg.platform, msg.chat.chat_id), group_row)
            if msg.chat.chat_type == "group"
            else None
        )
        return self._who(p, g)

    @staticmethod
    def _who(p: tuple | None, g: tuple | None) -> Who:
        person, school, home = p if p else (None, None, None)
        group, alliance = g if g else (None, None)
        # A person acts for their own alliance wherever they post: their rights, their
        # reports and their meetings are their alliance's, never the group's (a principal
        # of one alliance in another's group manages nothing there). The group's alliance
        # speaks only for admins (county-wide) and for senders not yet known.
        if person is not None and person.role != "admin" and home is not None:
            return Who(person, school, group, home)
        return Who(person, school, group, alliance or home)

    def context(
        self,
        s: Session,
        msg: IncomingMessage,
        inbound: InboundRef | None,
        now: datetime | None = None,
        who: Who | None = None,
    ) -> HandlerContext:
        who = who or self.who(s, msg)
        return HandlerContext(
            message=msg,
            session=s,
            settings=self.settings,
            now=now or self.clock.now(),
            person=who.person,
            school=who.school,
            alliance=who.alliance,
            group=who.group,
            inbound=inbound,
            reminders=self.reminders,
            public_url=download_base(self.settings),
            router=self.handler.router,
            replay_pending=self.handler.replay_pending,
            targets=self.targets,
            files=self.files,
            can_reach_privately=self.can_reach_privately,
            cached=self.lookups.get,
        )
