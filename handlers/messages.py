"""What a message means: a command, a report, or chatter.

`MessageHandler.handle(ctx)` is the one entry the server's pipeline calls (inside the
database transaction that stored the inbound message). It decides whether to act,
parses reports, saves them, and returns an `Outcome` with the reply.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cachetools import TTLCache
from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers.context import HandlerContext
from handlers.events import IncomingMessage, Reply
from handlers.followups import find_answer
from handlers.forgiving import resolve, unknown_reply
from handlers.reading import Sender, notes_of, read, reports_of
from handlers.records import SaveResult, report_values, reporters_of, save_report, set_field
from handlers.replies import (
    MISSING_HINTS,
    describe_record,
    missing_fields,
    report_list_reply,
    report_reply,
)
from handlers.router import Router, split_command
from handlers.vocab import FIELD_CN
from storage.models import ChatGroup, Identity, InboundMessage, Person, School
from storage.queries import roster_from_db
from storage.writes import candidate_key

log = logging.getLogger(__name__)

REPORT_INTENTS = ("activity", "exchange")


@dataclass(frozen=True)
class Outcome:
    reply: Reply | None
    outcome: str  # recorded | merged | command | chat | pending_bind | ignored | error
    record_id: int | None = None  # the first record (the inbound row keeps this one)
    record_ids: tuple[int, ...] = ()  # every record the message created or joined


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
            parts.append(
                session.exec(
                    select(func.count(), func.max(model.updated_at)).select_from(model)
                ).one()
            )
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
    def route(self, msg: IncomingMessage, group: ChatGroup | None) -> str:
        """command | ignore | empty | parse: what to do with a message, before any work."""
        addressed = msg.mentions_bot or msg.chat.chat_type == "private"
        if (
            split_command(msg.text) is not None
            or resolve(self.router, msg.text, addressed=addressed) is not None
        ):
            return "command"
        auto = group.auto_reports if group is not None else True
        if not addressed and not (msg.platform == "onebot" and auto):
            return "ignore"
        if not msg.text.strip():
            return "empty"
        return "parse"

    def preparse(
        self, session: Session, msg: IncomingMessage, sender: Sender | None, tz: Any
    ) -> Any:
        """Parse a report before the write transaction (parsing needs no lock)."""
        return self.preparse_with(self.parsers.get(session), msg, sender, tz)

    @staticmethod
    def preparse_with(parser: Any, msg: IncomingMessage, sender: Sender | None, tz: Any) -> Any:
        return read(parser, msg.text, msg.sent_at.astimezone(tz), sender, msg.quote)

    @staticmethod
    def candidate_keys(parsed: Any, alliance_id: int | None) -> tuple[tuple, ...]:
        """The duplicate-check keys (`storage.writes.candidate_key`) saving `parsed` for
        an alliance would look up: a batch reads their candidates at once."""
        if parsed is None or alliance_id is None:
            return ()
        keys = []
        for report in reports_of(parsed):
            v = report_values(report)
            if v["date"] is not None and v["schools"]:
                keys.append(
                    candidate_key(
                        v["intent"], v["kind"], v["exchange_kind"], v["date"], alliance_id
                    )
                )
        return tuple(keys)

    @staticmethod
    def sender_of(person: Person | None, school: School | None) -> Sender | None:
        """The roster person as the parser's unstated subject (name and school)."""
        if person is None:
            return None
        return Sender(person.name, school.name if school is not None else None)

    def handle(self, ctx: HandlerContext, parsed: Any = None) -> Outcome:
        msg = ctx.message
        what = self.route(msg, ctx.group)
        if what == "command":
            addressed = msg.mentions_bot or msg.chat.chat_type == "private"
            found = resolve(self.router, msg.text, addressed=addressed)
            if found is None or found.spec is None:
                return Outcome(
                    Reply(unknown_reply(found) if found else "发送 /帮助 查看可用命令。"), "command"
                )
            return self._command(ctx, found.spec.name, found.args)
        if what == "ignore":
            return Outcome(None, "ignored")
        addressed = msg.mentions_bot or msg.chat.chat_type == "private"
        if what == "empty":
            return Outcome(self._hint(ctx) if addressed else None, "chat")
        parser = self.parsers.get(ctx.session)
        sender = self.sender_of(ctx.person, ctx.school)
        if parsed is None:
            parsed = read(parser, msg.text, msg.sent_at.astimezone(ctx.tz), sender, msg.quote)
        reports = reports_of(parsed)
        if not reports:
            if addressed and ctx.person is not None:
                filled = self._fill_missing(ctx, parser, sender)
                if filled is not None:
                    return filled
            if msg.quote is not None:
                # A reply that only thanks or comments on a quoted message: nothing to record
                # and nothing to explain (the quoted message was its own report).
                return Outcome(None, "chat")
            return Outcome(self._hint(ctx) if addressed else None, "chat")
        if ctx.person is None:
            return self._pending_bind(ctx)
        return self._save(ctx, reports)

    # -- pieces ------------------------------------------------------------------------
    def _hint(self, ctx: HandlerContext) -> Reply:
        school = hint_examples(ctx).get("to_school", "成员校")
        return Reply(
            "我没有看出这是一条活动记录。上报活动请写明时间、学校和内容,例如:"
            f"“今天我到{school}送教,上了两节语文课,听课15人”。发送 /帮助 查看全部命令。"
        )

    def _command(self, ctx: HandlerContext, word: str, args: list[str]) -> Outcome:
        if ctx.replay_pending is None:
            ctx.replay_pending = self.replay_pending
        return Outcome(self.router.dispatch(ctx, word, args), "command")

    def _pending_bind(self, ctx: HandlerContext) -> Outcome:
        msg = ctx.message
        ident = ctx.session.exec(
            select(Identity).where(
                Identity.platform == msg.platform, Identity.user_id == msg.sender_id
            )
        ).first()
        if ident is not None and ident.claimed_name:
            text = (
                f"已收到。你申请绑定为“{ident.claimed_name}”,还在等校长或管理员确认"
                f"(/绑定 确认 {ident.claimed_name});确认后这条记录会自动保存。"
            )
        else:
            text = (
                "已收到,但我还不认识你。请发送 /绑定 你的姓名(例如你叫李明,就发 /绑定 李明),"
                "校长或管理员确认后,这条记录会自动保存,不会丢失。"
            )
        return Outcome(Reply(text), "pending_bind")

    def _save(self, ctx: HandlerContext, reports: list[Any]) -> Outcome:
        """Store one record per report of the message and answer with each one's number.

        Each report may join an existing record of the same event (same alliance only), but
        never a record this message already made or joined: the items of one list are
        different events."""
        person = ctx.me
        results = self.save_all(
            ctx,
            reports,
            person=person,
            message_id=ctx.inbound.id if ctx.inbound else None,
            source_text=ctx.message.text,
            chat_platform=ctx.message.platform,
            chat_id=ctx.message.chat.chat_id,
        )
        for result in results:
            rec = result.record
            if rec.status == "planned" or result.completed:
                ctx.reminders.activity_changed(rec.id)
        ids = tuple(r.record.id for r in results)
        outcome = "merged" if all(r.merged for r in results) else "recorded"
        if len(results) == 1:
            text = self._one_reply(ctx, results[0], notes_of(reports[0]))
        else:
            firsts = [self._first_reporter(ctx, r) for r in results]
            text = report_list_reply(results, firsts, [notes_of(x) for x in reports])
        return Outcome(Reply(text), outcome, ids[0], ids)

    @staticmethod
    def save_all(
        ctx: HandlerContext,
        reports: list[Any],
        *,
        person: Person,
        message_id: int | None,
        source_text: str,
        chat_platform: str,
        chat_id: str,
    ) -> list[SaveResult]:
        alliance_id = ctx.alliance.id if ctx.alliance else None
        results: list[SaveResult] = []
        touched: set[int] = set()
        for report in reports:
            result = save_report(
                ctx.session,
                report,
                alliance_id=alliance_id,
                person_id=person.id,
                reporter_name=person.name,
                message_id=message_id,
                source_text=source_text,
                chat_platform=chat_platform,
                chat_id=chat_id,
                exclude_ids=frozenset(touched),
            )
            touched.add(result.record.id)
            results.append(result)
        return results

    def _first_reporter(self, ctx: HandlerContext, result: SaveResult) -> str | None:
        if not result.merged:
            return None
        names = [r.reporter_name for r in reporters_of(ctx.session, result.record.id)]
        return names[0] if names and names[0] != ctx.me.name else None

    def _one_reply(self, ctx: HandlerContext, result: SaveResult, notes: tuple[str, ...]) -> str:
        rec = result.record
        person = ctx.me
        names = (
            [r.reporter_name or "" for r in reporters_of(ctx.session, rec.id)]
            if result.merged
            else [person.name]
        )
        first = names[0] if result.merged and names and names[0] != person.name else None
        # The hint examples read the alliance's schools: only a reply that asks for a
        # missing field shows them (most do not, and this runs for every report).
        return report_reply(
            rec,
            merged=result.merged,
            completed=result.completed,
            first_reporter=first,
            reporters=names,
            notes=notes,
            examples=hint_examples(ctx) if missing_fields(rec) else None,
        )

    def _fill_missing(
        self, ctx: HandlerContext, parser: Any, sender: Sender | None
    ) -> Outcome | None:
        """A short answer ("11月20日", "听课15人", "马欣瑞老师") to what the bot asked about the
        sender's last report fills that field (handlers/followups.py says when a message is
        one). Anything else returns None and is read as a new message."""
        msg = ctx.message
        answer = find_answer(ctx.session, parser, msg, msg.text, ctx.me.id, sender, ctx.tz)
        if answer is None:
            return None
        if answer.record is None:
            ids = "、".join(f"#{i}" for i in answer.candidates)
            what = "、".join(FIELD_CN.get(f, f) for f in answer.fields)
            hint = MISSING_HINTS.get(answer.fields[0], "字段 值") if answer.fields else "字段 值"
            return Outcome(
                Reply(
                    f"你最近上报的 {ids} 都缺{what},我不确定补给哪一条。"
                    f"请发 /修改 编号 字段 值,例如 /修改 {answer.candidates[0]} {hint}。"
                ),
                "chat",
            )
        rec = answer.record
        msg_id = ctx.inbound.id if ctx.inbound else None
        for f, v in answer.changes.items():
            set_field(ctx.session, rec, f, v, actor=ctx.me.id, message_id=msg_id)
            if f in ("to_school", "from_school") and v not in (rec.schools or []):
                set_field(
                    ctx.session,
                    rec,
                    "schools",
                    [*(rec.schools or []), v],
                    actor=ctx.me.id,
                    message_id=msg_id,
                )
        if "date" in answer.changes or "status" in answer.changes:
            ctx.reminders.activity_changed(rec.id)
        names = "、".join(FIELD_CN.get(f, f) for f in answer.changes)
        lines = [f"已补充记录 #{rec.id}:{names}"] + describe_record(rec)
        still = missing_fields(rec)
        if still:
            lines.append(f"还缺:{'、'.join(FIELD_CN.get(m, m) for m in still)}")
        return Outcome(Reply("\n".join(lines)), "recorded", rec.id, (rec.id,))

    # -- replay of reports kept while the sender was unknown ----------------------------
    def replay_pending(
        self, ctx: HandlerContext, platform: str, user_id: str, person: Person
    ) -> list[int]:
        """Save the reports a newly confirmed sender made before binding. Returns record ids."""
        saved: list[int] = []
        pending = ctx.session.exec(
            select(InboundMessage)
            .where(
                InboundMessage.platform == platform,
                InboundMessage.sender_id == user_id,
                col(InboundMessage.outcome) == "pending_bind",
            )
            .order_by(col(InboundMessage.id))
        ).all()
        if not pending:
            return saved
        parser = self.parsers.get(ctx.session)
        school = ctx.session.get(School, person.school_id) if person.school_id else None
        sender = self.sender_of(person, school)
        for m in pending:
            reports = reports_of(read(parser, m.raw_text, m.sent_at.astimezone(ctx.tz), sender))
            if not reports:
                m.outcome = "chat"
                continue
            results = self.save_all(
                ctx,
                reports,
                person=person,
                message_id=m.id,
                source_text=m.raw_text,
                chat_platform=m.platform,
                chat_id=m.chat_id,
            )
            m.outcome = "merged" if all(r.merged for r in results) else "recorded"
            m.record_id = results[0].record.id
            m.person_id = person.id
            ctx.session.add(m)
            for result in results:
                saved.append(result.record.id)
                if result.record.status == "planned" or result.completed:
                    ctx.reminders.activity_changed(result.record.id)
        return saved


def hint_examples(ctx: HandlerContext) -> dict[str, str]:
    """Example values for fix-it hints from the asker's own alliance and name."""
    from handlers.targets import alliance_schools
    from storage.queries import alliance_of_school

    out: dict[str, str] = {}
    if ctx.person is not None:
        out["teachers"] = ctx.person.name
    alliance = ctx.alliance or (
        alliance_of_school(ctx.session, ctx.person.school_id) if ctx.person else None
    )
    if alliance is None:
        return out
    aid = alliance.id

    def load() -> Any:
        return alliance_schools(ctx.session, aid)

    # Most reports miss a field, so their replies show these examples: the alliance's
    # schools come from the server's lookup cache (sender and chat live there too).
    info = ctx.cached(("alliance_schools", aid), load) if ctx.cached else load()
    own = ctx.school.name if ctx.school is not None else None
    others = [m for m in info.members if m != own]
    if others or info.members:
        out["schools"] = out["to_school"] = (others or list(info.members))[0]
    if info.core:
        out["from_school"] = info.core
    return out
