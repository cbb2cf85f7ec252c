"""The reminder scheduler: the database holds every reminder, APScheduler only wakes us up.

- `sync_from_db()` turns planned records, meeting rules, the weekly digest and the monthly
  chase into `Reminder` rows (idempotent by `dedup_key`; stale ones are cancelled).
- APScheduler (AsyncIOScheduler, memory job store) gets one date job per scheduled
  reminder, targeting `scheduler.jobs.fire(worker_id, reminder_id)`, plus a periodic
  `tick` that re-syncs (so rules added by another worker are seen) and fires what is due.
- `fire()` claims the delivery first (INSERT into reminder_delivery, unique on reminder +
  scheduled time): whoever inserts sends, everyone else skips. A failed push is recorded
  and retried later by taking over the failed claim with a compare-and-set update.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from handlers.events import ChatRef, Mention, OutboundMessage
from handlers.ports import Clock, Pusher, PushResult
from scheduler import jobs
from scheduler.calendar import SOURCE_FALLBACK, WorkCalendar, md, weekday_cn
from scheduler.triggers import describe_rule, local_to_utc, next_occurrences, occurrences, \
    parse_meeting_rule, validate_rule
from storage.db import session_scope
from storage.models import Alliance, AllianceMember, ChatGroup, MeetingRule, Record, \
    RecordSchool, Reminder, ReminderDelivery, School
from storage.queries import mention_ids
from storage.types import utcnow

log = logging.getLogger("scheduler")

DigestText = Callable[[int, dt.datetime], "str | None"]

PLANNED_KINDS = ("planned_eve", "planned_morning", "planned_followup")
MEETING_KINDS = ("meeting_eve", "meeting_hour")
KIND_CN = {"planned_eve": "活动前一天", "planned_morning": "活动当天", "planned_followup":
           "活动确认", "meeting_eve": "会议前一天", "meeting_hour": "会议前", "digest": "进度简报",
           "chase": "月度催报"}
ACTIVITY_CN = {"lesson_delivery": "送教下乡", "sync_class": "同步课堂", "joint_research": "联合教研",
               "demo_lesson": "示范课", "lecture_training": "讲座培训", "meeting": "会议",
               "student_activity": "学生活动", "competition": "比赛", "inspection": "视导检查",
               "resource_support": "资源支持", "open_day": "开放日"}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


@dataclass
class _Want:
    """One reminder the current state of the database asks for."""

    dedup_key: str
    kind: str
    alliance_id: int | None
    fire_at: dt.datetime
    occurs_on: dt.date | None
    platform: str | None
    chat_id: str | None
    text: str
    record_id: int | None = None
    meeting_rule_id: int | None = None
    payload: dict | None = None


class ReminderScheduler:
    """Implements the handlers' ReminderPort; owned by the composition root."""

    def __init__(self, engine: Engine, settings: Any, pusher: Pusher, clock: Clock,
                 digest_text: DigestText | None = None, worker_id: str | None = None, *,
                 config_meetings: Sequence[dict] = (), retry_delays: Sequence[int] = (300, 900),
                 resync_minutes: int = 5, horizon_days: int = 45, sync_delay_s: float = 2.0):
        self.engine = engine
        self.settings = settings
        self.rs = settings.reminders
        self.pusher = pusher
        self.clock = clock
        self.digest_text = digest_text
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.config_meetings = tuple(config_meetings)
        self.retry_delays = tuple(retry_delays)
        self.resync_minutes = resync_minutes
        self.horizon_days = horizon_days
        self.sync_delay_s = sync_delay_s
        self.tz = ZoneInfo(settings.timezone)
        self.calendar = WorkCalendar.from_settings(settings)
        self._aps = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._pending_records: set[int] = set()
        self._pending_alliances: set[int] = set()
        self._inflight: set[asyncio.Task] = set()

    # -- configuration -----------------------------------------------------------------
    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_delays)

    def _kind_enabled(self, kind: str, alliance_name: str | None) -> bool:
        if not self.rs.enabled:
            return False
        if kind in (getattr(self.rs, "disabled_kinds", None) or ()):
            return False
        return alliance_name not in (getattr(self.rs, "disabled_alliances", None) or ())

    def now(self) -> dt.datetime:
        return _aware(self.clock.now()).astimezone(dt.timezone.utc)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        return (now or self.now()).astimezone(self.tz).date()

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._aps is not None and self._aps.running

    async def start(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self._loop = asyncio.get_running_loop()
        jobs.register(self.worker_id, self)
        if self.config_meetings:
            await asyncio.to_thread(self.import_config_meetings, self.config_meetings)
        await asyncio.to_thread(self.sync_from_db)
        self._aps = AsyncIOScheduler(timezone=dt.timezone.utc, event_loop=self._loop,
                                     job_defaults={"coalesce": True, "max_instances": 1,
                                                   "misfire_grace_time": None})
        self._aps.add_job(jobs.tick, IntervalTrigger(minutes=self.resync_minutes),
                          args=(self.worker_id,), id="tick", replace_existing=True)
        self._aps.start()
        await self.run_due()  # late (within grace) or missed while we were down
        await asyncio.to_thread(self._reschedule_jobs)
        log.info("reminder scheduler %s started", self.worker_id)

    async def shutdown(self) -> None:
        """Stop taking jobs, wait for the running ones, then stop APScheduler."""
        aps, self._aps = self._aps, None
        if aps is not None and aps.running:
            aps.pause()
        me = asyncio.current_task()
        while True:
            tasks = [t for t in self._inflight if t is not me and not t.done()]
            if not tasks:
                break
            await asyncio.gather(*tasks, return_exceptions=True)
        if aps is not None and aps.running:
            # AsyncIOExecutor cancels still-pending coroutines; ours have finished above.
            aps.shutdown(wait=False)
        jobs.unregister(self.worker_id)
        log.info("reminder scheduler %s stopped", self.worker_id)

    @contextlib.asynccontextmanager
    async def job(self):  # noqa: ANN201
        """Wrap a job run so shutdown() can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    def wakeup(self) -> None:
        """Ask APScheduler to look at its jobs again (after the test moved the clock)."""
        if self._aps is not None and self._aps.running:
            self._aps.wakeup()

    # -- ReminderService (called from handler threads, inside their transaction) -------
    def activity_changed(self, activity_id: int) -> None:
        with self._lock:
            self._pending_records.add(activity_id)
        self._kick()

    def meeting_rules_changed(self, alliance_id: int) -> None:
        with self._lock:
            self._pending_alliances.add(alliance_id)
        self._kick()

    def _kick(self) -> None:
        # The handler has not committed yet: resync a little later, from the event loop.
        if self._loop is None or not self.running:
            return

        def add() -> None:
            if self._aps is None or not self._aps.running:
                return
            from apscheduler.triggers.date import DateTrigger

            when = self.now() + dt.timedelta(seconds=self.sync_delay_s)
            self._aps.add_job(jobs.sync_pending, DateTrigger(when), args=(self.worker_id,),
                              id="sync_pending", replace_existing=True)

        self._loop.call_soon_threadsafe(add)

    def preview_meeting_rule(self, text: str, today: dt.date) -> dict:
        """Parse a Chinese meeting rule; ValueError (Chinese message) when it is not one."""
        p = parse_meeting_rule(text, today)
        nxt = self.next_meetings(p.rule, p.holiday_policy, today)
        warnings = list(p.warnings)
        if any(o["calendar"] == SOURCE_FALLBACK for o in nxt):
            warnings.append(self.fallback_warning())
        return {"rule": p.rule, "title": p.title, "holiday_policy": p.holiday_policy,
                "summary": describe_rule(p.rule), "next": nxt, "warnings": warnings}

    def next_meetings(self, rule: dict, holiday_policy: str, after: dt.date,
                      count: int = 3) -> list[dict]:
        occ = next_occurrences(rule, holiday_policy, after, self.calendar, count)
        return [{"date": o.date, "time": o.time, "nominal": o.nominal, "note": o.note,
                 "label": f"{md(o.date)}({weekday_cn(o.date)}){o.time}",
                 "calendar": self.calendar.calendar_source(o.date)} for o in occ]

    def calendar_source(self, day: dt.date) -> str:
        return self.calendar.calendar_source(day)

    @staticmethod
    def fallback_warning() -> str:
        # Read by principals and teachers: no library or configuration names here (the
        # CLI adds where to fill the days in for the IT person).
        return ("注意:这一年的法定节假日和调休安排还没有录入,提醒暂时只按周六、周日休息计算,"
                "遇节假日不会自动调整。请联系管理员补充该年的节假日安排。")

    def upcoming(self, alliance_id: int | None, days: int,
                 session: Session | None = None) -> list[dict]:
        if session is not None:
            return self.upcoming_fires(session, days, alliance_id)
        with Session(self.engine) as s:
            return self.upcoming_fires(s, days, alliance_id)

    def upcoming_fires(self, session: Session, days: int,
                       alliance_id: int | None = None) -> list[dict]:
        """Scheduled reminders in the next `days` days (for `/会议` and `alliance-bot reminders`)."""
        now = self.now()
        q = select(Reminder).where(Reminder.status == "scheduled",
                                   Reminder.fire_at <= now + dt.timedelta(days=days),
                                   Reminder.fire_at >= now - dt.timedelta(minutes=self.rs.grace_minutes))
        if alliance_id is not None:
            q = q.where(Reminder.alliance_id == alliance_id)
        names = {a.id: a.name for a in session.exec(select(Alliance)).all()}
        out = []
        for r in session.exec(q.order_by(Reminder.fire_at, Reminder.id)).all():
            local = _aware(r.fire_at).astimezone(self.tz)
            out.append({
                "id": r.id, "time": local.isoformat(timespec="minutes"),
                "fire_at": _aware(r.fire_at), "alliance_id": r.alliance_id,
                "alliance": names.get(r.alliance_id, ""),
                "group": f"{r.platform}:{r.chat_id}" if r.chat_id else "",
                "kind": r.kind, "kind_cn": KIND_CN.get(r.kind, r.kind),
                "text": r.text, "occurs_on": r.occurs_on,
                "calendar": self.calendar.calendar_source(r.occurs_on or local.date()),
            })
        return out

    # -- configuration meetings ([[meetings]] in the roster/config) --------------------
    def import_config_meetings(self, entries: Iterable[dict]) -> list[str]:
        """Upsert [[meetings]] tables (alliance, title, rule, holiday_policy) as source=config
        rules; config rules no longer listed are deactivated. Returns Chinese error lines."""
        errors: list[str] = []
        today = self.today()
        with session_scope(self.engine) as s:
            alliances = {a.name: a for a in s.exec(select(Alliance)).all()}
            seen: set[int] = set()
            for i, e in enumerate(entries, 1):
                where = f"[[meetings]] 第{i}项"
                a = alliances.get(str(e.get("alliance", "")))
                if a is None:
                    errors.append(f"{where}: 找不到联盟“{e.get('alliance')}”")
                    continue
                policy = e.get("holiday_policy", "previous")
                if policy not in ("previous", "next", "skip"):
                    errors.append(f"{where}: holiday_policy 应为 previous、next 或 skip")
                    continue
                try:
                    p = parse_meeting_rule(str(e.get("rule", "")), today)
                except ValueError as err:
                    errors.append(f"{where}: {err}")
                    continue
                title = str(e.get("title") or p.title)
                row = s.exec(select(MeetingRule).where(MeetingRule.alliance_id == a.id,
                                                       MeetingRule.source == "config",
                                                       MeetingRule.title == title)).first()
                if row is None:
                    row = MeetingRule(alliance_id=a.id, title=title, rule_text=str(e["rule"]),
                                      rule=p.rule, holiday_policy=policy, source="config")
                elif row.rule_text != str(e["rule"]) or row.holiday_policy != policy \
                        or not row.active:
                    row.rule_text, row.rule, row.holiday_policy = str(e["rule"]), p.rule, policy
                    row.active, row.updated_at = True, utcnow()
                s.add(row)
                s.flush()
                seen.add(row.id)
            for row in s.exec(select(MeetingRule).where(MeetingRule.source == "config",
                                                        MeetingRule.active == True)).all():  # noqa: E712
                if row.id not in seen:
                    row.active = False
                    s.add(row)
        for err in errors:
            log.warning("%s", err)
        return errors

    # -- sync: database state -> reminder rows ------------------------------------------
    def sync_from_db(self, now: dt.datetime | None = None) -> None:
        now = now or self.now()
        with session_scope(self.engine) as s:
            self._sync_planned(s, now, None)
            self._sync_meetings(s, now, None)
            self._sync_periodic(s, now)
        with self._lock:
            self._pending_records.clear()
            self._pending_alliances.clear()

    async def sync_pending(self) -> None:
        with self._lock:
            recs, alls = set(self._pending_records), set(self._pending_alliances)
            self._pending_records -= recs
            self._pending_alliances -= alls
        if not recs and not alls:
            return

        def work() -> None:
            now = self.now()
            with session_scope(self.engine) as s:
                if recs:
                    self._sync_planned(s, now, recs)
                for a in alls:
                    self._sync_meetings(s, now, a)

        await asyncio.to_thread(work)
        await asyncio.to_thread(self._reschedule_jobs)
        await self.run_due()

    async def resync(self) -> None:
        await asyncio.to_thread(self.sync_from_db)
        await asyncio.to_thread(self._reschedule_jobs)
        await self.run_due()

    def _groups(self, s: Session) -> tuple[dict[int, ChatGroup], dict[int, ChatGroup],
                                          dict[tuple[str, str], ChatGroup]]:
        """alliance id -> its alliance group, its principals group; (platform, chat) -> group."""
        def rank(g: ChatGroup) -> tuple:
            pushable = g.platform == "onebot" or (g.platform == "wecom" and bool(g.webhook_key))
            return (not pushable, g.id)

        main: dict[int, ChatGroup] = {}
        principals: dict[int, ChatGroup] = {}
        by_chat: dict[tuple[str, str], ChatGroup] = {}
        for g in sorted(s.exec(select(ChatGroup)).all(), key=rank):
            by_chat[(g.platform, g.chat_id)] = g
            target = principals if g.purpose == "principals" else main
            target.setdefault(g.alliance_id, g)
        return main, principals, by_chat

    def _apply(self, s: Session, now: dt.datetime, wants: list[_Want], scope) -> None:  # noqa: ANN001
        """Insert/refresh wanted rows; cancel scheduled rows in `scope` nobody wants."""
        keys = {w.dedup_key for w in wants}
        existing = {r.dedup_key: r for r in s.exec(
            select(Reminder).where(col(Reminder.dedup_key).in_(keys))).all()} if keys else {}
        for w in wants:
            r = existing.get(w.dedup_key)
            if r is None:
                if w.fire_at <= now:
                    continue  # only future reminders are created
                self._insert(s, w)
            elif r.status in ("scheduled", "cancelled") and not self._has_delivery(s, r.id):
                changed = (r.status, _aware(r.fire_at), r.platform, r.chat_id, r.text) != \
                    ("scheduled", w.fire_at, w.platform, w.chat_id, w.text)
                if r.status == "cancelled" and w.fire_at <= now:
                    continue
                if changed:
                    r.status, r.fire_at, r.platform, r.chat_id, r.text = \
                        "scheduled", w.fire_at, w.platform, w.chat_id, w.text
                    r.payload = dict(w.payload or {})
                    r.updated_at = utcnow()
                    s.add(r)
        stale = s.exec(select(Reminder).where(Reminder.status == "scheduled", scope)).all()
        for r in stale:
            if r.dedup_key not in keys:
                r.status, r.updated_at = "cancelled", utcnow()
                s.add(r)
        s.flush()

    def _insert(self, s: Session, w: _Want) -> None:
        values = dict(dedup_key=w.dedup_key, kind=w.kind, alliance_id=w.alliance_id,
                      record_id=w.record_id, meeting_rule_id=w.meeting_rule_id,
                      occurs_on=w.occurs_on, fire_at=w.fire_at, platform=w.platform,
                      chat_id=w.chat_id, text=w.text, payload=dict(w.payload or {}),
                      status="scheduled", created_at=utcnow(), updated_at=utcnow())
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # Another worker may insert the same reminder at the same moment: first one wins.
        s.execute(insert(Reminder).values(**values).on_conflict_do_nothing(
            index_elements=["dedup_key"]))

    @staticmethod
    def _has_delivery(s: Session, reminder_id: int) -> bool:
        return s.exec(select(ReminderDelivery.id).where(
            ReminderDelivery.reminder_id == reminder_id)).first() is not None

    def _alliance_names(self, s: Session) -> dict[int, str]:
        return {a.id: a.name for a in s.exec(select(Alliance)).all()}

    # planned activities ----------------------------------------------------------------
    def _sync_planned(self, s: Session, now: dt.datetime, record_ids: set[int] | None) -> None:
        today = self.today(now)
        main, _, by_chat = self._groups(s)
        names = self._alliance_names(s)
        if record_ids is None:
            recs = s.exec(select(Record).where(Record.status == "planned",
                                               Record.deleted == False,  # noqa: E712
                                               Record.date >= today - dt.timedelta(days=1))).all()
            scope = col(Reminder.record_id).is_not(None)
        else:
            recs = [r for r in (s.get(Record, i) for i in record_ids) if r is not None]
            scope = col(Reminder.record_id).in_(record_ids)
        wants: list[_Want] = []
        for rec in recs:
            if rec.deleted or rec.status != "planned" or rec.date is None:
                continue
            group = by_chat.get((rec.chat_platform or "", rec.chat_id or "")) or \
                main.get(rec.alliance_id)
            if group is None:
                continue
            alliance_id = rec.alliance_id or group.alliance_id
            for kind, day, at in (
                    ("planned_eve", rec.date - dt.timedelta(days=1), self.rs.planned_day_before),
                    ("planned_morning", rec.date, self.rs.planned_same_day),
                    ("planned_followup", rec.date + dt.timedelta(days=1), self.rs.planned_follow_up)):
                if not self._kind_enabled(kind, names.get(alliance_id)):
                    continue
                wants.append(_Want(f"rec:{rec.id}:{kind}:{rec.date.isoformat()}", kind, alliance_id,
                                   local_to_utc(day, at, self.tz), rec.date, group.platform,
                                   group.chat_id, self._planned_text(kind, rec),
                                   record_id=rec.id))
        self._apply(s, now, wants, scope)

    def _planned_text(self, kind: str, rec: Record) -> str:
        what = ACTIVITY_CN.get(rec.kind or "", rec.kind or "活动")
        if rec.title:
            what += f"《{rec.title}》"
        if rec.subject:
            what = f"{rec.subject}{what}"
        where = "、".join(rec.schools or [])
        if rec.from_school and rec.to_school:
            where = f"{rec.from_school}→{rec.to_school}"
        desc = f"#{rec.id} {what}" + (f"({where})" if where else "")
        day = f"{md(rec.date)}({weekday_cn(rec.date)})"
        who = "、".join(rec.teachers or [])
        if kind == "planned_eve":
            return f"【活动提醒】明天 {day} 有计划活动 {desc}" + (f",{who} 请做好准备。" if who else "。")
        if kind == "planned_morning":
            return f"【今日活动】今天 {day} 有计划活动 {desc}" + (f",{who} 加油!" if who else "。")
        return (f"【活动确认】计划于 {day} 开展的 {desc} 还标记为“计划中”,是否已开展?"
                f"已开展回复 /完成 {rec.id} 听课15人 即可;改期请 /修改 {rec.id} 日期 新日期。")

    # meetings ----------------------------------------------------------------------------
    def _sync_meetings(self, s: Session, now: dt.datetime, alliance_id: int | None) -> None:
        today = self.today(now)
        main, _, _ = self._groups(s)
        names = self._alliance_names(s)
        q = select(MeetingRule).where(MeetingRule.active == True)  # noqa: E712
        scope = col(Reminder.kind).in_(MEETING_KINDS)
        if alliance_id is not None:
            q = q.where(MeetingRule.alliance_id == alliance_id)
            scope = and_(scope, Reminder.alliance_id == alliance_id)
        wants: list[_Want] = []
        end = today + dt.timedelta(days=self.horizon_days)
        for rule in s.exec(q).all():
            group = main.get(rule.alliance_id)
            if group is None:
                continue
            try:
                occ = occurrences(validate_rule(dict(rule.rule)), rule.holiday_policy,
                                  today - dt.timedelta(days=1), end, self.calendar)
            except (ValueError, KeyError, TypeError) as e:
                log.warning("meeting rule %s unusable: %s", rule.id, e)
                continue
            for o in occ:
                start = local_to_utc(o.date, o.time, self.tz)
                for kind, fire_at in (
                        ("meeting_eve", local_to_utc(o.date - dt.timedelta(days=1),
                                                     self.rs.meeting_day_before, self.tz)),
                        ("meeting_hour", start - dt.timedelta(hours=self.rs.meeting_hours_before))):
                    if not self._kind_enabled(kind, names.get(rule.alliance_id)):
                        continue
                    wants.append(_Want(
                        f"meet:{rule.id}:{kind}:{o.date.isoformat()}", kind, rule.alliance_id,
                        fire_at, o.date, group.platform, group.chat_id,
                        self._meeting_text(kind, rule, o), meeting_rule_id=rule.id,
                        payload={"nominal": o.nominal.isoformat(), "note": o.note}))
        self._apply(s, now, wants, scope)

    def _meeting_text(self, kind: str, rule: MeetingRule, o) -> str:  # noqa: ANN001
        day = f"{md(o.date)}({weekday_cn(o.date)})"
        if kind == "meeting_eve":
            text = f"【会议提醒】明天 {day} {o.time} {rule.title}"
        else:
            h = self.rs.meeting_hours_before
            text = f"【会议提醒】今天 {o.time} {rule.title},{h} 小时后开始"
        text += f"。{o.note}。" if o.note else "。"
        if self.calendar.calendar_source(o.date) == SOURCE_FALLBACK:
            text += "(该年份无节假日数据,仅按周末计算)"
        return text

    # digest and chase -----------------------------------------------------------------
    def _sync_periodic(self, s: Session, now: dt.datetime) -> None:
        today = self.today(now)
        main, principals, _ = self._groups(s)
        wants: list[_Want] = []
        for a in s.exec(select(Alliance)).all():
            if self.digest_text is not None and self._kind_enabled("digest", a.name):
                g = principals.get(a.id) or main.get(a.id)
                if g is not None:
                    d = today + dt.timedelta(days=(self.rs.digest_weekday - today.weekday()) % 7)
                    for day in (d, d + dt.timedelta(days=7)):
                        wants.append(_Want(f"digest:{a.id}:{day.isoformat()}", "digest", a.id,
                                           local_to_utc(day, self.rs.digest_time, self.tz), day,
                                           g.platform, g.chat_id, "(发送时生成)进度简报"))
            g = main.get(a.id)
            if g is not None and self._kind_enabled("chase", a.name):
                y, m = today.year, today.month
                for _ in range(2):
                    day = dt.date(y, m, self.rs.chase_day)
                    wants.append(_Want(f"chase:{a.id}:{y:04d}-{m:02d}", "chase", a.id,
                                       local_to_utc(day, self.rs.chase_time, self.tz), day,
                                       g.platform, g.chat_id, "(发送时生成)本月未上报学校"))
                    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        self._apply(s, now, wants, col(Reminder.kind).in_(("digest", "chase")))

    def _chase_text(self, s: Session, alliance_id: int, day: dt.date) -> str | None:
        first = day.replace(day=1)
        members = s.exec(select(School).join(AllianceMember, AllianceMember.school_id == School.id)
                         .where(AllianceMember.alliance_id == alliance_id)
                         .order_by(AllianceMember.id)).all()
        reported = set(s.exec(
            select(RecordSchool.school_name).join(Record, Record.id == RecordSchool.record_id)
            .where(Record.deleted == False, Record.date >= first, Record.date <= day)  # noqa: E712
        ).all())
        reported |= set(s.exec(
            select(RecordSchool.school_id).join(Record, Record.id == RecordSchool.record_id)
            .where(Record.deleted == False, Record.date >= first, Record.date <= day,  # noqa: E712
                   col(RecordSchool.school_id).is_not(None))).all())
        missing = [sc.name for sc in members if sc.name not in reported and sc.id not in reported]
        if not missing:
            return None
        return (f"【月度提醒】{day.month}月已过{day.day}日,以下学校本月还没有上报活动:"
                f"{'、'.join(missing)}。请尽快开展并在群里上报(已开展未上报的请补报)。")

    # -- APScheduler jobs ------------------------------------------------------------------
    def _reschedule_jobs(self) -> None:
        """Rebuild the date jobs from the database (ids only)."""
        aps = self._aps
        if aps is None or not aps.running:
            return
        horizon = self.now() + dt.timedelta(days=2)
        with Session(self.engine) as s:
            rows = s.exec(select(Reminder.id, Reminder.fire_at, Reminder.payload).where(
                Reminder.status == "scheduled", Reminder.fire_at <= horizon)).all()
        wanted = {}
        for rid, fire_at, payload in rows:
            when = _aware(fire_at)
            retry = (payload or {}).get("retry_at")
            if retry:
                when = _aware(dt.datetime.fromisoformat(retry))
            wanted[f"r:{rid}"] = (rid, when)
        for job in aps.get_jobs():
            if job.id.startswith("r:") and job.id not in wanted:
                job.remove()
        for job_id, (rid, when) in wanted.items():
            self._add_fire_job(job_id, rid, when)

    def _add_fire_job(self, job_id: str, reminder_id: int, when: dt.datetime) -> None:
        from apscheduler.triggers.date import DateTrigger

        if self._aps is None or not self._aps.running:
            return
        existing = self._aps.get_job(job_id)
        if existing is not None and existing.next_run_time == when:
            return
        self._aps.add_job(jobs.fire, DateTrigger(when), args=(self.worker_id, reminder_id),
                          id=job_id, replace_existing=True)

    # -- firing ----------------------------------------------------------------------------
    async def run_due(self, now: dt.datetime | None = None) -> int:
        """Fire everything due at `now` (default: the clock). Returns how many were looked at.
        Tests call this after moving the frozen clock instead of sleeping."""
        if self._pending_records or self._pending_alliances:
            await self.sync_pending()
        now = now or self.now()

        def due() -> list[int]:
            with Session(self.engine) as s:
                rows = s.exec(select(Reminder.id, Reminder.payload).where(
                    Reminder.status == "scheduled", Reminder.fire_at <= now)
                    .order_by(Reminder.fire_at, Reminder.id)).all()
            return [rid for rid, p in rows
                    if not (p or {}).get("retry_at")
                    or _aware(dt.datetime.fromisoformat(p["retry_at"])) <= now]

        ids = await asyncio.to_thread(due)
        for rid in ids:
            await self.fire(rid, now=now)
        return len(ids)

    async def fire(self, reminder_id: int, now: dt.datetime | None = None) -> str:
        """Send one reminder at most once. Returns what happened (for logs and tests)."""
        try:
            return await self._fire(reminder_id, now or self.now())
        except Exception:  # a job error must not kill the scheduler
            log.exception("reminder %s failed", reminder_id)
            return "error"

    async def _fire(self, reminder_id: int, now: dt.datetime) -> str:
        outcome, claim = await asyncio.to_thread(self._claim, reminder_id, now)
        if outcome != "claimed":
            return outcome
        msg, reason = await asyncio.to_thread(self._render, reminder_id, now)
        if msg is None:
            await asyncio.to_thread(self._finish_empty, reminder_id, claim, reason)
            return "empty"
        try:
            result = await self.pusher.push(msg)
        except Exception as e:  # noqa: BLE001 - a pusher bug is a failed push, not a crash
            log.exception("pusher raised for reminder %s", reminder_id)
            result = PushResult(ok=False, error=f"{type(e).__name__}: {e}", retryable=True)
        return await asyncio.to_thread(self._finish, reminder_id, claim, result, now)

    def _claim(self, reminder_id: int, now: dt.datetime) -> tuple[str, int | None]:
        """Validate, then take the delivery claim. ("claimed", delivery id) or (why not, None)."""
        with session_scope(self.engine) as s:
            r = s.get(Reminder, reminder_id)
            if r is None or r.status != "scheduled":
                return "not-scheduled", None
            fire_at = _aware(r.fire_at)
            if fire_at > now:
                return "not-due", None
            stale = self._stale_reason(s, r)
            if stale:
                r.status, r.updated_at = "cancelled", utcnow()
                s.add(r)
                log.info("reminder %s cancelled: %s", r.id, stale)
                return "cancelled", None
            late = now - fire_at > dt.timedelta(minutes=self.rs.grace_minutes)
        # Insert the claim in its own transaction: the unique key decides who sends.
        try:
            with session_scope(self.engine) as s:
                d = ReminderDelivery(reminder_id=reminder_id, scheduled_for=fire_at,
                                     claimed_by=self.worker_id, claimed_at=now,
                                     status="missed" if late else "claimed",
                                     attempts=0 if late else 1,
                                     error=("错过发送时间超过宽限期,未发送" if late else None))
                s.add(d)
                s.flush()
                did = d.id
                if late:
                    r = s.get(Reminder, reminder_id)
                    r.status, r.updated_at = "missed", utcnow()
                    s.add(r)
                    log.warning("reminder %s missed (due %s, now %s)", reminder_id, fire_at, now)
                    return "missed", None
                return "claimed", did
        except IntegrityError:
            pass
        return self._claim_retry(reminder_id, fire_at, now)

    def _claim_retry(self, reminder_id: int, fire_at: dt.datetime,
                     now: dt.datetime) -> tuple[str, int | None]:
        """The claim exists: take it over only if it failed, may retry, and the retry is due."""
        with session_scope(self.engine) as s:
            d = s.exec(select(ReminderDelivery).where(
                ReminderDelivery.reminder_id == reminder_id,
                ReminderDelivery.scheduled_for == fire_at)).first()
            r = s.get(Reminder, reminder_id)
            if d is None or d.status != "failed" or d.attempts >= self.max_attempts:
                return "claimed-elsewhere", None
            retry_at = (r.payload or {}).get("retry_at")
            if not retry_at or _aware(dt.datetime.fromisoformat(retry_at)) > now:
                return "not-due", None
            res = s.execute(update(ReminderDelivery).where(
                ReminderDelivery.id == d.id, ReminderDelivery.status == "failed",
                ReminderDelivery.attempts == d.attempts).values(
                status="claimed", attempts=d.attempts + 1, claimed_by=self.worker_id,
                claimed_at=now))
            if res.rowcount != 1:
                return "claimed-elsewhere", None
            return "claimed", d.id

    def _stale_reason(self, s: Session, r: Reminder) -> str | None:
        """Why a scheduled reminder should no longer go out (state changed since sync)."""
        if r.kind in PLANNED_KINDS:
            rec = s.get(Record, r.record_id) if r.record_id else None
            if rec is None or rec.deleted:
                return "record deleted"
            if rec.status != "planned":
                return "record no longer planned"
            if rec.date != r.occurs_on:
                return "record re-dated"
        elif r.kind in MEETING_KINDS:
            rule = s.get(MeetingRule, r.meeting_rule_id) if r.meeting_rule_id else None
            if rule is None or not rule.active:
                return "meeting rule removed"
        names = self._alliance_names(s)
        if not self._kind_enabled(r.kind, names.get(r.alliance_id)):
            return "disabled in settings"
        return None

    def _render(self, reminder_id: int, now: dt.datetime) -> tuple[OutboundMessage | None, str]:
        with Session(self.engine) as s:
            r = s.get(Reminder, reminder_id)
            text = r.text
            mentions: tuple[Mention, ...] = ()
            if r.kind == "digest":
                text = self.digest_text(r.alliance_id, now) if self.digest_text else None
                if not text:
                    return None, "进度正常,无需提醒"
            elif r.kind == "chase":
                text = self._chase_text(s, r.alliance_id, r.occurs_on or self.today(now))
                if not text:
                    return None, "本月各校均已上报"
            elif r.kind in PLANNED_KINDS and r.record_id:
                rec = s.get(Record, r.record_id)
                ids = mention_ids(s, list(rec.teachers or []))
                mentions = tuple(Mention(n, ids.get(n, {})) for n in (rec.teachers or []))
            group = s.exec(select(ChatGroup).where(ChatGroup.platform == r.platform,
                                                   ChatGroup.chat_id == r.chat_id)).first()
            key = f"reminder:{r.id}:{_aware(r.fire_at).isoformat()}"
            return OutboundMessage(
                target=ChatRef(r.platform, r.chat_id), text=text, mentions=mentions,
                push_key=group.webhook_key if group else None, idempotency_key=key,
                extra={"reminder_id": r.id, "kind": r.kind}), ""

    def _finish_empty(self, reminder_id: int, claim: int, reason: str) -> None:
        with session_scope(self.engine) as s:
            d = s.get(ReminderDelivery, claim)
            d.status, d.error = "missed", f"未发送:{reason}"
            r = s.get(Reminder, reminder_id)
            r.status, r.updated_at = "cancelled", utcnow()
            s.add(d)
            s.add(r)

    def _finish(self, reminder_id: int, claim: int, result: PushResult, now: dt.datetime) -> str:
        retry_when = None
        with session_scope(self.engine) as s:
            d = s.get(ReminderDelivery, claim)
            r = s.get(Reminder, reminder_id)
            payload = dict(r.payload or {})
            payload.pop("retry_at", None)
            if result.ok:
                d.status, d.sent_at, d.error = "sent", now, None
                d.platform_message_id = result.platform_message_id
                r.status = "sent"
                outcome = "sent"
            else:
                d.status, d.error = "failed", (result.error or "发送失败")[:500]
                if result.retryable and d.attempts < self.max_attempts:
                    retry_when = now + dt.timedelta(seconds=self.retry_delays[d.attempts - 1])
                    payload["retry_at"] = retry_when.isoformat()
                    outcome = "retry"
                else:
                    r.status = "failed"
                    outcome = "failed"
                log.warning("reminder %s push failed (attempt %s): %s", reminder_id, d.attempts,
                            d.error)
            r.payload, r.updated_at = payload, utcnow()
            s.add(d)
            s.add(r)
        if retry_when is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._add_fire_job, f"r:{reminder_id}", reminder_id,
                                            retry_when)
        return outcome
