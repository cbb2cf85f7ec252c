"""Planned activities: the evening before, the morning of, and the day after (still planned?)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select

from handlers.events import Mention
from handlers.text.dates import local_to_utc, md
from handlers.text.weekdays import weekday_cn
from handlers.vocab import KIND_CN as ACTIVITY_CN
from scheduler.kinds.base import Batch, Changes, Groups, KindEnv, Message, Want
from storage.models import Record, Reminder
from storage.queries import mention_ids

EVE, MORNING, FOLLOWUP = "planned_eve", "planned_morning", "planned_followup"


class PlannedActivities:
    labels = {EVE: "活动前一天", MORNING: "活动当天", FOLLOWUP: "活动确认"}

    def batches(
        self, env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None
    ) -> Iterable[Batch]:
        if changes is not None and not changes.records:
            return []
        today = env.today(now)
        groups = Groups.load(s)
        if changes is None:
            recs = s.exec(
                select(Record).where(
                    Record.status == "planned",
                    Record.deleted == False,  # noqa: E712
                    col(Record.date) >= today - dt.timedelta(days=1),
                )
            ).all()
            scope = col(Reminder.record_id).is_not(None)
        else:
            recs = [r for r in (s.get(Record, i) for i in changes.records) if r is not None]
            scope = col(Reminder.record_id).in_(changes.records)
        wants: list[Want] = []
        rs = env.rs
        for rec in recs:
            if rec.deleted or rec.status != "planned" or rec.date is None:
                continue
            group = groups.by_chat.get(
                (rec.chat_platform or "", rec.chat_id or "")
            ) or groups.main.get(rec.alliance_id or 0)
            if group is None:
                continue
            alliance_id = rec.alliance_id or group.alliance_id
            for kind, day, at in (
                (EVE, rec.date - dt.timedelta(days=1), rs.planned_day_before),
                (MORNING, rec.date, rs.planned_same_day),
                (FOLLOWUP, rec.date + dt.timedelta(days=1), rs.planned_follow_up),
            ):
                if not env.enabled(kind, groups.alliance_names.get(alliance_id)):
                    continue
                wants.append(
                    Want(
                        f"rec:{rec.id}:{kind}:{rec.date.isoformat()}",
                        kind,
                        alliance_id,
                        local_to_utc(day, at, env.tz),
                        rec.date,
                        group.platform,
                        group.chat_id,
                        text(kind, rec),
                        record_id=rec.id,
                    )
                )
        return [Batch(wants, scope)]

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        rec = s.get(Record, r.record_id) if r.record_id else None
        if rec is None or rec.deleted:
            return "record deleted"
        if rec.status != "planned":
            return "record no longer planned"
        if rec.date != r.occurs_on:
            return "record re-dated"
        return None

    def message(self, env: KindEnv, s: Session, r: Reminder, now: dt.datetime) -> Message:
        rec = s.get(Record, r.record_id) if r.record_id else None
        if rec is None:
            return Message(r.text)
        ids = mention_ids(s, list(rec.teachers or []))
        return Message(r.text, tuple(Mention(n, ids.get(n, {})) for n in (rec.teachers or [])))


def text(kind: str, rec: Record) -> str:
    what = ACTIVITY_CN.get(rec.kind or "", rec.kind or "活动")
    if rec.title:
        what += f"《{rec.title}》"
    if rec.subject:
        what = f"{rec.subject}{what}"
    where = "、".join(rec.schools or [])
    if rec.from_school and rec.to_school:
        where = f"{rec.from_school}→{rec.to_school}"
    desc = f"#{rec.id} {what}" + (f"({where})" if where else "")
    assert rec.date is not None, "batches() skips undated records"
    day = f"{md(rec.date)}({weekday_cn(rec.date)})"
    who = "、".join(rec.teachers or [])
    if kind == EVE:
        return f"【活动提醒】明天 {day} 有计划活动 {desc}" + (
            f",{who} 请做好准备。" if who else "。"
        )
    if kind == MORNING:
        return f"【今日活动】今天 {day} 有计划活动 {desc}" + (f",{who} 加油!" if who else "。")
    return (
        f"【活动确认】计划于 {day} 开展的 {desc} 还标记为“计划中”,是否已开展?"
        f"已开展回复 /完成 {rec.id} 听课15人 即可;改期请 /修改 {rec.id} 日期 新日期。"
    )
