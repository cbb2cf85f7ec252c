"""The reminder scheduler: the database holds every reminder, APScheduler only wakes us up.

- `sync_from_db()` asks every reminder kind (scheduler.kinds) which `Reminder` rows the
  database wants (idempotent by `dedup_key`; stale ones are cancelled), see scheduler.sync.
- APScheduler (AsyncIOScheduler, memory job store) gets one date job per scheduled
  reminder, calling this runner's `_job_fire(reminder_id)` (jobs carry only the id, like
  python-telegram-bot's JobQueue: the store can be rebuilt from the database at any time),
  plus a periodic `tick` that re-syncs (rules added by another worker are seen) and fires
  what is due.
- Firing is scheduler.delivery: claim first, whoever inserts the claim sends.

The runner implements the handlers' reminder port (activity_changed, meeting_rules_changed,
upcoming) and is owned by the composition root.
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
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from handlers.ports import Clock, Pusher
from scheduler import sync
from scheduler.delivery import Delivery
from scheduler.kinds import KIND_CN, Changes, KindEnv
from scheduler.kinds.base import DigestText, aware
from scheduler.meeting_config import import_config_meetings
from storage.db import session_scope
from storage.models import Alliance, Reminder

log = logging.getLogger("scheduler")


class ReminderScheduler:
    """Implements the handlers' reminder port; owned by the composition root."""

    def __init__(
        self,
        engine: Engine,
        settings: Any,
        pusher: Pusher,
        clock: Clock,
        digest_text: DigestText | None = None,
        worker_id: str | None = None,
        *,
        config_meetings: Sequence[dict] = (),
        retry_delays: Sequence[int] = (300, 900),
        resync_minutes: int = 5,
        horizon_days: int = 45,
        sync_delay_s: float = 2.0,
    ):
        self.engine = engine
        self.settings = settings
        self.rs = settings.reminders
        self.clock = clock
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.config_meetings = tuple(config_meetings)
        self.resync_minutes = resync_minutes
        self.sync_delay_s = sync_delay_s
        self.env = KindEnv.from_settings(
            settings, horizon_days=horizon_days, digest_text=digest_text
        )
        self.tz = self.env.tz
        self.calendar = self.env.calendar
        self.delivery = Delivery(
            engine,
            self.env,
            pusher,
            self.worker_id,
            retry_delays=retry_delays,
            on_retry=self._retry_later,
        )
        self._aps: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._pending_records: set[int] = set()
        self._pending_alliances: set[int] = set()
        self._inflight: set[asyncio.Task] = set()

    def now(self) -> dt.datetime:
        return aware(self.clock.now()).astimezone(dt.UTC)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        return self.env.today(now or self.now())

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._aps is not None and self._aps.running

    async def start(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self._loop = asyncio.get_running_loop()
        if self.config_meetings:
            await asyncio.to_thread(self.import_config_meetings, self.config_meetings)
        await asyncio.to_thread(self.sync_from_db)
        self._aps = AsyncIOScheduler(
            timezone=dt.UTC,
            event_loop=self._loop,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._aps.add_job(
            self._job_tick,
            IntervalTrigger(minutes=self.resync_minutes),
            id="tick",
            replace_existing=True,
        )
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
        log.info("reminder scheduler %s stopped", self.worker_id)

    def wakeup(self) -> None:
        """Ask APScheduler to look at its jobs again (after the test moved the clock)."""
        if self._aps is not None and self._aps.running:
            self._aps.wakeup()

    # -- APScheduler job targets (arguments are ids only) -----------------------------
    @contextlib.asynccontextmanager
    async def _job(self) -> AsyncIterator[None]:
        """Wrap a job run so shutdown() can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def _job_fire(self, reminder_id: int) -> None:
        """Send one reminder (claims its delivery first; never sends twice)."""
        async with self._job():
            await self.fire(reminder_id)

    async def _job_tick(self) -> None:
        """Periodic: re-sync from the database (rules added by other workers), fire what is due."""
        async with self._job():
            await self.resync()

    async def _job_sync_pending(self) -> None:
        """Soon after a handler reported a change: resync those records / alliances."""
        async with self._job():
            await self.sync_pending()

    # -- the handlers' reminder port (called from handler threads, in their transaction) --
    def activity_changed(self, activity_id: int) -> None:
        with self._lock:
            self._pending_records.add(activity_id)
        self._kick()

    def meeting_rules_changed(self, alliance_id: int) -> None:
        with self._lock:
            self._pending_alliances.add(alliance_id)
        self._kick()

    def upcoming(
        self, alliance_id: int | None, days: int, session: Session | None = None
    ) -> list[dict]:
        if session is not None:
            return self.upcoming_fires(session, days, alliance_id)
        with Session(self.engine) as s:
            return self.upcoming_fires(s, days, alliance_id)

    def _kick(self) -> None:
        # The handler has not committed yet: resync a little later, from the event loop.
        if self._loop is None or not self.running:
            return

        def add() -> None:
            if self._aps is None or not self._aps.running:
                return
            from apscheduler.triggers.date import DateTrigger

            when = self.now() + dt.timedelta(seconds=self.sync_delay_s)
            self._aps.add_job(
                self._job_sync_pending, DateTrigger(when), id="sync_pending", replace_existing=True
            )

        self._loop.call_soon_threadsafe(add)

    def upcoming_fires(
        self, session: Session, days: int, alliance_id: int | None = None
    ) -> list[dict]:
        """Scheduled reminders in the next `days` days (for `/会议` and `alliance-bot reminders`)."""
        now = self.now()
        q = select(Reminder).where(
            Reminder.status == "scheduled",
            Reminder.fire_at <= now + dt.timedelta(days=days),
            Reminder.fire_at >= now - dt.timedelta(minutes=self.rs.grace_minutes),
        )
        if alliance_id is not None:
            q = q.where(Reminder.alliance_id == alliance_id)
        names: dict[int | None, str] = {a.id: a.name for a in session.exec(select(Alliance)).all()}
        out = []
        for r in session.exec(q.order_by(col(Reminder.fire_at), col(Reminder.id))).all():
            local = aware(r.fire_at).astimezone(self.tz)
            out.append(
                {
                    "id": r.id,
                    "time": local.isoformat(timespec="minutes"),
                    "fire_at": aware(r.fire_at),
                    "alliance_id": r.alliance_id,
                    "alliance": names.get(r.alliance_id, ""),
                    "group": f"{r.platform}:{r.chat_id}" if r.chat_id else "",
                    "kind": r.kind,
                    "kind_cn": KIND_CN.get(r.kind, r.kind),
                    "text": r.text,
                    "occurs_on": r.occurs_on,
                    "calendar": self.calendar.calendar_source(r.occurs_on or local.date()),
                }
            )
        return out

    # -- configuration meetings ([[meetings]] in the roster/config) --------------------
    def import_config_meetings(self, entries: Iterable[dict]) -> list[str]:
        """See scheduler.meeting_config.import_config_meetings (Chinese error lines)."""
        return import_config_meetings(self.engine, entries, self.today())

    # -- sync: database state -> reminder rows ------------------------------------------
    def sync_from_db(self, now: dt.datetime | None = None) -> None:
        now = now or self.now()
        with session_scope(self.engine) as s:
            sync.sync(self.env, s, now)
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
            with session_scope(self.engine) as s:
                sync.sync(self.env, s, self.now(), Changes(frozenset(recs), frozenset(alls)))

        await asyncio.to_thread(work)
        await asyncio.to_thread(self._reschedule_jobs)
        await self.run_due()

    async def resync(self) -> None:
        await asyncio.to_thread(self.sync_from_db)
        await asyncio.to_thread(self._reschedule_jobs)
        await self.run_due()

    # -- APScheduler date jobs -------------------------------------------------------------
    def _reschedule_jobs(self) -> None:
        """Rebuild the date jobs from the database (ids only)."""
        aps = self._aps
        if aps is None or not aps.running:
            return
        horizon = self.now() + dt.timedelta(days=2)
        with Session(self.engine) as s:
            rows = s.exec(
                select(Reminder.id, Reminder.fire_at, Reminder.payload).where(
                    Reminder.status == "scheduled", Reminder.fire_at <= horizon
                )
            ).all()
        wanted = {}
        for rid, fire_at, payload in rows:
            when = aware(fire_at)
            retry = (payload or {}).get("retry_at")
            if retry:
                when = aware(dt.datetime.fromisoformat(retry))
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
        self._aps.add_job(
            self._job_fire, DateTrigger(when), args=(reminder_id,), id=job_id, replace_existing=True
        )

    def _retry_later(self, reminder_id: int, when: dt.datetime) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(
                self._add_fire_job, f"r:{reminder_id}", reminder_id, when
            )

    # -- firing ----------------------------------------------------------------------------
    async def run_due(self, now: dt.datetime | None = None) -> int:
        """Fire everything due at `now` (default: the clock). Returns how many were looked at.
        Tests call this after moving the frozen clock instead of sleeping."""
        if self._pending_records or self._pending_alliances:
            await self.sync_pending()
        now = now or self.now()
        ids = await asyncio.to_thread(self.delivery.due, now)
        for rid in ids:
            await self.fire(rid, now=now)
        return len(ids)

    async def fire(self, reminder_id: int, now: dt.datetime | None = None) -> str:
        """Send one reminder at most once. Returns what happened (for logs and tests)."""
        return await self.delivery.fire(reminder_id, now or self.now())
