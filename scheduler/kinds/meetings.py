"""Recurring meetings: the day before, and some hours before the start."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import and_
from sqlmodel import Session, col, select

from handlers.meeting_rules import Occurrence, occurrences, validate_rule
from handlers.text.dates import local_to_utc, md
from handlers.text.weekdays import weekday_cn
from handlers.workdays import SOURCE_FALLBACK
from scheduler.kinds.base import Batch, Changes, Groups, KindEnv, Message, Want
from storage.models import MeetingRule, Reminder

log = logging.getLogger("scheduler")

EVE, HOUR = "meeting_eve", "meeting_hour"


class Meetings:
    labels = {EVE: "会议前一天", HOUR: "会议前"}

    def batches(
        self, env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None
    ) -> Iterable[Batch]:
        if changes is None:
            return [self._batch(env, s, now, None)]
        return [self._batch(env, s, now, a) for a in changes.alliances]

    def _batch(self, env: KindEnv, s: Session, now: dt.datetime, alliance_id: int | None) -> Batch:
        today = env.today(now)
        groups = Groups.load(s)
        q = select(MeetingRule).where(MeetingRule.active == True)  # noqa: E712
        scope = col(Reminder.kind).in_(tuple(self.labels))
        if alliance_id is not None:
            q = q.where(MeetingRule.alliance_id == alliance_id)
            scope = and_(scope, col(Reminder.alliance_id) == alliance_id)
        wants: list[Want] = []
        end = today + dt.timedelta(days=env.horizon_days)
        rs = env.rs
        for rule in s.exec(q).all():
            group = groups.main.get(rule.alliance_id)
            if group is None:
                continue
            try:
                occ = occurrences(
                    validate_rule(dict(rule.rule)),
                    rule.holiday_policy,
                    today - dt.timedelta(days=1),
                    end,
                    env.calendar,
                )
            except (ValueError, KeyError, TypeError) as e:
                log.warning("meeting rule %s unusable: %s", rule.id, e)
                continue
            for o in occ:
                start = local_to_utc(o.date, o.time, env.tz)
                for kind, fire_at in (
                    (
                        EVE,
                        local_to_utc(o.date - dt.timedelta(days=1), rs.meeting_day_before, env.tz),
                    ),
                    (HOUR, start - dt.timedelta(hours=rs.meeting_hours_before)),
                ):
                    if not env.enabled(kind, groups.alliance_names.get(rule.alliance_id)):
                        continue
                    wants.append(
                        Want(
                            f"meet:{rule.id}:{kind}:{o.date.isoformat()}",
                            kind,
                            rule.alliance_id,
                            fire_at,
                            o.date,
                            group.platform,
                            group.chat_id,
                            text(env, kind, rule, o),
                            meeting_rule_id=rule.id,
                            payload={"nominal": o.nominal.isoformat(), "note": o.note},
                        )
                    )
        return Batch(wants, scope)

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        rule = s.get(MeetingRule, r.meeting_rule_id) if r.meeting_rule_id else None
        if rule is None or not rule.active:
            return "meeting rule removed"
        return None

    def message(self, env: KindEnv, s: Session, r: Reminder, now: dt.datetime) -> Message:
        return Message(r.text)


def text(env: KindEnv, kind: str, rule: MeetingRule, o: Occurrence) -> str:
    day = f"{md(o.date)}({weekday_cn(o.date)})"
    if kind == EVE:
        out = f"【会议提醒】明天 {day} {o.time} {rule.title}"
    else:
        h = env.rs.meeting_hours_before
        out = f"【会议提醒】今天 {o.time} {rule.title},{h} 小时后开始"
    out += f"。{o.note}。" if o.note else "。"
    if env.calendar.calendar_source(o.date) == SOURCE_FALLBACK:
        out += "(该年份无节假日数据,仅按周末计算)"
    return out
