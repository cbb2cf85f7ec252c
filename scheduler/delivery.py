"""The delivery state machine around `reminder_delivery` rows: claim, send, finish, retry.

- claim: INSERT a delivery row (unique on reminder + scheduled time); whoever inserts sends,
  everyone else skips. Late beyond the grace period: recorded `missed`, not sent.
- send: the reminder's kind builds the message; an empty one is recorded and not sent.
- finish: `sent`, or `failed` with a retry time in the reminder's payload.
- retry: a later run takes over the failed claim with a compare-and-set update.
- expiry: a claim still `claimed` after `reminders.claim_expiry_minutes` belongs to a
  process that died mid-push (kill -9): a later run takes it over and sends. The dead push
  may have arrived, so a reminder can (rarely) go out twice; that beats never.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from handlers.events import ChatRef, OutboundMessage
from handlers.ports import Pusher, PushResult
from scheduler.kinds import BY_CODE, KindEnv
from scheduler.kinds.base import alliance_names, aware
from storage.db import session_scope
from storage.models import ChatGroup, Reminder, ReminderDelivery
from storage.types import utcnow

log = logging.getLogger("scheduler")

# Called (from a worker thread) when a failed push should be retried at a given time.
RetryHook = Callable[[int, dt.datetime], None]


class Delivery:
    def __init__(
        self,
        engine: Engine,
        env: KindEnv,
        pusher: Pusher,
        worker_id: str,
        *,
        retry_delays: Sequence[int] = (300, 900),
        on_retry: RetryHook | None = None,
    ):
        self.engine = engine
        self.env = env
        self.pusher = pusher
        self.worker_id = worker_id
        self.retry_delays = tuple(retry_delays)
        self.on_retry = on_retry

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_delays)

    def due(self, now: dt.datetime) -> list[int]:
        """Ids of scheduled reminders due at `now` (a pending retry only once its time came)."""
        with Session(self.engine) as s:
            rows = s.exec(
                select(Reminder.id, Reminder.payload)
                .where(Reminder.status == "scheduled", Reminder.fire_at <= now)
                .order_by(col(Reminder.fire_at), col(Reminder.id))
            ).all()
        return [
            rid
            for rid, p in rows
            if not (p or {}).get("retry_at")
            or aware(dt.datetime.fromisoformat(p["retry_at"])) <= now
        ]

    async def fire(self, reminder_id: int, now: dt.datetime) -> str:
        """Send one reminder at most once. Returns what happened (for logs and tests)."""
        try:
            return await self._fire(reminder_id, now)
        except Exception:  # a job error must not kill the scheduler
            log.exception("reminder %s failed", reminder_id)
            return "error"

    async def _fire(self, reminder_id: int, now: dt.datetime) -> str:
        outcome, claim = await asyncio.to_thread(self.claim, reminder_id, now)
        if outcome != "claimed" or claim is None:
            return outcome
        msg, reason = await asyncio.to_thread(self.render, reminder_id, now)
        if msg is None:
            await asyncio.to_thread(self.finish_empty, reminder_id, claim, reason)
            return "empty"
        try:
            result = await self.pusher.push(msg)
        except Exception as e:
            log.exception("pusher raised for reminder %s", reminder_id)
            result = PushResult(ok=False, error=f"{type(e).__name__}: {e}", retryable=True)
        return await asyncio.to_thread(self.finish, reminder_id, claim, result, now)

    # -- claim ---------------------------------------------------------------------------
    def claim(self, reminder_id: int, now: dt.datetime) -> tuple[str, int | None]:
        """Validate, then take the delivery claim. ("claimed", delivery id) or (why not, None)."""
        with session_scope(self.engine) as s:
            r = s.get(Reminder, reminder_id)
            if r is None or r.status != "scheduled":
                return "not-scheduled", None
            fire_at = aware(r.fire_at)
            if fire_at > now:
                return "not-due", None
            stale = self.stale_reason(s, r)
            if stale:
                r.status, r.updated_at = "cancelled", utcnow()
                s.add(r)
                log.info("reminder %s cancelled: %s", r.id, stale)
                return "cancelled", None
            late = now - fire_at > dt.timedelta(minutes=self.env.rs.grace_minutes)
        # Insert the claim in its own transaction: the unique key decides who sends.
        try:
            with session_scope(self.engine) as s:
                d = ReminderDelivery(
                    reminder_id=reminder_id,
                    scheduled_for=fire_at,
                    claimed_by=self.worker_id,
                    claimed_at=now,
                    status="missed" if late else "claimed",
                    attempts=0 if late else 1,
                    error=("错过发送时间超过宽限期,未发送" if late else None),
                )
                s.add(d)
                s.flush()
                did = d.id
                if late:
                    r = s.get_one(Reminder, reminder_id)
                    r.status, r.updated_at = "missed", utcnow()
                    s.add(r)
                    log.warning("reminder %s missed (due %s, now %s)", reminder_id, fire_at, now)
                    return "missed", None
                return "claimed", did
        except IntegrityError:
            pass
        return self._claim_retry(reminder_id, fire_at, now)

    def _claim_retry(
        self, reminder_id: int, fire_at: dt.datetime, now: dt.datetime
    ) -> tuple[str, int | None]:
        """The claim exists: take it over only if it failed, may retry, and the retry is due."""
        with session_scope(self.engine) as s:
            d = s.exec(
                select(ReminderDelivery).where(
                    ReminderDelivery.reminder_id == reminder_id,
                    ReminderDelivery.scheduled_for == fire_at,
                )
            ).first()
            r = s.get_one(Reminder, reminder_id)
            if d is not None and d.status == "claimed":
                return self._take_over_expired(s, d, fire_at, now)
            if d is None or d.status != "failed" or d.attempts >= self.max_attempts:
                return "claimed-elsewhere", None
            retry_at = (r.payload or {}).get("retry_at")
            if not retry_at or aware(dt.datetime.fromisoformat(retry_at)) > now:
                return "not-due", None
            res = s.execute(
                update(ReminderDelivery)
                .where(
                    col(ReminderDelivery.id) == d.id,
                    col(ReminderDelivery.status) == "failed",
                    col(ReminderDelivery.attempts) == d.attempts,
                )
                .values(
                    status="claimed",
                    attempts=d.attempts + 1,
                    claimed_by=self.worker_id,
                    claimed_at=now,
                )
            )
            if res.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; sqlmodel's execute() is typed Result
                return "claimed-elsewhere", None
            return "claimed", d.id

    def _take_over_expired(
        self, s: Session, d: ReminderDelivery, fire_at: dt.datetime, now: dt.datetime
    ) -> tuple[str, int | None]:
        """A claim still `claimed` after `claim_expiry_minutes` belongs to a process that
        died with the push in flight (kill -9, power loss): take it over and send again. The
        dead push may have arrived, so this can duplicate a reminder — rarely, and a
        duplicate is better than a reminder never sent. Before expiry: look again then."""
        expiry = dt.timedelta(minutes=self.env.rs.claim_expiry_minutes)
        claimed_at = aware(d.claimed_at)
        if now < claimed_at + expiry:
            if self.on_retry is not None:
                self.on_retry(d.reminder_id, claimed_at + expiry)
            return "claimed-elsewhere", None
        if now - fire_at > dt.timedelta(minutes=self.env.rs.grace_minutes) + expiry:
            d.status, d.error = "missed", "发送中断且已超过宽限期,未重发"
            r = s.get_one(Reminder, d.reminder_id)  # the delivery's foreign key
            r.status, r.updated_at = "missed", utcnow()
            s.add(d)
            s.add(r)
            log.warning("reminder %s: interrupted claim expired past the grace period", r.id)
            return "missed", None
        dead, did, reminder_id = d.claimed_by, d.id, d.reminder_id
        res = s.execute(
            update(ReminderDelivery)
            .where(
                col(ReminderDelivery.id) == did,
                col(ReminderDelivery.status) == "claimed",
                col(ReminderDelivery.claimed_at) == d.claimed_at,
            )
            .values(
                attempts=d.attempts + 1,
                claimed_by=self.worker_id,
                claimed_at=now,
                error=f"接管 {dead} 中断的发送",
            )
        )
        if res.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; sqlmodel's execute() is typed Result
            return "claimed-elsewhere", None
        log.warning(
            "reminder %s: claim of %s expired (push interrupted); sending again", reminder_id, dead
        )
        return "claimed", did

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        """Why a scheduled reminder should no longer go out (state changed since sync)."""
        kind = BY_CODE.get(r.kind)
        reason = kind.stale_reason(s, r) if kind is not None else None
        if reason:
            return reason
        if not self.env.enabled(r.kind, alliance_names(s).get(r.alliance_id or 0)):
            return "disabled in settings"
        return None

    # -- send ------------------------------------------------------------------------------
    def render(self, reminder_id: int, now: dt.datetime) -> tuple[OutboundMessage | None, str]:
        with Session(self.engine) as s:
            r = s.get_one(Reminder, reminder_id)
            kind = BY_CODE.get(r.kind)
            if kind is not None:
                m = kind.message(self.env, s, r, now)
                if m.text is None:
                    return None, m.empty_reason
                text, mentions = m.text, m.mentions
            else:
                text, mentions = r.text, ()
            if (
                r.platform is None or r.chat_id is None
            ):  # every kind's batches() sets both from a group
                return None, "提醒没有目标群"
            group = s.exec(
                select(ChatGroup).where(
                    ChatGroup.platform == r.platform, ChatGroup.chat_id == r.chat_id
                )
            ).first()
            key = f"reminder:{r.id}:{aware(r.fire_at).isoformat()}"
            return OutboundMessage(
                target=ChatRef(r.platform, r.chat_id),
                text=text,
                mentions=mentions,
                push_key=group.webhook_key if group else None,
                idempotency_key=key,
                extra={"reminder_id": r.id, "kind": r.kind},
            ), ""

    # -- finish ----------------------------------------------------------------------------
    def finish_empty(self, reminder_id: int, claim: int, reason: str) -> None:
        with session_scope(self.engine) as s:
            d = s.get_one(ReminderDelivery, claim)
            d.status, d.error = "missed", f"未发送:{reason}"
            r = s.get_one(Reminder, reminder_id)
            r.status, r.updated_at = "cancelled", utcnow()
            s.add(d)
            s.add(r)

    def finish(self, reminder_id: int, claim: int, result: PushResult, now: dt.datetime) -> str:
        retry_when = None
        with session_scope(self.engine) as s:
            d = s.get_one(ReminderDelivery, claim)
            r = s.get_one(Reminder, reminder_id)
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
                log.warning(
                    "reminder %s push failed (attempt %s): %s", reminder_id, d.attempts, d.error
                )
            r.payload, r.updated_at = payload, utcnow()
            s.add(d)
            s.add(r)
        if retry_when is not None and self.on_retry is not None:
            self.on_retry(reminder_id, retry_when)
        return outcome
