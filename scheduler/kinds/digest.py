"""The weekly progress digest (Monday by default) to the principals' group.

The text is built when it fires by the `digest_text` callable the composition root injects
(target progress lives in handlers); nothing is sent when progress is on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select

from handlers.text.dates import local_to_utc
from scheduler.kinds.base import Batch, Changes, Groups, KindEnv, Message, Want
from storage.models import Alliance, Reminder

DIGEST = "digest"


class WeeklyDigest:
    labels = {DIGEST: "进度简报"}

    def batches(
        self, env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None
    ) -> Iterable[Batch]:
        if changes is not None:
            return []
        today = env.today(now)
        groups = Groups.load(s)
        rs = env.rs
        wants: list[Want] = []
        for a in s.exec(select(Alliance)).all():
            if env.digest_text is None or not env.enabled(DIGEST, a.name):
                continue
            g = groups.principals.get(a.id) or groups.main.get(a.id)
            if g is None:
                continue
            d = today + dt.timedelta(days=(rs.digest_weekday - today.weekday()) % 7)
            for day in (d, d + dt.timedelta(days=7)):
                wants.append(
                    Want(
                        f"digest:{a.id}:{day.isoformat()}",
                        DIGEST,
                        a.id,
                        local_to_utc(day, rs.digest_time, env.tz),
                        day,
                        g.platform,
                        g.chat_id,
                        "(发送时生成)进度简报",
                    )
                )
        return [Batch(wants, col(Reminder.kind) == DIGEST)]

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        return None

    def message(self, env: KindEnv, s: Session, r: Reminder, now: dt.datetime) -> Message:
        if r.alliance_id is None:  # batches() always sets it for this kind
            return Message(None, empty_reason="提醒未关联联盟")
        text = env.digest_text(r.alliance_id, now) if env.digest_text else None
        return Message(text) if text else Message(None, empty_reason="进度正常,无需提醒")
