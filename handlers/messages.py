"""What a message means: a command, a report, or chatter.

`MessageHandler.handle(ctx)` is the one entry the server's pipeline calls (inside the
database transaction that stored the inbound message). It decides whether to act,
parses reports, saves them, and returns an `Outcome` with the reply.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cachetools import TTLCache
from sqlalchemy import func
from sqlmodel import Session, select

from handlers.events import IncomingMessage, Reply
from handlers.context import HandlerContext
from handlers.records import reporters_of, save_report, set_field
from handlers.replies import describe_record, missing_fields, report_reply
from handlers.router import Router, split_command
from handlers.vocab import FIELD_CN
from storage.models import ChatGroup, Identity, InboundMessage, Person, Record, RecordReporter, School
from storage.queries import roster_from_db

log = logging.getLogger(__name__)

REPORT_INTENTS = ("activity", "exchange")
FOLLOW_UP_WINDOW = timedelta(hours=1)  # a reply supplying a missing field, after the report


@dataclass(frozen=True)
class Outcome:
    reply: Reply | None
    outcome: str  # recorded | merged | command | chat | pending_bind | ignored | error
    record_id: int | None = None


class ParserCache:
    """One ReportParser per roster version; rebuilt when the roster changes.

    Building a parser loads jieba's dictionary and the gazetteer, so it is done once per
    roster change, not per message. The version is a cheap fingerprint query.
    """

    def __init__(self, cache_dir: Path | None = None, check_every_s: float = 5.0):
        self.cache_dir = cache_dir
        self.check_every_s = check_every_s  # a roster import in another process shows within this
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._parser: Any = None
        # The last fingerprint read, kept `check_every_s` (TTLCache is not thread-safe: _lock).
        self._checked: TTLCache = TTLCache(maxsize=1, ttl=check_every_s)

    def invalidate(self) -> None:
        with self._lock:
            self._checked.clear()

    @staticmethod
    def version(session: Session) -> tuple:
        parts = []
        for model in (School, Person):
            parts.append(session.exec(select(func.count(), func.max(model.updated_at))
                                      .select_from(model)).one())
        return tuple((c, str(m)) for c, m in parts)

    def cached(self) -> Any:
        """The parser when no fingerprint check is due, else None (then call `get`)."""
        with self._lock:
            if self._parser is not None and "version" in self._checked:
                return self._parser
        return None

    def get(self, session: Session) -> Any:
        # The fingerprint costs two aggregate queries: on a busy server it is checked at most
        # every `check_every_s`, not per message.
        with self._lock:
            if self._parser is not None and "version" in self._checked:
                return self._parser
        v = self.version(session)
        with self._lock:
            self._checked["version"] = v
            if self._parser is None or v != self._version:
                from handlers.reports.parser import ReportParser

                roster = roster_from_db(session)
                self._parser = ReportParser(roster, cache_dir=self.cache_dir)
                self._version = v
            return self._parser


class MessageHandler:
    def __init__(self, router: Router, parsers: ParserCache):
        self.router = router
        self.parsers = parsers

    # -- entry -------------------------------------------------------------------------
    @staticmethod
    def route(msg: IncomingMessage, group: ChatGroup | None) -> str:
        """command | ignore | empty | parse: what to do with a message, before any work."""
        if split_command(msg.text) is not None:
            return "command"
        addressed = msg.mentions_bot or msg.chat.chat_type == "private"
        auto = group.auto_reports if group is not None else True
        if not addressed and not (msg.platform == "onebot" and auto):
            return "ignore"
        if not msg.text.strip():
            return "empty"
        return "parse"

    def preparse(self, session: Session, msg: IncomingMessage, sender_name: str | None,
                 tz: Any) -> Any:
        """Parse a report before the write transaction (parsing needs no lock)."""
        return self.preparse_with(self.parsers.get(session), msg, sender_name, tz)

    @staticmethod
    def preparse_with(parser: Any, msg: IncomingMessage, sender_name: str | None, tz: Any) -> Any:
        return parser.parse(msg.text, msg.sent_at.astimezone(tz), sender_name)

    def handle(self, ctx: HandlerContext, parsed: Any = None) -> Outcome:
        msg = ctx.message
        what = self.route(msg, ctx.group)
        if what == "command":
            return self._command(ctx, *split_command(msg.text))
        if what == "ignore":
            return Outcome(None, "ignored")
        addressed = msg.mentions_bot or msg.chat.chat_type == "private"
        if what == "empty":
            return Outcome(self._hint() if addressed else None, "chat")
        parser = self.parsers.get(ctx.session)
        if parsed is None:
            sender_name = ctx.person.name if ctx.person else None
            parsed = parser.parse(msg.text, msg.sent_at.astimezone(ctx.tz), sender_name)
        if parsed.intent not in REPORT_INTENTS:
            if addressed and ctx.person is not None:
                filled = self._fill_missing(ctx, parser)
                if filled is not None:
                    return filled
            return Outcome(self._hint() if addressed else None, "chat")
        if ctx.person is None:
            return self._pending_bind(ctx)
        return self._save(ctx, parsed)

    # -- pieces ------------------------------------------------------------------------
    def _hint(self) -> Reply:
        return Reply("我没有看出这是一条活动记录。上报活动请写明时间、学校和内容,例如:"
                     "“今天我到解小送教,上了两节语文课,听课15人”。发送 /帮助 查看全部命令。")

    def _command(self, ctx: HandlerContext, word: str, args: list[str]) -> Outcome:
        if ctx.replay_pending is None:
            ctx.replay_pending = self.replay_pending
        return Outcome(self.router.dispatch(ctx, word, args), "command")

    def _pending_bind(self, ctx: HandlerContext) -> Outcome:
        msg = ctx.message
        ident = ctx.session.exec(select(Identity).where(Identity.platform == msg.platform,
                                                        Identity.user_id == msg.sender_id)).first()
        if ident is not None and ident.claimed_name:
            text = (f"已收到。你申请绑定为“{ident.claimed_name}”,还在等校长或管理员确认"
                    f"(/绑定 确认 {ident.claimed_name});确认后这条记录会自动保存。")
        else:
            text = ("已收到,但我还不认识你。请发送 /绑定 你的姓名(例如 /绑定 张炜),"
                    "校长或管理员确认后,这条记录会自动保存,不会丢失。")
        return Outcome(Reply(text), "pending_bind")

    def _save(self, ctx: HandlerContext, parsed: Any) -> Outcome:
        person = ctx.person
        alliance_id = ctx.alliance.id if ctx.alliance else None
        result = save_report(
            ctx.session, parsed, alliance_id=alliance_id, person_id=person.id,
            reporter_name=person.name, message_id=ctx.inbound.id if ctx.inbound else None,
            source_text=ctx.message.text, chat_platform=ctx.message.platform,
            chat_id=ctx.message.chat.chat_id)
        rec = result.record
        names = [r.reporter_name for r in reporters_of(ctx.session, rec.id)] if result.merged \
            else [person.name]
        first = names[0] if result.merged and names and names[0] != person.name else None
        text = report_reply(rec, merged=result.merged, completed=result.completed,
                            first_reporter=first, reporters=names,
                            notes=tuple(getattr(parsed, "notes", ()) or ()))
        if rec.status == "planned" or result.completed:
            ctx.reminders.activity_changed(rec.id)
        return Outcome(Reply(text), "merged" if result.merged else "recorded", rec.id)

    def _fill_missing(self, ctx: HandlerContext, parser: Any) -> Outcome | None:
        """A short follow-up ("11月20日", "听课15人") that supplies what the sender's last
        report lacked. The follow-up is parsed together with the original text, so dates,
        numbers and schools resolve exactly as in a report; only missing fields are taken."""
        msg = ctx.message
        since = msg.sent_at - FOLLOW_UP_WINDOW
        rec = ctx.session.exec(
            select(Record).join(RecordReporter, RecordReporter.record_id == Record.id)
            .where(RecordReporter.person_id == ctx.person.id, Record.deleted == False,  # noqa: E712
                   Record.chat_id == msg.chat.chat_id, Record.created_at >= since)
            .order_by(Record.id.desc())).first()
        if rec is None or not missing_fields(rec) or not rec.source_text:
            return None
        combined = parser.parse(f"{rec.source_text}\n{msg.text}", rec.created_at.astimezone(ctx.tz),
                                ctx.person.name)
        if combined.intent != rec.intent:
            return None
        values = combined.to_dict()
        changes = {}
        for f in missing_fields(rec):
            v = values.get(f)
            if v in (None, [], ""):
                continue
            if f in ("date", "end_date"):
                import datetime as dt

                v = dt.date.fromisoformat(v) if isinstance(v, str) else v
            changes[f] = v
        if not changes:
            return None
        msg_id = ctx.inbound.id if ctx.inbound else None
        for f, v in changes.items():
            set_field(ctx.session, rec, f, v, actor=ctx.person.id, message_id=msg_id)
        if "date" in changes or "status" in changes:
            ctx.reminders.activity_changed(rec.id)
        names = "、".join(FIELD_CN.get(f, f) for f in changes)
        lines = [f"已补充记录 #{rec.id}:{names}"] + describe_record(rec)
        still = missing_fields(rec)
        if still:
            lines.append(f"还缺:{'、'.join(FIELD_CN.get(m, m) for m in still)}")
        return Outcome(Reply("\n".join(lines)), "recorded", rec.id)

    # -- replay of reports kept while the sender was unknown ----------------------------
    def replay_pending(self, ctx: HandlerContext, platform: str, user_id: str,
                       person: Person) -> list[int]:
        """Save the reports a newly confirmed sender made before binding. Returns record ids."""
        saved: list[int] = []
        pending = ctx.session.exec(select(InboundMessage).where(
            InboundMessage.platform == platform, InboundMessage.sender_id == user_id,
            InboundMessage.outcome == "pending_bind").order_by(InboundMessage.id)).all()
        if not pending:
            return saved
        parser = self.parsers.get(ctx.session)
        for m in pending:
            parsed = parser.parse(m.raw_text, m.sent_at.astimezone(ctx.tz), person.name)
            if parsed.intent not in REPORT_INTENTS:
                m.outcome = "chat"
                continue
            result = save_report(ctx.session, parsed, alliance_id=ctx.alliance.id if ctx.alliance else None,
                                 person_id=person.id, reporter_name=person.name, message_id=m.id,
                                 source_text=m.raw_text, chat_platform=m.platform, chat_id=m.chat_id)
            m.outcome = "merged" if result.merged else "recorded"
            m.record_id = result.record.id
            m.person_id = person.id
            ctx.session.add(m)
            saved.append(result.record.id)
            if result.record.status == "planned":
                ctx.reminders.activity_changed(result.record.id)
        return saved
